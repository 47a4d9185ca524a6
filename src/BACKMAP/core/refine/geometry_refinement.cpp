#include "geometry_refinement.h"

#include <Eigen/Geometry>
#include <Eigen/Sparse>
#include <Eigen/SparseCholesky>

#include <algorithm>
#include <array>
#include <cmath>

namespace BACKMAP {

namespace {

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

namespace {

// The normal matrix J^T J has one dense 3x3 block for every pair of atoms that share a
// restraint; its pattern never changes, so it is built once and every iteration only adds
// into the values (no triplet sorting). Column-major: the three rows of a block are
// consecutive in each of its three columns.
class BlockPattern {
 public:
  BlockPattern(std::size_t atoms, const std::vector<std::pair<int, int>> &pairs) : n_(static_cast<Eigen::Index>(3 * atoms))
  {
    std::vector<Eigen::Triplet<double>> t;
    t.reserve(9 * (pairs.size() + atoms));
    auto block = [&](int a, int b) {
      for (int x = 0; x < 3; ++x)
        for (int y = 0; y < 3; ++y) t.emplace_back(3 * a + x, 3 * b + y, 0.0);
    };
    for (std::size_t k = 0; k < atoms; ++k) block(static_cast<int>(k), static_cast<int>(k));
    for (const auto &[a, b] : pairs) {
      block(a, b);
      block(b, a);
    }
    matrix_.resize(n_, n_);
    matrix_.setFromTriplets(t.begin(), t.end());
    matrix_.makeCompressed();
    diagonal_.resize(n_);
    for (Eigen::Index r = 0; r < n_; ++r) diagonal_[r] = offset(r, r);
  }

  // Index in the value array of entry (row, column), which must be in the pattern.
  int offset(Eigen::Index row, Eigen::Index column) const
  {
    const int *inner = matrix_.innerIndexPtr();
    const int *begin = inner + matrix_.outerIndexPtr()[column], *end = inner + matrix_.outerIndexPtr()[column + 1];
    return static_cast<int>(std::lower_bound(begin, end, static_cast<int>(row)) - inner);
  }
  // Offsets of the first row of block (a, b) in its three columns.
  std::array<int, 3> block(int a, int b) const
  {
    return {offset(3 * a, 3 * b), offset(3 * a, 3 * b + 1), offset(3 * a, 3 * b + 2)};
  }

  Eigen::SparseMatrix<double> &matrix() { return matrix_; }
  const std::vector<int> &diagonal() const { return diagonal_; }

 private:
  Eigen::Index n_;
  Eigen::SparseMatrix<double> matrix_;
  std::vector<int> diagonal_;
};

// One scalar residual over N atoms: where its blocks live in the value array.
template <std::size_t N> struct ResidualBlocks {
  std::array<std::array<int, 3>, N * N> at;
  ResidualBlocks(const BlockPattern &p, const std::array<int, N> &atoms)
  {
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t j = 0; j < N; ++j) at[i * N + j] = p.block(atoms[i], atoms[j]);
  }
  // adds w2 (g g^T) to the matrix values and w2 r g to b
  void add(double *values, Eigen::VectorXd &b, const std::array<int, N> &atoms, const std::array<Vec3, N> &g, double r,
           double w2) const
  {
    for (std::size_t i = 0; i < N; ++i) {
      b.segment<3>(3 * atoms[i]) += w2 * r * g[i];
      for (std::size_t j = 0; j < N; ++j) {
        const auto &o = at[i * N + j];
        for (int y = 0; y < 3; ++y) {
          const double gy = w2 * g[j][y];
          for (int x = 0; x < 3; ++x) values[o[y] + x] += g[i][x] * gy;
        }
      }
    }
  }
};

}    // namespace

RefinementReport RefinementProblem::solve(std::vector<Vec3> &x, const RefinementOptions &options) const
{
  RefinementReport report;
  const std::vector<Vec3> start = x;
  const double tether = 1.0 / options.tether_sigma;
  const Eigen::Index n = static_cast<Eigen::Index>(3 * atom_count_);
  report.initial_cost = report.final_cost = cost(x, start, tether);
  if (atom_count_ == 0 || restraint_count() == 0) return report;

  std::vector<std::pair<int, int>> pairs;
  for (const auto &d : distances_) pairs.emplace_back(d.a, d.b);
  for (const auto &v : volumes_) {
    const int a[4] = {v.centre, v.a, v.b, v.c};
    for (int i = 0; i < 4; ++i)
      for (int j = i + 1; j < 4; ++j) pairs.emplace_back(a[i], a[j]);
  }
  for (const auto &c : centres_)
    for (std::size_t i = 0; i < c.atoms.size(); ++i)
      for (std::size_t j = i + 1; j < c.atoms.size(); ++j) pairs.emplace_back(c.atoms[i].first, c.atoms[j].first);
  BlockPattern pattern(atom_count_, pairs);
  std::vector<ResidualBlocks<2>> distance_blocks;
  distance_blocks.reserve(distances_.size());
  for (const auto &d : distances_) distance_blocks.emplace_back(pattern, std::array<int, 2>{d.a, d.b});
  std::vector<ResidualBlocks<4>> volume_blocks;
  volume_blocks.reserve(volumes_.size());
  for (const auto &v : volumes_) volume_blocks.emplace_back(pattern, std::array<int, 4>{v.centre, v.a, v.b, v.c});
  std::vector<std::vector<std::array<int, 3>>> centre_blocks(centres_.size());
  for (std::size_t k = 0; k < centres_.size(); ++k)
    for (const auto &[i, wi] : centres_[k].atoms)
      for (const auto &[j, wj] : centres_[k].atoms) centre_blocks[k].push_back(pattern.block(i, j));

  Eigen::SparseMatrix<double> &hessian = pattern.matrix();
  double *values = hessian.valuePtr();
  const Eigen::Index nnz = hessian.nonZeros();
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> solver;
  solver.analyzePattern(hessian);
  std::vector<double> undamped(n);
  const double damping = 1e-3;
  report.problems = 1;
  bool settled = false;    // the cost stopped falling (or no step lowers it)
  for (int it = 0; it < options.iterations; ++it) {
    std::fill(values, values + nnz, 0.0);
    Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
    for (std::size_t k = 0; k < distances_.size(); ++k) {
      const Distance &d = distances_[k];
      const Vec3 delta = x[d.a] - x[d.b];
      const double len = std::max(delta.norm(), 1e-9);
      const Vec3 u = delta / len;
      distance_blocks[k].add(values, b, {d.a, d.b}, {u, -u}, len - d.target, d.weight * d.weight);
    }
    for (std::size_t k = 0; k < volumes_.size(); ++k) {
      const Volume &v = volumes_[k];
      const Vec3 u = x[v.a] - x[v.centre], s = x[v.b] - x[v.centre], w = x[v.c] - x[v.centre];
      const Vec3 ga = s.cross(w), gb = w.cross(u), gc = u.cross(s);
      volume_blocks[k].add(values, b, {v.centre, v.a, v.b, v.c}, {-(ga + gb + gc), ga, gb, gc},
                           u.dot(s.cross(w)) - v.target, v.weight * v.weight);
    }
    for (std::size_t k = 0; k < centres_.size(); ++k) {
      const Centre &c = centres_[k];
      Vec3 mean = Vec3::Zero();
      for (const auto &[i, w] : c.atoms) mean += w * x[i];
      const Vec3 r = mean - c.target;
      const double w2 = c.weight * c.weight;
      std::size_t blk = 0;
      for (const auto &[i, wi] : c.atoms) {
        b.segment<3>(3 * i) += w2 * wi * r;
        for (const auto &[j, wj] : c.atoms) {
          const auto &o = centre_blocks[k][blk++];
          for (int dim = 0; dim < 3; ++dim) values[o[dim] + dim] += w2 * wi * wj;
        }
      }
    }
    const std::vector<int> &diag = pattern.diagonal();
    for (std::size_t k = 0; k < atom_count_; ++k)
      for (int dim = 0; dim < 3; ++dim) {
        const Eigen::Index row = static_cast<Eigen::Index>(3 * k + dim);
        values[diag[row]] += tether * tether;
        b[row] += tether * tether * (x[k][dim] - start[k][dim]);
      }
    for (Eigen::Index r = 0; r < n; ++r) undamped[r] = values[diag[r]];
    const double before = report.final_cost;
    // a slightly damped Gauss-Newton step, shortened until it lowers the cost: one
    // factorisation per iteration (re-damping would need one per try)
    for (Eigen::Index r = 0; r < n; ++r) values[diag[r]] = undamped[r] * (1 + damping);
    solver.factorize(hessian);
    if (solver.info() != Eigen::Success) break;
    const Eigen::VectorXd step = solver.solve(-b);
    bool improved = false;
    for (double length = 1.0; length > 0.05 && !improved; length *= 0.5) {
      std::vector<Vec3> trial = x;
      for (std::size_t k = 0; k < atom_count_; ++k)
        trial[k] += length * step.segment<3>(static_cast<Eigen::Index>(3 * k));
      const double after = cost(trial, start, tether);
      if (after < before) {
        x.swap(trial);
        report.final_cost = after;
        improved = true;
      }
    }
    ++report.iterations;
    if (!improved || before - report.final_cost < 1e-6 * before) {
      settled = true;
      break;
    }
  }
  report.unconverged = settled ? 0 : 1;
  return report;
}

}    // namespace BACKMAP
