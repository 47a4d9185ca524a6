/* BACKMAP core: the bead types a model knows (one per molecule and bead of its mapping set)
   and, for each, the slots the network fills: one per placement of the bead's hierarchy. */
#ifndef BACKMAP_BEAD_VOCABULARY_H
#define BACKMAP_BEAD_VOCABULARY_H

#include "mapping_set.h"

#include <map>
#include <string>
#include <vector>

namespace BACKMAP {

struct SlotInfo {
  std::string atom;
  int level = 1;
  int anchor_slot = -1;    // slot of the anchor atom in the same bead; -1: from the bead
};

struct BeadType {
  std::string molecule, bead;    // canonical molecule name, bead name
  const MoleculeMapping *mapping = nullptr;
  int bead_index = -1;           // in the mapping
  std::vector<SlotInfo> slots;
  std::string name() const { return molecule + ":" + bead; }
};

class BeadVocabulary {
 public:
  BeadVocabulary() = default;
  // `min_slots`: at least this many slots per bead (a model restricted to some of its
  // molecules keeps the slot count its network was built with).
  explicit BeadVocabulary(const MappingSet &mappings, int min_slots = 0);

  const std::vector<BeadType> &types() const { return types_; }
  int size() const { return static_cast<int>(types_.size()); }
  int max_slots() const { return max_slots_; }
  int first_type_of(const MoleculeMapping *mapping) const;                   // type of its bead 0

 private:
  std::vector<BeadType> types_;
  std::map<const MoleculeMapping *, int> first_;
  int max_slots_ = 0;
};

}    // namespace BACKMAP

#endif
