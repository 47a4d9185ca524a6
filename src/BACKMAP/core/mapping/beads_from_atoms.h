/* BACKMAP core: the CG beads of a running simulation from an all-atom copy of its residues (the
   feedback of an all-atom replica): each all-atom residue is mapped forward, as `backmap map`
   and martinize2 map it, hydrogens included where the mapping weighs them, and its beads are
   matched by name to the particle IDs of the CG residue it was built from. */
#ifndef BACKMAP_BEADS_FROM_ATOMS_H
#define BACKMAP_BEADS_FROM_ATOMS_H

#include "mapping_set.h"
#include "structure.h"

#include <string>
#include <vector>

namespace BACKMAP {

// One CG residue of the simulation.
struct CgResidueBeads {
  std::string label;                 // "A:MET1", for messages
  std::vector<std::string> names;    // its beads
  std::vector<long> ids;             // their particle IDs, in the order of names
};

struct BeadPosition {
  long id = 0;
  Vec3 position = Vec3::Zero();
};

// `atomistic` holds one residue per entry of `cg`, in the same order (positions whole, e.g.
// unwrapped). Returns one position per bead of `cg`, in its order. Throws std::runtime_error
// naming the bead (name and particle ID) and both residues when an all-atom residue cannot be
// mapped, maps to other beads than its CG residue has, or leaves a bead without atoms.
std::vector<BeadPosition> beads_from_atoms(const Structure &atomistic, const std::vector<CgResidueBeads> &cg,
                                           const MappingSet &mappings);

}    // namespace BACKMAP

#endif
