#include "added_atom_geometry.h"

#include <Eigen/Geometry>

#include <cmath>
#include <stdexcept>
#include <string>

namespace BACKMAP {

namespace {

const double tetrahedral = std::acos(-1.0 / 3.0);    // 109.47 degrees
const double degree = M_PI / 180.0;

Vec3 unit(const Vec3 &v, int type)
{
  const double n = v.norm();
  if (!(n > 1e-8)) throw std::invalid_argument("add type " + std::to_string(type) + ": control atoms coincide or are collinear");
  return v / n;
}

// The frame of types 2, 3, 4, 8 and 9: u along j->i, b in the i-j-k plane pointing away
// from k's side of the i-j bond, a normal to that plane. An atom at distance d from i, at
// angle theta to j, is trans to k (dihedral 180) with side = +1 and cis (0) with side = -1.
struct BondFrame {
  Vec3 i, u, a, b;
  BondFrame(const Vec3 &xi, const Vec3 &xj, const Vec3 &xk, int type) : i(xi)
  {
    u = unit(xi - xj, type);
    a = unit((xi - xj).cross(xj - xk), type);
    b = a.cross(u);
  }
  Vec3 at(double d, double theta, double side) const { return i - d * std::cos(theta) * u + side * d * std::sin(theta) * b; }
};

void need(int type, std::size_t given, std::size_t wanted)
{
  if (given < wanted)
    throw std::invalid_argument("add type " + std::to_string(type) + " needs " + std::to_string(wanted) +
                                " control atoms, got " + std::to_string(given));
}

}    // namespace

std::vector<Vec3> added_atom_positions(int type, int count, const std::vector<Vec3> &control, int water_turn)
{
  const double d = added_hydrogen_bond;
  std::vector<Vec3> out;
  auto check_count = [&](int lo, int hi) {
    if (count < lo || count > hi)
      throw std::invalid_argument("add type " + std::to_string(type) + " builds " + std::to_string(lo) +
                                  (hi > lo ? "-" + std::to_string(hi) : std::string()) + " atoms, not " +
                                  std::to_string(count));
  };
  switch (type) {
    case 1: {    // one planar H on the bisector of the i-j and i-k bonds, outwards
      check_count(1, 1);
      need(type, control.size(), 3);
      const Vec3 &i = control[0];
      out.push_back(i + d * unit(unit(i - control[1], type) + unit(i - control[2], type), type));
      break;
    }
    case 2: {    // one H at the tetrahedral angle to j, trans to k (hydroxyl, thiol)
      check_count(1, 1);
      need(type, control.size(), 3);
      out.push_back(BondFrame(control[0], control[1], control[2], type).at(d, tetrahedral, +1));
      break;
    }
    case 3: {    // two planar H at 120 degrees to j: cis, then trans to k (amide NH2)
      check_count(1, 2);
      need(type, control.size(), 3);
      const BondFrame f(control[0], control[1], control[2], type);
      out.push_back(f.at(d, 120 * degree, -1));
      if (count == 2) out.push_back(f.at(d, 120 * degree, +1));
      break;
    }
    case 4: {    // two or three tetrahedral H: trans to k, then turned by 120 and 240 degrees
      check_count(1, 3);
      need(type, control.size(), 3);
      const BondFrame f(control[0], control[1], control[2], type);
      const Vec3 along = -d * std::cos(tetrahedral) * f.u;
      const double across = d * std::sin(tetrahedral);
      const double c = -0.5, s = std::sqrt(3.0) / 2;
      out.push_back(f.i + along + across * f.b);
      if (count >= 2) out.push_back(f.i + along + across * (c * f.b + s * f.a));
      if (count >= 3) out.push_back(f.i + along + across * (c * f.b - s * f.a));
      break;
    }
    case 5: {    // one H opposite the centre of three neighbours (a C-H of a chiral carbon)
      check_count(1, 1);
      need(type, control.size(), 4);
      const Vec3 &i = control[0];
      out.push_back(i + d * unit(i - (control[1] + control[2] + control[3]) / 3.0, type));
      break;
    }
    case 6: {    // two H of a CH2 between j and k, in the plane that bisects j-i-k
      check_count(1, 2);
      need(type, control.size(), 3);
      const Vec3 &i = control[0];
      const Vec3 m = unit(i - 0.5 * (control[1] + control[2]), type);
      const Vec3 n = unit((i - control[1]).cross(i - control[2]), type);
      const double half = tetrahedral / 2;
      out.push_back(i + d * (std::cos(half) * m + std::sin(half) * n));
      if (count == 2) out.push_back(i + d * (std::cos(half) * m - std::sin(half) * n));
      break;
    }
    case 7: case 10: case 11: {    // water: fixed orientations, cycled from one water to the next
      check_count(2, type == 7 ? 2 : type == 10 ? 3 : 4);
      need(type, control.size(), 1);
      const double A = 0.81649658, C = 0.57735027;    // a tetrahedral pair of unit vectors
      static const Vec3 first[6] = {Vec3(A, 0, C), Vec3(A, 0, C), Vec3(A, 0, C), Vec3(-A, 0, C), Vec3(-A, 0, C), Vec3(0, A, -C)};
      static const Vec3 second[6] = {Vec3(-A, 0, C), Vec3(0, A, -C), Vec3(0, -A, -C), Vec3(0, A, -C), Vec3(0, -A, -C), Vec3(0, -A, -C)};
      const int t = ((water_turn % 6) + 6) % 6;
      const Vec3 &o = control[0];
      out.push_back(o + d * first[t]);
      out.push_back(o + d * second[t]);
      for (int extra = 2; extra < count; ++extra) out.push_back(o);    // virtual sites on O
      break;
    }
    case 8: {    // carboxylate oxygens: cis, then trans to k, 1.36 A and 117 degrees from j
      check_count(1, 2);
      need(type, control.size(), 3);
      const BondFrame f(control[0], control[1], control[2], type);
      out.push_back(f.at(carboxylate_oxygen_bond, 117 * degree, -1));
      if (count == 2) out.push_back(f.at(carboxylate_oxygen_bond, 117 * degree, +1));
      break;
    }
    case 9: {    // carboxylic acid: C=O cis, C-O trans to k, then its H trans to j
      check_count(1, 3);
      need(type, control.size(), 3);
      const BondFrame f(control[0], control[1], control[2], type);
      out.push_back(f.at(1.23, 121 * degree, -1));
      if (count >= 2) out.push_back(f.at(1.25, 115 * degree, +1));
      if (count >= 3) out.push_back(BondFrame(out[1], control[0], control[1], type).at(d, tetrahedral, +1));
      break;
    }
    default:
      throw std::invalid_argument("add type " + std::to_string(type) + " is not one of pdb2gmx's types 1-11");
  }
  return out;
}

}    // namespace BACKMAP
