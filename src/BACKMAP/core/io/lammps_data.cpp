#include "lammps_data.h"

#include "gz_stream.h"
#include "structure_io.h"

#include <Eigen/Dense>

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace BACKMAP {

namespace {

std::string type_name(const Residue &r, const Atom &a)
{
  return r.name + ":" + a.name;
}

// LAMMPS wants a lower-triangular cell (a along x, b in the xy plane) with an origin; for a
// non-periodic system the atoms' bounding box with a margin stands in.
struct LammpsCell {
  Vec3 lo = Vec3::Zero();
  Eigen::Matrix3d h = Eigen::Matrix3d::Identity();    // columns a, b, c
  bool triclinic = false;
};

LammpsCell cell_for(const Structure &cg)
{
  LammpsCell cell;
  if (cg.box.periodic) {
    cell.h = cg.box.vectors.transpose();
    cell.triclinic = !cg.box.is_orthorhombic();
    return cell;
  }
  Vec3 lo = Vec3::Constant(1e300), hi = Vec3::Constant(-1e300);
  for (const auto &r : cg.residues)
    for (const auto &a : r.atoms) {
      lo = lo.cwiseMin(a.position);
      hi = hi.cwiseMax(a.position);
    }
  if (cg.atom_count() == 0) lo = hi = Vec3::Zero();
  const double margin = 10.0;
  cell.lo = lo - Vec3::Constant(margin);
  cell.h = (hi - lo + Vec3::Constant(2 * margin)).asDiagonal();
  return cell;
}

std::string residue_number(const Residue &r)
{
  std::string s = std::to_string(r.number);
  if (r.insertion != ' ') s += r.insertion;
  return s;
}

}    // namespace

std::vector<std::string> bead_type_names(const Structure &cg)
{
  std::vector<std::string> names;
  std::map<std::string, int> seen;
  for (const auto &r : cg.residues)
    for (const auto &a : r.atoms)
      if (seen.emplace(type_name(r, a), static_cast<int>(names.size())).second) names.push_back(type_name(r, a));
  return names;
}

void write_lammps_data(const Structure &cg, const std::string &path, const std::vector<CgBond> &bonds)
{
  const std::vector<std::string> types = bead_type_names(cg);
  std::map<std::string, int> type_index;
  std::map<std::string, double> type_mass;
  for (std::size_t i = 0; i < types.size(); ++i) type_index[types[i]] = static_cast<int>(i) + 1;
  for (const auto &r : cg.residues)
    for (const auto &a : r.atoms) type_mass.emplace(type_name(r, a), a.mass > 0 ? a.mass : 72.0);
  const LammpsCell cell = cell_for(cg);
  const Eigen::Matrix3d inv = cell.h.inverse();

  write_atomically(path, [&](std::ostream &os) {
    char buf[256];
    os << "LAMMPS data file: CG system written by backmap"
       << (cg.title.empty() ? "" : " from " + cg.title) << "\n\n";
    os << cg.atom_count() << " atoms\n" << types.size() << " atom types\n";
    if (!bonds.empty()) os << bonds.size() << " bonds\n" << bonds.size() << " bond types\n";
    os << "\n";
    const Vec3 hi = cell.lo + Vec3(cell.h(0, 0), cell.h(1, 1), cell.h(2, 2));
    for (int k = 0; k < 3; ++k) {
      std::snprintf(buf, sizeof buf, "%.6f %.6f %clo %chi\n", cell.lo[k], hi[k], "xyz"[k], "xyz"[k]);
      os << buf;
    }
    if (cell.triclinic) {
      std::snprintf(buf, sizeof buf, "%.6f %.6f %.6f xy xz yz\n", cell.h(0, 1), cell.h(0, 2), cell.h(1, 2));
      os << buf;
    }
    os << "\nMasses\n\n";
    for (std::size_t i = 0; i < types.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%zu %.4f # %s\n", i + 1, type_mass[types[i]], types[i].c_str());
      os << buf;
    }
    os << "\nAtoms # full\n\n";
    int id = 0, molecule = 0, last_molecule = -2;
    std::string last_chain = "\x01";
    for (const auto &r : cg.residues) {
      const bool new_molecule = r.molecule >= 0 ? r.molecule != last_molecule : r.chain != last_chain;
      if (new_molecule) ++molecule;
      last_molecule = r.molecule;
      last_chain = r.chain;
      for (const auto &a : r.atoms) {
        // Wrapped position plus image flags, so that LAMMPS can unwrap molecules again.
        const Vec3 s = inv * (a.position - cell.lo);
        Eigen::Vector3i image = Eigen::Vector3i::Zero();
        if (cg.box.periodic)
          for (int k = 0; k < 3; ++k) image[k] = static_cast<int>(std::floor(s[k]));
        const Vec3 x = a.position - cell.h * image.cast<double>();
        std::snprintf(buf, sizeof buf, "%d %d %d 0.0 %.6f %.6f %.6f %d %d %d # %s %s %s %s\n", ++id, molecule,
                      type_index[type_name(r, a)], x.x(), x.y(), x.z(), image[0], image[1], image[2],
                      r.chain.empty() ? "-" : r.chain.c_str(), residue_number(r).c_str(), r.name.c_str(),
                      a.name.c_str());
        os << buf;
      }
    }
    if (bonds.empty()) return;
    os << "\nBond Coeffs # harmonic\n\n";
    for (std::size_t b = 0; b < bonds.size(); ++b) {
      std::snprintf(buf, sizeof buf, "%zu %.4f %.4f\n", b + 1, bonds[b].stiffness, bonds[b].length);
      os << buf;
    }
    os << "\nBonds\n\n";
    for (std::size_t b = 0; b < bonds.size(); ++b) {
      std::snprintf(buf, sizeof buf, "%zu %zu %d %d\n", b + 1, b + 1, bonds[b].a + 1, bonds[b].b + 1);
      os << buf;
    }
  });
}

Structure read_lammps_data(const std::string &path)
{
  std::istringstream in(read_maybe_gzipped(path));
  std::string text;
  int line = 0;
  Structure s;
  long natoms = -1;
  Vec3 lo = Vec3::Zero(), hi = Vec3::Zero();
  double xy = 0, xz = 0, yz = 0;
  std::map<int, double> masses;
  std::getline(in, text);
  ++line;
  s.title = text;
  bool in_atoms = false, in_masses = false;
  long read = 0;
  struct Row {
    long id;
    int molecule, type;
    Vec3 x;
    Eigen::Vector3i image;
    std::string chain, resnum, resname, bead;
    int line;
  };
  std::vector<Row> rows;
  while (std::getline(in, text)) {
    ++line;
    const std::string comment = text.find('#') != std::string::npos ? text.substr(text.find('#') + 1) : "";
    const std::string body = text.substr(0, text.find('#'));
    std::istringstream fields(body);
    std::vector<std::string> f;
    std::string w;
    while (fields >> w) f.push_back(w);
    if (f.empty()) continue;
    if (f.size() == 2 && f[1] == "atoms") natoms = std::stol(f[0]);
    else if (f.size() == 4 && f[2] == "xlo") { lo.x() = std::stod(f[0]); hi.x() = std::stod(f[1]); }
    else if (f.size() == 4 && f[2] == "ylo") { lo.y() = std::stod(f[0]); hi.y() = std::stod(f[1]); }
    else if (f.size() == 4 && f[2] == "zlo") { lo.z() = std::stod(f[0]); hi.z() = std::stod(f[1]); }
    else if (f.size() == 6 && f[3] == "xy") { xy = std::stod(f[0]); xz = std::stod(f[1]); yz = std::stod(f[2]); }
    else if (f[0] == "Masses") { in_masses = true; in_atoms = false; }
    else if (f[0] == "Atoms") {
      in_atoms = true;
      in_masses = false;
      if (comment.find("full") == std::string::npos && !comment.empty())
        fail_at(path, line, "only atom_style full data files are read (found '" + comment + "')");
    } else if (std::isalpha(static_cast<unsigned char>(f[0][0]))) {
      in_atoms = in_masses = false;    // Velocities, Bonds, ...
    } else if (in_masses && f.size() >= 2) {
      masses[std::stoi(f[0])] = std::stod(f[1]);
    } else if (in_atoms) {
      if (f.size() != 7 && f.size() != 10) fail_at(path, line, "an atom_style full line has 7 or 10 numbers");
      std::istringstream c(comment);
      Row row;
      if (!(c >> row.chain >> row.resnum >> row.resname >> row.bead))
        fail_at(path, line, "atom line lacks the '# CHAIN RESNUM RESNAME BEAD' comment that names its bead");
      try {
        row.id = std::stol(f[0]);
        row.molecule = std::stoi(f[1]);
        row.type = std::stoi(f[2]);
        row.x = Vec3(std::stod(f[4]), std::stod(f[5]), std::stod(f[6]));
        row.image = Eigen::Vector3i::Zero();
        if (f.size() == 10) row.image = Eigen::Vector3i(std::stoi(f[7]), std::stoi(f[8]), std::stoi(f[9]));
      } catch (const std::exception &) {
        fail_at(path, line, "cannot read the numbers of this atom line");
      }
      if (!row.x.allFinite()) fail_at(path, line, "non-finite coordinates");
      row.line = line;
      rows.push_back(row);
      ++read;
    }
  }
  if (natoms < 0) fail_at(path, line, "no 'atoms' count in the header");
  if (read != natoms)
    fail_at(path, line, "truncated: " + std::to_string(natoms) + " atoms announced, " + std::to_string(read) + " read");
  Eigen::Matrix3d h;
  h << hi.x() - lo.x(), xy, xz, 0, hi.y() - lo.y(), yz, 0, 0, hi.z() - lo.z();
  s.box.periodic = true;
  s.box.vectors = h.transpose();
  std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return a.id < b.id; });
  for (const Row &row : rows) {
    std::string chain = row.chain == "-" ? "" : row.chain;
    int number = 0;
    char icode = ' ';
    std::size_t used = 0;
    try {
      number = std::stoi(row.resnum, &used);
    } catch (const std::exception &) {
      fail_at(path, row.line, "residue number '" + row.resnum + "' is not a number");
    }
    if (used < row.resnum.size()) icode = row.resnum[used];
    if (s.residues.empty() || s.residues.back().chain != chain || s.residues.back().number != number ||
        s.residues.back().insertion != icode || s.residues.back().name != row.resname) {
      Residue r;
      r.chain = chain;
      r.number = number;
      r.insertion = icode;
      r.name = row.resname;
      r.molecule = row.molecule;
      s.residues.push_back(r);
    }
    Atom a;
    a.name = row.bead;
    a.serial = static_cast<int>(row.id);
    a.position = row.x + h * row.image.cast<double>();
    a.mass = masses.count(row.type) ? masses[row.type] : 0.0;
    s.residues.back().atoms.push_back(a);
  }
  return s;
}

}    // namespace BACKMAP
