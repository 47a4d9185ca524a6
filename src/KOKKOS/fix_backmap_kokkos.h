/* -*- c++ -*- ----------------------------------------------------------
   BACKMAP package: the Kokkos twin of fix backmap (doc/src/fix_backmap.rst,
   "Styles with a KOKKOS suffix"). It reads positions, IDs, masks and image
   flags from LAMMPS's Kokkos views, synchronised to the host on frame steps
   only, and shares everything after the collect stage with fix backmap.
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

namespace LAMMPS_NS {

template <class DeviceType> class FixBackmapKokkos : public FixBackmap {
 public:
  typedef ArrayTypes<DeviceType> AT;

  FixBackmapKokkos(class LAMMPS *, int, char **);
  void setup(int) override;

 protected:
  void collect(Collected &frame) override;
};

}    // namespace LAMMPS_NS

#endif
#endif
