/* Helpers of the resolution exchange's tests (test_resolution_exchange.cpp,
   test_linear_forward_map.cpp, test_backmap_density.cpp): errors that must name what is wrong,
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

// The dense matrix of a map, for brute-force computations.
inline Eigen::MatrixXd dense(const LinearForwardMap &map) { return Eigen::MatrixXd(map.matrix()); }

}    // namespace BACKMAP::test

#endif
