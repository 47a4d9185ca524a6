/* BACKMAP core, forcefield layer: GROMACS [ virtual_sites3 ] sites on atoms that [ constraints ]
   hold rigid (Martini 3 cholesterol: five sites built "3out" from the constrained triangle R1, R2,
   C1) given to LAMMPS, which has no virtual sites, as one rigid body per molecule: the frame's
   atoms and its sites, integrated by fix rigid/small (RIGID package). Exact in the positions: a
   site built from a rigid frame is a fixed point of that frame (virtual_site_frames.h), so a body
   member placed where GROMACS builds it stays there; its forces reach the body's motion through
   the body's total force and torque, as GROMACS's spreading of a site's force does. The sites
   get a tiny mass (site_mass, taken in equal parts from the atoms each is built from, so the
   molecule's mass stays), as LAMMPS's bodies are made of massive points; the frame's constraints
   become K = 0 bonds (GROMACS's exclusions count them as chemical bonds) and its atoms and sites
   LAMMPS atom types of their own, which the coefficients file gathers in a group for the fix.
   Refused (FileError at the term's line, naming the molecule and the atoms): [ virtual_sites1 ],
   [ virtual_sites2 ], [ virtual_sites4 ]; a site built from another site, from atoms that no rigid
   frame of constraints holds (a chain or ring of constraints is not one), or given mass; two
   frames with sites in one molecule (fix rigid/small molecule makes one body of a molecule). */
#ifndef BACKMAP_LAMMPS_RIGID_FRAMES_H
#define BACKMAP_LAMMPS_RIGID_FRAMES_H

#include "structure.h"
#include "topology_sections.h"

#include <vector>

namespace BACKMAP {

// The mass (u) each site is given in LAMMPS.
constexpr double rigid_site_mass = 0.01;

// Whether any molecule type that [ molecules ] uses has [ virtual_sites1..4 ] terms.
bool has_built_virtual_sites(const Topology &topology);

// `positions` (Angstrom, one per system atom) with every rigid frame that builds sites made to
// meet its constraints exactly (rigid_frame_fit.h), its sites built on it where GROMACS builds
// them, and this body superposed on the positions as given (its atoms and sites: a mapped
// structure's beads orient it); the topology as it is. For structures that do not meet the
// constraints yet (mapped from all-atom frames), before GROMACS and LAMMPS get them, and before
// water is added around them. The checks and FileErrors above.
void place_rigid_frames(const Topology &topology, std::vector<Vec3> &positions);
// The same for one molecule of type `m` (`positions`: its atoms, in order).
void place_rigid_frame(const Topology &topology, const MoleculeType &m, std::vector<Vec3> &positions);

namespace lammps_writer {

// `topology` made LAMMPS's (in place) as above: sites massive, frame constraints K = 0 bonds
// (function 5), frame atoms and sites marked rigid_body, [ virtual_sites3 ] emptied; the sites of
// `positions` (Angstrom) placed as GROMACS builds them from the frame atoms as they are.
// Returns the number of rigid bodies in the system.
long make_rigid_bodies(Topology &topology, std::vector<Vec3> &positions);

}    // namespace lammps_writer

}    // namespace BACKMAP

#endif
