/* BACKMAP core, forcefield layer: a GROMACS system written as LAMMPS settings, data, coefficient
   and CMAP files (see lammps_system_writer.h for the layout and the conversions). The steps are
   units of their own: the system as LAMMPS gets it (lammps_system_model), the reaction field
   (lammps_reaction_field), the files (lammps_data_file, lammps_settings_file, lammps_coeffs_file,
   lammps_cmap). */
#include "lammps_system_writer.h"

#include "lammps_angle_table.h"
#include "lammps_carried_sites.h"
#include "lammps_cmap.h"
#include "lammps_coeffs_file.h"
#include "lammps_data_file.h"
#include "lammps_one_four.h"
#include "lammps_reaction_field.h"
#include "lammps_rigid_frames.h"
#include "lammps_settings_file.h"
#include "lammps_system_model.h"
#include "lammps_type_table.h"
#include "lammps_virtual_sites.h"
#include "lammps_writer_text.h"

#include "file_error.h"

#include <algorithm>

namespace BACKMAP {

using namespace lammps_writer;

LammpsSystemFiles write_lammps_system(const Topology &given, const std::vector<Vec3> &given_positions, const Box &box,
                                      const std::string &prefix, const LammpsWriterOptions &options)
{
  if (static_cast<long>(given_positions.size()) != given.atom_count())
    fail_at(prefix + ".data", 0, std::to_string(given_positions.size()) + " positions for a topology of " +
                                     std::to_string(given.atom_count()) + " atoms");
  // virtual sites on one atom are carried by it (exact); other virtual-site centres become bonded
  // beads where asked (an approximation). Both on a copy of the topology, only then.
  Topology converted;
  std::vector<Vec3> moved;
  const bool carry = has_point_sites(given);
  const bool rigid = has_built_virtual_sites(given);
  const bool convert = carry || rigid || (options.virtual_sites == LammpsVirtualSites::Bonded && has_virtual_sites_n(given));
  CarriedSites carried;
  bool bonded = false;
  long rigid_bodies = 0;
  if (convert) {
    converted = given;
    moved = given_positions;
    // virtual_sites3 on constrained frames: rigid bodies (their sites built as GROMACS does)
    if (rigid) rigid_bodies = make_rigid_bodies(converted, moved);
    if (carry) carried = carry_point_sites(converted, moved);
    bonded = options.virtual_sites == LammpsVirtualSites::Bonded && has_virtual_sites_n(converted);
    if (bonded) bond_virtual_sites_n(converted, moved);
  }
  const Topology &topology = convert ? converted : given;
  const std::vector<Vec3> &positions = convert ? moved : given_positions;
  const std::string box_lines = box_text(box, prefix + ".data");
  SystemModel system = build_system(topology, options, prefix + ".data", prefix + ".angles");
  system.rigid_bodies = rigid_bodies;
  add_site_pairs(system, topology, carried.excluded_type_pairs, prefix + ".data");
  const ReactionField rf = reaction_field_of(system, options.nonbonded, prefix + ".data");
  Files files{prefix + ".settings", prefix + ".data", prefix + ".coeffs", system.grids.empty() ? "" : prefix + ".cmap",
              rf.table() ? prefix + ".table" : ""};

  const std::vector<std::string> angle_styles = styles_used(system.molecules, &MoleculeModel::angles);
  const std::vector<std::string> dihedral_styles = styles_used(system.molecules, &MoleculeModel::dihedrals);
  const bool hybrid_angles = angle_styles.size() > 1, hybrid_dihedrals = dihedral_styles.size() > 1;
  Numbered types;
  const DataSections sections = data_sections(topology, system, positions, rf, hybrid_angles, hybrid_dihedrals, types);

  LammpsSystemFiles result;
  result.data = files.data;
  result.settings = files.settings;
  result.coeffs = files.coeffs;
  result.cmap = files.cmap;
  result.table = files.table;
  result.one_four_by_dihedral = system.one_four_by_dihedral;
  result.exclusions_only = system.exclusions_only;
  result.pair_style = pair_style_arguments(system, options.nonbonded, rf, files.settings);
  result.special_bonds = special_bonds_arguments(system, rf);
  result.constraint_bond_types = types_of_kind(types.bonds, "constraint");
  result.exclusion_bond_types = types_of_kind(types.bonds, "exclusion");
  result.coulomb_self_energy = sections.coulomb_self_energy;
  result.virtual_sites_bonded = bonded;
  result.carried_sites = carried.sites;
  result.rigid_bodies = rigid_bodies;
  for (std::size_t t = 0; t < system.atom_types.size(); ++t)
    if (system.atom_types[t].rigid_body) result.rigid_body_types.push_back(static_cast<int>(t) + 1);
  // restricted bending sections, and the constants the split dihedrals leave out, per molecule copy
  std::vector<std::pair<double, double>> angle_sections;
  for (const MoleculeCount &count : topology.molecules)
    for (const MoleculeModel &model : system.molecules) {
      if (count.count <= 0 || model.type->name != count.name) continue;
      for (const Draft &d : model.dihedrals) result.dihedral_constant_energy += count.count * d.constant;
      for (const Draft &d : model.angles)
        if (d.style == "table" &&
            std::find(angle_sections.begin(), angle_sections.end(), std::make_pair(d.table_theta0, d.table_k)) == angle_sections.end())
          angle_sections.emplace_back(d.table_theta0, d.table_k);
    }
  if (!angle_sections.empty()) result.angle_table = prefix + ".angles";
  result.read_data_line = "read_data       " + files.data +
                          (system.grids.empty() ? std::string() : " fix " + options.cmap_fix_id + " crossterm CMAP");
  result.atom_types = static_cast<int>(system.atom_types.size());
  result.bond_types = types.bonds.size();
  result.angle_types = types.angles.size();
  result.dihedral_types = types.dihedrals.size();
  result.improper_types = types.impropers.size();
  result.cmap_grids = static_cast<int>(system.grids.size());

  write_text(files.settings, settings_text(system, options, files, result, rf, types, dihedral_styles, angle_styles));
  write_text(files.data, data_text(sections, system, result, box_lines, files, options));
  write_text(files.coeffs, coeffs_text(system, topology, options, types, rf, files));
  if (!files.cmap.empty()) write_text(files.cmap, cmap_text(system.grids, options.source));
  if (!files.table.empty()) write_text(files.table, table_text(rf, options));
  if (!result.angle_table.empty()) write_text(result.angle_table, restricted_bending_table_text(angle_sections, options.source));
  return result;
}

LammpsSystemFiles write_lammps_system(const Topology &topology, const Structure &coordinates, const std::string &prefix,
                                      const LammpsWriterOptions &options)
{
  std::vector<Vec3> positions;
  std::vector<const Atom *> structure_atoms;
  for (const Residue &r : coordinates.residues)
    for (const Atom &a : r.atoms) {
      positions.push_back(a.position);
      structure_atoms.push_back(&a);
    }
  if (static_cast<long>(positions.size()) != topology.atom_count())
    fail_at(prefix + ".data", 0, "the structure has " + std::to_string(positions.size()) + " atoms, the topology " +
                                     std::to_string(topology.atom_count()));
  std::size_t index = 0;
  for (const MoleculeCount &count : topology.molecules) {
    const MoleculeType *m = topology.find_moleculetype(count.name);
    if (!m) fail_at(count.path, count.line, "molecule " + count.name + " is not defined");
    for (int copy = 0; copy < count.count; ++copy)
      for (const TopologyAtom &atom : m->atoms) {
        const std::string &name = structure_atoms[index]->name;
        if (name != atom.atom)
          fail_at(atom.path, atom.line, "structure atom " + std::to_string(index + 1) + " is " + name + ", the topology's is " +
                                            atom.atom + " (" + m->name + " " + atom.residue + std::to_string(atom.resnr) + ")");
        ++index;
      }
  }
  return write_lammps_system(topology, positions, coordinates.box, prefix, options);
}

}    // namespace BACKMAP
