/* BACKMAP core: geometry refinement of a whole backmapped frame. Builds the restraints of
   geometry_refinement.h from the measured ideal geometry (bonds, 1-3 distances, chirality
   and planarity volumes in each residue, the peptide link between consecutive residues)
   and from the CG beads (each bead's heavy-atom centre stays on the bead). Chains (stretches
   joined by peptide links) and other molecules are refined one at a time.

   The beads of a CG simulation are not the exact centres of any valid molecule, as mapped
   beads are. Held exactly, they bend angles and turn cis bonds trans (doc/model.md,
   "Refinement"). So a residue whose restraints the first solve leaves strained (a distance off
   by more than 5 spreads and 0.1 A, a volume by more than 5 spreads and 1 A^3) has its chain
   solved again from the network's atoms, its own bead centres held only to
   loose_centre_sigma. */
#ifndef BACKMAP_FRAME_REFINEMENT_H
#define BACKMAP_FRAME_REFINEMENT_H

#include "cg_frame.h"
#include "geometry_refinement.h"
#include "ideal_geometry.h"

namespace BACKMAP {

// `atomistic` is what place_frame_atoms made of `prepared` (one residue per prepared residue,
// in order); its atoms move in place. Atoms the geometry does not know keep their tethers.
RefinementReport refine_frame(Structure &atomistic, const PreparedFrame &prepared, const IdealGeometry &ideal,
                              const RefinementOptions &options = {});

}    // namespace BACKMAP

#endif
