// The Hessian backmap density q(x | R) (hessian_density.h) against independent computations:
// its log density against the conditional Gaussian built by brute force (an orthonormal basis
// of the fibre from an SVD, the conditional mean from the KKT system), normalisation included,
// for Hessians with and without raised modes; the isotropic case against BackmapDensity; the
// rotor mixture against its definition and its symmetry; samples on the fibre.
#include "backmap_density.h"
#include "exchange_test_support.h"
#include "hessian_density.h"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

constexpr double pi = 3.14159265358979323846;

// H = Q diag(lambda) Q^T with Q a random orthogonal matrix and the given eigenvalues
Eigen::MatrixXd hessian_with(const Eigen::VectorXd &lambda, ExchangeRandom &random, Eigen::MatrixXd *q_out = nullptr)
{
  const int n = static_cast<int>(lambda.size());
  Eigen::MatrixXd g(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) g(i, j) = random.normal();
  const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(g).householderQ();
  if (q_out) *q_out = q;
  return q * lambda.asDiagonal() * q.transpose();
}

LocalEnergy random_local(int atoms, const Eigen::MatrixXd &hessian, ExchangeRandom &random)
{
  LocalEnergy e;
  e.mu = random_positions(atoms, 5.0, random);
  e.force = random_positions(atoms, 2.0, random);
  e.hessian = hessian;
  return e;
}

// The constrained minimum of (x-c)^T P (x-c) subject to M x = R, by its KKT system.
Eigen::VectorXd kkt_mode(const Eigen::MatrixXd &m3, const Eigen::MatrixXd &p, const Eigen::VectorXd &c,
                         const Eigen::VectorXd &r)
{
  const int n = static_cast<int>(m3.cols()), k = static_cast<int>(m3.rows());
  Eigen::MatrixXd kkt = Eigen::MatrixXd::Zero(n + k, n + k);
  kkt.topLeftCorner(n, n) = p;
  kkt.topRightCorner(n, k) = m3.transpose();
  kkt.bottomLeftCorner(k, n) = m3;
  Eigen::VectorXd rhs(n + k);
  rhs << p * c, r;
  return kkt.fullPivLu().solve(rhs).head(n);
}

// An orthonormal basis of the fibre's directions (the null space of M), from an SVD.
Eigen::MatrixXd fibre_basis(const Eigen::MatrixXd &m3)
{
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(m3, Eigen::ComputeFullV);
  return svd.matrixV().rightCols(m3.cols() - m3.rows());
}

// ln q(x | R), normalised, by brute force: the Gaussian of z = N^T (x - mode) with precision
// q (on the fibre's basis N), against the fibre's surface measure.
double brute_force_log_density(const Eigen::MatrixXd &basis, const Eigen::MatrixXd &q, const Eigen::VectorXd &mode,
                               const Eigen::VectorXd &x)
{
  const Eigen::VectorXd z = basis.transpose() * (x - mode);
  const Eigen::LLT<Eigen::MatrixXd> llt(q);
  const Eigen::MatrixXd l = llt.matrixL();
  return -0.5 * z.dot(q * z) - 0.5 * basis.cols() * std::log(2 * pi) + l.diagonal().array().log().sum();
}

// the constant log_density leaves out: -(3n - 3m)/2 ln 2 pi
double left_out_constant(const Eigen::MatrixXd &m3) { return -0.5 * (m3.cols() - m3.rows()) * std::log(2 * pi); }

}    // namespace

TEST(HessianDensity, SamplesLieOnTheBeads)
{
  ExchangeRandom random(41);
  for (bool shared : {false, true}) {
    const int atoms = 24, beads = 6;
    const LinearForwardMap map(atoms, random_map(atoms, beads, shared, random));
    const HessianDensity density(map, 1.7, 0.3);
    Eigen::VectorXd lambda(3 * atoms);
    for (int k = 0; k < lambda.size(); ++k) lambda(k) = -300.0 + 600.0 * random.uniform();    // some negative
    const LocalEnergy local = random_local(atoms, hessian_with(lambda, random), random);
    const std::vector<Vec3> beads_at = random_positions(beads, 8.0, random);
    const HessianDensity::Proposal q = density.at(local, beads_at);
    EXPECT_GT(q.raised_modes, 0);
    for (int s = 0; s < 20; ++s) {
      const std::vector<Vec3> x = density.sample(q, random);
      const std::vector<Vec3> mx = map.apply(x);
      for (int b = 0; b < beads; ++b) EXPECT_LT((mx[b] - beads_at[b]).norm(), 1e-9) << "bead " << b;
      EXPECT_TRUE(std::isfinite(density.log_density(q, x)));
    }
  }
}

// The normalisation depends on R through the Hessian at mu(R): the brute-force density, with
// its constant, must equal log_density plus the one constant left out, for every Hessian.
// Without raised modes the mode is the KKT solution for the quadratic model about mu; with
// them, the Newton step within the fibre with the raised Hessian, on another basis of it.
TEST(HessianDensity, LogDensityIsTheNormalisedConditionalGaussian)
{
  ExchangeRandom random(42);
  const int atoms = 7, beads = 2;
  const double beta = 1.3, width = 0.4, floor = 1.0 / (width * width);
  for (bool shared : {false, true})
    for (int variant = 0; variant < 4; ++variant) {
      const LinearForwardMap map(atoms, random_map(atoms, beads, shared, random));
      const Eigen::MatrixXd m3 = cartesian(map), basis = fibre_basis(m3);
      const HessianDensity density(map, beta, width);
      Eigen::VectorXd lambda(3 * atoms);
      // variants 0, 1: every beta lambda above the floor; 2, 3: some far below it (raised)
      for (int k = 0; k < lambda.size(); ++k)
        lambda(k) = (variant < 2 || k % 3 ? 2.0 * floor / beta : -floor / beta) * (1.0 + 20.0 * random.uniform());
      const LocalEnergy local = random_local(atoms, hessian_with(lambda, random), random);
      const Eigen::VectorXd mu = flat(local.mu), f = flat(local.force);
      const std::vector<Vec3> beads_at = random_positions(beads, 6.0, random);
      const Eigen::VectorXd r = flat(beads_at);
      Eigen::MatrixXd q = basis.transpose() * (beta * local.hessian) * basis;
      Eigen::VectorXd mode;
      if (variant < 2) {
        mode = kkt_mode(m3, beta * local.hessian, mu + local.hessian.ldlt().solve(f), r);
      } else {
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(q);
        q = eigen.eigenvectors() * eigen.eigenvalues().cwiseMax(floor).asDiagonal() * eigen.eigenvectors().transpose();
        const Eigen::VectorXd x0 = kkt_mode(m3, Eigen::MatrixXd::Identity(3 * atoms, 3 * atoms), mu, r);
        mode = x0 + basis * q.ldlt().solve(basis.transpose() * (beta * (f - local.hessian * (x0 - mu))));
      }
      const HessianDensity::Proposal proposal = density.at(local, beads_at);
      if (variant < 2) EXPECT_EQ(proposal.raised_modes, 0);
      else EXPECT_GT(proposal.raised_modes, 0);
      for (int s = 0; s < 5; ++s) {
        const std::vector<Vec3> x = density.sample(proposal, random);
        const double expected = brute_force_log_density(basis, q, mode, flat(x));
        EXPECT_NEAR(density.log_density(proposal, x) + left_out_constant(m3), expected, 1e-8 * (1 + std::abs(expected)))
            << "shared " << shared << " variant " << variant;
      }
    }
}

// With H = I / (beta s^2) and no force, q is the isotropic density of width s: the same log
// density ratios as BackmapDensity for every pair of structures on the fibre.
TEST(HessianDensity, IsotropicHessianGivesTheIsotropicDensity)
{
  ExchangeRandom random(43);
  const int atoms = 12, beads = 4;
  const double beta = 0.9, s = 0.2;
  const LinearForwardMap map(atoms, random_map(atoms, beads, true, random));
  const HessianDensity hessian(map, beta, 10.0);
  const BackmapDensity isotropic(map, std::vector<double>(atoms, s));
  LocalEnergy local{random_positions(atoms, 4.0, random), std::vector<Vec3>(atoms, Vec3::Zero()),
                    Eigen::MatrixXd::Identity(3 * atoms, 3 * atoms) / (beta * s * s)};
  const std::vector<Vec3> beads_at = random_positions(beads, 4.0, random);
  const HessianDensity::Proposal q = hessian.at(local, beads_at);
  const std::vector<Vec3> x0 = hessian.sample(q, random);
  for (int k = 0; k < 10; ++k) {
    const std::vector<Vec3> x = isotropic.sample(local.mu, beads_at, random);
    EXPECT_NEAR(hessian.log_density(q, x) - hessian.log_density(q, x0),
                isotropic.log_density(x, local.mu, beads_at) - isotropic.log_density(x0, local.mu, beads_at), 1e-8);
  }
}

// A methyl on bead 0 (carbon 0, hydrogens 1-3 in no bead) and a second bead on atom 4.
TEST(HessianDensity, RotorMixtureIsTheAverageOverRelabellingsAndSymmetric)
{
  ExchangeRandom random(44);
  const LinearForwardMap map(5, {{{0, 1.0}}, {{4, 1.0}}});
  const std::vector<bool> hydrogen = {false, true, true, true, false};
  const std::vector<Rotor> rotors = HessianDensity::find_rotors(hydrogen, {{{0, 1}}, {{2, 0}}, {{0, 3}}, {{0, 4}}}, map);
  ASSERT_EQ(rotors.size(), 1u);
  EXPECT_EQ(rotors[0], (Rotor{1, 2, 3}));
  const HessianDensity density(map, 1.0, 0.5, rotors);
  Eigen::VectorXd lambda = Eigen::VectorXd::Constant(15, 30.0);
  for (int k = 0; k < 15; ++k) lambda(k) *= 1.0 + random.uniform();
  const LocalEnergy local = random_local(5, hessian_with(lambda, random), random);
  const std::vector<Vec3> beads_at = {Vec3(0, 0, 0), Vec3(1.5, 0.2, 0)};
  const HessianDensity::Proposal q = density.at(local, beads_at);
  for (int s = 0; s < 5; ++s) {
    const std::vector<Vec3> x = density.sample(q, random);
    // the three cyclic relabellings of x: (1, 2, 3) -> (2, 3, 1) -> (3, 1, 2)
    std::vector<std::vector<Vec3>> turned(3, x);
    for (int t = 1; t < 3; ++t)
      for (int h = 0; h < 3; ++h) turned[t][1 + (h + t) % 3] = x[1 + h];
    double average = 0.0;
    for (const auto &y : turned) average += std::exp(density.log_density_unmixed(q, y)) / 3.0;
    EXPECT_NEAR(density.log_density(q, x), std::log(average), 1e-9);
    for (const auto &y : turned) EXPECT_NEAR(density.log_density(q, y), density.log_density(q, x), 1e-9);
  }
  // a rotor whose hydrogens the beads weigh differently would move a bead when relabelled
  const LinearForwardMap weighted(5, {{{0, 0.7}, {1, 0.3}}, {{4, 1.0}}});
  EXPECT_TRUE(HessianDensity::find_rotors(hydrogen, {{{0, 1}}, {{0, 2}}, {{0, 3}}}, weighted).empty());
  expect_error([&] { HessianDensity(weighted, 1.0, 0.5, {Rotor{1, 2, 3}}); }, "different weights");
}

TEST(HessianDensity, RefusesWhatItCannotUse)
{
  const LinearForwardMap map(3, {{{0, 0.5}, {1, 0.5}}});
  expect_error([&] { HessianDensity(map, 0.0, 0.3); }, "1/kT");
  expect_error([&] { HessianDensity(map, 1.0, -1.0); }, "softest modes");
  // eleven rotors would be a mixture of 3^11 Gaussians
  std::vector<std::vector<BeadAtomWeight>> beads(11);
  std::vector<Rotor> rotors;
  for (int g = 0; g < 11; ++g) {
    beads[g] = {{4 * g, 1.0}};
    rotors.push_back({4 * g + 1, 4 * g + 2, 4 * g + 3});
  }
  expect_error([&] { HessianDensity(LinearForwardMap(44, beads), 1.0, 0.3, rotors); }, "11 rotors");
  expect_error([&] { HessianDensity(map, 1.0, 0.3, {Rotor{0, 1, 5}}); }, "rotor atom 5 is out of range");
  const HessianDensity density(map, 1.0, 0.3);
  LocalEnergy local{std::vector<Vec3>(3, Vec3::Zero()), std::vector<Vec3>(3, Vec3::Zero()), Eigen::MatrixXd::Identity(6, 6)};
  expect_error([&] { density.at(local, {Vec3::Zero()}); }, "the Hessian is 6 x 6");
  local.hessian = Eigen::MatrixXd::Identity(9, 9);
  local.hessian(0, 0) = std::nan("");
  expect_error([&] { density.at(local, {Vec3::Zero()}); }, "not finite");
  local.hessian(0, 0) = 1.0;
  const HessianDensity::Proposal q = density.at(local, {Vec3::Zero()});
  expect_error([&] { density.log_density(q, {Vec3(1, 0, 0), Vec3::Zero(), Vec3::Zero()}); }, "bead 1 is 0.5 Angstrom");
}
