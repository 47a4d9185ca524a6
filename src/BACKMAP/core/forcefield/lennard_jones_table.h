/* BACKMAP core, forcefield layer: the Lennard-Jones of every pair of GROMACS atom types as grompp makes it. */
#ifndef BACKMAP_LENNARD_JONES_TABLE_H
#define BACKMAP_LENNARD_JONES_TABLE_H

#include "topology_sections.h"

#include <map>
#include <string>
#include <utility>

namespace BACKMAP::lammps_writer {

struct LennardJones {
  double sigma = 0.0, epsilon = 0.0;    // nm, kJ/mol
};

// A topology's two numbers (c6 c12 for comb-rule 1, else sigma epsilon) as sigma, epsilon.
LennardJones as_sigma_epsilon(int comb_rule, double v, double w, const std::string &path, int line);

// [ nonbond_params ] where given, else the combination rule; keeps a reference to the topology.
class LennardJonesTable {
 public:
  explicit LennardJonesTable(const Topology &topology);

  // The pair's interaction as grompp makes it: [ nonbond_params ], else the combination rule.
  LennardJones normal(const AtomType &a, const AtomType &b) const;

 private:
  static std::pair<std::string, std::string> key(const std::string &a, const std::string &b)
  {
    return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
  }
  const Topology &topology_;
  std::map<std::pair<std::string, std::string>, const InteractionType *> nonbond_params_;
};

}    // namespace BACKMAP::lammps_writer

#endif
