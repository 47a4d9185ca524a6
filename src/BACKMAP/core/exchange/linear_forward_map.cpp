#include "linear_forward_map.h"

#include "residue_matching.h"

#include <Eigen/SparseCholesky>

#include <cmath>
#include <stdexcept>

namespace BACKMAP {

LinearForwardMap::LinearForwardMap(int atom_count, const std::vector<std::vector<BeadAtomWeight>> &beads,
                                   std::vector<std::string> bead_names)
    : atom_count_(atom_count), names_(std::move(bead_names))
{
  if (atom_count < 0) throw std::invalid_argument("forward map: negative atom count");
  if (names_.empty())
    for (std::size_t b = 0; b < beads.size(); ++b) names_.push_back("bead " + std::to_string(b + 1));
  if (names_.size() != beads.size())
    throw std::invalid_argument("forward map: " + std::to_string(beads.size()) + " beads but " +
                                std::to_string(names_.size()) + " bead names");
  std::vector<Eigen::Triplet<double>> entries;
  for (std::size_t b = 0; b < beads.size(); ++b) {
    double largest = 0.0;
    for (const BeadAtomWeight &a : beads[b]) {
      if (a.atom < 0 || a.atom >= atom_count)
        throw std::invalid_argument("forward map: " + names_[b] + " names atom " + std::to_string(a.atom) +
                                    ", outside 0.." + std::to_string(atom_count - 1));
      if (!std::isfinite(a.weight))
        throw std::invalid_argument("forward map: " + names_[b] + " gives atom " + std::to_string(a.atom) +
                                    " a weight that is not a finite number");
      if (a.weight == 0.0) continue;
      entries.emplace_back(static_cast<int>(b), a.atom, a.weight);
      largest = std::max(largest, std::abs(a.weight));
    }
    if (largest == 0.0)
      throw std::invalid_argument("forward map: " + names_[b] +
                                  " has no atom of nonzero weight; every bead needs at least one (M must have "
                                  "full row rank)");
  }
  matrix_.resize(static_cast<int>(beads.size()), atom_count);
  matrix_.setFromTriplets(entries.begin(), entries.end());
  matrix_.prune(0.0);
  for (int b = 0; b < matrix_.rows(); ++b)
    if (matrix_.row(b).nonZeros() == 0)
      throw std::invalid_argument("forward map: the weights of " + names_[b] + " cancel to zero");
}

LinearForwardMap LinearForwardMap::from_structure(const Structure &atomistic, const MappingSet &mappings)
{
  std::vector<std::vector<BeadAtomWeight>> beads;
  std::vector<std::string> names;
  int first_atom = 0;
  for (const Residue &residue : atomistic.residues) {
    const ResidueMatch match = match_residue(residue, mappings);
    if (match.ok()) {
      const auto weights = bead_atom_weights(residue, match);
      for (std::size_t b = 0; b < weights.size(); ++b) {
        std::vector<BeadAtomWeight> bead = weights[b];
        for (BeadAtomWeight &a : bead) a.atom += first_atom;
        beads.push_back(std::move(bead));
        names.push_back(residue.label() + " " + match.mapping->beads[b].name);
      }
    }
    first_atom += static_cast<int>(residue.atoms.size());
  }
  return LinearForwardMap(first_atom, beads, std::move(names));
}

std::vector<Vec3> LinearForwardMap::apply(const std::vector<Vec3> &atoms) const
{
  if (static_cast<int>(atoms.size()) != atom_count_)
    throw std::invalid_argument("forward map: " + std::to_string(atoms.size()) + " positions for " +
                                std::to_string(atom_count_) + " atoms");
  std::vector<Vec3> beads(matrix_.rows(), Vec3::Zero());
  for (int b = 0; b < matrix_.outerSize(); ++b)
    for (Matrix::InnerIterator it(matrix_, b); it; ++it) beads[b] += it.value() * atoms[it.col()];
  return beads;
}

std::vector<Vec3> LinearForwardMap::apply_transpose(const std::vector<Vec3> &beads) const
{
  if (static_cast<int>(beads.size()) != matrix_.rows())
    throw std::invalid_argument("forward map: " + std::to_string(beads.size()) + " bead vectors for " +
                                std::to_string(matrix_.rows()) + " beads");
  std::vector<Vec3> atoms(atom_count_, Vec3::Zero());
  for (int b = 0; b < matrix_.outerSize(); ++b)
    for (Matrix::InnerIterator it(matrix_, b); it; ++it) atoms[it.col()] += it.value() * beads[b];
  return atoms;
}

struct BeadCovariance::Factor {
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> ldlt;
};

BeadCovariance::BeadCovariance(const LinearForwardMap &map, const std::vector<double> &atom_variance)
    : bead_count_(map.bead_count())
{
  if (static_cast<int>(atom_variance.size()) != map.atom_count())
    throw std::invalid_argument("bead covariance: " + std::to_string(atom_variance.size()) + " variances for " +
                                std::to_string(map.atom_count()) + " atoms");
  for (std::size_t i = 0; i < atom_variance.size(); ++i)
    if (!(atom_variance[i] > 0.0) || !std::isfinite(atom_variance[i]))
      throw std::invalid_argument("bead covariance: atom " + std::to_string(i) +
                                  " has a width that is not a positive finite number");
  Eigen::SparseMatrix<double> weighted = map.matrix();    // M diag(v), column-major
  for (int i = 0; i < weighted.outerSize(); ++i)
    for (Eigen::SparseMatrix<double>::InnerIterator it(weighted, i); it; ++it) it.valueRef() *= atom_variance[i];
  const Eigen::SparseMatrix<double> a = weighted * Eigen::SparseMatrix<double>(map.matrix().transpose());
  auto factor = std::make_shared<Factor>();
  factor->ldlt.compute(a);
  // Without full row rank A is only semi-definite: a pivot of D (nearly) vanishes, at the
  // bead that depends on the ones ordered before it. Relative to that bead's own variance
  // A_bb, a pivot of 1e-10 means its centre is fixed by the others to 5 significant digits.
  const auto &perm = factor->ldlt.permutationP();
  std::vector<int> original(bead_count_);
  for (int b = 0; b < bead_count_; ++b) original[perm.indices()[b]] = b;
  const Eigen::VectorXd d = factor->ldlt.info() == Eigen::Success ? Eigen::VectorXd(factor->ldlt.vectorD())
                                                                    : Eigen::VectorXd::Zero(bead_count_);
  for (int k = 0; k < bead_count_; ++k) {
    const int b = original[k];
    if (!(d[k] > 1e-10 * a.coeff(b, b)))
      throw std::invalid_argument("forward map: " + map.bead_name(b) +
                                  " is a combination of other beads (its weights are not independent of theirs): "
                                  "M must have full row rank");
  }
  factor_ = std::move(factor);
}

std::vector<Vec3> BeadCovariance::solve(const std::vector<Vec3> &r) const
{
  if (static_cast<int>(r.size()) != bead_count_)
    throw std::invalid_argument("bead covariance: " + std::to_string(r.size()) + " bead vectors for " +
                                std::to_string(bead_count_) + " beads");
  Eigen::MatrixXd rhs(bead_count_, 3);
  for (int b = 0; b < bead_count_; ++b) rhs.row(b) = r[b].transpose();
  const Eigen::MatrixXd sol = factor_->ldlt.solve(rhs);
  std::vector<Vec3> out(bead_count_);
  for (int b = 0; b < bead_count_; ++b) out[b] = sol.row(b).transpose();
  return out;
}

double BeadCovariance::inverse_quadratic_form(const std::vector<Vec3> &r) const
{
  const std::vector<Vec3> s = solve(r);
  double sum = 0.0;
  for (int b = 0; b < bead_count_; ++b) sum += r[b].dot(s[b]);
  return sum;
}

}    // namespace BACKMAP
