// backmap run --model M CG_IN -o AA_OUT: standalone backmapping of CG frames, streamed: one
// frame is read, backmapped and written before the next is read.
#include "commands.h"
#include "frame_streams.h"
#include "progress.h"
#include "report.h"

#include "frame_backmapper.h"
#include "model_set.h"
#include "structure_io.h"

#include <chrono>
#include <future>
#include <iostream>
#include <memory>
#include <thread>

namespace BACKMAP::tool {

namespace {

struct RunOptions {
  std::vector<std::string> models;
  std::string input, output, topology, structure_out;
  int threads = 1;
  int frame_threads = 1;
  long chunk = 20000;
  bool json = false;
  bool no_refine = false;
  bool progress = true;
};

int checked_threads(int requested)
{
  // more threads than cores only slows the network down; 0 or fewer is a mistake
  if (requested < 1) throw std::runtime_error("--threads must be at least 1, not " + std::to_string(requested));
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (requested <= cores) return requested;
  std::cerr << "note: --threads " << requested << " is more than the " << cores << " cores here; using " << cores
            << "\n";
  return cores;
}

int run_backmap(const RunOptions &o)
{
  if (o.frame_threads < 1)
    throw std::runtime_error("--frame-threads must be at least 1, not " + std::to_string(o.frame_threads));
  const int frame_threads = o.frame_threads == 1 ? 1 : checked_threads(o.frame_threads);
  // frames side by side: each on one thread, computed exactly as alone
  Model::set_threads(frame_threads > 1 ? 1 : checked_threads(o.threads));
  if (o.chunk < 0) throw std::runtime_error("--chunk must be 0 (the whole frame at once) or a positive bead count");
  const std::string structure_out = o.structure_out.empty() && is_trajectory_output(o.output)
                                        ? default_structure_out(o.output)
                                        : o.structure_out;
  std::vector<std::string> inputs = o.models;
  inputs.push_back(o.input);
  inputs.push_back(o.topology);
  for (const std::string &out : {o.output, structure_out})
    for (const std::string &input : inputs)
      if (same_file(input, out))
        throw std::runtime_error(out + ": the output is an input of this run (" + input +
                                 "); choose another name, nothing was written");
  const ModelSet models = ModelSet::load(o.models, SharedNames::AminoAcidsRouted);
  std::unique_ptr<FrameSource> source = open_frame_source(o.input, o.topology);
  std::unique_ptr<FrameSink> sink = open_frame_sink(o.output, structure_out);
  BackmapOptions options;
  options.refine = !o.no_refine;
  options.chunk = static_cast<std::size_t>(o.chunk);
  FrameBackmapper backmapper(models, options);
  const bool refine = backmapper.refines();
  if (!o.no_refine && !refine && !o.json)
    std::cout << "the model(s) carry no ideal geometry; atoms are not refined\n";
  Progress progress(o.progress && !o.json, source->frames_expected());
  double seconds = 0;
  std::size_t beads = 0, atoms = 0;
  long frames = 0, unconverged = 0, problems = 0, unconverged_frames = 0;
  // one frame at a time, or batches of --frame-threads frames backmapped side by side (each
  // on one thread, so each is computed exactly as alone) and written in order
  auto backmap_one = [&](FrameBackmapper &worker, const Structure &frame, long number, FrameReport &report) {
    try {
      return worker.backmap(frame, &report);
    } catch (const ModelError &e) {
      throw ModelError(o.input + ": " + (number > 0 ? "frame " + std::to_string(number + 1) + ": " : "") + e.what());
    } catch (const std::exception &e) {
      throw std::runtime_error(o.input + ": frame " + std::to_string(number + 1) + ": " + e.what());
    }
  };
  auto finish_one = [&](const Structure &out, const FrameReport &report, double frame_seconds, long step,
                        double time_ps) {
    unconverged += report.refinement.unconverged;
    problems += report.refinement.problems;
    if (report.refinement.unconverged > 0 && unconverged_frames++ == 0 && !o.json) {
      progress.clear();
      std::cerr << "note: frame " << frames + 1 << ": the geometry refinement of " << report.refinement.unconverged
                << " of " << report.refinement.problems << " chain(s) stopped at its iteration limit with the cost "
                << "still falling slowly (usual for whole proteins; see doc/backmap_tool.md, Refinement)\n";
    }
    seconds += frame_seconds;
    beads += report.beads;
    atoms += out.atom_count();
    if (frames == 0 && !o.json) {
      progress.clear();
      print_skipped(std::cout, report.skipped);
      if (report.virtual_sites > 0)
        std::cout << "  left out " << report.virtual_sites
                  << " virtual site(s) that carry no atoms (GoMartini / water-bias CA)\n";
    }
    sink->write(out, step, time_ps);
    ++frames;
    progress.update(frames);
  };
  struct Pending {
    Structure cg, out;
    FrameReport report;
    long step = 0;
    double time_ps = 0, seconds = 0;
  };
  const int width = frame_threads;
  std::vector<FrameBackmapper> workers;
  Structure cg;
  bool more = source->next(cg);
  while (more) {
    std::vector<Pending> batch;
    // the first frame alone: its chain links hold for all the others
    const int take = frames == 0 ? 1 : width;
    for (int k = 0; k < take && more; ++k) {
      batch.emplace_back();
      batch.back().cg = std::move(cg);
      batch.back().step = source->step();
      batch.back().time_ps = source->time_ps();
      more = source->next(cg);
    }
    auto work = [&](FrameBackmapper &worker, Pending &p, long number) {
      const auto start = std::chrono::steady_clock::now();
      p.out = backmap_one(worker, p.cg, number, p.report);
      p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    if (batch.size() == 1) {
      work(backmapper, batch[0], frames);
    } else {
      // copies made once, after the first frame, which gave them its chain links
      if (workers.empty()) workers = std::vector<FrameBackmapper>(width, backmapper);
      std::vector<std::future<void>> done;
      for (std::size_t k = 0; k < batch.size(); ++k)
        done.push_back(std::async(std::launch::async, work, std::ref(workers[k]), std::ref(batch[k]),
                                  frames + static_cast<long>(k)));
      for (auto &d : done) d.get();    // rethrows the first frame's error, in frame order
    }
    for (Pending &p : batch) finish_one(p.out, p.report, p.seconds, p.step, p.time_ps);
  }
  progress.clear();
  if (frames == 0) throw FileError(o.input + ": no frame to backmap");
  sink->close();
  if (o.json) {
    nlohmann::json j = {{"format_version", 1}, {"input", o.input},   {"output", o.output}, {"frames", frames},
                        {"beads", beads},      {"atoms", atoms},     {"seconds", seconds},
                        {"seconds_per_frame", seconds / frames}, {"refined", refine}};
    if (!structure_out.empty()) j["structure_output"] = structure_out;
    if (refine) j["refinement"] = {{"problems", problems}, {"unconverged", unconverged}, {"unconverged_frames", unconverged_frames}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << o.input << ": " << frames << " frame(s), " << beads << " beads -> " << atoms << " atoms in "
              << seconds << " s (" << seconds / frames << " s per frame, process start excluded) -> " << o.output
              << (structure_out.empty() ? "" : " (atom names in " + structure_out + ")") << "\n";
    if (unconverged > 0)
      std::cout << "  refinement: " << unconverged << " of " << problems << " chain refinements stopped unconverged, in "
                << unconverged_frames << " frame(s)\n";
  }
  return 0;
}

}    // namespace

Runner add_run_command(CLI::App &app)
{
  auto o = std::make_shared<RunOptions>();
  CLI::App *sub = app.add_subcommand(
      "run", "Backmap CG frames (PDB, GRO, multi-model files, LAMMPS dumps, GROMACS XTC/TRR) to atoms");
  sub->add_option("input", o->input, "CG structure or trajectory: PDB, mmCIF, GRO, LAMMPS data or dump (.gz too), XTC, TRR; known by "
                  "extension, else by content (martinize2 output works as it is)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--model", o->models,
                  "model file (potentials/*.pt); repeat it for several models, each backmapping the residues of its "
                  "own mappings (a protein model and a lipid model, say)")
      ->required()
      ->expected(1)    // one file per --model, so that the input after it is not taken for a model
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("-o,--output", o->output,
                  "atomistic output: .pdb (one MODEL per frame), .xyz, .dump or .lammpstrj (LAMMPS dump), .xtc or "
                  ".trr (GROMACS trajectory)")
      ->required();
  sub->add_option("--topology", o->topology,
                  "names of the input's particles: for a LAMMPS dump the data file `backmap map` wrote; for an "
                  "XTC/TRR the CG structure (PDB or GRO) or run input (.tpr) the trajectory belongs to");
  sub->add_option("--structure-out", o->structure_out,
                  "with XTC/TRR output: the first frame as PDB, whose atoms name the trajectory's (default: "
                  "OUTPUT with .pdb)");
  sub->add_option("--threads", o->threads, "CPU threads")->capture_default_str();
  sub->add_option("--frame-threads", o->frame_threads,
                  "backmap this many frames side by side, each on one thread (the atoms are those of --threads 1); "
                  "for trajectories of many small frames")
      ->capture_default_str();
  sub->add_option("--chunk", o->chunk,
                  "beads per network evaluation, so that memory stays bounded on huge frames (0: the whole frame at "
                  "once); the atoms do not depend on it")
      ->capture_default_str();
  sub->add_flag("--json", o->json, "print the summary as JSON");
  sub->add_flag("!--no-progress", o->progress, "no progress bar (it is shown only on a terminal)");
  sub->add_flag("--no-refine", o->no_refine,
                "write the network's placement as it is, without the geometry refinement (bonds, angles, chirality, "
                "bead centres)");
  return [o] { return run_backmap(*o); };
}

}    // namespace BACKMAP::tool
