/* BACKMAP core: appends atomistic frames to a file as they come (fix backmap writes one per
   call): multi-model PDB, XYZ or a LAMMPS dump (id element x y z). Each frame is written and
   flushed whole, so after a crash every completed frame is intact and readable. A '*' in the
   file name writes one file per frame instead, the timestep replacing the '*'. */
#ifndef BACKMAP_PDB_FRAME_WRITER_H
#define BACKMAP_PDB_FRAME_WRITER_H

#include "frame_format.h"
#include "structure.h"

#include <cstdio>
#include <string>

namespace BACKMAP {

class PdbFrameWriter {
 public:
  // Starts a new file (an existing one is replaced only when the first frame is written).
  explicit PdbFrameWriter(const std::string &path, FrameFormat format = FrameFormat::Pdb);
  // Continue an existing file (after a restart): frames are appended and numbered on.
  void continue_after(int frames_already_written);
  ~PdbFrameWriter();
  PdbFrameWriter(const PdbFrameWriter &) = delete;
  PdbFrameWriter &operator=(const PdbFrameWriter &) = delete;

  void write(const Structure &frame, long timestep = 0);
  int frames() const { return frames_; }

  // The ATOM records of one model, in fixed PDB columns (element in 77-78).
  static std::string model_text(const Structure &frame, int model_number);
  static std::string xyz_text(const Structure &frame);
  static std::string dump_text(const Structure &frame, long timestep);

 private:
  std::string path_;
  FrameFormat format_;
  std::FILE *file_ = nullptr;
  int frames_ = 0;
  bool append_ = false;
};

}    // namespace BACKMAP

#endif
