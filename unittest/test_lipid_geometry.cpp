// Lipids beyond RMSD: stereocentres, cis/trans of double bonds and tail order parameters,
// each checked on a real POPC made wrong by hand (a mirror image, a flipped double bond, a
// tail laid along the normal), and the rigid 1-4 distances the refinement learns from lipids.
#include "ideal_geometry.h"
#include "metrics.h"
#include "structure_io.h"
#include "test_support.h"

#include <Eigen/Geometry>
#include <gtest/gtest.h>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

Structure popc(std::size_t count)
{
  const std::string path = shared_data("lipids/nmrlipids/POPCpure_popcRUN3.gro.gz");
  Structure all = read_structure(path), out;
  for (const Residue &r : all.residues)
    if (r.name == "POPC" && out.residues.size() < count) out.residues.push_back(r);
  return out;
}

Vec3 &atom(Residue &r, const char *name) { return r.atoms[r.find_atom(name)].position; }

}    // namespace

TEST(LipidGeometry, MirrorImageInvertsTheGlycerolCentreAndKeepsCisBonds)
{
  SKIP_IF_MISSING(shared_data("lipids/nmrlipids/POPCpure_popcRUN3.gro.gz"));
  const Structure ref = popc(10);
  Structure mirror = ref;
  for (Residue &r : mirror.residues)
    for (Atom &a : r.atoms) a.position.x() = -a.position.x();
  const StructureMetrics same = compare_structures(ref, ref, martini3());
  EXPECT_EQ(same.inversions, 0);
  EXPECT_EQ(same.double_bond_errors, 0);
  EXPECT_GE(same.tetrahedral_centres, 10);    // at least the glycerol C2 of each
  EXPECT_EQ(same.double_bonds, 10);           // the oleoyl C9=C10 (C29=C210) of each
  ASSERT_EQ(same.residue_rmsd.at("POPC").size(), 10u);
  EXPECT_NEAR(same.residue_rmsd.at("POPC")[0], 0, 1e-12);
  const StructureMetrics m = compare_structures(ref, mirror, martini3());
  EXPECT_EQ(m.inversions, m.tetrahedral_centres);    // a mirror inverts every centre
  EXPECT_EQ(m.double_bond_errors, 0);                 // and keeps cis cis
}

TEST(LipidGeometry, AFlippedDoubleBondIsACisTransError)
{
  SKIP_IF_MISSING(shared_data("lipids/nmrlipids/POPCpure_popcRUN3.gro.gz"));
  const Structure ref = popc(4);
  Structure flipped = ref;
  for (std::size_t k = 0; k < 2; ++k) {    // C211 turned half a turn about the C29=C210 axis
    Residue &r = flipped.residues[k];
    const Vec3 a = atom(r, "C29"), b = atom(r, "C210");
    const Eigen::AngleAxisd half(M_PI, (b - a).normalized());
    atom(r, "C211") = b + half * (atom(r, "C211") - b);
  }
  const StructureMetrics m = compare_structures(ref, flipped, martini3());
  EXPECT_EQ(m.double_bonds, 4);
  EXPECT_EQ(m.double_bond_errors, 2);
}

TEST(LipidGeometry, TailOrderParametersOfKnownDirections)
{
  SKIP_IF_MISSING(shared_data("lipids/nmrlipids/POPCpure_popcRUN3.gro.gz"));
  Structure s = popc(1);
  Residue &r = s.residues[0];
  atom(r, "C22") = Vec3(0, 0, 0);    // C22-C23 along the normal: S = 1
  atom(r, "C23") = Vec3(0, 0, 1.5);
  atom(r, "C32") = Vec3(0, 0, 0);    // C32-C33 in the membrane plane: S = -1/2
  atom(r, "C33") = Vec3(1.5, 0, 0);
  const auto s_cc = tail_order_parameters(s, martini3());
  EXPECT_NEAR(s_cc.at("POPC").at("C22-C23"), 1.0, 1e-12);
  EXPECT_NEAR(s_cc.at("POPC").at("C32-C33"), -0.5, 1e-12);
  EXPECT_EQ(s_cc.at("POPC").count("C29-C210"), 1u);
}

TEST(LipidGeometry, RefinementLearnsTheCisBondButNotTheFreeTorsions)
{
  const std::string path = shared_data("lipids/nmrlipids/POPCpure_popcRUN3.gro.gz");
  SKIP_IF_MISSING(path);
  const MappingSet popc_only = martini3().subset({"POPC"});
  const IdealGeometry g = IdealGeometry::measure({path}, popc_only);
  const MoleculeMapping &m = *popc_only.find("POPC");
  const MoleculeGeometry *mg = g.find(m);
  ASSERT_NE(mg, nullptr);
  auto has_pair = [&](const char *x, const char *y, double *target = nullptr) {
    const int a = m.find_atom(x), b = m.find_atom(y);
    for (const auto &d : mg->distances)
      if ((d.a == a && d.b == b) || (d.a == b && d.b == a)) {
        if (target) *target = d.target;
        return true;
      }
    return false;
  };
  double cis = 0;
  EXPECT_TRUE(has_pair("C28", "C211", &cis));    // across the cis double bond: about 3 A
  EXPECT_GT(cis, 2.7);
  EXPECT_LT(cis, 3.3);
  EXPECT_FALSE(has_pair("C24", "C27"));          // a free torsion of the saturated tail
  EXPECT_TRUE(has_pair("C24", "C25"));           // bonds stay
}
