// The refinement's block-sparse LDL^T against Eigen's dense LDL^T on the same matrices.
#include "block_ldlt.h"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <random>

using namespace BACKMAP;

namespace {

// A random symmetric positive definite matrix on the pattern of `pairs`: B^T B summed over
// random 2-atom "restraints" (as the refinement builds it) plus a tether on the diagonal.
struct Problem {
  std::size_t atoms;
  std::vector<std::pair<int, int>> pairs;
  Eigen::MatrixXd dense;
};

Problem random_problem(std::size_t atoms, std::size_t restraints, unsigned seed)
{
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> atom(0, static_cast<int>(atoms) - 1);
  std::uniform_real_distribution<double> u(-1, 1);
  Problem p{atoms, {}, Eigen::MatrixXd::Identity(3 * atoms, 3 * atoms) * 0.25};
  for (std::size_t r = 0; r < restraints; ++r) {
    const int a = atom(rng), b = atom(rng);
    if (a == b) continue;
    p.pairs.emplace_back(a, b);
    Eigen::Matrix<double, 6, 1> g;
    for (int k = 0; k < 6; ++k) g[k] = u(rng);
    const Eigen::Matrix<double, 6, 6> h = 100.0 * g * g.transpose();
    const int idx[2] = {a, b};
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j) p.dense.block<3, 3>(3 * idx[i], 3 * idx[j]) += h.block<3, 3>(3 * i, 3 * j);
  }
  return p;
}

// Fills the block matrix from the dense one, through the slots the refinement uses.
void fill(BlockLdlt &m, const Problem &p)
{
  m.zero();
  for (int a = 0; a < static_cast<int>(p.atoms); ++a) *m.slot(a, a).block = p.dense.block<3, 3>(3 * a, 3 * a);
  for (const auto &[a, b] : p.pairs) {
    const BlockLdlt::Slot s = m.slot(a, b);
    *s.block = s.stored ? p.dense.block<3, 3>(3 * a, 3 * b) : p.dense.block<3, 3>(3 * b, 3 * a);
  }
}

}    // namespace

TEST(BlockLdlt, SolvesAsTheDenseFactorisationDoes)
{
  for (unsigned seed : {1u, 2u, 3u}) {
    const Problem p = random_problem(60, 150, seed);
    BlockLdlt m;
    m.analyse(p.atoms, p.pairs);
    fill(m, p);
    std::vector<double> shift(p.atoms);
    for (std::size_t a = 0; a < p.atoms; ++a) shift[a] = 0.1 * static_cast<double>(a % 7);
    ASSERT_TRUE(m.factorize(shift));
    Eigen::MatrixXd shifted = p.dense;
    for (std::size_t a = 0; a < p.atoms; ++a)
      for (int k = 0; k < 3; ++k) shifted(3 * a + k, 3 * a + k) += shift[a];
    const Eigen::VectorXd b = Eigen::VectorXd::LinSpaced(3 * p.atoms, -2.0, 3.0);
    Eigen::VectorXd x;
    m.solve(b, x);
    const Eigen::VectorXd expected = shifted.ldlt().solve(b);
    EXPECT_LT((x - expected).cwiseAbs().maxCoeff(), 1e-10 * expected.cwiseAbs().maxCoeff()) << "seed " << seed;
    EXPECT_LT((shifted * x - b).norm(), 1e-9 * b.norm());
  }
}

TEST(BlockLdlt, RefusesAMatrixThatIsNotPositiveDefinite)
{
  const Problem p = random_problem(10, 20, 4);
  BlockLdlt m;
  m.analyse(p.atoms, p.pairs);
  fill(m, p);
  m.slot(3, 3).block->setZero();    // a zero diagonal block: no positive pivot
  (*m.slot(3, 3).block)(0, 0) = -1;
  EXPECT_FALSE(m.factorize(std::vector<double>(p.atoms, 0.0)));
}

TEST(BlockLdlt, ABlockOutsideThePatternIsALogicError)
{
  BlockLdlt m;
  m.analyse(4, {{0, 1}, {1, 2}});
  EXPECT_THROW(m.slot(0, 3), std::logic_error);
  EXPECT_TRUE(m.slot(0, 1).stored != m.slot(1, 0).stored);
  EXPECT_EQ(m.slot(0, 1).block, m.slot(1, 0).block);
}
