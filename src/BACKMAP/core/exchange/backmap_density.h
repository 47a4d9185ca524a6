/* BACKMAP core: the noisy backmap density q(x | R) of the resolution exchange.

   Given the CG configuration R and mu = mu(R), any deterministic all-atom structure made from
   R alone (the network's prediction, hydrogens, a deterministic minimisation), y ~ N(mu,
   Sigma) with Sigma = diag(s_i^2) (the same width for x, y and z of atom i), and x is y
   conditioned on M y = R. That conditional Gaussian lives on the affine subspace
   {x : M x = R} and is sampled exactly by projecting y:

     x = y - Sigma M^T A^{-1} (M y - R),       A = M Sigma M^T,

   and its log density on the subspace is, up to a constant that depends only on M and Sigma,

     ln q(x | R) = -1/2 (x - mu)^T Sigma^{-1} (x - mu) + 1/2 (R - M mu)^T A^{-1} (R - M mu).

   doc/resolution_exchange.md derives both. Atoms in no bead are plain Gaussians around mu. */
#ifndef BACKMAP_BACKMAP_DENSITY_H
#define BACKMAP_BACKMAP_DENSITY_H

#include "exchange_random.h"
#include "linear_forward_map.h"

#include <vector>

namespace BACKMAP {

class BackmapDensity {
 public:
  // widths[i] is s_i in Angstrom (positive). Throws std::invalid_argument for a bad width or
  // a map without full row rank (naming the bead).
  BackmapDensity(LinearForwardMap map, std::vector<double> widths);

  // Per-atom widths: `heavy` for heavy atoms, `hydrogen` where is_hydrogen is true.
  static std::vector<double> widths_by_kind(const std::vector<bool> &is_hydrogen, double heavy, double hydrogen);

  const LinearForwardMap &map() const { return map_; }
  const std::vector<double> &widths() const { return widths_; }

  // x ~ q(. | R). The normals are drawn atom by atom in the map's atom order (x, y, z of atom
  // 0, then of atom 1, ...), so one seed gives one structure however the caller stores atoms.
  std::vector<Vec3> sample(const std::vector<Vec3> &mu, const std::vector<Vec3> &beads, ExchangeRandom &random) const;

  // ln q(x | R) without the constant (the same for every R, mu and x). x must lie on the
  // subspace (|M x - R| below 1e-6 Angstrom for every bead), where alone q is a density:
  // otherwise std::invalid_argument naming the bead.
  double log_density(const std::vector<Vec3> &x, const std::vector<Vec3> &mu, const std::vector<Vec3> &beads) const;

  // The conditioning step alone: y - Sigma M^T A^{-1} (M y - R), corrected once more for
  // round-off so that M x = R to the last digits.
  std::vector<Vec3> project(const std::vector<Vec3> &y, const std::vector<Vec3> &beads) const;

  // max over beads of |(M x)_b - R_b|
  double largest_bead_error(const std::vector<Vec3> &x, const std::vector<Vec3> &beads) const;

 private:
  LinearForwardMap map_;
  std::vector<double> widths_;
  std::vector<double> variance_;
  BeadCovariance covariance_;

  void check_sizes(const std::vector<Vec3> &atoms, const std::vector<Vec3> &beads, const char *what) const;
};

}    // namespace BACKMAP

#endif
