/* BACKMAP core: a short restrained least-squares refinement of reconstructed atoms. The
   network places each atom from its own bead, so bonds and angles between atoms placed from
   different beads (CA-CB, the peptide C-N) and the hand of every CA are only as good as two
   independent predictions. This pulls them to the measured ideal geometry (ideal_geometry.h)
   while every bead's centre stays on the CG bead it came from and atoms stay near where the
   network put them (METHOD.md: "backbone optimisation", here for every heavy atom).

   Each restraint is a residual (value - target) / sigma; the sum of squares is minimised by
   Levenberg-Marquardt on the sparse normal equations (Eigen's sparse Cholesky). Every choice it
   makes is built from distances, volumes and differences of positions (no fixed axis, no
   per-coordinate scaling), so a rotated and shifted input gives the rotated and shifted output. */
#ifndef BACKMAP_GEOMETRY_REFINEMENT_H
#define BACKMAP_GEOMETRY_REFINEMENT_H

#include "structure.h"

#include <utility>
#include <vector>

namespace BACKMAP {

struct RefinementOptions {
  int iterations = 20;
  double tether_sigma = 0.5;      // Angstrom: how far atoms may move from the prediction
  double centre_sigma = 0.01;     // Angstrom: a bead centre's allowed offset from its bead
  // Angstrom: the same for the beads of a residue the first solve left strained (frame_refinement.h);
  // not above centre_sigma: no second solve
  double loose_centre_sigma = 0.1;
  double distance_sigma_min = 0.01, volume_sigma_min = 0.1;    // floors on measured spreads
  // A peptide link is planar: the volume spanned by CA(i), C(i), N(i+1), CA(i+1) is held to
  // zero, which allows cis and trans alike (A^3; 0.039 A^3 per degree of omega near 180:
  // 0.15 is the spread of real links, 0.143 A^3 RMS over 11,199 trans links of 60 training
  // proteins). 0 leaves omega to the network and the other link restraints.
  double planar_link_sigma = 0.15;
  // Angstrom: CA(i)-CA(i+1) of a trans link (median 3.804 A, spread 0.030 A on those links;
  // cis would be 2.9 A), held across every link not followed by a proline. 0: no such restraint.
  double trans_ca_ca = 3.80, trans_ca_ca_sigma = 0.03;
};

struct RefinementReport {
  double initial_cost = 0, final_cost = 0;    // sum of squared residuals, tethers included
  int iterations = 0;
  // Chains (or molecules) solved, and those that stopped at the iteration limit before settling
  // (no step lowering the cost, or an undamped one gaining under 1e-6 of it and moving no atom by
  // 0.001 A): not converged
  int problems = 0, unconverged = 0;
  int separated = 0;    // pairs of atoms parted before the optimiser ran (see solve)
  int loosened = 0;     // residues refined again with loose bead centres (frame_refinement.h)
  bool converged() const { return unconverged == 0; }
};

class RefinementProblem {
 public:
  explicit RefinementProblem(std::size_t atoms) : atom_count_(atoms) {}

  void add_distance(int a, int b, double target, double sigma);
  // (a - centre) . ((b - centre) x (c - centre)) held at `target` (Angstrom^3)
  void add_volume(int centre, int a, int b, int c, double target, double sigma);
  // sum_k weight_k x_k held at `target`: a CG bead as the weighted mean of its atoms
  void add_centre(std::vector<std::pair<int, double>> weighted_atoms, const Vec3 &target, double sigma);

  // Refines `positions` in place (every atom is also tethered to its starting point). Two
  // neighbours of a volume restraint's centre that start on (nearly) one spot are first parted
  // along a direction the restraints define (separate_coincident), and tethered there.
  RefinementReport solve(std::vector<Vec3> &positions, const RefinementOptions &options) const;

  std::size_t atom_count() const { return atom_count_; }
  std::size_t restraint_count() const { return distances_.size() + volumes_.size() + centres_.size(); }

 private:
  struct Distance {
    int a, b;
    double target, weight;
  };
  struct Volume {
    int centre, a, b, c;
    double target, weight;
  };
  struct Centre {
    std::vector<std::pair<int, double>> atoms;
    Vec3 target;
    double weight;
  };
  double cost(const std::vector<Vec3> &x, const std::vector<Vec3> &start, double tether_weight) const;
  int separate_coincident(std::vector<Vec3> &x) const;

  std::size_t atom_count_;
  std::vector<Distance> distances_;
  std::vector<Volume> volumes_;
  std::vector<Centre> centres_;
};

}    // namespace BACKMAP

#endif
