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

NeighbourList neighbours_within(const std::vector<Vec3> &positions, std::size_t centres, double cutoff)
{
  NeighbourList out;
  neighbours_within(positions, centres, cutoff, out);
  return out;
}

void neighbours_within(const std::vector<Vec3> &positions, std::size_t centres, double cutoff, NeighbourList &out)
{
  if (!(cutoff > 0.0)) throw std::invalid_argument("neighbour search: the cutoff must be positive");
  out.clear();
  if (positions.empty()) {
    out.offsets.assign(centres + 1, 0);
    return;
  }
  BeadFrame f;    // the grid needs positions only; no box
  f.positions = positions;
  CellGrid g = make_grid(f, cutoff);
  const int n = static_cast<int>(positions.size());
  // a few far-flung points must not make the grid huge: coarser cells are still correct
  auto cell_count = [&] { return static_cast<long>(g.n[0]) * g.n[1] * g.n[2]; };
  while (cell_count() > std::max<long>(4096, 4L * n))
    for (int k = 0; k < 3; ++k) g.n[k] = std::max(1, g.n[k] / 2);
  auto cell_of = [&](const Vec3 &x) {
    const Vec3 s = g.h_inv * (x - g.origin);
    Eigen::Vector3i c;
    for (int k = 0; k < 3; ++k) c[k] = std::min(g.n[k] - 1, std::max(0, static_cast<int>(std::floor(s[k] * g.n[k]))));
    return c;
  };
  // cells in CSR form: a counting sort of the points by cell keeps each cell's points in
  // ascending index without a hash map
  const long ncells = cell_count();
  auto key = [&](const Eigen::Vector3i &c) { return (static_cast<long>(c[0]) * g.n[1] + c[1]) * g.n[2] + c[2]; };
  std::vector<long> key_of(n);
  std::vector<int> start(ncells + 1, 0);
  for (int i = 0; i < n; ++i) {
    key_of[i] = key(cell_of(positions[i]));
    ++start[key_of[i] + 1];
  }
  for (long c = 0; c < ncells; ++c) start[c + 1] += start[c];
  std::vector<int> members(n), fill(start.begin(), start.end() - 1);
  for (int i = 0; i < n; ++i) members[fill[key_of[i]]++] = i;

  const double rc2 = cutoff * cutoff;
  for (std::size_t i = 0; i < centres; ++i) {
    const Eigen::Vector3i c = cell_of(positions[i]);
    const std::size_t row_start = out.indices.size();
    for (int a = std::max(0, c[0] - 1); a <= std::min(g.n[0] - 1, c[0] + 1); ++a)
      for (int b = std::max(0, c[1] - 1); b <= std::min(g.n[1] - 1, c[1] + 1); ++b)
        for (int d = std::max(0, c[2] - 1); d <= std::min(g.n[2] - 1, c[2] + 1); ++d) {
          const long k = key(Eigen::Vector3i(a, b, d));
          for (int m = start[k]; m < start[k + 1]; ++m) {
            const int j = members[m];
            if (static_cast<std::size_t>(j) != i && (positions[j] - positions[i]).squaredNorm() < rc2)
              out.indices.push_back(j);
          }
        }
    std::sort(out.indices.begin() + static_cast<std::ptrdiff_t>(row_start), out.indices.end());
    out.close_row();
  }
}

EdgeList edges_from_neighbours(const BeadFrame &f, double cutoff, const std::vector<int> &centres,
                               const NeighbourList &neighbours)
{
  EdgeList out;
  std::vector<int> candidates;
  for (std::size_t k = 0; k < centres.size(); ++k) {
    candidates.assign(neighbours[k].begin(), neighbours[k].end());
    add_centre_edges(f, centres[k], candidates, cutoff, false, out);
  }
  return out;
}

GeometryProblem find_degenerate_geometry(const BeadFrame &f, const EdgeList &edges, const std::vector<int> &centres)
{
  GeometryProblem p;
  std::vector<int> degree(f.size(), 0);
  for (std::size_t e = 0; e < edges.size(); ++e) {
    ++degree[edges.centre[e]];
    const double d = edges.vector[e].norm();
    if (d < min_bead_distance) {
      p.bead = edges.centre[e];
      p.other = edges.neighbour[e];
      p.distance = d;
      return p;
    }
  }
  std::vector<int> beads_of_residue;    // how many beads each residue index has here
  for (int r : f.residue) {
    if (r >= static_cast<int>(beads_of_residue.size())) beads_of_residue.resize(r + 1, 0);
    ++beads_of_residue[r];
  }
  auto check = [&](int i) {
    if (degree[i] == 0 && beads_of_residue[f.residue[i]] == 1) p.bead = i;
    return p.bead >= 0;
  };
  if (centres.empty()) {
    for (int i = 0; i < static_cast<int>(f.size()); ++i)
      if (check(i)) break;
  } else {
    for (int i : centres)
      if (check(i)) break;
  }
  return p;
}

}    // namespace BACKMAP
