#include "pdb_frame_writer.h"

#include "structure_io.h"

#include <cmath>

namespace BACKMAP {

PdbFrameWriter::PdbFrameWriter(const std::string &path) : path_(path) {}

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

void PdbFrameWriter::write(const Structure &frame)
{
  if (!file_) {
    file_ = std::fopen(path_.c_str(), "w");
    if (!file_) throw FileError(path_ + ": cannot open for writing");
  }
  const std::string text = model_text(frame, frames_ + 1);
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0)
    throw FileError(path_ + ": write failed (disk full?)");
  ++frames_;
}

}    // namespace BACKMAP
