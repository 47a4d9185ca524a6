/* Tests of the LAMMPS system writer (forcefield layer) on a hand-made topology: its files checked
   line by line against numbers converted by hand, LAMMPS's energies of them against GROMACS's
   formulas evaluated by hand, and errors that name the term at fault. Real systems against GROMACS
   itself: test_lammps_system_against_gromacs.cpp. */
#include "lammps_system_writer.h"
#include "topology_file.h"

#include "gromacs_test_support.h"
#include "lammps_files_test_support.h"
#include "topology_test_support.h"
#include "structure.h"

#include <Eigen/Geometry>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

// ---------------------------------------------------------------------------------------------
// A hand-made system: two butane-like chains and one ion, AMBER-like 1-4 scaling.

const char *small_top = R"([ defaults ]
1 2 yes 0.5 0.8333

[ atomtypes ]
; name at.num mass charge ptype sigma epsilon
CT   6  12.011  0.0  A  0.35  0.4184
HC   1   1.008  0.0  A  0.25  0.8368
NA  11  22.990  1.0  A  0.30  0.0

[ bondtypes ]
CT CT 1 0.153 224262.4

[ moleculetype ]
CHAIN 3

[ atoms ]
1 CT 1 BUT C1 1 -0.10
2 CT 1 BUT C2 1  0.05
3 CT 1 BUT C3 1  0.05
4 HC 1 BUT H4 1  0.00

[ bonds ]
1 2 1
2 3 1
3 4 1 0.109 284512.0

[ pairs ]
1 4 1

[ angles ]
1 2 3 1 111.0 418.4
2 3 4 1 109.5 292.88

[ dihedrals ]
1 2 3 4 9 0.0 4.184 3

[ moleculetype ]
ION 1

[ atoms ]
1 NA 1 NA NA 1 1.0

[ system ]
small

[ molecules ]
CHAIN 2
ION 1
)";

std::vector<Vec3> small_positions()
{
  return {Vec3(1.0, 2.0, 3.0),  Vec3(2.5, 2.0, 3.0),  Vec3(3.0, 3.4, 3.0),  Vec3(4.0, 3.5, 3.5),
          Vec3(11.0, 2.0, 3.0), Vec3(12.5, 2.0, 3.0), Vec3(13.0, 3.4, 3.0), Vec3(14.0, 3.5, 3.5),
          Vec3(20.0, 20.0, 20.0)};
}

}    // namespace

TEST(LammpsSystemWriter, HandMadeSystemLineByLine)
{
  const std::string top = write_file("small/topol.top", small_top);
  const Topology topology = read_topology(top);
  LammpsWriterOptions options;
  options.source = "topol.top (hand-made)";
  options.nonbonded.cutoff = 12.0;
  const std::string prefix = (scratch_folder() / "small/system").string();
  const LammpsSystemFiles files = write_lammps_system(topology, small_positions(), Box::orthorhombic(30, 31, 32), prefix, options);
  EXPECT_FALSE(files.one_four_by_dihedral);
  EXPECT_TRUE(files.cmap.empty());
  EXPECT_EQ(files.pair_style, "lj/cut/coul/cut 12");

  const std::vector<std::string> data = lines_of(files.data);
  ASSERT_GT(data.size(), 20u);
  EXPECT_NE(data[0].find("topol.top (hand-made)"), std::string::npos) << "the header names its source";
  std::vector<std::string> header;
  for (std::size_t i = 1; i < data.size() && data[i] != "Masses"; ++i)
    if (!data[i].empty()) header.push_back(data[i]);
  EXPECT_EQ(header, (std::vector<std::string>{"9 atoms", "6 bonds", "4 angles", "2 dihedrals", "0 impropers", "3 atom types",
                                              "2 bond types", "2 angle types", "1 dihedral types", "0 30.000000 xlo xhi",
                                              "0 31.000000 ylo yhi", "0 32.000000 zlo zhi"}));
  EXPECT_EQ(section(data, "Masses"), (std::vector<std::string>{"1 12.011", "2 1.008", "3 22.99"}));
  EXPECT_EQ(section(data, "Atoms # full"),
            (std::vector<std::string>{"1 1 1 -0.1 1.000000 2.000000 3.000000", "2 1 1 0.05 2.500000 2.000000 3.000000",
                                      "3 1 1 0.05 3.000000 3.400000 3.000000", "4 1 2 0 4.000000 3.500000 3.500000",
                                      "5 2 1 -0.1 11.000000 2.000000 3.000000", "6 2 1 0.05 12.500000 2.000000 3.000000",
                                      "7 2 1 0.05 13.000000 3.400000 3.000000", "8 2 2 0 14.000000 3.500000 3.500000",
                                      "9 3 3 1 20.000000 20.000000 20.000000"}));
  EXPECT_EQ(section(data, "Bonds"), (std::vector<std::string>{"1 1 1 2", "2 1 2 3", "3 2 3 4", "4 1 5 6", "5 1 6 7", "6 2 7 8"}));
  EXPECT_EQ(section(data, "Angles"), (std::vector<std::string>{"1 1 1 2 3", "2 2 2 3 4", "3 1 5 6 7", "4 2 6 7 8"}));
  EXPECT_EQ(section(data, "Dihedrals"), (std::vector<std::string>{"1 1 1 2 3 4", "2 1 5 6 7 8"}));

  // by hand: K = kb/2/4.184/100 (224262.4 -> 268, 284512 -> 340), r0 x 10; K = ktheta/2/4.184
  // (418.4 -> 50, 292.88 -> 35); dihedral 4.184 kJ -> 1 kcal, weight 0; LJ epsilon/4.184, sigma x 10,
  // cross terms by comb-rule 2: CT-HC sigma 3.0, epsilon sqrt(0.1*0.2); CT-NA sigma 3.25, epsilon 0
  EXPECT_EQ(commands(files.coeffs),
            (std::vector<std::string>{"pair_coeff 1 1 0.1 3.5", "pair_coeff 1 2 0.1414213562 3", "pair_coeff 1 3 0 3.25",
                                      "pair_coeff 2 2 0.2 2.5", "pair_coeff 2 3 0 2.75", "pair_coeff 3 3 0 3",
                                      "bond_coeff 1 268 1.53", "bond_coeff 2 340 1.09", "angle_coeff 1 50 111",
                                      "angle_coeff 2 35 109.5", "dihedral_coeff 1 1 3 0 0"}));
  EXPECT_EQ(commands(files.settings),
            (std::vector<std::string>{"units real", "atom_style full", "boundary p p p", "pair_style lj/cut/coul/cut 12",
                                      "bond_style harmonic", "angle_style harmonic", "dihedral_style charmm",
                                      "special_bonds lj 0.0 0.0 0.5 coul 0.0 0.0 0.8333"}));
  // the settings file tells the user the exact lines, in order
  const std::vector<std::string> settings = lines_of(files.settings);
  std::string comments;
  for (const std::string &l : settings) comments += l + "\n";
  EXPECT_NE(comments.find("#   include         " + prefix + ".settings\n#   read_data       " + prefix +
                          ".data\n#   include         " + prefix + ".coeffs\n"),
            std::string::npos)
      << comments;
  for (const std::string &f : {files.data, files.settings, files.coeffs}) EXPECT_FALSE(fs::exists(f + ".partial"));

  // LAMMPS reads the three files, and its bonded energies are the hand-computed ones
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  const auto e = run_lammps(scratch_folder() / "small",
                            "include " + files.settings + "\n" + files.read_data_line + "\ninclude " + files.coeffs +
                                "\nthermo_style custom step pe ebond eangle edihed\nrun 0\n"
                                "print \"ENERGY ebond $(ebond:%.12g)\"\nprint \"ENERGY eangle $(eangle:%.12g)\"\n"
                                "print \"ENERGY edihed $(edihed:%.12g)\"\n");
  ASSERT_EQ(e.size(), 3u) << "LAMMPS failed, see " << (scratch_folder() / "small/lammps.out");
  const auto length = [](Vec3 a, Vec3 b) { return (a - b).norm(); };
  const std::vector<Vec3> x = small_positions();
  double bond = 0;
  for (int m : {0, 4})
    bond += 268 * std::pow(length(x[m], x[m + 1]) - 1.53, 2) + 268 * std::pow(length(x[m + 1], x[m + 2]) - 1.53, 2) +
            340 * std::pow(length(x[m + 2], x[m + 3]) - 1.09, 2);
  EXPECT_NEAR(e.at("ebond"), bond, 1e-6 * bond);
}

TEST(LammpsSystemWriter, ErrorsNameTheTermAtFault)
{
  const std::string base = small_top;
  const auto variant = [&](const std::string &name, const std::string &from, const std::string &to) {
    std::string text = base;
    text.replace(text.find(from), from.size(), to);
    return write_file("errors/" + name + ".top", text);
  };
  const auto write = [&](const std::string &top) {
    const Topology topology = read_topology(top);
    write_lammps_system(topology, small_positions(), Box::orthorhombic(30, 30, 30), (scratch_folder() / "errors/out").string());
  };
  // a phase that is not a whole number of degrees is no longer refused: two dihedral charmm
  // terms (test_martini_lammps.cpp checks them against GROMACS)
  const std::string phase = variant("phase", "9 0.0 4.184 3", "9 10.5 4.184 3");
  EXPECT_EQ(error_of([&] { write(phase); }), "(no error)");
  const std::string rb = variant("rb", "9 0.0 4.184 3", "3 1 2 3 4 5 6");
  EXPECT_NE(error_of([&] { write(rb); }).find(rb + ":35: Ryckaert-Bellemans C5 = 6"), std::string::npos) << error_of([&] { write(rb); });
  const std::string constraint = variant("constraint", "[ pairs ]", "[ constraints ]\n1 3 1 0.25\n\n[ pairs ]");
  EXPECT_NE(error_of([&] { write(constraint); }).find(constraint + ":28: [ constraints ] of molecule CHAIN"), std::string::npos)
      << error_of([&] { write(constraint); });
  const std::string nrexcl = variant("nrexcl", "CHAIN 3", "CHAIN 2");
  EXPECT_NE(error_of([&] { write(nrexcl); }).find("nrexcl 2 and atoms 1 and 4, 3 bonds apart"), std::string::npos)
      << error_of([&] { write(nrexcl); });
  const Topology topology = read_topology(write_file("errors/ok.top", base));
  EXPECT_NE(error_of([&] { write_lammps_system(topology, std::vector<Vec3>(8), Box::orthorhombic(30, 30, 30), "x"); })
                .find("8 positions for a topology of 9 atoms"),
            std::string::npos);
  EXPECT_NE(error_of([&] { write_lammps_system(topology, small_positions(), Box(), "x"); }).find("periodic box"), std::string::npos);
}

// Ryckaert-Bellemans in cos(phi - 180) becomes dihedral multi/harmonic in cos(phi): LAMMPS's
// energy must be GROMACS's formula evaluated by hand.
TEST(LammpsSystemWriter, RyckaertBellemansAsMultiHarmonic)
{
  std::string text = small_top;
  text.replace(text.find("1 2 3 4 9 0.0 4.184 3"), 21, "1 2 3 4 3 1 2 3 4 5 0");
  const Topology topology = read_topology(write_file("rb/topol.top", text));
  const LammpsSystemFiles files =
      write_lammps_system(topology, small_positions(), Box::orthorhombic(30, 30, 30), (scratch_folder() / "rb/system").string());
  const std::vector<std::string> settings = commands(files.settings);
  EXPECT_NE(std::find(settings.begin(), settings.end(), "dihedral_style multi/harmonic"), settings.end());
  const std::vector<std::string> coeffs = commands(files.coeffs);
  // C0..C4 = 1 2 3 4 5 kJ/mol -> A1..A5 = (+1 -2 +3 -4 +5)/4.184 kcal/mol
  EXPECT_NE(std::find(coeffs.begin(), coeffs.end(),
                      "dihedral_coeff 1 0.2390057361 -0.4780114723 0.7170172084 -0.9560229446 1.195028681"),
            coeffs.end());
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  const auto e = run_lammps(scratch_folder() / "rb", "include " + files.settings + "\n" + files.read_data_line + "\ninclude " +
                                                      files.coeffs + "\nrun 0\nprint \"ENERGY edihed $(edihed:%.12g)\"\n");
  ASSERT_EQ(e.count("edihed"), 1u) << "LAMMPS failed, see " << (scratch_folder() / "rb/lammps.out");
  const std::vector<Vec3> x = small_positions();
  const Vec3 b1 = x[1] - x[0], b2 = x[2] - x[1], b3 = x[3] - x[2];
  const double phi = std::atan2(b2.norm() * b1.dot(b2.cross(b3)), b1.cross(b2).dot(b2.cross(b3)));    // IUPAC: trans 180
  double v = 0;
  for (int n = 0; n < 5; ++n) v += (n + 1) * std::pow(std::cos(phi - M_PI), n);
  EXPECT_NEAR(e.at("edihed"), 2 * v / 4.184, 1e-8) << "two chains, phi " << phi * 180 / M_PI;
}

// A pair that is no LAMMPS 1-4 neighbour (here a [ pairtypes ] line as in CHARMM) makes the writer
// carry the 1-4 terms on dihedral charmm weights; a pair without a dihedral gets a K = 0 one.
TEST(LammpsSystemWriter, PairtypesGoThroughDihedralWeights)
{
  std::string text = small_top;
  text.replace(text.find("[ bondtypes ]"), 13, "[ pairtypes ]\nCT HC 1 0.3 0.2092\n\n[ bondtypes ]");
  text.replace(text.find("[ dihedrals ]\n1 2 3 4 9 0.0 4.184 3\n"), 36,
               "[ dihedrals ]\n1 2 3 4 9 0.0 4.184 3\n1 2 3 4 9 180.0 2.092 2\n");
  const Topology topology = read_topology(write_file("charmm_like/topol.top", text));
  const std::string prefix = (scratch_folder() / "charmm_like/system").string();
  const LammpsSystemFiles files = write_lammps_system(topology, small_positions(), Box::orthorhombic(30, 30, 30), prefix);
  EXPECT_TRUE(files.one_four_by_dihedral);
  EXPECT_EQ(files.pair_style, "lj/charmm/coul/charmm 9.999999 10");
  // both terms of the multi-term dihedral, only the first carries the pair, with weight fudgeQQ
  EXPECT_EQ(section(lines_of(files.data), "Dihedrals"),
            (std::vector<std::string>{"1 1 1 2 3 4", "2 2 1 2 3 4", "3 1 5 6 7 8", "4 2 5 6 7 8"}));
  const std::vector<std::string> coeffs = commands(files.coeffs);
  EXPECT_NE(std::find(coeffs.begin(), coeffs.end(), "dihedral_coeff 1 1 3 0 0.8333"), coeffs.end());
  EXPECT_NE(std::find(coeffs.begin(), coeffs.end(), "dihedral_coeff 2 0.5 2 180 0"), coeffs.end());
  // CT-HC 1-4: sigma 3 A, epsilon 0.05 kcal/mol / 0.8333 (the weight also scales the LJ)
  EXPECT_NE(std::find(coeffs.begin(), coeffs.end(), "pair_coeff 1 2 0.1414213562 3 0.0600024001 3"), coeffs.end())
      << commands(files.coeffs)[1];
  EXPECT_NE(std::find(commands(files.settings).begin(), commands(files.settings).end(),
                      "special_bonds lj 0.0 0.0 0.0 coul 0.0 0.0 0.0"),
            commands(files.settings).end());

  // the energies: GROMACS's sum by hand (within a chain everything is excluded but the [ pairs ]
  // line 1-4: pairtype LJ and fudgeQQ x Coulomb; between molecules plain LJ by comb-rule 2 and Coulomb)
  if (have_lammps()) {
    std::string charged = text;
    charged.replace(charged.find("4 HC 1 BUT H4 1  0.00"), 21, "4 HC 1 BUT H4 1  0.10");
    const Topology with_charge = read_topology(write_file("charmm_like/charged.top", charged));
    LammpsWriterOptions options;
    options.nonbonded.cutoff = 14.0;
    const LammpsSystemFiles run = write_lammps_system(with_charge, small_positions(), Box::orthorhombic(60, 60, 60),
                                                      (scratch_folder() / "charmm_like/charged").string(), options);
    const auto e = run_lammps(scratch_folder() / "charmm_like",
                              "include " + run.settings + "\n" + run.read_data_line + "\ninclude " + run.coeffs +
                                  "\nrun 0\nprint \"ENERGY nonbonded $(evdwl+ecoul:%.12g)\"\n");
    ASSERT_EQ(e.count("nonbonded"), 1u) << "LAMMPS failed, see " << (scratch_folder() / "charmm_like/lammps.out");
    const std::vector<Vec3> x = small_positions();
    const std::vector<double> q = {-0.1, 0.05, 0.05, 0.1, -0.1, 0.05, 0.05, 0.1, 1.0};
    const std::vector<double> sigma = {3.5, 3.5, 3.5, 2.5, 3.5, 3.5, 3.5, 2.5, 3.0}, epsilon = {0.1, 0.1, 0.1, 0.2, 0.1, 0.1, 0.1, 0.2, 0.0};
    const auto lj = [](double s, double eps, double r) { return 4 * eps * (std::pow(s / r, 12) - std::pow(s / r, 6)); };
    const double coulomb = 332.06371;    // LAMMPS real's constant: the check is of the conversion, not of it
    double expected = 0;
    for (int i = 0; i < 9; ++i)
      for (int j = i + 1; j < 9; ++j) {
        const double r = (x[i] - x[j]).norm();
        if (i / 4 == j / 4 && i < 8 && j < 8) {
          if (j == i + 3) expected += lj(3.0, 0.05, r) + 0.8333 * coulomb * q[i] * q[j] / r;    // [ pairs ] 1 4
        } else if (r < 14.0) {
          expected += lj((sigma[i] + sigma[j]) / 2, std::sqrt(epsilon[i] * epsilon[j]), r) + coulomb * q[i] * q[j] / r;
        }
      }
    EXPECT_NEAR(e.at("nonbonded"), expected, 1e-7 * std::abs(expected));
  }

  // without the dihedral, a K = 0 dihedral along the bonds carries the pair
  std::string no_dihedral = text;
  no_dihedral.replace(no_dihedral.find("1 2 3 4 9 0.0 4.184 3\n1 2 3 4 9 180.0 2.092 2\n"), 46, "");
  const Topology bare = read_topology(write_file("charmm_like/bare.top", no_dihedral));
  const LammpsSystemFiles bare_files = write_lammps_system(bare, small_positions(), Box::orthorhombic(30, 30, 30), prefix);
  EXPECT_EQ(section(lines_of(bare_files.data), "Dihedrals"), (std::vector<std::string>{"1 1 1 2 3 4", "2 1 5 6 7 8"}));
  const std::vector<std::string> bare_coeffs = commands(bare_files.coeffs);
  EXPECT_NE(std::find(bare_coeffs.begin(), bare_coeffs.end(), "dihedral_coeff 1 0 1 0 0.8333"), bare_coeffs.end());
}
