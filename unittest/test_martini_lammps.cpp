/* Tests of the LAMMPS system writer on a hand-made Martini 3-like system (forcefield layer): a
   topology with G96 angles, constraints, [ exclusions ] and charges checked line by line and
   against GROMACS, restricted bending and a dihedral phase that is not a whole number of degrees
   against GROMACS, and the errors for what LAMMPS cannot be given (soft constraints, [ pairs ]
   under reaction field, exclusions that special_bonds cannot say, cholesterol's virtual sites on
   bonds rather than constraints).
   A real Martini system against GROMACS: test_martini_popc_against_gromacs.cpp. */
#include "lammps_system_writer.h"
#include "topology_file.h"

#include "gromacs_test_support.h"
#include "lammps_files_test_support.h"
#include "martini_gromacs_comparison.h"
#include "structure_io.h"
#include "structure.h"
#include "topology_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

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
