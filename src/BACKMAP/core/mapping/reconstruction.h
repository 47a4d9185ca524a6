/* BACKMAP core: the hierarchy in both directions. From atoms to the vectors the network
   learns (one per placement), and from bead positions plus vectors back to atoms. */
#ifndef BACKMAP_RECONSTRUCTION_H
#define BACKMAP_RECONSTRUCTION_H

#include "mapping.h"
#include "structure.h"

#include <vector>

namespace BACKMAP {

// Per placement: x_atom - x_anchor, the anchor being the bead position for levels 0 and 1.
// `atoms` holds one position per mapping atom (NaN where absent); an absent atom gives NaN.
std::vector<Vec3> placement_vectors(const MoleculeMapping &mapping, const std::vector<Vec3> &atoms,
                                    const std::vector<Vec3> &beads);

// Places atoms bead by bead, level by level: x = x_anchor + v, the anchor as placed from the
// same bead. An atom of several beads ends at the weighted mean of its placements (weights
// = its bead shares). Returns one position per mapping atom; NaN for atoms without placement
// (hydrogens) or whose vector is NaN.
std::vector<Vec3> place_atoms(const MoleculeMapping &mapping, const std::vector<Vec3> &beads,
                              const std::vector<Vec3> &vectors);

}    // namespace BACKMAP

#endif
