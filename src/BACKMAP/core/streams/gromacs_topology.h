/* BACKMAP streams layer: the names of a GROMACS run input (.tpr) as a Structure: residues
   (name, number, chain), particles (name) and the starting positions and box, read through
   libgromacs. What a GROMACS user has beside a trajectory, so `backmap run md.xtc --topology
   topol.tpr` needs no separate structure file. */
#ifndef BACKMAP_GROMACS_TOPOLOGY_H
#define BACKMAP_GROMACS_TOPOLOGY_H

#include "structure.h"

#include <string>

namespace BACKMAP {

// `path`: a run input by the format registry (.tpr, or a file whose header is one's).
Structure read_tpr_structure(const std::string &path);

}    // namespace BACKMAP

#endif
