/* BACKMAP core: the two YAML mapping dialects, parsed from an already loaded document. */
#ifndef BACKMAP_MAPPING_FORMATS_H
#define BACKMAP_MAPPING_FORMATS_H

#include "mapping.h"

namespace YAML {
class Node;
}

namespace BACKMAP {

// Ours: `beads:` and `atoms:` as a list of maps (doc/mapping_format.md).
MoleculeMapping parse_backmap_mapping(const YAML::Node &doc, const std::string &file);

// The reference implementation's: `atoms:` as a map "NAME[,ALIAS..]: BEAD[,BEAD..] [LABELS] [CM] [!] [WEIGHTS]".
MoleculeMapping parse_reference_mapping(const YAML::Node &doc, const std::string &file);

// 1-based line of a node, for messages.
int line_of(const YAML::Node &node);

}    // namespace BACKMAP

#endif
