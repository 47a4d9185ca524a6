// backmap map --martini-topology: the options that make `map` write a Martini 3 protein system (GROMACS
// .top/.itp/.gro and LAMMPS files) with martinize2's rules, and what runs it (map_topology.cpp).
#ifndef BACKMAP_TOOL_MAP_TOPOLOGY_H
#define BACKMAP_TOOL_MAP_TOPOLOGY_H

#include "martini_protein_system.h"

#include <CLI/CLI.hpp>

#include <string>

namespace BACKMAP::tool {

struct TopologyOptions {
  bool enabled = false;
  std::string secondary_structure, dssp, martinize_ff, martini_dir, cys = "auto";
  bool no_scfix = false, extdih = false, neutral_termini = false, elastic = false, go = false;
  ElasticNetworkParameters network;
  GoModelParameters go_model;
  std::string go_write_file;    // the contact map, in martinize2's -go-write-file format
  ProteinSystemOptions system;
};

// Adds --topology and its options to `map`.
void add_topology_options(CLI::App &map, TopologyOptions &o);
// Maps the first model of `input` and writes the system under the prefix `output`.
int run_map_topology(const std::string &input, const std::string &output, const std::string &mapping,
                     const TopologyOptions &o, bool json);

}    // namespace BACKMAP::tool

#endif
