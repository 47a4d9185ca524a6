// The force-field residue files (.rtp, .hdb, .tdb, .r2b, .arn) as GROMACS ships them: counts and
// records read here by hand from the files, and every malformed record named by file and line.
#include "residue_database.h"

#include "file_error.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace BACKMAP {
namespace {

const std::string gromacs_top = "/usr/share/gromacs/top";

std::string charmm36() { return test::shared_data("forcefields/charmm36/charmm36-jul2022.ff"); }

TEST(ResidueDatabase, Amber99sbIldnBuildingBlocksHydrogensAndTermini)
{
  if (!std::filesystem::exists(gromacs_top + "/amber99sb-ildn.ff")) GTEST_SKIP() << "gromacs-data is not installed";
  const ResidueDatabase db = ResidueDatabase::load(gromacs_top + "/amber99sb-ildn.ff");
  // aminoacids.rtp: [ bondedtypes ] 1 1 9 4 1 3 1 0
  const BondedTypes &bt = db.bonded_types();
  EXPECT_EQ(bt.bond, 1);
  EXPECT_EQ(bt.angle, 1);
  EXPECT_EQ(bt.dihedral, 9);
  EXPECT_EQ(bt.improper, 4);
  EXPECT_TRUE(bt.all_dihedrals);
  EXPECT_EQ(bt.exclusions, 3);
  EXPECT_TRUE(bt.hydrogen_pairs);
  EXPECT_FALSE(bt.remove_dihedrals);
  // [ ALA ]: N H CA HA CB HB1 HB2 HB3 C O; N -0.4157, C 0.5973
  const BuildingBlock *ala = db.block("ALA");
  ASSERT_NE(ala, nullptr);
  ASSERT_EQ(ala->atoms.size(), 10u);
  EXPECT_EQ(ala->atoms[0].name, "N");
  EXPECT_EQ(ala->atoms[0].type, "N");
  EXPECT_DOUBLE_EQ(ala->atoms[0].charge, -0.4157);
  EXPECT_EQ(ala->atoms[8].name, "C");
  EXPECT_DOUBLE_EQ(ala->atoms[8].charge, 0.5973);
  ASSERT_EQ(ala->impropers.size(), 2u);    // -C CA N H and CA +N C O
  EXPECT_EQ(ala->impropers[0].atoms, (std::vector<std::string>{"-C", "CA", "N", "H"}));
  // amber termini are building blocks of their own (NALA, CALA), listed in the .r2b
  ASSERT_NE(db.residue_names("ALA"), nullptr);
  EXPECT_EQ(db.residue_names("ALA")->start, "NALA");
  EXPECT_EQ(db.residue_names("ALA")->end, "CALA");
  EXPECT_TRUE(db.residue_names("ARGN")->middle.empty());    // "-": no such block
  EXPECT_EQ(db.residue_names("HISE")->middle, "HIE");
  ASSERT_NE(db.block("NALA"), nullptr);
  EXPECT_EQ(db.block("NALA")->find_atom("H3"), 3);
  // aminoacids.hdb: ALA has 3 lines: 1 1 H N -C CA / 1 5 HA CA N C CB / 3 4 HB CB CA N
  const auto &h = db.hydrogens("ALA");
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].type, 1);
  EXPECT_EQ(h[0].control, (std::vector<std::string>{"N", "-C", "CA"}));
  EXPECT_EQ(h[1].type, 5);
  EXPECT_EQ(h[1].control.size(), 4u);
  EXPECT_EQ(h[2].count, 3);
  EXPECT_EQ(h[2].type, 4);
  EXPECT_EQ(h[2].name, "HB");
  // .arn: NALA H -> H1
  EXPECT_EQ(db.atom_name("NALA", "H"), "H1");
  EXPECT_EQ(db.atom_name("ALA", "H"), "H");
}

TEST(ResidueDatabase, Charmm36TerminiWithSeveralReplaceSections)
{
  SKIP_IF_MISSING(charmm36() + "/forcefield.itp");
  const ResidueDatabase db = ResidueDatabase::load(charmm36());
  EXPECT_EQ(db.bonded_types().angle, 5);    // Urey-Bradley
  EXPECT_EQ(db.bonded_types().improper, 2);
  const BuildingBlock *ala = db.block("ALA");
  ASSERT_NE(ala, nullptr);
  ASSERT_EQ(ala->cmap.size(), 1u);
  EXPECT_EQ(ala->cmap[0].atoms, (std::vector<std::string>{"-C", "N", "CA", "C", "+N"}));
  // aminoacids.n.tdb [ NH3+ ]: deletes HN HN1 HT2 HT1 HN2, retypes N CA HA, adds 3 H on N
  const Terminus *nh3 = db.n_terminus("NH3+");
  ASSERT_NE(nh3, nullptr);
  EXPECT_EQ(nh3->remove.size(), 5u);
  ASSERT_EQ(nh3->replace.size(), 3u);
  EXPECT_EQ(nh3->replace[0].type, "NH3");
  EXPECT_DOUBLE_EQ(nh3->replace[0].charge, -0.30);
  ASSERT_EQ(nh3->add.size(), 1u);
  EXPECT_EQ(nh3->add[0].rule.count, 3);
  EXPECT_EQ(nh3->add[0].rule.type, 4);
  EXPECT_EQ(nh3->add[0].type, "HC");
  EXPECT_DOUBLE_EQ(nh3->add[0].charge, 0.33);
  // aminoacids.c.tdb [ COOH ]: two [ replace ] sections, two [ add ] lines (types 9 and 2)
  const Terminus *cooh = db.c_terminus("COOH");
  ASSERT_NE(cooh, nullptr);
  EXPECT_EQ(cooh->replace.size(), 2u);
  ASSERT_EQ(cooh->add.size(), 2u);
  EXPECT_EQ(cooh->add[0].rule.type, 9);
  EXPECT_EQ(cooh->add[1].rule.type, 2);
  EXPECT_EQ(cooh->impropers.size(), 1u);
  // .arn: any residue's H is HN in CHARMM
  EXPECT_EQ(db.atom_name("LEU", "H"), "HN");
}

TEST(ResidueDatabase, EveryGromacsForceFieldReads)
{
  if (!std::filesystem::exists(gromacs_top)) GTEST_SKIP() << "gromacs-data is not installed";
  int read = 0;
  for (const auto &e : std::filesystem::directory_iterator(gromacs_top))
    if (e.is_directory() && e.path().extension() == ".ff") {
      const ResidueDatabase db = ResidueDatabase::load(e.path().string());
      EXPECT_NE(db.block("ALA"), nullptr) << e.path();
      ++read;
    }
  EXPECT_GE(read, 10);
}

TEST(ResidueDatabase, BadRecordsNameFileAndLine)
{
  const auto dir = test::temp_dir() / "bad.ff";
  std::filesystem::create_directories(dir);
  auto expect_error = [&](const std::string &file, const std::string &text, const std::string &where,
                          const std::string &what) {
    for (const auto &e : std::filesystem::directory_iterator(dir)) std::filesystem::remove(e.path());
    std::ofstream(dir / "x.rtp") << "[ bondedtypes ]\n1 1 9 4\n[ GLY ]\n [ atoms ]\n N N -0.4 0\n CA CT 0.4 0\n";
    if (file != "x.rtp") std::ofstream(dir / file) << text;
    else std::ofstream(dir / file) << text;
    try {
      ResidueDatabase::load(dir.string());
      ADD_FAILURE() << "no error for " << file;
    } catch (const FileError &e) {
      EXPECT_NE(std::string(e.what()).find(where), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  expect_error("x.rtp", "[ GLY ]\n [ atoms ]\n N N -0.4x 0\n", "x.rtp:3", "charge '-0.4x' is not a number");
  expect_error("x.rtp", "[ GLY ]\n [ atoms ]\n N N -0.4 0\n N N 0.1 0\n", "x.rtp:4", "atom N twice");
  expect_error("x.rtp", "[ atoms ]\n N N 0 0\n", "x.rtp:1", "outside a building block");
  expect_error("x.hdb", "GLY 2\n1 1 H N -C CA\n", "x.hdb:1", "announces 2 lines");
  expect_error("x.hdb", "GLY 1\n1 12 H N -C CA\n", "x.hdb:2", "add type 12");
  expect_error("x.n.tdb", "[ NH3+ ]\n[ add ]\n3 4 H N CA C\n", "x.n.tdb:3", "must be followed");
  expect_error("x.c.tdb", "[ COO- ]\n[ replace ]\nC CC 12.011\n", "x.c.tdb:3", "4 or 5 fields");
  expect_error("x.r2b", "ALA ALA NALA\n", "x.r2b:1", "2 columns");
}

}    // namespace
}    // namespace BACKMAP
