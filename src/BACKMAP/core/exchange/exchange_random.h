/* BACKMAP core: the resolution exchange's random numbers, the same on every platform.

   std::mt19937_64's sequence is fixed by the C++ standard, but std::normal_distribution and
   std::uniform_real_distribution are not (each library draws differently), so the uniforms
   and normals are made here: 53-bit uniforms from the engine's output and normals by
   Marsaglia's polar method, which needs only sqrt and log. The spare normal the polar method
   makes is kept and is part of the state, so a restart continues the same sequence. */
#ifndef BACKMAP_EXCHANGE_RANDOM_H
#define BACKMAP_EXCHANGE_RANDOM_H

#include <cstdint>
#include <random>
#include <string>

namespace BACKMAP {

class ExchangeRandom {
 public:
  explicit ExchangeRandom(std::uint64_t seed = 5489u);

  double uniform();    // in (0, 1): never 0, so log(uniform()) is finite
  double normal();     // standard normal

  // The whole state as text (the engine's standard textual form and the spare normal), and
  // back; set_state throws std::invalid_argument on text that is not such a state.
  std::string state() const;
  void set_state(const std::string &text);

  bool operator==(const ExchangeRandom &other) const;

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}    // namespace BACKMAP

#endif
