/* Tests of the LAMMPS system writer on Martini 3 coarse-grained systems (forcefield layer): a
   hand-made topology with G96 angles, constraints, [ exclusions ] and charges checked line by line
   and against GROMACS, the errors for what LAMMPS cannot be given (cholesterol's virtual sites on
   bonds rather than constraints, restricted bending), and 72 POPC from an NMRlipids CHARMM36 frame mapped to Martini 3 beads by
   `backmap map`, with Martini water and ions, whose per-term energies and forces from LAMMPS
   (run 0 on our files) must match GROMACS's (mdrun -rerun, Martini 3's reaction-field
   parameters) within 0.1 %. */
#include "lammps_system_writer.h"
#include "topology_file.h"

#include "file_error.h"
#include "gromacs_test_support.h"
#include "structure_io.h"
#include "structure.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#ifndef BACKMAP_BINARY
#define BACKMAP_BINARY "/work/main/build/bin/backmap"
#endif

namespace fs = std::filesystem;
using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

const std::string martini_folder = std::string(BACKMAP_SHARED_DATA_DIR) + "/forcefields/martini3";
const std::string popc_frame = std::string(BACKMAP_SHARED_DATA_DIR) + "/lipids/nmrlipids/POPCpure_popcRUN3.gro.gz";



std::vector<std::string> lines_of(const std::string &path)
{
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Lines of a LAMMPS input file without their comments, white space squeezed, blank lines left out.
std::vector<std::string> commands(const std::string &path)
{
  std::vector<std::string> out;
  for (const std::string &line : lines_of(path)) {
    std::istringstream in(line.substr(0, line.find('#')));
    std::string squeezed;
    for (std::string t; in >> t;) squeezed += (squeezed.empty() ? "" : " ") + t;
    if (!squeezed.empty()) out.push_back(squeezed);
  }
  return out;
}

bool has(const std::vector<std::string> &lines, const std::string &line)
{
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

template <class F> std::string error_of(F f)
{
  try {
    f();
  } catch (const FileError &e) {
    return e.what();
  }
  return "(no error)";
}





// One .gro atom line (positions in nm).
std::string gro_line(int residue, const std::string &residue_name, const std::string &atom, int index, const Vec3 &nm)
{
  char line[80];
  std::snprintf(line, sizeof line, "%5d%-5s%5s%5d%8.3f%8.3f%8.3f\n", residue % 100000, residue_name.c_str(), atom.c_str(),
                index % 100000, nm.x(), nm.y(), nm.z());
  return line;
}

// Martini 3's standard run parameters for a single-point rerun: Verlet, reaction-field with
// epsilon-r 15 and epsilon-rf infinity, LJ potential-shift, 1.1 nm; no Verlet buffer (the
// coordinates do not move); continuation so that grompp/mdrun leave constrained input alone.
const char *martini_mdp = "integrator = md\nnsteps = 0\ncontinuation = yes\ncutoff-scheme = Verlet\npbc = xyz\n"
                          "coulombtype = reaction-field\nrcoulomb = 1.1\nepsilon_r = 15\nepsilon_rf = 0\n"
                          "vdwtype = cut-off\nvdw-modifier = Potential-shift-verlet\nrvdw = 1.1\n"
                          "verlet-buffer-tolerance = -1\nrlist = 1.1\nnstcalcenergy = 1\nnstenergy = 1\nnstfout = 1\n";

// grompp, mdrun -rerun (forces in rerun.trr) and gmx dump of energies and forces; "" or why not.
std::string run_gromacs(const fs::path &dir)
{
  std::ofstream(dir / "rerun.mdp") << martini_mdp;
  if (run_in(dir, gmx_command() + " grompp -f rerun.mdp -c system.gro -p topol.top -o rerun.tpr -maxwarn 1") != 0 ||
      run_in(dir, gmx_command() + " mdrun -s rerun.tpr -rerun system.gro -nt 1 -e ener.edr -g md.log -o rerun.trr") != 0 ||
      run_in(dir, gmx_command() + " dump -e ener.edr > energies.txt") != 0 || run_in(dir, gmx_command() + " dump -f rerun.trr > frames.txt") != 0)
    return "grompp, mdrun or dump failed, see " + (dir / "log.txt").string();
  return {};
}

// gmx dump -e: "   Name   value" lines after the "Component" header, kJ/mol.
std::map<std::string, double> read_gromacs_energies(const fs::path &path)
{
  static const std::regex entry(R"(^\s*(\S.*\S)\s+([-+]?[0-9.]+e[-+][0-9]+)\s*$)");
  std::map<std::string, double> energies;
  std::ifstream in(path);
  bool started = false;
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (line.find("Component") != std::string::npos) started = true;
    else if (started && std::regex_match(line, m, entry)) energies[m[1]] = std::stod(m[2]);
  }
  return energies;
}

// gmx dump -f: the "f[ i]={fx, fy, fz}" lines, kJ/mol/nm.
std::vector<Vec3> read_gromacs_forces(const fs::path &path)
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
std::vector<Vec3> read_lammps_forces(const fs::path &path)
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
std::map<std::string, double> lammps_energies(const fs::path &dir, const LammpsSystemFiles &files)
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
void compare_terms(const std::string &title, const std::vector<Term> &terms)
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
void compare_with_gromacs(const fs::path &dir, const LammpsSystemFiles &files, const std::string &title)
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

// ---------------------------------------------------------------------------------------------
// A hand-made Martini-like system: a four-bead charged chain with a constraint, G96 angles and an
// [ exclusions ] line, and NA/CL-like ions; its own small [ nonbond_params ].

const char *toy_top = R"([ defaults ]
1 2

[ atomtypes ]
Q1  72.0 0.000 A 0.0 0.0
Q5  72.0 0.000 A 0.0 0.0
C1  72.0 0.000 A 0.0 0.0
TQ5 36.0 0.000 A 0.0 0.0

[ nonbond_params ]
Q1  Q1  1 0.470 3.5
Q1  Q5  1 0.470 5.0
Q1  C1  1 0.470 2.0
Q1  TQ5 1 0.410 4.0
Q5  Q5  1 0.470 3.0
Q5  C1  1 0.470 2.2
Q5  TQ5 1 0.410 4.5
C1  C1  1 0.470 3.5
C1  TQ5 1 0.410 1.8
TQ5 TQ5 1 0.340 4.0

[ moleculetype ]
CHAIN 1

[ atoms ]
1 Q1  1 CHN A1 1  1.0
2 Q5  1 CHN A2 2 -0.5
3 C1  1 CHN A3 3  0.5
4 Q5  1 CHN A4 4 -1.0

[ bonds ]
1 2 1 0.47 1250
3 4 1 0.47 1250

[ constraints ]
2 3 1 0.40

[ angles ]
1 2 3 2 120.0 25.0
2 3 4 2 180.0 25.0

[ exclusions ]
1 4

[ moleculetype ]
NA 1

[ atoms ]
1 TQ5 1 ION NA 1 1.0

[ moleculetype ]
CL 1

[ atoms ]
1 TQ5 1 ION CL 1 -1.0 35.453

[ system ]
toy

[ molecules ]
CHAIN 6
NA 3
CL 3
)";

// Chains on a grid (the constrained pair along x exactly 0.400 nm apart), ions between them.
std::string toy_gro()
{
  std::string text = "toy\n30\n";
  int index = 0, residue = 0;
  for (int c = 0; c < 6; ++c) {
    const Vec3 o(0.5 + 1.4 * (c % 3), 0.6 + 1.5 * (c / 3), 1.0 + 0.2 * c);
    ++residue;
    const std::vector<Vec3> beads = {o + Vec3(-0.25, 0.38, 0.05), o, o + Vec3(0.4, 0.0, 0.0), o + Vec3(0.85, -0.1, 0.12)};
    for (int b = 0; b < 4; ++b) text += gro_line(residue, "CHN", "A" + std::to_string(b + 1), ++index, beads[static_cast<std::size_t>(b)]);
  }
  for (int i = 0; i < 6; ++i)
    text += gro_line(++residue, "ION", i < 3 ? "NA" : "CL", ++index, Vec3(0.3 + 1.2 * i / 2.0, 2.4 + 0.1 * i, 2.2 - 0.3 * (i % 2)));
  return text + "   4.50000   3.60000   3.20000\n";
}

}    // namespace

TEST(MartiniLammps, HandMadeChainLineByLine)
{
  const fs::path dir = scratch_folder() / "toy";
  const std::string top = write_file(dir / "topol.top", toy_top);
  write_file(dir / "system.gro", toy_gro());
  const Topology topology = read_topology(top);
  LammpsWriterOptions options;
  options.nonbonded = recommended_nonbonded(topology);
  EXPECT_EQ(options.nonbonded.scheme, LammpsCutoffScheme::ReactionField) << "no [ pairs ], [ nonbond_params ]: Martini";
  EXPECT_DOUBLE_EQ(options.nonbonded.cutoff, 11.0);
  EXPECT_DOUBLE_EQ(options.nonbonded.epsilon_r, 15.0);
  EXPECT_DOUBLE_EQ(options.nonbonded.epsilon_rf, 0.0);
  options.source = "toy";
  const LammpsSystemFiles files = write_lammps_system(topology, read_structure((dir / "system.gro").string()), (dir / "system").string(), options);
  EXPECT_TRUE(files.exclusions_only);
  EXPECT_EQ(files.pair_style, "hybrid/overlay lj/cut/coul/cut 11 table linear 1000");
  EXPECT_EQ(files.special_bonds, "lj/coul 1e-40 1.0 1.0");
  // bond types: the chain's bonds, the constraint (kb 100000 kJ/mol/nm^2 -> 119.5 kcal/mol/A^2), the exclusion
  EXPECT_EQ(files.constraint_bond_types, std::vector<int>{2});
  EXPECT_EQ(files.exclusion_bond_types, std::vector<int>{3});
  // one atom type per charge: Q1 +1, Q5 -0.5, C1 +0.5, Q5 -1, TQ5 +1, TQ5 -1
  EXPECT_EQ(files.atom_types, 6);
  // -C c_rf / 2 sum q^2: C = 332.06371 / 15, c_rf = 3 / (2 * 11); sum q^2 = 6 * 2.5 + 6
  EXPECT_NEAR(files.coulomb_self_energy, -332.06371 / 15 * 1.5 / 11 / 2 * 21, 1e-9);

  const std::vector<std::string> settings = commands(files.settings);
  for (const char *line :
       {"pair_style hybrid/overlay lj/cut/coul/cut 11 table linear 1000", "pair_modify pair lj/cut/coul/cut shift yes",
        "pair_modify pair table special lj 1.0 1.0 1.0", "dielectric 15", "bond_style harmonic",
        "angle_style cosine/squared", "special_bonds lj/coul 1e-40 1.0 1.0"})
    EXPECT_TRUE(has(settings, line)) << line;
  const std::vector<std::string> coeffs = commands(files.coeffs);
  // 1250 kJ/mol/nm^2 -> 1250/2/4.184/100; 25 kJ/mol -> 25/2/4.184 (E = K (cos - cos0)^2)
  for (const std::string &line : std::vector<std::string>{"bond_coeff 1 1.493785851 4.7", "bond_coeff 2 119.5028681 4", "bond_coeff 3 0 0",
                                  "angle_coeff 1 2.987571702 120", "angle_coeff 2 2.987571702 180",
                                  "pair_coeff 1 1 lj/cut/coul/cut 0.8365200765 4.7",
                                  "pair_coeff 1 1 table " + files.table + " RF_1 11"})
    EXPECT_TRUE(has(coeffs, line)) << line;
  // the table RF_1 (qq = +1): at the cut-off E = C (k_rf rc^2 - c_rf) = -C / rc, which cancels the
  // 1/r part, and F = -2 C k_rf rc = -C / rc^2
  const std::vector<std::string> table = lines_of(files.table);
  const auto end = std::find_if(table.begin(), table.end(), [](const std::string &l) { return l.rfind("1000 11 ", 0) == 0; });
  ASSERT_NE(end, table.end());
  std::istringstream last(*end);
  double n, r, e, f;
  last >> n >> r >> e >> f;
  EXPECT_NEAR(e, -332.06371 / 15 / 11, 1e-12);
  EXPECT_NEAR(f, -332.06371 / 15 / 121, 1e-12);
  // the settings file carries Martini's run recommendations
  std::string all;
  for (const std::string &l : lines_of(files.settings)) all += l + "\n";
  EXPECT_NE(all.find("timestep        20.0"), std::string::npos);
  EXPECT_NE(all.find("fix             constraints all shake 0.0001 100 0 b 2"), std::string::npos);

  // Shake: the same fix as a command
  options.constraints = LammpsConstraints::Shake;
  const LammpsSystemFiles shake = write_lammps_system(topology, read_structure((dir / "system.gro").string()), (dir / "shake").string(), options);
  EXPECT_TRUE(has(commands(shake.settings), "fix constraints all shake 0.0001 100 0 b 2"));

  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  const std::string why = run_gromacs(dir);
  if (!why.empty()) FAIL() << why;
  compare_with_gromacs(dir, files, "toy chain (constraint, exclusion, charges)");
}

// Restricted bending (angles 10) through LAMMPS's angle table, and a dihedral whose phase is not a
// whole number of degrees as two dihedral charmm terms: the table at hand-computed points, then
// the toy chain with both against GROMACS.
TEST(MartiniLammps, RestrictedBendingAndFractionalPhaseAgainstGromacs)
{
  const fs::path dir = scratch_folder() / "restricted";
  std::string text = toy_top;
  text.replace(text.find("2 3 4 2 180.0 25.0"), 18, "2 3 4 10 130.0 25.0");
  text.replace(text.find("[ exclusions ]"), 14, "[ dihedrals ]\n1 2 3 4 1 17.5 75 1\n\n[ exclusions ]");
  const std::string top = write_file(dir / "topol.top", text);
  write_file(dir / "system.gro", toy_gro());
  const Topology topology = read_topology(top);
  LammpsWriterOptions options;
  options.nonbonded = martini_nonbonded();
  options.source = "toy with restricted bending";
  const LammpsSystemFiles files = write_lammps_system(topology, read_structure((dir / "system.gro").string()), (dir / "system").string(), options);
  ASSERT_FALSE(files.angle_table.empty());
  EXPECT_TRUE(has(commands(files.settings), "angle_style hybrid cosine/squared table linear 3601"));
  // 6 chains x 75 (1 - cos 17.5 - sin 17.5) kJ/mol: what the two charmm terms leave out
  const double phase = 17.5 * M_PI / 180;
  EXPECT_NEAR(files.dihedral_constant_energy, 6 * 75 * (1 - std::cos(phase) - std::sin(phase)) / 4.184, 1e-9);
  const std::vector<std::string> coeffs = commands(files.coeffs);
  // K cos(phase) with d = 0 and K sin(phase) with d = 90, multiplicity 1, weight 0
  const auto coefficient = [&](double k, int d) {
    return std::any_of(coeffs.begin(), coeffs.end(), [&](const std::string &l) {
      std::istringstream w(l);
      std::string command;
      int type, n, shift;
      double force, weight;
      return (w >> command >> type >> force >> n >> shift >> weight) && command == "dihedral_coeff" && n == 1 && shift == d &&
             std::abs(force - k / 4.184) < 1e-8;
    });
  };
  EXPECT_TRUE(coefficient(75 * std::cos(phase), 0));
  EXPECT_TRUE(coefficient(75 * std::sin(phase), 90));
  // table row at 90 degrees (i = 1801): V = 25/2 (0 - cos 130)^2 / 1 kJ/mol, F = -dV/dtheta = k (c - c0)(1 - c c0)/s^3
  // per radian, written per degree (LAMMPS's angle table reads it so)
  const std::vector<std::string> table = lines_of(files.angle_table);
  const auto row = std::find_if(table.begin(), table.end(), [](const std::string &l) { return l.rfind("1801 90.00 ", 0) == 0; });
  ASSERT_NE(row, table.end());
  std::istringstream fields(*row);
  double index, theta, e, f;
  fields >> index >> theta >> e >> f;
  const double c0 = std::cos(130.0 * M_PI / 180);
  EXPECT_NEAR(e, 12.5 * c0 * c0 / 4.184, 1e-9);
  EXPECT_NEAR(f, 25.0 * (0 - c0) * 1.0 / 4.184 * M_PI / 180, 1e-9);
  // and the force is the energy's slope (central difference over the rows at 89.95 and 90.05)
  const auto value_at = [&](const std::string &prefix) {
    const auto r = std::find_if(table.begin(), table.end(), [&](const std::string &l) { return l.rfind(prefix, 0) == 0; });
    std::istringstream w(*r);
    double i, t, v, g;
    w >> i >> t >> v >> g;
    return v;
  };
  EXPECT_NEAR(-(value_at("1802 ") - value_at("1800 ")) / 0.1, f, 1e-4 * std::abs(f));

  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  const std::string why = run_gromacs(dir);
  if (!why.empty()) FAIL() << why;
  compare_with_gromacs(dir, files, "toy chain with restricted bending and a 17.5-degree phase");
}

TEST(MartiniLammps, ErrorsNameWhatLammpsCannotHave)
{
  const fs::path dir = scratch_folder() / "errors";
  const auto variant = [&](const std::string &name, const std::string &from, const std::string &to) {
    std::string text = toy_top;
    text.replace(text.find(from), from.size(), to);
    return write_file(dir / (name + ".top"), text);
  };
  const auto write = [&](const std::string &top, LammpsNonbonded nb) {
    LammpsWriterOptions options;
    options.nonbonded = nb;
    const Topology topology = read_topology(top);
    const std::vector<Vec3> positions(static_cast<std::size_t>(topology.atom_count()), Vec3(1, 1, 1));
    write_lammps_system(topology, positions, Box::orthorhombic(45, 36, 32), (dir / "out").string(), options);
  };
  const std::string soft = variant("soft", "2 3 1 0.40", "2 3 2 0.40");
  EXPECT_NE(error_of([&] { write(soft, martini_nonbonded()); }).find(soft + ":36: constraints function 2"), std::string::npos)
      << error_of([&] { write(soft, martini_nonbonded()); });
  const std::string pairs = variant("pairs", "[ exclusions ]", "[ pairs ]\n1 3 1 0.47 1.0\n\n[ exclusions ]");
  EXPECT_NE(error_of([&] { write(pairs, martini_nonbonded()); }).find("reaction field is written only for topologies without [ pairs ]"),
            std::string::npos)
      << error_of([&] { write(pairs, martini_nonbonded()); });
  // special_bonds is one for all molecules: a trimer with nrexcl 2 makes LAMMPS exclude the
  // chain's 1-3 pairs too, which GROMACS (nrexcl 1) does not
  std::string two = toy_top;
  const std::string na = "[ moleculetype ]\nNA 1";
  two.replace(two.find(na), na.size(),
              "[ moleculetype ]\nTRIMER 2\n\n[ atoms ]\n1 C1 1 TRI B1 1 0\n2 C1 1 TRI B2 2 0\n3 C1 1 TRI B3 3 0\n\n"
              "[ bonds ]\n1 2 1 0.47 1250\n2 3 1 0.47 1250\n\n[ moleculetype ]\nNA 1");
  two.replace(two.rfind("CL 3\n"), 5, "CL 3\nTRIMER 1\n");
  const std::string nrexcl = write_file(dir / "nrexcl.top", two);
  EXPECT_NE(error_of([&] { write(nrexcl, martini_nonbonded()); })
                .find("molecule CHAIN: atoms 1 and 3 would be excluded by LAMMPS but are not by GROMACS"),
            std::string::npos)
      << error_of([&] { write(nrexcl, martini_nonbonded()); });

  // Martini 3 cholesterol's -DFLEXIBLE variant: its triangle held by bonds, not constraints, so
  // its five virtual sites (virtual_sites3 "3out") sit on no rigid frame; the rigid variant is
  // written as rigid bodies (test_rigid_frames.cpp, tools/cg_system_cholesterol.sh)
  const std::string chol = write_file(dir / "chol.top", "#define FLEXIBLE\n#include \"" + martini_folder + "/martini_v3.0.0.itp\"\n#include \"" +
                                                            martini_folder + "/martini_v3.0.0_sterols_v1.itp\"\n"
                                                            "[ system ]\nCHOL\n\n[ molecules ]\nCHOL 1\n");
  if (fs::exists(martini_folder + "/martini_v3.0.0_sterols_v1.itp")) {
    LammpsWriterOptions options;
    options.nonbonded = martini_nonbonded();
    const std::string e = error_of([&] {
      write_lammps_system(read_topology(chol), std::vector<Vec3>(9, Vec3(1, 1, 1)), Box::orthorhombic(50, 50, 50),
                          (dir / "chol").string(), options);
    });
    EXPECT_NE(e.find("martini_v3.0.0_sterols_v1.itp:66: virtual site 1 (ROH) of molecule CHOL"), std::string::npos) << e;
    EXPECT_NE(e.find("do not join its three atoms into one rigid frame"), std::string::npos) << e;
  }
}

// ---------------------------------------------------------------------------------------------
// 72 POPC (NMRlipids, CHARMM36) mapped to Martini 3 with `backmap map`, Martini water and ions.

TEST(MartiniAgainstGromacs, Popc72WithWaterAndIons)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  if (!fs::exists(BACKMAP_BINARY) || !fs::exists(popc_frame) || !fs::exists(martini_folder + "/martini_v3.0.0.itp"))
    GTEST_SKIP() << "backmap, the POPC frame or Martini 3 not present";
  const fs::path dir = scratch_folder() / "popc";
  fs::create_directories(dir);
  ASSERT_EQ(run_in(dir, std::string(BACKMAP_BINARY) + " map " + popc_frame + " -o cg.gro"), 0) << "see " << (dir / "log.txt");
  const Structure lipids = read_structure((dir / "cg.gro").string());
  ASSERT_EQ(lipids.residues.size(), 72u);

  // Martini water (4 waters a bead) on a 0.5 nm grid wherever no lipid bead is nearer than
  // 0.55 nm (the water slab of the bilayer); the first 8 points NA, NA, ... CL
  const Eigen::Matrix3d &b = lipids.box.vectors;    // orthorhombic: rows a, b, c
  const Vec3 box(b(0, 0), b(1, 1), b(2, 2));
  std::vector<Vec3> beads;
  for (const Residue &r : lipids.residues)
    for (const Atom &a : r.atoms) beads.push_back(a.position);
  std::vector<Vec3> points;
  const int nx = static_cast<int>(box.x() / 5.0), ny = static_cast<int>(box.y() / 5.0), nz = static_cast<int>(box.z() / 5.0);
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j)
      for (int k = 0; k < nz; ++k) {
        const Vec3 p((i + 0.5) * box.x() / nx, (j + 0.5) * box.y() / ny, (k + 0.5) * box.z() / nz);
        bool free = true;
        for (const Vec3 &q : beads) {
          Vec3 d = p - q;
          for (int c = 0; c < 3; ++c) d[c] -= box[c] * std::round(d[c] / box[c]);
          if (d.squaredNorm() < 5.5 * 5.5) free = false;
        }
        if (free) points.push_back(p);
      }
  ASSERT_GT(points.size(), 100u) << "the water slab is empty?";
  const int ions = 4, waters = static_cast<int>(points.size()) - 2 * ions;

  std::ostringstream gro;
  gro << "72 POPC (Martini 3, backmap map) with " << waters << " W and " << ions << " NA + " << ions << " CL\n"
      << beads.size() + points.size() << "\n";
  int index = 0, residue = 0;
  for (const Residue &r : lipids.residues) {
    ++residue;
    for (const Atom &a : r.atoms) gro << gro_line(residue, r.name, a.name, ++index, a.position / 10.0);
  }
  for (std::size_t p = 0; p < points.size(); ++p) {
    const std::size_t w = static_cast<std::size_t>(waters);
    const bool ion = p >= w;
    const std::string name = !ion ? "W" : p < w + static_cast<std::size_t>(ions) ? "NA" : "CL";
    gro << gro_line(++residue, ion ? "ION" : "W", name, ++index, points[(p + 2 * ions) % points.size()] / 10.0);
  }
  char box_line[64];
  std::snprintf(box_line, sizeof box_line, "%10.5f%10.5f%10.5f\n", box.x() / 10, box.y() / 10, box.z() / 10);
  gro << box_line;
  write_file(dir / "system.gro", gro.str());
  std::string top;
  for (const char *itp : {"martini_v3.0.0.itp", "martini_v3.0.0_phospholipids_v1.itp", "martini_v3.0.0_solvents_v1.itp",
                          "martini_v3.0.0_ions_v1.itp"})
    top += "#include \"" + martini_folder + "/" + itp + "\"\n";
  top += "\n[ system ]\n72 POPC, Martini 3\n\n[ molecules ]\nPOPC 72\nW " + std::to_string(waters) + "\nNA " +
         std::to_string(ions) + "\nCL " + std::to_string(ions) + "\n";
  write_file(dir / "topol.top", top);

  const Topology topology = read_topology((dir / "topol.top").string());
  // backmap map's bead order (potentials/mappings/martini3/popc.yaml) is the POPC moleculetype's
  const MoleculeType *popc = topology.find_moleculetype("POPC");
  ASSERT_NE(popc, nullptr);
  std::string itp_order, mapped_order;
  for (const TopologyAtom &a : popc->atoms) itp_order += a.atom + " ";
  for (const Atom &a : lipids.residues.front().atoms) mapped_order += a.name + " ";
  EXPECT_EQ(mapped_order, itp_order);
  std::printf("[ figures ] POPC bead order, backmap map and martini_v3.0.0_phospholipids_v1.itp: %s\n", itp_order.c_str());

  const Structure system = read_structure((dir / "system.gro").string());    // the coordinates GROMACS reads, rounded alike
  LammpsWriterOptions options;
  options.nonbonded = recommended_nonbonded(topology);
  EXPECT_EQ(options.nonbonded.scheme, LammpsCutoffScheme::ReactionField);
  options.source = (dir / "topol.top").string() + ", " + (dir / "system.gro").string();
  const LammpsSystemFiles files = write_lammps_system(topology, system, (dir / "system").string(), options);
  EXPECT_EQ(files.special_bonds, "lj/coul 1e-40 1.0 1.0");
  EXPECT_FALSE(files.table.empty());

  const std::string why = run_gromacs(dir);
  if (!why.empty()) FAIL() << why;
  compare_with_gromacs(dir, files,
                       "72 POPC + " + std::to_string(waters) + " W + " + std::to_string(ions) + " NA + " + std::to_string(ions) + " CL");
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}
