#include "gromacs_topology.h"

#include "file_error.h"
#include "file_formats.h"
#include "format_sniffing.h"
#include "gromacs_file_name.h"
#include "gz_stream.h"

#include <gromacs/fileio/tpxio.h>
#include <gromacs/mdtypes/inputrec.h>
#include <gromacs/topology/topology.h>

#include <Eigen/Dense>

#include <cctype>
#include <vector>

namespace BACKMAP {

Structure read_tpr_structure(const std::string &path)
{
  // libgromacs ends the process on a file that is not a run input, so its header string is
  // checked here first; then libgromacs's header, where a damaged file shows
  if (identify_input(path, FormatUse::NameParticles) != FileFormat::GromacsRunInput ||
      !looks_like_tpr(read_head_maybe_gzipped(path, 16)))
    throw FileError(path + ": not a GROMACS run input (it does not start with the .tpr header)");
  const GromacsFileName name(path, FileFormat::GromacsRunInput);
  const TpxFileHeader header = readTpxHeader(name.name().c_str(), true);
  if (header.natoms <= 0) throw FileError(path + ": a run input without atoms");
  t_inputrec ir;
  t_topology top;
  init_top(&top);
  matrix box;
  int natoms = header.natoms;
  std::vector<float> x(3 * static_cast<std::size_t>(natoms));
  read_tpx_top(name.name().c_str(), &ir, box, &natoms, reinterpret_cast<rvec *>(x.data()), nullptr, &top);
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
