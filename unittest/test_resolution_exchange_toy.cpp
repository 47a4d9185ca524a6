// The resolution exchange samples the right distribution, shown on a toy CG/all-atom pair
// (exchange_toy_system.h) whose exact distributions are known, with Kolmogorov-Smirnov tests
// at fixed seeds; and the same tests catch an exchange whose acceptance drops the backmap
// densities (the q terms), so they have the power to see a wrong acceptance.
#include "backmap_density.h"
#include "exchange_toy_system.h"
#include "resolution_exchange.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

using namespace BACKMAP;
using namespace BACKMAP::toy;

namespace {

// ---------------------------------------------------------------- Kolmogorov-Smirnov

// P(D > d) for the Kolmogorov distribution of sqrt(n) D, with Stephens's small-sample
// correction of the argument.
double kolmogorov_p(double d, double n)
{
  const double root = std::sqrt(n);
  const double lambda = (root + 0.12 + 0.11 / root) * d;
  if (lambda < 0.2) return 1.0;
  double sum = 0.0;
  for (int k = 1; k <= 100; ++k) {
    const double term = std::exp(-2.0 * k * k * lambda * lambda);
    sum += (k % 2 ? 2.0 : -2.0) * term;
    if (term < 1e-16) break;
  }
  return std::clamp(sum, 0.0, 1.0);
}

double ks_one_sample(std::vector<double> s, const Tabulated &exact)
{
  std::sort(s.begin(), s.end());
  const double n = static_cast<double>(s.size());
  double d = 0.0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double f = exact.cdf(s[i]);
    d = std::max({d, (i + 1) / n - f, f - i / n});
  }
  return kolmogorov_p(d, n);
}

double ks_two_sample(std::vector<double> a, std::vector<double> b)
{
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  std::size_t i = 0, j = 0;
  double d = 0.0;
  while (i < a.size() && j < b.size()) {
    const double x = std::min(a[i], b[j]);
    while (i < a.size() && a[i] <= x) ++i;
    while (j < b.size() && b[j] <= x) ++j;
    d = std::max(d, std::abs(i / na - j / nb));
  }
  return kolmogorov_p(d, na * nb / (na + nb));
}

// ---------------------------------------------------------------- the coupled system

struct Replicas {
  std::vector<Vec3> cg, aa;
};

struct Toy {
  TreeMolecule aa = all_atom_molecule();
  TreeMolecule cg;
  TemplateBackmap mu;
  BackmapDensity density;

  // widths: 0.07 A for heavy atoms, 0.06 A for H, near the spread of the atoms about the
  // projected template; the template's departures from the energy minima at 0.3 of their
  // full size (with the full size the exchange accepts 7 %, and the test would need more
  // samples for the same power)
  explicit Toy(const MapCase &c, double width = 0.07, double hydrogen_width = 0.06)
      : cg(cg_molecule(c.cg)), mu{c.beads, c.cg.centre, 0.3},
        density(LinearForwardMap(atom_count, c.beads), widths(width, hydrogen_width))
  {
  }
  static std::vector<double> widths(double heavy, double hydrogen)
  {
    std::vector<bool> is_hydrogen(atom_count, false);
    is_hydrogen[H] = true;
    return BackmapDensity::widths_by_kind(is_hydrogen, heavy, hydrogen);
  }

  // One exchange attempt; `broken` drops ln q(x | M x) - ln q(x' | R) from the acceptance.
  ExchangeDecision exchange(Replicas &s, ResolutionExchange &exchange, bool broken, double &worst_bead_error) const
  {
    const std::vector<Vec3> mapped = density.map().apply(s.aa);    // R' = M x
    const std::vector<Vec3> mu_r = mu(s.cg);
    std::vector<Vec3> proposal = density.sample(mu_r, s.cg, exchange.random());
    worst_bead_error = std::max(worst_bead_error, density.largest_bead_error(proposal, s.cg));
    const ExchangeEnergies e{aa.energy(s.aa), aa.energy(proposal), cg.energy(s.cg), cg.energy(mapped)};
    ExchangeDensities q{density.log_density(s.aa, mu(mapped), mapped), density.log_density(proposal, mu_r, s.cg)};
    if (broken) q = ExchangeDensities{};
    const ExchangeDecision d = exchange.decide(e, q);
    if (d.accepted) {
      s.cg = mapped;
      s.aa = std::move(proposal);
    }
    return d;
  }
};

// Observables and their exact distributions: the CG internal coordinates, and the all-atom
// A1-A2 double-well bond, A0-A1-A2 angle and B0 dihedral (exact marginals), and the B0-B2
// distance (compared with an independent exact sample).
struct Observations {
  std::map<std::string, std::vector<double>> values;

  void record(const Replicas &s)
  {
    values["cg bond 0-1"].push_back(distance(s.cg[0], s.cg[1]));
    values["cg bond 1-2 (double well)"].push_back(distance(s.cg[1], s.cg[2]));
    values["cg angle"].push_back(angle(s.cg[2], s.cg[1], s.cg[0]));
    values["aa bond A1-A2 (double well)"].push_back(distance(s.aa[A1], s.aa[A2]));
    values["aa angle A2-A1-A0"].push_back(angle(s.aa[A2], s.aa[A1], s.aa[A0]));
    values["aa dihedral B0-A0-A1-A2"].push_back(dihedral(s.aa[B0], s.aa[A0], s.aa[A1], s.aa[A2]));
    values["aa distance B0-B2"].push_back(distance(s.aa[B0], s.aa[B2]));
  }

  // The p value of each observable against the exact distribution.
  std::map<std::string, double> p_values(const Toy &toy, const std::vector<double> &reference_b0_b2) const
  {
    std::map<std::string, double> p;
    p["cg bond 0-1"] = ks_one_sample(values.at("cg bond 0-1"), toy.cg.marginals[0]);
    p["cg bond 1-2 (double well)"] = ks_one_sample(values.at("cg bond 1-2 (double well)"), toy.cg.marginals[1]);
    p["cg angle"] = ks_one_sample(values.at("cg angle"), toy.cg.marginals[2]);
    p["aa bond A1-A2 (double well)"] = ks_one_sample(values.at("aa bond A1-A2 (double well)"), toy.aa.marginals[1]);
    p["aa angle A2-A1-A0"] = ks_one_sample(values.at("aa angle A2-A1-A0"), toy.aa.marginals[2]);
    p["aa dihedral B0-A0-A1-A2"] = ks_one_sample(values.at("aa dihedral B0-A0-A1-A2"), toy.aa.marginals[5]);
    p["aa distance B0-B2"] = ks_two_sample(values.at("aa distance B0-B2"), reference_b0_b2);
    return p;
  }
};

std::vector<double> exact_b0_b2(const Toy &toy, int n, std::uint64_t seed)
{
  ExchangeRandom random(seed);
  std::vector<double> out;
  for (int k = 0; k < n; ++k) {
    const std::vector<Vec3> x = toy.aa.sample(random);
    out.push_back(distance(x[B0], x[B2]));
  }
  return out;
}

// One sweep of local Metropolis moves: every atom in turn, displaced uniformly in a cube of
// half-edge `step`. Returns the number of moves accepted.
int sweep(const TreeMolecule &m, std::vector<Vec3> &x, double &energy, double step, ExchangeRandom &random)
{
  int accepted = 0;
  for (int i = 0; i < m.atoms; ++i) {
    const Vec3 old = x[i];
    x[i] += step * Vec3(2 * random.uniform() - 1, 2 * random.uniform() - 1, 2 * random.uniform() - 1);
    const double e = m.energy(x);
    if (random.uniform() < std::exp(energy - e)) {
      energy = e;
      ++accepted;
    } else {
      x[i] = old;
    }
  }
  return accepted;
}

double smallest(const std::map<std::string, double> &p)
{
  double m = 1.0;
  for (const auto &[name, value] : p) m = std::min(m, value);
  return m;
}

void print(const char *what, const std::map<std::string, double> &p, double acceptance)
{
  std::printf("  %s: acceptance %.3f\n", what, acceptance);
  for (const auto &[name, value] : p) std::printf("    %-30s p = %.3g\n", name.c_str(), value);
}

}    // namespace

TEST(ResolutionExchangeToy, ExactSamplerReproducesItsInternalCoordinates)
{
  // the build places every atom at the internal coordinates it drew: measure them back
  const TreeMolecule aa = all_atom_molecule();
  ExchangeRandom random(3);
  for (int k = 0; k < 20; ++k) {
    ExchangeRandom copy = random;
    const std::vector<Vec3> x = aa.sample(random);
    for (std::size_t t = 0; t < aa.terms.size(); ++t)
      EXPECT_NEAR(aa.terms[t].coordinate(x), aa.marginals[t].sample(copy), 1e-9) << "term " << t;
  }
}

// One exchange applied to exact, independent samples of pi(R, x) must give samples of pi
// again, so the observables after it must follow the exact distributions; independent
// samples make the Kolmogorov-Smirnov p values exact.
class SingleExchange : public ::testing::TestWithParam<int> {};

TEST_P(SingleExchange, KeepsTheExactDistributionAndABrokenAcceptanceDoesNot)
{
  const MapCase c = GetParam() == 0 ? separate_beads() : shared_beads();
  const Toy toy(c);
  const std::vector<double> reference = exact_b0_b2(toy, 40000, 11);
  const int n = 20000;
  std::map<std::string, double> p[2];
  double rate[2], fluctuation_z[2];
  for (int broken = 0; broken < 2; ++broken) {
    ExchangeRandom states(100 + GetParam());
    ResolutionExchange exchange(1.0, 1.0, 200 + GetParam());
    Observations seen;
    double worst = 0.0, sum = 0.0, sum2 = 0.0;
    for (int k = 0; k < n; ++k) {
      Replicas s{toy.cg.sample(states), toy.aa.sample(states)};
      const ExchangeDecision d = toy.exchange(s, exchange, broken == 1, worst);
      seen.record(s);
      const double f = d.probability - 2.0 * (d.log_acceptance > 0);
      sum += f;
      sum2 += f * f;
    }
    // An exact Metropolis-Hastings move started at equilibrium gives ln a a distribution with
    // p(-l) = exp(-l) p(l) (the reverse move has -ln a, and its probability is a times the
    // forward one's), so E[min(1, a)] = 2 P(ln a > 0): f has mean 0. z: its mean in standard
    // errors.
    fluctuation_z[broken] = (sum / n) / std::sqrt((sum2 / n - (sum / n) * (sum / n)) / n);
    EXPECT_LT(worst, 1e-9);
    p[broken] = seen.p_values(toy, reference);
    rate[broken] = exchange.statistics().acceptance_rate();
  }
  std::printf("%s\n", c.name);
  print("exact acceptance", p[0], rate[0]);
  print("broken acceptance (q dropped)", p[1], rate[1]);
  std::printf("  E[min(1, a)] - 2 P(ln a > 0) in standard errors: exact %.2f, broken %.2f\n", fluctuation_z[0],
              fluctuation_z[1]);
  EXPECT_LT(std::abs(fluctuation_z[0]), 4.0);
  EXPECT_GT(std::abs(fluctuation_z[1]), 10.0);
  EXPECT_GT(rate[0], 0.10) << "too few exchanges accepted for the test to have power";
  // each observable at 0.01 / (number of observables): all of them together at 0.01
  for (const auto &[name, value] : p[0]) EXPECT_GT(value, 0.01 / p[0].size()) << name;
  EXPECT_LT(smallest(p[1]), 1e-6) << "the broken acceptance was not detected";
}

INSTANTIATE_TEST_SUITE_P(Maps, SingleExchange, ::testing::Values(0, 1));

// The brief's set-up: each replica sampled by local Metropolis moves, an exchange every
// `every` sweeps, observables recorded every `thin` sweeps (thinned so that records are
// nearly independent, which the Kolmogorov-Smirnov p values assume). The chain starts from an
// exact sample, so there is no equilibration to discard.
struct ChainResult {
  std::map<std::string, double> p;
  double exchange_rate = 0.0;
  std::int64_t exchanges_accepted = 0;
  double aa_move_rate = 0.0, cg_move_rate = 0.0;
  double worst_bead_error = 0.0;
};

ChainResult run_chain(const Toy &toy, const std::vector<double> &reference, bool broken, int records, int thin,
                      int every, std::uint64_t seed)
{
  ExchangeRandom random(seed);
  ResolutionExchange exchange(1.0, 1.0, seed + 1);
  Replicas s{toy.cg.sample(random), toy.aa.sample(random)};
  double e_aa = toy.aa.energy(s.aa), e_cg = toy.cg.energy(s.cg);
  Observations seen;
  ChainResult out;
  std::int64_t aa_moves = 0, cg_moves = 0, sweeps = 0;
  for (int r = 0; r < records; ++r) {
    for (int k = 0; k < thin; ++k, ++sweeps) {
      aa_moves += sweep(toy.aa, s.aa, e_aa, 0.12, random);
      cg_moves += sweep(toy.cg, s.cg, e_cg, 0.15, random);
      if (sweeps % every == 0 && toy.exchange(s, exchange, broken, out.worst_bead_error).accepted) {
        e_aa = toy.aa.energy(s.aa);
        e_cg = toy.cg.energy(s.cg);
      }
    }
    seen.record(s);
  }
  out.p = seen.p_values(toy, reference);
  out.exchange_rate = exchange.statistics().acceptance_rate();
  out.exchanges_accepted = exchange.statistics().accepted;
  out.aa_move_rate = double(aa_moves) / (sweeps * atom_count);
  out.cg_move_rate = double(cg_moves) / (sweeps * bead_count);
  return out;
}

TEST(ResolutionExchangeToy, LocalMovesWithExchangesSampleEachReplicasOwnDistribution)
{
  const Toy toy(separate_beads());
  const std::vector<double> reference = exact_b0_b2(toy, 40000, 12);
    // the slowest observables (which well each double well is in) decorrelate in about 70
  // sweeps (integrated autocorrelation time, measured with these steps): 100 sweeps apart
  const int records = 2000, thin = 100, every = 1;
  const ChainResult exact = run_chain(toy, reference, false, records, thin, every, 21);
  const ChainResult broken = run_chain(toy, reference, true, records, thin, every, 21);
  std::printf("local moves accepted: all-atom %.2f, CG %.2f\n", exact.aa_move_rate, exact.cg_move_rate);
  print("exact acceptance", exact.p, exact.exchange_rate);
  print("broken acceptance (q dropped)", broken.p, broken.exchange_rate);
  EXPECT_LT(exact.worst_bead_error, 1e-9);
  EXPECT_GT(exact.exchange_rate, 0.10);
  EXPECT_GT(exact.exchanges_accepted, 20000);
  for (const auto &[name, value] : exact.p) EXPECT_GT(value, 0.01 / exact.p.size()) << name;
  EXPECT_LT(smallest(broken.p), 1e-6) << "the broken acceptance was not detected";
}
