/* BACKMAP core: from bead positions and the vectors a model predicted to an atomistic
   structure (heavy atoms, named and ordered as the mappings declare them). */
#ifndef BACKMAP_BACKMAPPING_H
#define BACKMAP_BACKMAPPING_H

#include "cg_frame.h"

#include <vector>

namespace BACKMAP {

// `vectors` holds N*K entries (bead-major), K = the vocabulary's slots per bead.
Structure place_frame_atoms(const Structure &cg, const PreparedFrame &prepared, const std::vector<Vec3> &vectors,
                            int slots);

}    // namespace BACKMAP

#endif
