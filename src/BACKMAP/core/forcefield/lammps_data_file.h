/* BACKMAP core, forcefield layer: the LAMMPS data file: box, masses, atoms and the bonded terms of every copy. */
#ifndef BACKMAP_LAMMPS_DATA_FILE_H
#define BACKMAP_LAMMPS_DATA_FILE_H

#include "lammps_reaction_field.h"
#include "lammps_type_table.h"
#include "lammps_writer_text.h"

#include "structure.h"

#include <string>
#include <vector>

namespace BACKMAP::lammps_writer {

// The data file's per-atom and per-term lines of the whole system: copy after copy of each
// molecule type in [ molecules ] order, the LAMMPS bonded types numbered in `types` as first used.
struct DataSections {
  std::string atoms, bonds, angles, dihedrals, impropers, cmaps;    // the lines of each section
  long atom_count = 0, bond_count = 0, angle_count = 0, dihedral_count = 0, improper_count = 0, cmap_count = 0;
  double coulomb_self_energy = 0.0;    // ReactionField: -C c_rf sum qi^2 / 2 (kcal/mol)
};

// `positions` one per topology atom in order (Angstrom); hybrid: the coefficients of that kind
// begin with their style's name.
DataSections data_sections(const Topology &topology, const SystemModel &system, const std::vector<Vec3> &positions,
                           const ReactionField &rf, bool hybrid_angles, bool hybrid_dihedrals, Numbered &types);
// The whole data file: header with counts, box, masses, then the sections.
std::string data_text(const DataSections &sections, const SystemModel &system, const LammpsSystemFiles &result,
                      const std::string &box_lines, const Files &files, const LammpsWriterOptions &options);
// GROMACS's box (rows a, b, c with a along x and b in the xy plane) as LAMMPS's bounds and tilts.
// FileError at `output` for an open box or one not in that form.
std::string box_text(const Box &box, const std::string &output);

}    // namespace BACKMAP::lammps_writer

#endif
