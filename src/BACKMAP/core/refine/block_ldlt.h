/* BACKMAP core: sparse symmetric matrices made of 3x3 blocks, one block row and column per atom,
   and their LDL^T factorisation with 3x3 diagonal blocks. The refinement's normal equations have
   this shape (every restraint couples whole atoms), and factorising blocks instead of scalars
   does the same arithmetic with a ninth of the index work. The pattern and its fill-reducing
   ordering are analysed once (analyse) and reused for every factorisation of the same pattern. */
#ifndef BACKMAP_BLOCK_LDLT_H
#define BACKMAP_BLOCK_LDLT_H

#include <Eigen/Core>

#include <utility>
#include <vector>

namespace BACKMAP {

class BlockLdlt {
 public:
  using Block = Eigen::Matrix3d;

  // The pattern: the diagonal blocks and blocks (a, b) and (b, a) for every listed pair of
  // different atoms (duplicates and a == b are allowed and ignored). Orders the atoms to keep
  // the factor sparse (approximate minimum degree) and finds the factor's pattern.
  void analyse(std::size_t atoms, const std::vector<std::pair<int, int>> &pairs);

  std::size_t atoms() const { return atoms_; }

  // Where block (a, b) of the matrix lives: only one of (a, b) and (b, a) is stored (the
  // matrix is symmetric). `stored` false: (a, b) is the transpose of the stored block, and the
  // caller adds to it through (b, a); a == b is the diagonal block.
  struct Slot {
    Block *block;
    bool stored;
  };
  Slot slot(int a, int b);

  // Sets every stored block to zero (the pattern stays).
  void zero();

  // Factorises the matrix plus shift[a] * I on each atom's diagonal block. False if a pivot
  // block is not positive definite (the factor is then unusable).
  bool factorize(const std::vector<double> &shift);

  // Solves (matrix + shift) x = b with the last factorisation; b and x in atom order (3 per atom).
  void solve(const Eigen::VectorXd &b, Eigen::VectorXd &x) const;

 private:
  std::size_t atoms_ = 0;
  std::vector<int> order_;          // order_[atom] = its row in the factorisation
  std::vector<int> atom_at_;        // its inverse
  // the matrix, in factorisation order: diagonal blocks, and the upper triangle by columns
  std::vector<Block> diagonal_;
  std::vector<int> upper_start_, upper_row_;    // column k: rows upper_row_[upper_start_[k] ...]
  std::vector<Block> upper_;
  // the factor: L by columns (rows below the diagonal), D^-1 per block
  std::vector<int> parent_, l_start_, l_count_, l_row_;
  std::vector<Block> l_, d_inverse_;
  // work space, kept between factorisations
  std::vector<Block> work_;
  std::vector<int> flag_, pattern_, stack_;
  mutable std::vector<Eigen::Vector3d> solve_work_;
};

}    // namespace BACKMAP

#endif
