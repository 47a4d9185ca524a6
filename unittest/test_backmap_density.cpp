// The resolution exchange's backmap density q(x | R) against independent computations: the
// projected Gaussian against the conditional Gaussian written by hand (one bead of two atoms)
// and against a brute-force null-space construction, and its normalisation on the subspace by
// quadrature. (The other parts: test_linear_forward_map.cpp, test_resolution_exchange.cpp.)
#include "backmap_density.h"
#include "exchange_random.h"
#include "exchange_test_support.h"
#include "linear_forward_map.h"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

constexpr double pi = 3.14159265358979323846;

std::vector<double> random_widths(int n, ExchangeRandom &random)
{
  std::vector<double> s(n);
  for (double &w : s) w = 0.05 + 0.45 * random.uniform();
  return s;
}

}    // namespace

// ---------------------------------------------------------------- the backmap density

TEST(BackmapDensity, SamplesLieOnTheBeadsAndAtomsInNoBeadAreJustGaussian)
{
  ExchangeRandom random(11);
  for (const bool shared : {false, true}) {
    for (int trial = 0; trial < 10; ++trial) {
      const int atoms = 80, beads = 20;
      const LinearForwardMap map(atoms, random_map(atoms, beads, shared, random));
      const BackmapDensity q(map, random_widths(atoms, random));
      const std::vector<Vec3> mu = random_positions(atoms, 50.0, random);
      const std::vector<Vec3> r = random_positions(beads, 50.0, random);
      ExchangeRandom copy = random;
      const std::vector<Vec3> x = q.sample(mu, r, random);
      EXPECT_LT(q.largest_bead_error(x, r), 1e-9) << (shared ? "shared" : "separate") << " trial " << trial;
      // the normals go atom by atom, x y z; the projection leaves atoms of no bead alone
      const Eigen::MatrixXd m = dense(map);
      for (int i = 0; i < atoms; ++i) {
        const double nx = copy.normal(), ny = copy.normal(), nz = copy.normal();
        if (m.col(i).cwiseAbs().sum() == 0.0) EXPECT_EQ(x[i], Vec3(mu[i] + q.widths()[i] * Vec3(nx, ny, nz))) << "atom " << i;
      }
      // projecting a point of the subspace again leaves it where it is
      const std::vector<Vec3> again = q.project(x, r);
      for (int i = 0; i < atoms; ++i) EXPECT_NEAR((again[i] - x[i]).norm(), 0.0, 1e-9);
    }
  }
}

namespace {

// One bead of two atoms, bead = w1 x1 + w2 x2, widths s1 and s2. Per Cartesian component, y1
// given w1 y1 + w2 y2 = R is normal with mean m and variance v (the textbook conditional of
// two independent normals given their weighted sum), and x2 follows from x1.
struct TwoAtoms {
  double w1 = 0.3, w2 = 0.7, s1 = 0.2, s2 = 0.5;
  double a() const { return w1 * w1 * s1 * s1 + w2 * w2 * s2 * s2; }
  double v() const { return s1 * s1 * w2 * w2 * s2 * s2 / a(); }
  double m(double mu1, double mu2, double r) const { return mu1 + s1 * s1 * w1 * (r - w1 * mu1 - w2 * mu2) / a(); }
  BackmapDensity density() const { return BackmapDensity(LinearForwardMap(2, {{{0, w1}, {1, w2}}}), {s1, s2}); }
  std::vector<Vec3> on_subspace(const Vec3 &x1, const Vec3 &r) const { return {x1, (r - w1 * x1) / w2}; }
  // the log density of x1 along the line, without its constant
  double log_q(const std::vector<Vec3> &x, const std::vector<Vec3> &mu, const Vec3 &r) const
  {
    double sum = 0;
    for (int c = 0; c < 3; ++c) sum -= std::pow(x[0][c] - m(mu[0][c], mu[1][c], r[c]), 2) / (2 * v());
    return sum;
  }
};

}    // namespace

TEST(BackmapDensity, OneBeadOfTwoAtomsMatchesTheConditionalGaussianByHand)
{
  const TwoAtoms t;
  const BackmapDensity q = t.density();
  ExchangeRandom random(12);
  // log q differences between any two (x, mu, R): the same as by hand, whatever R and mu
  double constant = NAN;
  for (int k = 0; k < 30; ++k) {
    const std::vector<Vec3> mu = random_positions(2, 3.0, random);
    const Vec3 r = random_positions(1, 3.0, random)[0];
    const std::vector<Vec3> x = t.on_subspace(random_positions(1, 3.0, random)[0], r);
    const double difference = q.log_density(x, mu, {r}) - t.log_q(x, mu, r);
    if (k == 0) constant = difference;
    EXPECT_NEAR(difference, constant, 1e-9);
  }
  // samples: x1 has mean m and variance v in every component, and x2 follows
  const std::vector<Vec3> mu = {{0.4, -1.0, 2.0}, {1.5, 0.3, -0.2}};
  const Vec3 r(1.0, 0.5, 0.0);
  const int n = 100000;
  Vec3 sum = Vec3::Zero(), sum2 = Vec3::Zero();
  for (int k = 0; k < n; ++k) {
    const std::vector<Vec3> x = q.sample(mu, {r}, random);
    ASSERT_LT((t.w1 * x[0] + t.w2 * x[1] - r).norm(), 1e-12);
    sum += x[0];
    sum2 += x[0].cwiseProduct(x[0]);
  }
  for (int c = 0; c < 3; ++c) {
    const double mean = sum[c] / n, var = sum2[c] / n - mean * mean;
    EXPECT_NEAR(mean, t.m(mu[0][c], mu[1][c], r[c]), 5 * std::sqrt(t.v() / n));
    EXPECT_NEAR(var, t.v(), 5 * t.v() * std::sqrt(2.0 / n));
  }
}

TEST(BackmapDensity, IntegratesOnTheSubspaceToTheSameConstantForEveryBeadAndMean)
{
  // exp(log q) integrated over {x : M x = R} (surface measure: dt per component times
  // sqrt(1 + (w1/w2)^2)) is the same for every R and mu: the dropped constant does not
  // depend on them. By hand it is ((2 pi v)(1 + (w1/w2)^2))^(3/2).
  const TwoAtoms t;
  const BackmapDensity q = t.density();
  const double expected = std::pow(2 * pi * t.v() * (1 + std::pow(t.w1 / t.w2, 2)), 1.5);
  const std::vector<std::pair<std::vector<Vec3>, Vec3>> cases = {{{{0, 0, 0}, {1, 1, 1}}, {0.5, 0.2, -0.3}},
                                                                 {{{4, -2, 7}, {-3, 5, 0.5}}, {-6, 1, 2}}};
  for (const auto &[mu, r] : cases) {
    const int points = 33;
    const double half = 8 * std::sqrt(t.v()), h = 2 * half / (points - 1);
    Vec3 centre;
    for (int c = 0; c < 3; ++c) centre[c] = t.m(mu[0][c], mu[1][c], r[c]);
    double integral = 0;
    for (int i = 0; i < points; ++i)
      for (int j = 0; j < points; ++j)
        for (int k = 0; k < points; ++k) {
          const Vec3 x1 = centre + Vec3(-half + i * h, -half + j * h, -half + k * h);
          integral += std::exp(q.log_density(t.on_subspace(x1, r), mu, {r}));
        }
    integral *= h * h * h * std::pow(1 + std::pow(t.w1 / t.w2, 2), 1.5);
    EXPECT_NEAR(integral / expected, 1.0, 1e-10);
  }
}

TEST(BackmapDensity, SharedAtomsMatchABruteForceNullSpaceConstruction)
{
  // x = x0 + N z with N an orthonormal basis of the null space of M (from an SVD): the
  // conditional Gaussian in z has precision P = N^T S^-1 N and mean P^-1 N^T S^-1 (mu - x0),
  // and z's Lebesgue measure is the surface measure, so this density is the normalised one.
  ExchangeRandom random(13);
  const int atoms = 8, beads = 3;
  const std::vector<std::vector<BeadAtomWeight>> weights = {
      {{0, 0.5}, {1, 0.3}, {2, 0.2}}, {{2, 0.4}, {3, 0.3}, {4, 0.1}, {5, 0.2}}, {{5, 0.6}, {1, 0.4}}};
  const LinearForwardMap map(atoms, weights);    // atoms 6 and 7 in no bead
  const std::vector<double> s = random_widths(atoms, random);
  const BackmapDensity q(map, s);
  const Eigen::MatrixXd m = dense(map);
  Eigen::VectorXd s2(atoms);
  for (int i = 0; i < atoms; ++i) s2[i] = s[i] * s[i];
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(m, Eigen::ComputeFullV);
  const Eigen::MatrixXd n = svd.matrixV().rightCols(atoms - beads);
  const Eigen::MatrixXd p = n.transpose() * s2.cwiseInverse().asDiagonal() * n;
  const Eigen::MatrixXd mmt_inverse = (m * m.transpose()).inverse();
  const Eigen::MatrixXd a_inverse = (m * s2.asDiagonal() * m.transpose()).inverse();
  auto component = [](const std::vector<Vec3> &v, int c) {
    Eigen::VectorXd out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = v[i][c];
    return out;
  };
  auto brute = [&](const std::vector<Vec3> &x, const std::vector<Vec3> &mu, const std::vector<Vec3> &r) {
    double sum = 0;
    for (int c = 0; c < 3; ++c) {
      const Eigen::VectorXd x0 = m.transpose() * mmt_inverse * component(r, c);
      const Eigen::VectorXd z = n.transpose() * (component(x, c) - x0);
      const Eigen::VectorXd zs = p.ldlt().solve(n.transpose() * s2.cwiseInverse().asDiagonal() * (component(mu, c) - x0));
      sum += -0.5 * (z - zs).dot(p * (z - zs)) - 0.5 * (atoms - beads) * std::log(2 * pi) + 0.5 * std::log(p.determinant());
    }
    return sum;
  };
  // the form the derivation gives: -1/2 |x - mu|^2_S^-1 + 1/2 |R - M mu|^2_A^-1
  auto formula = [&](const std::vector<Vec3> &x, const std::vector<Vec3> &mu, const std::vector<Vec3> &r) {
    double sum = 0;
    for (int c = 0; c < 3; ++c) {
      const Eigen::VectorXd d = component(x, c) - component(mu, c);
      const Eigen::VectorXd e = component(r, c) - m * component(mu, c);
      sum += -0.5 * d.dot(s2.cwiseInverse().asDiagonal() * d) + 0.5 * e.dot(a_inverse * e);
    }
    return sum;
  };
  double constant = NAN;
  for (int k = 0; k < 20; ++k) {
    const std::vector<Vec3> mu = random_positions(atoms, 5.0, random);
    const std::vector<Vec3> r = random_positions(beads, 5.0, random);
    std::vector<Vec3> x = q.project(random_positions(atoms, 5.0, random), r);    // some point of the subspace
    const double ours = q.log_density(x, mu, r);
    if (k == 0) constant = ours - brute(x, mu, r);
    EXPECT_NEAR(ours - brute(x, mu, r), constant, 1e-8);
    EXPECT_NEAR(ours, formula(x, mu, r), 1e-8 * std::max(1.0, std::abs(ours)));
  }
  // samples: mean x0 + N z* and covariance N P^-1 N^T in each component
  const std::vector<Vec3> mu = random_positions(atoms, 2.0, random);
  const std::vector<Vec3> r = random_positions(beads, 2.0, random);
  const Eigen::MatrixXd covariance = n * p.inverse() * n.transpose();
  const int count = 40000;
  for (int c = 0; c < 3; ++c) {
    const Eigen::VectorXd x0 = m.transpose() * mmt_inverse * component(r, c);
    const Eigen::VectorXd mean =
        x0 + n * p.ldlt().solve(n.transpose() * s2.cwiseInverse().asDiagonal() * (component(mu, c) - x0));
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(atoms);
    Eigen::MatrixXd sum2 = Eigen::MatrixXd::Zero(atoms, atoms);
    ExchangeRandom draws(100 + c);
    for (int k = 0; k < count; ++k) {
      const Eigen::VectorXd x = component(q.sample(mu, r, draws), c) - mean;
      sum += x;
      sum2 += x * x.transpose();
    }
    const Eigen::VectorXd sample_mean = sum / count;
    const Eigen::MatrixXd sample_cov = sum2 / count - sample_mean * sample_mean.transpose();
    for (int i = 0; i < atoms; ++i) {
      EXPECT_NEAR(sample_mean[i], 0.0, 5 * std::sqrt(covariance(i, i) / count) + 1e-12) << "atom " << i;
      for (int j = 0; j < atoms; ++j) {
        const double se = std::sqrt((covariance(i, i) * covariance(j, j) + covariance(i, j) * covariance(i, j)) / count);
        EXPECT_NEAR(sample_cov(i, j), covariance(i, j), 5 * se + 1e-12) << "atoms " << i << ", " << j;
      }
    }
  }
}

TEST(BackmapDensity, RefusesAStructureOffTheSubspaceNamingTheBead)
{
  const BackmapDensity q(LinearForwardMap(2, {{{0, 0.5}, {1, 0.5}}}, {"A:POPC1 NC3"}), {0.1, 0.1});
  const std::vector<Vec3> x = {{0, 0, 0}, {2, 0, 0}};
  EXPECT_NO_THROW(q.log_density(x, x, {{1, 0, 0}}));
  expect_error([&] { q.log_density(x, x, {{1, 0.001, 0}}); }, "A:POPC1 NC3 is 0.001 Angstrom from the CG bead");
  expect_error([&] { q.log_density(x, {x[0]}, {{1, 0, 0}}); }, "the mean structure has 1 atoms");
}
