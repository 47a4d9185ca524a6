/* BACKMAP core, forcefield layer: GROMACS's [ virtual_sitesn ] centres (function 1, geometric, and
   2, of mass; Martini 3's tryptophan SC3) made real beads for LAMMPS, which has no virtual sites:
   the site takes its share of the mass of the atoms it is built from (each of the n + 1 keeps
   n/(n+1), resp. 1/(n+1), of theirs: the total mass, and the centre of mass when their masses are
   equal, stay), sits at their centre, and is held there by stiff harmonic bonds written as
   constraints (to each of them, at the lengths of the first copy). Its non-bonded interactions and
   exclusions stay as they are. This is an approximation: the site's forces reach the atoms through
   the bonds, not at once, and the site has inertia of its own. */
#ifndef BACKMAP_LAMMPS_VIRTUAL_SITES_H
#define BACKMAP_LAMMPS_VIRTUAL_SITES_H

#include "structure.h"
#include "topology_sections.h"

#include <vector>

namespace BACKMAP::lammps_writer {

// Whether any molecule type that [ molecules ] uses has [ virtual_sitesn ] terms.
bool has_virtual_sites_n(const Topology &topology);

// `topology` with every virtual_sitesn centre made a bonded bead as above (in place), and
// `positions` (Angstrom, one per system atom) with the sites moved to their centres. FileError at
// the term's line for function 3 (weighted) or a site that is an atom of another site.
void bond_virtual_sites_n(Topology &topology, std::vector<Vec3> &positions);

}    // namespace BACKMAP::lammps_writer

#endif
