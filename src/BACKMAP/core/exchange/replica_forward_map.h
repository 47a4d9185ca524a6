/* BACKMAP core: the forward map M of an all-atom replica of a running CG simulation, with its
   rows in the order of the simulation's beads (by particle ID), for the resolution exchange.

   LinearForwardMap::from_structure numbers the beads as map_to_cg writes them; a LAMMPS fix
   needs to know which particle each row is. Here every all-atom residue is matched to its
   mapping (match_residue, as from_structure does), weighted bead by bead (bead_atom_weights),
   and each of the CG residue's beads finds its row by name, as beads_from_atoms finds its
   position, so M x equals beads_from_atoms(x) bead for bead. */
#ifndef BACKMAP_REPLICA_FORWARD_MAP_H
#define BACKMAP_REPLICA_FORWARD_MAP_H

#include "beads_from_atoms.h"
#include "linear_forward_map.h"

#include <vector>

namespace BACKMAP {

struct ReplicaForwardMap {
  LinearForwardMap map;          // one row per bead of `cg`, in its order; atoms in the structure's order
  std::vector<long> bead_ids;    // the particle ID of each row
};

// `atomistic` holds one residue per entry of `cg`, in the same order. Throws
// std::runtime_error naming the bead (name and particle ID) and both residues when an
// all-atom residue cannot be matched, maps to other beads than its CG residue has, or leaves
// a bead without atoms; std::invalid_argument (from LinearForwardMap) when M lacks full rank.
ReplicaForwardMap replica_forward_map(const Structure &atomistic, const std::vector<CgResidueBeads> &cg,
                                      const MappingSet &mappings);

}    // namespace BACKMAP

#endif
