/* BACKMAP core: which mapping, and which mapping atom, every atom of an input residue is. */
#ifndef BACKMAP_RESIDUE_MATCHING_H
#define BACKMAP_RESIDUE_MATCHING_H

#include "mapping_set.h"
#include "structure.h"

#include <string>
#include <vector>

namespace BACKMAP {

// An input hydrogen and the mapping atom whose rule it follows: an explicitly listed
// hydrogen of the mapping (its own rule) or the heavy atom it is bonded to (its `hydrogens`).
struct HydrogenMatch {
  int input_atom = -1;
  int mapping_atom = -1;
  bool explicit_atom = false;
};

struct ResidueMatch {
  const MoleculeMapping *mapping = nullptr;
  std::vector<int> input_of;    // per mapping atom: index into Residue::atoms, -1 if absent
  std::vector<HydrogenMatch> hydrogens;
  int orphan_hydrogens = 0;     // hydrogens bonded to no heavy atom of the residue: ignored
  std::string problem;          // why the residue cannot be mapped; empty when it can

  bool ok() const { return problem.empty() && mapping != nullptr; }
};

bool is_water_name(const std::string &residue_name);

// Tries every mapping that answers to the residue name and keeps the first that fits all
// heavy atoms (so an ambiguous alias like POP resolves by atom names).
ResidueMatch match_residue(const Residue &residue, const MappingSet &mappings);

}    // namespace BACKMAP

#endif
