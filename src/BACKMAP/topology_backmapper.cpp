#include "topology_backmapper.h"

#include "backmapping.h"

#include <limits>

namespace BACKMAP {

TopologyBackmapper::TopologyBackmapper(const Model &model, const Structure &topology)
    : model_(model), topology_(topology)
{
  prepared_ = prepare_frame(topology_, model_.mappings(), model_.vocabulary());
  for (const auto &s : prepared_.skipped)
    if (!model_.mappings().candidates(topology_.residues[s.residue].name).empty())
      throw ModelError("residue " + s.label + ": " + s.reason + " -- the model was trained for mapping '" +
                       model_.mapping_name() + "'");
  if (prepared_.residues.empty())
    throw ModelError("no residue of the topology is known to the model (trained for mapping '" +
                     model_.mapping_name() + "')");
  ids_.resize(prepared_.frame.size());
  residue_of_bead_.resize(prepared_.frame.size());
  for (const FrameResidue &fr : prepared_.residues) {
    const Residue &r = topology_.residues[fr.cg_residue];
    for (std::size_t b = 0; b < fr.mapping->beads.size(); ++b) {
      const int bead = fr.first_bead + static_cast<int>(b);
      ids_[bead] = r.atoms[r.find_atom(fr.mapping->beads[b].name)].serial;
      bead_of_id_[ids_[bead]] = bead;
      residue_of_bead_[bead] = fr.cg_residue;
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

std::vector<Vec3> TopologyBackmapper::predict_owned(const std::vector<long> &ids, const std::vector<Vec3> &positions,
                                                    std::size_t owned) const
{
  const int K = model_.slots();
  BeadFrame f;    // no box: ghosts already stand for the periodic images
  std::vector<int> local_of(ids.size(), -1);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const int bead = bead_of_id(ids[i]);
    if (bead < 0) continue;
    local_of[i] = static_cast<int>(f.size());
    f.positions.push_back(positions[i]);
    f.types.push_back(prepared_.frame.types[bead]);
    f.residue.push_back(prepared_.frame.residue[bead]);
    f.chain.push_back(prepared_.frame.chain[bead]);
    f.sequence.push_back(prepared_.frame.sequence[bead]);
  }
  // edges only around owned beads: ghosts are context, their own predictions would be wrong
  EdgeList all = build_edges(f, model_.cutoff()), edges;
  std::vector<bool> is_owned(f.size(), false);
  for (std::size_t i = 0; i < owned; ++i)
    if (local_of[i] >= 0) is_owned[local_of[i]] = true;
  for (std::size_t e = 0; e < all.size(); ++e) {
    if (!is_owned[all.centre[e]]) continue;
    edges.centre.push_back(all.centre[e]);
    edges.neighbour.push_back(all.neighbour[e]);
    edges.vector.push_back(all.vector[e]);
    edges.relation.push_back(all.relation[e]);
  }
  const std::vector<Vec3> v = model_.predict(f, edges);
  std::vector<Vec3> out(owned * K, Vec3::Constant(std::numeric_limits<double>::quiet_NaN()));
  for (std::size_t i = 0; i < owned; ++i)
    if (local_of[i] >= 0)
      for (int k = 0; k < K; ++k) out[i * K + k] = v[local_of[i] * K + k];
  return out;
}

Structure TopologyBackmapper::place(const std::vector<Vec3> &positions, const std::vector<Vec3> &vectors) const
{
  PreparedFrame p = prepared_;
  p.frame.positions = positions;
  return place_frame_atoms(topology_, p, vectors, model_.slots());
}

}    // namespace BACKMAP
