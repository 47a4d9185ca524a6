/* BACKMAP core: a CG structure as the network reads it. Each CG residue is matched to the
   mapping whose beads it has; beads are put in the mapping's order, typed by the
   vocabulary, and given their chain and sequence position. */
#ifndef BACKMAP_CG_FRAME_H
#define BACKMAP_CG_FRAME_H

#include "bead_graph.h"
#include "bead_vocabulary.h"
#include "forward_mapping.h"

#include <string>
#include <vector>

namespace BACKMAP {

struct FrameResidue {
  const MoleculeMapping *mapping = nullptr;
  int cg_residue = -1;    // index in the CG structure
  int first_bead = -1;    // index in the frame of the mapping's bead 0
};

struct PreparedFrame {
  BeadFrame frame;
  std::vector<FrameResidue> residues;
  std::vector<SkippedResidue> skipped;
};

// Residues whose name or beads no mapping knows are skipped with the reason; beads with
// non-finite coordinates are an error naming the bead.
PreparedFrame prepare_frame(const Structure &cg, const MappingSet &mappings, const BeadVocabulary &vocabulary);

// Whether residue `r + 1` of the frame continues residue r's chain by a peptide bond (same
// chain, next in sequence, both amino acids): where a chain does not continue, it ends (OXT).
bool continues_chain(const PreparedFrame &frame, std::size_t r);

}    // namespace BACKMAP

#endif
