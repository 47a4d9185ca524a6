/* BACKMAP core, forcefield layer: the OV part of GoMartini's contact map (see go_contact_map.h). */
#include "go_atom_classes.h"
#include "go_contact_map.h"

namespace BACKMAP {

std::vector<std::pair<int, int>> go_overlapping_atoms(const std::vector<GoContactAtom> &atoms, const PointCells &cells)
{
  std::vector<std::pair<int, int>> pairs;
  const double reach = 2 * go_largest_radius * go_overlap_factor;
  for (std::size_t i = 0; i < atoms.size(); ++i)
    for (int j : cells.neighbours(static_cast<int>(i), reach)) {
      const GoContactAtom &a = atoms[i], &b = atoms[static_cast<std::size_t>(j)];
      if (j <= static_cast<int>(i) || a.residue == b.residue) continue;
      const double d = (a.position - b.position).norm();
      // atoms on the very same spot are no pair (martinize2's sparse distances leave them out)
      if (d > 0 && d < go_overlap_factor * (a.radius + b.radius)) pairs.emplace_back(static_cast<int>(i), j);
    }
  return pairs;
}

}    // namespace BACKMAP
