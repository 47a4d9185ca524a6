/* BACKMAP package: fix backmap/kk. The network and the placement run on the host (LibTorch on
   the CPU here), so on a frame step the atoms the fix reads are synchronised to the host once;
   between frames the fix touches no data and costs nothing. With a device build (CUDA) that
   sync is the copy from the device; this path compiles with any Kokkos backend but is tested
   only with Kokkos Serial. */

#include "fix_backmap_kokkos.h"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "comm.h"
#include "domain.h"
#include "error.h"

#include <cmath>

using namespace LAMMPS_NS;

template <class DeviceType>
FixBackmapKokkos<DeviceType>::FixBackmapKokkos(LAMMPS *lmp, int narg, char **arg) : FixBackmap(lmp, narg, arg)
{
  kokkosable = 1;
  atomKK = (AtomKokkos *) atom;
  execution_space = ExecutionSpaceFromDevice<DeviceType>::space;
  // the fix reads on the host, and only in collect(): nothing for LAMMPS to sync around it
  datamask_read = EMPTY_MASK;
  datamask_modify = EMPTY_MASK;
  if (comm->me == 0)
    utils::logmesg(lmp, "Fix backmap/kk: atoms read from Kokkos views, synchronised to the host on frame steps\n");
}

// fix backmap checks the beads' masses against the topology at setup, on host arrays
template <class DeviceType> void FixBackmapKokkos<DeviceType>::setup(int vflag)
{
  atomKK->sync(Host, X_MASK | MASK_MASK | TAG_MASK | TYPE_MASK | IMAGE_MASK | (atomKK->rmass ? RMASS_MASK : 0));
  FixBackmap::setup(vflag);
}

template <class DeviceType> void FixBackmapKokkos<DeviceType>::collect(Collected &frame)
{
  atomKK->sync(Host, X_MASK | MASK_MASK | TAG_MASK | IMAGE_MASK);
  const auto x = atomKK->k_x.h_view;
  const auto mask = atomKK->k_mask.h_view;
  const auto tag = atomKK->k_tag.h_view;
  const auto image = atomKK->k_image.h_view;
  const int nlocal = atom->nlocal, nall = atom->nlocal + atom->nghost;
  for (int i = 0; i < nall; ++i) {
    if (!(mask(i) & groupbit)) continue;
    const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
    if (!std::isfinite(xi[0]) || !std::isfinite(xi[1]) || !std::isfinite(xi[2]))
      error->one(FLERR, "Fix backmap/kk: atom {} has non-finite coordinates", tag(i));
    frame.ids.push_back(tag(i));
    frame.positions.emplace_back(xi[0], xi[1], xi[2]);
    if (i < nlocal) {
      double unwrapped[3];
      domain->unmap(xi, image(i), unwrapped);
      frame.unwrapped.emplace_back(unwrapped[0], unwrapped[1], unwrapped[2]);
      ++frame.owned;
    }
  }
}

namespace LAMMPS_NS {
template class FixBackmapKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class FixBackmapKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
