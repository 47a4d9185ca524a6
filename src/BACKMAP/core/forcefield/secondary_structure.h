/* BACKMAP core, forcefield layer: secondary structure as martinize2 uses it. DSSP's letters per
   residue (from the mkdssp program, or given), turned into Martini's: helices H/G/I become H, with
   the first residues of a helix 1 (and the short helices' 3) and the last 2, as vermouth's
   convert_dssp_to_martini does; B and E become E; T, S, C stay. */
#ifndef BACKMAP_SECONDARY_STRUCTURE_H
#define BACKMAP_SECONDARY_STRUCTURE_H

#include "structure.h"

#include <string>

namespace BACKMAP {

// The DSSP letters martinize2 accepts (H B E G I T S C and Martini's own 1 2 3); upper case.
bool is_dssp_letter(char letter);

// Martini's secondary structure for one molecule's DSSP letters (one per residue, in order).
// std::invalid_argument naming the position of a letter that is not a DSSP letter.
std::string dssp_to_martini(const std::string &dssp);

// Runs DSSP (`executable`: mkdssp 4.x, or 2.x/3.x) on the residues of `protein` (heavy atoms,
// standard names) and returns one letter per residue in order, coil as 'C'; DSSP 4's
// polyproline 'P', which DSSP 2 and 3 (and so martinize2) never gave, is read as coil.
// std::runtime_error naming the program, its input and its message when it fails or skips residues.
std::string run_dssp(const Structure &protein, const std::string &executable = "mkdssp");

// The mkdssp on PATH, or "" when there is none.
std::string find_dssp();

}    // namespace BACKMAP

#endif
