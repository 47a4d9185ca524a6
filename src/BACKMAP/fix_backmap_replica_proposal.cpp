/* BACKMAP package: fix backmap/replica, the exchange's backmap density q(x | R)
   (doc/resolution_exchange.md, sections 3 and 9).

   proposal isotropic: a Gaussian of fixed widths about mu(R), conditioned on the beads
   (backmap_density.h). proposal hessian: the replica's own Boltzmann distribution to second
   order within the fibre {x : M x = R}, mixed over the relabellings of methyl and ammonium
   hydrogens (hessian_density.h), about the minimum of U_AA on the fibre reached by Newton
   steps from mu (fibre_minimiser.h). Energies, forces and Hessians come from the replica's
   force field in the rank-0 instance that minimises mu (backmap_minimiser.h; Hessians by
   central differences of the forces): a function of R alone, on any number of ranks. Every
   rank then holds the same q and draws the same numbers. */

#include "fix_backmap_replica_side.h"

#include "backmap_density.h"
#include "backmap_minimiser.h"
#include "fibre_minimiser.h"
#include "resolution_exchange.h"
#include "comm.h"
#include "error.h"
#include "force.h"
#include "lammps.h"
#include "update.h"

#include <climits>

using namespace LAMMPS_NS;

void FixBackmapReplica::make_density(std::vector<std::vector<BACKMAP::BeadAtomWeight>> rows,
                                     std::vector<std::string> names)
{
  BACKMAP::LinearForwardMap map(static_cast<int>(natoms), rows, names);
  std::vector<bool> hydrogen(natoms);
  for (bigint i = 0; i < natoms; ++i) hydrogen[i] = !heavy[i];
  if (proposal == Proposal::Isotropic) {
    density = std::make_unique<BACKMAP::BackmapDensity>(std::move(map),
                                                         BACKMAP::BackmapDensity::widths_by_kind(hydrogen, width, width_h));
    return;
  }
  // the rotors from the replica's bonds (rank 0), the same on every rank
  std::vector<int> flat;
  std::string failure;
  if (rotors && comm->me == 0) {
    try {
      if (!minimiser) minimiser = std::make_unique<BackmapMinimiser>(prefix);
      for (const BACKMAP::Rotor &r : BACKMAP::HessianDensity::find_rotors(hydrogen, minimiser->bonds(), map))
        flat.insert(flat.end(), r.begin(), r.end());
    } catch (const std::exception &e) {
      failure = e.what();
    }
  }
  stop_if_failed_on_root(failure, "exchange: the replica's methyl and ammonium rotors");
  broadcast_from_root(flat);
  std::vector<BACKMAP::Rotor> found;
  for (std::size_t k = 0; k + 2 < flat.size(); k += 3) found.push_back({flat[k], flat[k + 1], flat[k + 2]});
  if (found.size() > 10)
    error->all(FLERR, "Fix backmap/replica: the replica has {} methyl or ammonium rotors; the mixture over their "
               "relabellings is evaluated term by term, for 10 at most: use rotors no", found.size());
  if (natoms > 300 && comm->me == 0)
    error->warning(FLERR, "Fix backmap/replica: proposal hessian on {} atoms: every attempt takes Hessians of {} "
                   "force evaluations each and dense eigen-decompositions of order {}; it is meant for small "
                   "molecules", natoms, 6 * natoms, 3 * natoms);
  hessian_density = std::make_unique<BACKMAP::HessianDensity>(
      std::move(map), 1.0 / (replica->force->boltz * temperature), width, std::move(found));
}

std::unique_ptr<FixBackmapReplica::BackmapSide> FixBackmapReplica::backmap_side(const std::vector<double> &R)
{
  auto side = std::make_unique<BackmapSide>();
  side->mu = backmap_beads_now();
  if (proposal == Proposal::Isotropic) return side;
  // rank 0: Newton steps within the fibre of R from mu, with the force field's Hessian
  const bigint n3 = 3 * natoms;
  if (n3 * n3 > INT_MAX)
    error->all(FLERR, "Fix backmap/replica: proposal hessian: the replica's {} atoms are too many for one Hessian", natoms);
  std::vector<double> mu(n3), force(n3), hessian(n3 * n3);
  std::string failure;
  if (comm->me == 0) {
    try {
      if (!minimiser) minimiser = std::make_unique<BackmapMinimiser>(prefix);
      const BACKMAP::EnergyFunction energy = [&](const std::vector<BACKMAP::Vec3> &x, bool with_hessian) {
        BACKMAP::EnergyAt out;
        std::vector<double> f, h;
        out.energy = minimiser->energy_at(to_flat(x), f, with_hessian ? &h : nullptr);
        out.force = to_vec3(f);
        if (with_hessian) out.hessian = Eigen::Map<const Eigen::MatrixXd>(h.data(), n3, n3);
        return out;
      };
      const BACKMAP::FibreMinimum minimum =
          BACKMAP::minimise_on_fibre(*hessian_density, to_vec3(side->mu), to_vec3(R), energy);
      mu = to_flat(minimum.local.mu);
      force = to_flat(minimum.local.force);
      Eigen::Map<Eigen::MatrixXd>(hessian.data(), n3, n3) = minimum.local.hessian;
    } catch (const std::exception &e) {
      failure = e.what();
    }
  }
  stop_if_failed_on_root(failure, "exchange: the all-atom minimum and Hessian at the beads");
  MPI_Bcast(mu.data(), static_cast<int>(n3), MPI_DOUBLE, 0, world);
  MPI_Bcast(force.data(), static_cast<int>(n3), MPI_DOUBLE, 0, world);
  MPI_Bcast(hessian.data(), static_cast<int>(n3 * n3), MPI_DOUBLE, 0, world);
  side->mu = mu;
  try {
    const BACKMAP::LocalEnergy local{to_vec3(mu), to_vec3(force), Eigen::Map<const Eigen::MatrixXd>(hessian.data(), n3, n3)};
    side->gaussian = std::make_unique<BACKMAP::HessianDensity::Proposal>(hessian_density->at(local, to_vec3(R)));
  } catch (const std::exception &e) {
    error->all(FLERR, "Fix backmap/replica: exchange at step {}: {}", update->ntimestep, e.what());
  }
  return side;
}

std::vector<double> FixBackmapReplica::sample_proposal(const BackmapSide &side, const std::vector<double> &R)
{
  try {
    if (proposal == Proposal::Isotropic) return to_flat(density->sample(to_vec3(side.mu), to_vec3(R), exchange->random()));
    return to_flat(hessian_density->sample(*side.gaussian, exchange->random()));
  } catch (const std::exception &e) {
    error->all(FLERR, "Fix backmap/replica: exchange at step {}: {}", update->ntimestep, e.what());
  }
  return {};
}

double FixBackmapReplica::proposal_log_density(const BackmapSide &side, const std::vector<double> &x,
                                               const std::vector<double> &R) const
{
  try {
    if (proposal == Proposal::Isotropic) return density->log_density(to_vec3(x), to_vec3(side.mu), to_vec3(R));
    return hessian_density->log_density(*side.gaussian, to_vec3(x));
  } catch (const std::exception &e) {
    error->all(FLERR, "Fix backmap/replica: exchange at step {}: {}", update->ntimestep, e.what());
  }
  return 0.0;
}

const BACKMAP::LinearForwardMap &FixBackmapReplica::exchange_map() const
{
  return density ? density->map() : hessian_density->map();
}
