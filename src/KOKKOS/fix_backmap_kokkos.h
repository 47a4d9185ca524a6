/* -*- c++ -*- ----------------------------------------------------------
   BACKMAP package: the Kokkos twin of fix backmap (doc/src/fix_backmap.rst,
   the paragraphs on accelerated styles). On frame steps it gathers the group's atoms
   from LAMMPS's Kokkos views and builds the network's neighbours with Kokkos
   kernels in its execution space (backmap_cell_list_kokkos.h); prediction,
   placement and writing are fix backmap's.
------------------------------------------------------------------------- */

#ifdef FIX_CLASS
// clang-format off
FixStyle(backmap/kk,FixBackmapKokkos<LMPDeviceType>);
FixStyle(backmap/kk/device,FixBackmapKokkos<LMPDeviceType>);
FixStyle(backmap/kk/host,FixBackmapKokkos<LMPHostType>);
// clang-format on
#else

#ifndef LMP_FIX_BACKMAP_KOKKOS_H
#define LMP_FIX_BACKMAP_KOKKOS_H

#include "fix_backmap.h"
#include "kokkos_type.h"

#include "backmap_cell_list_kokkos.h"

#include <vector>

namespace LAMMPS_NS {

template <class DeviceType> class FixBackmapKokkos : public FixBackmap {
 public:
  typedef ArrayTypes<DeviceType> AT;
  using Cells = BACKMAP::CellListKokkos<DeviceType>;

  FixBackmapKokkos(class LAMMPS *, int, char **);
  void setup(int) override;

 protected:
  void collect(Collected &frame) override;
  void build_neighbours(const Collected &frame, std::size_t m, BACKMAP::NeighbourList &out) override;

 private:
  Cells cells;                                                            // kernels and their buffers
  std::vector<Kokkos::View<unsigned char *, DeviceType>> backmapped;      // per model, by atom ID
  Kokkos::View<int *, DeviceType> members;                                // group atoms' local indices
  // the collected atoms in the execution space's memory; where that is host memory they are
  // the Collected vectors themselves and these stay empty
  Kokkos::View<double *[3], Kokkos::LayoutRight, DeviceType> points;
  Kokkos::View<long *, DeviceType> ids;
  Kokkos::View<imageint *, DeviceType> images;
  std::vector<imageint> host_images;    // owned atoms' image flags, for unwrapping on the host
};

}    // namespace LAMMPS_NS

#endif
#endif
