/* BACKMAP core, forcefield layer: the CSU part of GoMartini's contact map: which neighbour takes
   each point of an atom's enlarged sphere (see go_contact_map.h). */
#include "go_atom_classes.h"
#include "go_contact_map.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace BACKMAP {

std::vector<Vec3> go_sphere(const Vec3 &centre, double radius)
{
  // points k = 0..N-1 evenly spaced in z (z = 1 - 2k/N) and turned by the golden angle in the
  // form N and the Fibonacci number before it give: phi = 2 pi ((k + 1) F mod N) / N, N for 0
  constexpr int previous = 377;
  std::vector<Vec3> points;
  points.reserve(go_sphere_points);
  const double pi = std::acos(-1.0);
  for (int k = 0; k < go_sphere_points; ++k) {
    int turn = static_cast<int>((static_cast<long>(k + 1) * previous) % go_sphere_points);
    if (turn == 0) turn = go_sphere_points;
    const double theta = std::acos(1.0 - 2.0 * k / go_sphere_points), phi = 2.0 * pi * turn / go_sphere_points;
    points.push_back(centre + radius * Vec3(std::sin(theta) * std::cos(phi), std::sin(theta) * std::sin(phi), std::cos(theta)));
  }
  return points;
}

std::vector<std::vector<std::pair<int, int>>> go_surface_hits(const std::vector<GoContactAtom> &atoms, const PointCells &cells)
{
  std::vector<std::vector<std::pair<int, int>>> hits(atoms.size());
  const double reach = 2 * go_largest_radius + go_water_radius;
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    const GoContactAtom &a = atoms[i];
    if (a.atom_class == go_no_class) continue;    // its points would count for nothing
    // the neighbours nearest first (the lower index first on a tie): the first that holds a point takes it
    std::vector<std::pair<double, int>> near;
    for (int j : cells.neighbours(static_cast<int>(i), reach)) {
      const double d = (atoms[static_cast<std::size_t>(j)].position - a.position).norm();
      if (d > 0 && d < a.radius + atoms[static_cast<std::size_t>(j)].radius + go_water_radius) near.emplace_back(d, j);
    }
    if (near.empty()) continue;
    std::sort(near.begin(), near.end());
    std::map<int, int> taken;
    for (const Vec3 &point : go_sphere(a.position, a.radius + go_water_radius))
      for (const auto &[d, j] : near) {
        const GoContactAtom &b = atoms[static_cast<std::size_t>(j)];
        if ((point - b.position).norm() <= b.radius + go_water_radius) {
          ++taken[j];
          break;
        }
      }
    hits[i].assign(taken.begin(), taken.end());
  }
  return hits;
}

}    // namespace BACKMAP
