/* BACKMAP package: fix backmap/replica, the resolution exchange (doc/resolution_exchange.md,
   doc/src/fix_backmap_replica.rst).

   With `exchange K` the all-atom (AA) replica is a simulation of its own: built once from the
   first frame, it runs M steps of MD every N CG steps, and every K such cycles the two
   replicas try to swap resolutions by a Metropolis-Hastings move that keeps each replica's
   Boltzmann distribution: from the CG beads R and the replica's atoms x, the CG run is
   offered R' = M x and the replica x' ~ q(. | R), a Gaussian around mu(R) conditioned on
   M x' = R, and both take them with probability min(1, a),

     ln a = -beta [U_AA(x') - U_AA(x)] - beta [U_CG(M x) - U_CG(R)] + ln q(x | M x) - ln q(x' | R).

   mu is the fix backmap's network and refinement with the replica's hydrogens, a function of
   the beads alone. Every energy comes from its own instance's force computation, at the trial
   configuration, which is then kept or undone to the last bit.

   When: in pre_exchange of every N-th CG step, after the positions moved and before LAMMPS
   re-neighbours (as fix atom/swap and fix gcmc change a configuration). So the CG state R is
   the step's positions; on acceptance the beads get fresh velocities there, before the
   step's force computation and second half-kick. */

#include "fix_backmap_replica_side.h"

#include "atom.h"
#include "comm.h"
#include "compute.h"
#include "domain.h"
#include "error.h"
#include "fix_backmap.h"
#include "force.h"
#include "input.h"
#include "lammps.h"
#include "library.h"
#include "modify.h"
#include "neighbor.h"
#include "pair.h"
#include "bond.h"
#include "angle.h"
#include "dihedral.h"
#include "improper.h"
#include "kspace.h"
#include "update.h"

#include "backmap_density.h"
#include "replica_forward_map.h"
#include "resolution_exchange.h"

#include <chrono>
#include <cstdio>

using namespace LAMMPS_NS;
using namespace FixConst;

std::vector<long> FixBackmapReplica::replica_ids() const
{
  std::vector<long> ids(natoms);
  for (bigint i = 0; i < natoms; ++i) ids[i] = static_cast<long>(i + 1);
  return ids;
}

// setup(): the replica is built from the backmap of the beads as they are, minimised and given
// velocities; after read_restart it takes the state the restart file kept instead.
void FixBackmapReplica::start_exchange_replica()
{
  if (replica) return;
  const auto start = std::chrono::steady_clock::now();
  const std::unique_ptr<BACKMAP::Structure> frame = backmap->backmap_current();
  const std::vector<double> x = all_atom_positions(frame.get());    // also writes the replica's files
  in_replica([&] {
    if (restored) {
      if (static_cast<bigint>(restored->atoms.ids.size()) != natoms)
        error->all(FLERR, "Fix backmap/replica: the restart file holds a replica of {} atoms; the frame gives {}",
                   restored->atoms.ids.size(), natoms);
      create_replica();
      restore_atoms_by_id(replica, restored->atoms);
      replica_commands({fmt::format("reset_timestep {}", restored->step)});
      for (std::size_t f = 0; f < restored->fix_ids.size(); ++f) {
        const int i = replica->modify->find_fix(restored->fix_ids[f]);
        if (i < 0 || restored->fix_styles[f] != replica->modify->fix[i]->style)
          error->all(FLERR, "Fix backmap/replica: the replica has no fix {} of style {} to take its restart data",
                     restored->fix_ids[f], restored->fix_styles[f]);
        replica->modify->fix[i]->restart(restored->fix_data[f].data());
      }
    } else {
      relax_frame(x);
      replica_commands({fmt::format("velocity all create {} {} mom yes rot yes dist gaussian", temperature, seed)});
    }
  });
  restored.reset();
  make_exchange();
  keep_replica_state();
  outputs[5] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The forward map with its rows by CG particle, the density and the test, the same on every
// rank (rank 0 has the replica's atom names; the map goes to the others as numbers).
void FixBackmapReplica::make_exchange()
{
  std::vector<double> flat;    // rank 0: rows, then per row: ID, count, (atom, weight)...
  std::string failure;
  if (comm->me == 0) {
    try {
      const BACKMAP::ReplicaForwardMap m =
          BACKMAP::replica_forward_map(*replica_atoms, backmap->frame_residues(), backmap->mappings());
      const auto &matrix = m.map.matrix();
      flat.push_back(static_cast<double>(matrix.rows()));
      for (int b = 0; b < matrix.outerSize(); ++b) {
        flat.push_back(static_cast<double>(m.bead_ids[b]));
        flat.push_back(static_cast<double>(matrix.row(b).nonZeros()));
        for (BACKMAP::LinearForwardMap::Matrix::InnerIterator it(matrix, b); it; ++it)
          flat.insert(flat.end(), {static_cast<double>(it.col()), it.value()});
      }
    } catch (const std::exception &e) {
      failure = e.what();
    }
  }
  stop_if_failed_on_root(failure, "exchange: the forward map of the replica's residues");
  broadcast_from_root(flat);
  std::vector<std::vector<BACKMAP::BeadAtomWeight>> rows(static_cast<std::size_t>(flat[0]));
  std::vector<std::string> names;
  bead_ids.clear();
  std::size_t k = 1;
  for (auto &row : rows) {
    bead_ids.push_back(static_cast<long>(flat[k]));
    names.push_back(fmt::format("bead atom ID {}", bead_ids.back()));
    const auto count = static_cast<std::size_t>(flat[k + 1]);
    k += 2;
    for (std::size_t a = 0; a < count; ++a, k += 2) row.push_back({static_cast<int>(flat[k]), flat[k + 1]});
  }
  try {
    make_density(std::move(rows), std::move(names));
    exchange = std::make_unique<BACKMAP::ResolutionExchange>(1.0 / (force->boltz * temperature),
                                                             1.0 / (replica->force->boltz * temperature),
                                                             static_cast<std::uint64_t>(seed));
    if (!restored_exchange.empty()) exchange->deserialise(restored_exchange.data(), restored_exchange.size());
  } catch (const std::exception &e) {
    error->all(FLERR, "Fix backmap/replica: exchange: {}", e.what());
  }
  restored_exchange.clear();
  if (comm->me == 0)
    utils::logmesg(lmp, "Fix backmap/replica: resolution exchange between {} CG beads and {} atoms, every {} replica "
                   "runs, {}\n", bead_ids.size(), natoms, exchange_every,
                   proposal == Proposal::Isotropic
                       ? fmt::format("isotropic proposal, widths {} A (heavy atoms) and {} A (hydrogens)", width, width_h)
                       : fmt::format("Hessian proposal, softest modes {} A, {} rotors", width,
                                     hessian_density->rotors().size()));
}

// mu: the backmap of the CG beads as they are (network, refinement, hydrogens), in the
// replica's atom order, on every rank. Needs current ghosts.
std::vector<double> FixBackmapReplica::backmap_beads_now()
{
  const std::unique_ptr<BACKMAP::Structure> frame = backmap->backmap_current();
  const std::vector<double> x = all_atom_positions(frame.get());
  return exchange_minimize ? minimised_backmap(x) : x;
}

void FixBackmapReplica::pre_exchange()
{
  if (exchange_every > 0) {
    if (next_reneighbor != update->ntimestep) return;
    next_reneighbor = update->ntimestep + nevery;
    exchange_cycle();
    return;
  }
  if (next_reneighbor == update->ntimestep && !feedback_ids.empty()) apply_feedback();
}

void FixBackmapReplica::exchange_cycle()
{
  const auto start = std::chrono::steady_clock::now();
  in_replica([&] {
    if (steps > 0) {
      const std::vector<double> before = replica_unwrapped_positions();
      replica_commands({fmt::format("run {} post no", steps)});
      outputs[3] = heavy_rmsd(replica_unwrapped_positions(), before);
      outputs[0] = lammps_get_thermo(replica, "pe");
    }
    if (!dump_file.empty()) dump_last_step();
  });
  md_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ++cycles;
  outputs[6] = static_cast<double>(cycles);
  if (cycles % exchange_every == 0) attempt_exchange();
  keep_replica_state();
  outputs[5] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Ghosts and neighbour lists for the CG atoms where they are, as fix atom/swap prepares an
// energy evaluation in pre_exchange (LAMMPS re-neighbours again after this fix).
void FixBackmapReplica::cg_reneighbour()
{
  if (domain->triclinic) domain->x2lamda(atom->nlocal);
  domain->pbc();
  comm->exchange();
  comm->borders();
  if (domain->triclinic) domain->lamda2x(atom->nlocal + atom->nghost);
  if (modify->n_pre_neighbor) modify->pre_neighbor();
  neighbor->build(1);
}

// U_CG as the CG run's thermo_pe counts it: pair, bonded, long-range and the energy of fixes
// that add theirs (fix_modify energy yes). Of the post_force fixes only those are called:
// another one (a Langevin thermostat) would draw random numbers for a force nobody uses.
double FixBackmapReplica::cg_potential_energy()
{
  const int eflag = 1, vflag = 0;
  if (modify->n_pre_force) modify->pre_force(vflag);
  if (force->pair) force->pair->compute(eflag, vflag);
  if (atom->molecular != Atom::ATOMIC) {
    if (force->bond) force->bond->compute(eflag, vflag);
    if (force->angle) force->angle->compute(eflag, vflag);
    if (force->dihedral) force->dihedral->compute(eflag, vflag);
    if (force->improper) force->improper->compute(eflag, vflag);
  }
  if (force->kspace) force->kspace->compute(eflag, vflag);
  for (int i = 0; i < modify->nfix; ++i) {
    Fix *f = modify->fix[i];
    if ((f->setmask() & POST_FORCE) && f->energy_global_flag && f->thermo_energy) f->post_force(vflag);
  }
  update->eflag_global = update->ntimestep;
  return pe_compute->compute_scalar();
}

double FixBackmapReplica::replica_potential_energy()
{
  replica_commands({"run 0 post no"});
  return lammps_get_thermo(replica, "pe");
}

void FixBackmapReplica::attempt_exchange()
{
  const auto start = std::chrono::steady_clock::now();
  const bigint step = update->ntimestep;
  const bigint eflag_kept = update->eflag_global;
  const std::vector<long> atom_ids = replica_ids();
  BACKMAP::ExchangeEnergies energy;

  // the CG replica as it is: R, U_CG(R), mu(R)
  const AtomStateById cg_now = gather_atoms_by_id(lmp, bead_ids);
  const std::vector<double> R = unwrapped_positions(lmp, cg_now);
  cg_reneighbour();
  energy.cg_current = cg_potential_energy();
  const std::unique_ptr<BackmapSide> side_R = backmap_side(R);

  // the all-atom replica as it is: x, U_AA(x)
  AtomStateById aa_now;
  std::vector<double> X;
  if (!exchange_dump.empty()) write_replica_dump("before");
  in_replica([&] {
    aa_now = gather_atoms_by_id(replica, atom_ids);
    X = unwrapped_positions(replica, aa_now);
    energy.aa_current = replica_potential_energy();
  });

  // the CG trial R' = M x: U_CG(R'), mu(R')
  place_atoms_by_id(lmp, bead_ids, to_flat(exchange_map().apply(to_vec3(X))));
  const std::vector<double> Rp = unwrapped_positions(lmp, gather_atoms_by_id(lmp, bead_ids));
  cg_reneighbour();
  energy.cg_proposed = cg_potential_energy();
  const std::unique_ptr<BackmapSide> side_Rp = backmap_side(Rp);

  // the all-atom trial x' ~ q(. | R): U_AA(x')
  std::vector<double> Xp = sample_proposal(*side_R, R);
  in_replica([&] {
    place_atoms_by_id(replica, atom_ids, Xp);
    Xp = unwrapped_positions(replica, gather_atoms_by_id(replica, atom_ids));    // as the replica holds it
    energy.aa_proposed = replica_potential_energy();
  });

  // the test
  BACKMAP::ExchangeDensities q{proposal_log_density(*side_Rp, X, Rp), proposal_log_density(*side_R, Xp, R)};
  if (exchange_test == ExchangeTest::DropDensities) q = {};    // a broken move, for the tests
  const BACKMAP::ExchangeDecision decision = exchange->decide(energy, q);
  const bool accept = decision.accepted || exchange_test == ExchangeTest::AcceptAll;
  if (!exchange_dump.empty()) {
    write_exchange_dump("cg_current", R, bead_ids);
    write_exchange_dump("cg_proposed", Rp, bead_ids);
    write_exchange_dump("aa_current", X, atom_ids);
    write_exchange_dump("aa_proposed", Xp, atom_ids);
    write_exchange_dump("backmap_current", side_R->mu, atom_ids);
    write_exchange_dump("backmap_proposed", side_Rp->mu, atom_ids);
  }

  if (accept) {
    // both keep their trial positions and take Maxwell-Boltzmann velocities at the temperature
    // (drawn by atom ID: components 0-2 the beads', 3-5 the replica's), each replica keeping
    // its total momentum
    double p_cg[3] = {0, 0, 0}, p_aa[3] = {0, 0, 0};
    for (std::size_t k = 0; k < bead_ids.size(); ++k)
      for (int d = 0; d < 3; ++d) p_cg[d] += cg_now.mass[k] * cg_now.v[3 * k + d];
    for (std::size_t k = 0; k < atom_ids.size(); ++k)
      for (int d = 0; d < 3; ++d) p_aa[d] += aa_now.mass[k] * aa_now.v[3 * k + d];
    set_velocities_by_id(lmp, bead_ids,
                         fresh_velocities(bead_ids, cg_now.mass, p_cg, force->boltz, force->mvv2e, step, 0));
    in_replica([&] {
      set_velocities_by_id(replica, atom_ids,
                           fresh_velocities(atom_ids, aa_now.mass, p_aa, replica->force->boltz, replica->force->mvv2e,
                                            step, 3));
    });
    ++applied;
  } else {
    restore_atoms_by_id(lmp, cg_now);
    in_replica([&] { restore_atoms_by_id(replica, aa_now); });
  }
  if (!exchange_dump.empty()) write_replica_dump("after");
  if (!dump_file.empty() && accept)
    in_replica([&] {
      replica_commands({fmt::format("write_dump all custom {} id type x y z modify sort id append yes format float %.6f",
                                    dump_file)});
    });
  update->eflag_global = eflag_kept;    // this step's energies are LAMMPS's own again
  if (comm->me == 0)
    utils::logmesg(lmp, "Fix backmap/replica: exchange at step {}: dU_AA {:.6g} dU_CG {:.6g} kcal/mol, "
                   "ln q ratio {:.6g}, ln a {:.6g}: {} (attempt {:.4f} s, replica MD {:.4f} s)\n", step,
                   energy.aa_proposed - energy.aa_current, energy.cg_proposed - energy.cg_current,
                   q.current - q.proposed, decision.log_acceptance, accept ? "accepted" : "rejected",
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), md_seconds);
}

double FixBackmapReplica::exchange_output(int i) const
{
  if (!exchange) return i == 9 ? static_cast<double>(applied) : 0.0;
  const BACKMAP::ExchangeStatistics &s = exchange->statistics();
  switch (i) {
    case 8: return static_cast<double>(s.attempts);
    case 9: return static_cast<double>(applied);
    case 10: return s.mean_probability();
    case 11: return s.last_delta_aa;
    case 12: return s.last_delta_cg;
    case 13: return s.last_log_q_ratio;
    case 14: return s.last_log_acceptance;
    default: return 0.0;
  }
}

// rank 0 appends one snapshot (LAMMPS dump text, unwrapped positions to the last bit) to
// PREFIX.NAME.dump: the configurations of an attempt, for tests and diagnostics
void FixBackmapReplica::write_exchange_dump(const char *name, const std::vector<double> &x, const std::vector<long> &ids)
{
  if (comm->me != 0) return;
  const std::string path = exchange_dump + "." + name + ".dump";
  FILE *f = fopen(path.c_str(), "a");
  if (!f) error->one(FLERR, "Fix backmap/replica: cannot append to exchange_dump file {}", path);
  fmt::print(f, "ITEM: TIMESTEP\n{}\nITEM: NUMBER OF ATOMS\n{}\nITEM: BOX BOUNDS pp pp pp\n", update->ntimestep, ids.size());
  for (int d = 0; d < 3; ++d) fmt::print(f, "{:.17g} {:.17g}\n", domain->boxlo[d], domain->boxhi[d]);
  fmt::print(f, "ITEM: ATOMS id xu yu zu\n");
  for (std::size_t k = 0; k < ids.size(); ++k)
    fmt::print(f, "{} {:.17g} {:.17g} {:.17g}\n", ids[k], x[3 * k], x[3 * k + 1], x[3 * k + 2]);
  if (fclose(f) != 0) error->one(FLERR, "Fix backmap/replica: writing exchange_dump file {} failed", path);
}

// the replica's own dump of its state (positions as held, image flags, velocities) before and
// after an attempt, through the replica's write_dump: a second code path for the state
void FixBackmapReplica::write_replica_dump(const char *when)
{
  in_replica([&] {
    replica_commands({fmt::format("write_dump all custom {}.replica_{}.dump id type x y z ix iy iz vx vy vz "
                                  "modify sort id append yes format float %.17g", exchange_dump, when)});
  });
}
