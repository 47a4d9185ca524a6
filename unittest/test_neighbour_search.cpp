// The fix's own neighbour search (a cell list over owned and ghost beads) against a brute-force
// double loop over every pair: the same neighbours, whatever the layout.
#include "bead_graph.h"

#include <gtest/gtest.h>

#include <random>

using namespace BACKMAP;

namespace {

std::vector<std::vector<int>> brute_force(const std::vector<Vec3> &x, std::size_t centres, double cutoff)
{
  std::vector<std::vector<int>> out(centres);
  for (std::size_t i = 0; i < centres; ++i)
    for (std::size_t j = 0; j < x.size(); ++j)
      if (i != j && (x[j] - x[i]).norm() < cutoff) out[i].push_back(static_cast<int>(j));
  return out;
}

// The flat list as one list per centre.
std::vector<std::vector<int>> rows(const NeighbourList &n)
{
  std::vector<std::vector<int>> out;
  for (std::size_t i = 0; i < n.centres(); ++i) out.emplace_back(n[i].begin(), n[i].end());
  return out;
}

std::vector<int> row(const NeighbourList &n, std::size_t i) { return {n[i].begin(), n[i].end()}; }

}    // namespace

TEST(NeighbourSearch, HandBuiltLine)
{
  // points 0, 3, 6.9, 7.1, 14 A along x; cutoff 7: 0 sees 3 and 6.9 (not 7.1); 3 sees all but 14
  const std::vector<Vec3> x = {{0, 0, 0}, {3, 0, 0}, {6.9, 0, 0}, {7.1, 0, 0}, {14, 0, 0}};
  const auto n = neighbours_within(x, 2, 7.0);
  ASSERT_EQ(n.centres(), 2u);
  EXPECT_EQ(row(n, 0), (std::vector<int>{1, 2}));
  EXPECT_EQ(row(n, 1), (std::vector<int>{0, 2, 3}));
}

TEST(NeighbourSearch, EqualsEveryPairOnRandomClustersAndOutliers)
{
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-30.0, 30.0);
  std::vector<Vec3> x;
  for (int i = 0; i < 1500; ++i) x.emplace_back(u(rng), u(rng), 0.2 * u(rng));
  // a dense cluster, exact duplicates, and far-flung points (a lost ghost) that would make a
  // fine grid enormous
  for (int i = 0; i < 50; ++i) x.emplace_back(1e-3 * i, 0.0, 0.0);
  x.push_back(x[10]);
  x.emplace_back(1e7, -1e7, 3e6);
  x.emplace_back(1e7 + 1.0, -1e7, 3e6);
  for (double cutoff : {0.5, 7.0, 25.0, 200.0}) {
    const std::size_t centres = 900;
    EXPECT_EQ(rows(neighbours_within(x, centres, cutoff)), brute_force(x, centres, cutoff)) << "cutoff " << cutoff;
  }
  // refilling one list (as the fix does every frame) gives the same rows as a fresh one
  NeighbourList reused;
  for (double cutoff : {25.0, 0.5, 7.0}) {
    neighbours_within(x, 900, cutoff, reused);
    EXPECT_EQ(rows(reused), brute_force(x, 900, cutoff)) << "refilled, cutoff " << cutoff;
  }
  // the outlier pair sees each other only
  const std::size_t last = x.size() - 1;
  EXPECT_EQ(row(neighbours_within(x, x.size(), 7.0), last), (std::vector<int>{static_cast<int>(last) - 1}));
}

TEST(NeighbourSearch, RefusesANonPositiveCutoff)
{
  EXPECT_THROW(neighbours_within({{0, 0, 0}}, 1, 0.0), std::invalid_argument);
}
