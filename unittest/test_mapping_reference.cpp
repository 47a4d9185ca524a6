// The reference implementation's label format (P1A, P2AB, CM, !), read into the same model.
#include "mapping.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace BACKMAP;

namespace {

// A serine written in the label format: BB built from CA, SC1 from CB.
const char *serine = R"(molecule: SER
atoms:
  N:     BB   P2AA
  H,HN:  BB
  CA:    BB   P1A
  HA:    BB   !
  C:     BB   P2AB
  O:     BB   P3BA
  CB:    SC1  P1A
  HB1:   SC1  !
  OG:    SC1  P2AA
)";

// One CA-centred bead per residue, as CA-only mappings are written.
const char *ca_only = R"(molecule: ALA
atoms:
  N:   BB  P1AA
  CA:  BB  P0A CM
  C:   BB  P1AB
  O:   BB  P2BA
  CB:  BB  P1AC
  OXT: BB  P2BB
)";

const Placement &placement_of(const MoleculeMapping &m, const std::string &atom, const std::string &bead)
{
  for (const auto &p : m.placements)
    if (p.atom == m.find_atom(atom) && p.bead == m.find_bead(bead)) return p;
  throw std::runtime_error("no placement " + atom);
}

void expect_error(const std::string &text, const std::string &fragment)
{
  test::expect_error_containing<MappingError>([&] { parse_mapping_text(text, "ref.yaml"); }, fragment);
}

}    // namespace

TEST(ReferenceFormat, DecodesLevelsAnchorsAndFlags)
{
  const MoleculeMapping m = parse_mapping_text(serine, "ref.yaml");
  EXPECT_EQ(m.kind, MoleculeKind::AminoAcid);
  ASSERT_EQ(m.beads.size(), 2u);
  EXPECT_EQ(placement_of(m, "CA", "BB").level, 1);
  EXPECT_EQ(placement_of(m, "CA", "BB").anchor, -1);
  EXPECT_EQ(placement_of(m, "N", "BB").anchor, m.find_atom("CA"));
  EXPECT_EQ(placement_of(m, "C", "BB").anchor, m.find_atom("CA"));
  EXPECT_EQ(placement_of(m, "O", "BB").level, 3);
  EXPECT_EQ(placement_of(m, "O", "BB").anchor, m.find_atom("C"));    // P3BA: anchored on level-2 atom B
  EXPECT_EQ(placement_of(m, "OG", "SC1").anchor, m.find_atom("CB"));
  EXPECT_FALSE(m.atoms[m.find_atom("HA")].in_centre);
  EXPECT_TRUE(m.atoms[m.find_atom("HN")].in_centre);
  EXPECT_EQ(m.find_atom("HN"), m.find_atom("H"));
  EXPECT_TRUE(m.atoms[m.find_atom("H")].is_hydrogen());
  EXPECT_EQ(m.placements.size(), 6u);    // hydrogens carry no label: not backmapped
}

TEST(ReferenceFormat, CentreAtomAndAnchoredLevelOne)
{
  const MoleculeMapping m = parse_mapping_text(ca_only, "ref.yaml");
  EXPECT_EQ(m.beads[0].centre_atom, m.find_atom("CA"));
  EXPECT_EQ(placement_of(m, "CA", "BB").level, 0);
  EXPECT_EQ(placement_of(m, "C", "BB").level, 1);
  EXPECT_EQ(placement_of(m, "O", "BB").anchor, m.find_atom("C"));      // P2BA: level-1 id B is C
  EXPECT_EQ(placement_of(m, "OXT", "BB").anchor, m.find_atom("C"));
  EXPECT_TRUE(m.atoms[m.find_atom("OXT")].optional);
}

TEST(ReferenceFormat, SharedAtomsWithWeightsAndCounts)
{
  const char *text = R"(molecule: RNG
atoms:
  C1: A    P1A
  C2: A,B  P2AA,P1A  0.25,0.75
  C3: B,B,A  P2AA,P3AA
)";
  const MoleculeMapping m = parse_mapping_text(text, "ref.yaml");
  EXPECT_DOUBLE_EQ(m.atoms[m.find_atom("C2")].beads[1].weight, 0.75);
  const auto &c3 = m.atoms[m.find_atom("C3")].beads;
  EXPECT_NEAR(c3[0].weight, 2.0 / 3.0, 1e-12);    // bead B listed twice
  EXPECT_EQ(placement_of(m, "C3", "A").anchor, m.find_atom("C2"));
}

TEST(ReferenceFormat, Errors)
{
  expect_error("molecule: X\natoms:\n  C1: B P2ZA\n", "no level-1 atom with id Z in bead B");
  expect_error("molecule: X\natoms:\n  C1: B,C P1A\n", "has 1 labels for 2 beads");
  expect_error("molecule: X\natoms:\n  C1: B,C P1A,P1A 0.5\n", "has 1 weights for 2 beads");
  expect_error("molecule: X\natoms:\n  C1: B P1A ~~\n", "cannot read '~~'");
  expect_error("molecule: X\natoms:\n  C1: B P1A\n  C2: B P1A\n", "repeats the id of atom C1");
  expect_error("molecule: X\natoms:\n  C1: B P1A 0.5\n", "sum to 0.5");
  expect_error("molecule: X\natoms:\n  C1: B P1A\n  C2: B\n", "ref.yaml:4: heavy atom C2 has no level in bead B");
  expect_error("molecule: X\natoms:\n  Q1: B P1A\n", "ref.yaml:3: cannot tell the element of atom Q1");
}
