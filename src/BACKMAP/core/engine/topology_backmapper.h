/* BACKMAP core: backmapping a running simulation. The CG topology (from `backmap map`'s data
   file) fixes once which residue and bead every particle ID is; each call then takes the
   particles a process holds (its own and its ghosts, which cover the cutoff around its own),
   predicts vectors for its own, and a single process places the atoms of whole residues. */
#ifndef BACKMAP_TOPOLOGY_BACKMAPPER_H
#define BACKMAP_TOPOLOGY_BACKMAPPER_H

#include "cg_frame.h"
#include "geometry_refinement.h"
#include "model.h"

#include <unordered_map>
#include <vector>

namespace BACKMAP {

class TopologyBackmapper {
 public:
  // Throws ModelError when a residue the model knows by name has beads it does not fit.
  // `only` (one flag per residue of the topology), where given, leaves out the residues it
  // does not flag: those route_residues gives another model of the set (residue_routing.h).
  TopologyBackmapper(const Model &model, const Structure &topology, const std::vector<bool> *only = nullptr);

  std::size_t bead_count() const { return prepared_.frame.size(); }
  std::size_t residue_count() const { return prepared_.residues.size(); }
  int slots() const { return model_.slots(); }
  double cutoff() const { return model_.cutoff(); }    // of the network's neighbours, A
  const std::vector<SkippedResidue> &skipped() const { return prepared_.skipped; }
  std::size_t virtual_sites() const { return prepared_.virtual_sites; }
  int bead_of_id(long id) const;    // -1 for particles the model does not backmap
  long id_of_bead(int bead) const { return ids_[bead]; }
  double mass_of_bead(int bead) const { return masses_[bead]; }    // from the topology; 0: unknown
  const Residue &residue_of_bead(int bead) const;
  // The backmapped residues, in the topology's order: each one's topology residue, mapping and
  // first bead (its beads are first_bead, first_bead + 1, ... in its mapping's bead order).
  const std::vector<FrameResidue> &residues() const { return prepared_.residues; }
  const Structure &topology() const { return topology_; }

  // `ids`/`positions` list local particles, the first `owned` of them owned by this process;
  // the rest must include every particle within the cutoff of an owned one. `neighbours[i]`
  // holds, for each owned particle, the local particles near it (at least all within the
  // cutoff; cell_list_neighbours). Returns K vectors for each
  // owned particle that the model backmaps (NaN rows for the others). `chunk` > 0 runs the
  // network on that many owned beads at a time, so that its memory does not grow with the
  // system; the vectors do not depend on it.
  std::vector<Vec3> predict_owned(const std::vector<long> &ids, const std::vector<Vec3> &positions,
                                  std::size_t owned, const NeighbourList &neighbours,
                                  std::size_t chunk = 0) const;
  // Neighbours within the cutoff of each owned particle that the model backmaps, among the
  // backmapped particles, from a cell list: whatever bonds join them and whatever a force
  // field excludes, so that the network sees what it saw in training.
  // One row per owned particle (empty for those it does not backmap), in local indices. The
  // first form refills `out`, whose buffers keep their capacity from frame to frame.
  void cell_list_neighbours(const std::vector<long> &ids, const std::vector<Vec3> &positions, std::size_t owned,
                            NeighbourList &out) const;
  NeighbourList cell_list_neighbours(const std::vector<long> &ids, const std::vector<Vec3> &positions,
                                     std::size_t owned) const;

  // The topology's beads cut into blocks [first, end) of whole chains (and whole other
  // molecules) of about `beads` beads each; a chain longer than that is a block of its own.
  std::vector<std::pair<std::size_t, std::size_t>> blocks(std::size_t beads) const;
  // The atoms place_block writes for `block` (residues, names, elements, the C-terminal
  // oxygen where a chain ends), their positions not set: what a process that did not place the
  // block fills with the coordinates it receives.
  Structure block_skeleton(std::pair<std::size_t, std::size_t> block) const;
  // The topology residue index of each residue of `block`, in order.
  std::vector<int> block_residues(std::pair<std::size_t, std::size_t> block) const;
  // Throws when a residue of the block is spread far wider than in the topology or than its
  // bonds allow, whichever is wider (beads more than `slack` A further from its first bead): a
  // frame that does not belong to this topology, or a simulation that blew up. `positions` as for place_block (residues whole).
  void check_residue_shapes(std::pair<std::size_t, std::size_t> block, const std::vector<Vec3> &positions,
                            double slack = 10.0) const;
  // The atoms of one block: `positions` and `vectors` (K per bead) hold the block's beads
  // only, each residue's beads whole. Refined (frame_refinement.h) when `refine` is set and
  // the model carries its ideal geometry; `report` (optional) receives the refinement's report.
  Structure place_block(std::pair<std::size_t, std::size_t> block, const std::vector<Vec3> &positions,
                        const std::vector<Vec3> &vectors, bool refine = true,
                        RefinementReport *report = nullptr) const;

 private:
  std::pair<std::vector<FrameResidue>::const_iterator, std::vector<FrameResidue>::const_iterator> residues_in(
      std::pair<std::size_t, std::size_t> block) const;

  const Model &model_;
  Structure topology_;
  PreparedFrame prepared_;
  std::vector<long> ids_;                    // per topology bead
  std::unordered_map<long, int> bead_of_id_;
  std::vector<int> residue_of_bead_;
  std::vector<double> spread_;    // per bead: distance from its residue's first bead in the topology
  std::vector<double> reach_;     // and the most its bonds allow
  std::vector<double> masses_;    // per bead: its distance from its residue's first bead in the topology
};

}    // namespace BACKMAP

#endif
