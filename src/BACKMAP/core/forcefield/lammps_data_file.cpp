/* BACKMAP core, forcefield layer: the LAMMPS data file (see lammps_data_file.h). */
#include "lammps_data_file.h"

#include "file_error.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace BACKMAP::lammps_writer {

DataSections data_sections(const Topology &topology, const SystemModel &system, const std::vector<Vec3> &positions,
                           const ReactionField &rf, bool hybrid_angles, bool hybrid_dihedrals, Numbered &types)
{
  std::ostringstream atoms, bonds, angles, dihedrals, impropers, cmaps;
  double self_energy = 0.0;
  long atom_id = 0, bond_id = 0, angle_id = 0, dihedral_id = 0, improper_id = 0, cmap_id = 0;
  int molecule_id = 0;
  const auto terms = [](std::ostringstream &out, long &id, TypeTable &table, const std::vector<Draft> &drafts,
                        long offset, bool hybrid) {
    for (const Draft &d : drafts) {
      out << ++id << " " << type_of(table, d, hybrid);
      for (int a : d.atoms) out << " " << offset + a + 1;
      out << "\n";
    }
  };
  for (const MoleculeCount &count : topology.molecules) {
    const auto model = std::find_if(system.molecules.begin(), system.molecules.end(),
                                    [&](const MoleculeModel &m) { return m.type->name == count.name; });
    for (int copy = 0; copy < count.count; ++copy) {
      ++molecule_id;
      const long offset = atom_id;
      const MoleculeType &m = *model->type;
      for (std::size_t a = 0; a < m.atoms.size(); ++a) {
        const TopologyAtom &atom = m.atoms[a];
        const Vec3 &x = positions[static_cast<std::size_t>(atom_id)];
        if (rf.on) self_energy -= rf.coulomb * rf.c_rf * atom.charge * atom.charge / 2;
        atoms << ++atom_id << " " << molecule_id << " " << model->atom_types[a] << " " << number(atom.charge) << " "
              << fixed(x.x(), 6) << " " << fixed(x.y(), 6) << " " << fixed(x.z(), 6) << "    # " << atom.residue
              << atom.resnr << " " << atom.atom << "\n";
      }
      terms(bonds, bond_id, types.bonds, model->bonds, offset, false);
      terms(angles, angle_id, types.angles, model->angles, offset, hybrid_angles);
      terms(dihedrals, dihedral_id, types.dihedrals, model->dihedrals, offset, hybrid_dihedrals);
      terms(impropers, improper_id, types.impropers, model->impropers, offset, false);
      for (const CmapDraft &c : model->cmaps) {
        cmaps << ++cmap_id << " " << c.grid + 1;
        for (int a : c.atoms) cmaps << " " << offset + a + 1;
        cmaps << "\n";
      }
    }
  }
  DataSections out;
  out.atoms = atoms.str();
  out.bonds = bonds.str();
  out.angles = angles.str();
  out.dihedrals = dihedrals.str();
  out.impropers = impropers.str();
  out.cmaps = cmaps.str();
  out.atom_count = atom_id;
  out.bond_count = bond_id;
  out.angle_count = angle_id;
  out.dihedral_count = dihedral_id;
  out.improper_count = improper_id;
  out.cmap_count = cmap_id;
  out.coulomb_self_energy = self_energy;
  return out;
}

std::string data_text(const DataSections &sections, const SystemModel &system, const LammpsSystemFiles &result,
                      const std::string &box_lines, const Files &files, const LammpsWriterOptions &options)
{
  std::ostringstream data;
  data << "LAMMPS data file for " << source_text(options.source)
       << ", written by BACKMAP (lammps_system_writer); units real, atom_style full; use with "
       << file_name(files.settings) << " and " << file_name(files.coeffs) << "\n\n"
       << sections.atom_count << " atoms\n" << sections.bond_count << " bonds\n" << sections.angle_count << " angles\n"
       << sections.dihedral_count << " dihedrals\n" << sections.improper_count << " impropers\n";
  if (!system.grids.empty()) data << sections.cmap_count << " crossterms\n";
  data << "\n" << result.atom_types << " atom types\n";
  if (result.bond_types) data << result.bond_types << " bond types\n";
  if (result.angle_types) data << result.angle_types << " angle types\n";
  if (result.dihedral_types) data << result.dihedral_types << " dihedral types\n";
  if (result.improper_types) data << result.improper_types << " improper types\n";
  data << "\n" << box_lines << "\nMasses\n\n";
  for (std::size_t t = 0; t < system.atom_types.size(); ++t)
    data << t + 1 << " " << number(system.atom_types[t].mass) << "    # " << system.atom_types[t].label() << "\n";
  data << "\nAtoms # full\n\n" << sections.atoms;
  const auto section = [&](const char *name, long n, const std::string &lines) {
    if (n) data << "\n" << name << "\n\n" << lines;
  };
  section("Bonds", sections.bond_count, sections.bonds);
  section("Angles", sections.angle_count, sections.angles);
  section("Dihedrals", sections.dihedral_count, sections.dihedrals);
  section("Impropers", sections.improper_count, sections.impropers);
  if (!system.grids.empty()) section("CMAP", sections.cmap_count, sections.cmaps);
  return data.str();
}

std::string box_text(const Box &box, const std::string &output)
{
  const Eigen::Matrix3d &v = box.vectors;
  const double scale = std::max({std::abs(v(0, 0)), std::abs(v(1, 1)), std::abs(v(2, 2))});
  if (!box.periodic || v(0, 0) <= 0 || v(1, 1) <= 0 || v(2, 2) <= 0)
    fail_at(output, 0, "the system needs a periodic box with positive lengths (LAMMPS has no open boundaries here)");
  if (std::abs(v(0, 1)) + std::abs(v(0, 2)) + std::abs(v(1, 2)) > 1e-9 * scale)
    fail_at(output, 0, "the box is not in GROMACS's form (a along x, b in the xy plane)");
  std::ostringstream out;
  out << "0 " << fixed(v(0, 0), 6) << " xlo xhi\n0 " << fixed(v(1, 1), 6) << " ylo yhi\n0 " << fixed(v(2, 2), 6) << " zlo zhi\n";
  if (!box.is_orthorhombic())
    out << fixed(v(1, 0), 6) << " " << fixed(v(2, 0), 6) << " " << fixed(v(2, 1), 6) << " xy xz yz\n";
  return out.str();
}

}    // namespace BACKMAP::lammps_writer
