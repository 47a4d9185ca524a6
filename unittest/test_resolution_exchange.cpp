// The resolution exchange's random numbers and decision against independent computations: the
// uniforms against the engine's bits, the normals' moments, the Metropolis decision against its
// formula and a mirrored random stream, and the saved state against a run that never stopped.
// The forward map: test_linear_forward_map.cpp; the backmap density: test_backmap_density.cpp;
// the toy system in test_resolution_exchange_toy.cpp shows that the whole exchange samples the
// right thing.
#include "backmap_density.h"
#include "exchange_random.h"
#include "exchange_test_support.h"
#include "linear_forward_map.h"
#include "resolution_exchange.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace BACKMAP;
using namespace BACKMAP::test;

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
