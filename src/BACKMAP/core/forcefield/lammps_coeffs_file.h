/* BACKMAP core, forcefield layer: the LAMMPS coefficients file, included after read_data (pair and bonded coeffs). */
#ifndef BACKMAP_LAMMPS_COEFFS_FILE_H
#define BACKMAP_LAMMPS_COEFFS_FILE_H

#include "lammps_reaction_field.h"
#include "lammps_type_table.h"
#include "lammps_writer_text.h"

#include <string>

namespace BACKMAP::lammps_writer {

// Its text: a pair_coeff for every pair of LAMMPS atom types (no mixing rule; with the 1-4
// sigma/epsilon where dihedrals carry them, and the table's section with the reaction field),
// then the bond, angle, dihedral and improper coefficients of every type.
std::string coeffs_text(const SystemModel &system, const Topology &topology, const LammpsWriterOptions &options,
                        const Numbered &types, const ReactionField &rf, const Files &files);

}    // namespace BACKMAP::lammps_writer

#endif
