/* -*- c++ -*- ----------------------------------------------------------
   BACKMAP package: compute backmap/rmsd compares fix backmap's latest
   reconstruction with a reference atomistic structure
   (doc/src/compute_backmap_rmsd.rst).
------------------------------------------------------------------------- */

#ifdef COMPUTE_CLASS
// clang-format off
ComputeStyle(backmap/rmsd,ComputeBackmapRmsd);
// clang-format on
#else

#ifndef LMP_COMPUTE_BACKMAP_RMSD_H
#define LMP_COMPUTE_BACKMAP_RMSD_H

#include "compute.h"

#include <memory>
#include <string>
#include <vector>

namespace BACKMAP {
struct Structure;
}

namespace LAMMPS_NS {

class ComputeBackmapRmsd : public Compute {
 public:
  ComputeBackmapRmsd(class LAMMPS *, int, char **);
  ~ComputeBackmapRmsd() override;
  void init() override;
  void compute_vector() override;

 private:
  std::string fix_id, reference_file;
  class FixBackmap *fix;
  std::vector<BACKMAP::Structure> references;    // one, or one per frame (multi-model file)
  const BACKMAP::Structure &reference_for_step();
};

}    // namespace LAMMPS_NS

#endif
#endif
