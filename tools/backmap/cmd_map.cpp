// backmap map IN -o OUT: atomistic structure (or trajectory) to CG beads.
#include "commands.h"
#include "map_topology.h"
#include "report.h"

#include "frame_range.h"
#include "frame_streams.h"
#include "gromacs_trajectory.h"

#include "elastic_network.h"
#include "file_formats.h"
#include "forward_mapping.h"
#include "lammps_data.h"
#include "mapping_set.h"
#include "structure_io.h"
#include "trajectory.h"

#include <iostream>
#include <memory>

namespace BACKMAP::tool {

namespace {

struct MapOptions {
  std::string input, output, mapping = "martini3", topology, frames;
  bool json = false;
  bool elastic = false;
  ElasticNetworkOptions network;
  TopologyOptions martini;    // --martini-topology
};

// Every model of the input to one CG frame of a LAMMPS dump, for rerun.
int map_trajectory(const MapOptions &o, const MappingSet &mappings)
{
  if (o.elastic) throw std::runtime_error(o.output + ": --elastic-network needs a .data output (a dump has no bonds)");
  std::vector<Structure> frames;
  std::vector<SkippedResidue> skipped;
  for (const Structure &model : read_models(o.input)) {
    ForwardMapping fm = map_to_cg(model, mappings);
    if (frames.empty()) skipped = fm.skipped;
    frames.push_back(std::move(fm.cg));
  }
  write_lammps_dump(frames, o.output);
  if (o.json) {
    nlohmann::json j = {{"format_version", 1}, {"input", o.input}, {"output", o.output}, {"mapping", mappings.name()},
                        {"frames", frames.size()}, {"beads", frames.front().atom_count()},
                        {"skipped", skipped_json(skipped)}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << o.input << ": " << frames.size() << " frame(s) of " << frames.front().atom_count() << " beads -> "
              << o.output << "\n";
    print_skipped(std::cout, skipped);
  }
  return 0;
}

// A GROMACS trajectory (with --topology naming its atoms), or a block of frames (--frames) of
// any multi-frame input: frame by frame, one in memory at a time (a dump output aside), to a
// PDB of models, an XTC/TRR with its CG structure beside it, or a LAMMPS dump.
int map_frames(const MapOptions &o, const MappingSet &mappings)
{
  const bool dump = is_lammps_dump(o.output);
  const bool pdb = format_by_extension(o.output) == FileFormat::Pdb && o.output.size() > 4 &&
                   o.output.compare(o.output.size() - 4, 4, ".pdb") == 0;
  if (o.elastic || !(dump || pdb || is_trajectory_output(o.output)))
    throw std::runtime_error(o.output + ": frames of a trajectory map to .pdb (one model per frame), .xtc or .trr "
                                        "(with the CG structure as .pdb beside it) or .dump");
  if (is_gromacs_trajectory(o.input) && o.topology.empty())
    throw std::runtime_error(o.input + ": a GROMACS trajectory holds coordinates only; give --topology with the "
                                       "atomistic structure (PDB, GRO) or .tpr that names its atoms");
  std::unique_ptr<FrameSource> source = open_frame_source(o.input, o.topology);
  if (!o.frames.empty()) source = select_frames(std::move(source), parse_frame_range(o.frames), o.input);
  std::unique_ptr<FrameSink> sink;
  if (!dump) sink = open_frame_sink(o.output, is_trajectory_output(o.output) ? default_structure_out(o.output) : "");
  std::vector<Structure> frames;    // for a dump only
  std::vector<SkippedResidue> skipped;
  std::size_t beads = 0, residues = 0;
  long count = 0;
  Structure frame;
  while (source->next(frame)) {
    ForwardMapping fm = map_to_cg(frame, mappings);
    if (count == 0) {
      if (fm.cg.residues.empty())
        throw std::runtime_error(o.input + ": no residue could be mapped with mapping '" + o.mapping + "'");
      skipped = fm.skipped;
      beads = fm.cg.atom_count();
      residues = fm.residues.size();
    } else if (fm.cg.atom_count() != beads) {
      throw std::runtime_error(o.input + ": frame " + std::to_string(count + 1) + " of the selection maps to " +
                               std::to_string(fm.cg.atom_count()) + " beads, its first frame to " + std::to_string(beads));
    }
    if (dump) frames.push_back(std::move(fm.cg));
    else sink->write(fm.cg, source->step(), source->time_ps());
    ++count;
  }
  if (count == 0) throw std::runtime_error(o.input + ": no frame to map");
  if (dump) write_lammps_dump(frames, o.output);
  else sink->close();
  if (o.json) {
    nlohmann::json j = {{"format_version", 1}, {"input", o.input}, {"output", o.output}, {"mapping", mappings.name()},
                        {"frames", count}, {"frames_selected", o.frames.empty() ? "all" : o.frames},
                        {"residues_mapped", residues}, {"beads", beads}, {"skipped", skipped_json(skipped)}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << o.input << ": " << count << " frame(s)" << (o.frames.empty() ? "" : " (frames " + o.frames + ")")
              << ", " << residues << " residues mapped to " << beads << " beads each with mapping '" << mappings.name()
              << "' -> " << o.output << "\n";
    print_skipped(std::cout, skipped);
  }
  return 0;
}

int run_map(const MapOptions &o)
{
  if (o.martini.enabled) {
    if (o.elastic) throw std::runtime_error("--martini-topology writes martinize2's elastic network with --elastic, not --elastic-network");
    return run_map_topology(o.input, o.output, o.mapping, o.martini, o.json);
  }
  const MappingSet mappings = MappingSet::load(o.mapping);
  // frames (a trajectory in, a block of frames, or a trajectory out) check their own outputs
  if (is_gromacs_trajectory(o.input) || !o.frames.empty() || is_trajectory_output(o.output))
    return map_frames(o, mappings);
  // the output's format first, so that a name no format fits is refused before any work
  // (a dump named .gz is written uncompressed, as it always was: the readers take both)
  FileFormat out = format_by_extension(o.output);
  if (out != FileFormat::LammpsDump) {
    try {
      out = identify_output(o.output, FormatUse::WriteStructure);
    } catch (const FileError &e) {
      throw FileError(std::string(e.what()) + "; or LAMMPS dump (.dump, .lammpstrj) for every model");
    }
  }
  if (!o.topology.empty())
    throw std::runtime_error("--topology names the atoms of a GROMACS trajectory (.xtc, .trr); " + o.input +
                             " names its own");
  if (out == FileFormat::LammpsDump) return map_trajectory(o, mappings);
  const std::vector<Structure> models = read_models(o.input);
  const Structure &atomistic = models.front();
  const ForwardMapping fm = map_to_cg(atomistic, mappings);
  if (fm.cg.residues.empty())
    throw std::runtime_error(o.input + ": no residue could be mapped with mapping '" + o.mapping + "'");
  // PDB and GRO outputs take every model; a data file (a topology) takes the first, said aloud
  const bool data_output = out == FileFormat::LammpsData;
  std::vector<Structure> cg_models{fm.cg};
  if (!data_output)
    for (std::size_t k = 1; k < models.size(); ++k) {
      ForwardMapping more = map_to_cg(models[k], mappings);
      if (more.cg.atom_count() != fm.cg.atom_count())
        throw std::runtime_error(o.input + ": model " + std::to_string(k + 1) + " maps to " +
                                 std::to_string(more.cg.atom_count()) + " beads, model 1 to " +
                                 std::to_string(fm.cg.atom_count()));
      cg_models.push_back(std::move(more.cg));
    }
  std::vector<CgBond> bonds;
  if (o.elastic) {
    if (!data_output)
      throw std::runtime_error(o.output + ": --elastic-network writes bonds, which only a LAMMPS data file (.data) holds");
    bonds = elastic_network(fm.cg, o.network);
    write_lammps_data(fm.cg, o.output, bonds);
  } else if (data_output) {
    write_structure(fm.cg, o.output);
  } else {
    write_structures(cg_models, o.output);
  }
  if (o.json) {
    nlohmann::json j = {{"format_version", 1},
                        {"input", o.input},
                        {"output", o.output},
                        {"mapping", mappings.name()},
                        {"models", cg_models.size()},
                        {"residues_total", atomistic.residues.size()},
                        {"residues_mapped", fm.residues.size()},
                        {"beads", fm.cg.atom_count()},
                        {"bonds", bonds.size()},
                        {"orphan_hydrogens", fm.orphan_hydrogens},
                        {"skipped", skipped_json(fm.skipped)}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << o.input << ": " << fm.residues.size() << " of " << atomistic.residues.size()
              << " residues mapped to " << fm.cg.atom_count() << " beads with mapping '" << mappings.name()
              << "' -> " << o.output << "\n";
    if (cg_models.size() > 1) std::cout << "  " << cg_models.size() << " models written\n";
    if (data_output && models.size() > 1)
      std::cout << "  note: a data file holds one configuration: model 1 of " << models.size()
                << " written (map to .dump, .pdb or .gro for every model)\n";
    print_skipped(std::cout, fm.skipped);
  }
  return 0;
}

}    // namespace

Runner add_map_command(CLI::App &app)
{
  auto o = std::make_shared<MapOptions>();
  CLI::App *sub = app.add_subcommand("map", "Map an atomistic structure (PDB, mmCIF, GRO; .gz too) or trajectory (XTC, TRR) to CG beads");
  sub->add_option("input", o->input, "atomistic structure, or trajectory (.xtc, .trr with --topology)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", o->output,
                  "CG output: .pdb, .gro, .data (LAMMPS data file, atom_style full), .dump (every model, for rerun) "
                  "or, for frames, .xtc/.trr (with the CG structure as .pdb beside it); with --martini-topology a prefix")
      ->required();
  sub->add_option("--topology", o->topology, "atomistic structure (PDB, GRO) or .tpr naming a trajectory's atoms")
      ->check(CLI::ExistingFile);
  sub->add_option("--frames", o->frames, "map only these frames: FIRST-LAST, FIRST- or FRAME, counted from 1");
  sub->add_option("--mapping", o->mapping, "mapping set name (in <data>/mappings) or folder of mapping files")
      ->capture_default_str();
  sub->add_flag("--json", o->json, "print the summary as JSON");
  sub->add_flag("--elastic-network", o->elastic,
                "with .data output: harmonic bonds inside residues, along the backbone and between backbone beads "
                "closer than --en-cutoff (a runnable CG test model, not a validated force field)");
  sub->add_option("--en-cutoff", o->network.cutoff, "elastic network cutoff (A)")->capture_default_str();
  sub->add_option("--en-stiffness", o->network.network_stiffness, "elastic network K (kcal/mol/A^2)")->capture_default_str();
  add_topology_options(*sub, o->martini);
  return [o] { return run_map(*o); };
}

}    // namespace BACKMAP::tool
