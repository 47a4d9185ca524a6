// Hydrogens and other added atoms (pdb2gmx's .hdb add types): each add type against the
// geometry it promises (bond lengths, angles, dihedrals worked out by hand), and rotated inputs.
// Whole proteins against pdb2gmx: test_all_atom_builder.cpp.
#include "added_atom_geometry.h"

#include <gtest/gtest.h>

#include <Eigen/Geometry>

#include <cmath>
#include <stdexcept>

namespace BACKMAP {
namespace {

double angle(const Vec3 &a, const Vec3 &b, const Vec3 &c)
{
  const Vec3 u = a - b, v = c - b;
  return std::acos(u.dot(v) / (u.norm() * v.norm())) * 180 / M_PI;
}

double dihedral(const Vec3 &a, const Vec3 &b, const Vec3 &c, const Vec3 &d)
{
  const Vec3 b1 = b - a, b2 = c - b, b3 = d - c;
  const Vec3 n1 = b1.cross(b2), n2 = b2.cross(b3);
  return std::atan2(b2.norm() * b1.dot(n2), n1.dot(n2)) * 180 / M_PI;
}

const double tetrahedral = std::acos(-1.0 / 3.0) * 180 / M_PI;

// a bent chain k - j - i with a 111 degree angle at j
const Vec3 I(1.53, 0, 0), J(0, 0, 0), K(-0.55, 1.43, 0), L(0.4, -0.9, 1.1);

TEST(AddedAtomGeometry, MethylIsTetrahedralWithTheFirstHydrogenTransToK)
{
  const auto h = added_atom_positions(4, 3, {I, J, K});
  ASSERT_EQ(h.size(), 3u);
  for (const Vec3 &x : h) {
    EXPECT_NEAR((x - I).norm(), 1.0, 1e-12);
    EXPECT_NEAR(angle(x, I, J), tetrahedral, 1e-9);
  }
  EXPECT_NEAR(angle(h[0], I, h[1]), tetrahedral, 1e-9);
  EXPECT_NEAR(angle(h[1], I, h[2]), tetrahedral, 1e-9);
  EXPECT_NEAR(std::abs(dihedral(h[0], I, J, K)), 180, 1e-9);
  EXPECT_NEAR(dihedral(h[1], I, J, K), -60, 1e-9);
  EXPECT_NEAR(dihedral(h[2], I, J, K), 60, 1e-9);
}

TEST(AddedAtomGeometry, PlanarTetrahedralAndCarboxylateRules)
{
  // type 1: in the i-j-k plane, equal angles to j and k
  const Vec3 h1 = added_atom_positions(1, 1, {I, J, Vec3(1.9, 1.4, 0)})[0];
  EXPECT_NEAR(h1.z(), 0, 1e-12);
  EXPECT_NEAR(angle(h1, I, J), angle(h1, I, Vec3(1.9, 1.4, 0)), 1e-9);
  // type 2: tetrahedral to j, trans to k
  const Vec3 h2 = added_atom_positions(2, 1, {I, J, K})[0];
  EXPECT_NEAR(angle(h2, I, J), tetrahedral, 1e-9);
  EXPECT_NEAR(std::abs(dihedral(h2, I, J, K)), 180, 1e-9);
  // type 3: 120 degrees, cis then trans
  const auto h3 = added_atom_positions(3, 2, {I, J, K});
  EXPECT_NEAR(angle(h3[0], I, J), 120, 1e-9);
  EXPECT_NEAR(dihedral(h3[0], I, J, K), 0, 1e-9);
  EXPECT_NEAR(std::abs(dihedral(h3[1], I, J, K)), 180, 1e-9);
  // type 5: equal angles to the three neighbours of a tetrahedral centre
  const Vec3 c(0, 0, 0), n1(1.0, 0.3, -0.5), n2(-0.6, 1.1, -0.4), n3(-0.4, -1.0, -0.6);
  const Vec3 h5 = added_atom_positions(5, 1, {c, n1, n2, n3})[0];
  EXPECT_NEAR((h5 - c).norm(), 1.0, 1e-12);
  EXPECT_GT(angle(h5, c, n1), 90);
  // type 6: H-C-H tetrahedral, the two mirror images of each other through the j-i-k plane
  const auto h6 = added_atom_positions(6, 2, {I, J, Vec3(1.9, 1.4, 0)});
  EXPECT_NEAR(angle(h6[0], I, h6[1]), tetrahedral, 1e-9);
  EXPECT_NEAR(h6[0].z(), -h6[1].z(), 1e-12);
  // type 8: carboxylate oxygens at 1.36 A and 117 degrees, cis then trans
  const auto o = added_atom_positions(8, 2, {I, J, K});
  EXPECT_NEAR((o[0] - I).norm(), 1.36, 1e-12);
  EXPECT_NEAR(angle(o[1], I, J), 117, 1e-9);
  EXPECT_NEAR(dihedral(o[0], I, J, K), 0, 1e-9);
  EXPECT_NEAR(std::abs(dihedral(o[1], I, J, K)), 180, 1e-9);
  // unknown types and missing control atoms are refused
  EXPECT_THROW(added_atom_positions(12, 1, {I, J, K}), std::invalid_argument);
  EXPECT_THROW(added_atom_positions(5, 1, {I, J, K}), std::invalid_argument);
  EXPECT_THROW(added_atom_positions(4, 3, {I, I, K}), std::invalid_argument);
}

TEST(AddedAtomGeometry, RotatingTheControlAtomsRotatesTheHydrogens)
{
  const Eigen::Matrix3d R = (Eigen::AngleAxisd(0.7, Vec3(1, 2, 3).normalized())).toRotationMatrix();
  const Vec3 shift(3, -2, 5);
  for (int type : {1, 2, 3, 4, 6, 8, 9}) {
    const int count = type == 1 || type == 2 ? 1 : type == 4 || type == 9 ? 3 : 2;
    const auto a = added_atom_positions(type, count, {I, J, K});
    const auto b = added_atom_positions(type, count, {R * I + shift, R * J + shift, R * K + shift});
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_LT((R * a[k] + shift - b[k]).norm(), 1e-12) << "type " << type;
  }
  const auto a = added_atom_positions(5, 1, {I, J, K, L});
  const auto b = added_atom_positions(5, 1, {R * I, R * J, R * K, R * L});
  EXPECT_LT((R * a[0] - b[0]).norm(), 1e-12);
}

}    // namespace
}    // namespace BACKMAP
