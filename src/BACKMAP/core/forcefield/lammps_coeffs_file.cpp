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
  for (std::size_t i = 0; i < atom_types.size(); ++i)
    for (std::size_t j = i; j < atom_types.size(); ++j) {
      const LennardJones normal = lj.normal(*atom_types[i].gromacs, *atom_types[j].gromacs);
      out << "pair_coeff " << i + 1 << " " << j + 1 << (rf.table() ? " lj/cut/coul/cut " : " ")
          << number(normal.epsilon / kj_per_kcal) << " " << number(normal.sigma * angstrom_per_nm);
      std::string note;
      if (system.one_four_by_dihedral) {
        const auto found = system.one_four.find({static_cast<int>(i) + 1, static_cast<int>(j) + 1});
        LennardJones one_four{normal.sigma, normal.epsilon * topology.defaults.fudge_lj};
        if (found != system.one_four.end())
          one_four = found->second;
        else
          note = " (no 1-4 pair of these types)";
        out << " " << number(one_four.epsilon / system.one_four_weight / kj_per_kcal) << " "
            << number(one_four.sigma * angstrom_per_nm);
      }
      out << "    # " << atom_types[i].name << " " << atom_types[j].name << note << "\n";
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
