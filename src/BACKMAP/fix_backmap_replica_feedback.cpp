/* BACKMAP package: fix backmap/replica, the seed feedback (doc/src/fix_backmap_replica.rst).
   After a cycle's all-atom MD, the replica is mapped forward as `backmap map` maps a structure
   (core: beads_from_atoms) and the CG beads take those positions, with velocities drawn afresh
   at the fix's temperature. A heuristic: the CG run samples no known ensemble with it.

   When: the cycle runs in end_of_step, after the positions update; the beads move in the next
   step's pre_exchange (or, when the run ended first, in the next run's setup_pre_exchange),
   where LAMMPS then wraps them into the box, migrates them to their ranks and re-neighbours
   (next_reneighbor), as fix atom/swap and fix gcmc change coordinates. Forces are computed for
   the new positions before they are used. */

#include "fix_backmap_replica.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "fix_backmap.h"
#include "force.h"
#include "update.h"

#include "beads_from_atoms.h"
#include "keyed_random.h"

#include <cmath>

using namespace LAMMPS_NS;

// every rank: the replica's unwrapped positions, in its atom order
void FixBackmapReplica::prepare_feedback(const std::vector<double> &replica_positions)
{
  std::vector<double> records;    // rank 0: id x y z per bead
  std::string failure;
  if (comm->me == 0) {
    try {
      BACKMAP::Structure atoms = *replica_atoms;
      std::size_t i = 0;
      for (auto &r : atoms.residues)
        for (auto &a : r.atoms) {
          a.position = BACKMAP::Vec3(replica_positions[3 * i], replica_positions[3 * i + 1], replica_positions[3 * i + 2]);
          ++i;
        }
      for (const BACKMAP::BeadPosition &b : BACKMAP::beads_from_atoms(atoms, backmap->frame_residues(), backmap->mappings()))
        records.insert(records.end(), {static_cast<double>(b.id), b.position.x(), b.position.y(), b.position.z()});
    } catch (const std::exception &e) {
      failure = e.what();
    }
  }
  stop_if_failed_on_root(failure, "feedback seed: mapping the all-atom replica to its CG beads");
  broadcast_from_root(records);
  const long count = static_cast<long>(records.size());
  feedback_ids.clear();
  feedback_positions.clear();
  for (long k = 0; k < count; k += 4) {
    feedback_ids.push_back(static_cast<long>(records[k]));
    feedback_positions.insert(feedback_positions.end(), {records[k + 1], records[k + 2], records[k + 3]});
  }
  feedback_step = update->ntimestep;
  next_reneighbor = update->ntimestep + 1;
}

void FixBackmapReplica::setup_pre_exchange()
{
  if (!feedback_ids.empty() && feedback_at_setup) apply_feedback();
}

// Every rank computes every bead's new state in the same order from the same numbers (each
// bead's mass, velocity and position come from the one rank that owns it, so their sum over
// ranks is exact), then sets its own beads: the result is bit-identical on any rank count.
void FixBackmapReplica::apply_feedback()
{
  const std::size_t n = feedback_ids.size();
  std::vector<double> mine(7 * n, 0.0), now(7 * n);    // per bead: mass, v, x as they are now
  std::vector<int> local(n, -1);
  const int nlocal = atom->nlocal;
  for (std::size_t k = 0; k < n; ++k) {
    if (feedback_ids[k] > atom->map_tag_max) continue;
    const int i = atom->map(static_cast<tagint>(feedback_ids[k]));
    if (i < 0 || i >= nlocal) continue;
    local[k] = i;
    mine[7 * k] = atom->rmass ? atom->rmass[i] : atom->mass[atom->type[i]];
    for (int d = 0; d < 3; ++d) {
      mine[7 * k + 1 + d] = atom->v[i][d];
      mine[7 * k + 4 + d] = atom->x[i][d];
    }
  }
  MPI_Allreduce(mine.data(), now.data(), static_cast<int>(7 * n), MPI_DOUBLE, MPI_SUM, world);
  for (std::size_t k = 0; k < n; ++k)
    if (now[7 * k] <= 0)
      error->all(FLERR, "Fix backmap/replica: feedback seed at step {}: bead atom ID {} of the replica's residues "
                 "is not in the CG system any more (atoms lost?)", update->ntimestep, feedback_ids[k]);

  // velocities: Maxwell-Boltzmann at the fix's temperature, drawn by atom ID and cycle, then
  // shifted so that the beads' total momentum stays what it was (the run's total momentum is
  // kept: zero stays zero)
  std::vector<double> mass(n);
  double momentum_before[3] = {0, 0, 0};
  for (std::size_t k = 0; k < n; ++k) {
    mass[k] = now[7 * k];
    for (int d = 0; d < 3; ++d) momentum_before[d] += mass[k] * now[7 * k + 1 + d];
  }
  const std::vector<double> v =
      fresh_velocities(feedback_ids, mass, momentum_before, force->boltz, force->mvv2e, feedback_step, 0);

  // positions: each bead at the image of its mapped position nearest to where it is; its image
  // flags stay, and LAMMPS wraps it into the box next
  double squares = 0;
  std::vector<double> x(3 * n);
  for (std::size_t k = 0; k < n; ++k) {
    double delta[3];
    for (int d = 0; d < 3; ++d) delta[d] = feedback_positions[3 * k + d] - now[7 * k + 4 + d];
    domain->minimum_image(delta);
    for (int d = 0; d < 3; ++d) {
      x[3 * k + d] = now[7 * k + 4 + d] + delta[d];
      squares += delta[d] * delta[d];
    }
  }
  outputs[7] = std::sqrt(squares / static_cast<double>(n));

  for (std::size_t k = 0; k < n; ++k) {
    if (local[k] < 0) continue;
    for (int d = 0; d < 3; ++d) {
      atom->x[local[k]][d] = x[3 * k + d];
      atom->v[local[k]][d] = v[3 * k + d];
    }
  }
  feedback_ids.clear();
  feedback_positions.clear();
  feedback_at_setup = true;
}

// Maxwell-Boltzmann velocities (3 per particle) drawn by (seed, step, ID, component + offset),
// shifted together so that their total momentum is `momentum`: the Gaussian of the velocities
// conditioned on the total momentum, exactly
std::vector<double> FixBackmapReplica::fresh_velocities(const std::vector<long> &ids, const std::vector<double> &mass,
                                                        const double momentum[3], double boltz, double mvv2e,
                                                        bigint step, int component_offset) const
{
  const std::size_t n = ids.size();
  std::vector<double> v(3 * n);
  double drawn[3] = {0, 0, 0}, total_mass = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double sigma = std::sqrt(boltz * temperature / (mass[k] * mvv2e));
    for (int d = 0; d < 3; ++d) {
      v[3 * k + d] = sigma * BACKMAP::keyed_gaussian(static_cast<std::uint64_t>(seed), static_cast<std::uint64_t>(step),
                                                     static_cast<std::uint64_t>(ids[k]),
                                                     static_cast<std::uint64_t>(d + component_offset));
      drawn[d] += mass[k] * v[3 * k + d];
    }
    total_mass += mass[k];
  }
  for (std::size_t k = 0; k < n; ++k)
    for (int d = 0; d < 3; ++d) v[3 * k + d] += (momentum[d] - drawn[d]) / total_mass;
  return v;
}
