/* BACKMAP core, forcefield layer: the bonded terms of an all-atom system, generated as pdb2gmx
   generates them: bonds from the building blocks (and disulfides), every angle, every proper
   dihedral, 1-4 pairs, and the blocks' impropers and CMAP terms. Atom indices only; the
   parameters come from the force field's type tables. */
#ifndef BACKMAP_ALL_ATOM_TOPOLOGY_H
#define BACKMAP_ALL_ATOM_TOPOLOGY_H

#include "all_atom_builder.h"

#include <array>
#include <vector>

namespace BACKMAP {

// Atoms are numbered 0..N-1 in the system's order (residue after residue, each in its
// building block's order).
struct AllAtomTopology {
  std::vector<std::array<int, 2>> bonds, pairs;
  std::vector<std::array<int, 3>> angles;
  std::vector<std::array<int, 4>> dihedrals, impropers;
  std::vector<std::array<int, 5>> cmaps;
  // Parameters written in a building block for an improper or dihedral (a macro name or
  // numbers), by index in `impropers` / `dihedrals`; empty: from the type tables.
  std::vector<std::string> improper_parameters, dihedral_parameters;
  std::vector<int> molecule_of_atom;    // chain index: atoms bonded across chains share one
  BondedTypes functions;                // function types of the generated terms
};

// BuildError names the residue when a building block's bond names an atom that neither the
// block nor its neighbour has.
AllAtomTopology generate_topology(const AllAtomSystem &system, const ResidueDatabase &db);

}    // namespace BACKMAP

#endif
