/* BACKMAP core, forcefield layer: coarse-grained molecules (cg_molecule) written as a GROMACS .itp,
   laid out as martinize2 lays its out: [ atoms ] with one charge group per bead, then each bonded
   section with its terms grouped by condition (#ifdef/#ifndef from the terms' meta data) and by
   group name, impropers under [ dihedrals ], a term's comment after ';'. */
#ifndef BACKMAP_PROTEIN_ITP_H
#define BACKMAP_PROTEIN_ITP_H

#include "cg_molecule.h"

#include <string>
#include <vector>

namespace BACKMAP {

// The .itp text of the molecules, after `header` (each line written as a comment).
std::string molecules_itp_text(const std::vector<CgMolecule> &molecules, const std::vector<std::string> &header);

}    // namespace BACKMAP

#endif
