#include "frame_backmapper.h"

#include "memory_reuse.h"

#include "backmapping.h"
#include "frame_refinement.h"
#include "residue_routing.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace BACKMAP {

FrameBackmapper::FrameBackmapper(const ModelSet &models, BackmapOptions options)
    : models_(models), options_(options)
{
  keep_freed_memory_for_reuse();    // the network allocates the same tensors every frame
}

bool FrameBackmapper::refines() const
{
  if (!options_.refine) return false;
  for (std::size_t i = 0; i < models_.size(); ++i)
    if (!models_.model(i).geometry().empty()) return true;
  return false;
}

Structure FrameBackmapper::backmap(const Structure &cg, FrameReport *report, Structure *unrefined)
{
  FrameReport local;
  FrameReport &r = report ? *report : local;
  r = FrameReport();
  // each model on the residues it knows: a model never sees beads of molecules it was not
  // trained on (a protein model sees no lipid beads), as in training
  std::vector<Residue> placed(cg.residues.size()), placed_unrefined(unrefined ? cg.residues.size() : 0);
  std::vector<bool> done(cg.residues.size(), false);
  if (first_.empty()) first_.resize(models_.size());
  if (frames_ == 0) owner_ = route_residues(cg, models_);
  else if (owner_.size() != cg.residues.size())
    throw std::runtime_error("this frame has " + std::to_string(cg.residues.size()) + " residues, the first frame " +
                             std::to_string(owner_.size()));
  for (std::size_t mi = 0; mi < models_.size(); ++mi) {
    const Model &model = models_.model(mi);
    std::vector<bool> mine(cg.residues.size());
    for (std::size_t ri = 0; ri < cg.residues.size(); ++ri) mine[ri] = owner_[ri] == static_cast<int>(mi);
    PreparedFrame prepared = prepare_frame(cg, model.mappings(), model.vocabulary(), &mine);
    for (const auto &s : prepared.skipped)
      if (!model.mappings().candidates(cg.residues[s.residue].name).empty())
        throw ModelError("residue " + s.label + ": " + s.reason + " -- the model " + models_.path(mi) +
                         " was trained for mapping '" + model.mapping_name() + "'");
    if (prepared.residues.empty()) continue;
    if (frames_ == 0) first_[mi] = prepared;
    else keep_links_of(prepared, first_[mi], cg);
    const EdgeList edges = build_edges(prepared.frame, model.cutoff());
    check_bead_geometry(prepared, cg, edges);
    const std::vector<Vec3> vectors = model.predict_in_chunks(prepared.frame, edges, options_.chunk);
    Structure out = place_frame_atoms(cg, prepared, vectors, model.slots());
    if (unrefined)
      for (std::size_t k = 0; k < prepared.residues.size(); ++k)
        placed_unrefined[prepared.residues[k].cg_residue] = out.residues[k];
    if (options_.refine && !model.geometry().empty()) {
      const auto start = std::chrono::steady_clock::now();
      const RefinementReport rr = refine_frame(out, prepared, model.geometry(), options_.refinement);
      r.refinement_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      r.refinement.problems += rr.problems;
      r.refinement.unconverged += rr.unconverged;
      r.refinement.iterations = std::max(r.refinement.iterations, rr.iterations);
    }
    r.beads += prepared.frame.size();
    r.virtual_sites += prepared.virtual_sites;
    for (std::size_t k = 0; k < prepared.residues.size(); ++k) {
      const int ri = prepared.residues[k].cg_residue;
      placed[ri] = std::move(out.residues[k]);
      done[ri] = true;
    }
  }
  Structure atoms;
  atoms.title = cg.title;
  atoms.box = cg.box;
  if (unrefined) {
    unrefined->residues.clear();
    unrefined->title = cg.title;
    unrefined->box = cg.box;
  }
  for (std::size_t ri = 0; ri < cg.residues.size(); ++ri) {
    if (done[ri]) {
      atoms.residues.push_back(std::move(placed[ri]));
      if (unrefined) unrefined->residues.push_back(std::move(placed_unrefined[ri]));
    } else {
      const Residue &res = cg.residues[ri];
      r.skipped.push_back({static_cast<int>(ri), res.label(),
                           is_water_name(res.name) ? "water (not mapped)"
                                                   : "no model for residue name " + res.name});
    }
  }
  if (atoms.residues.empty())
    throw ModelError("no residue is known to the model(s) (trained for mapping '" + models_.model(0).mapping_name() +
                     "'" + (models_.size() > 1 ? " and others" : "") + ")");
  ++frames_;
  return atoms;
}

}    // namespace BACKMAP
