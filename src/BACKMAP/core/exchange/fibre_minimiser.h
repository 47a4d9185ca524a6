/* BACKMAP core: the minimum of the all-atom energy among the structures that map onto given
   beads, {x : M x = R}, by Newton steps with the Hessian.

   The Hessian backmap density (hessian_density.h) is the Boltzmann distribution to second
   order about a point; it is closest to the true distribution of the atoms given the beads
   when that point is where this distribution peaks: the minimum of U_AA on the fibre. A
   restrained minimisation stops short of it (its springs hold the atoms near the network's
   prediction, and its tolerance is loose), so the exchange starts there and takes Newton
   steps within the fibre: each step is the minimum of the quadratic model conditioned on the
   beads (the mean of the Hessian density), shortened until the energy falls. Deterministic:
   the same start and beads give the same minimum. */
#ifndef BACKMAP_FIBRE_MINIMISER_H
#define BACKMAP_FIBRE_MINIMISER_H

#include "hessian_density.h"

#include <functional>
#include <vector>

namespace BACKMAP {

// U_AA at x, its force and (when asked) its Hessian
struct EnergyAt {
  double energy = 0.0;
  std::vector<Vec3> force;
  Eigen::MatrixXd hessian;    // 3n x 3n; may be left empty when not asked for
};
using EnergyFunction = std::function<EnergyAt(const std::vector<Vec3> &x, bool with_hessian)>;

struct FibreMinimum {
  LocalEnergy local;       // the minimum, the force and the Hessian there
  double energy = 0.0;
  int steps = 0;           // Newton steps taken
  double step_length = 0;  // largest atom displacement of the last step (A)
};

struct FibreMinimiserSettings {
  int max_steps = 20;
  double largest_move = 0.3;     // A: a longer Newton step is scaled down to this
  double converged_move = 1e-3;  // A: stop when a full step moves no atom further
};

// From x (moved onto the fibre first, by the smallest Euclidean displacement), Newton steps
// of `density` (its beta and softest width) within the fibre of `beads`. Throws
// std::invalid_argument on wrong sizes.
FibreMinimum minimise_on_fibre(const HessianDensity &density, std::vector<Vec3> x, const std::vector<Vec3> &beads,
                               const EnergyFunction &energy, const FibreMinimiserSettings &settings = {});

}    // namespace BACKMAP

#endif
