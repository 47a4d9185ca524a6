/* GROMACS .gro files (fixed columns, nm). No Debian C++ library reads them, so they are ours. */
#include "elements.h"
#include "structure_io.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <istream>
#include <sstream>

#include "gz_stream.h"

namespace BACKMAP {

namespace {

std::string trim(const std::string &s)
{
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

double parse_number(const std::string &field, const std::string &file, int line, const char *what)
{
  const std::string t = trim(field);
  char *end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0') fail_at(file, line, std::string("cannot read the ") + what + " '" + t + "'");
  if (!std::isfinite(v)) fail_at(file, line, std::string("the ") + what + " is not finite ('" + t + "')");
  return v;
}

// GROMACS writes %8.3f by default but allows more digits; the field width is the distance
// between the first two decimal points.
int coordinate_width(const std::string &line)
{
  const auto first = line.find('.', 20);
  if (first == std::string::npos) return 8;
  const auto second = line.find('.', first + 1);
  if (second == std::string::npos) return 8;
  return static_cast<int>(second - first);
}

Box parse_box(const std::string &text, const std::string &file, int line)
{
  std::istringstream in(text);
  std::vector<double> v;
  std::string token;
  while (in >> token) v.push_back(parse_number(token, file, line, "box value"));
  if (v.size() != 3 && v.size() != 9) fail_at(file, line, "the box line must hold 3 or 9 numbers");
  Box box;
  for (double &x : v) x *= 10.0;
  box.vectors.row(0) = Vec3(v[0], v.size() == 9 ? v[3] : 0, v.size() == 9 ? v[4] : 0);
  box.vectors.row(1) = Vec3(v.size() == 9 ? v[5] : 0, v[1], v.size() == 9 ? v[6] : 0);
  box.vectors.row(2) = Vec3(v.size() == 9 ? v[7] : 0, v.size() == 9 ? v[8] : 0, v[2]);
  box.periodic = v[0] > 0 && v[1] > 0 && v[2] > 0;
  return box;
}

}    // namespace

Structure parse_gro(std::istream &in, const std::string &file, int &line)
{
  Structure s;
  std::string text;
  if (!std::getline(in, text)) fail_at(file, line + 1, "expected a title line");
  ++line;
  s.title = trim(text);
  if (!std::getline(in, text)) fail_at(file, line + 1, "truncated: expected the number of atoms");
  ++line;
  const double count = parse_number(text, file, line, "number of atoms");
  if (count < 0 || count != std::floor(count)) fail_at(file, line, "the number of atoms must be a whole number");
  const long n = static_cast<long>(count);
  int width = 8;
  int last_number = -1;
  std::string last_name;
  for (long i = 0; i < n; ++i) {
    if (!std::getline(in, text))
      fail_at(file, line + 1, "truncated: " + std::to_string(n) + " atoms announced, " + std::to_string(i) + " found");
    ++line;
    if (i == 0) width = coordinate_width(text);
    if (static_cast<int>(text.size()) < 20 + 3 * width)
      fail_at(file, line, "atom line too short for a .gro file");
    const int number = static_cast<int>(parse_number(text.substr(0, 5), file, line, "residue number"));
    const std::string resname = trim(text.substr(5, 5));
    Atom atom;
    atom.name = trim(text.substr(10, 5));
    atom.serial = static_cast<int>(i + 1);
    for (int k = 0; k < 3; ++k)
      atom.position[k] = 10.0 * parse_number(text.substr(20 + k * width, width), file, line, "coordinate");
    atom.element = guess_element(atom.name, resname);
    if (s.residues.empty() || number != last_number || resname != last_name) {
      Residue r;
      r.name = resname;
      r.number = number;
      s.residues.push_back(std::move(r));
      last_number = number;
      last_name = resname;
    }
    s.residues.back().atoms.push_back(std::move(atom));
  }
  if (!std::getline(in, text)) fail_at(file, line + 1, "truncated: the box line is missing");
  ++line;
  s.box = parse_box(text, file, line);
  return s;
}

std::vector<Structure> read_gro(const std::string &path)
{
  std::unique_ptr<std::istream> in = open_maybe_gzipped(path);
  std::vector<Structure> frames;
  int line = 0;
  while (in->peek() != std::char_traits<char>::eof()) {
    frames.push_back(parse_gro(*in, path, line));
    // tolerate trailing blank lines
    while (in->peek() == '\n' || in->peek() == '\r') in->get();
  }
  if (frames.empty()) throw FileError(path + ": empty file");
  return frames;
}

namespace {

void write_gro_frame(const Structure &s, std::ostream &os)
{
  char buf[128];
  os << (s.title.empty() ? "written by backmap" : s.title) << '\n' << s.atom_count() << '\n';
  int serial = 0;
  for (const Residue &r : s.residues) {
    for (const Atom &a : r.atoms) {
      ++serial;
      std::snprintf(buf, sizeof buf, "%5d%-5.5s%5.5s%5d%8.3f%8.3f%8.3f\n", r.number % 100000,
                    r.name.c_str(), a.name.c_str(), serial % 100000, a.position.x() / 10.0,
                    a.position.y() / 10.0, a.position.z() / 10.0);
      os << buf;
    }
  }
  const Eigen::Matrix3d &v = s.box.vectors;
  if (s.box.is_orthorhombic()) {
    std::snprintf(buf, sizeof buf, "%10.5f%10.5f%10.5f\n", v(0, 0) / 10, v(1, 1) / 10, v(2, 2) / 10);
  } else {
    std::snprintf(buf, sizeof buf, "%10.5f%10.5f%10.5f%10.5f%10.5f%10.5f%10.5f%10.5f%10.5f\n",
                  v(0, 0) / 10, v(1, 1) / 10, v(2, 2) / 10, v(0, 1) / 10, v(0, 2) / 10, v(1, 0) / 10,
                  v(1, 2) / 10, v(2, 0) / 10, v(2, 1) / 10);
  }
  os << buf;
}

}    // namespace

void write_gro(const Structure &s, const std::string &path)
{
  write_gro(std::vector<Structure>{s}, path);
}

// GRO holds a trajectory as frames one after another, each with its title and box line.
void write_gro(const std::vector<Structure> &frames, const std::string &path)
{
  for (std::size_t i = 0; i < frames.size(); ++i) check_coordinates(frames[i], path, false, static_cast<int>(i) + 1);
  write_atomically(path, [&](std::ostream &os) {
    for (const Structure &s : frames) write_gro_frame(s, os);
  });
}

}    // namespace BACKMAP
