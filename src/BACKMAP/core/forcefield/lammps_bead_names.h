/* BACKMAP core, forcefield layer: the atom comments of a LAMMPS data file made the way fix backmap
   reads a topology. lammps_system_writer names each atom "# RESIDUE+RESNR ATOM" from the itp;
   fix backmap's topology reader wants "# CHAIN RESNUM RESNAME BEAD" (doc/src/fix_backmap.rst),
   so that the data file of a CG system is also the fix's topology. */
#ifndef BACKMAP_LAMMPS_BEAD_NAMES_H
#define BACKMAP_LAMMPS_BEAD_NAMES_H

#include "structure.h"

#include <string>
#include <vector>

namespace BACKMAP {

// Rewrites the atom comments of `data` (written by write_lammps_system for `system`, whose atoms
// are the topology's in order) from the system's residues; `carried_sites` are the system's atoms
// the data file has no line for (LammpsSystemFiles::carried_sites). The file is replaced
// atomically; FileError at the data file's line where it does not fit the system.
void name_beads_for_fix_backmap(const std::string &data, const Structure &system, const std::vector<long> &carried_sites);

}    // namespace BACKMAP

#endif
