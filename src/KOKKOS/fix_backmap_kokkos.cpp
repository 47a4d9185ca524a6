/* BACKMAP package: fix backmap/kk. On a frame step the group's atoms are gathered from the
   KOKKOS package's views by kernels in the fix's execution space (synchronised there on
   frame steps only; between frames the fix touches no data), and the network's neighbours
   are built by the kernels of backmap_cell_list_kokkos.h. The network, placement and writing
   are fix backmap's, on the host: the core builds the network's input from the collected
   vectors. With Kokkos Serial or OpenMP the kernels write those vectors themselves, no copy;
   on a GPU they write device buffers copied to them once per frame (written for CUDA, not
   tested here). */

#include "fix_backmap_kokkos.h"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "comm.h"
#include "domain.h"
#include "error.h"

#include "topology_backmapper.h"

#include <algorithm>
#include <utility>

using namespace LAMMPS_NS;

// the collected positions are read as n x 3 doubles in place
static_assert(sizeof(BACKMAP::Vec3) == 3 * sizeof(double), "Vec3 must be three packed doubles");

// Kernels sit in free functions (as in LAMMPS's fix momentum/kk): a CUDA device lambda may
// not be defined in a protected member such as collect().

// The group's atoms among owned and ghosts in local order: members(k) is the local index of
// the k-th (a prefix sum compacts them). Returns how many; `owned` says how many are owned.
template <class DeviceType>
static int select_group(const typename ArrayTypes<DeviceType>::t_int_1d &mask, int groupbit, int nlocal, int nall,
                        Kokkos::View<int *, DeviceType> &members, int &owned)
{
  if (members.extent(0) < static_cast<std::size_t>(nall))
    members = Kokkos::View<int *, DeviceType>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "backmap::members"),
                                              nall + nall / 4 + 16);
  const Kokkos::View<int *, DeviceType> list = members;
  int total = 0;
  Kokkos::parallel_scan(
      "backmap::group", Kokkos::RangePolicy<DeviceType>(0, nall),
      LAMMPS_LAMBDA(const int i, int &k, const bool final) {
        const int in = (mask(i) & groupbit) ? 1 : 0;
        if (final && in) list(k) = i;
        k += in;
      },
      total);
  owned = 0;
  Kokkos::parallel_reduce(
      "backmap::group_owned", Kokkos::RangePolicy<DeviceType>(0, nlocal),
      LAMMPS_LAMBDA(const int i, int &c) { c += (mask(i) & groupbit) ? 1 : 0; }, owned);
  return total;
}

// Positions and IDs of the group's atoms, and image flags of the owned ones.
template <class DeviceType, class Points, class Ids, class Images>
static void gather_group(const typename ArrayTypes<DeviceType>::t_x_array &x,
                         const typename ArrayTypes<DeviceType>::t_tagint_1d &tag,
                         const typename ArrayTypes<DeviceType>::t_imageint_1d &image,
                         const Kokkos::View<int *, DeviceType> &members, int n, int owned, const Points &points,
                         const Ids &ids, const Images &images)
{
  Kokkos::parallel_for(
      "backmap::gather", Kokkos::RangePolicy<DeviceType>(0, n), LAMMPS_LAMBDA(const int k) {
        const int i = members(k);
        for (int d = 0; d < 3; ++d) points(k, d) = x(i, d);
        ids(k) = tag(i);
        if (k < owned) images(k) = image(i);
      });
}

// The first gathered atom with a non-finite coordinate, or n (v - v is 0 for finite v only).
template <class DeviceType, class Points> static int first_non_finite(const Points &points, int n)
{
  int first = n;
  Kokkos::parallel_reduce(
      "backmap::finite", Kokkos::RangePolicy<DeviceType>(0, n),
      LAMMPS_LAMBDA(const int k, int &f) {
        for (int d = 0; d < 3; ++d)
          if (!(points(k, d) - points(k, d) == 0.0) && k < f) f = k;
      },
      Kokkos::Min<int>(first));
  return first;
}

template <class DeviceType>
FixBackmapKokkos<DeviceType>::FixBackmapKokkos(LAMMPS *lmp, int narg, char **arg) : FixBackmap(lmp, narg, arg)
{
  kokkosable = 1;
  atomKK = (AtomKokkos *) atom;
  execution_space = ExecutionSpaceFromDevice<DeviceType>::space;
  // the fix syncs what it reads itself, on frame steps only: nothing for LAMMPS to sync
  datamask_read = EMPTY_MASK;
  datamask_modify = EMPTY_MASK;
  // per model, by atom ID: does it backmap that atom (the kernels' look-up, made once)
  for (std::size_t m = 0; m < model_count(); ++m) {
    const BACKMAP::TopologyBackmapper &b = backmapper(m);
    long largest = 0;
    for (std::size_t bead = 0; bead < b.bead_count(); ++bead)
      largest = std::max(largest, b.id_of_bead(static_cast<int>(bead)));
    Kokkos::View<unsigned char *, DeviceType> table("backmap::backmapped", largest + 1);
    const auto host = Kokkos::create_mirror_view(table);
    for (std::size_t bead = 0; bead < b.bead_count(); ++bead) host(b.id_of_bead(static_cast<int>(bead))) = 1;
    Kokkos::deep_copy(table, host);
    backmapped.push_back(table);
  }
  if (comm->me == 0)
    utils::logmesg(lmp, "Fix backmap/kk: atoms read from Kokkos views and neighbours built by Kokkos kernels, on "
                   "frame steps\n");
}

// fix backmap checks the beads' masses against the topology at setup, on host arrays
template <class DeviceType> void FixBackmapKokkos<DeviceType>::setup(int vflag)
{
  atomKK->sync(Host, X_MASK | MASK_MASK | TAG_MASK | TYPE_MASK | IMAGE_MASK | (atomKK->rmass ? RMASS_MASK : 0));
  FixBackmap::setup(vflag);
}

template <class DeviceType> void FixBackmapKokkos<DeviceType>::collect(Collected &frame)
{
  atomKK->sync(execution_space, X_MASK | MASK_MASK | TAG_MASK | IMAGE_MASK);
  const int nlocal = atom->nlocal, nall = atom->nlocal + atom->nghost;
  int owned = 0;
  const int n = select_group<DeviceType>(atomKK->k_mask.view<DeviceType>(), groupbit, nlocal, nall, members, owned);
  frame.ids.resize(n);
  frame.positions.resize(n);
  frame.owned = owned;
  host_images.resize(owned);
  const auto x = atomKK->k_x.view<DeviceType>();
  const auto tag = atomKK->k_tag.view<DeviceType>();
  const auto image = atomKK->k_image.view<DeviceType>();
  int bad = n;
  if constexpr (Cells::staged) {
    // device buffers, then one copy of each to the host
    if (points.extent(0) < static_cast<std::size_t>(n)) {
      const int size = n + n / 4 + 16;
      points = decltype(points)(Kokkos::view_alloc(Kokkos::WithoutInitializing, "backmap::points"), size);
      ids = decltype(ids)(Kokkos::view_alloc(Kokkos::WithoutInitializing, "backmap::ids"), size);
      images = decltype(images)(Kokkos::view_alloc(Kokkos::WithoutInitializing, "backmap::images"), size);
    }
    gather_group<DeviceType>(x, tag, image, members, n, owned, points, ids, images);
    bad = first_non_finite<DeviceType>(points, n);
    const auto rows = std::make_pair(std::size_t(0), static_cast<std::size_t>(n));
    Kokkos::deep_copy(Kokkos::View<double *[3], Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryUnmanaged>(
                          reinterpret_cast<double *>(frame.positions.data()), n),
                      Kokkos::subview(points, rows, Kokkos::ALL));
    Kokkos::deep_copy(Kokkos::View<long *, Kokkos::HostSpace, Kokkos::MemoryUnmanaged>(frame.ids.data(), n),
                      Kokkos::subview(ids, rows));
    Kokkos::deep_copy(Kokkos::View<imageint *, Kokkos::HostSpace, Kokkos::MemoryUnmanaged>(host_images.data(), owned),
                      Kokkos::subview(images, std::make_pair(std::size_t(0), static_cast<std::size_t>(owned))));
  } else {
    // the kernels write the Collected vectors themselves
    const decltype(points) to_points(reinterpret_cast<double *>(frame.positions.data()), n);
    const decltype(ids) to_ids(frame.ids.data(), n);
    const decltype(images) to_images(host_images.data(), owned);
    gather_group<DeviceType>(x, tag, image, members, n, owned, to_points, to_ids, to_images);
    bad = first_non_finite<DeviceType>(to_points, n);
  }
  if (bad < n) error->one(FLERR, "Fix backmap/kk: atom {} has non-finite coordinates", frame.ids[bad]);
  // owned atoms unwrapped through their image flags, on the host as fix backmap does it, so
  // that the frames are the same to the last bit
  frame.unwrapped.resize(owned);
  for (int k = 0; k < owned; ++k) domain->unmap(frame.positions[k].data(), host_images[k], frame.unwrapped[k].data());
}

template <class DeviceType>
void FixBackmapKokkos<DeviceType>::build_neighbours(const Collected &frame, std::size_t m, BACKMAP::NeighbourList &out)
{
  const std::size_t n = frame.ids.size();
  if constexpr (Cells::staged) {
    // the device copies collect() made of this frame
    const auto rows = std::make_pair(std::size_t(0), n);
    cells.build(Kokkos::subview(points, rows, Kokkos::ALL), Kokkos::subview(ids, rows), backmapped[m],
                static_cast<int>(frame.owned), backmapper(m).cutoff(), out);
  } else {
    cells.build(typename Cells::Points(reinterpret_cast<const double *>(frame.positions.data()), n),
                typename Cells::Ids(frame.ids.data(), n), backmapped[m], static_cast<int>(frame.owned),
                backmapper(m).cutoff(), out);
  }
}

namespace LAMMPS_NS {
template class FixBackmapKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class FixBackmapKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
