/* BACKMAP package: fix backmap/replica. Every N steps it takes the latest frame of a fix
   backmap, adds hydrogens with an all-atom force field, and runs it in a second LAMMPS
   instance on the same ranks: minimisation that keeps the backmapped structure, then M steps
   of all-atom MD; the replica's energy, drift and cost come back as this fix's outputs. With
   feedback seed, the replica's atoms mapped forward then become the CG beads
   (fix_backmap_replica_feedback.cpp). */

#include "fix_backmap_replica.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "fix_backmap.h"
#include "input.h"
#include "lammps.h"
#include "library.h"
#include "modify.h"
#include "output.h"
#include "update.h"
#if defined(LAMMPS_EXCEPTIONS)
#include "exceptions.h"
#endif

#include "all_atom_frames.h"
#include "backmap_density.h"
#include "hessian_density.h"
#include "backmap_minimiser.h"
#include "resolution_exchange.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>

using namespace LAMMPS_NS;
using namespace FixConst;

FixBackmapReplica::FixBackmapReplica(LAMMPS *lmp, int narg, char **arg) : Fix(lmp, narg, arg)
{
  if (narg < 4) error->all(FLERR, "Illegal fix backmap/replica command: fix ID group backmap/replica BACKMAP_FIX_ID every N run M ...");
  backmap_fix_id = arg[3];
  nevery = 0;
  for (int iarg = 4; iarg < narg; iarg += 2) {
    if (iarg + 1 >= narg) error->all(FLERR, "Illegal fix backmap/replica command: keyword {} needs a value", arg[iarg]);
    const std::string key = arg[iarg], value = arg[iarg + 1];
    if (key == "every") nevery = utils::inumeric(FLERR, value.c_str(), false, lmp);
    else if (key == "run") steps = utils::bnumeric(FLERR, value.c_str(), false, lmp);
    else if (key == "forcefield") force_field = value;
    else if (key == "files") prefix = value;
    else if (key == "input") user_input = value;
    else if (key == "temperature") temperature = utils::numeric(FLERR, value.c_str(), false, lmp);
    else if (key == "timestep") timestep_fs = utils::numeric(FLERR, value.c_str(), false, lmp);
    else if (key == "seed") seed = utils::inumeric(FLERR, value.c_str(), false, lmp);
    else if (key == "restraint") protocol.restraint = utils::numeric(FLERR, value.c_str(), false, lmp);
    else if (key == "dump") dump_file = value;
    else if (key == "dump_every") dump_every = utils::inumeric(FLERR, value.c_str(), false, lmp);
    else if (key == "exchange") exchange_every = utils::inumeric(FLERR, value.c_str(), false, lmp);
    else if (key == "width" || key == "width_h") {
      (key == "width" ? width : width_h) = utils::numeric(FLERR, value.c_str(), false, lmp);
      if (!(utils::numeric(FLERR, value.c_str(), false, lmp) > 0))
        error->all(FLERR, "Fix backmap/replica: {} must be positive (A), not {}", key, value);
    }
    else if (key == "proposal") {
      if (value == "isotropic") proposal = Proposal::Isotropic;
      else if (value == "hessian") proposal = Proposal::Hessian;
      else error->all(FLERR, "Fix backmap/replica: proposal must be isotropic or hessian, not {}", value);
    } else if (key == "rotors") {
      if (value == "yes") rotors = true;
      else if (value == "no") rotors = false;
      else error->all(FLERR, "Fix backmap/replica: rotors must be yes or no, not {}", value);
    }
    else if (key == "exchange_dump") exchange_dump = value;
    else if (key == "exchange_minimize") {
      if (value == "yes") exchange_minimize = true;
      else if (value == "no") exchange_minimize = false;
      else error->all(FLERR, "Fix backmap/replica: exchange_minimize must be yes or no, not {}", value);
    }
    else if (key == "exchange_test") {
      if (value == "exact") exchange_test = ExchangeTest::Exact;
      else if (value == "drop_densities") exchange_test = ExchangeTest::DropDensities;
      else if (value == "accept_all") exchange_test = ExchangeTest::AcceptAll;
      else error->all(FLERR, "Fix backmap/replica: exchange_test must be exact, drop_densities or accept_all, not {}", value);
    }
    else if (key == "feedback") {
      if (value == "seed") feedback = true;
      else if (value == "none") feedback = false;
      else error->all(FLERR, "Fix backmap/replica: feedback must be none or seed, not {}", value);
    } else if (key == "minimize") {
      if (value == "yes") minimize = true;
      else if (value == "no") minimize = false;
      else error->all(FLERR, "Fix backmap/replica: minimize must be yes or no, not {}", value);
    } else error->all(FLERR, "Illegal fix backmap/replica command: unknown keyword {}", key);
  }
  if (nevery <= 0) error->all(FLERR, "Fix backmap/replica needs 'every N' with N > 0");
  if (steps < 0) error->all(FLERR, "Fix backmap/replica: run must be 0 or more all-atom steps");
  if (temperature <= 0) error->all(FLERR, "Fix backmap/replica: temperature must be positive (K)");
  if (timestep_fs <= 0) error->all(FLERR, "Fix backmap/replica: timestep must be positive (fs)");
  if (seed <= 0) error->all(FLERR, "Fix backmap/replica: seed must be a positive integer");
  if (protocol.restraint < 0) error->all(FLERR, "Fix backmap/replica: restraint must be 0 or positive (kcal/mol/A^2)");
  if (!user_input.empty() && !std::filesystem::exists(user_input))
    error->all(FLERR, "Fix backmap/replica: input file {} (the replica's MD settings) does not exist", user_input);
  if (exchange_every < 0) error->all(FLERR, "Fix backmap/replica: exchange must be 0 (none) or a positive number of replica runs between attempts");
  if (exchange_every > 0 && feedback)
    error->all(FLERR, "Fix backmap/replica: feedback seed and exchange both change the CG run; use one of them");
  if (width < 0) width = proposal == Proposal::Hessian ? 0.2 : 0.05;
  if (width_h < 0) width_h = width;
  if (proposal == Proposal::Hessian && width_h != width)
    error->all(FLERR, "Fix backmap/replica: proposal hessian has one width, that of the softest modes; width_h is "
               "for proposal isotropic");
  if (exchange_every == 0 && (exchange_test != ExchangeTest::Exact || !exchange_dump.empty()))
    error->all(FLERR, "Fix backmap/replica: exchange_test and exchange_dump need exchange K");
  if (!dump_file.empty() && dump_every <= 0) dump_every = steps > 0 ? static_cast<int>(steps) : 1;
  if (comm->me == 0) {
    try {
      all_atom = std::make_unique<BACKMAP::AllAtomFrames>(force_field);
    } catch (const std::exception &e) {
      error->one(FLERR, "Fix backmap/replica: {}", e.what());
    }
  }
  if (feedback || exchange_every > 0) {    // the beads move in pre_exchange, where LAMMPS re-neighbours
    force_reneighbor = 1;
    next_reneighbor = -1;
  }
  restart_global = 1;    // outputs, last cycle, pending feedback; with exchange its state (fix_backmap_replica_restart.cpp)
  vector_flag = 1;
  size_vector = 15;
  extvector = 0;
  global_freq = nevery;
}

FixBackmapReplica::~FixBackmapReplica()
{
  delete replica;
}

int FixBackmapReplica::setmask()
{
  if (exchange_every > 0) return PRE_EXCHANGE;    // the cycles run there (fix_backmap_replica_exchange.cpp)
  return END_OF_STEP | (feedback ? PRE_EXCHANGE : 0);
}

void FixBackmapReplica::init()
{
  const int ifix = modify->find_fix(backmap_fix_id);
  if (ifix < 0) error->all(FLERR, "Fix backmap/replica: no fix with ID {}", backmap_fix_id);
  backmap = dynamic_cast<FixBackmap *>(modify->fix[ifix]);
  if (!backmap) error->all(FLERR, "Fix backmap/replica: fix {} is not a fix backmap", backmap_fix_id);
  // the fix backmap must have made this step's frame before this fix looks at it
  if (ifix > modify->find_fix(id))
    error->all(FLERR, "Fix backmap/replica: define fix {} (backmap) before fix {}", backmap_fix_id, id);
  if (backmap->chunk_size() > 0)
    error->all(FLERR, "Fix backmap/replica: fix {} writes in chunks and keeps no whole frame; drop its chunk keyword",
               backmap_fix_id);
  if (exchange_every == 0 && nevery % backmap->nevery != 0)
    error->all(FLERR, "Fix backmap/replica: every {} is not a multiple of fix {}'s every {}: the replica needs a frame "
               "on its steps", nevery, backmap_fix_id, backmap->nevery);
  if (!(domain->xperiodic && domain->yperiodic && domain->zperiodic))
    error->all(FLERR, "Fix backmap/replica: the all-atom replica takes the CG box, which must be periodic");
  if (strcmp(update->unit_style, "real") != 0)
    error->all(FLERR, "Fix backmap/replica: the all-atom files are in units real; the CG run uses {}", update->unit_style);
  if (feedback && atom->map_style == Atom::MAP_NONE)
    error->all(FLERR, "Fix backmap/replica: feedback seed finds the beads by atom ID and needs an atom map "
               "(atom_modify map yes)");
  if (exchange_every > 0) {
    if (atom->map_style == Atom::MAP_NONE)
      error->all(FLERR, "Fix backmap/replica: exchange finds the beads by atom ID and needs an atom map "
                 "(atom_modify map yes)");
    if (lmp->kokkos) error->all(FLERR, "Fix backmap/replica: exchange does not run with KOKKOS (host arrays only)");
    if (domain->box_change)
      error->all(FLERR, "Fix backmap/replica: exchange needs a fixed box (the all-atom replica keeps the CG box); "
                 "a fix changes it");
    const int ipe = modify->find_compute("thermo_pe");
    if (ipe < 0) error->all(FLERR, "Fix backmap/replica: exchange needs the compute thermo_pe (U_CG)");
    pe_compute = modify->compute[ipe];
  }
}

void FixBackmapReplica::setup(int)
{
  if (exchange_every > 0) {
    start_exchange_replica();
    next_reneighbor = (update->ntimestep / nevery + 1) * nevery;
    return;
  }
  if (update->ntimestep % nevery == 0 && update->ntimestep != last_step) run_replica();
}

void FixBackmapReplica::end_of_step()
{
  if (update->ntimestep != last_step) run_replica();
}

double FixBackmapReplica::compute_vector(int i)
{
  if (i < 8) return outputs[i];
  return exchange_output(i);
}

// rank 0: the frame with its hydrogens, in the system's atom order (the first frame also
// writes the replica's files: its topology is fixed from then on, and later frames must have
// its atoms)
std::vector<double> FixBackmapReplica::build_all_atom_frame(const BACKMAP::Structure &frame)
{
  const BACKMAP::AllAtomSystem system = all_atom->build(frame);
  std::vector<double> x;
  for (const auto &r : system.residues)
    for (const auto &a : r.atoms) x.insert(x.end(), {a.position.x(), a.position.y(), a.position.z()});
  if (natoms == 0) {
    all_atom->write_files(system, prefix, "BACKMAP all-atom replica",
                          prefix + ".top (fix backmap/replica " + std::string(id) + ")");
    heavy.clear();
    for (const auto &r : system.residues)
      for (const auto &a : r.atoms) heavy.push_back(a.name[0] != 'H');
    // the names the feedback maps forward: the replica's own (its .gro file's)
    replica_atoms = std::make_unique<BACKMAP::Structure>(*all_atom->atoms());
  }
  return x;
}

void FixBackmapReplica::replica_commands(const std::vector<std::string> &commands)
{
  for (const std::string &c : commands) replica->input->one(c);
}

void FixBackmapReplica::create_replica()
{
  const std::string log = prefix + ".log";
  const char *args[] = {"backmap_replica", "-nocite", "-screen", "none", "-log", log.c_str()};
  replica = new LAMMPS(6, const_cast<char **>(args), world);
  std::string read_data = "read_data " + prefix + ".data";
  if (std::filesystem::exists(prefix + ".cmap")) read_data += " fix cmap crossterm CMAP";
  replica_commands({"include " + prefix + ".settings", read_data, "include " + prefix + ".coeffs"});
  replica_commands(BACKMAP::heavy_atom_group_commands("heavy"));
  replica_commands({"neighbor 2.0 bin", "neigh_modify every 1 delay 0 check yes", "thermo 100",
                    "thermo_style custom step temp pe ke etotal fmax"});
  if (!user_input.empty()) {
    replica_commands({"include " + user_input});
  } else {
    replica_commands({fmt::format("timestep {}", timestep_fs),
                      fmt::format("fix backmap_thermostat all nvt temp {} {} {}", temperature, temperature, 100 * timestep_fs)});
  }
  // 6 decimals: the coordinates to 1e-6 A, as a second code path needs them to map them forward
  if (!dump_file.empty())
    replica_commands({fmt::format("dump backmap_dump all custom {} {} id type x y z", dump_every, dump_file),
                      "dump_modify backmap_dump sort id append yes format float %.6f"});
}

// Each replica run ends in the dump, whatever dump_every (the feedback's input, checked by a
// second code path): a snapshot of its last step unless the dump has just written it.
void FixBackmapReplica::dump_last_step()
{
  const int i = replica->output->find_dump("backmap_dump");
  if (i >= 0 && replica->output->last_dump[i] == replica->update->ntimestep) return;
  replica_commands({fmt::format("write_dump all custom {} id type x y z modify sort id append yes format float %.6f",
                                dump_file)});
}

// the replica's coordinates by atom ID, through their image flags, on every rank
std::vector<double> FixBackmapReplica::replica_unwrapped_positions()
{
  std::vector<double> x(3 * natoms);
  std::vector<int> image(natoms);
  lammps_gather_atoms(replica, const_cast<char *>("x"), 1, 3, x.data());
  lammps_gather_atoms(replica, const_cast<char *>("image"), 0, 1, image.data());
  for (bigint i = 0; i < natoms; ++i) {
    double unwrapped[3];
    replica->domain->unmap(&x[3 * i], static_cast<imageint>(image[i]), unwrapped);
    for (int k = 0; k < 3; ++k) x[3 * i + k] = unwrapped[k];
  }
  return x;
}

double FixBackmapReplica::heavy_rmsd(const std::vector<double> &a, const std::vector<double> &b) const
{
  double sq = 0;
  long n = 0;
  for (bigint i = 0; i < natoms; ++i) {
    if (!heavy[i]) continue;
    for (int k = 0; k < 3; ++k) sq += (a[3 * i + k] - b[3 * i + k]) * (a[3 * i + k] - b[3 * i + k]);
    ++n;
  }
  return n ? std::sqrt(sq / n) : 0.0;
}

std::vector<double> FixBackmapReplica::all_atom_positions(const BACKMAP::Structure *frame)
{
  std::vector<double> x;
  bigint count = 0;
  std::string failure;
  if (comm->me == 0) {
    try {
      if (!frame) throw std::runtime_error(fmt::format("fix {} has no frame", backmap_fix_id));
      x = build_all_atom_frame(*frame);
      count = static_cast<bigint>(x.size() / 3);
      if (natoms > 0 && count != natoms)
        throw std::runtime_error(fmt::format("the frame has {} atoms, the replica {}", count, natoms));
    } catch (const std::exception &e) {
      failure = e.what();
    }
  }
  stop_if_failed_on_root(failure, "the all-atom system of the backmapped frame");
  MPI_Bcast(&count, 1, MPI_LMP_BIGINT, 0, world);
  x.resize(3 * count);
  MPI_Bcast(x.data(), static_cast<int>(x.size()), MPI_DOUBLE, 0, world);
  if (natoms == 0) {
    natoms = count;
    heavy.resize(natoms);
    MPI_Bcast(heavy.data(), static_cast<int>(natoms), MPI_CHAR, 0, world);
  }
  return x;
}

void FixBackmapReplica::in_replica(const std::function<void()> &work)
{
#if defined(LAMMPS_EXCEPTIONS)
  try {
#endif
    work();
#if defined(LAMMPS_EXCEPTIONS)
  } catch (LAMMPSAbortException &e) {    // an error on one rank of the replica
    const std::string message = fmt::format("Fix backmap/replica: the all-atom replica stopped at CG step {} {} (log: {}.log): {}",
                                            update->ntimestep, replica_context(), prefix, e.message);
    // alone, a rank can end the run cleanly; among others it must abort, as they may wait for it
    if (comm->nprocs == 1) error->all(FLERR, message);
    error->one(FLERR, message);
  } catch (LAMMPSException &e) {
    error->all(FLERR, "Fix backmap/replica: the all-atom replica stopped at CG step {} {} (log: {}.log): {}",
               update->ntimestep, replica_context(), prefix, e.message);
  }
#endif
}

// where the replica's work came from, for its error messages: the frame it was built from, or,
// with exchange, its own run since it was built
std::string FixBackmapReplica::replica_context() const
{
  if (exchange_every > 0) return fmt::format("in exchange cycle {}", cycles + 1);
  return fmt::format("on the frame fix {} backmapped at that step (frame {} of its output)", backmap_fix_id,
                     backmap->frames_written());
}

// The replica takes the frame x (hydrogens placed, velocities zero) and is minimised:
// outputs 2 (energy as built), 1 (minimised) and 5 (heavy atoms moved).
void FixBackmapReplica::relax_frame(const std::vector<double> &x)
{
  if (!replica) create_replica();
  lammps_scatter_atoms(replica, const_cast<char *>("x"), 1, 3, const_cast<double *>(x.data()));
  replica_commands({"set group all image 0 0 0", "velocity all set 0.0 0.0 0.0", "run 0 post no"});
  outputs[2] = lammps_get_thermo(replica, "pe");    // the frame as built, hydrogens placed
  std::vector<double> minimised = x;
  if (minimize) {
    replica_commands(BACKMAP::minimisation_commands(protocol, "heavy"));
    minimised = replica_unwrapped_positions();
  }
  replica_commands({"run 0 post no"});
  outputs[1] = lammps_get_thermo(replica, "pe");
  outputs[4] = heavy_rmsd(minimised, x);
}

void FixBackmapReplica::run_replica()
{
  last_step = update->ntimestep;
  const auto start = std::chrono::steady_clock::now();
  const std::vector<double> x = all_atom_positions(comm->me == 0 ? backmap->latest_frame() : nullptr);
  std::vector<double> final_positions;    // the replica's at the end of this cycle
  in_replica([&] {
    relax_frame(x);
    const std::vector<double> minimised = replica_unwrapped_positions();
    if (steps > 0) {
      replica_commands({fmt::format("velocity all create {} {} mom yes rot yes dist gaussian", temperature,
                                    seed + static_cast<int>(update->ntimestep % 1000000)),
                        fmt::format("run {} post no", steps)});
      final_positions = replica_unwrapped_positions();
      outputs[3] = heavy_rmsd(final_positions, minimised);
    } else {
      final_positions = minimised;
      outputs[3] = 0.0;
    }
    outputs[0] = lammps_get_thermo(replica, "pe");
    if (!dump_file.empty()) dump_last_step();
  });
  // outside the replica's error handling: these errors are the CG run's own
  if (feedback) prepare_feedback(final_positions);
  outputs[5] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  outputs[6] += 1;
}

void FixBackmapReplica::broadcast_from_root(std::vector<double> &v)
{
  long size = static_cast<long>(v.size());
  MPI_Bcast(&size, 1, MPI_LONG, 0, world);
  v.resize(size);
  MPI_Bcast(v.data(), static_cast<int>(size), MPI_DOUBLE, 0, world);
}

void FixBackmapReplica::broadcast_from_root(std::vector<int> &v)
{
  long size = static_cast<long>(v.size());
  MPI_Bcast(&size, 1, MPI_LONG, 0, world);
  v.resize(size);
  MPI_Bcast(v.data(), static_cast<int>(size), MPI_INT, 0, world);
}

void FixBackmapReplica::stop_if_failed_on_root(const std::string &failure, const std::string &what)
{
  int failed = !failure.empty();
  MPI_Bcast(&failed, 1, MPI_INT, 0, world);
  if (!failed) return;
  if (comm->me == 0) error->one(FLERR, "Fix backmap/replica: step {}: {}: {}", update->ntimestep, what, failure);
  error->all(FLERR, "Fix backmap/replica: step {}: {} failed on rank 0", update->ntimestep, what);
}
