/* BACKMAP core: appends atomistic frames to a file as they come (fix backmap writes one per
   call): multi-model PDB, XYZ or a LAMMPS dump (id element resid x y z). Each frame is
   written and flushed whole, so after a crash every completed frame is intact and readable.
   A '*' in the file name writes one file per frame instead, the timestep replacing the '*'.

   A frame can also come in parts (fix backmap with `chunk`, so that no process holds a whole
   large frame): begin_frame, write_part for each run of residues, end_frame. The parts go to
   a side file beside the output and the frame is appended whole at end_frame. */
#ifndef BACKMAP_PDB_FRAME_WRITER_H
#define BACKMAP_PDB_FRAME_WRITER_H

#include "file_format.h"
#include "structure.h"

#include <cstdio>
#include <string>

namespace BACKMAP {

class PdbFrameWriter {
 public:
  // Starts a new file (an existing one is replaced only when the first frame is written);
  // `format`: PDB, XYZ or LAMMPS dump (frame_writer_format chooses it from a file name).
  explicit PdbFrameWriter(const std::string &path, FileFormat format = FileFormat::Pdb);
  // Continue an existing file (after a restart): frames are appended and numbered on.
  void continue_after(int frames_already_written);
  ~PdbFrameWriter();
  PdbFrameWriter(const PdbFrameWriter &) = delete;
  PdbFrameWriter &operator=(const PdbFrameWriter &) = delete;

  // A whole frame (its title and box go to the frame's header).
  void write(const Structure &frame, long timestep = 0);
  // A frame in parts: `title` and `box` as a whole frame's; the parts' residues in order.
  void begin_frame(const std::string &title, const Box &box, long timestep);
  void write_part(const Structure &part);
  void end_frame();

  int frames() const { return frames_; }
  // The text a whole frame is written as (model_number: PDB only; timestep: dump only).
  std::string frame_text(const Structure &frame, long timestep, int model_number) const;

 private:
  struct Open {    // the frame being written: counts that its header needs
    std::string title;
    Box box;
    long timestep = 0, atoms = 0;
    Vec3 lo = Vec3::Constant(1e300), hi = Vec3::Constant(-1e300);
  };
  std::string header(const Open &f, int model_number) const;    // model number: PDB only
  std::string body(const Structure &part, Open &f) const;
  std::string footer() const;
  std::string output_name(long timestep) const;
  std::string side_name() const;
  void append(const std::string &text);
  long frame_start();    // opens the file if needed; its size before the next frame
  [[noreturn]] void cut_back(long size, const std::string &why);
  void abandon_frame();  // closes and removes the side file of an open frame

  std::string path_;
  FileFormat format_;
  std::FILE *file_ = nullptr;
  std::FILE *side_ = nullptr;    // parts of the open frame
  Open open_;
  int frames_ = 0;
  bool append_ = false;
};

}    // namespace BACKMAP

#endif
