#include "keyed_random.h"

#include <cmath>

namespace BACKMAP {

namespace {

// splitmix64's output function: a bijection of 64-bit integers that mixes every input bit
// into every output bit
std::uint64_t mix(std::uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}    // namespace

std::uint64_t keyed_hash(std::uint64_t seed, std::uint64_t stream, std::uint64_t key, std::uint64_t component)
{
  return mix(mix(mix(mix(seed) ^ stream) ^ key) ^ component);
}

double keyed_uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t key, std::uint64_t component)
{
  // the top 53 bits, shifted by half a step: (k + 0.5) / 2^53 lies strictly inside (0, 1)
  const std::uint64_t bits = keyed_hash(seed, stream, key, component) >> 11;
  return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
}

double keyed_gaussian(std::uint64_t seed, std::uint64_t stream, std::uint64_t key, std::uint64_t component)
{
  // each component takes two uniforms of its own (components 2c and 2c + 1)
  const double u1 = keyed_uniform(seed, stream, key, 2 * component);
  const double u2 = keyed_uniform(seed, stream, key, 2 * component + 1);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

}    // namespace BACKMAP
