// The shipped mapping sets load, validate, and answer to the residue names users have.
#include "mapping_set.h"
#include "residue_matching.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <set>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

const std::set<std::string> amino_acids = {"ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
                                           "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL"};

}    // namespace

TEST(MappingSet, Martini3HasEveryAminoAcidAndLipid)
{
  const MappingSet set = MappingSet::load_directory(potentials("mappings/martini3"));
  for (const auto &aa : amino_acids) {
    const MoleculeMapping *m = set.find(aa);
    ASSERT_NE(m, nullptr) << aa;
    EXPECT_EQ(m->kind, MoleculeKind::AminoAcid);
    EXPECT_EQ(m->beads[0].name, "BB");
    EXPECT_TRUE(m->atoms[m->find_atom("OXT")].optional) << aa;
  }
  for (const char *lipid : {"POPC", "POPE", "DOPC", "DPPC", "DMPC", "CHL1"}) EXPECT_NE(set.find(lipid), nullptr) << lipid;
  // Martini 3 bead counts per residue (martinize2's 05-aminoacids.ff)
  EXPECT_EQ(set.find("GLY")->beads.size(), 1u);
  EXPECT_EQ(set.find("TRP")->beads.size(), 6u);
  EXPECT_EQ(set.find("ARG")->beads.size(), 3u);
  EXPECT_EQ(set.find("PHE")->beads.size(), 4u);
}

TEST(MappingSet, CaOnlyHasOneBeadOnCa)
{
  const MappingSet set = MappingSet::load_directory(potentials("mappings/ca"));
  EXPECT_EQ(set.size(), 20u);
  for (const auto &m : set.molecules()) {
    ASSERT_EQ(m.beads.size(), 1u) << m.name;
    EXPECT_EQ(m.beads[0].centre_atom, m.find_atom("CA")) << m.name;
  }
}

TEST(MappingSet, AliasesCoverProtonationAndNamingVariants)
{
  const MappingSet set = MappingSet::load_directory(potentials("mappings/martini3"));
  const std::pair<const char *, const char *> aliases[] = {
      {"HSD", "HIS"}, {"HSE", "HIS"}, {"HSP", "HIS"}, {"HID", "HIS"}, {"HIE", "HIS"}, {"HIP", "HIS"},
      {"ASH", "ASP"}, {"ASPP", "ASP"}, {"GLH", "GLU"}, {"GLUP", "GLU"}, {"LYN", "LYS"}, {"LSN", "LYS"},
      {"CYX", "CYS"}, {"CHL", "CHL1"}, {"CHOL", "CHL1"}};
  for (auto [alias, name] : aliases) {
    const auto c = set.candidates(alias);
    ASSERT_FALSE(c.empty()) << alias;
    EXPECT_EQ(c.front()->name, name) << alias;
  }
  const MoleculeMapping *ile = set.find("ILE");
  EXPECT_EQ(ile->find_atom("CD"), ile->find_atom("CD1"));    // CHARMM vs PDB name
  EXPECT_EQ(ile->find_atom("OT2"), ile->find_atom("OXT"));
}

TEST(MappingSet, AmberTerminalNamesAnswerAsTheirAminoAcid)
{
  // pdb2gmx with an AMBER force field names chain ends NMET, CGLY, NHIE in its .gro files
  const MappingSet set = MappingSet::load_directory(potentials("mappings/martini3"));
  const std::pair<const char *, const char *> names[] = {{"NMET", "MET"}, {"CGLY", "GLY"}, {"NHIE", "HIS"},
                                                         {"CLYN", "LYS"}, {"CHL1", "CHL1"}, {"CHOL", "CHL1"}};
  for (auto [name, molecule] : names) {
    const auto c = set.candidates(name);
    ASSERT_EQ(c.size(), 1u) << name;
    EXPECT_EQ(c.front()->name, molecule) << name;
  }
  // only amino acids, and only by a terminal letter before a name they answer to
  for (const char *name : {"NPOPC", "CPOPE", "XALA", "NXYZ", "NA", "CL"}) EXPECT_TRUE(set.candidates(name).empty()) << name;
}

TEST(MappingSet, AmbiguousAliasResolvedByAtomNames)
{
  // OpenMM truncates POPC and POPE to POP; the atoms tell them apart (PE has no C13-C15).
  const MappingSet set = MappingSet::load_directory(potentials("mappings/martini3"));
  for (const char *lipid : {"POPC", "POPE"}) {
    const MoleculeMapping *m = set.find(lipid);
    Residue r;
    r.name = "POP";
    for (const auto &a : m->atoms)
      if (!a.is_hydrogen()) r.atoms.push_back(make_atom(a.name, a.element, 0, 0, 0));
    const ResidueMatch match = match_residue(r, set);
    ASSERT_TRUE(match.ok()) << match.problem;
    EXPECT_EQ(match.mapping->name, lipid);
  }
}

TEST(MappingSet, LoadErrorsNameWhatIsWrong)
{
  const auto dir = temp_dir() / "sets";
  std::filesystem::create_directories(dir / "empty");
  std::filesystem::create_directories(dir / "dup");
  const char *one = "molecule: X\nbeads: [A]\natoms:\n  - {name: C1, element: C, beads: [A], level: 1}\n";
  std::ofstream(dir / "dup" / "a.yaml") << one;
  std::ofstream(dir / "dup" / "b.yaml") << one;
  std::filesystem::create_directories(dir / "broken");
  std::ofstream(dir / "broken" / "bad.yaml") << "molecule: X\nbeads: [A]\natoms:\n  - {name: C1, beads: [B], level: 1}\n";
  try {
    MappingSet::load_directory((dir / "dup").string());
    ADD_FAILURE();
  } catch (const MappingError &e) {
    EXPECT_NE(std::string(e.what()).find("b.yaml: molecule X is already mapped by"), std::string::npos) << e.what();
  }
  try {
    MappingSet::load_directory((dir / "broken").string());
    ADD_FAILURE();
  } catch (const MappingError &e) {
    EXPECT_NE(std::string(e.what()).find("bad.yaml:4: unknown bead 'B'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(MappingSet::load_directory((dir / "empty").string()), MappingError);
  try {
    MappingSet::load("no-such-set");
    ADD_FAILURE();
  } catch (const MappingError &e) {
    EXPECT_NE(std::string(e.what()).find("martini3"), std::string::npos) << "should list known sets: " << e.what();
  }
}
