/* BACKMAP core, metrics: the geometry of a prediction against its reference's own (bond lengths,
   bond angles, CA chirality, peptide cis/trans, tetrahedral centres and C=C double bonds of other
   molecules) and its clashes: the counts of StructureMetrics that compare_structures fills when
   asked for geometry. */
#ifndef BACKMAP_GEOMETRY_CHECKS_H
#define BACKMAP_GEOMETRY_CHECKS_H

#include "matched_residue.h"
#include "metrics.h"

#include <vector>

namespace BACKMAP {

// Bonds and bond angles inside the residue (from its mapping; none without one), CA chirality,
// and for molecules other than amino acids tetrahedral centres and C=C double bonds.
void check_residue_geometry(MatchedResidue &m, StructureMetrics &s);

// Peptide bonds between consecutive residues of one chain: bond length and cis/trans.
void check_peptide_bonds(std::vector<MatchedResidue> &residues, StructureMetrics &s);

// Heavy atoms of the prediction closer than 2.2 A that are not bonded (1-2) or 1-3 neighbours in
// the same or adjacent residues, nor a disulfide's two SG.
long count_clashes(const Structure &predicted);

}    // namespace BACKMAP

#endif
