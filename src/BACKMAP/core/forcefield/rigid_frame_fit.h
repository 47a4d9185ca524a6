/* BACKMAP core, forcefield layer: atoms that constraints hold at fixed distances, as one rigid
   frame. Which atoms of a molecule form such a frame (every pair of them constrained: a triangle,
   a tetrahedron; a chain or a ring of constraints is not rigid), and positions that meet the
   constraints exactly, moved as little as the masses allow (a mapped structure's beads are near
   the frame, not on it): each constraint in turn corrected along its current direction, the two
   atoms moving inversely to their masses (SHAKE's iteration), until every distance is right; and
   a rigid shape superposed on target points (the frame with its sites on the mapped beads). */
#ifndef BACKMAP_RIGID_FRAME_FIT_H
#define BACKMAP_RIGID_FRAME_FIT_H

#include "structure.h"

#include <vector>

namespace BACKMAP {

struct DistanceConstraint {
  int a = 0, b = 0;        // 0-based atoms
  double length = 0.0;
};

// The groups of atoms linked by constraints (connected components, each sorted, in order of their
// first atom), and for each whether it is rigid: every pair of its atoms constrained.
struct ConstrainedGroup {
  std::vector<int> atoms;
  bool rigid = false;
  std::pair<int, int> free_pair{-1, -1};    // not rigid: two atoms no constraint joins
};
std::vector<ConstrainedGroup> constrained_groups(int atoms, const std::vector<DistanceConstraint> &constraints);

// `positions` moved to meet every constraint to `tolerance` (relative), atoms with mass 0 counted
// as mass 1; the centre of mass stays. std::runtime_error when the iteration does not converge.
void fit_to_constraints(std::vector<Vec3> &positions, const std::vector<double> &masses,
                        const std::vector<DistanceConstraint> &constraints, double tolerance = 1e-12);

// `body` (a rigid shape, any place) turned and moved onto `target` (the same points, e.g. mapped
// beads) by the proper rotation and shift with the least squared distance (Kabsch; no mirror
// image, which would turn a 3out site to the other face of its frame). Returns the moved body.
std::vector<Vec3> superpose(const std::vector<Vec3> &body, const std::vector<Vec3> &target);

}    // namespace BACKMAP

#endif
