#include "pdb_frame_writer.h"

#include "structure_io.h"

#include <cmath>

namespace BACKMAP {

PdbFrameWriter::PdbFrameWriter(const std::string &path, FrameFormat format) : path_(path), format_(format) {}

PdbFrameWriter::~PdbFrameWriter()
{
  if (file_) std::fclose(file_);
}

std::string PdbFrameWriter::model_text(const Structure &s, int model_number)
{
  std::string out;
  char line[128];
  if (!s.title.empty()) out += "REMARK   1 " + s.title.substr(0, 68) + "\n";
  if (s.box.periodic) {
    const Vec3 l = s.box.lengths();
    auto angle = [&](int i, int j) {
      return std::acos(s.box.vectors.row(i).dot(s.box.vectors.row(j)) / (l[i] * l[j])) * 180.0 / M_PI;
    };
    std::snprintf(line, sizeof line, "CRYST1%9.3f%9.3f%9.3f%7.2f%7.2f%7.2f P 1           1\n", l[0], l[1], l[2],
                  angle(1, 2), angle(0, 2), angle(0, 1));
    out += line;
  }
  std::snprintf(line, sizeof line, "MODEL     %4d\n", model_number);
  out += line;
  int serial = 0;
  for (const Residue &r : s.residues) {
    for (const Atom &a : r.atoms) {
      serial = serial % 99999 + 1;
      // four-character names start in column 13, shorter ones in column 14
      const std::string name = a.name.size() >= 4 ? a.name.substr(0, 4) : " " + a.name;
      std::snprintf(line, sizeof line, "%-6s%5d %-4s %3.3s %c%4d%c   %8.3f%8.3f%8.3f%6.2f%6.2f          %2s\n",
                    r.hetero ? "HETATM" : "ATOM", serial, name.c_str(), r.name.c_str(),
                    r.chain.empty() ? 'A' : r.chain[0], r.number % 10000, r.insertion, a.position.x(),
                    a.position.y(), a.position.z(), 1.0, 0.0, a.element.c_str());
      out += line;
    }
  }
  out += "ENDMDL\n";
  return out;
}

void PdbFrameWriter::continue_after(int frames_already_written)
{
  frames_ = frames_already_written;
  append_ = true;
}

std::string PdbFrameWriter::xyz_text(const Structure &s)
{
  std::string out = std::to_string(s.atom_count()) + "\n" + s.title + "\n";
  char line[128];
  for (const Residue &r : s.residues)
    for (const Atom &a : r.atoms) {
      std::snprintf(line, sizeof line, "%-2s %12.5f %12.5f %12.5f\n", a.element.c_str(), a.position.x(),
                    a.position.y(), a.position.z());
      out += line;
    }
  return out;
}

std::string PdbFrameWriter::dump_text(const Structure &s, long timestep)
{
  Vec3 lo = Vec3::Zero(), hi = Vec3::Zero();
  if (s.box.periodic) {
    hi = s.box.vectors.diagonal();
  } else if (s.atom_count() > 0) {
    lo = Vec3::Constant(1e300);
    hi = Vec3::Constant(-1e300);
    for (const Residue &r : s.residues)
      for (const Atom &a : r.atoms) {
        lo = lo.cwiseMin(a.position);
        hi = hi.cwiseMax(a.position);
      }
  }
  char line[160];
  std::string out = "ITEM: TIMESTEP\n" + std::to_string(timestep) + "\nITEM: NUMBER OF ATOMS\n" +
      std::to_string(s.atom_count()) + "\nITEM: BOX BOUNDS pp pp pp\n";
  for (int k = 0; k < 3; ++k) {
    std::snprintf(line, sizeof line, "%.6f %.6f\n", lo[k], hi[k]);
    out += line;
  }
  out += "ITEM: ATOMS id element resid x y z\n";
  long id = 0;
  for (const Residue &r : s.residues)
    for (const Atom &a : r.atoms) {
      std::snprintf(line, sizeof line, "%ld %s %d %.5f %.5f %.5f\n", ++id, a.element.c_str(), r.number,
                    a.position.x(), a.position.y(), a.position.z());
      out += line;
    }
  return out;
}

void PdbFrameWriter::write(const Structure &frame, long timestep)
{
  std::string text;
  switch (format_) {
    case FrameFormat::Pdb: text = model_text(frame, frames_ + 1); break;
    case FrameFormat::Xyz: text = xyz_text(frame); break;
    case FrameFormat::LammpsDump: text = dump_text(frame, timestep); break;
  }
  const auto star = path_.find('*');
  if (star != std::string::npos) {
    // one complete file per frame, moved into place only when written
    std::string name = path_;
    name.replace(star, 1, std::to_string(timestep));
    write_atomically(name, [&](std::ostream &os) { os << text; });
    ++frames_;
    return;
  }
  if (!file_) {
    file_ = std::fopen(path_.c_str(), append_ ? "a" : "w");
    if (!file_) throw FileError(path_ + ": cannot open for writing");
  }
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0)
    throw FileError(path_ + ": write failed (disk full?)");
  ++frames_;
}

}    // namespace BACKMAP
