/* BACKMAP core: the exact-reconstruction check. Map a structure to beads, compute the
   hierarchy's target vectors from its atoms, place the atoms back from beads and vectors,
   and measure how far every atom lands from where it was. */
#ifndef BACKMAP_ROUNDTRIP_H
#define BACKMAP_ROUNDTRIP_H

#include "forward_mapping.h"
#include "mapping_set.h"
#include "structure.h"

#include <string>
#include <vector>

namespace BACKMAP {

// Classes of atoms the errors are reported for.
enum class AtomClass { Backbone, SideChain, Molecule };
const char *atom_class_name(AtomClass c);
AtomClass classify_atom(const MoleculeMapping &mapping, const std::string &atom_name);

struct ClassError {
  long atoms = 0;
  double max_error = 0.0;    // Angstrom
};

struct RoundtripReport {
  long residues_total = 0;
  long residues_mapped = 0;
  long atoms_reconstructed = 0;
  long hydrogens_not_backmapped = 0;    // present in the input, placed later by rules
  int orphan_hydrogens = 0;
  ClassError backbone, side_chain, molecule;
  std::vector<SkippedResidue> skipped;

  double max_error() const;
  ClassError &of(AtomClass c);
};

RoundtripReport roundtrip(const Structure &atomistic, const MappingSet &mappings);

}    // namespace BACKMAP

#endif
