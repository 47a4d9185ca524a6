/* BACKMAP core, forcefield layer: CMAP grids for LAMMPS's fix cmap (see lammps_cmap.h). */
#include "lammps_cmap.h"

#include "lammps_writer_text.h"

#include "file_error.h"

#include <sstream>

namespace BACKMAP::lammps_writer {

int grid_of(std::vector<const CmapType *> &grids, const CmapType &grid)
{
  for (std::size_t i = 0; i < grids.size(); ++i)
    if (grids[i] == &grid || grids[i]->values == grid.values) return static_cast<int>(i);
  if (grid.grid_x != 24 || grid.grid_y != 24)
    fail_at(grid.path, grid.line, "CMAP grid " + std::to_string(grid.grid_x) + "x" + std::to_string(grid.grid_y) +
                                      ": fix cmap reads 24x24 grids only");
  if (grids.size() == 6) fail_at(grid.path, grid.line, "more than 6 distinct CMAP grids: fix cmap holds 6");
  grids.push_back(&grid);
  return static_cast<int>(grids.size()) - 1;
}

std::string cmap_text(const std::vector<const CmapType *> &grids, const std::string &source)
{
  std::ostringstream out;
  out << "# CMAP grids for LAMMPS fix cmap, from " << source_text(source)
      << "\n# written by BACKMAP (lammps_system_writer). kcal/mol; per grid 24 rows (phi = -180, -165, ... 165),\n"
      << "# each 24 values (psi = -180 ... 165), as GROMACS's [ cmaptypes ] and CHARMM list them.\n"
      << "# fix cmap reads six grids in order; grid N is crossterm type N in the data file.\n";
  for (std::size_t g = 0; g < grids.size(); ++g) {
    const CmapType &grid = *grids[g];
    out << "\n# grid " << g + 1 << ":";
    for (const std::string &t : grid.types) out << " " << t;
    out << " (" << grid.path << ":" << grid.line << ")\n";
    for (int row = 0; row < 24; ++row) {
      for (int column = 0; column < 24; ++column)
        out << (column ? " " : "") << number(grid.values[static_cast<std::size_t>(row * 24 + column)] / kj_per_kcal);
      out << "\n";
    }
  }
  return out.str();
}

}    // namespace BACKMAP::lammps_writer
