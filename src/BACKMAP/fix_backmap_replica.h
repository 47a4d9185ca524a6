/* -*- c++ -*- ----------------------------------------------------------
   BACKMAP package: fix backmap/replica runs an all-atom replica of the CG
   simulation in a nested LAMMPS instance, from the frames of a fix backmap
   (doc/src/fix_backmap_replica.rst).
------------------------------------------------------------------------- */

#ifdef FIX_CLASS
// clang-format off
FixStyle(backmap/replica,FixBackmapReplica);
// clang-format on
#else

#ifndef LMP_FIX_BACKMAP_REPLICA_H
#define LMP_FIX_BACKMAP_REPLICA_H

#include "fix.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backmap_atom_state.h"
#include "forward_mapping.h"
#include "minimisation_protocol.h"

namespace BACKMAP {
class AllAtomFrames;
class BackmapDensity;
class HessianDensity;
class LinearForwardMap;
class ResolutionExchange;
struct AllAtomSystem;
struct Structure;
}    // namespace BACKMAP

namespace LAMMPS_NS {

class BackmapMinimiser;
class FixBackmap;

class FixBackmapReplica : public Fix {
 public:
  FixBackmapReplica(class LAMMPS *, int, char **);
  ~FixBackmapReplica() override;
  int setmask() override;
  void init() override;
  void setup(int) override;
  void end_of_step() override;
  void setup_pre_exchange() override;
  void pre_exchange() override;
  double compute_vector(int) override;
  void write_restart(FILE *) override;
  void restart(char *) override;

 private:
  // One exchange: the latest backmapped frame gets hydrogens (rank 0), the replica takes its
  // coordinates, is minimised and runs; its observables come back as this fix's outputs.
  void run_replica();
  // every rank: the frame (rank 0's; null elsewhere) with its hydrogens, x y z per atom in the
  // replica's order; the first frame also writes the replica's files
  std::vector<double> all_atom_positions(const BACKMAP::Structure *frame);
  std::vector<double> build_all_atom_frame(const BACKMAP::Structure &frame);    // rank 0
  void create_replica();
  void relax_frame(const std::vector<double> &x);    // the replica takes x and is minimised
  // runs `work` on the replica; an error there stops the CG run with the replica's message
  void in_replica(const std::function<void()> &work);
  std::string replica_context() const;
  void replica_commands(const std::vector<std::string> &commands);
  std::vector<double> replica_unwrapped_positions();
  void dump_last_step();
  double heavy_rmsd(const std::vector<double> &a, const std::vector<double> &b) const;
  // rank 0 fails with `failure` (non-empty there) and every rank stops with it
  void stop_if_failed_on_root(const std::string &failure, const std::string &what);
  // rank 0's vector (its size too) on every rank
  void broadcast_from_root(std::vector<double> &v);
  void broadcast_from_root(std::vector<int> &v);

  // The seed feedback (fix_backmap_replica_feedback.cpp): after the replica's MD, its atoms
  // mapped forward give the CG beads new positions (every rank keeps them, by atom ID); on the
  // next re-neighbouring (pre_exchange) the beads take them, with velocities drawn afresh.
  void prepare_feedback(const std::vector<double> &replica_positions);
  void apply_feedback();
  // Maxwell-Boltzmann velocities at `temperature` for particles of these masses, drawn by
  // (seed, step, ID, component + offset), shifted so that their total momentum is `momentum`
  std::vector<double> fresh_velocities(const std::vector<long> &ids, const std::vector<double> &mass,
                                       const double momentum[3], double boltz, double mvv2e, bigint step,
                                       int component_offset) const;

  // The resolution exchange (fix_backmap_replica_exchange.cpp): every N CG steps, in
  // pre_exchange, the replica runs M steps of its own MD, and every K such cycles the two
  // replicas try to swap resolutions (doc/resolution_exchange.md).
  void start_exchange_replica();          // setup: the replica from the first frame, or from a restart
  void exchange_cycle();                  // pre_exchange on a cycle's step
  void attempt_exchange();
  void make_exchange();                   // the forward map, the density and the test (every rank)
  std::vector<double> backmap_beads_now();    // mu: the backmap of the beads as they are (every rank)
  // q(. | R) of one side of an attempt (fix_backmap_replica_proposal.cpp): mu(R) and, with
  // proposal hessian, the Gaussian from the replica's force field about it
  struct BackmapSide;
  void make_density(std::vector<std::vector<BACKMAP::BeadAtomWeight>> rows, std::vector<std::string> names);
  std::unique_ptr<BackmapSide> backmap_side(const std::vector<double> &R);
  std::vector<double> sample_proposal(const BackmapSide &side, const std::vector<double> &R);
  double proposal_log_density(const BackmapSide &side, const std::vector<double> &x, const std::vector<double> &R) const;
  const BACKMAP::LinearForwardMap &exchange_map() const;    // M, rows by bead_ids
  // the minimisation of mu (fix_backmap_replica_minimiser.cpp): on rank 0 alone, in an
  // instance of its own, so that its result depends on mu alone (every rank gets it)
  std::vector<double> minimised_backmap(const std::vector<double> &x);
  void cg_reneighbour();                  // ghosts and neighbour lists for the CG positions as they are
  double cg_potential_energy();           // U_CG by the CG run's own force computation
  double replica_potential_energy();      // U_AA of the replica as it is (run 0)
  void keep_replica_state();              // for write_restart: the replica after a cycle
  // without exchange: the outputs, the last cycle's step and a pending feedback
  void write_cycle_restart(FILE *fp);
  void read_cycle_restart(const char *buf);
  void write_exchange_dump(const char *name, const std::vector<double> &x, const std::vector<long> &ids);
  void write_replica_dump(const char *when);
  double exchange_output(int i) const;
  std::vector<long> replica_ids() const;    // 1..natoms

  std::string backmap_fix_id, force_field = "charmm36", prefix = "replica/system", user_input, dump_file;
  bigint steps = 0;          // replica MD steps per exchange
  double temperature = 300.0, timestep_fs = 1.0;
  int seed = 12345, dump_every = 0;
  bool minimize = true;
  bool feedback = false;     // feedback seed: the replica's beads go back into the CG run
  BACKMAP::MinimisationProtocol protocol;

  FixBackmap *backmap = nullptr;
  std::unique_ptr<BACKMAP::AllAtomFrames> all_atom;      // rank 0: the force field, the frames' atoms
  class LAMMPS *replica = nullptr;                        // every rank
  bigint natoms = 0;
  std::vector<char> heavy;                                // per atom of the system, every rank
  std::unique_ptr<BACKMAP::Structure> replica_atoms;      // rank 0: the replica's residues and atom names
  std::vector<long> feedback_ids;                         // pending feedback, every rank: bead IDs
  std::vector<double> feedback_positions;                 // and their mapped positions (x y z each)
  bigint feedback_step = -1;                              // CG step of the cycle they come from
  // false only after read_restart of a file written within a run: the feedback then waits for
  // the pre_exchange of the step after its cycle, as in the run that wrote the file
  bool feedback_at_setup = true;
  double outputs[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  bigint last_step = -1;

  // resolution exchange
  enum class ExchangeTest { Exact, DropDensities, AcceptAll };    // the last two break it: tests only
  int exchange_every = 0;       // replica cycles between attempts; 0: no exchange
  // the backmap density q: isotropic widths, or the replica's Hessian at mu (proposal hessian,
  // width: that of its softest modes; rotors: mixed over methyl and ammonium relabellings)
  enum class Proposal { Isotropic, Hessian };
  Proposal proposal = Proposal::Isotropic;
  bool rotors = true;
  double width = -1.0, width_h = -1.0;    // A (defaults 0.05 isotropic, 0.2 hessian; width_h: width)
  ExchangeTest exchange_test = ExchangeTest::Exact;
  bool exchange_minimize = true;    // mu minimised (restrained) before the noise
  std::unique_ptr<BackmapMinimiser> minimiser;    // rank 0 only
  std::string exchange_dump;    // prefix of per-attempt configuration dumps (tests, diagnostics)
  std::unique_ptr<BACKMAP::BackmapDensity> density;        // every rank, proposal isotropic
  std::unique_ptr<BACKMAP::HessianDensity> hessian_density;    // every rank, proposal hessian
  std::unique_ptr<BACKMAP::ResolutionExchange> exchange;   // every rank, identical
  std::vector<long> bead_ids;                              // the CG particle of each row of M
  bigint cycles = 0, applied = 0;                          // replica cycles; swaps applied
  double md_seconds = 0;                                   // the last cycle's replica MD
  class Compute *pe_compute = nullptr;
  // the replica after the last cycle (every rank) and its fixes' restart data (rank 0), for
  // write_restart; after read_restart, the same from the file until the replica is rebuilt
  struct ReplicaState {
    AtomStateById atoms;
    bigint step = 0;                                   // the replica's own step count
    std::vector<std::string> fix_ids, fix_styles;      // its fixes with global restart data
    std::vector<std::vector<char>> fix_data;
  };
  std::unique_ptr<ReplicaState> kept, restored;
  std::vector<char> restored_exchange;                     // the core's state from the file
};

}    // namespace LAMMPS_NS

#endif
#endif
