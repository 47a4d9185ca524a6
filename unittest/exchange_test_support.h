/* Helpers of the resolution exchange's tests (test_resolution_exchange.cpp,
   test_linear_forward_map.cpp, test_backmap_density.cpp, test_hessian_density.cpp,
   test_fibre_minimiser.cpp): errors that must name what is wrong,
   random points, and a forward map as a dense matrix for brute-force computations. */
#ifndef BACKMAP_EXCHANGE_TEST_SUPPORT_H
#define BACKMAP_EXCHANGE_TEST_SUPPORT_H

#include "exchange_random.h"
#include "linear_forward_map.h"
#include "structure.h"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <vector>

namespace BACKMAP::test {

template <class F> void expect_error(F f, const std::string &fragment)
{
  try {
    f();
    ADD_FAILURE() << "no error; expected one mentioning \"" << fragment << "\"";
  } catch (const std::exception &e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

inline std::vector<Vec3> random_positions(int n, double scale, ExchangeRandom &random)
{
  std::vector<Vec3> x(n);
  for (Vec3 &p : x) p = scale * Vec3(2 * random.uniform() - 1, 2 * random.uniform() - 1, 2 * random.uniform() - 1);
  return x;
}

// A random map: `beads` beads of 1-3 atoms with random positive weights summing to 1, atoms
// drawn from the first 3/4 of `atoms` (so the last quarter is in no bead; `atoms` must be
// at least 4 `beads`); with `shared`, a bead's atoms after its first may be in other beads
// too, otherwise each atom is in one bead at most.
inline std::vector<std::vector<BeadAtomWeight>> random_map(int atoms, int beads, bool shared, ExchangeRandom &random)
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

// The dense matrix of a map, for brute-force computations.
inline Eigen::MatrixXd dense(const LinearForwardMap &map) { return Eigen::MatrixXd(map.matrix()); }

// The same for the 3n Cartesian components (3m x 3n): M acts on x, y and z alike.
inline Eigen::MatrixXd cartesian(const LinearForwardMap &map)
{
  const Eigen::MatrixXd m = dense(map);
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(3 * m.rows(), 3 * m.cols());
  for (int b = 0; b < m.rows(); ++b)
    for (int i = 0; i < m.cols(); ++i) out.block<3, 3>(3 * b, 3 * i) = m(b, i) * Eigen::Matrix3d::Identity();
  return out;
}

// Positions as one vector (x, y, z of atom 0, then atom 1, ...)
inline Eigen::VectorXd flat(const std::vector<Vec3> &v)
{
  Eigen::VectorXd out(3 * v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out.segment<3>(3 * i) = v[i];
  return out;
}

}    // namespace BACKMAP::test

#endif
