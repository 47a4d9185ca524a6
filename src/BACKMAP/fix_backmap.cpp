/* BACKMAP package: fix backmap. A thin adapter: LAMMPS arrays in, the core's
   TopologyBackmapper does the work, rank 0 writes the frames. This file: the fix's hooks and
   the stages of a frame up to the network's vectors (the others: fix_backmap.h). */

#include "fix_backmap.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "force.h"
#include "pair.h"
#include "modify.h"
#include "output.h"
#include "dump.h"
#include "neighbor.h"
#include "update.h"

#include "all_atom_frames.h"
#include "backmap_minimiser.h"
#include "model_set.h"
#include "pdb_frame_writer.h"
#include "topology_backmapper.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <vector>

using namespace LAMMPS_NS;
using namespace FixConst;

FixBackmap::FixBackmap(LAMMPS *lmp, int narg, char **arg) :
    Fix(lmp, narg, arg), format(BACKMAP::FileFormat::Pdb), threads(1), refine(true), chunk(0), seconds(0.0), atoms_last(0), frames(0),
    last_step(-1)
{
  parse_keywords(narg, arg);    // fix_backmap_settings.cpp
  load_models();
  if (comm->me == 0) writer = std::make_unique<BACKMAP::PdbFrameWriter>(dump_file, format);
  restart_global = 1;
  vector_flag = 1;
  size_vector = 4;
  extvector = 0;
  global_freq = nevery;
}

FixBackmap::~FixBackmap() = default;

int FixBackmap::setmask()
{
  return END_OF_STEP;
}

void FixBackmap::init()
{
  if (atom->tag_enable == 0) error->all(FLERR, "Fix backmap requires atom IDs");
  // two writers of one file interleave their frames
  for (int i = 0; i < output->ndump; ++i)
    if (output->dump[i]->filename && dump_file == output->dump[i]->filename)
      error->all(FLERR, "Fix backmap: dump {} is also the file of dump {}; choose another file name", dump_file,
                 output->dump[i]->id);
  for (int i = 0; i < modify->nfix; ++i) {
    // any fix backmap, its Kokkos twin included
    auto *other = dynamic_cast<FixBackmap *>(modify->fix[i]);
    if (other && other != this && other->dump_file == dump_file)
      error->all(FLERR, "Fix backmap: fixes {} and {} both write {}; choose another file name", other->id, id,
                 dump_file);
  }
  if (strcmp(update->unit_style, "real") != 0 && strcmp(update->unit_style, "metal") != 0)
    error->all(FLERR, "Fix backmap: the model works in Angstrom; use units real or metal, not {}", update->unit_style);
  // ghosts must cover the model's cutoff around every owned bead until the next re-neighbouring
  // (raised only when the pair style's own cutoff does not already cover it)
  double cutoff = 0;
  for (const auto &b : backmappers) cutoff = std::max(cutoff, b->cutoff());
  const double needed = cutoff + neighbor->skin;
  const double pair_cut = force->pair ? force->pair->cutforce + neighbor->skin : 0.0;
  if (std::max(pair_cut, comm->cutghostuser) < needed) comm->cutghostuser = needed;
  // No LAMMPS neighbour list: those drop pairs whose special_bonds weight is 0 (bonded beads
  // under Martini's 'special_bonds lj 0.0 1.0 1.0'), and the network must see every bead
  // within its cutoff, as in training. The fix searches owned and ghost beads itself.
  if (minimize && !(domain->xperiodic && domain->yperiodic && domain->zperiodic))
    error->all(FLERR, "Fix backmap: minimize yes minimises the all-atom frame in the CG box, which must be periodic "
               "in x, y and z");
}

void FixBackmap::setup(int)
{
  warn_about_masses();
  if (update->ntimestep % nevery != 0) return;
  if (update->ntimestep != last_step) backmap_frame(true);
  // after read_restart (or a second run) on the step of the last frame: that frame is in the
  // file already; it is rebuilt in memory only, for compute backmap/rmsd in thermo
  // (decided on every rank alike: only rank 0 holds the frame, and rebuilding it is collective)
  else if (!frame_in_memory && chunk == 0) backmap_frame(false);
}

void FixBackmap::end_of_step()
{
  if (update->ntimestep != last_step) backmap_frame(true);
}

// one frame per timestep: a second run starting where the first ended does not repeat it

// Every model's residues, put in the topology's order as place_and_write puts the frame's.
std::vector<BACKMAP::CgResidueBeads> FixBackmap::frame_residues() const
{
  std::vector<std::pair<int, BACKMAP::CgResidueBeads>> all;
  for (const auto &backmapper : backmappers)
    for (const BACKMAP::FrameResidue &fr : backmapper->residues()) {
      BACKMAP::CgResidueBeads beads;
      beads.label = backmapper->topology().residues[fr.cg_residue].label();
      for (std::size_t b = 0; b < fr.mapping->beads.size(); ++b) {
        beads.names.push_back(fr.mapping->beads[b].name);
        beads.ids.push_back(backmapper->id_of_bead(fr.first_bead + static_cast<int>(b)));
      }
      all.emplace_back(fr.cg_residue, std::move(beads));
    }
  std::stable_sort(all.begin(), all.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
  std::vector<BACKMAP::CgResidueBeads> out;
  for (auto &entry : all) out.push_back(std::move(entry.second));
  return out;
}

void FixBackmap::backmap_frame(bool write)
{
  last_step = update->ntimestep;
  const auto start = std::chrono::steady_clock::now();
  Collected frame;
  collect(frame);
  check_every_bead_present(frame.ids, frame.owned);
  std::vector<std::vector<BACKMAP::Vec3>> vectors;
  for (std::size_t m = 0; m < backmappers.size(); ++m) vectors.push_back(predict(frame, m));
  place_and_write(frame, vectors, write);
  frame_in_memory = chunk == 0;    // every rank: rank 0 keeps the whole frame
  if (write) ++frames;
  seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::unique_ptr<BACKMAP::Structure> FixBackmap::backmap_current()
{
  Collected frame;
  collect(frame);
  check_every_bead_present(frame.ids, frame.owned);
  std::vector<std::vector<BACKMAP::Vec3>> vectors;
  for (std::size_t m = 0; m < backmappers.size(); ++m) vectors.push_back(predict(frame, m));
  std::unique_ptr<BACKMAP::Structure> frame_kept = std::move(latest);
  const long atoms_kept = atoms_last;
  place_and_write(frame, vectors, false);    // (chains it leaves unconverged count in f_ID[4] too)
  std::unique_ptr<BACKMAP::Structure> now = std::move(latest);
  latest = std::move(frame_kept);
  atoms_last = atoms_kept;
  return now;
}

// Stage 1: the group's owned and ghost atoms, owned first; owned ones also unwrapped.
void FixBackmap::collect(Collected &frame)
{
  const int nlocal = atom->nlocal, nall = atom->nlocal + atom->nghost;
  double **x = atom->x;
  int *mask = atom->mask;
  tagint *tag = atom->tag;
  for (int i = 0; i < nall; ++i) {
    if (!(mask[i] & groupbit)) continue;
    if (!std::isfinite(x[i][0]) || !std::isfinite(x[i][1]) || !std::isfinite(x[i][2]))
      error->one(FLERR, "Fix backmap: atom {} has non-finite coordinates", tag[i]);
    frame.ids.push_back(tag[i]);
    frame.positions.emplace_back(x[i][0], x[i][1], x[i][2]);
    if (i < nlocal) {
      double unwrapped[3];
      domain->unmap(x[i], atom->image[i], unwrapped);
      frame.unwrapped.emplace_back(unwrapped[0], unwrapped[1], unwrapped[2]);
      ++frame.owned;
    }
  }
}

// Stage 2: every backmapped bead within the cutoff of each owned one (own cell list: bonded
// or not, whatever special_bonds excludes); each model sees the beads of its own residues
// only, as in its training.
void FixBackmap::build_neighbours(const Collected &frame, std::size_t m, BACKMAP::NeighbourList &out)
{
  backmappers[m]->cell_list_neighbours(frame.ids, frame.positions, frame.owned, out);
}

// Stage 3: K vectors for each owned bead, from those neighbours.
std::vector<BACKMAP::Vec3> FixBackmap::predict(const Collected &frame, std::size_t m)
{
  const auto &backmapper = backmappers[m];
  std::vector<BACKMAP::Vec3> vectors;
  try {
    build_neighbours(frame, m, neighbours);
    vectors = backmapper->predict_owned(frame.ids, frame.positions, frame.owned, neighbours,
                                        static_cast<std::size_t>(chunk));
  } catch (const std::exception &e) {
    error->one(FLERR, "Fix backmap: {}", e.what());
  }
  return vectors;
}

// The frame count and last step survive a restart, so that a continued run appends to the
// same file with its models numbered on and does not repeat the last frame.
void FixBackmap::write_restart(FILE *fp)
{
  if (comm->me != 0) return;
  const double state[2] = {static_cast<double>(frames), static_cast<double>(last_step)};
  const int size = sizeof state;
  fwrite(&size, sizeof(int), 1, fp);
  fwrite(state, sizeof(double), 2, fp);
}

void FixBackmap::restart(char *buf)
{
  const auto *state = reinterpret_cast<double *>(buf);
  frames = static_cast<long>(state[0]);
  last_step = static_cast<bigint>(state[1]);
  if (writer) writer->continue_after(static_cast<int>(frames));
}

double FixBackmap::compute_vector(int n)
{
  if (n == 0) return static_cast<double>(atoms_last);
  if (n == 1) return seconds;
  if (n == 3) return static_cast<double>(unconverged);
  return static_cast<double>(frames);
}
