/* BACKMAP package: fix backmap, frames written with hydrogens (keyword hydrogens) and
   minimised (keyword minimize). Rank 0 gives the whole backmapped frame its hydrogens and
   termini as `backmap build` does (the core's all_atom_frames); with minimize, the first frame
   also writes the all-atom system's files (as `backmap build` writes them) and every frame is
   relaxed by the restrained protocol of the all-atom work (minimisation_protocol.h) in a LAMMPS
   instance of its own on rank 0 (backmap_minimiser.h, shared with fix backmap/replica). Both
   run on rank 0 alone, so the frames are the same on any number of ranks. The fix's latest
   frame (compute backmap/rmsd, fix backmap/replica) stays the heavy atoms. */

#include "fix_backmap.h"

#include "comm.h"
#include "error.h"
#include "update.h"

#include "all_atom_frames.h"
#include "backmap_minimiser.h"
#include "force_field_folders.h"
#include "pdb_frame_writer.h"

using namespace LAMMPS_NS;

// The keywords' consistency, and the force field found and read (every rank, so that a wrong
// name stops the fix where it is defined, with the places searched).
void FixBackmap::check_all_atom_settings()
{
  if (minimize && !hydrogens)
    error->all(FLERR, "Fix backmap: minimize yes minimises the all-atom frame and needs hydrogens yes");
  if (!hydrogens) return;
  if (chunk > 0)
    error->all(FLERR, "Fix backmap: hydrogens yes needs whole frames on rank 0 (disulfides and termini span chains); "
               "drop the chunk keyword");
  try {
    BACKMAP::find_force_field(force_field);
  } catch (const std::exception &e) {
    error->all(FLERR, "Fix backmap: forcefield {}", e.what());    // (it names the force field)
  }
  std::string failure;
  if (comm->me == 0) {
    try {
      all_atom = std::make_unique<BACKMAP::AllAtomFrames>(force_field);
      if (minimize) minimiser = std::make_unique<BackmapMinimiser>(files_prefix);
    } catch (const std::exception &e) {
      failure = "forcefield " + force_field + ": " + e.what();    // (a file of the force field)
    }
  }
  stop_if_failed_on_root(failure);
  if (comm->me == 0)
    utils::logmesg(lmp, "Fix backmap: frames written with hydrogens{} by force field {}{}\n",
                   minimize ? " and minimised" : "", all_atom->folder(),
                   minimize ? " (all-atom files " + files_prefix + ".*)" : "");
}

// rank 0: the frame as the dump gets it; the atoms written
long FixBackmap::write_whole_frame(const BACKMAP::Structure &heavy)
{
  const long step = static_cast<long>(update->ntimestep);
  if (!hydrogens) {
    writer->write(heavy, step);
    return static_cast<long>(heavy.atom_count());
  }
  BACKMAP::Structure atoms;
  try {
    atoms = all_atom_frame(heavy);
  } catch (const std::exception &e) {
    throw std::runtime_error(fmt::format("step {}: {}", step, e.what()));
  }
  writer->write(atoms, step);
  return static_cast<long>(atoms.atom_count());
}

// rank 0: `heavy` with its hydrogens, minimised with minimize yes
BACKMAP::Structure FixBackmap::all_atom_frame(const BACKMAP::Structure &heavy)
{
  BACKMAP::AllAtomSystem system;
  try {
    system = all_atom->build(heavy);
  } catch (const std::exception &e) {
    throw std::runtime_error(std::string("the hydrogens of the frame (force field ") + all_atom->folder() +
                             "): " + e.what());
  }
  BACKMAP::Structure atoms = system.structure();
  atoms.title = heavy.title;
  if (!minimize) return atoms;
  if (!all_atom_files_written) {
    all_atom->write_files(system, files_prefix, "BACKMAP all-atom system of fix backmap " + std::string(id),
                          files_prefix + ".top (fix backmap " + std::string(id) + ")");
    all_atom_files_written = true;
  }
  std::vector<double> x;
  x.reserve(3 * atoms.atom_count());
  for (const auto &r : atoms.residues)
    for (const auto &a : r.atoms) x.insert(x.end(), {a.position.x(), a.position.y(), a.position.z()});
  try {
    minimiser->minimise(x, protocol, &heavy.box);
  } catch (const std::exception &e) {
    throw std::runtime_error(std::string("minimising the all-atom frame: ") + e.what());
  }
  std::size_t k = 0;
  for (auto &r : atoms.residues)
    for (auto &a : r.atoms) {
      a.position = BACKMAP::Vec3(x[k], x[k + 1], x[k + 2]);
      k += 3;
    }
  return atoms;
}

// Every rank stops with rank 0's message when `failure` (rank 0's) is not empty. Collective.
void FixBackmap::stop_if_failed_on_root(const std::string &failure)
{
  int length = static_cast<int>(failure.size());
  MPI_Bcast(&length, 1, MPI_INT, 0, world);
  if (length == 0) return;
  std::string message = failure;
  message.resize(length);
  MPI_Bcast(message.data(), length, MPI_CHAR, 0, world);
  error->all(FLERR, "Fix backmap: {}", message);
}
