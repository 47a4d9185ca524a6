/* Tests of the GROMACS topology parser (forcefield layer): every directive of a small system,
   grompp-style parameter look-up, and errors that name the file and line. */

#include "parameter_lookup.h"
#include "topology_file.h"
#include "topology_preprocessor.h"

#include "file_error.h"
#include "gromacs_test_support.h"
#include "structure_io.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
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
#include "topology_test_support.h"

namespace fs = std::filesystem;
using namespace BACKMAP;
using namespace BACKMAP::test;

// ---------------------------------------------------------------------------------------------
// Parser

TEST(TopologyFile, AtomtypesInEveryColumnLayout)
{
  const std::string path = write_file("tf_atomtypes.top",
                                      "[ defaults ]\n1 2 yes 0.5 0.8333\n"
                                      "[ atomtypes ]\n"
                                      "P6 72.0 0.000 A 0.47 4.99\n"                          // name mass charge ptype V W
                                      "CT 6 12.01 0.0000 A 3.39967e-01 4.57730e-01\n"        // + atomic number
                                      "opls_135 CT 12.011 -0.18 A 3.5e-01 2.76144e-01\n"     // + bonded type
                                      "opls_140 HC 1 1.008 0.06 A 2.5e-01 1.25520e-01\n"     // + both
                                      "MW 0 0.0 0.0 D 0.0 0.0\n");                            // virtual site
  const Topology top = read_topology(path);
  ASSERT_EQ(top.atomtypes.size(), 5u);
  const AtomType &p6 = top.atomtypes[0];
  EXPECT_EQ(p6.bond_type, "P6");
  EXPECT_EQ(p6.atomic_number, -1);
  EXPECT_DOUBLE_EQ(p6.mass, 72.0);
  expect_values(p6.nonbonded, {0.47, 4.99});
  const AtomType &ct = top.atomtypes[1];
  EXPECT_EQ(ct.bond_type, "CT");
  EXPECT_EQ(ct.atomic_number, 6);
  EXPECT_DOUBLE_EQ(ct.mass, 12.01);
  expect_values(ct.nonbonded, {0.339967, 0.45773});
  const AtomType &o135 = top.atomtypes[2];
  EXPECT_EQ(o135.bond_type, "CT");
  EXPECT_EQ(o135.atomic_number, -1);
  EXPECT_DOUBLE_EQ(o135.charge, -0.18);
  const AtomType &o140 = top.atomtypes[3];
  EXPECT_EQ(o140.bond_type, "HC");
  EXPECT_EQ(o140.atomic_number, 1);
  EXPECT_DOUBLE_EQ(o140.mass, 1.008);
  EXPECT_DOUBLE_EQ(o140.charge, 0.06);
  expect_values(o140.nonbonded, {0.25, 0.12552});
  EXPECT_EQ(top.atomtypes[4].particle_type, 'D');
  EXPECT_EQ(top.atomtypes[4].atomic_number, 0);
  EXPECT_TRUE(top.defaults.gen_pairs);
  EXPECT_DOUBLE_EQ(top.defaults.fudge_qq, 0.8333);
}

namespace {

// A small system that uses every directive the reader knows; the line numbers in comments are
// the ones the tests check.
const char *const small_system =
    "#define gb_1 0.1000 1.5700e+07\n"                        // 1
    "[ defaults ]\n"                                          // 2
    "1 2 yes 0.5 0.8333\n"                                    // 3
    "[ atomtypes ]\n"                                         // 4
    "CT 6 12.01 -0.1 A 0.339967 0.45773\n"                    // 5
    "HC 1 1.008 0.06 A 0.264953 0.0656888\n"                  // 6
    "OW 8 15.9994 -0.834 A 0.315061 0.636386\n"               // 7
    "HW 1 1.008 0.417 A 0 0\n"                                // 8
    "MW 0 0 0 D 0 0\n"                                        // 9
    "[ nonbond_params ]\n"                                    // 10
    "OW HW 1 0.3 0.2\n"                                       // 11
    "[ bondtypes ]\n"                                         // 12
    "CT CT 1 0.1526 259408.0\n"                               // 13
    "CT HC 1 0.1090 284512.0\n"                               // 14
    "[ constrainttypes ]\n"                                   // 15
    "CT HC 1 0.109\n"                                         // 16
    "[ angletypes ]\n"                                        // 17
    "HC CT HC 1 109.5 292.88\n"                               // 18
    "CT CT HC 1 110.7 313.8\n"                                // 19
    "[ dihedraltypes ]\n"                                     // 20
    "X CT CT X 9 0.0 0.6508 3\n"                              // 21
    "HC CT CT HC 9 0.0 0.6276 3\n"                            // 22
    "HC CT CT HC 9 180.0 0.1 2\n"                             // 23
    "CT HC 9 0.0 0.2 1\n"                                     // 24: X CT HC X
    "CT HC 2 0.0 10.0\n"                                      // 25: CT X X HC
    "[ pairtypes ]\n"                                         // 26
    "HC HC 1 0.25 0.03\n"                                     // 27
    "[ cmaptypes ]\n"                                         // 28
    "CT CT CT CT CT 1 2 2\\\n"                                // 29
    "1 2\\\n"                                                 // 30
    "3 4\n"                                                   // 31
    "[ implicit_genborn_params ]\n"                           // 32
    "CT 0.1 1 1.9 0.875\n"                                    // 33
    "[ moleculetype ]\n"                                      // 34
    "; name nrexcl\n"                                         // 35
    "ETH 3\n"                                                 // 36
    "[ atoms ]\n"                                             // 37
    "1 CT 1 ETH C1 1 -0.18 12.01\n"                           // 38
    "2 CT 1 ETH C2 1 -0.12\n"                                 // 39: mass from the type
    "3 HC 1 ETH H1 2\n"                                       // 40: charge and mass from the type
    "4 HC 2A ETH H2 2 0.06 1.008\n"                           // 41: insertion code
    "5 CT 2A ETH C3 3 0.12 12.01 OW -0.5\n"                   // 42: B state
    "[ bonds ]\n"                                             // 43
    "1 2 1\n"                                                 // 44
    "1 3 2 gb_1\n"                                            // 45
    "3 1\n"                                                   // 46: function 1 by default, reversed
    "2 5 1 0.2 1000 0.21 1100\n"                              // 47: states A and B
    "[ pairs ]\n"                                             // 48
    "3 4 1\n"                                                 // 49: [ pairtypes ]
    "1 5\n"                                                   // 50: generated
    "3 5 1 0.3 0.4\n"                                         // 51: explicit
    "[ angles ]\n"                                            // 52
    "3 1 2 1\n"                                               // 53: reversed CT CT HC
    "[ dihedrals ]\n"                                         // 54
    "3 1 2 4 9\n"                                             // 55: two terms
    "3 1 2 5 9\n"                                             // 56: X CT CT X
    "1 2 5 3 2\n"                                             // 57: improper CT X X HC
    "3 1 2 4 9 10.0 1.0 1\n"                                  // 58: explicit
    "[ cmap ]\n"                                              // 59
    "1 2 5 1 2 1\n"                                           // 60
    "[ constraints ]\n"                                       // 61
    "1 3\n"                                                   // 62
    "[ exclusions ]\n"                                        // 63
    "1 4 5\n"                                                 // 64
    "[ moleculetype ]\n"                                      // 65
    "SOL 2\n"                                                 // 66
    "[ atoms ]\n"                                             // 67
    "1 OW 1 SOL OW 1 -0.834 16.0\n"                           // 68
    "2 HW 1 SOL HW1 1 0.417 1.008\n"                          // 69
    "3 HW 1 SOL HW2 1 0.417 1.008\n"                          // 70
    "4 MW 1 SOL MW 1 0 0\n"                                   // 71
    "[ pairs ]\n"                                             // 72
    "1 2\n"                                                   // 73: generated from nonbond_params
    "#ifndef FLEXIBLE\n"                                      // 74
    "[ settles ]\n"                                           // 75
    "1 1 0.09572 0.15139\n"                                   // 76
    "#else\n"                                                 // 77
    "[ bonds ]\n"                                             // 78
    "1 2 1 0.09572 502416.0\n"                                // 79
    "1 3 1 0.09572 502416.0\n"                                // 80
    "#endif\n"                                                // 81
    "[ virtual_sites3 ]\n"                                    // 82
    "4 1 2 3 1 0.128 0.128\n"                                 // 83
    "[ virtual_sites2 ]\n"                                    // 84
    "4 1 2 1 0.5\n"                                           // 85
    "[ virtual_sitesn ]\n"                                    // 86
    "4 2 1 2 3\n"                                             // 87
    "4 3 1 0.8 2 0.1 3 0.1\n"                                 // 88
    "[ position_restraints ]\n"                               // 89
    "1 1 1000 1000 1000\n"                                    // 90
    "[ constraints ]\n"                                       // 91
    "2 3 2 0.15\n"                                            // 92
    "[ system ]\n"                                            // 93
    "Test system\n"                                           // 94
    "[ molecules ]\n"                                         // 95
    "ETH 2\n"                                                 // 96
    "SOL 3\n";                                                // 97

}    // namespace

TEST(TopologyFile, ReadsEveryDirectiveOfASmallSystem)
{
  const std::string path = write_file("tf_small/system.top", small_system);
  const Topology top = read_topology(path);
  EXPECT_EQ(top.defaults.nbfunc, 1);
  EXPECT_EQ(top.defaults.comb_rule, 2);
  EXPECT_DOUBLE_EQ(top.defaults.fudge_lj, 0.5);
  EXPECT_EQ(top.atomtypes.size(), 5u);
  EXPECT_EQ(top.nonbond_params.size(), 1u);
  EXPECT_EQ(top.bondtypes.size(), 2u);
  EXPECT_EQ(top.constrainttypes.size(), 1u);
  EXPECT_EQ(top.angletypes.size(), 2u);
  ASSERT_EQ(top.dihedraltypes.size(), 5u);
  EXPECT_EQ(top.dihedraltypes[3].types, tokens("X CT HC X"));
  EXPECT_EQ(top.dihedraltypes[4].types, tokens("CT X X HC"));
  EXPECT_EQ(top.dihedraltypes[4].line, 25);
  EXPECT_EQ(top.pairtypes.size(), 1u);
  ASSERT_EQ(top.cmaptypes.size(), 1u);
  EXPECT_EQ(top.cmaptypes[0].grid_x, 2);
  expect_values(top.cmaptypes[0].values, {1, 2, 3, 4});
  EXPECT_EQ(top.cmaptypes[0].line, 29);
  EXPECT_EQ(top.system, "Test system");
  ASSERT_EQ(top.molecules.size(), 2u);
  EXPECT_EQ(top.molecules[1].name, "SOL");
  EXPECT_EQ(top.molecules[1].count, 3);

  ASSERT_EQ(top.moleculetypes.size(), 2u);
  const MoleculeType &eth = top.moleculetypes[0];
  EXPECT_EQ(eth.name, "ETH");
  EXPECT_EQ(eth.nrexcl, 3);
  ASSERT_EQ(eth.atoms.size(), 5u);
  EXPECT_DOUBLE_EQ(eth.atoms[1].mass, 12.01);    // from the atom type
  EXPECT_FALSE(eth.atoms[1].mass_given);
  EXPECT_DOUBLE_EQ(eth.atoms[2].charge, 0.06);
  EXPECT_DOUBLE_EQ(eth.atoms[2].mass, 1.008);
  EXPECT_EQ(eth.atoms[3].resnr, 2);
  EXPECT_EQ(eth.atoms[3].insertion_code, 'A');
  EXPECT_EQ(eth.atoms[3].atom, "H2");
  EXPECT_EQ(eth.atoms[4].type_b, "OW");
  EXPECT_DOUBLE_EQ(eth.atoms[4].charge_b, -0.5);
  EXPECT_DOUBLE_EQ(eth.atoms[4].mass_b, 15.9994);
  ASSERT_EQ(eth.bonds.size(), 4u);
  EXPECT_EQ(eth.bonds[1].function, 2);
  expect_values(eth.bonds[1].parameters, {0.1, 1.57e7});    // #define substituted
  EXPECT_EQ(eth.bonds[2].function, 1);
  EXPECT_TRUE(eth.bonds[2].parameters.empty());
  EXPECT_EQ(eth.bonds[2].line, 46);
  EXPECT_EQ(eth.pairs.size(), 3u);
  EXPECT_EQ(eth.angles.size(), 1u);
  EXPECT_EQ(eth.dihedrals.size(), 4u);
  EXPECT_EQ(eth.cmap.size(), 1u);
  EXPECT_EQ(eth.constraints.size(), 1u);
  ASSERT_EQ(eth.exclusions.size(), 1u);
  EXPECT_EQ(eth.exclusions[0], (std::vector<int>{1, 4, 5}));

  const MoleculeType &sol = top.moleculetypes[1];
  EXPECT_EQ(sol.settles.size(), 1u);
  EXPECT_TRUE(sol.bonds.empty());
  EXPECT_EQ(sol.settles[0].atoms, std::vector<int>{1});
  ASSERT_EQ(sol.virtual_sites3.size(), 1u);
  EXPECT_EQ(sol.virtual_sites3[0].atoms, (std::vector<int>{4, 1, 2, 3}));
  EXPECT_EQ(sol.virtual_sites2.size(), 1u);
  ASSERT_EQ(sol.virtual_sitesn.size(), 2u);
  EXPECT_EQ(sol.virtual_sitesn[1].atoms, (std::vector<int>{4, 1, 2, 3}));
  expect_values(sol.virtual_sitesn[1].parameters, {0.8, 0.1, 0.1});
  EXPECT_EQ(sol.position_restraints.size(), 1u);
  EXPECT_EQ(sol.constraints[0].function, 2);

  // totals: 2 ETH (5 atoms) and 3 SOL (4 atoms)
  EXPECT_EQ(top.atom_count(), 2 * 5 + 3 * 4);
  EXPECT_NEAR(top.charge(), 2 * (-0.18 - 0.12 + 0.06 + 0.06 + 0.12) + 3 * 0.0, 1e-12);
  EXPECT_NEAR(top.mass(), 2 * (12.01 * 3 + 1.008 * 2) + 3 * (16.0 + 2 * 1.008), 1e-9);

  PreprocessorOptions flexible;
  flexible.defines["FLEXIBLE"] = "";
  const Topology flex = read_topology(path, flexible);
  EXPECT_TRUE(flex.moleculetypes[1].settles.empty());
  EXPECT_EQ(flex.moleculetypes[1].bonds.size(), 2u);
}

TEST(TopologyFile, LooksUpParametersAsGrompp)
{
  const std::string path = write_file("tf_small/system.top", small_system);
  const Topology top = read_topology(path);
  const ParameterLookup lookup(top);
  const MoleculeType &eth = top.moleculetypes[0];
  const MoleculeType &sol = top.moleculetypes[1];
  using Sets = std::vector<std::vector<double>>;
  const auto one = [](const Sets &s) {
    EXPECT_EQ(s.size(), 1u);
    return s.empty() ? std::vector<double>{} : s[0];
  };
  expect_values(one(lookup.resolve(eth, "bonds", eth.bonds[0])), {0.1526, 259408.0});
  expect_values(one(lookup.resolve(eth, "bonds", eth.bonds[1])), {0.1, 1.57e7});
  expect_values(one(lookup.resolve(eth, "bonds", eth.bonds[2])), {0.109, 284512.0});    // HC CT = CT HC
  expect_values(one(lookup.resolve(eth, "bonds", eth.bonds[3])), {0.2, 1000});          // state A only
  expect_values(one(lookup.resolve(eth, "angles", eth.angles[0])), {110.7, 313.8});     // HC CT CT = CT CT HC
  // HC CT CT HC: the exact block of two lines wins over X CT CT X
  const Sets two = lookup.resolve(eth, "dihedrals", eth.dihedrals[0]);
  ASSERT_EQ(two.size(), 2u);
  expect_values(two[0], {0.0, 0.6276, 3});
  expect_values(two[1], {180.0, 0.1, 2});
  expect_values(one(lookup.resolve(eth, "dihedrals", eth.dihedrals[1])), {0.0, 0.6508, 3});
  expect_values(one(lookup.resolve(eth, "dihedrals", eth.dihedrals[2])), {0.0, 10.0});
  expect_values(one(lookup.resolve(eth, "dihedrals", eth.dihedrals[3])), {10.0, 1.0, 1});
  EXPECT_EQ(lookup.resolve_all(eth, "dihedrals").size(), 5u);
  // pairs: [ pairtypes ], then generated (sigma mean, epsilon geometric times fudgeLJ 0.5)
  expect_values(one(lookup.resolve(eth, "pairs", eth.pairs[0])), {0.25, 0.03});
  expect_values(one(lookup.resolve(eth, "pairs", eth.pairs[1])), {0.339967, 0.5 * 0.45773});
  expect_values(one(lookup.resolve(eth, "pairs", eth.pairs[2])), {0.3, 0.4});
  expect_values(one(lookup.resolve(sol, "pairs", sol.pairs[0])), {0.3, 0.5 * 0.2});    // nonbond_params
  expect_values(one(lookup.resolve(eth, "constraints", eth.constraints[0])), {0.109});
  expect_values(one(lookup.resolve(eth, "cmap", eth.cmap[0])), {1, 2, 3, 4});
  EXPECT_EQ(lookup.cmap_type(eth, eth.cmap[0]).grid_y, 2);
  expect_values(one(lookup.resolve(sol, "settles", sol.settles[0])), {0.09572, 0.15139});
  expect_values(one(lookup.resolve(sol, "virtual_sites3", sol.virtual_sites3[0])), {0.128, 0.128});
  expect_values(one(lookup.resolve(sol, "virtual_sitesn", sol.virtual_sitesn[1])), {0.8, 0.1, 0.1});
  expect_values(one(lookup.resolve(sol, "constraints", sol.constraints[0])), {0.15});
}

TEST(TopologyFile, LookUpRulesForOverridesWildcardsAndMissingTypes)
{
  const std::string path = write_file("tf_rules.top",
                                      "[ defaults ]\n1 1 no\n"                     // 1-2
                                      "[ atomtypes ]\n"                            // 3
                                      "A 1 1.0 0.0 A 0 0\n"                        // 4
                                      "B 1 1.0 0.0 A 0 0\n"                        // 5
                                      "[ bondtypes ]\n"                            // 6
                                      "A B 1 0.1 100\n"                            // 7
                                      "B A 1 0.2 200\n"                            // 8: replaces line 7
                                      "[ dihedraltypes ]\n"                        // 9
                                      "X A A B 4 180 10 2\n"                       // 10: 2 exact
                                      "A A A X 4 0 20 3\n"                         // 11: 3 exact too, later
                                      "A B B A 4 0 30 1\n"                         // 12
                                      "X X X X 1 0 1 1\n"                          // 13: anything
                                      "[ moleculetype ]\nM 3\n"                    // 14-15
                                      "[ atoms ]\n"                                // 16
                                      "1 A 1 R A1 1\n2 B 1 R B1 1\n3 A 1 R A2 1\n"  // 17-19
                                      "[ bonds ]\n"                                // 20
                                      "1 2\n"                                      // 21
                                      "1 3\n"                                      // 22: A A has no type
                                      "[ pairs ]\n"                                // 23
                                      "1 2\n"                                      // 24: gen-pairs no
                                      "[ dihedrals ]\n"                            // 25
                                      "1 3 3 2 4\n"                                // 26: A A A B
                                      "2 3 3 1 4\n"                                // 27: B A A A
                                      "1 2 2 1 4\n"                                // 28: exact
                                      "2 2 2 2 1\n"                                // 29: X X X X
                                      "1 2 2 1 9 0 0 2\n"                          // 30: no force: dropped
                                      "[ angles ]\n1 2 3 1 0 0\n");                // 31-32: all zero: dropped
  const Topology top = read_topology(path);
  const ParameterLookup lookup(top);
  const MoleculeType &m = top.moleculetypes[0];
  expect_values(lookup.resolve(m, "bonds", m.bonds[0])[0], {0.2, 200});
  expect_error_at([&] { lookup.resolve(m, "bonds", m.bonds[1]); }, path, 22, "no [ bondtypes ] function 1 line for atom types A A");
  expect_error_at([&] { lookup.resolve_all(m, "bonds"); }, path, 22, "A A");
  expect_error_at([&] { lookup.resolve(m, "pairs", m.pairs[0]); }, path, 24, "no [ pairtypes ]");
  // A A A B: line 10 (X A A B) and line 11 (A A A X) both match 3 types exactly: the first in
  // the file wins; B A A A: both match reversed, line 10 again
  expect_values(lookup.resolve(m, "dihedrals", m.dihedrals[0])[0], {180, 10, 2});
  expect_values(lookup.resolve(m, "dihedrals", m.dihedrals[1])[0], {180, 10, 2});
  expect_values(lookup.resolve(m, "dihedrals", m.dihedrals[2])[0], {0, 30, 1});
  expect_values(lookup.resolve(m, "dihedrals", m.dihedrals[3])[0], {0, 1, 1});
  // grompp leaves out terms that do nothing
  EXPECT_EQ(m.dihedrals.size(), 5u);
  EXPECT_EQ(lookup.resolve_all(m, "dihedrals").size(), 4u);
  EXPECT_EQ(m.angles.size(), 1u);
  EXPECT_TRUE(lookup.resolve_all(m, "angles").empty());

  const std::string twice = write_file("tf_rules_twice.top",
                                       "[ atomtypes ]\nA 1 1.0 0.0 A 0 0\n"
                                       "[ dihedraltypes ]\n"
                                       "A A A A 9 0 1 1\n"
                                       "A A A A 9 0 2 2\n"     // 5: same block, adds a term
                                       "X A A X 9 0 3 3\n"
                                       "A A A A 9 0 4 4\n"     // 7: a second block: refused
                                       "[ moleculetype ]\nM 3\n[ atoms ]\n1 A 1 R A1 1\n");
  const Topology t2 = read_topology(twice);
  expect_error_at([&] { ParameterLookup{t2}; }, twice, 7, "second block of function 9");
}

TEST(TopologyFile, ErrorsNameFileAndLine)
{
  const std::string head = "[ defaults ]\n1 2 yes 0.5 0.8333\n[ atomtypes ]\nCT 6 12.01 0 A 0.3 0.4\n";    // 4 lines
  const std::string mol = "[ moleculetype ]\nM 3\n[ atoms ]\n1 CT 1 R C1 1\n2 CT 1 R C2 1\n";              // lines 5-9
  const auto check = [&](const std::string &name, const std::string &text, int line, const std::string &fragment) {
    const std::string path = write_file("tf_err/" + name + ".top", text);
    expect_error_at([&] { read_topology(path); }, path, line, fragment);
  };
  check("section", head + "[ bondz ]\n", 5, "unknown section [ bondz ]");
  check("number", head + "[ bondtypes ]\nCT CT 1 0.15x 1000\n", 6, "parameter is not a number: '0.15x'");
  check("atomtype_number", head + "HC 1 1.008 zero A 0.2 0.01\n", 5, "charge is not a number: 'zero'");
  check("atomtype_columns", head + "HC 1 1.008 0 A\n", 5, "columns, expected at least 6");
  check("atomtype_nonbonded", head + "HC 1 1.008 0 A 0.2 0.1 0.3\n", 5, "3 nonbonded parameters");
  check("ptype", head + "HC 1 1.008 0 Q 0.2 0.1\n", 5, "particle type");
  check("defaults_twice", head + "[ defaults ]\n1 2\n", 6, "second [ defaults ]");
  check("atom_columns", head + "[ moleculetype ]\nM 3\n[ atoms ]\n1 CT 1 R C1\n", 8, "5 columns, expected 6 to 11");
  check("atom_numbering", head + "[ moleculetype ]\nM 3\n[ atoms ]\n1 CT 1 R C1 1\n3 CT 1 R C2 1\n", 9,
        "atom number 3 where 2 comes next");
  check("atom_type", head + "[ moleculetype ]\nM 3\n[ atoms ]\n1 XX 1 R C1 1\n", 8, "unknown atom type XX");
  check("index", head + mol + "[ bonds ]\n1 3 1\n", 11, "atom index 3 out of range 1-2");
  check("index_number", head + mol + "[ bonds ]\n1 b 1\n", 11, "atom index is not an integer: 'b'");
  check("parameter_count", head + mol + "[ bonds ]\n1 2 1 0.1\n", 11, "takes 0, 2 or 4 parameters, found 1");
  check("function", head + mol + "[ bonds ]\n1 2 77\n", 11, "unknown function type 77");
  check("bonded_columns", head + mol + "[ angles ]\n1 2\n", 11, "expected 3 atom indices");
  check("settles_own", head + mol + "[ settles ]\n1 1\n", 11, "takes 2 parameters, found 0");
  check("outside", head + "[ bonds ]\n1 2\n", 5, "before any [ moleculetype ]");
  check("molecule_twice", head + mol + "[ moleculetype ]\nM 1\n", 11, "defined twice");
  check("molecules", head + mol + "[ molecules ]\nM 1\nN 2\n", 12, "no [ moleculetype ] N");
  check("cmap_grid", head + "[ cmaptypes ]\nCT CT CT CT CT 1 2 2\\\n1 2 3\n", 6, "needs 4 values, found 3");
  check("dihedraltype_form", head + "[ dihedraltypes ]\nCT CT CT 9\n", 6, "2 or 4 type names");

  // an error inside an included file names that file
  const std::string itp = write_file("tf_err/inner.itp", "[ bondtypes ]\nCT CT 1 0.1 1e5 7\n");
  const std::string top = write_file("tf_err/outer.top", head + "#include \"inner.itp\"\n");
  expect_error_at([&] { read_topology(top); }, itp, 2, "takes 2 or 4 parameters, found 3");
}

