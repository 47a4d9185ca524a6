/* BACKMAP I/O: a block of frames of a trajectory ("451-501": frames counted from 1, both ends
   included), and a source that yields only that block, so that a training split, a test set
   or a look at part of a run all name frames the same way. */
#ifndef BACKMAP_IO_FRAME_RANGE_H
#define BACKMAP_IO_FRAME_RANGE_H

#include "frame_streams.h"

#include <memory>
#include <string>

namespace BACKMAP {

struct FrameRange {
  long first = 1;    // counted from 1
  long last = 0;     // included; 0: to the end of the trajectory
  bool contains(long frame) const { return frame >= first && (last == 0 || frame <= last); }
  bool overlaps(const FrameRange &other) const;
  std::string text() const;    // "451-501", "451-" (to the end)
};

// "451-501", "451-" (to the end) or "7" (one frame); throws std::invalid_argument saying what
// a range looks like.
FrameRange parse_frame_range(const std::string &text);

// The frames of `range` from `source` (the input `path` names it in messages). Reaching the
// end of the trajectory before the range's last frame is a FileError that gives the
// trajectory's length: a range that runs past the end is a mistake, not a shorter block.
std::unique_ptr<FrameSource> select_frames(std::unique_ptr<FrameSource> source, FrameRange range,
                                           const std::string &path);

}    // namespace BACKMAP

#endif
