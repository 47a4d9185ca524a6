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
  double compute_vector(int) override;

 private:
  // One exchange: the latest backmapped frame gets hydrogens (rank 0), the replica takes its
  // coordinates, is minimised and runs; its observables come back as this fix's outputs.
  void run_replica();
  std::vector<double> build_all_atom_frame();      // rank 0: x y z per atom of the system
  void create_replica();
  void replica_commands(const std::vector<std::string> &commands);
  std::vector<double> replica_unwrapped_positions();
  double heavy_rmsd(const std::vector<double> &a, const std::vector<double> &b) const;

  std::string backmap_fix_id, force_field = "charmm36", prefix = "replica/system", user_input, dump_file;
  bigint steps = 0;          // replica MD steps per exchange
  double temperature = 300.0, timestep_fs = 1.0;
  int seed = 12345, dump_every = 0;
  bool minimize = true;
  BACKMAP::MinimisationProtocol protocol;

  FixBackmap *backmap = nullptr;
  std::unique_ptr<BACKMAP::ResidueDatabase> database;    // rank 0
  class LAMMPS *replica = nullptr;                        // every rank
  bigint natoms = 0;
  std::vector<char> heavy;                                // per atom of the system, every rank
  double outputs[7] = {0, 0, 0, 0, 0, 0, 0};
  bigint last_step = -1;
};

}    // namespace LAMMPS_NS

#endif
#endif
