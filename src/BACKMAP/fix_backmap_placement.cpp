/* BACKMAP package: fix backmap, stage 4 of a frame and its sink: the blocks of whole chains
   placed and refined over the ranks, their atoms named and written by rank 0. */

#include "fix_backmap.h"

#include "comm.h"
#include "domain.h"
#include "error.h"
#include "group.h"
#include "update.h"

#include "pdb_frame_writer.h"
#include "topology_backmapper.h"

#include <algorithm>
#include <cmath>

using namespace LAMMPS_NS;

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
      latest = std::make_unique<BACKMAP::Structure>(std::move(frame_atoms));
    }
  } catch (const std::exception &e) {
    error->one(FLERR, "Fix backmap: {}", e.what());
  }
  // a whole frame is written by rank 0 (with hydrogens yes, after they are added: a failure
  // there stops every rank with rank 0's message)
  if (write && !in_parts) {
    std::string failure;
    if (me == 0) {
      try {
        natoms = write_whole_frame(*latest);
      } catch (const std::exception &e) {
        failure = e.what();
      }
    }
    stop_if_failed_on_root(failure);
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
