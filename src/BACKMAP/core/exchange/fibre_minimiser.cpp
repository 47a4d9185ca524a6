#include "fibre_minimiser.h"

#include <algorithm>
#include <stdexcept>

namespace BACKMAP {

namespace {

double largest_displacement(const std::vector<Vec3> &a, const std::vector<Vec3> &b)
{
  double out = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) out = std::max(out, (a[i] - b[i]).norm());
  return out;
}

std::vector<Vec3> along(const std::vector<Vec3> &x, const std::vector<Vec3> &target, double t)
{
  std::vector<Vec3> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[i] + t * (target[i] - x[i]);
  return out;
}

}    // namespace

FibreMinimum minimise_on_fibre(const HessianDensity &density, std::vector<Vec3> x, const std::vector<Vec3> &beads,
                               const EnergyFunction &energy, const FibreMinimiserSettings &settings)
{
  x = density.nearest_on_fibre(x, beads);
  FibreMinimum out;
  EnergyAt here = energy(x, true);
  for (out.steps = 0; out.steps < settings.max_steps; ++out.steps) {
    const HessianDensity::Proposal q = density.at({x, here.force, here.hessian}, beads);
    std::vector<Vec3> newton(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) newton[i] = q.mean.segment<3>(3 * i);
    const double full = largest_displacement(x, newton);
    out.step_length = full;
    if (full < settings.converged_move) break;
    // shortened to the largest move, then halved until the energy falls (along a line within
    // the fibre: both ends are on it)
    double t = std::min(1.0, settings.largest_move / full);
    bool moved = false;
    for (int halving = 0; halving < 8 && !moved; ++halving, t *= 0.5) {
      const std::vector<Vec3> trial = density.nearest_on_fibre(along(x, newton, t), beads);
      const EnergyAt there = energy(trial, false);
      if (there.energy < here.energy) {
        x = trial;
        here = energy(x, true);
        moved = true;
      }
    }
    if (!moved) break;
  }
  out.local = {x, here.force, here.hessian};
  out.energy = here.energy;
  return out;
}

}    // namespace BACKMAP
