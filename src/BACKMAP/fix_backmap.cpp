/* BACKMAP package: fix backmap. A thin adapter: LAMMPS arrays in, the core's
   TopologyBackmapper does the work, rank 0 writes the frames. */

#include "fix_backmap.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "force.h"
#include "pair.h"
#include "group.h"
#include "modify.h"
#include "output.h"
#include "dump.h"
#include "neighbor.h"
#include "update.h"

#include "model.h"
#include "file_formats.h"
#include "pdb_frame_writer.h"
#include "structure_io.h"
#include "model_set.h"
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
  if (narg < 4) error->all(FLERR, "Illegal fix backmap command: expected fix ID group backmap MODEL keyword value ...");
  // one or more model files, up to the first keyword
  static const char *keywords[] = {"topology", "every", "dump", "threads", "chunk", "refine", "format"};
  auto is_keyword = [&](const char *word) {
    for (const char *k : keywords)
      if (strcmp(word, k) == 0) return true;
    return false;
  };
  int iarg = 3;
  std::string format_name;
  for (; iarg < narg && !is_keyword(arg[iarg]); ++iarg) model_files.emplace_back(arg[iarg]);
  if (model_files.empty()) error->all(FLERR, "Illegal fix backmap command: expected a model file before {}", arg[3]);
  nevery = 0;
  for (; iarg < narg; iarg += 2) {
    if (iarg + 1 >= narg) error->all(FLERR, "Illegal fix backmap command: keyword {} needs a value", arg[iarg]);
    if (strcmp(arg[iarg], "topology") == 0) topology_file = arg[iarg + 1];
    else if (strcmp(arg[iarg], "every") == 0) nevery = utils::inumeric(FLERR, arg[iarg + 1], false, lmp);
    else if (strcmp(arg[iarg], "dump") == 0) dump_file = arg[iarg + 1];
    else if (strcmp(arg[iarg], "threads") == 0) threads = utils::inumeric(FLERR, arg[iarg + 1], false, lmp);
    else if (strcmp(arg[iarg], "chunk") == 0) chunk = utils::bnumeric(FLERR, arg[iarg + 1], false, lmp);
    else if (strcmp(arg[iarg], "refine") == 0) {
      if (strcmp(arg[iarg + 1], "yes") == 0) refine = true;
      else if (strcmp(arg[iarg + 1], "no") == 0) refine = false;
      else error->all(FLERR, "Fix backmap: refine must be yes or no, not {}", arg[iarg + 1]);
    }
    else if (strcmp(arg[iarg], "format") == 0) format_name = arg[iarg + 1];
    else error->all(FLERR, "Illegal fix backmap command: unknown keyword {}", arg[iarg]);
  }
  if (nevery <= 0) error->all(FLERR, "Fix backmap needs 'every N' with N > 0");
  if (topology_file.empty()) error->all(FLERR, "Fix backmap needs 'topology DATA_FILE' (the data file backmap map wrote)");
  if (dump_file.empty()) error->all(FLERR, "Fix backmap needs 'dump FILE' (its format: the format keyword, else the extension, else PDB)");
  if (threads < 1) error->all(FLERR, "Fix backmap: threads must be at least 1");
  if (chunk < 0) error->all(FLERR, "Fix backmap: chunk must be 0 (all beads at once) or a positive bead count");
  // the frames must never overwrite an input
  std::vector<std::string> inputs = model_files;
  inputs.push_back(topology_file);
  for (const std::string &input : inputs)
    if (BACKMAP::same_file(input, dump_file))
      error->all(FLERR, "Fix backmap: dump {} is the fix's input {}; choose another file name", dump_file, input);
  // the format keyword, else the dump's extension (the core's format registry), else PDB
  try {
    format = BACKMAP::frame_writer_format(dump_file, format_name);
  } catch (const std::exception &e) {
    error->all(FLERR, "Fix backmap: {}", e.what());
  }

  BACKMAP::Structure topology;
  try {
    BACKMAP::Model::set_threads(threads);
    models = std::make_unique<BACKMAP::ModelSet>(BACKMAP::ModelSet::load(model_files));
    topology = BACKMAP::read_structure(topology_file);
    for (std::size_t m = 0; m < models->size(); ++m) {
      try {
        backmappers.push_back(std::make_unique<BACKMAP::TopologyBackmapper>(models->model(m), topology));
      } catch (const std::exception &e) {
        throw std::runtime_error(model_files[m] + ": " + e.what());
      }
      for (const auto &molecule : models->model(m).mappings().molecules()) all_mappings.add(molecule);
    }
  } catch (const std::exception &e) {
    error->all(FLERR, "Fix backmap: {}", e.what());
  }
  if (comm->me == 0) {
    std::size_t virtual_sites = 0;
    for (std::size_t m = 0; m < models->size(); ++m) {
      const auto &model = models->model(m);
      utils::logmesg(lmp, "Fix backmap: model {} (mapping '{}', cutoff {} A), {} beads in {} residues backmapped\n",
                     model_files[m], model.mapping_name(), model.cutoff(), backmappers[m]->bead_count(),
                     backmappers[m]->residue_count());
      if (refine && model.geometry().empty())
        utils::logmesg(lmp, "Fix backmap: {} carries no ideal geometry; its residues are written unrefined\n",
                       model_files[m]);
      virtual_sites += backmappers[m]->virtual_sites();    // each residue is one model's
    }
    // residues no model knows
    std::vector<std::string> unknown;
    for (const auto &skip : backmappers[0]->skipped())
      if (!models->knows(topology.residues[skip.residue].name)) unknown.push_back(skip.label + ": " + skip.reason);
    if (!unknown.empty())
      utils::logmesg(lmp, "Fix backmap: {} residues of the topology are not backmapped (e.g. {})\n", unknown.size(),
                     unknown[0]);
    if (virtual_sites > 0)
      utils::logmesg(lmp, "Fix backmap: {} virtual sites that carry no atoms (GoMartini / water-bias CA) are left out\n",
                     virtual_sites);
    writer = std::make_unique<BACKMAP::PdbFrameWriter>(dump_file, format);
  }
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
  for (std::size_t m = 0; m < models->size(); ++m) cutoff = std::max(cutoff, models->model(m).cutoff());
  const double needed = cutoff + neighbor->skin;
  const double pair_cut = force->pair ? force->pair->cutforce + neighbor->skin : 0.0;
  if (std::max(pair_cut, comm->cutghostuser) < needed) comm->cutghostuser = needed;
  // No LAMMPS neighbour list: those drop pairs whose special_bonds weight is 0 (bonded beads
  // under Martini's 'special_bonds lj 0.0 1.0 1.0'), and the network must see every bead
  // within its cutoff, as in training. The fix searches owned and ghost beads itself.
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

// Stage 4 and the sink. The topology is cut into blocks of whole chains; in rounds of one
// block per rank, every rank sends its beads' records (bead, unwrapped position, K vectors)
// to the block's rank, which places and refines the block's atoms (chains are independent,
// so the result does not depend on which rank does it) and sends their coordinates to rank
// 0, which writes them. Placement and refinement, most of a frame's serial cost, divide over
// the ranks; each rank holds one block at a time.
void FixBackmap::place_and_write(const Collected &frame, const std::vector<std::vector<BACKMAP::Vec3>> &vectors,
                                 bool write)
{
  const int me = comm->me, nprocs = comm->nprocs;
  // the work: every model's blocks of whole chains of a few thousand beads (fewer with a
  // smaller chunk), model by model; with chunk the frame is written block by block, without
  // it whole, in the topology's residue order
  struct Task {
    std::size_t model;
    std::pair<std::size_t, std::size_t> block;
  };
  std::vector<Task> tasks;
  std::vector<std::vector<std::pair<int, std::size_t>>> mine(backmappers.size());    // per model: (bead, index) owned
  for (std::size_t m = 0; m < backmappers.size(); ++m) {
    for (const auto &block : backmappers[m]->blocks(static_cast<std::size_t>(
             chunk > 0 ? std::min<bigint>(chunk, placement_block_beads) : placement_block_beads)))
      tasks.push_back({m, block});
    for (std::size_t i = 0; i < frame.owned; ++i) {
      const int bead = backmappers[m]->bead_of_id(frame.ids[i]);
      if (bead >= 0) mine[m].emplace_back(bead, i);
    }
    std::sort(mine[m].begin(), mine[m].end());
  }
  const bool in_parts = chunk > 0 && tasks.size() > 1;
  BACKMAP::Box box;
  box.periodic = domain->xperiodic || domain->yperiodic || domain->zperiodic;
  box.vectors << domain->xprd, 0, 0, domain->xy, domain->yprd, 0, domain->xz, domain->yz, domain->zprd;
  const std::string title = "timestep " + std::to_string(update->ntimestep);
  std::vector<std::pair<int, BACKMAP::Residue>> whole;    // rank 0, unless in parts: (topology residue, atoms)
  long natoms = 0, unconverged_here = 0;
  // rank 0 fills the last whole frame in place (see below)
  const bool refill = me == 0 && !in_parts && latest && !latest_slot.empty();
  std::vector<std::size_t> next(backmappers.size(), 0);    // per model: first of `mine` not sent yet
  try {
    if (me == 0 && in_parts && write) writer->begin_frame(title, box, static_cast<long>(update->ntimestep));
  } catch (const std::exception &e) {
    error->one(FLERR, "Fix backmap: {}", e.what());
  }
  for (std::size_t round = 0; round < tasks.size(); round += nprocs) {
    // records for the task of each rank in this round: bead, unwrapped position, K vectors
    std::vector<int> send_counts(nprocs, 0), recv_counts(nprocs), send_displs(nprocs, 0), recv_displs(nprocs, 0);
    std::vector<double> send;
    for (int p = 0; p < nprocs && round + p < tasks.size(); ++p) {
      const Task &task = tasks[round + p];
      const int K = backmappers[task.model]->slots();
      const auto &own = mine[task.model];
      std::size_t &k = next[task.model];
      const std::size_t before = send.size();
      for (; k < own.size() && static_cast<std::size_t>(own[k].first) < task.block.second; ++k) {
        const auto [bead, i] = own[k];
        send.push_back(static_cast<double>(bead));
        for (int d = 0; d < 3; ++d) send.push_back(frame.unwrapped[i][d]);
        for (int s = 0; s < K; ++s)
          for (int d = 0; d < 3; ++d) send.push_back(vectors[task.model][i * K + s][d]);
      }
      send_counts[p] = static_cast<int>(send.size() - before);
    }
    for (int p = 1; p < nprocs; ++p) send_displs[p] = send_displs[p - 1] + send_counts[p - 1];
    MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, world);
    for (int p = 1; p < nprocs; ++p) recv_displs[p] = recv_displs[p - 1] + recv_counts[p - 1];
    std::vector<double> records(recv_displs.back() + recv_counts.back());
    MPI_Alltoallv(send.data(), send_counts.data(), send_displs.data(), MPI_DOUBLE, records.data(), recv_counts.data(),
                  recv_displs.data(), MPI_DOUBLE, world);
    // this rank's task: its atoms' coordinates, in the block's atom order
    std::vector<double> coordinates;
    if (round + me < tasks.size()) {
      const Task &task = tasks[round + me];
      BACKMAP::RefinementReport report;
      const BACKMAP::Structure part = place_block(task.model, task.block, records, report);
      unconverged_here += report.unconverged;
      coordinates.reserve(3 * part.atom_count());
      for (const auto &r : part.residues)
        for (const auto &a : r.atoms) coordinates.insert(coordinates.end(), a.position.data(), a.position.data() + 3);
    }
    const std::vector<double> all = gather_on_root(coordinates);
    if (me != 0) continue;
    // rank 0: the blocks' atoms named from the topology, their coordinates from their ranks.
    // A whole frame after the first takes the names from the last frame, whose atoms are the
    // same in the same order: no placement here, only the coordinates copied in.
    std::size_t offset = 0;
    if (refill) {
      for (int p = 0; p < nprocs && round + p < tasks.size(); ++p) {
        const Task &task = tasks[round + p];
        for (int r : backmappers[task.model]->block_residues(task.block))
          for (auto &a : latest->residues[latest_slot[r]].atoms) {
            if (offset + 3 > all.size()) break;
            a.position = BACKMAP::Vec3(all[offset], all[offset + 1], all[offset + 2]);
            offset += 3;
          }
      }
      if (offset != all.size()) error->one(FLERR, "Fix backmap: internal error: block atoms do not match the last frame");
      continue;
    }
    for (int p = 0; p < nprocs && round + p < tasks.size(); ++p) {
      const Task &task = tasks[round + p];
      BACKMAP::Structure part = backmappers[task.model]->block_skeleton(task.block);
      for (auto &r : part.residues)
        for (auto &a : r.atoms) {
          a.position = BACKMAP::Vec3(all[offset], all[offset + 1], all[offset + 2]);
          offset += 3;
        }
      natoms += static_cast<long>(part.atom_count());
      try {
        if (in_parts) {
          if (write) writer->write_part(part);
        } else {
          const std::vector<int> index = backmappers[task.model]->block_residues(task.block);
          for (std::size_t r = 0; r < part.residues.size(); ++r) whole.emplace_back(index[r], std::move(part.residues[r]));
        }
      } catch (const std::exception &e) {
        error->one(FLERR, "Fix backmap: {}", e.what());
      }
    }
    if (offset != all.size()) error->one(FLERR, "Fix backmap: internal error: block atoms do not match their skeletons");
  }
  try {
    if (me == 0 && in_parts) {
      if (write) writer->end_frame();
      latest.reset();    // no whole frame is kept (compute backmap/rmsd needs chunk 0)
      latest_slot.clear();
    } else if (refill) {
      latest->title = title;
      latest->box = box;
      natoms = static_cast<long>(latest->atom_count());
      if (write) writer->write(*latest, static_cast<long>(update->ntimestep));
    } else if (me == 0) {
      // several models: their residues back in the topology's order
      std::stable_sort(whole.begin(), whole.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
      BACKMAP::Structure frame_atoms;
      frame_atoms.title = title;
      frame_atoms.box = box;
      latest_slot.clear();
      for (auto &entry : whole) {
        if (entry.first >= static_cast<int>(latest_slot.size())) latest_slot.resize(entry.first + 1, -1);
        latest_slot[entry.first] = static_cast<int>(frame_atoms.residues.size());
        frame_atoms.residues.push_back(std::move(entry.second));
      }
      if (write) writer->write(frame_atoms, static_cast<long>(update->ntimestep));
      latest = std::make_unique<BACKMAP::Structure>(std::move(frame_atoms));
    }
  } catch (const std::exception &e) {
    error->one(FLERR, "Fix backmap: {}", e.what());
  }
  MPI_Bcast(&natoms, 1, MPI_LONG, 0, world);
  atoms_last = natoms;
  long unconverged_now = 0;
  MPI_Allreduce(&unconverged_here, &unconverged_now, 1, MPI_LONG, MPI_SUM, world);
  if (unconverged_now > 0 && unconverged == 0 && me == 0)
    error->warning(FLERR, "Fix backmap: step {}: the geometry refinement of {} chain(s) stopped at its iteration "
                   "limit with the cost still falling slowly (usual for whole proteins); f_{}[4] counts them", update->ntimestep, unconverged_now,
                   id);
  unconverged += unconverged_now;
}

// A topology of another system whose atom IDs all exist here cannot be told by the IDs. The
// masses can: `backmap map` writes each bead's mass, so beads whose masses here differ from the
// topology's are reported once (a warning, not an error: a force field may set its own masses,
// Martini's 72/54/36 for instance).
void FixBackmap::warn_about_masses()
{
  if (masses_checked) return;
  masses_checked = true;
  bigint differ = 0, compared = 0;
  tagint example = 0;
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(atom->mask[i] & groupbit)) continue;
    for (const auto &backmapper : backmappers) {
      const int bead = backmapper->bead_of_id(atom->tag[i]);
      if (bead < 0 || backmapper->mass_of_bead(bead) <= 0) continue;
      const double here = atom->rmass ? atom->rmass[i] : atom->mass[atom->type[i]];
      ++compared;
      if (std::fabs(here - backmapper->mass_of_bead(bead)) > 0.01 * backmapper->mass_of_bead(bead)) {
        ++differ;
        if (!example) example = atom->tag[i];
      }
    }
  }
  bigint all[2] = {0, 0}, mine[2] = {differ, compared};
  MPI_Allreduce(mine, all, 2, MPI_LMP_BIGINT, MPI_SUM, world);
  tagint first = example ? example : MAXTAGINT, first_all = 0;
  MPI_Allreduce(&first, &first_all, 1, MPI_LMP_TAGINT, MPI_MIN, world);
  if (all[0] > 0 && comm->me == 0)
    error->warning(FLERR, "Fix backmap: {} of {} beads have other masses here than in topology {} (e.g. atom ID {}): "
                   "if this system is not the topology's, the frames are wrong", all[0], all[1], topology_file,
                   first_all);
}

// Every bead of the topology must be owned by exactly one rank and be in the group. When one is
// not, say why in the user's terms: atoms lost (a blow-up), an ID this system does not have (a
// topology of another system), or an atom outside the group. Collective.
void FixBackmap::check_every_bead_present(const std::vector<long> &ids, std::size_t owned)
{
  for (const auto &backmapper : backmappers) check_beads_of(*backmapper, ids, owned);
}

void FixBackmap::check_beads_of(const BACKMAP::TopologyBackmapper &backmapper, const std::vector<long> &ids,
                                std::size_t owned)
{
  bigint mine = 0;
  for (std::size_t i = 0; i < owned; ++i) mine += backmapper.bead_of_id(ids[i]) >= 0;
  bigint found = 0;
  MPI_Allreduce(&mine, &found, 1, MPI_LMP_BIGINT, MPI_SUM, world);
  if (found == static_cast<bigint>(backmapper.bead_count())) return;

  // the first missing bead, by topology order: each rank marks the beads it owns
  const int nbeads = static_cast<int>(backmapper.bead_count());
  std::vector<int> here(nbeads, 0), anywhere(nbeads, 0);
  for (std::size_t i = 0; i < owned; ++i) {
    const int bead = backmapper.bead_of_id(ids[i]);
    if (bead >= 0) here[bead] = 1;
  }
  MPI_Allreduce(here.data(), anywhere.data(), nbeads, MPI_INT, MPI_MAX, world);
  int missing = 0;
  while (missing < nbeads && anywhere[missing]) ++missing;
  const long id = backmapper.id_of_bead(missing);
  // does this system have that atom at all (owned by some rank, in the group or not)?
  int owns = 0, owns_all = 0;
  if (atom->map_style != Atom::MAP_NONE && id <= atom->map_tag_max) {
    const int local = atom->map(static_cast<tagint>(id));
    owns = local >= 0 && local < atom->nlocal;
  }
  MPI_Allreduce(&owns, &owns_all, 1, MPI_INT, MPI_MAX, world);
  bigint nlocal = atom->nlocal, now = 0;
  MPI_Allreduce(&nlocal, &now, 1, MPI_LMP_BIGINT, MPI_SUM, world);
  const std::string bead = fmt::format("bead {} (atom ID {}) of residue {}", missing + 1, id,
                                       backmapper.residue_of_bead(missing).label());
  if (now < atom->natoms)
    error->all(FLERR, "Fix backmap: atoms were lost at step {} ({} of {} remain; {} among them): the simulation "
               "blew up or atoms left a non-periodic box; no frame was written", update->ntimestep, now, atom->natoms, bead);
  if (!owns_all)
    error->all(FLERR, "Fix backmap: {} is in topology {} but this system has no atom ID {}: the topology is of "
               "another system", bead, topology_file, id);
  error->all(FLERR, "Fix backmap: {} is not in group {}; the group must hold every bead of the residues the "
             "model backmaps", bead, group->names[igroup]);
}

// Everyone's `send` on rank 0, in rank order (empty elsewhere).
std::vector<double> FixBackmap::gather_on_root(const std::vector<double> &send)
{
  int count = static_cast<int>(send.size());
  std::vector<int> counts(comm->nprocs), displs(comm->nprocs, 0);
  MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, world);
  std::vector<double> all;
  if (comm->me == 0) {
    for (int p = 1; p < comm->nprocs; ++p) displs[p] = displs[p - 1] + counts[p - 1];
    all.resize(displs.back() + counts.back());
  }
  MPI_Gatherv(send.data(), count, MPI_DOUBLE, all.data(), counts.data(), displs.data(), MPI_DOUBLE, 0, world);
  return all;
}

// The atoms of one block from its records (bead, unwrapped position, K vectors), on the rank
// the block was given to.
BACKMAP::Structure FixBackmap::place_block(std::size_t model, std::pair<std::size_t, std::size_t> block,
                                           const std::vector<double> &all, BACKMAP::RefinementReport &report)
{
  const auto &backmapper = backmappers[model];
  const int K = backmapper->slots(), stride = 4 + 3 * K;
  const std::size_t first = block.first, nbeads = block.second - block.first;
  std::vector<BACKMAP::Vec3> pos(nbeads, BACKMAP::Vec3::Constant(NAN)), vec(nbeads * K);
  std::size_t found = 0;
  for (std::size_t off = 0; off + stride <= all.size(); off += stride) {
    const std::size_t b = static_cast<std::size_t>(all[off]) - first;
    pos[b] = BACKMAP::Vec3(all[off + 1], all[off + 2], all[off + 3]);
    for (int k = 0; k < K; ++k)
      vec[b * K + k] = BACKMAP::Vec3(all[off + 4 + 3 * k], all[off + 5 + 3 * k], all[off + 6 + 3 * k]);
    ++found;
  }
  if (found != nbeads) {
    for (std::size_t b = 0; b < nbeads; ++b)
      if (!pos[b].allFinite()) {
        const int bead = static_cast<int>(first + b);
        error->one(FLERR, "Fix backmap: bead {} (atom ID {}) of residue {} is not in group {}; the group must hold "
                   "every bead of the residues the model backmaps", bead + 1, backmapper->id_of_bead(bead),
                   backmapper->residue_of_bead(bead).label(), group->names[igroup]);
      }
  }
  // each residue whole: beads at the image nearest its first bead
  std::size_t residue_first = 0;
  for (std::size_t b = 1; b < nbeads; ++b) {
    const int bead = static_cast<int>(first + b);
    if (&backmapper->residue_of_bead(bead) != &backmapper->residue_of_bead(bead - 1)) {
      residue_first = b;
      continue;
    }
    double d[3] = {pos[b].x() - pos[residue_first].x(), pos[b].y() - pos[residue_first].y(),
                   pos[b].z() - pos[residue_first].z()};
    domain->minimum_image(d);
    pos[b] = pos[residue_first] + BACKMAP::Vec3(d[0], d[1], d[2]);
  }
  try {
    backmapper->check_residue_shapes(block, pos);
    return backmapper->place_block(block, pos, vec, refine, &report);
  } catch (const std::exception &e) {
    error->one(FLERR, "Fix backmap: {}", e.what());
  }
  return {};
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
