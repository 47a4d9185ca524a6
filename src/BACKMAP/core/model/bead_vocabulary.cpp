#include "bead_vocabulary.h"

#include <algorithm>

namespace BACKMAP {

BeadVocabulary::BeadVocabulary(const MappingSet &mappings, int min_slots) : max_slots_(min_slots)
{
  for (const MoleculeMapping &m : mappings.molecules()) {
    first_[&m] = static_cast<int>(types_.size());
    for (std::size_t b = 0; b < m.beads.size(); ++b) {
      BeadType t;
      t.molecule = m.name;
      t.bead = m.beads[b].name;
      t.mapping = &m;
      t.bead_index = static_cast<int>(b);
      for (int p : m.beads[b].placements) {
        const Placement &pl = m.placements[p];
        SlotInfo slot;
        slot.atom = m.atoms[pl.atom].name;
        slot.level = pl.level;
        slot.anchor_slot = pl.anchor_placement >= 0 ? m.placements[pl.anchor_placement].slot : -1;
        t.slots.push_back(slot);
      }
      max_slots_ = std::max(max_slots_, static_cast<int>(t.slots.size()));
      types_.push_back(std::move(t));
    }
  }
}

int BeadVocabulary::first_type_of(const MoleculeMapping *mapping) const
{
  auto it = first_.find(mapping);
  return it == first_.end() ? -1 : it->second;
}

}    // namespace BACKMAP
