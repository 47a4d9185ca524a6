/* BACKMAP core, forcefield layer: the LAMMPS coefficients file (see lammps_coeffs_file.h). */
#include "lammps_coeffs_file.h"

#include <sstream>

namespace BACKMAP::lammps_writer {

std::string coeffs_text(const SystemModel &system, const Topology &topology, const LammpsWriterOptions &options,
                        const Numbered &types, const ReactionField &rf, const Files &files)
{
  const LennardJonesTable lj(topology);
  std::ostringstream out;
  out << "# LAMMPS coefficients for " << source_text(options.source)
      << "\n# written by BACKMAP (lammps_system_writer): include after read_data. Units real.\n"
      << "# pair_coeff for every pair of atom types (no mixing rule involved): epsilon (kcal/mol) sigma (A)"
      << (system.one_four_by_dihedral ? " epsilon14 sigma14\n# (epsilon14 is GROMACS's 1-4 epsilon / " +
                                            number(system.one_four_weight) + ", the dihedral weight)\n"
                                      : "\n");
  const auto &atom_types = system.atom_types;
  const bool hybrid = rf.table() || !system.site_pairs.empty();
  // the pair's own Lennard-Jones (and, by dihedral, its 1-4 sigma and epsilon) for the types in
  // `types` (one pair, or ranges), of LAMMPS types i and j
  const auto normal_pair = [&](const std::string &types, std::size_t i, std::size_t j, const std::string &comment) {
    const LennardJones normal = lj.normal(*atom_types[i].gromacs, *atom_types[j].gromacs);
    std::ostringstream line;
    line << "pair_coeff " << types << (hybrid ? " lj/cut/coul/cut " : " ") << number(normal.epsilon / kj_per_kcal) << " "
         << number(normal.sigma * angstrom_per_nm);
    std::string note;
    if (system.one_four_by_dihedral) {
      const auto found = system.one_four.find({static_cast<int>(i) + 1, static_cast<int>(j) + 1});
      LennardJones one_four{normal.sigma, normal.epsilon * topology.defaults.fudge_lj};
      if (found != system.one_four.end())
        one_four = found->second;
      else
        note = " (no 1-4 pair of these types)";
      line << " " << number(one_four.epsilon / system.one_four_weight / kj_per_kcal) << " " << number(one_four.sigma * angstrom_per_nm);
    }
    line << "    # " << comment << note << "\n";
    return line.str();
  };
  // kinds: runs of types that differ only by the virtual site they carry (lammps_carried_sites.h,
  // numbered together), one pair_coeff line over type ranges per pair of kinds
  std::vector<std::pair<std::size_t, std::size_t>> kinds;    // first, last (0-based)
  for (std::size_t t = 0; t < atom_types.size(); ++t) {
    const LammpsAtomType &a = atom_types[t];
    if (!kinds.empty()) {
      const LammpsAtomType &b = atom_types[kinds.back().first];
      if (!a.site.empty() && !b.site.empty() && a.name == b.name && a.mass == b.mass && a.charge == b.charge) {
        kinds.back().second = t;
        continue;
      }
    }
    kinds.emplace_back(t, t);
  }
  const auto range = [](const std::pair<std::size_t, std::size_t> &k) {
    return k.first == k.second ? std::to_string(k.first + 1) : std::to_string(k.first + 1) + "*" + std::to_string(k.second + 1);
  };
  const auto kind_label = [&](const std::pair<std::size_t, std::size_t> &k) {
    const LammpsAtomType &t = atom_types[k.first];
    return k.first == k.second ? t.label() : t.name + "+" + atom_types[k.first].site + ".." + atom_types[k.second].site;
  };
  for (std::size_t a = 0; a < kinds.size(); ++a)
    for (std::size_t b = a; b < kinds.size(); ++b) {
      const std::size_t i = kinds[a].first, j = kinds[b].first;
      const std::string ranges = range(kinds[a]) + " " + range(kinds[b]);
      out << normal_pair(ranges, i, j, kind_label(kinds[a]) + " " + kind_label(kinds[b]));
      const auto section = rf.section.find({static_cast<int>(i) + 1, static_cast<int>(j) + 1});
      if (section != rf.section.end())
        out << "pair_coeff " << ranges << " table " << files.table << " RF_" << section->second << " " << number(rf.cutoff)
            << "    # qi qj = " << number(rf.products[static_cast<std::size_t>(section->second - 1)]) << "\n";
    }
  if (!system.site_pairs.empty())
    out << "# lj/cut: the Lennard-Jones between the virtual sites that the two types' atoms carry (Go contacts)\n";
  for (const auto &[key, pair] : system.site_pairs)
    out << "pair_coeff " << key.first << " " << key.second << " lj/cut " << number(pair.epsilon / kj_per_kcal) << " "
        << number(pair.sigma * angstrom_per_nm) << "    # sites " << atom_types[static_cast<std::size_t>(key.first - 1)].site << " "
        << atom_types[static_cast<std::size_t>(key.second - 1)].site << "\n";
  if (!system.excluded_type_pairs.empty())
    out << "# the atoms of these type pairs are excluded from each other (GROMACS [ exclusions ]): no Lennard-Jones and\n"
        << "# no 1/r (a Coulomb cut-off of 0); the reaction-field table above still acts on them, as in GROMACS\n";
  for (const auto &[i, j] : system.excluded_type_pairs) {
    const LammpsAtomType &a = atom_types[static_cast<std::size_t>(i - 1)], &b = atom_types[static_cast<std::size_t>(j - 1)];
    out << "pair_coeff " << i << " " << j << (hybrid ? " lj/cut/coul/cut " : " ") << "0.0 "
        << number(lj.normal(*a.gromacs, *b.gromacs).sigma * angstrom_per_nm) << " " << number(options.nonbonded.cutoff)
        << " 0.0    # " << a.label() << " " << b.label() << "\n";
  }
  const auto coefficients = [&](const char *command, const TypeTable &table) {
    for (int t = 0; t < table.size(); ++t)
      out << command << " " << t + 1 << " " << table.coefficients[static_cast<std::size_t>(t)] << "    # "
          << table.comments[static_cast<std::size_t>(t)] << "\n";
  };
  if (types.bonds.size())
    out << "# bond harmonic: K (kcal/mol/A^2, E = K (r-r0)^2) r0 (A); constraints stiff, [ exclusions ] K = 0\n";
  coefficients("bond_coeff", types.bonds);
  if (types.angles.size())
    out << "# angle: K (kcal/mol/rad^2, E = K (theta-theta0)^2) theta0 (degrees) [K_ub r_ub];\n"
        << "# cosine/squared: K (kcal/mol, E = K (cos theta - cos theta0)^2) theta0 (degrees);\n"
        << "# table: file and section RB_theta0_k of restricted bending (k in kJ/mol)\n";
  coefficients("angle_coeff", types.angles);
  if (types.dihedrals.size())
    out << "# dihedral charmm: K (kcal/mol) n d (degrees) weight; multi/harmonic: A1..A5;\n"
        << "# quadratic (GROMACS harmonic impropers): K (kcal/mol/rad^2, E = K (phi-phi0)^2) phi0 (degrees)\n";
  coefficients("dihedral_coeff", types.dihedrals);
  if (types.impropers.size()) out << "# improper harmonic: K (kcal/mol/rad^2, E = K (chi-chi0)^2) chi0 (degrees)\n";
  coefficients("improper_coeff", types.impropers);
  if (system.rigid_bodies > 0) {
    std::string rigid_types;
    for (std::size_t t = 0; t < atom_types.size(); ++t)
      if (atom_types[t].rigid_body) rigid_types += " " + std::to_string(t + 1);
    out << "# " << system.rigid_bodies << " rigid bodies, one per molecule: the atoms that GROMACS [ constraints ] hold in a\n"
        << "# rigid frame and the [ virtual_sites3 ] built on it (types" << rigid_types << ", sites 0.01 u). Integrate them\n"
        << "# with the RIGID package, the other atoms as usual, e.g.\n"
        << "#   fix  rigid " << options.rigid_group << " rigid/small molecule     (rigid/nvt/small molecule temp ... for a thermostat)\n"
        << "#   fix  free " << options.free_group << " nve\n"
        << "# and keep the bodies still (fix setforce 0 0 0 on " << options.rigid_group << ") in a minimisation.\n"
        << "group           " << options.rigid_group << " type" << rigid_types << "\n"
        << "group           " << options.free_group << " subtract all " << options.rigid_group << "\n";
  }
  return out.str();
}

}    // namespace BACKMAP::lammps_writer
