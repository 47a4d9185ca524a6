/* BACKMAP core: atomistic structure -> CG beads, as Martini 3 (martinize2) defines them. */
#ifndef BACKMAP_FORWARD_MAPPING_H
#define BACKMAP_FORWARD_MAPPING_H

#include "mapping_set.h"
#include "residue_matching.h"
#include "structure.h"

#include <string>
#include <vector>

namespace BACKMAP {

struct SkippedResidue {
  int residue = -1;      // index in the input structure
  std::string label;     // "A:HOH301"
  std::string reason;
};

struct MappedResidue {
  int residue = -1;      // index in the input structure
  ResidueMatch match;
  std::vector<Vec3> beads;    // positions, in the mapping's bead order
};

struct ForwardMapping {
  Structure atomistic;    // the input, with molecules made whole
  Structure cg;           // one CG residue per mapped residue, beads as atoms
  std::vector<MappedResidue> residues;
  std::vector<SkippedResidue> skipped;
  int orphan_hydrogens = 0;
};

// Bead centre: sum(w m x) / sum(w m) over the atoms (and hydrogens, by their rule) that
// contribute to it, w the atom's share of the bead; a bead with a centre atom sits on it.
std::vector<Vec3> bead_positions(const Residue &residue, const ResidueMatch &match);
std::vector<double> bead_masses(const Residue &residue, const ResidueMatch &match);

// The same centres as a linear map: per bead, the input atoms (indices into Residue::atoms)
// and their weights, summing to 1, so that bead = sum(weight * x). Hydrogens appear where
// their rule puts them in a centre; atoms outside every centre (`!BEAD`) do not appear. The
// resolution exchange needs the map itself, not only its result.
struct BeadAtomWeight {
  int atom = -1;
  double weight = 0.0;
};
std::vector<std::vector<BeadAtomWeight>> bead_atom_weights(const Residue &residue, const ResidueMatch &match);

// Maps every residue it can; what it cannot is listed in `skipped` with the reason.
ForwardMapping map_to_cg(const Structure &atomistic, const MappingSet &mappings);

}    // namespace BACKMAP

#endif
