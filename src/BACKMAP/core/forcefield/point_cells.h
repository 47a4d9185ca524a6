/* BACKMAP core, forcefield layer: points sorted into cubic cells, so that the points within a
   distance of one can be found without looking at all of them (non-periodic: the contact map of
   one structure as it lies). */
#ifndef BACKMAP_POINT_CELLS_H
#define BACKMAP_POINT_CELLS_H

#include "structure.h"

#include <map>
#include <tuple>
#include <vector>

namespace BACKMAP {

class PointCells {
 public:
  // `points` are kept by reference; `reach` (> 0) is the largest distance neighbours() will be asked for.
  PointCells(const std::vector<Vec3> &points, double reach);

  // Indices of the points (other than `i` itself) closer to point i than `distance` (<= reach), in
  // increasing order.
  std::vector<int> neighbours(int i, double distance) const;

 private:
  using Cell = std::tuple<long, long, long>;
  Cell cell_of(const Vec3 &p) const;
  const std::vector<Vec3> &points_;
  double size_;
  std::map<Cell, std::vector<int>> cells_;
};

}    // namespace BACKMAP

#endif
