/* BACKMAP core, forcefield layer: points in cubic cells (see point_cells.h). */
#include "point_cells.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace BACKMAP {

PointCells::PointCells(const std::vector<Vec3> &points, double reach) : points_(points), size_(reach)
{
  if (!(reach > 0)) throw std::invalid_argument("PointCells: the reach must be positive");
  for (std::size_t i = 0; i < points.size(); ++i) cells_[cell_of(points[i])].push_back(static_cast<int>(i));
}

PointCells::Cell PointCells::cell_of(const Vec3 &p) const
{
  return {static_cast<long>(std::floor(p.x() / size_)), static_cast<long>(std::floor(p.y() / size_)),
          static_cast<long>(std::floor(p.z() / size_))};
}

std::vector<int> PointCells::neighbours(int i, double distance) const
{
  if (distance > size_) throw std::invalid_argument("PointCells: asked beyond the reach the cells were made for");
  const Vec3 &p = points_[static_cast<std::size_t>(i)];
  const auto [cx, cy, cz] = cell_of(p);
  std::vector<int> found;
  for (long dx = -1; dx <= 1; ++dx)
    for (long dy = -1; dy <= 1; ++dy)
      for (long dz = -1; dz <= 1; ++dz) {
        const auto cell = cells_.find({cx + dx, cy + dy, cz + dz});
        if (cell == cells_.end()) continue;
        for (int j : cell->second)
          if (j != i && (points_[static_cast<std::size_t>(j)] - p).norm() < distance) found.push_back(j);
      }
  std::sort(found.begin(), found.end());
  return found;
}

}    // namespace BACKMAP
