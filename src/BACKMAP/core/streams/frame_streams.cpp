#include "frame_streams.h"

#include "file_formats.h"
#include "gromacs_topology.h"
#include "gromacs_trajectory.h"
#include "pdb_frame_writer.h"
#include "structure_io.h"
#include "trajectory.h"

#include <cstdio>
#include <filesystem>
#include <vector>

namespace BACKMAP {

namespace {

class GromacsSource : public FrameSource {
 public:
  GromacsSource(const std::string &path, const std::string &topology)
      : topology_(identify_input(topology, FormatUse::NameParticles) == FileFormat::GromacsRunInput
                      ? read_tpr_structure(topology)
                      : read_structure(topology)),
        reader_(path, topology_)
  {
    // a first pass that only counts (decoding is cheap next to backmapping) gives the
    // progress bar its end, and finds a damaged frame before anything is written
    GromacsTrajectoryReader counter(path, topology_);
    Structure scratch;
    while (counter.next(scratch)) ++expected_;
  }
  bool next(Structure &frame) override { return reader_.next(frame); }
  long frames_expected() const override { return expected_; }
  long step() const override { return reader_.step(); }
  double time_ps() const override { return reader_.time_ps(); }

 private:
  Structure topology_;
  GromacsTrajectoryReader reader_;
  long expected_ = 0;
};

class ReadWholeSource : public FrameSource {
 public:
  ReadWholeSource(const std::string &path, const std::string &topology) : frames_(read_cg_frames(path, topology)) {}
  bool next(Structure &frame) override
  {
    if (next_ >= frames_.size()) return false;
    frame = std::move(frames_[next_++]);
    return true;
  }
  long frames_expected() const override { return static_cast<long>(frames_.size()); }
  long step() const override { return static_cast<long>(next_) - 1; }

 private:
  std::vector<Structure> frames_;
  std::size_t next_ = 0;
};

// `path` with its file name hidden and marked unfinished; the extension kept last.
std::string temporary_beside(const std::string &path)
{
  const std::filesystem::path p(path);
  return (p.parent_path() / ("." + p.stem().string() + ".partial" + p.extension().string())).string();
}

// PDB, XYZ or a LAMMPS dump, appended by the io layer's frame writer.
class FrameFileSink : public FrameSink {
 public:
  FrameFileSink(const std::string &path, FileFormat format) : path_(path), temporary_(temporary_beside(path))
  {
    writer_ = std::make_unique<PdbFrameWriter>(temporary_, format);
  }
  ~FrameFileSink() override
  {
    writer_.reset();
    if (!closed_) std::remove(temporary_.c_str());
  }
  void write(const Structure &frame, long step, double) override { writer_->write(frame, step); }
  void close() override
  {
    writer_.reset();
    std::error_code ec;
    std::filesystem::rename(temporary_, path_, ec);
    if (ec) throw FileError(path_ + ": cannot move the finished file into place (" + ec.message() + ")");
    closed_ = true;
  }

 private:
  std::string path_, temporary_;
  std::unique_ptr<PdbFrameWriter> writer_;
  bool closed_ = false;
};

class TrajectorySink : public FrameSink {
 public:
  TrajectorySink(const std::string &path, const std::string &structure_out)
      : writer_(path), structure_out_(structure_out)
  {
  }
  void write(const Structure &frame, long step, double time_ps) override
  {
    if (writer_.frames() == 0) first_ = frame;
    writer_.write(frame, step, time_ps);
  }
  void close() override
  {
    writer_.close();
    if (!structure_out_.empty()) write_structure(first_, structure_out_);
  }

 private:
  GromacsTrajectoryWriter writer_;
  std::string structure_out_;
  Structure first_;
};

}    // namespace

std::unique_ptr<FrameSource> open_frame_source(const std::string &input, const std::string &topology)
{
  const FileFormat format = identify_input(input, FormatUse::ReadFrames);
  if (format == FileFormat::Xtc || format == FileFormat::Trr) {
    if (topology.empty())
      throw FileError(input + ": a GROMACS trajectory names no residues or beads; give --topology with the CG "
                              "structure (PDB or GRO) or the run input (.tpr) it belongs to");
    return std::make_unique<GromacsSource>(input, topology);
  }
  return std::make_unique<ReadWholeSource>(input, topology);
}

std::unique_ptr<FrameSink> open_frame_sink(const std::string &output, const std::string &structure_out)
{
  const FileFormat format = identify_output(output, FormatUse::WriteFrames);
  if (format == FileFormat::Xtc || format == FileFormat::Trr) return std::make_unique<TrajectorySink>(output, structure_out);
  return std::make_unique<FrameFileSink>(output, format);
}

bool is_trajectory_output(const std::string &path)
{
  const FileFormat format = format_by_extension(path);
  return (format == FileFormat::Xtc || format == FileFormat::Trr) && !has_gz_suffix(path);
}

std::string default_structure_out(const std::string &path)
{
  return std::filesystem::path(path).replace_extension(".pdb").string();
}

}    // namespace BACKMAP
