#include "reconstruction.h"

#include <limits>

namespace BACKMAP {

namespace {

const Vec3 not_a_position = Vec3::Constant(std::numeric_limits<double>::quiet_NaN());

}    // namespace

std::vector<Vec3> placement_vectors(const MoleculeMapping &mapping, const std::vector<Vec3> &atoms,
                                    const std::vector<Vec3> &beads)
{
  std::vector<Vec3> out;
  out.reserve(mapping.placements.size());
  for (const Placement &p : mapping.placements) {
    const Vec3 &anchor = p.anchor >= 0 ? atoms[p.anchor] : beads[p.bead];
    out.push_back(atoms[p.atom] - anchor);
  }
  return out;
}

std::vector<Vec3> place_atoms(const MoleculeMapping &mapping, const std::vector<Vec3> &beads,
                              const std::vector<Vec3> &vectors)
{
  std::vector<Vec3> local(mapping.placements.size());
  for (std::size_t i = 0; i < mapping.placements.size(); ++i) {
    const Placement &p = mapping.placements[i];
    // placements are ordered by level within a bead, so the anchor is already placed
    const Vec3 &anchor = p.anchor_placement >= 0 ? local[p.anchor_placement] : beads[p.bead];
    local[i] = anchor + vectors[i];
  }
  std::vector<Vec3> sum(mapping.atoms.size(), Vec3::Zero());
  std::vector<double> weight(mapping.atoms.size(), 0.0);
  for (std::size_t i = 0; i < mapping.placements.size(); ++i) {
    const Placement &p = mapping.placements[i];
    double w = 0.0;
    for (const BeadShare &s : mapping.atoms[p.atom].beads)
      if (s.bead == p.bead) w = s.weight;
    sum[p.atom] += w * local[i];
    weight[p.atom] += w;
  }
  std::vector<Vec3> out(mapping.atoms.size(), not_a_position);
  for (std::size_t k = 0; k < mapping.atoms.size(); ++k)
    if (weight[k] > 0) out[k] = sum[k] / weight[k];
  return out;
}

}    // namespace BACKMAP
