#include "block_ldlt.h"

#include <Eigen/LU>
#include <Eigen/OrderingMethods>
#include <Eigen/SparseCore>

#include <algorithm>
#include <stdexcept>

namespace BACKMAP {

namespace {

// Approximate minimum degree on the atom graph: order[atom] = its position in the elimination.
std::vector<int> fill_reducing_order(std::size_t atoms, const std::vector<std::pair<int, int>> &pairs)
{
  std::vector<Eigen::Triplet<double, int>> t;
  t.reserve(2 * pairs.size() + atoms);
  for (std::size_t a = 0; a < atoms; ++a) t.emplace_back(static_cast<int>(a), static_cast<int>(a), 1.0);
  for (const auto &[a, b] : pairs) {
    t.emplace_back(a, b, 1.0);
    t.emplace_back(b, a, 1.0);
  }
  Eigen::SparseMatrix<double, Eigen::ColMajor, int> graph(static_cast<int>(atoms), static_cast<int>(atoms));
  graph.setFromTriplets(t.begin(), t.end());
  Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, int> inverse;
  Eigen::AMDOrdering<int>()(graph, inverse);
  std::vector<int> order(atoms);
  if (inverse.size() == 0) {    // nothing to reorder
    for (std::size_t a = 0; a < atoms; ++a) order[a] = static_cast<int>(a);
    return order;
  }
  // the ordering returns, for each new position, the old index
  for (std::size_t k = 0; k < atoms; ++k) order[inverse.indices()[static_cast<Eigen::Index>(k)]] = static_cast<int>(k);
  return order;
}

}    // namespace

void BlockLdlt::analyse(std::size_t atoms, const std::vector<std::pair<int, int>> &pairs)
{
  atoms_ = atoms;
  const int n = static_cast<int>(atoms);
  for (const auto &[a, b] : pairs)
    if (a < 0 || b < 0 || a >= n || b >= n) throw std::logic_error("BlockLdlt: an atom pair out of range");
  order_ = fill_reducing_order(atoms, pairs);
  atom_at_.assign(atoms, 0);
  for (int a = 0; a < n; ++a) atom_at_[order_[a]] = a;
  // upper triangle in factorisation order: (row < column), by column, rows sorted, no duplicates
  std::vector<std::vector<int>> rows(atoms);
  for (const auto &[a, b] : pairs) {
    const int i = order_[a], j = order_[b];
    if (i == j) continue;
    rows[std::max(i, j)].push_back(std::min(i, j));
  }
  upper_start_.assign(atoms + 1, 0);
  upper_row_.clear();
  for (std::size_t k = 0; k < atoms; ++k) {
    auto &r = rows[k];
    std::sort(r.begin(), r.end());
    r.erase(std::unique(r.begin(), r.end()), r.end());
    upper_row_.insert(upper_row_.end(), r.begin(), r.end());
    upper_start_[k + 1] = static_cast<int>(upper_row_.size());
  }
  diagonal_.assign(atoms, Block::Zero());
  upper_.assign(upper_row_.size(), Block::Zero());

  // the elimination tree and the number of entries in each column of L (Liu's algorithm, as in
  // Davis's LDL: row k of L is the set of tree ancestors of the upper entries of column k)
  parent_.assign(atoms, -1);
  l_count_.assign(atoms, 0);
  flag_.assign(atoms, -1);
  for (int k = 0; k < n; ++k) {
    flag_[k] = k;
    for (int p = upper_start_[k]; p < upper_start_[k + 1]; ++p)
      for (int i = upper_row_[p]; flag_[i] != k; i = parent_[i]) {
        if (parent_[i] == -1) parent_[i] = k;
        ++l_count_[i];
        flag_[i] = k;
      }
  }
  l_start_.assign(atoms + 1, 0);
  for (std::size_t k = 0; k < atoms; ++k) l_start_[k + 1] = l_start_[k] + l_count_[k];
  l_row_.assign(l_start_[atoms], 0);
  l_.assign(l_start_[atoms], Block::Zero());
  d_inverse_.assign(atoms, Block::Zero());
  work_.assign(atoms, Block::Zero());
  pattern_.assign(atoms, 0);
  stack_.assign(atoms, 0);
  solve_work_.assign(atoms, Eigen::Vector3d::Zero());
}

BlockLdlt::Slot BlockLdlt::slot(int a, int b)
{
  const int i = order_[a], j = order_[b];
  if (i == j) return {&diagonal_[i], true};
  const int row = std::min(i, j), column = std::max(i, j);
  const auto begin = upper_row_.begin() + upper_start_[column], end = upper_row_.begin() + upper_start_[column + 1];
  const auto at = std::lower_bound(begin, end, row);
  if (at == end || *at != row) throw std::logic_error("BlockLdlt: a block outside the analysed pattern");
  return {&upper_[at - upper_row_.begin()], i < j};
}

void BlockLdlt::zero()
{
  std::fill(diagonal_.begin(), diagonal_.end(), Block::Zero());
  std::fill(upper_.begin(), upper_.end(), Block::Zero());
}

// Up-looking LDL^T (Davis's LDL with 3x3 blocks). For row k: solve L(0:k,0:k) D z = A(0:k, k)
// over the rows the elimination tree says are non-zero, then L(k, i) = z_i^T D_i^-1 and
// D_k = A(k, k) - sum_i L(k, i) z_i.
bool BlockLdlt::factorize(const std::vector<double> &shift)
{
  const int n = static_cast<int>(atoms_);
  if (shift.size() != atoms_) throw std::logic_error("BlockLdlt::factorize: one shift per atom");
  std::fill(l_count_.begin(), l_count_.end(), 0);
  std::fill(flag_.begin(), flag_.end(), -1);
  for (int k = 0; k < n; ++k) {
    int top = n;
    flag_[k] = k;
    for (int p = upper_start_[k]; p < upper_start_[k + 1]; ++p) {
      int i = upper_row_[p];
      work_[i] = upper_[p];
      int length = 0;
      for (; flag_[i] != k; i = parent_[i]) {
        pattern_[length++] = i;
        flag_[i] = k;
      }
      while (length > 0) stack_[--top] = pattern_[--length];
    }
    Block dk = diagonal_[k];
    dk.diagonal().array() += shift[atom_at_[k]];
    for (; top < n; ++top) {
      const int i = stack_[top];
      const Block z = work_[i];
      work_[i].setZero();
      const int end = l_start_[i] + l_count_[i];
      for (int p = l_start_[i]; p < end; ++p) work_[l_row_[p]].noalias() -= l_[p] * z;
      const Block lki = z.transpose() * d_inverse_[i];
      dk.noalias() -= lki * z;
      l_row_[end] = k;
      l_[end] = lki;
      ++l_count_[i];
    }
    // D_k is symmetric in exact arithmetic; positive definite by its leading minors (Sylvester),
    // then inverted in closed form
    const Block d = 0.5 * (dk + dk.transpose());
    const double minor2 = d(0, 0) * d(1, 1) - d(0, 1) * d(1, 0), det = d.determinant();
    if (!(d(0, 0) > 0) || !(minor2 > 0) || !(det > 0)) return false;
    d_inverse_[k] = d.inverse();
  }
  return true;
}

void BlockLdlt::solve(const Eigen::VectorXd &b, Eigen::VectorXd &x) const
{
  const int n = static_cast<int>(atoms_);
  std::vector<Eigen::Vector3d> &y = solve_work_;
  for (int a = 0; a < n; ++a) y[order_[a]] = b.segment<3>(3 * a);
  for (int j = 0; j < n; ++j)    // L y' = y
    for (int p = l_start_[j]; p < l_start_[j] + l_count_[j]; ++p) y[l_row_[p]].noalias() -= l_[p] * y[j];
  for (int j = 0; j < n; ++j) y[j] = d_inverse_[j] * y[j];
  for (int j = n - 1; j >= 0; --j)    // L^T x = D^-1 y'
    for (int p = l_start_[j]; p < l_start_[j] + l_count_[j]; ++p) y[j].noalias() -= l_[p].transpose() * y[l_row_[p]];
  x.resize(3 * n);
  for (int a = 0; a < n; ++a) x.segment<3>(3 * a) = y[order_[a]];
}

}    // namespace BACKMAP
