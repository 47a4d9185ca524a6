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

#include <memory>
#include <string>
#include <vector>

#include "minimisation_protocol.h"

namespace BACKMAP {
class ResidueDatabase;
struct AllAtomSystem;
struct Structure;
}    // namespace BACKMAP

namespace LAMMPS_NS {

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

 private:
  // One exchange: the latest backmapped frame gets hydrogens (rank 0), the replica takes its
  // coordinates, is minimised and runs; its observables come back as this fix's outputs.
  void run_replica();
  std::vector<double> build_all_atom_frame();      // rank 0: x y z per atom of the system
  void create_replica();
  void replica_commands(const std::vector<std::string> &commands);
  std::vector<double> replica_unwrapped_positions();
  void dump_last_step();
  double heavy_rmsd(const std::vector<double> &a, const std::vector<double> &b) const;
  // rank 0 fails with `failure` (non-empty there) and every rank stops with it
  void stop_if_failed_on_root(const std::string &failure, const std::string &what);

  // The seed feedback (fix_backmap_replica_feedback.cpp): after the replica's MD, its atoms
  // mapped forward give the CG beads new positions (every rank keeps them, by atom ID); on the
  // next re-neighbouring (pre_exchange) the beads take them, with velocities drawn afresh.
  void prepare_feedback(const std::vector<double> &replica_positions);
  void apply_feedback();

  std::string backmap_fix_id, force_field = "charmm36", prefix = "replica/system", user_input, dump_file;
  bigint steps = 0;          // replica MD steps per exchange
  double temperature = 300.0, timestep_fs = 1.0;
  int seed = 12345, dump_every = 0;
  bool minimize = true;
  bool feedback = false;     // feedback seed: the replica's beads go back into the CG run
  BACKMAP::MinimisationProtocol protocol;

  FixBackmap *backmap = nullptr;
  std::unique_ptr<BACKMAP::ResidueDatabase> database;    // rank 0
  class LAMMPS *replica = nullptr;                        // every rank
  bigint natoms = 0;
  std::vector<char> heavy;                                // per atom of the system, every rank
  std::unique_ptr<BACKMAP::Structure> replica_atoms;      // rank 0: the replica's residues and atom names
  std::vector<long> feedback_ids;                         // pending feedback, every rank: bead IDs
  std::vector<double> feedback_positions;                 // and their mapped positions (x y z each)
  bigint feedback_step = -1;                              // CG step of the cycle they come from
  double outputs[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  bigint last_step = -1;
};

}    // namespace LAMMPS_NS

#endif
#endif
