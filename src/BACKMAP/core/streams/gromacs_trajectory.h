/* BACKMAP I/O: GROMACS trajectories (XTC, TRR), read and written frame by frame through
   Debian's libgromacs (its public gromacs/fileio/trxio.h), so that memory holds one frame
   whatever the trajectory's length. A frame carries only coordinates and a box: the names of
   residues and beads (or atoms) come from a topology structure (PDB or GRO) with the same
   particles in the same order. Not part of the LAMMPS package: the `backmap` tool, the tests
   and the benchmarks link it. */
#ifndef BACKMAP_IO_GROMACS_TRAJECTORY_H
#define BACKMAP_IO_GROMACS_TRAJECTORY_H

#include "structure.h"

#include <memory>
#include <string>

namespace BACKMAP {

class GromacsTrajectoryReader {
 public:
  // Opens `path` (an XTC or TRR by the format registry: its extension, else its content) and
  // reads its first frame; throws FileError when the file is not a trajectory, or when its
  // atom count is not the topology's.
  GromacsTrajectoryReader(const std::string &path, const Structure &topology);
  ~GromacsTrajectoryReader();
  GromacsTrajectoryReader(const GromacsTrajectoryReader &) = delete;
  GromacsTrajectoryReader &operator=(const GromacsTrajectoryReader &) = delete;

  // The next frame (the topology with this frame's positions, in Angstrom, and box); false
  // after the last. A frame cut short (a crashed writer) is an error naming its number.
  bool next(Structure &frame);
  long frames_read() const { return frames_; }
  double time_ps() const { return time_; }    // of the frame last returned
  long step() const { return step_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  Structure topology_;
  std::string path_;
  long frames_ = 0;
  double time_ = 0;
  long step_ = 0;
  bool pending_ = false;    // the first frame is read by the constructor
};

class GromacsTrajectoryWriter {
 public:
  // `path` ends in .xtc or .trr. Frames go to a temporary file beside it, renamed into place by close(): an existing
  // file is never lost, and after an error no partial file is left.
  explicit GromacsTrajectoryWriter(const std::string &path);
  ~GromacsTrajectoryWriter();
  GromacsTrajectoryWriter(const GromacsTrajectoryWriter &) = delete;
  GromacsTrajectoryWriter &operator=(const GromacsTrajectoryWriter &) = delete;

  // Every frame must have the first frame's atom count; positions in Angstrom.
  void write(const Structure &frame, long step, double time_ps);
  void close();
  long frames() const { return frames_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::string path_, temporary_;
  long frames_ = 0;
  std::size_t atoms_ = 0;
};

}    // namespace BACKMAP

#endif
