/* A toy CG/all-atom pair for testing the resolution exchange (test_resolution_exchange_toy.cpp).

   All-atom: 6 atoms, three backbone atoms A0-A1-A2, side atoms B0 on A0 and B2 on A2, and a
   hydrogen H on A1. Every energy term is a function of one internal coordinate of the tree that builds
   the atoms (bond, angle, dihedral), so the Boltzmann distribution factorises: each internal
   coordinate is independent, with density r^2 exp(-u(r)) (bonds), sin(t) exp(-u(t)) (angles)
   or exp(-u(phi)) (dihedrals). That gives exact, independent samples and exact marginal
   distributions, which the statistical tests compare against. The A1-A2 bond is a double
   well, so the distributions are not Gaussian.
   CG: 3 beads with a bond, a double-well bond and an angle; exact in the same way.
   Units: kT = 1, lengths in Angstrom. */
#ifndef BACKMAP_EXCHANGE_TOY_SYSTEM_H
#define BACKMAP_EXCHANGE_TOY_SYSTEM_H

#include "exchange_random.h"
#include "forward_mapping.h"
#include "structure.h"

#include <Eigen/Geometry>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <vector>

namespace BACKMAP::toy {

enum Atom { A0, B0, A1, A2, B2, H, atom_count };
constexpr int bead_count = 3;
constexpr double pi = 3.14159265358979323846;
constexpr double degree = pi / 180.0;

// ---------------------------------------------------------------- geometry

inline double distance(const Vec3 &a, const Vec3 &b) { return (a - b).norm(); }

inline double angle(const Vec3 &a, const Vec3 &b, const Vec3 &c)
{
  const Vec3 u = (a - b).normalized(), v = (c - b).normalized();
  return std::acos(std::clamp(u.dot(v), -1.0, 1.0));
}

inline double dihedral(const Vec3 &a, const Vec3 &b, const Vec3 &c, const Vec3 &d)
{
  const Vec3 b1 = b - a, b2 = c - b, b3 = d - c;
  const Vec3 n1 = b1.cross(b2), n2 = b2.cross(b3);
  return std::atan2(b2.norm() * b1.dot(n2), n1.dot(n2));
}

// The point X with |X - c| = r, angle(X, c, b) = theta, dihedral(X, c, b, a) = phi.
inline Vec3 place(const Vec3 &c, const Vec3 &b, const Vec3 &a, double r, double theta, double phi)
{
  const Vec3 e = (c - b).normalized();
  const Vec3 n = (b - a).cross(e).normalized();
  const Vec3 m = n.cross(e);
  return c + r * (-std::cos(theta) * e + std::sin(theta) * std::cos(phi) * m + std::sin(theta) * std::sin(phi) * n);
}

inline Eigen::Matrix3d random_rotation(ExchangeRandom &random)
{
  Eigen::Quaterniond q(random.normal(), random.normal(), random.normal(), random.normal());
  return q.normalized().toRotationMatrix();
}

// ---------------------------------------------------------------- 1D distributions

// A density on [lo, hi] tabulated finely: exact samples by inverting the piecewise-linear
// cumulative distribution, and that distribution for Kolmogorov-Smirnov tests.
class Tabulated {
 public:
  Tabulated(const std::function<double(double)> &density, double lo, double hi, int cells = 20000)
      : lo_(lo), step_((hi - lo) / cells), cdf_(cells + 1, 0.0)
  {
    double previous = density(lo);
    for (int k = 1; k <= cells; ++k) {
      const double f = density(lo + k * step_);
      cdf_[k] = cdf_[k - 1] + 0.5 * (previous + f) * step_;
      previous = f;
    }
    for (double &c : cdf_) c /= cdf_.back();
  }
  double cdf(double x) const
  {
    const double t = (x - lo_) / step_;
    if (t <= 0) return 0.0;
    if (t >= cdf_.size() - 1) return 1.0;
    const auto k = static_cast<std::size_t>(t);
    return cdf_[k] + (t - k) * (cdf_[k + 1] - cdf_[k]);
  }
  double sample(ExchangeRandom &random) const
  {
    const double u = random.uniform();
    const auto k = static_cast<std::size_t>(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin()) - 1;
    const double width = cdf_[k + 1] - cdf_[k];
    return lo_ + step_ * (k + (width > 0 ? (u - cdf_[k]) / width : 0.5));
  }

 private:
  double lo_, step_;
  std::vector<double> cdf_;
};

// ---------------------------------------------------------------- energy terms

enum class Kind { Bond, Angle, Dihedral };

// One term u(q) of one internal coordinate q; which atoms define q.
struct Term {
  Kind kind;
  std::array<int, 4> atoms;    // bond: 0-1; angle: 0-1-2; dihedral: 0-1-2-3
  std::function<double(double)> u;

  double coordinate(const std::vector<Vec3> &x) const
  {
    const auto &a = atoms;
    if (kind == Kind::Bond) return distance(x[a[0]], x[a[1]]);
    if (kind == Kind::Angle) return angle(x[a[0]], x[a[1]], x[a[2]]);
    return dihedral(x[a[0]], x[a[1]], x[a[2]], x[a[3]]);
  }
  // the exact marginal of q under exp(-u) in Cartesian space
  Tabulated marginal() const
  {
    if (kind == Kind::Bond) return Tabulated([this](double r) { return r * r * std::exp(-u(r)); }, 0.0, 4.0);
    if (kind == Kind::Angle) return Tabulated([this](double t) { return std::sin(t) * std::exp(-u(t)); }, 0.0, pi);
    return Tabulated([this](double p) { return std::exp(-u(p)); }, -pi, pi);
  }
};

inline std::function<double(double)> harmonic(double k, double q0)
{
  return [=](double q) { return 0.5 * k * (q - q0) * (q - q0); };
}
// wells at centre -+ half_gap, barrier `height`; `tilt` lowers the right well by 2 tilt
inline std::function<double(double)> double_well(double height, double centre, double half_gap, double tilt = 0)
{
  return [=](double q) {
    const double z = (q - centre) / half_gap;
    return height * (z * z - 1) * (z * z - 1) - tilt * z;
  };
}
inline std::function<double(double)> torsion(double k, double phi0)
{
  return [=](double p) { return k * (1 - std::cos(p - phi0)); };
}

// A molecule whose terms are exactly the internal coordinates of its build order: term k
// places atom order[k+1] (bonds for the first atom, bond and angle for the second, bond,
// angle and dihedral after that), so the internal coordinates are independent.
struct TreeMolecule {
  int atoms = 0;
  std::vector<std::array<int, 4>> build;    // (atom, parent, reference, dihedral reference); first = root
  std::vector<Term> terms;
  std::vector<Tabulated> marginals;

  void finish()
  {
    marginals.clear();
    for (const Term &t : terms) marginals.push_back(t.marginal());
  }
  double energy(const std::vector<Vec3> &x) const
  {
    double e = 0.0;
    for (const Term &t : terms) e += t.u(t.coordinate(x));
    return e;
  }
  // An exact, independent sample: internal coordinates from their marginals, then a random
  // orientation and position.
  std::vector<Vec3> sample(ExchangeRandom &random) const
  {
    std::vector<Vec3> x(atoms, Vec3::Zero());
    std::vector<double> q(terms.size());
    for (std::size_t k = 0; k < terms.size(); ++k) q[k] = marginals[k].sample(random);
    std::size_t k = 0;
    for (std::size_t j = 1; j < build.size(); ++j) {
      const auto [atom, parent, reference, dihedral_reference] = build[j];
      if (j == 1) {
        x[atom] = x[parent] + Vec3(q[k++], 0, 0);
      } else if (j == 2) {
        const double r = q[k++], theta = q[k++];
        x[atom] = place(x[parent], x[reference], x[reference] + Vec3(0, 0, 1), r, theta, 0.0);
      } else {
        const double r = q[k++], theta = q[k++], phi = q[k++];
        x[atom] = place(x[parent], x[reference], x[dihedral_reference], r, theta, phi);
      }
    }
    const Eigen::Matrix3d rotation = random_rotation(random);
    const Vec3 shift(4 * random.uniform(), 4 * random.uniform(), 4 * random.uniform());
    for (Vec3 &p : x) p = rotation * p + shift;
    return x;
  }
};

// The all-atom molecule. Terms in the order the build consumes them.
inline TreeMolecule all_atom_molecule()
{
  TreeMolecule m;
  m.atoms = atom_count;
  m.build = {{A0, -1, -1, -1}, {A1, A0, -1, -1}, {A2, A1, A0, -1},
             {B0, A0, A1, A2}, {B2, A2, A1, A0}, {H, A1, A2, A0}};
  const double k_bond = 100, k_angle = 100, k_torsion = 100;
  m.terms = {
      {Kind::Bond, {A0, A1}, harmonic(k_bond, 1.0)},
      {Kind::Bond, {A1, A2}, double_well(2.0, 1.3, 0.3)},    // wells at 1.0 and 1.6
      {Kind::Angle, {A2, A1, A0}, harmonic(k_angle, 110 * degree)},
      {Kind::Bond, {B0, A0}, harmonic(k_bond, 1.0)},
      {Kind::Angle, {B0, A0, A1}, harmonic(k_angle, 110 * degree)},
      {Kind::Dihedral, {B0, A0, A1, A2}, torsion(k_torsion, 180 * degree)},
      {Kind::Bond, {B2, A2}, harmonic(k_bond, 1.0)},
      {Kind::Angle, {B2, A2, A1}, harmonic(k_angle, 110 * degree)},
      {Kind::Dihedral, {B2, A2, A1, A0}, torsion(k_torsion, 180 * degree)},
      {Kind::Bond, {H, A1}, harmonic(400, 0.7)},
      {Kind::Angle, {H, A1, A2}, harmonic(k_angle, 100 * degree)},
      {Kind::Dihedral, {H, A1, A2, A0}, torsion(k_torsion, -120 * degree)},
  };
  m.finish();
  return m;
}

// The CG molecule: beads 0-1-2, a bond, a double-well bond and an angle, with parameters
// fitted by hand to the distribution of M x under the all-atom molecule for one map (the
// exchange is exact for any U_CG; a U_CG near the mapped distribution is what makes it
// accept often, as a CG force field fitted to the atoms would).
struct CgParameters {
  double k01, r01;                              // bond 0-1
  double height, centre, half_gap, tilt;        // double-well bond 1-2
  double k_angle, angle;                        // angle 0-1-2 (radians)
};

inline TreeMolecule cg_molecule(const CgParameters &p)
{
  TreeMolecule m;
  m.atoms = bead_count;
  m.build = {{0, -1, -1, -1}, {1, 0, -1, -1}, {2, 1, 0, -1}};
  m.terms = {
      {Kind::Bond, {0, 1}, harmonic(p.k01, p.r01)},
      {Kind::Bond, {1, 2}, double_well(p.height, p.centre, p.half_gap, p.tilt)},
      {Kind::Angle, {2, 1, 0}, harmonic(p.k_angle, p.angle)},
  };
  m.finish();
  return m;
}

// ---------------------------------------------------------------- forward maps

struct MapCase {
  const char *name;
  std::vector<std::vector<BeadAtomWeight>> beads;
  CgParameters cg;
};

// No atom shared; bead 1 is atom A1 alone; H in no bead.
inline MapCase separate_beads()
{
  return {"separate beads, H in none",
          {{{A0, 0.6}, {B0, 0.4}}, {{A1, 1.0}}, {{A2, 0.6}, {B2, 0.4}}},
          {100, 1.21, 1.7, 1.50, 0.28, 0.025, 70, 143.3 * degree}};
}
// A1 and A2 shared between neighbouring beads; H weighted in bead 1.
inline MapCase shared_beads()
{
  return {"shared atoms, H weighted",
          {{{A0, 0.5}, {B0, 0.3}, {A1, 0.2}}, {{A1, 0.7}, {H, 0.1}, {A2, 0.2}}, {{A2, 0.6}, {B2, 0.4}}},
          {135, 1.165, 1.6, 1.25, 0.22, 0.115, 110, 152.5 * degree}};
}

// ---------------------------------------------------------------- the deterministic backmap

// mu(R): a template built from fixed internal coordinates (deliberately not the energy
// minima), whose A1-A2 bond follows the CG 1-2 distance through a tanh, placed on the beads
// in the frame they define, plus a distortion that depends nonlinearly on the 0-1 distance.
// Deterministic in R and nothing else, and imperfect on purpose.
struct TemplateBackmap {
  std::vector<std::vector<BeadAtomWeight>> beads;
  double switch_d12;    // CG 1-2 distance where the template's A1-A2 bond changes well
  double error = 1.0;   // scales the template's departures from the energy minima

  std::vector<Vec3> operator()(const std::vector<Vec3> &r) const
  {
    const double d12 = distance(r[1], r[2]);
    const double a12 = 1.3 + 0.25 * std::tanh((d12 - switch_d12) / 0.05);
    std::vector<Vec3> t(atom_count, Vec3::Zero());
    t[A1] = Vec3(1.0, 0, 0);
    const double e = error;
    t[A2] = place(t[A1], t[A0], t[A0] + Vec3(0, 0, 1), a12, (110 + 2 * e) * degree, 0.0);
    t[B0] = place(t[A0], t[A1], t[A2], 1.0, (110 - 2 * e) * degree, (180 - 10 * e) * degree);
    t[B2] = place(t[A2], t[A1], t[A0], 1.0, (110 - 2 * e) * degree, (180 + 5 * e) * degree);
    t[H] = place(t[A1], t[A2], t[A0], 0.7 + 0.02 * e, 100 * degree, (-120 + 5 * e) * degree);
    // each atom follows the bead it gives most weight to (H: bead 1)
    std::vector<int> home(atom_count, 1);
    std::vector<double> best(atom_count, 0.0);
    for (int b = 0; b < bead_count; ++b)
      for (const BeadAtomWeight &a : beads[b])
        if (a.weight > best[a.atom]) best[a.atom] = a.weight, home[a.atom] = b;
    std::vector<Vec3> tb(bead_count, Vec3::Zero());
    for (int b = 0; b < bead_count; ++b)
      for (const BeadAtomWeight &a : beads[b]) tb[b] += a.weight * t[a.atom];
    const Eigen::Matrix3d ft = frame(tb), fr = frame(r);
    const Vec3 bend = 0.08 * e * std::sin(4.0 * distance(r[0], r[1])) * fr.col(2);
    std::vector<Vec3> mu(atom_count);
    for (int i = 0; i < atom_count; ++i) {
      mu[i] = r[home[i]] + fr * ft.transpose() * (t[i] - tb[home[i]]);
      if (i == B0 || i == B2) mu[i] += bend;
    }
    return mu;
  }

  // columns: along 1->0, in the plane towards 2, and the normal
  static Eigen::Matrix3d frame(const std::vector<Vec3> &r)
  {
    const Vec3 e1 = (r[0] - r[1]).normalized();
    const Vec3 e2 = ((r[2] - r[1]) - (r[2] - r[1]).dot(e1) * e1).normalized();
    Eigen::Matrix3d f;
    f << e1, e2, e1.cross(e2);
    return f;
  }
};

}    // namespace BACKMAP::toy

#endif
