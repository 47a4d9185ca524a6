#include "gromacs_topology.h"

#include "file_error.h"

#include <gromacs/fileio/tpxio.h>
#include <gromacs/mdtypes/inputrec.h>
#include <gromacs/topology/topology.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

namespace BACKMAP {

bool is_gromacs_run_input(const std::string &path)
{
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".tpr";
}

Structure read_tpr_structure(const std::string &path)
{
  if (!std::filesystem::exists(path)) throw FileError(path + ": no such file");
  // libgromacs ends the process on a file that is not a run input; its header is read first,
  // which is where a wrong or damaged file shows
  const TpxFileHeader header = readTpxHeader(path.c_str(), true);
  if (header.natoms <= 0) throw FileError(path + ": a run input without atoms");
  t_inputrec ir;
  t_topology top;
  init_top(&top);
  matrix box;
  int natoms = header.natoms;
  std::vector<float> x(3 * static_cast<std::size_t>(natoms));
  read_tpx_top(path.c_str(), &ir, box, &natoms, reinterpret_cast<rvec *>(x.data()), nullptr, &top);
  Structure s;
  s.title = *top.name ? *top.name : path;
  const t_atoms &atoms = top.atoms;
  int last_residue = -1;
  for (int i = 0; i < atoms.nr; ++i) {
    const int ri = atoms.atom[i].resind;
    if (ri != last_residue) {
      const t_resinfo &info = atoms.resinfo[ri];
      Residue r;
      r.name = *info.name;
      r.number = info.nr;
      r.insertion = info.ic && std::isalnum(info.ic) ? static_cast<char>(info.ic) : ' ';
      if (std::isalnum(static_cast<unsigned char>(info.chainid))) r.chain = std::string(1, info.chainid);
      s.residues.push_back(r);
      last_residue = ri;
    }
    Atom a;
    a.name = *atoms.atomname[i];
    a.serial = i + 1;
    a.mass = atoms.atom[i].m;
    a.position = Vec3(x[3 * i], x[3 * i + 1], x[3 * i + 2]) * 10.0;    // nm -> Angstrom
    s.residues.back().atoms.push_back(a);
  }
  Eigen::Matrix3d b;
  for (int row = 0; row < 3; ++row)
    for (int col = 0; col < 3; ++col) b(row, col) = box[row][col] * 10.0;
  s.box.periodic = b.determinant() > 0 && b.rowwise().norm().minCoeff() >= 2.0;
  s.box.vectors = b;
  done_top(&top);
  return s;
}

}    // namespace BACKMAP
