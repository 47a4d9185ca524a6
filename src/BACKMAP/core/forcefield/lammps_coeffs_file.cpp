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
  if (!system.site_pairs.empty())
    out << "# lj/cut: the Lennard-Jones between the virtual sites that the two types' atoms carry (Go contacts)\n";
  // the pair's own Lennard-Jones (and, by dihedral, its 1-4 sigma and epsilon)
  const auto normal_pair = [&](std::size_t i, std::size_t j, const LennardJones &normal) {
    std::ostringstream line;
    line << "pair_coeff " << i + 1 << " " << j + 1 << (hybrid ? " lj/cut/coul/cut " : " ") << number(normal.epsilon / kj_per_kcal)
         << " " << number(normal.sigma * angstrom_per_nm);
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
    line << "    # " << atom_types[i].label() << " " << atom_types[j].label() << note << "\n";
    return line.str();
  };
  for (std::size_t i = 0; i < atom_types.size(); ++i)
    for (std::size_t j = i; j < atom_types.size(); ++j) {
      const std::pair<int, int> key{static_cast<int>(i) + 1, static_cast<int>(j) + 1};
      const LennardJones normal = lj.normal(*atom_types[i].gromacs, *atom_types[j].gromacs);
      const auto site = system.site_pairs.find(key);
      if (site != system.site_pairs.end())
        out << "pair_coeff " << i + 1 << " " << j + 1 << " lj/cut " << number(site->second.epsilon / kj_per_kcal) << " "
            << number(site->second.sigma * angstrom_per_nm) << "    # sites " << atom_types[i].site << " " << atom_types[j].site
            << "\n";
      if (system.excluded_type_pairs.count(key))
        // the two atoms of these types are excluded from each other (GROMACS [ exclusions ]): no
        // Lennard-Jones and no 1/r (a Coulomb cut-off of 0); the reaction-field table below stays
        out << "pair_coeff " << i + 1 << " " << j + 1 << (hybrid ? " lj/cut/coul/cut " : " ") << "0.0 "
            << number(normal.sigma * angstrom_per_nm) << " " << number(options.nonbonded.cutoff) << " 0.0    # "
            << atom_types[i].label() << " " << atom_types[j].label() << " (excluded from each other)\n";
      else
        out << normal_pair(i, j, normal);
      const auto section = rf.section.find({static_cast<int>(i) + 1, static_cast<int>(j) + 1});
      if (section != rf.section.end())
        out << "pair_coeff " << i + 1 << " " << j + 1 << " table " << files.table << " RF_" << section->second << " "
            << number(rf.cutoff) << "    # qi qj = " << number(rf.products[static_cast<std::size_t>(section->second - 1)])
            << "\n";
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
  if (types.dihedrals.size()) out << "# dihedral charmm: K (kcal/mol) n d (degrees) weight; multi/harmonic: A1..A5\n";
  coefficients("dihedral_coeff", types.dihedrals);
  if (types.impropers.size()) out << "# improper harmonic: K (kcal/mol/rad^2, E = K (chi-chi0)^2) chi0 (degrees)\n";
  coefficients("improper_coeff", types.impropers);
  return out.str();
}

}    // namespace BACKMAP::lammps_writer
