/* BACKMAP core, metrics: a residue of the reference paired with the prediction's residue (same
   chain, number and insertion code), their heavy atoms under the mapping's canonical names; what
   the scores (metrics.cpp), the geometry checks (geometry_checks.cpp) and the distributions
   (distributions.cpp) read. */
#ifndef BACKMAP_MATCHED_RESIDUE_H
#define BACKMAP_MATCHED_RESIDUE_H

#include "elements.h"
#include "mapping_set.h"
#include "structure.h"

#include <map>
#include <string>

namespace BACKMAP {

struct MatchedResidue {
  const Residue *ref = nullptr, *pred = nullptr;
  const MoleculeMapping *mapping = nullptr;
  std::map<std::string, Vec3> ref_atoms, pred_atoms;    // canonical names
};

inline bool is_heavy_atom(const Atom &a)
{
  return !a.element.empty() ? !is_hydrogen(a.element) : !(a.name[0] == 'H');
}

// The first mapping that takes a residue of this name, or none.
inline const MoleculeMapping *molecule_mapping_of(const MappingSet &mappings, const std::string &resname)
{
  const auto c = mappings.candidates(resname);
  return c.empty() ? nullptr : c.front();
}

// An atom's name as its mapping spells it (aliases resolved), else as given.
inline std::string canonical_atom_name(const MoleculeMapping *m, const std::string &name)
{
  if (!m) return name;
  const int k = m->find_atom(name);
  return k >= 0 ? m->atoms[k].name : name;
}

}    // namespace BACKMAP

#endif
