#include "hessian_density.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace BACKMAP {

namespace {

// the mixture over relabellings is enumerated: 3^10 components at most
constexpr int most_rotors = 10;

Eigen::MatrixXd cartesian_map(const LinearForwardMap &map)
{
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(3 * map.bead_count(), 3 * map.atom_count());
  const auto &m = map.matrix();
  for (int b = 0; b < m.outerSize(); ++b)
    for (LinearForwardMap::Matrix::InnerIterator it(m, b); it; ++it)
      for (int c = 0; c < 3; ++c) out(3 * b + c, 3 * it.col() + c) = it.value();
  return out;
}

// x with rotor r's hydrogens shifted `turns` places along (h0 -> h1 -> h2 -> h0): the position
// labelled h0 goes to h1, and so on
void relabel(Eigen::VectorXd &x, const Rotor &r, int turns)
{
  for (int t = 0; t < turns; ++t) {
    const Eigen::Vector3d last = x.segment<3>(3 * r[2]);
    x.segment<3>(3 * r[2]) = x.segment<3>(3 * r[1]);
    x.segment<3>(3 * r[1]) = x.segment<3>(3 * r[0]);
    x.segment<3>(3 * r[0]) = last;
  }
}

double log_sum_exp(const std::vector<double> &v)
{
  const double top = *std::max_element(v.begin(), v.end());
  if (!std::isfinite(top)) return top;
  double sum = 0.0;
  for (double x : v) sum += std::exp(x - top);
  return top + std::log(sum);
}

}    // namespace

HessianDensity::HessianDensity(LinearForwardMap map, double beta, double softest_width, std::vector<Rotor> rotors)
    : map_(std::move(map)), dense_map_(cartesian_map(map_)), beta_(beta), softest_width_(softest_width),
      rotors_(std::move(rotors))
{
  if (!(beta_ > 0.0) || !std::isfinite(beta_))
    throw std::invalid_argument("Hessian backmap density: 1/kT must be positive, not " + std::to_string(beta_));
  if (!(softest_width_ > 0.0) || !std::isfinite(softest_width_))
    throw std::invalid_argument("Hessian backmap density: the width of the softest modes must be positive Angstrom, not " +
                                std::to_string(softest_width_));
  if (static_cast<int>(rotors_.size()) > most_rotors)
    throw std::invalid_argument("Hessian backmap density: " + std::to_string(rotors_.size()) +
                                " rotors would make a mixture of 3^" + std::to_string(rotors_.size()) +
                                " Gaussians; at most " + std::to_string(most_rotors) + " are evaluated");
  std::vector<bool> used(map_.atom_count(), false);
  for (const Rotor &r : rotors_)
    for (int a : r) {
      if (a < 0 || a >= map_.atom_count() || used[a])
        throw std::invalid_argument("Hessian backmap density: rotor atom " + std::to_string(a) +
                                    " is out of range or in two rotors");
      used[a] = true;
      if (dense_map_.col(3 * a) != dense_map_.col(3 * r[0]))
        throw std::invalid_argument("Hessian backmap density: the rotor's atoms " + std::to_string(r[0]) + " and " +
                                    std::to_string(a) + " have different weights in the beads; relabelling them "
                                    "would move a bead");
    }
  // N and the pseudo-inverse from the SVD of M (its right singular vectors)
  const Eigen::BDCSVD<Eigen::MatrixXd> svd(dense_map_, Eigen::ComputeFullU | Eigen::ComputeFullV);
  const int rows = static_cast<int>(dense_map_.rows());
  const Eigen::VectorXd singular = svd.singularValues();
  if (rows > 0 && !(singular(rows - 1) > 1e-10 * singular(0)))
    throw std::invalid_argument("Hessian backmap density: the forward map has no full row rank (a bead without "
                                "atoms, or one whose weights are a combination of other beads')");
  fibre_ = svd.matrixV().rightCols(dense_map_.cols() - rows);
  pseudo_inverse_ = svd.matrixV().leftCols(rows) * singular.cwiseInverse().asDiagonal() * svd.matrixU().transpose();
}

// x moved onto the fibre by the smallest displacement, twice (the second pass removes what
// round-off left)
Eigen::VectorXd HessianDensity::onto_fibre(Eigen::VectorXd x, const Eigen::VectorXd &beads) const
{
  for (int pass = 0; pass < 2; ++pass) x -= pseudo_inverse_ * (dense_map_ * x - beads);
  return x;
}

std::vector<Vec3> HessianDensity::nearest_on_fibre(const std::vector<Vec3> &x, const std::vector<Vec3> &beads) const
{
  const Eigen::VectorXd y =
      onto_fibre(flat(x, map_.atom_count(), "the structure"), flat(beads, map_.bead_count(), "the bead list"));
  std::vector<Vec3> out(x.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = y.segment<3>(3 * i);
  return out;
}

Eigen::VectorXd HessianDensity::flat(const std::vector<Vec3> &v, int expected, const char *what) const
{
  if (static_cast<int>(v.size()) != expected) {
    std::ostringstream msg;
    msg << "Hessian backmap density: " << what << " has " << v.size() << " entries; the map has " << map_.atom_count()
        << " atoms and " << map_.bead_count() << " beads";
    throw std::invalid_argument(msg.str());
  }
  Eigen::VectorXd out(3 * v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out.segment<3>(3 * i) = v[i];
  return out;
}

HessianDensity::Proposal HessianDensity::at(const LocalEnergy &local, const std::vector<Vec3> &beads) const
{
  const int n3 = 3 * map_.atom_count();
  const Eigen::VectorXd mu = flat(local.mu, map_.atom_count(), "the mean structure");
  const Eigen::VectorXd force = flat(local.force, map_.atom_count(), "the force");
  Proposal q;
  q.beads = flat(beads, map_.bead_count(), "the bead list");
  if (local.hessian.rows() != n3 || local.hessian.cols() != n3)
    throw std::invalid_argument("Hessian backmap density: the Hessian is " + std::to_string(local.hessian.rows()) +
                                " x " + std::to_string(local.hessian.cols()) + "; the map needs " + std::to_string(n3));
  if (!local.hessian.allFinite() || !force.allFinite() || !mu.allFinite())
    throw std::invalid_argument("Hessian backmap density: the structure, force or Hessian at mu is not finite");

  // the Hessian within the fibre, its soft and negative modes raised to 1/s^2
  const Eigen::MatrixXd hessian = 0.5 * (local.hessian + local.hessian.transpose());
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(beta_ * (fibre_.transpose() * hessian * fibre_));
  if (eigen.info() != Eigen::Success)
    throw std::invalid_argument("Hessian backmap density: the Hessian's eigenvalues did not converge");
  q.modes = eigen.eigenvectors();
  const double floor = 1.0 / (softest_width_ * softest_width_);
  const Eigen::Index k = eigen.eigenvalues().size();
  q.precision.resize(k);
  for (Eigen::Index i = 0; i < k; ++i) {
    const double p = eigen.eigenvalues()(i);
    q.precision(i) = std::max(p, floor);
    if (!(p >= floor)) ++q.raised_modes;
  }
  // the quadratic model of beta U about mu, on the fibre through x0 (the nearest point to mu):
  // gradient -N^T beta (f - H (x0 - mu)) at z = 0, so its minimum is a Newton step from x0
  const Eigen::VectorXd x0 = onto_fibre(mu, q.beads);
  const Eigen::VectorXd slope = fibre_.transpose() * (beta_ * (force - hessian * (x0 - mu)));
  const Eigen::VectorXd step = q.modes * (q.modes.transpose() * slope).cwiseQuotient(q.precision);
  q.mean = onto_fibre(x0 + fibre_ * step, q.beads);
  q.log_normaliser = 0.5 * q.precision.array().log().sum();
  return q;
}

std::vector<Vec3> HessianDensity::sample(const Proposal &q, ExchangeRandom &random) const
{
  const Eigen::Index k = q.precision.size();
  Eigen::VectorXd z(k);
  for (Eigen::Index i = 0; i < k; ++i) z(i) = random.normal();    // this order, always
  // m + N P^{-1/2} z, put back onto the fibre against round-off
  Eigen::VectorXd x =
      onto_fibre(q.mean + fibre_ * (q.modes * (z.array() / q.precision.array().sqrt()).matrix()), q.beads);
  for (const Rotor &r : rotors_) relabel(x, r, std::min(2, static_cast<int>(3.0 * random.uniform())));
  std::vector<Vec3> out(q.mean.size() / 3);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = x.segment<3>(3 * i);
  return out;
}

double HessianDensity::quadratic_log_density(const Proposal &q, const Eigen::VectorXd &x) const
{
  const Eigen::VectorXd w = q.modes.transpose() * (fibre_.transpose() * (x - q.mean));
  return -0.5 * (q.precision.array() * w.array().square()).sum() + q.log_normaliser;
}

// x as one vector, refused unless it lies on the fibre of q's beads
Eigen::VectorXd HessianDensity::on_fibre(const Proposal &q, const std::vector<Vec3> &x) const
{
  const Eigen::VectorXd v = flat(x, map_.atom_count(), "the structure");
  const Eigen::VectorXd off = dense_map_ * v - q.beads;
  for (int b = 0; b < map_.bead_count(); ++b) {
    const double d = off.segment<3>(3 * b).norm();
    if (!(d <= 1e-6)) {
      std::ostringstream msg;
      msg << "Hessian backmap density: the structure's " << map_.bead_name(b) << " is " << d
          << " Angstrom from the CG bead; q is a density only on {x : M x = R}";
      throw std::invalid_argument(msg.str());
    }
  }
  return v;
}

double HessianDensity::log_density_unmixed(const Proposal &q, const std::vector<Vec3> &x) const
{
  return quadratic_log_density(q, on_fibre(q, x));
}

double HessianDensity::log_density(const Proposal &q, const std::vector<Vec3> &x) const
{
  const Eigen::VectorXd v = on_fibre(q, x);
  if (rotors_.empty()) return quadratic_log_density(q, v);
  // component pi contributes q_0(pi^-1 x): undo each rotor's shift of t turns by 3 - t more
  std::size_t components = 1;
  for (std::size_t g = 0; g < rotors_.size(); ++g) components *= 3;
  std::vector<double> terms(components);
  for (std::size_t c = 0; c < components; ++c) {
    Eigen::VectorXd y = v;
    std::size_t code = c;
    for (const Rotor &r : rotors_) {
      const int turns = static_cast<int>(code % 3);
      code /= 3;
      relabel(y, r, (3 - turns) % 3);
    }
    terms[c] = quadratic_log_density(q, y);
  }
  return log_sum_exp(terms) - std::log(static_cast<double>(components));
}

std::vector<Rotor> HessianDensity::find_rotors(const std::vector<bool> &is_hydrogen,
                                               const std::vector<std::array<int, 2>> &bonds,
                                               const LinearForwardMap &map)
{
  const int n = map.atom_count();
  if (static_cast<int>(is_hydrogen.size()) != n)
    throw std::invalid_argument("Hessian backmap density: " + std::to_string(is_hydrogen.size()) +
                                " hydrogen flags for a map of " + std::to_string(n) + " atoms");
  std::vector<std::vector<int>> hydrogens(n);
  for (const auto &b : bonds) {
    if (b[0] < 0 || b[0] >= n || b[1] < 0 || b[1] >= n)
      throw std::invalid_argument("Hessian backmap density: a bond names atom " + std::to_string(std::max(b[0], b[1])) +
                                  " of " + std::to_string(n));
    if (is_hydrogen[b[1]] && !is_hydrogen[b[0]]) hydrogens[b[0]].push_back(b[1]);
    if (is_hydrogen[b[0]] && !is_hydrogen[b[1]]) hydrogens[b[1]].push_back(b[0]);
  }
  const Eigen::MatrixXd m = cartesian_map(map);
  std::vector<Rotor> out;
  for (int a = 0; a < n; ++a) {
    const auto &h = hydrogens[a];
    if (h.size() != 3) continue;
    if (m.col(3 * h[0]) == m.col(3 * h[1]) && m.col(3 * h[0]) == m.col(3 * h[2])) out.push_back({h[0], h[1], h[2]});
  }
  return out;
}

}    // namespace BACKMAP
