/* BACKMAP core, forcefield layer: GROMACS's CMAP grids as the grids and the file of LAMMPS's fix cmap. */
#ifndef BACKMAP_LAMMPS_CMAP_H
#define BACKMAP_LAMMPS_CMAP_H

#include "topology_sections.h"

#include <string>
#include <vector>

namespace BACKMAP::lammps_writer {

// The index of `grid` among the distinct grids used so far (added where new); FileError at the
// [ cmaptypes ] line for a grid fix cmap cannot hold (only 24x24, at most 6).
int grid_of(std::vector<const CmapType *> &grids, const CmapType &grid);
// The .cmap file: the grids in kcal/mol in fix cmap's order, `source` named in its header.
std::string cmap_text(const std::vector<const CmapType *> &grids, const std::string &source);

}    // namespace BACKMAP::lammps_writer

#endif
