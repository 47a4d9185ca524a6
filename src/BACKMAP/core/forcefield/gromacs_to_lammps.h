/* BACKMAP core, forcefield layer: a GROMACS system as its .top and .gro are (martinize2's,
   insane's, polyply's, `backmap map --martini-topology`'s, `backmap build`'s or a user's own),
   written as LAMMPS files that run the same force field: the topology read as grompp reads it
   (topology_file.h, with the include folders and defines grompp would be given), the cut-off
   scheme the force field implies (recommended_nonbonded: Martini's reaction field, CHARMM's
   switching, or a plain cut-off), GROMACS's virtual-site centres as bonded beads and constrained
   frames with sites as rigid bodies (lammps_system_writer.h), and the data file's atoms named the
   way fix backmap reads a topology (lammps_bead_names.h). All files or none are left. */
#ifndef BACKMAP_GROMACS_TO_LAMMPS_H
#define BACKMAP_GROMACS_TO_LAMMPS_H

#include "lammps_system_writer.h"
#include "topology_preprocessor.h"

#include <optional>
#include <string>
#include <vector>

namespace BACKMAP {

struct GromacsSystemLammpsFiles {
  LammpsSystemFiles files;
  LammpsNonbonded nonbonded;          // the cut-off scheme written
  std::vector<MoleculeCount> molecules;
  long atoms = 0;                     // in the GROMACS system (the data file leaves carried sites out)
  double charge = 0.0;
};

// Writes PREFIX.settings/.data/.coeffs (and .cmap, .table, .angles where the system needs them)
// for the system of `top` at the coordinates and box of `gro`, whose atoms must be the
// topology's in order. FileError naming the file and line (of the .top or an included .itp, or
// the .gro) for what cannot be read or given to LAMMPS exactly; a file of PREFIX that the call
// created is removed again when it fails. `nonbonded`: the cut-off scheme to write (the run
// parameters GROMACS takes from the .mdp); recommended_nonbonded(topology) where not given.
GromacsSystemLammpsFiles write_lammps_files_of_gromacs_system(const std::string &top, const std::string &gro,
                                                             const std::string &prefix,
                                                             const PreprocessorOptions &preprocessor,
                                                             const std::optional<LammpsNonbonded> &nonbonded = {});

}    // namespace BACKMAP

#endif
