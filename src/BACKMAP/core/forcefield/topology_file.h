/* BACKMAP core, forcefield layer: reading a GROMACS topology (.top/.itp) into plain structs.
   The structs are in topology_sections.h, grompp's parameter look-up in parameter_lookup.h. */
#ifndef BACKMAP_TOPOLOGY_FILE_H
#define BACKMAP_TOPOLOGY_FILE_H

#include "topology_preprocessor.h"
#include "topology_sections.h"

#include <string>
#include <vector>

namespace BACKMAP {

// Reads a topology and all it includes; FileError "PATH:LINE: what" for unknown sections, wrong
// column counts, non-numbers where numbers belong, unknown atom or bonded types, atoms not
// numbered 1, 2, ..., atom indices out of range, and molecules never defined.
Topology read_topology(const std::string &path, const PreprocessorOptions &options = {});
// The same for lines already preprocessed.
Topology parse_topology(const std::vector<TopologyLine> &lines);

}    // namespace BACKMAP

#endif
