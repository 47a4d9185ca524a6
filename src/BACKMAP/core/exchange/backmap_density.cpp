#include "backmap_density.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace BACKMAP {

namespace {

std::vector<double> squares(const std::vector<double> &widths)
{
  std::vector<double> out(widths.size());
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (!(widths[i] > 0.0) || !std::isfinite(widths[i]))
      throw std::invalid_argument("backmap density: atom " + std::to_string(i) + " has width " +
                                  std::to_string(widths[i]) + "; widths must be positive Angstrom");
    out[i] = widths[i] * widths[i];
  }
  return out;
}

}    // namespace

BackmapDensity::BackmapDensity(LinearForwardMap map, std::vector<double> widths)
    : map_(std::move(map)), widths_(std::move(widths)), variance_(squares(widths_)), covariance_(map_, variance_)
{
}

std::vector<double> BackmapDensity::widths_by_kind(const std::vector<bool> &is_hydrogen, double heavy, double hydrogen)
{
  std::vector<double> out(is_hydrogen.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = is_hydrogen[i] ? hydrogen : heavy;
  return out;
}

void BackmapDensity::check_sizes(const std::vector<Vec3> &atoms, const std::vector<Vec3> &beads, const char *what) const
{
  if (static_cast<int>(atoms.size()) != map_.atom_count() || static_cast<int>(beads.size()) != map_.bead_count()) {
    std::ostringstream msg;
    msg << "backmap density: " << what << " has " << atoms.size() << " atoms and " << beads.size()
        << " beads; the map has " << map_.atom_count() << " and " << map_.bead_count();
    throw std::invalid_argument(msg.str());
  }
}

std::vector<Vec3> BackmapDensity::project(const std::vector<Vec3> &y, const std::vector<Vec3> &beads) const
{
  check_sizes(y, beads, "the structure to project");
  std::vector<Vec3> x = y;
  // the second pass removes what round-off left of M x - R after the first (it is the same
  // projection, so it does not change the distribution)
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<Vec3> residual = map_.apply(x);
    for (std::size_t b = 0; b < beads.size(); ++b) residual[b] -= beads[b];
    const std::vector<Vec3> shift = map_.apply_transpose(covariance_.solve(residual));
    for (std::size_t i = 0; i < x.size(); ++i) x[i] -= variance_[i] * shift[i];
  }
  return x;
}

std::vector<Vec3> BackmapDensity::sample(const std::vector<Vec3> &mu, const std::vector<Vec3> &beads,
                                         ExchangeRandom &random) const
{
  check_sizes(mu, beads, "the mean structure");
  std::vector<Vec3> y(mu.size());
  for (std::size_t i = 0; i < mu.size(); ++i) {
    const double nx = random.normal(), ny = random.normal(), nz = random.normal();    // this order, always
    y[i] = mu[i] + widths_[i] * Vec3(nx, ny, nz);
  }
  return project(y, beads);
}

double BackmapDensity::largest_bead_error(const std::vector<Vec3> &x, const std::vector<Vec3> &beads) const
{
  check_sizes(x, beads, "the structure");
  const std::vector<Vec3> mx = map_.apply(x);
  double largest = 0.0;
  for (std::size_t b = 0; b < beads.size(); ++b) largest = std::max(largest, (mx[b] - beads[b]).norm());
  return largest;
}

double BackmapDensity::log_density(const std::vector<Vec3> &x, const std::vector<Vec3> &mu,
                                   const std::vector<Vec3> &beads) const
{
  check_sizes(x, beads, "the structure");
  check_sizes(mu, beads, "the mean structure");
  const std::vector<Vec3> mx = map_.apply(x);
  for (std::size_t b = 0; b < beads.size(); ++b) {
    const double off = (mx[b] - beads[b]).norm();
    if (!(off <= 1e-6)) {
      std::ostringstream msg;
      msg << "backmap density: the structure's " << map_.bead_name(static_cast<int>(b)) << " is " << off
          << " Angstrom from the CG bead; q is a density only on {x : M x = R}";
      throw std::invalid_argument(msg.str());
    }
  }
  // -1/2 (x - mu)^T Sigma^{-1} (x - mu) + 1/2 (R - M mu)^T A^{-1} (R - M mu) equals
  // -1/2 (x - m)^T Sigma^{-1} (x - m) with m the projection of mu (the conditional mean): the
  // cross term vanishes because M x = M m = R. The second form has no cancellation of two
  // large numbers when mu is far from the subspace.
  const std::vector<Vec3> m = project(mu, beads);
  double deviation = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) deviation += (x[i] - m[i]).squaredNorm() / variance_[i];
  return -0.5 * deviation;
}

}    // namespace BACKMAP
