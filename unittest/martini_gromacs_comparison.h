/* Helpers of the Martini 3 tests of the LAMMPS system writer (test_martini_lammps.cpp,
   test_martini_popc_against_gromacs.cpp): a system written as a .gro file, GROMACS's energies and
   forces from mdrun -rerun with Martini 3's run parameters, LAMMPS's from run 0 on our files, and
   the two compared term by term and atom by atom. */
#ifndef BACKMAP_MARTINI_GROMACS_COMPARISON_H
#define BACKMAP_MARTINI_GROMACS_COMPARISON_H

#include "lammps_system_writer.h"

#include "gromacs_test_support.h"
#include "lammps_files_test_support.h"
#include "structure.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace BACKMAP::test {

inline const std::string martini_folder = std::string(BACKMAP_SHARED_DATA_DIR) + "/forcefields/martini3";

// One .gro atom line (positions in nm).
inline std::string gro_line(int residue, const std::string &residue_name, const std::string &atom, int index, const Vec3 &nm)
{
  char line[80];
  std::snprintf(line, sizeof line, "%5d%-5s%5s%5d%8.3f%8.3f%8.3f\n", residue % 100000, residue_name.c_str(), atom.c_str(),
                index % 100000, nm.x(), nm.y(), nm.z());
  return line;
}

// Martini 3's standard run parameters for a single-point rerun: Verlet, reaction-field with
// epsilon-r 15 and epsilon-rf infinity, LJ potential-shift, 1.1 nm; no Verlet buffer (the
// coordinates do not move); continuation so that grompp/mdrun leave constrained input alone.
inline const char *martini_mdp = "integrator = md\nnsteps = 0\ncontinuation = yes\ncutoff-scheme = Verlet\npbc = xyz\n"
                          "coulombtype = reaction-field\nrcoulomb = 1.1\nepsilon_r = 15\nepsilon_rf = 0\n"
                          "vdwtype = cut-off\nvdw-modifier = Potential-shift-verlet\nrvdw = 1.1\n"
                          "verlet-buffer-tolerance = -1\nrlist = 1.1\nnstcalcenergy = 1\nnstenergy = 1\nnstfout = 1\n";

// grompp, mdrun -rerun (forces in rerun.trr) and gmx dump of energies and forces; "" or why not.
inline std::string run_gromacs(const std::filesystem::path &dir)
{
  std::ofstream(dir / "rerun.mdp") << martini_mdp;
  if (run_in(dir, gmx_command() + " grompp -f rerun.mdp -c system.gro -p topol.top -o rerun.tpr -maxwarn 1") != 0 ||
      run_in(dir, gmx_command() + " mdrun -s rerun.tpr -rerun system.gro -nt 1 -e ener.edr -g md.log -o rerun.trr") != 0 ||
      run_in(dir, gmx_command() + " dump -e ener.edr > energies.txt") != 0 || run_in(dir, gmx_command() + " dump -f rerun.trr > frames.txt") != 0)
    return "grompp, mdrun or dump failed, see " + (dir / "log.txt").string();
  return {};
}

// gmx dump -f: the "f[ i]={fx, fy, fz}" lines, kJ/mol/nm.
inline std::vector<Vec3> read_gromacs_forces(const std::filesystem::path &path)
{
  static const std::regex entry(R"(^\s*f\[\s*\d+\]=\{\s*(\S+),\s*(\S+),\s*(\S+)\})");
  std::vector<Vec3> forces;
  std::ifstream in(path);
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, m, entry)) forces.emplace_back(std::stod(m[1]), std::stod(m[2]), std::stod(m[3]));
  return forces;
}

// A LAMMPS dump custom "id fx fy fz" sorted by id, kcal/mol/A.
inline std::vector<Vec3> read_lammps_forces(const std::filesystem::path &path)
{
  std::vector<Vec3> forces;
  std::ifstream in(path);
  bool atoms = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("ITEM: ATOMS", 0) == 0) atoms = true;
    else if (atoms) {
      std::istringstream words(line);
      long id;
      double x, y, z;
      if (words >> id >> x >> y >> z) forces.emplace_back(x, y, z);
    }
  }
  return forces;
}

// LAMMPS per-term energies (kcal/mol) of our files at run 0, the pair part split as GROMACS
// splits it (compute pair per sub-style), and the forces in forces.dump.
inline std::map<std::string, double> lammps_energies(const std::filesystem::path &dir, const LammpsSystemFiles &files)
{
  const bool table = !files.table.empty();
  std::string input = "include " + files.settings + "\n" + files.read_data_line + "\ninclude " + files.coeffs + "\n";
  if (table)
    input += "compute lj all pair lj/cut/coul/cut evdwl\ncompute coul all pair lj/cut/coul/cut ecoul\n"
             "compute rf all pair table evdwl\n";
  input += "thermo_style custom step pe ebond eangle edihed eimp evdwl ecoul" + std::string(table ? " c_lj c_coul c_rf" : "") +
           "\ndump forces all custom 1 forces.dump id fx fy fz\ndump_modify forces sort id format float %.12g\nrun 0\n";
  for (const char *name : {"pe", "ebond", "eangle", "edihed", "eimp", "evdwl", "ecoul"})
    input += std::string("print \"ENERGY ") + name + " $(" + name + ":%.12g)\"\n";
  if (table)
    input += "print \"ENERGY lj $(c_lj:%.12g)\"\nprint \"ENERGY coulomb_1_r $(c_coul:%.12g)\"\n"
             "print \"ENERGY rf_rest $(c_rf:%.12g)\"\n";
  // the bonds that stand for constraints, alone
  if (!files.constraint_bond_types.empty()) {
    input += "bond_coeff * 0.0 0.0\n";
    for (const std::string &line : lines_of(files.coeffs))
      for (int t : files.constraint_bond_types)
        if (line.rfind("bond_coeff " + std::to_string(t) + " ", 0) == 0) input += line + "\n";
    input += "run 0\nprint \"ENERGY constraint_bonds $(ebond:%.12g)\"\n";
  }
  return run_lammps(dir, input);
}

struct Term {
  std::string name;
  double gromacs = 0.0, lammps = 0.0;    // kcal/mol
};

// Prints the table and checks each term: 0.1 % or (near zero) 0.01 kcal/mol.
inline void compare_terms(const std::string &title, const std::vector<Term> &terms)
{
  std::cout << "[ figures ] " << title << " (kcal/mol)\n";
  std::printf("[ figures ] %-34s %16s %16s %12s\n", "term", "gromacs", "lammps", "rel.diff");
  for (const Term &t : terms) {
    const double difference = t.lammps - t.gromacs;
    const double relative = difference / std::max(std::abs(t.gromacs), 1e-12);
    std::printf("[ figures ] %-34s %16.4f %16.4f %12.2e\n", t.name.c_str(), t.gromacs, t.lammps, relative);
    EXPECT_TRUE(std::abs(difference) <= 0.01 || std::abs(relative) <= 1e-3)
        << title << " " << t.name << ": GROMACS " << t.gromacs << ", LAMMPS " << t.lammps << " kcal/mol";
  }
  std::fflush(stdout);
}

// GROMACS's energies against LAMMPS's on our files, term by term, and the forces atom by atom.
inline void compare_with_gromacs(const std::filesystem::path &dir, const LammpsSystemFiles &files, const std::string &title)
{
  const std::map<std::string, double> gmx = read_gromacs_energies(dir / "energies.txt");
  ASSERT_TRUE(gmx.count("Potential")) << "no energies in " << (dir / "energies.txt");
  const std::map<std::string, double> lmp = lammps_energies(dir, files);
  ASSERT_TRUE(lmp.count("pe") && (files.table.empty() || lmp.count("rf_rest"))) << "LAMMPS failed, see " << (dir / "lammps.out");
  const auto g = [&](const std::string &name) { return gmx.count(name) ? gmx.at(name) / 4.184 : 0.0; };
  const double constraints = lmp.count("constraint_bonds") ? lmp.at("constraint_bonds") : 0.0;
  const double lj = files.table.empty() ? lmp.at("evdwl") : lmp.at("lj");
  const double coulomb = files.table.empty() ? lmp.at("ecoul")
                                             : lmp.at("coulomb_1_r") + lmp.at("rf_rest") + files.coulomb_self_energy;
  std::vector<Term> terms = {
      {"Bond", g("Bond"), lmp.at("ebond") - constraints},
      {"G96Angle + Angle + Restr. Angles", g("G96Angle") + g("Angle") + g("Restr. Angles"), lmp.at("eangle")},
      {"Proper Dih.", g("Proper Dih.") + g("Periodic Improper Dih."), lmp.at("edihed") + files.dihedral_constant_energy},
      {"Improper Dih.", g("Improper Dih."), lmp.at("eimp")},
      {"LJ (SR)", g("LJ (SR)"), lj},
      {"Coulomb (SR) (reaction-field)", g("Coulomb (SR)"), coulomb},
      {"Potential", g("Potential"), lmp.at("pe") + files.coulomb_self_energy + files.dihedral_constant_energy - constraints},
  };
  compare_terms(title, terms);
  std::printf("[ figures ] LAMMPS's Coulomb parts: 1/r %.4f, table (k_rf r^2 - c_rf) %.4f, self constant %.4f; "
              "constraint bonds %.3g\n",
              lmp.count("coulomb_1_r") ? lmp.at("coulomb_1_r") : lmp.at("ecoul"), lmp.count("rf_rest") ? lmp.at("rf_rest") : 0.0,
              files.coulomb_self_energy, constraints);

  // forces: GROMACS's kJ/mol/nm / 41.84; single precision and 6 printed digits
  const std::vector<Vec3> gf = read_gromacs_forces(dir / "frames.txt"), lf = read_lammps_forces(dir / "forces.dump");
  ASSERT_EQ(gf.size(), lf.size()) << "force counts";
  double worst = 0, norm = 0;
  std::size_t worst_atom = 0;
  for (std::size_t i = 0; i < gf.size(); ++i) {
    const double d = (lf[i] - gf[i] / 41.84).norm();
    norm += (gf[i] / 41.84).squaredNorm();
    if (d > worst) worst = d, worst_atom = i;
  }
  const double rms = std::sqrt(norm / std::max<std::size_t>(gf.size(), 1));
  std::printf("[ figures ] %s forces: %zu atoms, rms %.3f kcal/mol/A, largest difference %.2e (atom %zu) = %.2e of rms\n",
              title.c_str(), gf.size(), rms, worst, worst_atom + 1, worst / rms);
  std::fflush(stdout);
  // constraints pull in LAMMPS (stiff bonds) but not in GROMACS (rerun, no constraining): skip
  // those systems unless their constraints hold exactly (lammps_energies reports their energy)
  const bool constraints_hold = files.constraint_bond_types.empty() || std::abs(constraints) < 1e-6;
  if (constraints_hold) {
    EXPECT_LT(worst, 1e-3 * rms + 1e-3) << "atom " << worst_atom + 1;
  }
}

}    // namespace BACKMAP::test

#endif
