/* BACKMAP core, forcefield layer: an all-atom system written for GROMACS: a .top that includes
   its force field and lists each molecule's atoms (types, charges) and bonded terms as
   pdb2gmx would, and the matching .gro. grompp takes the parameters from the force field. */
#ifndef BACKMAP_GROMACS_SYSTEM_WRITER_H
#define BACKMAP_GROMACS_SYSTEM_WRITER_H

#include "all_atom_topology.h"

#include <string>

namespace BACKMAP {

// `force_field_include`: what the .top's first #include names, e.g.
// "amber99sb-ildn.ff/forcefield.itp" (found by grompp in GMXLIB) or an absolute path. Both
// files are written through a temporary file and renamed, so a failure leaves none half
// written. Molecules (chains, or chains joined by disulfides) must be contiguous.
void write_gromacs_system(const AllAtomSystem &system, const AllAtomTopology &topology,
                          const std::string &force_field_include, const std::string &top_path,
                          const std::string &gro_path, const std::string &title = "BACKMAP all-atom system");

}    // namespace BACKMAP

#endif
