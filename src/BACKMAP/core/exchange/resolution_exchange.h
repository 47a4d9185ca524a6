/* BACKMAP core: the Metropolis-Hastings test of a resolution exchange, its statistics and
   its restartable state.

   A CG replica (R) and an all-atom replica (x) swap resolutions: the CG replica takes
   R' = M x, the all-atom one takes x' ~ q(. | R) (BackmapDensity). With the target
   pi(R, x) ~ exp(-beta_cg U_CG(R) - beta_aa U_AA(x)) the move is accepted with probability
   min(1, a),

     ln a = -beta_aa [U_AA(x') - U_AA(x)] - beta_cg [U_CG(M x) - U_CG(R)]
            + ln q(x | M x) - ln q(x' | R),

   where ln q(x | M x) needs mu(M x), the deterministic backmap of the proposed CG state.
   doc/resolution_exchange.md derives it. This class knows nothing of how the energies and
   densities are obtained: it makes the decision with its own seeded random numbers, counts,
   and writes its state (and that of the random numbers the density draws from) to bytes. */
#ifndef BACKMAP_RESOLUTION_EXCHANGE_H
#define BACKMAP_RESOLUTION_EXCHANGE_H

#include "exchange_random.h"

#include <cstdint>
#include <vector>

namespace BACKMAP {

// The four potential energies of an attempt, in the energy unit of 1/beta.
struct ExchangeEnergies {
  double aa_current = 0.0;     // U_AA(x)
  double aa_proposed = 0.0;    // U_AA(x')
  double cg_current = 0.0;     // U_CG(R)
  double cg_proposed = 0.0;    // U_CG(M x)
};

// The two backmap log densities (BackmapDensity::log_density, same constant dropped).
struct ExchangeDensities {
  double current = 0.0;     // ln q(x | M x), with mu(M x)
  double proposed = 0.0;    // ln q(x' | R), with mu(R)
};

struct ExchangeDecision {
  double log_acceptance = 0.0;    // ln a; NaN when an energy or density was not a number
  double probability = 0.0;       // min(1, a); 0 for NaN
  bool accepted = false;
};

struct ExchangeStatistics {
  std::int64_t attempts = 0;
  std::int64_t accepted = 0;
  double probability_sum = 0.0;     // sum of min(1, a) over attempts
  double last_delta_aa = 0.0;       // U_AA(x') - U_AA(x)
  double last_delta_cg = 0.0;       // U_CG(M x) - U_CG(R)
  double last_log_q_ratio = 0.0;    // ln q(x | M x) - ln q(x' | R)
  double last_log_acceptance = 0.0;

  double acceptance_rate() const { return attempts ? double(accepted) / double(attempts) : 0.0; }
  // The mean of min(1, a): the same expectation as the rate, with less noise.
  double mean_probability() const { return attempts ? probability_sum / double(attempts) : 0.0; }
};

class ResolutionExchange {
 public:
  // beta_cg and beta_aa: 1/(k_B T) of each replica, in 1/energy; throws std::invalid_argument
  // when one is not positive and finite.
  ResolutionExchange(double beta_cg, double beta_aa, std::uint64_t seed);

  // ln a for these energies and densities (no random numbers, no statistics).
  double log_acceptance(const ExchangeEnergies &energies, const ExchangeDensities &densities) const;

  // Accepts with probability min(1, a): draws exactly one uniform u whatever a is, so the
  // number of draws does not depend on the energies, and accepts when ln u < ln a. A NaN
  // anywhere is a rejection; +infinity in a proposed energy is too.
  ExchangeDecision decide(const ExchangeEnergies &energies, const ExchangeDensities &densities);

  // The random numbers the backmap density samples from (the same stream as the decisions).
  ExchangeRandom &random() { return random_; }
  const ExchangeStatistics &statistics() const { return statistics_; }
  double beta_cg() const { return beta_cg_; }
  double beta_aa() const { return beta_aa_; }

  // Statistics and random state as bytes (for a restart file), and back. The betas are
  // settings, not state: they come from the input again. deserialise throws
  // std::invalid_argument on bytes this code did not write (wrong tag, version or length)
  // and leaves the object unchanged then.
  std::vector<char> serialise() const;
  void deserialise(const char *bytes, std::size_t size);

 private:
  double beta_cg_;
  double beta_aa_;
  ExchangeRandom random_;
  ExchangeStatistics statistics_;
};

}    // namespace BACKMAP

#endif
