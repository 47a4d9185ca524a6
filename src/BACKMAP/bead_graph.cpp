#include "bead_graph.h"

#include <algorithm>
#include <numeric>

#include <Eigen/Dense>

#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace BACKMAP {

int sequence_relation(const BeadFrame &f, int i, int j)
{
  if (f.residue[i] == f.residue[j]) return SameResidue;
  if (f.chain[i] != f.chain[j] || f.sequence[i] < 0 || f.sequence[j] < 0) return Unrelated;
  switch (f.sequence[j] - f.sequence[i]) {
    case -1: return Previous;
    case 1: return Next;
    case -2: return Previous2;
    case 2: return Next2;
    default: return Unrelated;
  }
}

namespace {

// Cells of side >= cutoff in fractional coordinates of the box (or of the bounding box when
// not periodic); each bead looks at its own and the 26 surrounding cells.
struct CellGrid {
  Eigen::Matrix3d h, h_inv;    // columns: cell vectors of the grid's box
  Vec3 origin;
  int n[3];
  bool periodic;
};

CellGrid make_grid(const BeadFrame &f, double cutoff)
{
  CellGrid g;
  g.periodic = f.box.periodic;
  if (g.periodic) {
    g.h = f.box.vectors.transpose();
    g.origin = Vec3::Zero();
  } else {
    Vec3 lo = Vec3::Constant(1e300), hi = Vec3::Constant(-1e300);
    for (const Vec3 &x : f.positions) {
      lo = lo.cwiseMin(x);
      hi = hi.cwiseMax(x);
    }
    g.origin = lo - Vec3::Constant(1e-6);
    g.h = (hi - lo + Vec3::Constant(2e-6)).cwiseMax(Vec3::Constant(cutoff)).asDiagonal();
  }
  g.h_inv = g.h.inverse();
  for (int k = 0; k < 3; ++k) {
    // distance between opposite faces of the cell along k
    const double height = 1.0 / g.h_inv.row(k).norm();
    g.n[k] = std::max(1, static_cast<int>(std::floor(height / cutoff)));
  }
  return g;
}

}    // namespace

namespace {

// Edges of centre i to its candidates, in ascending bead index: the network sums over edges
// in this order, so every way of finding the neighbours gives bit-identical sums.
void add_centre_edges(const BeadFrame &f, int i, std::vector<int> &candidates, double cutoff, bool periodic,
                      EdgeList &out)
{
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  const double rc2 = cutoff * cutoff;
  for (int j : candidates) {
    if (i == j) continue;
    Vec3 d = f.positions[j] - f.positions[i];
    if (periodic) d = f.box.minimum_image(d);
    if (d.squaredNorm() >= rc2) continue;
    out.centre.push_back(i);
    out.neighbour.push_back(j);
    out.vector.push_back(d);
    out.relation.push_back(sequence_relation(f, i, j));
  }
}

}    // namespace

EdgeList build_edges(const BeadFrame &f, double cutoff)
{
  EdgeList out;
  const int n = static_cast<int>(f.size());
  if (n == 0) return out;
  const CellGrid g = make_grid(f, cutoff);
  const bool small_periodic = g.periodic && (g.n[0] < 3 || g.n[1] < 3 || g.n[2] < 3);
  std::vector<Eigen::Vector3i> cell_of(n);
  std::unordered_map<long, std::vector<int>> cells;
  auto key = [&](int a, int b, int c) { return (static_cast<long>(a) * g.n[1] + b) * g.n[2] + c; };
  for (int i = 0; i < n; ++i) {
    Vec3 s = g.h_inv * (f.positions[i] - g.origin);
    Eigen::Vector3i c;
    for (int k = 0; k < 3; ++k) {
      if (g.periodic) s[k] -= std::floor(s[k]);
      c[k] = std::min(g.n[k] - 1, std::max(0, static_cast<int>(std::floor(s[k] * g.n[k]))));
    }
    cell_of[i] = c;
    cells[key(c[0], c[1], c[2])].push_back(i);
  }
  std::vector<int> candidates;
  if (small_periodic) {
    // a box under three cutoffs wide: every pair, by minimum image
    if (f.box.lengths().minCoeff() < 2 * cutoff)
      throw std::runtime_error("the periodic box is narrower than twice the model cutoff");
    for (int i = 0; i < n; ++i) {
      candidates.resize(n);
      std::iota(candidates.begin(), candidates.end(), 0);
      add_centre_edges(f, i, candidates, cutoff, true, out);
    }
    return out;
  }
  for (int i = 0; i < n; ++i) {
    const Eigen::Vector3i &c = cell_of[i];
    candidates.clear();
    for (int a = -1; a <= 1; ++a)
      for (int b = -1; b <= 1; ++b)
        for (int d = -1; d <= 1; ++d) {
          int cc[3] = {c[0] + a, c[1] + b, c[2] + d};
          bool outside = false;
          for (int k = 0; k < 3; ++k) {
            if (g.periodic) cc[k] = (cc[k] + g.n[k]) % g.n[k];
            else if (cc[k] < 0 || cc[k] >= g.n[k]) outside = true;
          }
          if (outside) continue;
          auto it = cells.find(key(cc[0], cc[1], cc[2]));
          if (it != cells.end()) candidates.insert(candidates.end(), it->second.begin(), it->second.end());
        }
    add_centre_edges(f, i, candidates, cutoff, g.periodic, out);
  }
  return out;
}

EdgeList edges_from_neighbours(const BeadFrame &f, double cutoff, const std::vector<int> &centres,
                               std::vector<std::vector<int>> neighbours)
{
  EdgeList out;
  for (std::size_t k = 0; k < centres.size(); ++k) add_centre_edges(f, centres[k], neighbours[k], cutoff, false, out);
  return out;
}

}    // namespace BACKMAP
