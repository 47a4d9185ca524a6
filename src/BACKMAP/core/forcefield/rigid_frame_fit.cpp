/* BACKMAP core, forcefield layer: rigid frames of constrained atoms (see rigid_frame_fit.h). */
#include "rigid_frame_fit.h"

#include <Eigen/Geometry>
#include <Eigen/LU>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <stdexcept>

namespace BACKMAP {

std::vector<ConstrainedGroup> constrained_groups(int atoms, const std::vector<DistanceConstraint> &constraints)
{
  std::vector<int> parent(static_cast<std::size_t>(atoms));
  for (int a = 0; a < atoms; ++a) parent[static_cast<std::size_t>(a)] = a;
  std::function<int(int)> root = [&](int a) {
    while (parent[static_cast<std::size_t>(a)] != a) a = parent[static_cast<std::size_t>(a)];
    return a;
  };
  std::set<std::pair<int, int>> joined;
  for (const DistanceConstraint &c : constraints) {
    parent[static_cast<std::size_t>(root(c.a))] = root(c.b);
    joined.insert(std::minmax(c.a, c.b));
  }
  std::vector<ConstrainedGroup> groups;
  std::vector<int> group_of_root(static_cast<std::size_t>(atoms), -1);
  std::set<int> constrained;
  for (const DistanceConstraint &c : constraints) constrained.insert(c.a), constrained.insert(c.b);
  for (int a : constrained) {
    int &g = group_of_root[static_cast<std::size_t>(root(a))];
    if (g < 0) g = static_cast<int>(groups.size()), groups.emplace_back();
    groups[static_cast<std::size_t>(g)].atoms.push_back(a);
  }
  for (ConstrainedGroup &g : groups) {
    g.rigid = true;
    for (std::size_t i = 0; i < g.atoms.size() && g.rigid; ++i)
      for (std::size_t j = i + 1; j < g.atoms.size() && g.rigid; ++j)
        if (!joined.count({g.atoms[i], g.atoms[j]})) g.rigid = false, g.free_pair = {g.atoms[i], g.atoms[j]};
  }
  return groups;
}

void fit_to_constraints(std::vector<Vec3> &positions, const std::vector<double> &masses,
                        const std::vector<DistanceConstraint> &constraints, double tolerance)
{
  const auto inverse_mass = [&](int a) {
    const double m = masses[static_cast<std::size_t>(a)];
    return m > 0 ? 1.0 / m : 1.0;
  };
  for (int sweep = 0; sweep < 10000; ++sweep) {
    double worst = 0.0;
    for (const DistanceConstraint &c : constraints) {
      Vec3 &xa = positions[static_cast<std::size_t>(c.a)], &xb = positions[static_cast<std::size_t>(c.b)];
      const Vec3 d = xb - xa;
      const double r = d.norm();
      if (!(r > 0)) throw std::runtime_error("constrained atoms " + std::to_string(c.a + 1) + " and " + std::to_string(c.b + 1) +
                                             " coincide: no direction to fit along");
      worst = std::max(worst, std::abs(r - c.length) / c.length);
      // move both along d so that the distance becomes the length; the centre of mass stays
      const double wa = inverse_mass(c.a), wb = inverse_mass(c.b);
      const Vec3 shift = (r - c.length) / r * d / (wa + wb);
      xa += wa * shift;
      xb -= wb * shift;
    }
    if (worst <= tolerance) return;
  }
  throw std::runtime_error("the constraints could not be met (no rigid frame has these lengths)");
}

std::vector<Vec3> superpose(const std::vector<Vec3> &body, const std::vector<Vec3> &target)
{
  if (body.size() != target.size() || body.empty()) throw std::invalid_argument("superpose: point counts differ or are 0");
  Eigen::Matrix3Xd from(3, static_cast<Eigen::Index>(body.size())), to(3, static_cast<Eigen::Index>(body.size()));
  for (std::size_t i = 0; i < body.size(); ++i) {
    from.col(static_cast<Eigen::Index>(i)) = body[i];
    to.col(static_cast<Eigen::Index>(i)) = target[i];
  }
  // Eigen's least-squares rotation and shift (Umeyama; no scaling): a proper rotation, never a
  // mirror image, which would turn a 3out site to the other face of its frame
  const Eigen::Matrix4d transform = Eigen::umeyama(from, to, false);
  std::vector<Vec3> moved;
  for (const Vec3 &x : body) moved.push_back(transform.topLeftCorner<3, 3>() * x + transform.topRightCorner<3, 1>());
  return moved;
}

}    // namespace BACKMAP
