/* BACKMAP core: molecules split across a periodic box are made whole before mapping. */
#ifndef BACKMAP_PERIODIC_H
#define BACKMAP_PERIODIC_H

#include "structure.h"

namespace BACKMAP {

// Each atom is moved to the image nearest the atom before it in the same residue, and the
// first atom of a peptide-linked residue (one with N, CA and C) to the image nearest the C
// of the residue before it in the same chain. Atoms of one molecule stay within bonding
// distance of their predecessor, so this undoes any wrapping. No-op without a box.
void make_molecules_whole(Structure &structure);

}    // namespace BACKMAP

#endif
