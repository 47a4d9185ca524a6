/* BACKMAP core, forcefield layer: how a backmapped all-atom system is relaxed in LAMMPS without
   leaving the CG state: hydrogens first with the heavy atoms fixed, then every atom with each
   heavy atom on a spring to where it started, to a loose force tolerance. The LAMMPS commands,
   for `backmap build` (a separate LAMMPS) and the all-atom replica (a nested one). */
#ifndef BACKMAP_MINIMISATION_PROTOCOL_H
#define BACKMAP_MINIMISATION_PROTOCOL_H

#include <string>
#include <vector>

namespace BACKMAP {

struct MinimisationProtocol {
  double restraint = 10.0;                   // kcal/mol/A^2 on each heavy atom (second stage)
  double force_tolerance = 500.0 / 41.84;    // kcal/mol/A, largest force component (500 kJ/mol/nm)
  int max_iterations = 5000;                 // per stage
};

// The group of heavy atoms (mass above 1.5) the protocol uses; define it once, after read_data.
std::vector<std::string> heavy_atom_group_commands(const std::string &group = "heavy");

// The two stages. After each stage, `after_stage(name)` commands are inserted ("hydrogens",
// "all"), e.g. a print of the energy; the fixes the protocol defines are gone at the end.
std::vector<std::string> minimisation_commands(const MinimisationProtocol &protocol, const std::string &group,
                                               const std::vector<std::string> &after_hydrogens = {},
                                               const std::vector<std::string> &after_all = {});

}    // namespace BACKMAP

#endif
