/* BACKMAP core, base layer: the one definition of a peptide link, between residue i and the next
   residue of its chain, for atoms and for CG beads alike. Chain breaks, gaps in numbering and
   residues far apart are not links. */
#ifndef BACKMAP_PEPTIDE_LINK_H
#define BACKMAP_PEPTIDE_LINK_H

#include "structure.h"

namespace BACKMAP {

// Longest C(i)-N(i+1) distance that is a peptide bond (1.33 A in proteins; anything past 2 A is
// a chain break or a missing residue).
constexpr double max_peptide_bond = 2.0;
// Longest backbone-bead distance BB(i)-BB(i+1) that is a link (Martini's 3.5-3.8 A, with room
// for thermal stretch; a missing residue puts them 6 A or more apart).
constexpr double max_backbone_bead_link = 4.6;

// Whether residue number `number` follows `previous` in sequence, counting the wraps of fixed
// columns: GRO writes numbers modulo 100000 and PDB writers wrap after 9999, to 0 or to 1.
bool follows_in_numbering(int previous, int number);

inline bool peptide_bonded(const Vec3 &c, const Vec3 &n) { return (c - n).norm() < max_peptide_bond; }
inline bool backbone_beads_linked(const Vec3 &a, const Vec3 &b) { return (a - b).norm() < max_backbone_bead_link; }

}    // namespace BACKMAP

#endif
