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
  // Virtual sites that carry no atoms (GoMartini's and martinize2 -water-bias's CA inside each
  // residue), left out of the frame: the network never saw them.
  std::size_t virtual_sites = 0;
};

// Whether a CG particle named `name` in a residue whose mapping has no bead of that name is a
// virtual site of a Martini protein model (martinize2 -go / -water-bias: CA).
bool is_virtual_site_name(const std::string &name);

// Residues whose name or beads no mapping knows are skipped with the reason; beads with
// non-finite coordinates are an error naming the bead. `only` (one flag per residue of `cg`),
// where given, leaves out the residues it does not flag, silently: those another model of
// the run backmaps (residue_routing.h).
PreparedFrame prepare_frame(const Structure &cg, const MappingSet &mappings, const BeadVocabulary &vocabulary,
                            const std::vector<bool> *only = nullptr);

// Frames of one trajectory keep the chain links of their first frame: a backbone bond that
// stretches past the link distance in one frame is not a chain break there (the atoms, OXT
// included, stay the same in every frame). `first` must hold the same residues with the same
// mappings; otherwise throws std::runtime_error naming the first difference.
void keep_links_of(PreparedFrame &frame, const PreparedFrame &first, const Structure &cg);

// "bead SC1 of residue A:LYS12" for bead `bead` of the prepared frame of `cg`.
std::string bead_label(const PreparedFrame &frame, const Structure &cg, int bead);

// What is wrong with beads `bead` and `other` (-1: `bead` is isolated) `distance` apart.
std::string describe_geometry_problem(const PreparedFrame &frame, const Structure &cg, int bead, int other,
                                      double distance);

// Throws std::runtime_error saying what is wrong, by bead and residue, when the frame's CG
// geometry is one the network cannot answer for (find_degenerate_geometry).
void check_bead_geometry(const PreparedFrame &frame, const Structure &cg, const EdgeList &edges);

// Whether residue `r + 1` of the frame continues residue r's chain by a peptide bond (same
// chain, next in sequence, both amino acids): where a chain does not continue, it ends (OXT).
bool continues_chain(const PreparedFrame &frame, std::size_t r);

}    // namespace BACKMAP

#endif
