/* BACKMAP core: random numbers drawn by key, not in sequence. A draw depends only on (seed,
   stream, key, component), so a particle gets the same number whichever process holds it and
   in whatever order the particles are visited: the same run on 1, 2 or 4 ranks draws alike. */
#ifndef BACKMAP_KEYED_RANDOM_H
#define BACKMAP_KEYED_RANDOM_H

#include <cstdint>

namespace BACKMAP {

// A 64-bit hash of the four numbers (splitmix64's finaliser applied along the chain): close
// keys give unrelated values.
std::uint64_t keyed_hash(std::uint64_t seed, std::uint64_t stream, std::uint64_t key, std::uint64_t component);

// Uniform in (0, 1), never 0 or 1.
double keyed_uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t key, std::uint64_t component);

// Standard normal (mean 0, variance 1), by Box-Muller from two keyed uniforms.
double keyed_gaussian(std::uint64_t seed, std::uint64_t stream, std::uint64_t key, std::uint64_t component);

}    // namespace BACKMAP

#endif
