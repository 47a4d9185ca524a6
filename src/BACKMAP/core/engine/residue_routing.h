/* BACKMAP core, engine layer: which model of a set backmaps each residue of a CG frame.
   A residue goes to the model that knows its name. Amino acids (peptide-linked residues) may
   be known to several models (a user's capped peptide, ACE-ALA-NME, and a protein model both
   know ALA): such a residue goes to the model that knows the most residues of its chain
   stretch (the peptide-linked residues around it), so the dipeptide's ALA goes with its caps
   and a protein's alanines with the protein. A tie is an error that names the residue, its
   stretch and the models (doc/own-molecule.md, "Which model backmaps a residue"). */
#ifndef BACKMAP_RESIDUE_ROUTING_H
#define BACKMAP_RESIDUE_ROUTING_H

#include "model_set.h"
#include "structure.h"

#include <vector>

namespace BACKMAP {

// Chain stretches of `cg` as the models see them: residues that some model maps as amino
// acids, consecutive in the file, of one chain, consecutive in numbering and with their first
// beads linked (peptide_link.h), form one stretch; every other residue is a stretch of its
// own. Returns the stretch index of every residue.
std::vector<int> chain_stretches(const Structure &cg, const ModelSet &models);

// The model index that backmaps each residue of `cg`, -1 where no model knows the name.
// Throws ModelError for a residue two models claim equally (see above).
std::vector<int> route_residues(const Structure &cg, const ModelSet &models);

}    // namespace BACKMAP

#endif
