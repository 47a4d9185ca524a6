#include "residue_routing.h"

#include "peptide_link.h"

#include <map>
#include <string>

namespace BACKMAP {

namespace {

// The mapping a model would use for residue `r` by name (its first candidate), or nullptr.
const MoleculeMapping *named_mapping(const ModelSet &models, std::size_t model, const Residue &r)
{
  const auto candidates = models.model(model).mappings().candidates(r.name);
  return candidates.empty() ? nullptr : candidates.front();
}

// The residue's first bead as the peptide link reads it (the mapping's bead 0, BB for Martini),
// or nullptr when the residue has no such bead.
const Atom *first_bead(const Residue &r, const MoleculeMapping &m)
{
  const int k = r.find_atom(m.beads.front().name);
  return k < 0 ? nullptr : &r.atoms[k];
}

}    // namespace

std::vector<int> chain_stretches(const Structure &cg, const ModelSet &models)
{
  std::vector<int> stretch(cg.residues.size(), -1);
  int next = 0;
  const Atom *previous_bead = nullptr;    // of the previous residue, when it is an amino acid
  const Residue *previous = nullptr;
  for (std::size_t ri = 0; ri < cg.residues.size(); ++ri) {
    const Residue &r = cg.residues[ri];
    const Atom *bead = nullptr;
    for (std::size_t mi = 0; mi < models.size() && !bead; ++mi) {
      const MoleculeMapping *m = named_mapping(models, mi, r);
      if (m && m->kind == MoleculeKind::AminoAcid) bead = first_bead(r, *m);
    }
    bool continues = false;
    if (bead && previous_bead && previous->chain == r.chain && follows_in_numbering(previous->number, r.number)) {
      Vec3 d = bead->position - previous_bead->position;
      if (cg.box.periodic) d = cg.box.minimum_image(d);
      continues = d.norm() < max_backbone_bead_link;
    }
    stretch[ri] = continues ? stretch[ri - 1] : next++;
    previous_bead = bead;
    previous = &r;
  }
  return stretch;
}

std::vector<int> route_residues(const Structure &cg, const ModelSet &models)
{
  const std::vector<int> stretch = chain_stretches(cg, models);
  // per stretch and model: how many of the stretch's residues the model knows by name
  std::map<std::pair<int, std::size_t>, int> known;
  for (std::size_t ri = 0; ri < cg.residues.size(); ++ri)
    for (std::size_t mi = 0; mi < models.size(); ++mi)
      if (named_mapping(models, mi, cg.residues[ri])) ++known[{stretch[ri], mi}];
  std::vector<int> owner(cg.residues.size(), -1);
  for (std::size_t ri = 0; ri < cg.residues.size(); ++ri) {
    int best = -1, best_count = 0;
    bool tie = false;
    for (std::size_t mi = 0; mi < models.size(); ++mi) {
      if (!named_mapping(models, mi, cg.residues[ri])) continue;
      const int count = known[{stretch[ri], mi}];
      if (count > best_count) {
        best = static_cast<int>(mi);
        best_count = count;
        tie = false;
      } else if (count == best_count) {
        tie = true;
      }
    }
    if (tie) {
      std::size_t first = ri, last = ri;
      while (first > 0 && stretch[first - 1] == stretch[ri]) --first;
      while (last + 1 < cg.residues.size() && stretch[last + 1] == stretch[ri]) ++last;
      std::string claimants;
      for (std::size_t mi = 0; mi < models.size(); ++mi)
        if (named_mapping(models, mi, cg.residues[ri]) && known[{stretch[ri], mi}] == best_count)
          claimants += (claimants.empty() ? "" : " and ") + models.path(mi);
      throw ModelError("residue " + cg.residues[ri].label() + " (chain stretch " + cg.residues[first].label() + " to " +
                       cg.residues[last].label() + ") is claimed equally by " + claimants + ": each knows " +
                       std::to_string(best_count) + " of the stretch's " + std::to_string(last - first + 1) +
                       " residues; backmap this stretch with one model only (in a run of its own, or with a copy of "
                       "the other model without the molecule: backmap model FILE --molecules ... -o COPY)");
    }
    owner[ri] = best;
  }
  return owner;
}

}    // namespace BACKMAP
