/* BACKMAP core, engine layer: the one way to backmap a CG frame, for the `backmap` tool and the
   benchmarks: give residues to the models of a set (residue_routing.h), check the CG geometry,
   run each model on its own residues (in chunks), place atoms, refine, and merge the residues
   back into the input's order. The frames of one trajectory keep the chain links and the
   routing of the first. */
#ifndef BACKMAP_FRAME_BACKMAPPER_H
#define BACKMAP_FRAME_BACKMAPPER_H

#include "cg_frame.h"
#include "geometry_refinement.h"
#include "model_set.h"

#include <string>
#include <vector>

namespace BACKMAP {

struct BackmapOptions {
  bool refine = true;
  std::size_t chunk = 20000;    // beads per network evaluation; 0: the whole frame at once
  RefinementOptions refinement;
};

struct FrameReport {
  std::size_t beads = 0;
  std::vector<SkippedResidue> skipped;    // residues no model knows (solvent, ions, ...)
  std::size_t virtual_sites = 0;
  RefinementReport refinement;
  double refinement_seconds = 0;    // wall time of the refinement, part of the frame's
};

class FrameBackmapper {
 public:
  FrameBackmapper(const ModelSet &models, BackmapOptions options);

  // The atoms of `cg`. Throws ModelError for a residue a model knows by name whose beads fit
  // none of its mappings (a model of another mapping) or that two models claim equally
  // (route_residues), and std::runtime_error for CG geometry
  // the network cannot answer for (by bead and residue) or a frame whose residues are not the
  // first frame's. With `unrefined`, the network's placement before refinement too, from the
  // same prediction and merged the same way (what benchmarks score beside the refined atoms).
  Structure backmap(const Structure &cg, FrameReport *report = nullptr, Structure *unrefined = nullptr);

  // Whether any model refines (has ideal geometry) when refinement is asked for.
  bool refines() const;

 private:
  const ModelSet &models_;
  BackmapOptions options_;
  std::vector<PreparedFrame> first_;    // per model: the first frame, whose chain links hold
  std::vector<int> owner_;              // per residue of the first frame: its model, -1 none
  long frames_ = 0;
};

}    // namespace BACKMAP

#endif
