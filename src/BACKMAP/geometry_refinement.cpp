#include "geometry_refinement.h"

#include <Eigen/Geometry>
#include <Eigen/Sparse>
#include <Eigen/SparseCholesky>

#include <algorithm>
#include <cmath>

namespace BACKMAP {

namespace {

using Triplets = std::vector<Eigen::Triplet<double>>;

// Adds weight^2 (g g^T, r g) of one scalar residual whose gradient is `grad` on `atoms`.
template <std::size_t N>
void add_residual(Triplets &h, Eigen::VectorXd &b, const int (&atoms)[N], const Vec3 (&grad)[N], double r, double w2)
{
  for (std::size_t i = 0; i < N; ++i) {
    for (int x = 0; x < 3; ++x) b[3 * atoms[i] + x] += w2 * r * grad[i][x];
    for (std::size_t j = 0; j < N; ++j)
      for (int x = 0; x < 3; ++x)
        for (int y = 0; y < 3; ++y) h.emplace_back(3 * atoms[i] + x, 3 * atoms[j] + y, w2 * grad[i][x] * grad[j][y]);
  }
}

double volume(const Vec3 &c, const Vec3 &a, const Vec3 &b, const Vec3 &d)
{
  return (a - c).dot((b - c).cross(d - c));
}

}    // namespace

void RefinementProblem::add_distance(int a, int b, double target, double sigma)
{
  distances_.push_back({a, b, target, 1.0 / sigma});
}

void RefinementProblem::add_volume(int centre, int a, int b, int c, double target, double sigma)
{
  volumes_.push_back({centre, a, b, c, target, 1.0 / sigma});
}

void RefinementProblem::add_centre(std::vector<std::pair<int, double>> weighted_atoms, const Vec3 &target,
                                   double sigma)
{
  centres_.push_back({std::move(weighted_atoms), target, 1.0 / sigma});
}

double RefinementProblem::cost(const std::vector<Vec3> &x, const std::vector<Vec3> &start, double tether) const
{
  double sum = 0;
  for (const auto &d : distances_) sum += std::pow(d.weight * ((x[d.a] - x[d.b]).norm() - d.target), 2);
  for (const auto &v : volumes_) sum += std::pow(v.weight * (volume(x[v.centre], x[v.a], x[v.b], x[v.c]) - v.target), 2);
  for (const auto &c : centres_) {
    Vec3 mean = Vec3::Zero();
    for (const auto &[k, w] : c.atoms) mean += w * x[k];
    sum += (c.weight * (mean - c.target)).squaredNorm();
  }
  for (std::size_t k = 0; k < x.size(); ++k) sum += tether * tether * (x[k] - start[k]).squaredNorm();
  return sum;
}

RefinementReport RefinementProblem::solve(std::vector<Vec3> &x, const RefinementOptions &options) const
{
  RefinementReport report;
  const std::vector<Vec3> start = x;
  const double tether = 1.0 / options.tether_sigma;
  const Eigen::Index n = static_cast<Eigen::Index>(3 * atom_count_);
  report.initial_cost = report.final_cost = cost(x, start, tether);
  if (atom_count_ == 0 || restraint_count() == 0) return report;

  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> solver;
  bool analysed = false;
  double lambda = 1e-3;
  for (int it = 0; it < options.iterations; ++it) {
    Triplets h;
    h.reserve(36 * distances_.size() + 144 * volumes_.size() + 3 * atom_count_);
    Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
    for (const auto &d : distances_) {
      const Vec3 delta = x[d.a] - x[d.b];
      const double len = std::max(delta.norm(), 1e-9);
      const int atoms[2] = {d.a, d.b};
      const Vec3 grad[2] = {delta / len, -delta / len};
      add_residual(h, b, atoms, grad, len - d.target, d.weight * d.weight);
    }
    for (const auto &v : volumes_) {
      const Vec3 u = x[v.a] - x[v.centre], s = x[v.b] - x[v.centre], w = x[v.c] - x[v.centre];
      const Vec3 ga = s.cross(w), gb = w.cross(u), gc = u.cross(s);
      const int atoms[4] = {v.centre, v.a, v.b, v.c};
      const Vec3 grad[4] = {-(ga + gb + gc), ga, gb, gc};
      add_residual(h, b, atoms, grad, u.dot(s.cross(w)) - v.target, v.weight * v.weight);
    }
    for (const auto &c : centres_) {
      Vec3 mean = Vec3::Zero();
      for (const auto &[k, w] : c.atoms) mean += w * x[k];
      const Vec3 r = mean - c.target;
      const double w2 = c.weight * c.weight;
      for (const auto &[k, wk] : c.atoms) {
        for (int dim = 0; dim < 3; ++dim) b[3 * k + dim] += w2 * r[dim] * wk;
        for (const auto &[l, wl] : c.atoms)
          for (int dim = 0; dim < 3; ++dim) h.emplace_back(3 * k + dim, 3 * l + dim, w2 * wk * wl);
      }
    }
    for (std::size_t k = 0; k < atom_count_; ++k)
      for (int dim = 0; dim < 3; ++dim) {
        const Eigen::Index row = static_cast<Eigen::Index>(3 * k + dim);
        h.emplace_back(row, row, tether * tether);
        b[row] += tether * tether * (x[k][dim] - start[k][dim]);
      }
    Eigen::SparseMatrix<double> hessian(n, n);
    hessian.setFromTriplets(h.begin(), h.end());
    const Eigen::VectorXd diagonal = hessian.diagonal();
    const double before = report.final_cost;
    // Levenberg-Marquardt: damp until the step lowers the cost (a few tries at most)
    bool improved = false;
    for (int attempt = 0; attempt < 6 && !improved; ++attempt) {
      Eigen::SparseMatrix<double> damped = hessian;
      for (Eigen::Index i = 0; i < n; ++i) damped.coeffRef(i, i) += lambda * diagonal[i];
      if (!analysed) {
        solver.analyzePattern(damped);
        analysed = true;
      }
      solver.factorize(damped);
      if (solver.info() != Eigen::Success) {
        lambda *= 10;
        continue;
      }
      const Eigen::VectorXd step = solver.solve(-b);
      std::vector<Vec3> trial = x;
      for (std::size_t k = 0; k < atom_count_; ++k) trial[k] += step.segment<3>(static_cast<Eigen::Index>(3 * k));
      const double after = cost(trial, start, tether);
      if (after < before) {
        x.swap(trial);
        report.final_cost = after;
        lambda = std::max(lambda / 10, 1e-7);
        improved = true;
      } else {
        lambda *= 10;
      }
    }
    ++report.iterations;
    if (!improved || before - report.final_cost < 1e-6 * before) break;
  }
  return report;
}

}    // namespace BACKMAP
