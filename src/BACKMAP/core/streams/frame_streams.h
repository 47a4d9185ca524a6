/* BACKMAP I/O: CG frames in and atomistic frames out, one at a time, whatever the file kind.
   A source yields frames (a GROMACS trajectory is streamed from disk; PDB, GRO and LAMMPS
   dumps are read whole by their readers); a sink writes each frame as it comes into a
   temporary file and moves the finished file into place at close(), so an existing file is
   never lost and an error leaves no partial file. */
#ifndef BACKMAP_IO_FRAME_STREAMS_H
#define BACKMAP_IO_FRAME_STREAMS_H

#include "structure.h"

#include <memory>
#include <string>

namespace BACKMAP {

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  virtual bool next(Structure &frame) = 0;           // false after the last frame
  virtual long frames_expected() const { return -1; }    // -1: not known in advance
  virtual long step() const = 0;                     // of the frame last returned
  virtual double time_ps() const { return 0.0; }
};

// `input`: any format the registry reads as CG frames (file_formats.h), by extension or content.
// `topology` names the particles of inputs that carry none: the data file of a LAMMPS dump, the
// CG structure (PDB/GRO) or run input (.tpr) of an XTC/TRR trajectory.
std::unique_ptr<FrameSource> open_frame_source(const std::string &input, const std::string &topology);

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void write(const Structure &frame, long step, double time_ps) = 0;
  virtual void close() = 0;    // moves the finished file(s) into place
};

// By the extension of `output` (FileError listing the formats otherwise): .pdb one MODEL per
// frame, .xyz, .dump/.lammpstrj a LAMMPS dump, .xtc/.trr a GROMACS trajectory, and its first
// frame as PDB in `structure_out` (the names of the trajectory's atoms).
std::unique_ptr<FrameSink> open_frame_sink(const std::string &output, const std::string &structure_out);

bool is_trajectory_output(const std::string &path);          // .xtc or .trr
std::string default_structure_out(const std::string &path);    // traj.xtc -> traj.pdb

}    // namespace BACKMAP

#endif
