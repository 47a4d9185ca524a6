/* BACKMAP core, forcefield layer: GROMACS's virtual_sites3 constructions (see virtual_site_frames.h). */
#include "virtual_site_frames.h"

#include <Eigen/Geometry>

#include <cmath>
#include <stdexcept>

namespace BACKMAP {

namespace {

constexpr double degree = 3.14159265358979323846 / 180.0;

Vec3 unit(const Vec3 &v, const char *what)
{
  const double n = v.norm();
  if (!(n > 1e-12)) throw std::invalid_argument(std::string("virtual site: ") + what + " has no length");
  return v / n;
}

}    // namespace

int virtual_site3_parameter_count(int function)
{
  switch (function) {
    case 1: case 2: case 3: return 2;
    case 4: return 3;
    default: return 0;
  }
}

std::string virtual_site3_name(int function)
{
  switch (function) {
    case 1: return "3";
    case 2: return "3fd";
    case 3: return "3fad";
    case 4: return "3out";
    default: return "function " + std::to_string(function);
  }
}

Vec3 construct_virtual_site3(int function, const std::vector<double> &p, const Vec3 &xi, const Vec3 &xj, const Vec3 &xk)
{
  const int count = virtual_site3_parameter_count(function);
  if (count == 0) throw std::invalid_argument("virtual_sites3 function " + std::to_string(function) + " is not 1, 2, 3 or 4");
  if (static_cast<int>(p.size()) != count)
    throw std::invalid_argument("virtual_sites3 " + virtual_site3_name(function) + " takes " + std::to_string(count) +
                                " parameters, not " + std::to_string(p.size()));
  const Vec3 rij = xj - xi, rik = xk - xi, rjk = xk - xj;
  switch (function) {
    case 1: return xi + p[0] * rij + p[1] * rik;
    case 2: return xi + p[1] * unit(rij + p[0] * rjk, "r_ij + a r_jk");
    case 3: {
      const Vec3 along = unit(rij, "r_ij");
      const Vec3 across = unit(rjk - (rij.dot(rjk) / rij.squaredNorm()) * rij, "r_jk across r_ij");
      const double theta = p[0] * degree, d = p[1];
      return xi + d * std::cos(theta) * along + d * std::sin(theta) * across;
    }
    default: return xi + p[0] * rij + p[1] * rik + p[2] * rij.cross(rik);
  }
}

Vec3 AtomFrame::local(const Vec3 &x) const
{
  const Vec3 d = x - origin;
  return {d.dot(e1), d.dot(e2), d.dot(e3)};
}

Vec3 AtomFrame::global(const Vec3 &l) const { return origin + l[0] * e1 + l[1] * e2 + l[2] * e3; }

AtomFrame frame_of(const Vec3 &xi, const Vec3 &xj, const Vec3 &xk)
{
  AtomFrame f;
  f.origin = xi;
  f.e1 = unit(xj - xi, "r_ij");
  const Vec3 rik = xk - xi;
  f.e2 = unit(rik - rik.dot(f.e1) * f.e1, "r_ik across r_ij");
  f.e3 = f.e1.cross(f.e2);
  return f;
}

}    // namespace BACKMAP
