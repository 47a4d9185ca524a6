/* The GROMACS topology reader on real force fields (amber99sb-ildn, charmm27, charmm36-jul2022,
   Martini 3): numbers read from the files by hand. */

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

