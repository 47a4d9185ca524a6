/* BACKMAP core: the forward map M (atoms -> beads) as a sparse matrix, and M Sigma M^T.

   The resolution exchange (doc/resolution_exchange.md) needs the forward map as a linear
   operator: bead b = sum_i M_bi x_i, the same weights for x, y and z. M has one row per bead
   and one column per atom; it must have full row rank (no bead is a combination of others,
   in particular every bead has an atom of nonzero weight), or the projection onto
   {x : M x = R} does not exist. Positions must be unwrapped (molecules whole): M is linear
   in Cartesian coordinates, not in periodic images. */
#ifndef BACKMAP_LINEAR_FORWARD_MAP_H
#define BACKMAP_LINEAR_FORWARD_MAP_H

#include "forward_mapping.h"
#include "mapping_set.h"
#include "structure.h"

#include <Eigen/SparseCore>

#include <memory>
#include <string>
#include <vector>

namespace BACKMAP {

class LinearForwardMap {
 public:
  using Matrix = Eigen::SparseMatrix<double, Eigen::RowMajor>;

  // Explicit weights: beads[b] lists bead b's atoms (0 <= atom < atom_count) and weights;
  // repeated atoms add up and zero weights are dropped. Throws std::invalid_argument naming
  // the bead when an atom index is out of range, a weight is not finite, or a bead has no
  // atom of nonzero weight. Names default to "bead N" (N from 1).
  LinearForwardMap(int atom_count, const std::vector<std::vector<BeadAtomWeight>> &beads,
                   std::vector<std::string> bead_names = {});

  // The project's forward mapping (map_to_cg, martinize2's centres, hydrogens by their rule):
  // atoms numbered in the structure's order (residue by residue), beads in the order map_to_cg
  // writes them and named like "A:ALA12 BB". Residues that no mapping matches give no bead;
  // their atoms, like atoms kept out of every centre, have weight 0 everywhere.
  static LinearForwardMap from_structure(const Structure &atomistic, const MappingSet &mappings);

  int atom_count() const { return atom_count_; }
  int bead_count() const { return static_cast<int>(matrix_.rows()); }
  const std::string &bead_name(int bead) const { return names_[bead]; }
  const Matrix &matrix() const { return matrix_; }

  // M x (one position per bead) and M^T v (one vector per atom); sizes are checked.
  std::vector<Vec3> apply(const std::vector<Vec3> &atoms) const;
  std::vector<Vec3> apply_transpose(const std::vector<Vec3> &beads) const;

 private:
  int atom_count_ = 0;
  Matrix matrix_;
  std::vector<std::string> names_;
};

// A = M diag(v) M^T for per-atom variances v, factorised once (sparse LDL^T with a
// fill-reducing order). A is the covariance of M y for y ~ N(mu, diag(v)) in each Cartesian
// component; one factorisation serves x, y and z. Diagonal when beads share no atoms.
class BeadCovariance {
 public:
  // Throws std::invalid_argument when a variance is not positive and finite, or naming the
  // bead when A is singular (M without full row rank: a bead whose weights are a
  // combination of other beads').
  BeadCovariance(const LinearForwardMap &map, const std::vector<double> &atom_variance);

  // A^{-1} r for each Cartesian component of r (one vector per bead).
  std::vector<Vec3> solve(const std::vector<Vec3> &r) const;
  // sum over components c of r_c^T A^{-1} r_c
  double inverse_quadratic_form(const std::vector<Vec3> &r) const;

 private:
  struct Factor;
  std::shared_ptr<const Factor> factor_;
  int bead_count_ = 0;
};

}    // namespace BACKMAP

#endif
