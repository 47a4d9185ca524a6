#include "geometry_refinement.h"

#include "block_ldlt.h"

#include <Eigen/Geometry>

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

// Two atoms closer than this fraction of the distance they are restrained to count as one spot.
constexpr double coincident_fraction = 0.1;

// (partner, target) of every distance restraint of each atom, by partner index.
template <class Distances>
std::vector<std::vector<std::pair<int, double>>> distance_partners(std::size_t atoms, const Distances &distances)
{
  std::vector<std::vector<std::pair<int, double>>> out(atoms);
  for (const auto &d : distances) {
    out[d.a].emplace_back(d.b, d.target);
    out[d.b].emplace_back(d.a, d.target);
  }
  for (auto &list : out) std::sort(list.begin(), list.end());
  return out;
}

// Unit vector along the part of `v` at right angles to the unit vector `axis`; zero where v
// lies (nearly) along it.
Vec3 across(const Vec3 &v, const Vec3 &axis)
{
  const Vec3 p = v - v.dot(axis) * axis;
  return p.norm() > 1e-3 * v.norm() ? Vec3(p.normalized()) : Vec3(Vec3::Zero());
}

}    // namespace

// The network puts the two neighbours of a branch point on one spot where the beads do not say
// which is where (it regresses to their mean). The 1-3 restraint between them then pulls along
// round-off's direction, and a rotated input rounds differently: the refinement would part them
// one way in one orientation and the other way in another. So they are parted here first, to
// their restraint's target, along a direction made of positions and restraints alone:
//  - at a chiral centre (|target| over 3 sigma), along the normal of the plane through the
//    centre, the third neighbour and the pair's midpoint (the mirror plane of a tetrahedral
//    centre), each to the side that gives the volume its target's sign (ILE CB: CG1, CG2);
//  - at a planar centre (target about 0), in the plane through the centre, the third neighbour
//    and the first atom (by index, not by position) restrained to the third neighbour off their
//    axis, the pair's first atom in the cyclic order (a, b, c) on that atom's side. That plane
//    is a torsion the network left open. The pairs it meets are mostly interchangeable (the
//    carboxylate O of ASP and GLU, the C-terminal O/OXT, ARG NH1/NH2), where either side is the
//    same molecule; for an amide (ASN OD1/ND2) it is the flip that X-ray data cannot tell either.
// Returns the number of pairs parted.
int RefinementProblem::separate_coincident(std::vector<Vec3> &x) const
{
  const auto partners = distance_partners(atom_count_, distances_);
  auto target = [&](int i, int j) {
    for (const auto &[k, t] : partners[i])
      if (k == j) return t;
    return 0.0;
  };
  int parted = 0;
  for (const auto &v : volumes_) {
    const std::array<int, 3> n = {v.a, v.b, v.c};
    for (int p = 0; p < 3; ++p) {
      const int i = n[p], j = n[(p + 1) % 3], k = n[(p + 2) % 3];
      const double t = target(i, j);
      if (t <= 0 || (x[i] - x[j]).norm() >= coincident_fraction * t) continue;
      const Vec3 c = x[v.centre], mid = (x[i] + x[j]) / 2, axis = (x[k] - c).normalized();
      const bool chiral = std::fabs(v.target) * v.weight > 3;
      Vec3 side = Vec3::Zero();
      if (chiral) {
        const Vec3 normal = axis.cross(mid - c);
        if (normal.norm() > 1e-3 * (mid - c).norm()) side = normal.normalized();
      } else {
        for (const auto &[r, unused] : partners[k]) {
          if (r == v.centre || r == i || r == j) continue;
          side = across(x[r] - x[k], axis);
          if (side != Vec3::Zero()) break;
        }
      }
      if (side == Vec3::Zero()) continue;    // nothing tells the sides apart: left as it is
      x[i] = mid + 0.5 * t * side;
      x[j] = mid - 0.5 * t * side;
      if (chiral && volume(x[v.centre], x[v.a], x[v.b], x[v.c]) * v.target < 0) std::swap(x[i], x[j]);
      ++parted;
    }
  }
  return parted;
}

namespace {

// One scalar residual over N atoms: the blocks of the normal matrix it adds to. Of the blocks
// (i, j) and (j, i) only the stored one is kept (the matrix is symmetric).
template <std::size_t N> struct ResidualBlocks {
  std::array<BlockLdlt::Block *, N * N> at;
  ResidualBlocks(BlockLdlt &m, const std::array<int, N> &atoms)
  {
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t j = 0; j < N; ++j) {
        const BlockLdlt::Slot s = m.slot(atoms[i], atoms[j]);
        at[i * N + j] = s.stored ? s.block : nullptr;
      }
  }
  // adds w2 (g g^T) to the matrix and w2 r g to b
  void add(Eigen::VectorXd &b, const std::array<int, N> &atoms, const std::array<Vec3, N> &g, double r,
           double w2) const
  {
    for (std::size_t i = 0; i < N; ++i) {
      b.segment<3>(3 * atoms[i]) += w2 * r * g[i];
      for (std::size_t j = 0; j < N; ++j)
        if (BlockLdlt::Block *block = at[i * N + j]) block->noalias() += (w2 * g[i]) * g[j].transpose();
    }
  }
};

}    // namespace

RefinementReport RefinementProblem::solve(std::vector<Vec3> &x, const RefinementOptions &options) const
{
  RefinementReport report;
  report.separated = separate_coincident(x);
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
  BlockLdlt normal;
  normal.analyse(atom_count_, pairs);
  std::vector<ResidualBlocks<2>> distance_blocks;
  distance_blocks.reserve(distances_.size());
  for (const auto &d : distances_) distance_blocks.emplace_back(normal, std::array<int, 2>{d.a, d.b});
  std::vector<ResidualBlocks<4>> volume_blocks;
  volume_blocks.reserve(volumes_.size());
  for (const auto &v : volumes_) volume_blocks.emplace_back(normal, std::array<int, 4>{v.centre, v.a, v.b, v.c});
  std::vector<std::vector<BlockLdlt::Block *>> centre_blocks(centres_.size());
  for (std::size_t k = 0; k < centres_.size(); ++k)
    for (const auto &[i, wi] : centres_[k].atoms)
      for (const auto &[j, wj] : centres_[k].atoms) {
        const BlockLdlt::Slot s = normal.slot(i, j);
        centre_blocks[k].push_back(s.stored ? s.block : nullptr);
      }
  std::vector<BlockLdlt::Block *> diagonal(atom_count_);
  for (std::size_t k = 0; k < atom_count_; ++k) diagonal[k] = normal.slot(static_cast<int>(k), static_cast<int>(k)).block;

  // Levenberg-Marquardt: each atom's three diagonal entries get the same damping, lambda times
  // their mean, which a rotation leaves as it is. (Scaling each Cartesian entry by itself, as
  // Marquardt's diag(J^T J) does, makes the step depend on how the frame is oriented: with
  // restraints some 1e4 times stiffer than the tethers, even 1e-3 of that diagonal outweighed the
  // tethers in the directions no restraint holds, and a rotated input was refined up to 1.2 A
  // differently.) A step that does not lower the cost is retried with ten times the damping (one
  // factorisation per try); one that does lets the next start at a tenth.
  double lambda = 1e-3;
  const int tries = 8;
  std::vector<double> mean_diagonal(atom_count_), shift(atom_count_);
  Eigen::VectorXd step(n);
  report.problems = 1;
  bool settled = false;    // the cost stopped falling (or no step lowers it)
  for (int it = 0; it < options.iterations; ++it) {
    normal.zero();
    Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
    for (std::size_t k = 0; k < distances_.size(); ++k) {
      const Distance &d = distances_[k];
      const Vec3 delta = x[d.a] - x[d.b];
      const double len = std::max(delta.norm(), 1e-9);
      const Vec3 u = delta / len;
      distance_blocks[k].add(b, {d.a, d.b}, {u, -u}, len - d.target, d.weight * d.weight);
    }
    for (std::size_t k = 0; k < volumes_.size(); ++k) {
      const Volume &v = volumes_[k];
      const Vec3 u = x[v.a] - x[v.centre], s = x[v.b] - x[v.centre], w = x[v.c] - x[v.centre];
      const Vec3 ga = s.cross(w), gb = w.cross(u), gc = u.cross(s);
      volume_blocks[k].add(b, {v.centre, v.a, v.b, v.c}, {-(ga + gb + gc), ga, gb, gc},
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
          if (BlockLdlt::Block *block = centre_blocks[k][blk]) block->diagonal().array() += w2 * wi * wj;
          ++blk;
        }
      }
    }
    for (std::size_t k = 0; k < atom_count_; ++k) {
      diagonal[k]->diagonal().array() += tether * tether;
      b.segment<3>(static_cast<Eigen::Index>(3 * k)) += tether * tether * (x[k] - start[k]);
      mean_diagonal[k] = diagonal[k]->trace() / 3;
    }
    const double before = report.final_cost;
    bool improved = false;
    double largest_move = 0;    // of any atom in the step taken
    int attempt = 0;
    for (; attempt < tries && !improved; ++attempt) {
      for (std::size_t k = 0; k < atom_count_; ++k) shift[k] = lambda * mean_diagonal[k];
      if (normal.factorize(shift)) {
        normal.solve(-b, step);
        std::vector<Vec3> trial = x;
        for (std::size_t k = 0; k < atom_count_; ++k) trial[k] += step.segment<3>(static_cast<Eigen::Index>(3 * k));
        const double after = cost(trial, start, tether);
        if (after < before) {
          x.swap(trial);
          report.final_cost = after;
          improved = true;
          for (std::size_t k = 0; k < atom_count_; ++k)
            largest_move = std::max(largest_move, step.segment<3>(static_cast<Eigen::Index>(3 * k)).norm());
        }
      }
      lambda = improved ? std::max(lambda / 10, 1e-7) : std::min(lambda * 10, 1e3);
    }
    ++report.iterations;
    // Settled: no step lowers the cost, or a step at the current damping gained little and moved
    // no atom by more than a thousandth of an Angstrom. A small gain alone is no sign of the
    // minimum (a long step can land at about the height it left, or a heavily damped one be
    // short), and stopping there would let one of two rotated copies stop while the other goes on.
    const bool small_gain = before - report.final_cost < 1e-6 * before;
    if (!improved || (small_gain && attempt == 1 && largest_move < 1e-3)) {
      settled = true;
      break;
    }
  }
  report.unconverged = settled ? 0 : 1;
  return report;
}

}    // namespace BACKMAP
