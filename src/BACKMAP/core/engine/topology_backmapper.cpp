#include "topology_backmapper.h"

#include "frame_refinement.h"
#include "memory_reuse.h"

#include <algorithm>

#include "backmapping.h"

#include <cstdio>
#include <limits>
#include <stdexcept>

namespace BACKMAP {

namespace {

// The farthest apart the centres of beads `a` and `b` of a molecule can be: each centre lies
// among its bead's atoms, and two atoms n bonds apart are at most about 1.3 n A apart (an
// all-trans chain of 1.54 A bonds at 109.5 degrees gains 1.26 A a bond), so the largest
// shortest path between an atom of one bead and an atom of the other bounds the distance of
// the centres.
double longest_reach(const MoleculeMapping &m, int a, int b)
{
  const std::size_t n = m.atoms.size();
  std::vector<std::vector<int>> neighbours(n);
  for (const auto &[x, y] : m.bonds) {
    neighbours[x].push_back(y);
    neighbours[y].push_back(x);
  }
  auto in_bead = [&](std::size_t atom, int bead) {
    for (const auto &share : m.atoms[atom].beads)
      if (share.bead == bead) return true;
    return false;
  };
  int longest = 0;
  for (std::size_t start = 0; start < n; ++start) {
    if (!in_bead(start, a)) continue;
    std::vector<int> hops(n, -1);
    std::vector<std::size_t> queue{start};
    hops[start] = 0;
    for (std::size_t q = 0; q < queue.size(); ++q)
      for (int next : neighbours[queue[q]])
        if (hops[next] < 0) {
          hops[next] = hops[queue[q]] + 1;
          queue.push_back(next);
        }
    for (std::size_t atom = 0; atom < n; ++atom)
      if (hops[atom] > longest && in_bead(atom, b)) longest = hops[atom];
  }
  return 1.3 * longest;
}

}    // namespace

TopologyBackmapper::TopologyBackmapper(const Model &model, const Structure &topology, const std::vector<bool> *only)
    : model_(model), topology_(topology)
{
  keep_freed_memory_for_reuse();    // the network allocates the same tensors every frame
  prepared_ = prepare_frame(topology_, model_.mappings(), model_.vocabulary(), only);
  for (const auto &s : prepared_.skipped)
    if (!model_.mappings().candidates(topology_.residues[s.residue].name).empty())
      throw ModelError("residue " + s.label + ": " + s.reason + " -- the model was trained for mapping '" +
                       model_.mapping_name() + "'");
  if (prepared_.residues.empty())
    throw ModelError("no residue of the topology is known to the model (trained for mapping '" +
                     model_.mapping_name() + "')");
  ids_.resize(prepared_.frame.size());
  residue_of_bead_.resize(prepared_.frame.size());
  spread_.resize(prepared_.frame.size());
  reach_.resize(prepared_.frame.size());
  masses_.resize(prepared_.frame.size());
  for (const FrameResidue &fr : prepared_.residues) {
    const Residue &r = topology_.residues[fr.cg_residue];
    for (std::size_t b = 0; b < fr.mapping->beads.size(); ++b) {
      const int bead = fr.first_bead + static_cast<int>(b);
      ids_[bead] = r.atoms[r.find_atom(fr.mapping->beads[b].name)].serial;
      masses_[bead] = r.atoms[r.find_atom(fr.mapping->beads[b].name)].mass;
      bead_of_id_[ids_[bead]] = bead;
      residue_of_bead_[bead] = fr.cg_residue;
      // prepare_frame has made each residue whole; a flexible molecule (a lipid tail) may
      // stretch beyond its topology's shape, up to what its bonds allow
      spread_[bead] = (prepared_.frame.positions[bead] - prepared_.frame.positions[fr.first_bead]).norm();
      reach_[bead] = longest_reach(*fr.mapping, 0, static_cast<int>(b));
    }
  }
}

int TopologyBackmapper::bead_of_id(long id) const
{
  auto it = bead_of_id_.find(id);
  return it == bead_of_id_.end() ? -1 : it->second;
}

const Residue &TopologyBackmapper::residue_of_bead(int bead) const
{
  return topology_.residues[residue_of_bead_[bead]];
}

void TopologyBackmapper::cell_list_neighbours(const std::vector<long> &ids, const std::vector<Vec3> &positions,
                                              std::size_t owned, NeighbourList &out) const
{
  // only the particles the model backmaps; owned ones first, as in `ids`
  std::vector<int> particle;
  std::vector<Vec3> points;
  std::size_t owned_beads = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (bead_of_id(ids[i]) < 0) continue;
    if (i < owned) ++owned_beads;
    particle.push_back(static_cast<int>(i));
    points.push_back(positions[i]);
  }
  NeighbourList near;
  neighbours_within(points, owned_beads, model_.cutoff(), near);
  // rows for every owned particle (empty for those the model does not backmap), in local indices
  out.clear();
  out.offsets.reserve(owned + 1);
  out.indices.reserve(near.indices.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < owned; ++i) {
    if (k < owned_beads && particle[k] == static_cast<int>(i)) {
      for (int j : near[k]) out.indices.push_back(particle[j]);
      ++k;
    }
    out.close_row();
  }
}

NeighbourList TopologyBackmapper::cell_list_neighbours(const std::vector<long> &ids, const std::vector<Vec3> &positions,
                                                       std::size_t owned) const
{
  NeighbourList out;
  cell_list_neighbours(ids, positions, owned, out);
  return out;
}

std::vector<Vec3> TopologyBackmapper::predict_owned(const std::vector<long> &ids, const std::vector<Vec3> &positions,
                                                    std::size_t owned, const NeighbourList &neighbours,
                                                    std::size_t chunk) const
{
  const int K = model_.slots();
  std::vector<int> bead(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) bead[i] = bead_of_id(ids[i]);
  // particles are taken in topology order, whichever process holds them and however they are
  // stored there: the frame, its edges and so the network's sums are the same on any number
  // of processes (ties are periodic images of one bead)
  auto topology_order = [&](int a, int b) { return bead[a] != bead[b] ? bead[a] < bead[b] : a < b; };
  std::vector<int> centres;
  for (std::size_t i = 0; i < owned; ++i)
    if (bead[i] >= 0) centres.push_back(static_cast<int>(i));
  std::sort(centres.begin(), centres.end(), topology_order);

  std::vector<Vec3> out(owned * K, Vec3::Constant(std::numeric_limits<double>::quiet_NaN()));
  const std::size_t step = chunk > 0 ? chunk : std::max<std::size_t>(1, centres.size());
  std::vector<int> frame_of(ids.size(), -1);
  for (std::size_t start = 0; start < centres.size(); start += step) {
    const std::size_t end = std::min(centres.size(), start + step);
    // this block's centres and every backmapped particle they see
    std::vector<int> members(centres.begin() + start, centres.begin() + end);
    for (std::size_t c = start; c < end; ++c)
      for (int j : neighbours[centres[c]])
        if (bead[j] >= 0) members.push_back(j);
    std::sort(members.begin(), members.end(), topology_order);
    members.erase(std::unique(members.begin(), members.end()), members.end());
    BeadFrame f;
    for (int p : members) {
      frame_of[p] = static_cast<int>(f.size());
      f.positions.push_back(positions[p]);
      f.types.push_back(prepared_.frame.types[bead[p]]);
      f.residue.push_back(prepared_.frame.residue[bead[p]]);
      f.chain.push_back(prepared_.frame.chain[bead[p]]);
      f.sequence.push_back(prepared_.frame.sequence[bead[p]]);
    }
    std::vector<int> centre_index;
    NeighbourList candidates;
    for (std::size_t c = start; c < end; ++c) {
      centre_index.push_back(frame_of[centres[c]]);
      for (int j : neighbours[centres[c]])
        if (bead[j] >= 0) candidates.indices.push_back(frame_of[j]);
      candidates.close_row();
    }
    // edges only around the centres: the other members are context, their own vectors unused
    const EdgeList edges = edges_from_neighbours(f, model_.cutoff(), centre_index, candidates);
    // the same refusal as the stand-alone path, naming topology beads
    const GeometryProblem problem = find_degenerate_geometry(f, edges, centre_index);
    if (problem.bead >= 0)
      throw std::runtime_error(describe_geometry_problem(prepared_, topology_, bead[members[problem.bead]],
                                                         problem.other >= 0 ? bead[members[problem.other]] : -1,
                                                         problem.distance));
    const std::vector<Vec3> v = model_.predict(f, edges);
    for (std::size_t c = start; c < end; ++c)
      for (int k = 0; k < K; ++k) out[centres[c] * K + k] = v[frame_of[centres[c]] * K + k];
    for (int p : members) frame_of[p] = -1;
  }
  return out;
}

std::vector<std::pair<std::size_t, std::size_t>> TopologyBackmapper::blocks(std::size_t beads) const
{
  std::vector<std::pair<std::size_t, std::size_t>> out;
  const auto &residues = prepared_.residues;
  std::size_t first = 0;
  for (std::size_t r = 0; r < residues.size(); ++r) {
    if (continues_chain(prepared_, r)) continue;
    const std::size_t end = r + 1 < residues.size() ? residues[r + 1].first_bead : prepared_.frame.size();
    if (end - first >= beads || r + 1 == residues.size()) {
      out.emplace_back(first, end);
      first = end;
    }
  }
  return out;
}

Structure TopologyBackmapper::block_skeleton(std::pair<std::size_t, std::size_t> block) const
{
  // which atoms placement writes depends on the mapping and the chain ends only, not on the
  // vectors: placed from zeros, unrefined
  const std::size_t n = block.second - block.first;
  return place_block(block, std::vector<Vec3>(n, Vec3::Zero()), std::vector<Vec3>(n * model_.slots(), Vec3::Zero()),
                     false);
}

// Residues are in bead order, so a block's residues are one run of them, found by bisection
// (this runs for every block of every frame).
std::pair<std::vector<FrameResidue>::const_iterator, std::vector<FrameResidue>::const_iterator>
TopologyBackmapper::residues_in(std::pair<std::size_t, std::size_t> block) const
{
  auto starts_before = [](const FrameResidue &fr, std::size_t bead) {
    return static_cast<std::size_t>(fr.first_bead) < bead;
  };
  const auto &all = prepared_.residues;
  return {std::lower_bound(all.begin(), all.end(), block.first, starts_before),
          std::lower_bound(all.begin(), all.end(), block.second, starts_before)};
}

std::vector<int> TopologyBackmapper::block_residues(std::pair<std::size_t, std::size_t> block) const
{
  std::vector<int> out;
  const auto [begin, end] = residues_in(block);
  for (auto it = begin; it != end; ++it) out.push_back(it->cg_residue);
  return out;
}

void TopologyBackmapper::check_residue_shapes(std::pair<std::size_t, std::size_t> block,
                                              const std::vector<Vec3> &positions, double slack) const
{
  const auto [begin, end] = residues_in(block);
  for (auto fr_it = begin; fr_it != end; ++fr_it) {
    const FrameResidue &fr = *fr_it;
    const std::size_t first = static_cast<std::size_t>(fr.first_bead);
    for (std::size_t b = 0; b < fr.mapping->beads.size(); ++b) {
      const std::size_t bead = first + b;
      const double now = (positions[bead - block.first] - positions[first - block.first]).norm();
      // wider than the topology by the slack, and than the bonds allow (a hard bound: 2 A margin)
      if (now > std::max(spread_[bead] + slack, reach_[bead] + 2.0)) {
        char text[160];
        std::snprintf(text, sizeof text, " is %.1f A from bead %s of its residue, %.1f A in the topology", now,
                      fr.mapping->beads[0].name.c_str(), spread_[bead]);
        throw std::runtime_error("bead " + fr.mapping->beads[b].name + " of residue " +
                                 topology_.residues[fr.cg_residue].label() + " (atom ID " +
                                 std::to_string(ids_[bead]) + ")" + text +
                                 ": the system is not the topology's, or the simulation blew up; no frame was written");
      }
    }
  }
}

Structure TopologyBackmapper::place_block(std::pair<std::size_t, std::size_t> block, const std::vector<Vec3> &positions,
                                          const std::vector<Vec3> &vectors, bool refine, RefinementReport *report) const
{
  const auto [first, end] = block;
  PreparedFrame p;
  const BeadFrame &f = prepared_.frame;
  auto slice = [&](const auto &v) { return std::decay_t<decltype(v)>(v.begin() + first, v.begin() + end); };
  p.frame.positions = positions;
  p.frame.types = slice(f.types);
  p.frame.residue = slice(f.residue);
  p.frame.chain = slice(f.chain);
  p.frame.sequence = slice(f.sequence);
  p.frame.box = f.box;
  const auto [begin, stop] = residues_in(block);
  for (auto it = begin; it != stop; ++it) {
    p.residues.push_back(*it);
    p.residues.back().first_bead -= static_cast<int>(first);
  }
  Structure out = place_frame_atoms(topology_, p, vectors, model_.slots());
  if (refine && !model_.geometry().empty()) {
    const RefinementReport r = refine_frame(out, p, model_.geometry());
    if (report) *report = r;
  }
  return out;
}

}    // namespace BACKMAP
