/* BACKMAP core: the formats atomistic frames are written in (kept apart so that LAMMPS style
   headers can name them without pulling in the structure types). */
#ifndef BACKMAP_FRAME_FORMAT_H
#define BACKMAP_FRAME_FORMAT_H

namespace BACKMAP {

enum class FrameFormat { Pdb, Xyz, LammpsDump };

}    // namespace BACKMAP

#endif
