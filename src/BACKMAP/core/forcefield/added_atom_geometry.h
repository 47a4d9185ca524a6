/* BACKMAP core, forcefield layer: where the atoms of one pdb2gmx add rule go (.hdb/.tdb add
   types 1-11), from the positions of its control atoms; the same constructions GROMACS's
   manual gives, so that hydrogens built here sit where `gmx pdb2gmx` puts them. */
#ifndef BACKMAP_ADDED_ATOM_GEOMETRY_H
#define BACKMAP_ADDED_ATOM_GEOMETRY_H

#include "structure.h"

#include <vector>

namespace BACKMAP {

// Bond lengths of the rules, in Angstrom (fixed per type, whatever the elements).
constexpr double added_hydrogen_bond = 1.0;
constexpr double carboxylate_oxygen_bond = 1.36;    // type 8

// Positions of `count` atoms built by rule `type` from `control` = {i, j, k[, l]} (i is the atom
// they bond to). Water types 7, 10 and 11 take i only and a `water_turn` (0-5) that picks one
// of the six fixed orientations pdb2gmx cycles through. Throws std::invalid_argument when the
// type is unknown, the count does not fit it or control atoms are missing or coincide.
std::vector<Vec3> added_atom_positions(int type, int count, const std::vector<Vec3> &control, int water_turn = 0);

}    // namespace BACKMAP

#endif
