#include "gromacs_trajectory.h"

#include "file_formats.h"
#include "gromacs_file_name.h"
#include "structure_io.h"

#include <Eigen/Dense>

#include <gromacs/fileio/oenv.h>
#include <gromacs/fileio/trxio.h>
#include <gromacs/trajectory/trajectoryframe.h>

#include <cstdio>
#include <filesystem>
#include <vector>

namespace BACKMAP {

namespace {

// GROMACS writes nm, we work in Angstrom.
constexpr double angstrom_per_nm = 10.0;

// libgromacs stops the process on a file that does not start like its format (its fatal
// errors cannot be caught, and do not name the file), so the magic number that XTC (1995) and
// TRR (1993) frames start with, a big-endian int, is checked here first.
void check_magic_number(const std::string &path, FileFormat format)
{
  unsigned char bytes[4] = {0, 0, 0, 0};
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) throw FileError(path + ": cannot open");
  const std::size_t n = std::fread(bytes, 1, 4, f);
  std::fclose(f);
  if (n < 4) throw FileError(path + ": empty or shorter than one frame header");
  const long magic = (long(bytes[0]) << 24) | (long(bytes[1]) << 16) | (long(bytes[2]) << 8) | long(bytes[3]);
  const long expected = format == FileFormat::Xtc ? 1995 : 1993;
  if (magic != expected)
    throw FileError(path + ": not " + (expected == 1995 ? std::string("an XTC") : std::string("a TRR")) +
                    " file (it starts with " + std::to_string(magic) + ", not the format's magic number " +
                    std::to_string(expected) + ")");
}

bool is_gromacs_trajectory(FileFormat format) { return format == FileFormat::Xtc || format == FileFormat::Trr; }

}    // namespace

struct GromacsTrajectoryReader::State {
  std::unique_ptr<GromacsFileName> name;    // what libgromacs opens
  gmx_output_env_t *oenv = nullptr;
  t_trxstatus *status = nullptr;
  t_trxframe frame{};
};

GromacsTrajectoryReader::GromacsTrajectoryReader(const std::string &path, const Structure &topology)
    : state_(std::make_unique<State>()), topology_(topology), path_(path)
{
  // libgromacs reads XTC and TRR; its own errors on a file it cannot read are fatal to the
  // process, so the file is checked to be one of those first
  const FileFormat format = identify_input(path, FormatUse::ReadFrames);
  if (!is_gromacs_trajectory(format)) throw FileError(path + ": not an XTC or TRR trajectory");
  check_magic_number(path, format);
  state_->name = std::make_unique<GromacsFileName>(path, format);
  output_env_init_default(&state_->oenv);
  clear_trxframe(&state_->frame, true);
  if (!read_first_frame(state_->oenv, &state_->status, state_->name->name().c_str(), &state_->frame, TRX_NEED_X))
    throw FileError(path + ": no frame with coordinates could be read");
  if (static_cast<std::size_t>(state_->frame.natoms) != topology.atom_count())
    throw FileError(path + ": frames hold " + std::to_string(state_->frame.natoms) + " particles, the topology " +
                    std::to_string(topology.atom_count()) + " (give the topology of this trajectory)");
  pending_ = true;
}

GromacsTrajectoryReader::~GromacsTrajectoryReader()
{
  if (state_->status) close_trx(state_->status);
  if (state_->oenv) output_env_done(state_->oenv);
}

bool GromacsTrajectoryReader::next(Structure &frame)
{
  if (!pending_) {
    if (!read_next_frame(state_->oenv, state_->status, &state_->frame)) {
      // libgromacs ends the reading at a frame it cannot decode too, and says so only on
      // stderr: such a frame is flagged not_ok
      if (state_->frame.not_ok)
        throw FileError(path_ + ": frame " + std::to_string(frames_ + 1) +
                        " is incomplete or corrupt (the file was cut short?); the " + std::to_string(frames_) +
                        " frame(s) before it are whole");
      return false;
    }
    if (static_cast<std::size_t>(state_->frame.natoms) != topology_.atom_count())
      throw FileError(path_ + ": frame " + std::to_string(frames_ + 1) + " holds " +
                      std::to_string(state_->frame.natoms) + " particles, the first " +
                      std::to_string(topology_.atom_count()));
  }
  pending_ = false;
  const t_trxframe &f = state_->frame;
  frame = topology_;
  std::size_t i = 0;
  for (Residue &r : frame.residues)
    for (Atom &a : r.atoms) {
      a.position = Vec3(f.x[i][0], f.x[i][1], f.x[i][2]) * angstrom_per_nm;
      if (!a.position.allFinite())
        throw FileError(path_ + ": frame " + std::to_string(frames_ + 1) + ": atom " + a.name + " of residue " +
                        r.label() + " has non-finite coordinates");
      ++i;
    }
  if (f.bBox) {
    Eigen::Matrix3d box;
    for (int row = 0; row < 3; ++row)
      for (int col = 0; col < 3; ++col) box(row, col) = f.box[row][col] * angstrom_per_nm;
    // as for PDB's CRYST1: an edge under 2 A (1 A placeholders of files without a box) is no box
    frame.box.periodic = box.determinant() > 0 && box.rowwise().norm().minCoeff() >= 2.0;
    frame.box.vectors = box;
  }
  time_ = f.bTime ? f.time : 0.0;
  step_ = f.bStep ? static_cast<long>(f.step) : frames_;
  frame.title = "frame " + std::to_string(frames_ + 1) + ", t = " + std::to_string(time_) + " ps";
  ++frames_;
  return true;
}

struct GromacsTrajectoryWriter::State {
  t_trxstatus *status = nullptr;
  std::vector<float> x;    // rvec is real, float in the mixed-precision library
};

GromacsTrajectoryWriter::GromacsTrajectoryWriter(const std::string &path)
    : state_(std::make_unique<State>()), path_(path)
{
  if (!is_gromacs_trajectory(format_by_extension(path)) || has_gz_suffix(path))
    throw FileError(path + ": not an XTC or TRR file name");
  const std::filesystem::path target(path);
  // the extension stays last: libgromacs picks the format by it
  temporary_ = (target.parent_path() / ("." + target.stem().string() + ".partial" + target.extension().string()))
                   .string();
  FILE *probe = std::fopen(temporary_.c_str(), "w");
  if (!probe) throw FileError(path + ": cannot open for writing");
  std::fclose(probe);
  state_->status = open_trx(temporary_.c_str(), "w");
}

GromacsTrajectoryWriter::~GromacsTrajectoryWriter()
{
  if (state_->status) {
    close_trx(state_->status);
    std::remove(temporary_.c_str());    // not closed: an error came first
  }
}

void GromacsTrajectoryWriter::write(const Structure &frame, long step, double time_ps)
{
  const std::size_t n = frame.atom_count();
  if (frames_ == 0) atoms_ = n;
  if (n != atoms_)
    throw FileError(path_ + ": frame " + std::to_string(frames_ + 1) + " has " + std::to_string(n) +
                    " atoms, the first " + std::to_string(atoms_) + " (a trajectory keeps its atoms)");
  check_coordinates(frame, path_, false, static_cast<int>(frames_ + 1));
  state_->x.resize(3 * n);
  std::size_t i = 0;
  for (const Residue &r : frame.residues)
    for (const Atom &a : r.atoms) {
      for (int k = 0; k < 3; ++k) state_->x[3 * i + k] = static_cast<float>(a.position[k] / angstrom_per_nm);
      ++i;
    }
  t_trxframe f;
  clear_trxframe(&f, true);
  f.natoms = static_cast<int>(n);
  f.bX = true;
  f.x = reinterpret_cast<rvec *>(state_->x.data());
  f.bStep = true;
  f.step = step;
  f.bTime = true;
  f.time = static_cast<real>(time_ps);
  f.bPrec = true;
  f.prec = 1000;    // XTC: 0.001 nm, 0.01 A
  if (frame.box.periodic) {
    f.bBox = true;
    for (int row = 0; row < 3; ++row)
      for (int col = 0; col < 3; ++col) f.box[row][col] = static_cast<real>(frame.box.vectors(row, col) / angstrom_per_nm);
  }
  if (write_trxframe(state_->status, &f, nullptr) != 0)
    throw FileError(path_ + ": writing frame " + std::to_string(frames_ + 1) + " failed (disk full?)");
  ++frames_;
}

void GromacsTrajectoryWriter::close()
{
  if (!state_->status) return;
  close_trx(state_->status);
  state_->status = nullptr;
  std::error_code ec;
  std::filesystem::rename(temporary_, path_, ec);
  if (ec) {
    std::remove(temporary_.c_str());
    throw FileError(path_ + ": cannot move the finished trajectory into place (" + ec.message() + ")");
  }
}

}    // namespace BACKMAP
