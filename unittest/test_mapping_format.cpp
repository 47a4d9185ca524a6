// BACKMAP's own mapping format: what it means and every way it can be wrong.
#include "mapping.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace BACKMAP;

namespace {

// A made-up three-bead molecule exercising shared atoms, exclusion and every level.
const char *good = R"(molecule: TST
aliases: [TS2]
kind: molecule
beads:
  - A
  - B
  - {name: C, centre: X}
atoms:
  - {name: P,  element: C, beads: [A], level: 1}
  - {name: Q,  element: O, beads: [A], level: 2, anchor: P, aliases: [Q1]}
  - {name: R,  element: N, beads: [A, B, B], level: {A: 3, B: 1}, anchor: {A: Q}}
  - {name: S,  element: C, beads: [B], level: 2, anchor: R, hydrogens: {centre: false}}
  - {name: X,  element: S, beads: [C], level: 0}
  - {name: Y,  element: C, beads: [C], level: 1, centre: false}
  - {name: HY, element: H, beads: [C], centre: false}
bonds:
  - [P, Q]
  - [Q, R]
)";

std::string replace(std::string text, const std::string &from, const std::string &to)
{
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

void expect_error(const std::string &text, const std::string &fragment)
{
  test::expect_error_containing<MappingError>([&] { parse_mapping_text(text, "tst.yaml"); }, "tst.yaml");
  test::expect_error_containing<MappingError>([&] { parse_mapping_text(text, "tst.yaml"); }, fragment);
}

}    // namespace

TEST(MappingFormat, ReadsAtomsBeadsWeightsAndHierarchy)
{
  const MoleculeMapping m = parse_mapping_text(good, "tst.yaml");
  EXPECT_EQ(m.name, "TST");
  EXPECT_TRUE(m.answers_to("TS2"));
  ASSERT_EQ(m.beads.size(), 3u);
  const MappedAtom &r = m.atoms[m.find_atom("R")];
  ASSERT_EQ(r.beads.size(), 2u);
  EXPECT_NEAR(r.beads[0].weight, 1.0 / 3.0, 1e-12);    // [A, B, B] counts as martinize2 does
  EXPECT_NEAR(r.beads[1].weight, 2.0 / 3.0, 1e-12);
  EXPECT_EQ(m.find_atom("Q1"), m.find_atom("Q"));
  EXPECT_FALSE(m.atoms[m.find_atom("Y")].in_centre);
  EXPECT_FALSE(m.atoms[m.find_atom("S")].hydrogens.in_centre);
  EXPECT_TRUE(m.atoms[m.find_atom("P")].hydrogens.in_centre);
  EXPECT_DOUBLE_EQ(m.atoms[m.find_atom("X")].mass, 32.06);
  EXPECT_EQ(m.beads[2].centre_atom, m.find_atom("X"));
  EXPECT_EQ(m.bonds.size(), 2u);
  // placements: A has P(1) Q(2) R(3); B has R(1) S(2); C has X(0) Y(1); the hydrogen none
  ASSERT_EQ(m.placements.size(), 7u);
  EXPECT_EQ(m.beads[0].placements.size(), 3u);
  EXPECT_EQ(m.beads[1].placements.size(), 2u);
  EXPECT_EQ(m.max_slots(), 3);
  for (std::size_t i = 0; i < m.placements.size(); ++i) {
    const Placement &p = m.placements[i];
    if (p.anchor >= 0) {
      ASSERT_GE(p.anchor_placement, 0);
      EXPECT_LT(p.anchor_placement, static_cast<int>(i)) << "anchor placed after its dependant";
      EXPECT_EQ(m.placements[p.anchor_placement].level, p.level - 1);
      EXPECT_EQ(m.placements[p.anchor_placement].bead, p.bead);
    }
  }
  const Placement &r_in_a = m.placements[m.beads[0].placements[2]];
  EXPECT_EQ(r_in_a.atom, m.find_atom("R"));
  EXPECT_EQ(r_in_a.anchor, m.find_atom("Q"));
  EXPECT_EQ(r_in_a.slot, 2);
}

TEST(MappingFormat, LevelsCanBeDerivedFromAnchors)
{
  std::string text = replace(good, "level: 2, anchor: P,", "anchor: P,");
  text = replace(text, "level: 2, anchor: R,", "anchor: R,");
  const MoleculeMapping m = parse_mapping_text(text, "tst.yaml");
  for (const Placement &p : m.placements)
    if (p.atom == m.find_atom("Q")) EXPECT_EQ(p.level, 2);
}

TEST(MappingFormat, ExplicitWeights)
{
  const MoleculeMapping m = parse_mapping_text(
      replace(good, "beads: [A, B, B], level", "beads: [A, B], weights: [0.25, 0.75], level"), "tst.yaml");
  EXPECT_DOUBLE_EQ(m.atoms[m.find_atom("R")].beads[1].weight, 0.75);
}

TEST(MappingFormat, ErrorsNameFileLineAndCulprit)
{
  expect_error(replace(good, "beads: [A], level: 1}", "beads: [Z], level: 1}"), "tst.yaml:9: unknown bead 'Z'");
  expect_error(replace(good, "beads: [A, B, B], level", "beads: [A, B], weights: [0.5, 0.6], level"),
               "bead weights of atom R sum to 1.1");
  expect_error(replace(good, "beads: [A, B, B], level", "beads: [A, B], weights: [0.5], level"),
               "weights of atom R must be a list as long as its beads");
  expect_error(replace(good, "anchor: P, aliases", "anchor: NOPE, aliases"), "anchor 'NOPE' is not an atom of TST");
  expect_error(replace(good, "level: 2, anchor: P,", "level: 2,"), "atom Q has level 2 in bead A but no anchor");
  expect_error(replace(good, "anchor: {A: Q}", "anchor: {A: P}"), "anchor P of atom R has level 1, expected 2");
  expect_error(replace(good, "level: 2, anchor: R,", "level: 2, anchor: P,"), "anchor P of atom S is not placed in bead B");
  expect_error(replace(good, "{name: P,  element: C, beads: [A], level: 1}", "{name: P,  element: C, beads: [A]}"),
               "tst.yaml:10: anchor P of atom Q is not placed in bead A");
  expect_error(replace(good, "level: {A: 3, B: 1}", "level: {A: 3}"), "anchor R of atom S is not placed in bead B");
  expect_error(replace(good, "beads: [C], level: 1, centre", "beads: [C], centre"), "tst.yaml:14: heavy atom Y has no level in bead C");
  expect_error(replace(good, "beads: [A, B, B], level: {A: 3, B: 1}", "beads: [A, B, B], level: 3"),
               "level of R belongs to several beads");
  expect_error(replace(good, "beads: [C], level: 1, centre", "beads: [C], level: 0, centre"),
               "atom Y has level 0 but is not the centre atom of bead C");
  expect_error(replace(good, "level: 1}\n  - {name: Q", "level: 1, anchor: Q}\n  - {name: Q"),
               "atom P has level 1");
  expect_error(replace(good, "aliases: [Q1]", "aliases: [P]"), "atom name 'P' is used by two atoms");
  expect_error(replace(good, "  - B\n", "  - B\n  - B\n"), "bead 'B' is declared twice");
  expect_error(replace(good, "{name: S,  element: C,", "{name: S,  elemnt: C,"), "tst.yaml:12: unknown key 'elemnt'");
  expect_error(replace(good, "element: S, beads", "element: Qq, beads"), "unknown element 'Qq'");
  expect_error(replace(good, "molecule: TST\n", ""), "no 'molecule'");
  expect_error(replace(good, "{name: P,  element: C, beads: [A], level: 1}", "{name: P,  element: C, level: 1}"),
               "atom P is not assigned to any bead");
  expect_error(replace(good, "  - [Q, R]", "  - [Q, W]"), "bonded atom 'W' is not an atom of TST");
  expect_error(replace(good, "kind: molecule", "kind: protein"), "kind must be amino_acid or molecule");
  expect_error(replace(good, "atoms:\n", "atoms: [\n"), "tst.yaml:");    // not YAML at all
  expect_error("molecule: X\natoms: 3\n", "'atoms' must be a list");
  // a mapping error is a FileError, the one error type of files: caught as one, PATH:LINE first
  const std::string bad = replace(good, "beads: [A], level: 1}", "beads: [Z], level: 1}");
  test::expect_error_containing<FileError>([&] { parse_mapping_text(bad, "tst.yaml"); }, "tst.yaml:9: unknown bead 'Z'");
}

TEST(MappingFormat, BeadWithoutCentreIsRefused)
{
  const char *text = R"(molecule: T
beads: [A, B]
atoms:
  - {name: P, element: C, beads: [A], level: 1}
  - {name: Q, element: C, beads: [B], level: 1, centre: false}
)";
  expect_error(text, "bead B of T has no heavy atom contributing to its centre");
}

TEST(MappingFormat, HierarchyCycleIsRefused)
{
  const char *text = R"(molecule: T
beads: [A]
atoms:
  - {name: P, element: C, beads: [A], level: 1}
  - {name: Q, element: C, beads: [A], anchor: R}
  - {name: R, element: C, beads: [A], anchor: Q}
)";
  expect_error(text, "has a cycle through atom");
}
