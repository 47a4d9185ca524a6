/* BACKMAP core, forcefield layer: GROMACS's reaction field (Martini) as lj/cut/coul/cut plus a LAMMPS pair table.
   The table holds the part beyond 1/r, C qi qj (k_rf r^2 - c_rf), one section per product of charges. */
#ifndef BACKMAP_LAMMPS_REACTION_FIELD_H
#define BACKMAP_LAMMPS_REACTION_FIELD_H

#include "lammps_system_model.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace BACKMAP::lammps_writer {

// The special_bonds factor of excluded pairs when the reaction-field table must still see them:
// LAMMPS drops a pair from the neighbour list only at exactly 0, and pair hybrid refuses a
// sub-style's own factors where the global one is exactly 0 or 1
constexpr const char *listed_but_excluded = "1e-40";
constexpr int table_points = 1000;

// GROMACS's reaction field (Verlet scheme) between charges within rc:
//   C qi qj (1/r + k_rf r^2 - c_rf),  C = qqr2e / epsilon_r,
//   k_rf = (eps_rf - eps_r) / ((2 eps_rf + eps_r) rc^3)  (1 / (2 rc^3) for eps_rf = infinity),
//   c_rf = 1/rc + k_rf rc^2,
// also for excluded pairs (without the 1/r), plus -C c_rf qi^2 / 2 for every atom. The 1/r part is
// lj/cut/coul/cut's; the rest is a pair table per product qi qj.
struct ReactionField {
  bool on = false;
  double cutoff = 0.0, k_rf = 0.0, c_rf = 0.0, coulomb = 0.0;    // A, 1/A^3, 1/A, kcal A/(mol e^2)
  std::vector<double> products;                  // distinct non-zero qi qj; table section RF_n is n-1
  std::map<std::pair<int, int>, int> section;    // LAMMPS type pair (i <= j) -> n
  bool table() const { return !products.empty(); }
};

// The reaction field of the ReactionField scheme (off for the others) over the system's LAMMPS
// atom types; FileError at `output` for a permittivity that cannot be.
ReactionField reaction_field_of(const SystemModel &system, const LammpsNonbonded &nb, const std::string &output);
// LAMMPS pair table sections, N points spaced in r^2 as LAMMPS spaces them itself (so that with
// `table linear N` it takes the points as they are): E = C qq (k_rf r^2 - c_rf), F = -2 C qq k_rf r.
std::string table_text(const ReactionField &rf, const LammpsWriterOptions &options);

}    // namespace BACKMAP::lammps_writer

#endif
