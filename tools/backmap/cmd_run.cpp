// backmap run --model M CG_IN -o AA_OUT: standalone backmapping of CG frames.
#include "commands.h"
#include "report.h"

#include "backmapping.h"
#include "frame_refinement.h"
#include "model.h"
#include "structure_io.h"
#include "trajectory.h"


#include <chrono>
#include <filesystem>
#include <thread>
#include <iostream>
#include <memory>

namespace BACKMAP::tool {

namespace {

struct RunOptions {
  std::string model, input, output, topology;
  int threads = 1;
  bool json = false;
  bool no_refine = false;
};

// Residues the model knows by name but whose beads do not fit are refused: that is a model
// trained for another mapping. Unknown names (solvent, ions) are reported and skipped.
void refuse_mismatch(const PreparedFrame &p, const Structure &cg, const Model &model, const std::string &input)
{
  for (const auto &s : p.skipped) {
    if (model.mappings().candidates(cg.residues[s.residue].name).empty()) continue;
    throw ModelError(input + ": residue " + s.label + ": " + s.reason + " -- the model was trained for mapping '" +
                     model.mapping_name() + "'");
  }
  if (p.residues.empty())
    throw ModelError(input + ": no residue is known to the model (trained for mapping '" + model.mapping_name() + "')");
}

// The same file, however it is spelled (relative, absolute, through links).
bool same_file(const std::string &a, const std::string &b)
{
  std::error_code ec;
  return !a.empty() && !b.empty() && std::filesystem::exists(b, ec) && std::filesystem::equivalent(a, b, ec);
}

int run_backmap(const RunOptions &o)
{
  // more threads than cores only slows the network down; 0 or fewer is a mistake
  if (o.threads < 1) throw std::runtime_error("--threads must be at least 1, not " + std::to_string(o.threads));
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int threads = o.threads;
  if (threads > cores) {
    std::cerr << "note: --threads " << threads << " is more than the " << cores << " cores here; using " << cores
              << "\n";
    threads = cores;
  }
  Model::set_threads(threads);
  for (const std::string &input : {o.input, o.topology, o.model})
    if (same_file(input, o.output))
      throw std::runtime_error(o.output + ": the output is an input of this run (" + input +
                               "); choose another name, nothing was written");
  if (format_from_path(o.output) != FileFormat::Pdb || o.output.size() < 4 ||
      o.output.compare(o.output.size() - 4, 4, ".pdb") != 0)
    throw FileError(o.output + ": backmap run writes PDB; name the output *.pdb");
  const Model model = Model::load(o.model);
  const std::vector<Structure> frames = read_cg_frames(o.input, o.topology);
  const bool refine = !o.no_refine && !model.geometry().empty();
  if (!o.no_refine && !refine && !o.json)
    std::cout << o.model << ": the model carries no ideal geometry; atoms are not refined\n";
  std::vector<Structure> out;
  double seconds = 0;
  std::size_t beads = 0, atoms = 0;
  for (std::size_t f = 0; f < frames.size(); ++f) {
    const auto start = std::chrono::steady_clock::now();
    const PreparedFrame prepared = prepare_frame(frames[f], model.mappings(), model.vocabulary());
    refuse_mismatch(prepared, frames[f], model, o.input);
    const EdgeList edges = build_edges(prepared.frame, model.cutoff());
    try {
      check_bead_geometry(prepared, frames[f], edges);
    } catch (const std::exception &e) {
      throw std::runtime_error(o.input + ": frame " + std::to_string(f + 1) + ": " + e.what());
    }
    const std::vector<Vec3> vectors = model.predict(prepared.frame, edges);
    out.push_back(place_frame_atoms(frames[f], prepared, vectors, model.slots()));
    if (refine) refine_frame(out.back(), prepared, model.geometry());
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    beads += prepared.frame.size();
    atoms += out.back().atom_count();
    if (f == 0 && !o.json) {
      print_skipped(std::cout, prepared.skipped);
      if (prepared.virtual_sites > 0)
        std::cout << "  left out " << prepared.virtual_sites
                  << " virtual site(s) that carry no atoms (GoMartini / water-bias CA)\n";
    }
  }
  write_pdb(out, o.output);
  if (o.json) {
    nlohmann::json j = {{"format_version", 1}, {"input", o.input},   {"output", o.output}, {"frames", frames.size()},
                        {"beads", beads},      {"atoms", atoms},     {"seconds", seconds},
                        {"seconds_per_frame", seconds / frames.size()}, {"refined", refine}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << o.input << ": " << frames.size() << " frame(s), " << beads << " beads -> " << atoms << " atoms in "
              << seconds << " s (" << seconds / frames.size() << " s per frame, process start excluded) -> "
              << o.output << "\n";
  }
  return 0;
}

}    // namespace

Runner add_run_command(CLI::App &app)
{
  auto o = std::make_shared<RunOptions>();
  CLI::App *sub = app.add_subcommand("run", "Backmap CG frames (PDB, GRO, multi-model files, LAMMPS dumps) to atoms");
  sub->add_option("input", o->input, "CG structure or trajectory (martinize2 output works as it is)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--model", o->model, "model file (potentials/*.pt)")->required();
  sub->add_option("-o,--output", o->output, "atomistic PDB, one MODEL per frame")->required();
  sub->add_option("--topology", o->topology,
                  "for LAMMPS dump input: the data file `backmap map` wrote (names every bead)");
  sub->add_option("--threads", o->threads, "CPU threads")->capture_default_str();
  sub->add_flag("--json", o->json, "print the summary as JSON");
  sub->add_flag("--no-refine", o->no_refine,
                "write the network's placement as it is, without the geometry refinement (bonds, angles, chirality, "
                "bead centres)");
  return [o] { return run_backmap(*o); };
}

}    // namespace BACKMAP::tool
