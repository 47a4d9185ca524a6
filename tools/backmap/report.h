/* Shared printing of what could not be mapped, for the human and the JSON outputs. */
#ifndef BACKMAP_TOOL_REPORT_H
#define BACKMAP_TOOL_REPORT_H

#include "forward_mapping.h"

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

namespace BACKMAP::tool {

// One line per reason with the count and the first few residues.
void print_skipped(std::ostream &os, const std::vector<SkippedResidue> &skipped);
nlohmann::json skipped_json(const std::vector<SkippedResidue> &skipped);

}    // namespace BACKMAP::tool

#endif
