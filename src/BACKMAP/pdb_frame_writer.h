/* BACKMAP core: appends frames to a multi-model PDB file as they come (fix backmap writes one
   per call). Each MODEL is written and flushed whole, so after a crash every completed frame
   is intact and readable. */
#ifndef BACKMAP_PDB_FRAME_WRITER_H
#define BACKMAP_PDB_FRAME_WRITER_H

#include "structure.h"

#include <cstdio>
#include <string>

namespace BACKMAP {

class PdbFrameWriter {
 public:
  // Starts a new file (an existing one is replaced only when the first frame is written).
  explicit PdbFrameWriter(const std::string &path);
  ~PdbFrameWriter();
  PdbFrameWriter(const PdbFrameWriter &) = delete;
  PdbFrameWriter &operator=(const PdbFrameWriter &) = delete;

  void write(const Structure &frame);
  int frames() const { return frames_; }

  // The ATOM records of one model, in fixed PDB columns (element in 77-78).
  static std::string model_text(const Structure &frame, int model_number);

 private:
  std::string path_;
  std::FILE *file_ = nullptr;
  int frames_ = 0;
};

}    // namespace BACKMAP

#endif
