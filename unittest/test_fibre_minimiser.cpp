// The minimum of an energy on the fibre {x : M x = R} (fibre_minimiser.h): on a quadratic
// energy it is the KKT solution (one Newton step), on a quartic one it is a point of the fibre
// where the force has no component within the fibre, with the energy lower than at the start.
#include "exchange_test_support.h"
#include "fibre_minimiser.h"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

std::vector<Vec3> atoms_of(const Eigen::VectorXd &x)
{
  std::vector<Vec3> out(x.size() / 3);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = x.segment<3>(3 * i);
  return out;
}

// U = 1/2 (x - a)^T K (x - a) + c sum_i (x_i - a_i)^4 (quartic with c > 0)
struct Energy {
  Eigen::MatrixXd k;
  Eigen::VectorXd a;
  double c = 0.0;
  EnergyAt operator()(const std::vector<Vec3> &atoms, bool with_hessian) const
  {
    const Eigen::VectorXd d = flat(atoms) - a;
    EnergyAt out;
    out.energy = 0.5 * d.dot(k * d) + c * d.array().pow(4).sum();
    out.force = atoms_of(-(k * d + 4 * c * d.array().pow(3).matrix()));
    if (with_hessian) {
      out.hessian = k;
      out.hessian.diagonal() += (12 * c * d.array().square()).matrix();
    }
    return out;
  }
};

}    // namespace

TEST(FibreMinimiser, QuadraticEnergyGivesTheKktMinimum)
{
  ExchangeRandom random(51);
  const int atoms = 8, beads = 3;
  const LinearForwardMap map(atoms, random_map(atoms, beads, true, random));
  const Eigen::MatrixXd m3 = cartesian(map);
  Eigen::MatrixXd g(3 * atoms, 3 * atoms);
  for (int i = 0; i < g.rows(); ++i)
    for (int j = 0; j < g.cols(); ++j) g(i, j) = random.normal();
  Energy energy{g * g.transpose() + 5.0 * Eigen::MatrixXd::Identity(3 * atoms, 3 * atoms),
                flat(random_positions(atoms, 3.0, random))};
  const std::vector<Vec3> beads_at = random_positions(beads, 3.0, random);
  // a width of 100 A raises no mode: the model is the energy itself
  const HessianDensity density(map, 1.0, 100.0);
  const auto u = [&](const std::vector<Vec3> &x, bool h) { return energy(x, h); };
  FibreMinimiserSettings far;
  far.max_steps = 200;    // steps of at most 0.3 A per atom from several A away
  const FibreMinimum found = minimise_on_fibre(density, random_positions(atoms, 3.0, random), beads_at, u, far);
  // KKT: K x + M^T l = K a, M x = R
  const int n = 3 * atoms, k = 3 * beads;
  Eigen::MatrixXd kkt = Eigen::MatrixXd::Zero(n + k, n + k);
  kkt.topLeftCorner(n, n) = energy.k;
  kkt.topRightCorner(n, k) = m3.transpose();
  kkt.bottomLeftCorner(k, n) = m3;
  Eigen::VectorXd rhs(n + k);
  rhs << energy.k * energy.a, flat(beads_at);
  const Eigen::VectorXd expected = kkt.fullPivLu().solve(rhs).head(n);
  EXPECT_LT((flat(found.local.mu) - expected).cwiseAbs().maxCoeff(), 1e-8);
  EXPECT_LT(found.steps, far.max_steps);
  // from within 0.3 A of it, one Newton step lands on it (and a second finds nothing to do)
  std::vector<Vec3> near = atoms_of(expected);
  for (Vec3 &p : near) p += 0.05 * Vec3(random.normal(), random.normal(), random.normal()).normalized();
  const FibreMinimum again = minimise_on_fibre(density, near, beads_at, u);
  EXPECT_LT((flat(again.local.mu) - expected).cwiseAbs().maxCoeff(), 1e-8);
  EXPECT_LE(again.steps, 1);
}

TEST(FibreMinimiser, QuarticEnergyEndsWithNoForceWithinTheFibre)
{
  ExchangeRandom random(52);
  const int atoms = 6, beads = 2;
  const LinearForwardMap map(atoms, random_map(atoms, beads, false, random));
  const Eigen::MatrixXd m3 = cartesian(map);
  Energy energy{2.0 * Eigen::MatrixXd::Identity(3 * atoms, 3 * atoms), flat(random_positions(atoms, 2.0, random)), 3.0};
  const std::vector<Vec3> beads_at = random_positions(beads, 2.0, random);
  const HessianDensity density(map, 1.0, 100.0);
  const std::vector<Vec3> start = density.nearest_on_fibre(random_positions(atoms, 2.0, random), beads_at);
  const FibreMinimum found =
      minimise_on_fibre(density, start, beads_at, [&](const std::vector<Vec3> &x, bool h) { return energy(x, h); });
  EXPECT_LT(found.energy, energy(start, false).energy);
  EXPECT_LT((m3 * flat(found.local.mu) - flat(beads_at)).cwiseAbs().maxCoeff(), 1e-9);
  // the force's component within the fibre: f - M^T (M M^T)^-1 M f
  const Eigen::VectorXd f = flat(found.local.force);
  const Eigen::VectorXd within = f - m3.transpose() * (m3 * m3.transpose()).ldlt().solve(m3 * f);
  EXPECT_LT(within.cwiseAbs().maxCoeff(), 1e-4) << "after " << found.steps << " steps";
}
