/* BACKMAP core, forcefield layer: grompp's Lennard-Jones per pair of atom types (see lennard_jones_table.h). */
#include "lennard_jones_table.h"

#include "lammps_writer_text.h"

#include "file_error.h"

#include <cmath>

namespace BACKMAP::lammps_writer {

LennardJones as_sigma_epsilon(int comb_rule, double v, double w, const std::string &path, int line)
{
  if (comb_rule != 1) return {v, w};
  if (v == 0 && w == 0) return {0.0, 0.0};
  if (v <= 0 || w <= 0)
    fail_at(path, line, "C6 = " + number(v) + ", C12 = " + number(w) + " is no Lennard-Jones sigma/epsilon pair");
  return {std::pow(w / v, 1.0 / 6.0), v * v / (4 * w)};
}

LennardJonesTable::LennardJonesTable(const Topology &topology) : topology_(topology)
{
  for (const InteractionType &line : topology.nonbond_params) {
    if (line.function != 1 || line.parameters.size() < 2)
      fail_at(line.path, line.line, "[ nonbond_params ] other than Lennard-Jones cannot be written for LAMMPS");
    nonbond_params_[key(line.types[0], line.types[1])] = &line;
  }
}

LennardJones LennardJonesTable::normal(const AtomType &a, const AtomType &b) const
{
  const int rule = topology_.defaults.comb_rule;
  const auto given = nonbond_params_.find(key(a.name, b.name));
  if (given != nonbond_params_.end())
    return as_sigma_epsilon(rule, given->second->parameters[0], given->second->parameters[1], given->second->path,
                            given->second->line);
  const LennardJones x = as_sigma_epsilon(rule, a.nonbonded[0], a.nonbonded[1], a.path, a.line);
  const LennardJones y = as_sigma_epsilon(rule, b.nonbonded[0], b.nonbonded[1], b.path, b.line);
  if (rule == 2) return {(x.sigma + y.sigma) / 2, std::sqrt(x.epsilon * y.epsilon)};
  if (rule == 3) return {std::sqrt(x.sigma * y.sigma), std::sqrt(x.epsilon * y.epsilon)};
  // comb-rule 1 combines c6 and c12 geometrically
  const double c6 = std::sqrt(a.nonbonded[0] * b.nonbonded[0]), c12 = std::sqrt(a.nonbonded[1] * b.nonbonded[1]);
  return as_sigma_epsilon(1, c6, c12, a.path, a.line);
}

}    // namespace BACKMAP::lammps_writer
