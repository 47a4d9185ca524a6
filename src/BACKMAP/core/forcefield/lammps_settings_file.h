/* BACKMAP core, forcefield layer: the LAMMPS settings file, read before read_data (units, styles, special_bonds, fixes). */
#ifndef BACKMAP_LAMMPS_SETTINGS_FILE_H
#define BACKMAP_LAMMPS_SETTINGS_FILE_H

#include "lammps_reaction_field.h"
#include "lammps_type_table.h"
#include "lammps_writer_text.h"

#include <string>
#include <vector>

namespace BACKMAP::lammps_writer {

// Its text: how to use the files, the style commands, the reaction field's pair_modify lines,
// special_bonds, the constraints' fix shake (or its line as a comment), Martini's run notes and
// the fix cmap, each with a comment on why.
std::string settings_text(const SystemModel &system, const LammpsWriterOptions &options, const Files &files,
                          const LammpsSystemFiles &result, const ReactionField &rf, const Numbered &types,
                          const std::vector<std::string> &dihedral_styles, const std::vector<std::string> &angle_styles);

}    // namespace BACKMAP::lammps_writer

#endif
