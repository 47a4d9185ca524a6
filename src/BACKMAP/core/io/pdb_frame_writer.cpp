#include "pdb_frame_writer.h"

#include "structure_io.h"

#include <cmath>
#include <cstdio>
#include <unistd.h>
#include <functional>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace BACKMAP {

PdbFrameWriter::PdbFrameWriter(const std::string &path, FileFormat format) : path_(path), format_(format)
{
  if (format != FileFormat::Pdb && format != FileFormat::Xyz && format != FileFormat::LammpsDump)
    throw std::invalid_argument("PdbFrameWriter writes PDB, XYZ or LAMMPS dumps only");
}

PdbFrameWriter::~PdbFrameWriter()
{
  if (file_) std::fclose(file_);
  if (side_) {
    std::fclose(side_);
    std::remove(side_name().c_str());
  }
}

void PdbFrameWriter::continue_after(int frames_already_written)
{
  frames_ = frames_already_written;
  append_ = true;
}

std::string PdbFrameWriter::header(const Open &f, int model_number) const
{
  char line[160];
  std::string out;
  if (format_ == FileFormat::Xyz) return std::to_string(f.atoms) + "\n" + f.title + "\n";
  if (format_ == FileFormat::LammpsDump) {
    Vec3 lo = Vec3::Zero(), hi = Vec3::Zero();
    if (f.box.periodic) {
      hi = f.box.vectors.diagonal();
    } else if (f.atoms > 0) {
      lo = f.lo;
      hi = f.hi;
    }
    out = "ITEM: TIMESTEP\n" + std::to_string(f.timestep) + "\nITEM: NUMBER OF ATOMS\n" + std::to_string(f.atoms) +
        "\nITEM: BOX BOUNDS pp pp pp\n";
    for (int k = 0; k < 3; ++k) {
      std::snprintf(line, sizeof line, "%.6f %.6f\n", lo[k], hi[k]);
      out += line;
    }
    return out + "ITEM: ATOMS id element resid x y z\n";
  }
  if (!f.title.empty()) out += "REMARK   1 " + f.title.substr(0, 68) + "\n";
  if (f.box.periodic) {
    const Vec3 l = f.box.lengths();
    auto angle = [&](int i, int j) {
      return std::acos(f.box.vectors.row(i).dot(f.box.vectors.row(j)) / (l[i] * l[j])) * 180.0 / M_PI;
    };
    std::snprintf(line, sizeof line, "CRYST1%9.3f%9.3f%9.3f%7.2f%7.2f%7.2f P 1           1\n", l[0], l[1], l[2],
                  angle(1, 2), angle(0, 2), angle(0, 1));
    out += line;
  }
  std::snprintf(line, sizeof line, "MODEL     %4d\n", model_number);
  return out + line;
}

// Atom lines of `part`, numbered on from the atoms of the frame written so far.
std::string PdbFrameWriter::body(const Structure &part, Open &f) const
{
  // nothing of a frame with a coordinate the format cannot hold reaches the file
  check_coordinates(part, path_, format_ == FileFormat::Pdb, frames_ + 1);
  std::string out;
  char line[160];
  for (const Residue &r : part.residues)
    for (const Atom &a : r.atoms) {
      const long n = ++f.atoms;
      f.lo = f.lo.cwiseMin(a.position);
      f.hi = f.hi.cwiseMax(a.position);
      if (format_ == FileFormat::Xyz) {
        std::snprintf(line, sizeof line, "%-2s %12.5f %12.5f %12.5f\n", a.element.c_str(), a.position.x(),
                      a.position.y(), a.position.z());
      } else if (format_ == FileFormat::LammpsDump) {
        std::snprintf(line, sizeof line, "%ld %s %d %.5f %.5f %.5f\n", n, a.element.c_str(), r.number,
                      a.position.x(), a.position.y(), a.position.z());
      } else {
        // serial numbers restart after 99999; four-character names start in column 13
        const std::string name = a.name.size() >= 4 ? a.name.substr(0, 4) : " " + a.name;
        // four-character residue names (POPC, CHL1) fill columns 18-21, as CHARMM and GROMACS
        // write them; three-character ones leave column 21 blank, as PDB has it
        std::snprintf(line, sizeof line, "%-6s%5ld %-4s %-4.4s%c%4d%c   %8.3f%8.3f%8.3f%6.2f%6.2f          %2s\n",
                      r.hetero ? "HETATM" : "ATOM", (n - 1) % 99999 + 1, name.c_str(), r.name.c_str(),
                      r.chain.empty() ? 'A' : r.chain[0], r.number % 10000, r.insertion, a.position.x(),
                      a.position.y(), a.position.z(), 1.0, 0.0, a.element.c_str());
      }
      out += line;
    }
  return out;
}

std::string PdbFrameWriter::footer() const
{
  return format_ == FileFormat::Pdb ? "ENDMDL\n" : "";
}

std::string PdbFrameWriter::frame_text(const Structure &frame, long timestep, int model_number) const
{
  Open f;
  f.title = frame.title;
  f.box = frame.box;
  f.timestep = timestep;
  const std::string atoms = body(frame, f);
  return header(f, model_number) + atoms + footer();
}

std::string PdbFrameWriter::output_name(long timestep) const
{
  std::string name = path_;
  const auto star = name.find('*');
  if (star != std::string::npos) name.replace(star, 1, std::to_string(timestep));
  return name;
}

std::string PdbFrameWriter::side_name() const
{
  const std::filesystem::path p(output_name(open_.timestep));
  return (p.parent_path() / ("." + p.filename().string() + ".parts")).string();
}

void PdbFrameWriter::append(const std::string &text)
{
  if (!file_) {
    file_ = std::fopen(path_.c_str(), append_ ? "a" : "w");
    if (!file_) throw FileError(path_ + ": cannot open for writing");
  }
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0)
    throw FileError(path_ + ": write failed (disk full?)");
}

long PdbFrameWriter::frame_start()
{
  if (!file_) {
    file_ = std::fopen(path_.c_str(), append_ ? "a" : "w");
    if (!file_) throw FileError(path_ + ": cannot open for writing");
  }
  std::fseek(file_, 0, SEEK_END);
  return std::ftell(file_);
}

// After a failed write: the file is cut back to the end of its last whole frame, so that it
// only ever holds whole frames, and the error says so.
void PdbFrameWriter::cut_back(long size, const std::string &why)
{
  std::clearerr(file_);
  std::fflush(file_);
  const bool cut = ::ftruncate(::fileno(file_), size) == 0;
  std::fseek(file_, 0, SEEK_END);
  throw FileError(why + (cut ? "; the file was cut back to its " + std::to_string(frames_) + " whole frame(s)"
                             : "; and it could not be cut back to its whole frames"));
}

void PdbFrameWriter::write(const Structure &frame, long timestep)
{
  const std::string text = frame_text(frame, timestep, frames_ + 1);
  if (path_.find('*') != std::string::npos) {
    write_atomically(output_name(timestep), [&](std::ostream &os) { os << text; });    // whole file or none
  } else {
    const long start = frame_start();
    try {
      append(text);
    } catch (const FileError &e) {
      cut_back(start, e.what());
    }
  }
  ++frames_;
}

void PdbFrameWriter::begin_frame(const std::string &title, const Box &box, long timestep)
{
  if (side_) throw std::logic_error("PdbFrameWriter: begin_frame while a frame is open");
  open_ = Open();
  open_.title = title;
  open_.box = box;
  open_.timestep = timestep;
  side_ = std::fopen(side_name().c_str(), "w+");
  if (!side_) throw FileError(side_name() + ": cannot open for writing");
}

void PdbFrameWriter::write_part(const Structure &part)
{
  if (!side_) throw std::logic_error("PdbFrameWriter: write_part without begin_frame");
  std::string text;
  try {
    text = body(part, open_);
  } catch (...) {
    abandon_frame();
    throw;
  }
  if (std::fwrite(text.data(), 1, text.size(), side_) != text.size()) {
    abandon_frame();
    throw FileError(side_name() + ": write failed (disk full?); the frame was abandoned");
  }
}

void PdbFrameWriter::abandon_frame()
{
  if (!side_) return;
  std::fclose(side_);
  side_ = nullptr;
  std::remove(side_name().c_str());
}

void PdbFrameWriter::end_frame()
{
  if (!side_) throw std::logic_error("PdbFrameWriter: end_frame without begin_frame");
  // header (it needs the atom count and bounds), the parts, footer: copied in pieces
  auto copy_parts = [&](const std::function<void(const char *, std::size_t)> &out) {
    std::rewind(side_);
    std::vector<char> buffer(1 << 20);
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), side_)) > 0) out(buffer.data(), n);
  };
  if (path_.find('*') != std::string::npos) {
    write_atomically(output_name(open_.timestep), [&](std::ostream &os) {
      os << header(open_, frames_ + 1);
      copy_parts([&](const char *p, std::size_t n) { os.write(p, static_cast<std::streamsize>(n)); });
      os << footer();
    });
  } else {
    long start = 0;
    try {
      start = frame_start();
      append(header(open_, frames_ + 1));
      copy_parts([&](const char *p, std::size_t n) {
        if (std::fwrite(p, 1, n, file_) != n) throw FileError(path_ + ": write failed (disk full?)");
      });
      append(footer());
    } catch (const FileError &e) {
      abandon_frame();
      if (!file_) throw;
      cut_back(start, e.what());
    }
  }
  abandon_frame();    // the parts are in the file now
  ++frames_;
}

}    // namespace BACKMAP
