/* BACKMAP core: a backmap density q(x | R) that knows the all-atom force field.

   The isotropic density (backmap_density.h) puts the same width on every atom; its proposals
   strain the stiff bonds and its density misses how the atoms really spread, so a swap of a
   molecule of 50 atoms is accepted about e^-2000 of the time (doc/resolution_exchange.md,
   section 7). This one is the all-atom replica's own Boltzmann distribution to second order,
   within the fibre F_R = {x : M x = R}. With N an orthonormal basis of the null space of M
   (fixed for a run), every x of the fibre is x_R + N z, and

     z ~ N(z_m, P^-1),   P = (beta N^T H N)+,   z_m: the minimum of the quadratic model of U_AA
                                                 about mu within the fibre (a Newton step),

   H and the force f the all-atom Hessian and force at mu(R), and (.)+ raising each eigenvalue
   to at least 1/s^2 (soft and negative modes within the fibre get the width s). Against the
   fibre's surface measure (z is an isometric coordinate on it):

     ln q(x | R) = -1/2 (x - m)^T N P N^T (x - m) + 1/2 ln det P + const,   m = x_R + N z_m,

   const = -(3n - 3m)/2 ln 2 pi, the same for every R (left out). P depends on R, so its
   log-determinant stays in.

   Rotors (three hydrogens on one atom: methyl, ammonium) have three wells the Gaussian about
   one of them cannot reach. q is then a mixture over the rotors' cyclic relabellings (the
   wells, for hydrogens the force field treats alike), each equally likely:

     q(x | R) = 3^-g sum over relabellings pi of q_0(pi^-1 x | R).

   A relabelling must not move the beads (the three hydrogens have equal columns in M): the
   constructor checks it. Evaluating the mixture visits its 3^g components.
   doc/resolution_exchange.md, section 9, derives all this. */
#ifndef BACKMAP_HESSIAN_DENSITY_H
#define BACKMAP_HESSIAN_DENSITY_H

#include "exchange_random.h"
#include "linear_forward_map.h"

#include <Eigen/Dense>

#include <array>
#include <vector>

namespace BACKMAP {

// U_AA near mu, as the density needs it: the structure, the force there and the Hessian.
struct LocalEnergy {
  std::vector<Vec3> mu;       // Angstrom
  std::vector<Vec3> force;    // -grad U_AA at mu (energy unit / Angstrom)
  Eigen::MatrixXd hessian;    // 3n x 3n, atom-major (x, y, z of atom 0, then atom 1, ...)
};

// Three hydrogens on one atom, by atom index.
using Rotor = std::array<int, 3>;

class HessianDensity {
 public:
  // q(. | R) for one R: everything sampling and evaluating it needs.
  struct Proposal {
    Eigen::VectorXd beads;       // R, 3m
    Eigen::VectorXd mean;        // m, on the fibre
    Eigen::MatrixXd modes;       // eigenvectors of P, in the fibre's coordinates z (columns)
    Eigen::VectorXd precision;   // eigenvalues of P
    double log_normaliser = 0;   // 1/2 ln det P
    int raised_modes = 0;        // eigenvalues raised to 1/s^2
  };

  // beta: 1/kT in the energy unit of the Hessians; softest_width: s in Angstrom. Throws
  // std::invalid_argument for a bad beta or width, a map without full row rank, a rotor with
  // a bad or repeated atom, or a rotor whose hydrogens the map weighs differently (naming the
  // atoms).
  HessianDensity(LinearForwardMap map, double beta, double softest_width, std::vector<Rotor> rotors = {});

  const LinearForwardMap &map() const { return map_; }
  const std::vector<Rotor> &rotors() const { return rotors_; }
  double softest_width() const { return softest_width_; }

  // q(. | R) from U_AA about mu(R). Throws std::invalid_argument on wrong sizes or a Hessian
  // that is not finite.
  Proposal at(const LocalEnergy &local, const std::vector<Vec3> &beads) const;

  // x ~ q(. | R): 3n normals in atom order (x, y, z of atom 0, ...), then one uniform per
  // rotor for its relabelling.
  std::vector<Vec3> sample(const Proposal &q, ExchangeRandom &random) const;

  // ln q(x | R) without the constant. x must lie on the fibre (1e-6 A for every bead):
  // otherwise std::invalid_argument naming the bead.
  double log_density(const Proposal &q, const std::vector<Vec3> &x) const;

  // ln q_0 alone (no mixture over relabellings), for the tests
  double log_density_unmixed(const Proposal &q, const std::vector<Vec3> &x) const;

  // The point of the fibre of R nearest to x (Euclidean)
  std::vector<Vec3> nearest_on_fibre(const std::vector<Vec3> &x, const std::vector<Vec3> &beads) const;

  // Rotors of a molecule: every atom with exactly three hydrogen neighbours whose columns in
  // the map are equal. bonds: pairs of atom indices.
  static std::vector<Rotor> find_rotors(const std::vector<bool> &is_hydrogen,
                                        const std::vector<std::array<int, 2>> &bonds, const LinearForwardMap &map);

 private:
  LinearForwardMap map_;
  Eigen::MatrixXd dense_map_;    // M for the 3n Cartesian components (3m x 3n)
  Eigen::MatrixXd fibre_;        // N: orthonormal basis of the null space of M (3n x (3n - 3m))
  Eigen::MatrixXd pseudo_inverse_;    // M^T (M M^T)^-1 (3n x 3m)
  double beta_, softest_width_;
  std::vector<Rotor> rotors_;

  Eigen::VectorXd flat(const std::vector<Vec3> &v, int expected, const char *what) const;
  Eigen::VectorXd onto_fibre(Eigen::VectorXd x, const Eigen::VectorXd &beads) const;
  Eigen::VectorXd on_fibre(const Proposal &q, const std::vector<Vec3> &x) const;
  double quadratic_log_density(const Proposal &q, const Eigen::VectorXd &x) const;
};

}    // namespace BACKMAP

#endif
