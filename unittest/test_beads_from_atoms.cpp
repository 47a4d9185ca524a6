// The replica's feedback: all-atom residues to the CG run's beads by particle ID, against
// hand-computed centres; its errors name the bead and both residues. And the keyed random
// numbers that resample the beads' velocities: the same draw for a key whatever the order.
#include "beads_from_atoms.h"
#include "keyed_random.h"
#include "amber_alanine_fixture.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace BACKMAP;
using namespace BACKMAP::test;

TEST(BeadsFromAtoms, BeadsGoToTheirParticleIdsByName)
{
  // the CG residue lists its beads in another order than the mapping: IDs follow the names
  const std::vector<CgResidueBeads> cg = {{"A:ALA1", {"SC1", "BB"}, {17, 4}}};
  const auto beads = beads_from_atoms(one(amber_n_terminal_alanine()), cg, martini3());
  ASSERT_EQ(beads.size(), 2u);
  EXPECT_EQ(beads[0].id, 17);
  EXPECT_EQ(beads[1].id, 4);
  // BB: N, CA, C, O and the three hydrogens on N (HA on CA is not in BB's centre; martinize2's
  // `!BB`); SC1: CB alone (its hydrogens are outside the centre)
  const double M = mN + mC + mC + mO + 3 * mH;
  const Vec3 bb((mC * 1.46 + mC * 2.0 + mO * 1.5 - 2 * mH * 0.5) / M, (mC * 1.4 + mO * 2.5) / M, -mH * 1.0 / M);
  EXPECT_NEAR((beads[1].position - bb).norm(), 0.0, 1e-12) << beads[1].position.transpose();
  EXPECT_NEAR((beads[0].position - Vec3(2.0, -0.8, 1.2)).norm(), 0.0, 1e-12);
}

TEST(BeadsFromAtoms, ErrorsNameTheBeadAndBothResidues)
{
  auto message = [](const Structure &s, const std::vector<CgResidueBeads> &cg) {
    try {
      beads_from_atoms(s, cg, martini3());
    } catch (const std::exception &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // a residue no mapping knows
  Residue unknown = amber_n_terminal_alanine();
  unknown.name = "XYZ";
  EXPECT_EQ(message(one(unknown), {{"A:ALA1", {"BB", "SC1"}, {1, 2}}}),
            "bead BB (atom ID 1) of residue A:ALA1 has no atoms in the replica: its all-atom residue A:XYZ1 cannot be "
            "mapped (no mapping for residue name XYZ)");
  // the CG residue has a bead the mapping does not
  EXPECT_EQ(message(one(amber_n_terminal_alanine()), {{"A:ALA1", {"BB", "SC2"}, {1, 2}}}),
            "mapping mismatch: bead SC2 (atom ID 2) of residue A:ALA1 is not among the beads (BB SC1) that its "
            "all-atom residue A:NALA1 maps to with mapping ALA");
  // the mapping has a bead the CG residue lacks
  EXPECT_EQ(message(one(amber_n_terminal_alanine()), {{"A:ALA1", {"BB"}, {1}}}),
            "mapping mismatch: residue A:ALA1 has no bead SC1, which its all-atom residue A:NALA1 maps to with "
            "mapping ALA");
  EXPECT_EQ(message(one(amber_n_terminal_alanine()), {}),
            "the all-atom system has 1 residues, the CG run 0 backmapped residues");
}

TEST(KeyedRandom, SameKeySameDrawWhateverTheOrder)
{
  EXPECT_EQ(keyed_gaussian(7, 20, 1234, 2), keyed_gaussian(7, 20, 1234, 2));
  EXPECT_NE(keyed_gaussian(7, 20, 1234, 2), keyed_gaussian(7, 20, 1235, 2));    // neighbouring keys
  EXPECT_NE(keyed_gaussian(7, 20, 1234, 2), keyed_gaussian(7, 40, 1234, 2));    // another stream
  EXPECT_NE(keyed_gaussian(7, 20, 1234, 2), keyed_gaussian(8, 20, 1234, 2));    // another seed
  EXPECT_NE(keyed_gaussian(7, 20, 1234, 0), keyed_gaussian(7, 20, 1234, 1));    // another component
}

TEST(KeyedRandom, GaussianMomentsWithinStatisticalBounds)
{
  // n = 200000 draws over consecutive keys (the way particle IDs run): mean 0 +- 1/sqrt(n),
  // variance 1 +- sqrt(2/n), fourth moment 3 +- sqrt(96/n); bounds at 5 standard errors
  const int n = 200000;
  double s1 = 0, s2 = 0, s4 = 0;
  int low = 0;
  for (int key = 1; key <= n; ++key) {
    const double g = keyed_gaussian(12345, 0, key, key % 3);
    s1 += g;
    s2 += g * g;
    s4 += g * g * g * g;
    low += g < -1.0;
  }
  EXPECT_NEAR(s1 / n, 0.0, 5 / std::sqrt(n));
  EXPECT_NEAR(s2 / n, 1.0, 5 * std::sqrt(2.0 / n));
  EXPECT_NEAR(s4 / n, 3.0, 5 * std::sqrt(96.0 / n));
  // P(g < -1) = 0.158655 (the normal distribution's tail), binomial error
  EXPECT_NEAR(low / double(n), 0.158655, 5 * std::sqrt(0.158655 * 0.841345 / n));
  for (int key = 0; key < 1000; ++key) {
    const double u = keyed_uniform(1, 2, key, 3);
    EXPECT_GT(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}
