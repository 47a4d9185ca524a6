#include "trainer.h"

#include "file_error.h"

#include "checkpoint.h"
#include "dataset.h"
#include "model_impl.h"
#include "structure_io.h"
#include "training_loss.h"
#include "training_tensors.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

#ifndef BACKMAP_GIT_COMMIT
#define BACKMAP_GIT_COMMIT "unknown"
#endif

namespace BACKMAP {

using namespace training;

namespace {

std::string clock_text(double seconds)
{
  const long s = static_cast<long>(seconds);
  std::ostringstream o;
  o << s / 3600 << ":" << std::setw(2) << std::setfill('0') << (s / 60) % 60 << ":" << std::setw(2) << s % 60;
  return o.str();
}

double learning_rate(const TrainingConfig &c, long step, long total)
{
  if (step < c.warmup_steps) return c.learning_rate * (step + 1) / c.warmup_steps;
  const double t = std::min(1.0, static_cast<double>(step - c.warmup_steps) / std::max(1L, total - c.warmup_steps));
  return c.final_learning_rate + 0.5 * (c.learning_rate - c.final_learning_rate) * (1 + std::cos(M_PI * t));
}

// Batches of whole structures up to batch_beads beads, in a seeded random order.
std::vector<std::vector<std::size_t>> make_batches(const std::vector<SampleTensors> &set, int batch_beads,
                                                   std::mt19937_64 &rng)
{
  std::vector<std::size_t> order(set.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<std::vector<std::size_t>> batches;
  long beads = 0;
  for (std::size_t i : order) {
    if (batches.empty() || (beads + set[i].beads > batch_beads && !batches.back().empty())) {
      batches.emplace_back();
      beads = 0;
    }
    batches.back().push_back(i);
    beads += set[i].beads;
  }
  return batches;
}

}    // namespace

// ------------------------------------------------------------------ the loop

TrainingResult train(const TrainingConfig &c, std::ostream &log)
{
  using clock = std::chrono::steady_clock;
  torch::set_num_threads(c.threads);
  fs::create_directories(c.output);
  const MappingSet all_mappings = MappingSet::load(c.mapping);
  Model model = Model::create(c.molecules.empty() ? all_mappings : all_mappings.subset(c.molecules), c.model, c.seed);
  Model::Impl &impl = model.impl();
  const MappingSet &mappings = impl.mappings;    // the vocabulary points into this copy
  const BeadVocabulary &vocabulary = impl.vocabulary;
  const int K = vocabulary.max_slots();

  // split by protein, written down so the test split can be evaluated later
  std::vector<std::string> files[3];
  {
    std::ofstream split(fs::path(c.output) / "split.tsv");
    split << "file\tprotein\tsplit\n";
    const auto pinned_validation = expand_inputs(c.validation_inputs), pinned_test = expand_inputs(c.test_inputs);
    auto pinned = [](const std::vector<std::string> &list, const std::string &f) {
      for (const auto &p : list)
        if (same_file(f, p)) return true;
      return false;
    };
    auto all = expand_inputs(c.inputs);
    for (const auto *list : {&pinned_validation, &pinned_test})
      for (const auto &p : *list)
        if (std::none_of(all.begin(), all.end(), [&](const std::string &f) { return same_file(f, p); })) all.push_back(p);
    for (const auto &f : all) {
      const std::string group = protein_group(f);
      const Split s = pinned(pinned_test, f)         ? Split::Test
                      : pinned(pinned_validation, f) ? Split::Validation
                                                     : split_of(group, c.validation_fraction, c.test_fraction);
      files[static_cast<int>(s)].push_back(f);
      split << f << "\t" << group << "\t" << split_name(s) << "\n";
    }
    // trajectories: one row per block, "frames FIRST-LAST" in the group column
    for (const TrajectoryInput &t : c.trajectories)
      for (int s = 0; s < 3; ++s)
        if (t.has[s]) split << t.trajectory << "\tframes " << t.block[s].text() << "\t" << split_name(static_cast<Split>(s)) << "\n";
  }
  for (auto &list : files)
    if (c.max_files > 0 && static_cast<int>(list.size()) > c.max_files) list.resize(c.max_files);
  if (!c.inputs.empty())
    log << "files: " << files[0].size() << " train, " << files[1].size() << " validation, " << files[2].size()
        << " test (test split left untouched)\n";
  for (const TrajectoryInput &t : c.trajectories) {
    const long length = trajectory_length(t);
    log << "trajectory " << t.trajectory << ": " << length << " frames;";
    for (int s = 0; s < 3; ++s) {
      if (!t.has[s]) continue;
      if (t.block[s].last > length || t.block[s].first > length)
        throw std::runtime_error(t.trajectory + " has " + std::to_string(length) + " frames: the " +
                                 split_name(static_cast<Split>(s)) + " frames " + t.block[s].text() + " run past its end");
      log << " " << split_name(static_cast<Split>(s)) << " " << t.block[s].text();
    }
    log << (t.has[2] ? " (test frames left untouched)" : "") << "\n";
  }

  std::vector<SampleTensors> train_set, validation_set;
  for (int which : {0, 1}) {
    LoadReport report;
    auto samples = load_samples(files[which], mappings, vocabulary, report, [&](std::size_t i, std::size_t n) {
      if (i % 25 == 0) std::cerr << "\rloading " << split_name(static_cast<Split>(which)) << " " << i << "/" << n << std::flush;
    });
    std::cerr << "\r";
    for (const TrajectoryInput &t : c.trajectories) {
      if (!t.has[which]) continue;
      for (auto &s : load_frame_samples(t, t.block[which], mappings, vocabulary, report)) samples.push_back(std::move(s));
    }
    auto &set = which == 0 ? train_set : validation_set;
    for (const auto &s : samples) {
      try {
        set.push_back(to_tensors(s, c.model.cutoff));
      } catch (const std::exception &e) {
        log << "  skipped " << s.source << ": " << e.what() << "\n";
      }
    }
    log << split_name(static_cast<Split>(which)) << ": " << samples.size() << " structures (files and frames), " << report.residues
        << " residues, " << report.beads << " beads (" << report.unreadable << " files unreadable)\n";
    for (std::size_t k = 0; k < report.problems.size() && k < 5; ++k) log << "  unreadable: " << report.problems[k] << "\n";
  }
  if (train_set.empty()) throw std::runtime_error("no training structure could be loaded");

  EquivariantNet &net = impl.net;
  {
    std::vector<const SampleTensors *> all;
    for (const auto &s : train_set) all.push_back(&s);
    const SampleTensors everything = batch(all, K);
    net->initialise_lengths(everything.graph.types, everything.targets, everything.mask);
  }
  if (!c.learn_bond_lengths) net->freeze_lengths();
  if (!c.initial_model.empty()) {
    start_from(net, c.initial_model, model);
    log << "starting from the weights of " << c.initial_model << "\n";
  }
  {
    const auto t0 = clock::now();
    GeometryMeasurement measurement(mappings);
    for (const auto &f : files[0]) {
      try {
        measurement.add(read_structure(f));
      } catch (const std::exception &) {
        // reported when the samples were loaded
      }
    }
    for (const TrajectoryInput &t : c.trajectories)
      if (t.has[0]) for_each_frame(t, t.block[0], [&](long, const Structure &frame) { measurement.add(frame); });
    model.set_geometry(measurement.result());
    log << "ideal geometry: measured on " << model.geometry().residues_measured() << " training residues in "
        << std::chrono::duration<double>(clock::now() - t0).count() << " s\n";
  }
  torch::optim::Adam optimiser(net->parameters(), torch::optim::AdamOptions(c.learning_rate));
  Ema ema;
  ema.init(net);
  Progress progress;
  progress.model_config = model_config_json(c.model) + " mapping " + c.mapping;
  const std::string checkpoint = (fs::path(c.output) / "checkpoint.pt").string();
  const std::string model_path = (fs::path(c.output) / "model.pt").string();
  if (load_checkpoint(checkpoint, net, optimiser, ema, progress))
    log << "resumed from " << checkpoint << " at epoch " << progress.epoch << ", step " << progress.step << "\n";

  std::mt19937_64 rng(c.seed + 7919 * progress.epoch);
  const long steps_per_epoch = static_cast<long>(make_batches(train_set, c.batch_beads, rng).size());
  const long total_steps = steps_per_epoch * c.epochs;
  const bool new_log = !fs::exists(fs::path(c.output) / "log.csv");
  std::ofstream csv(fs::path(c.output) / "log.csv", std::ios::app);
  if (new_log)
    csv << "epoch,step,train_loss,val_rmsd_backbone,val_rmsd_side_chain,val_rmsd_all,val_bonds_off,learning_rate,"
           "elapsed_s\n";

  TrainingResult result;
  result.model_path = model_path;
  const auto start = clock::now();
  const double elapsed_before = progress.elapsed;
  auto elapsed = [&] { return elapsed_before + std::chrono::duration<double>(clock::now() - start).count(); };
  bool stop = false;
  const long first_step = progress.step;
  while (progress.epoch < c.epochs && !stop) {
    rng.seed(c.seed + 7919 * progress.epoch);
    torch::manual_seed(c.seed + progress.epoch);
    const auto batches = make_batches(train_set, c.batch_beads, rng);
    double loss_sum = 0;
    long loss_count = 0;
    bool epoch_complete = true;
    auto last_print = clock::now();
    for (std::size_t bi = 0; bi < batches.size(); ++bi) {
      std::vector<const SampleTensors *> parts;
      for (std::size_t i : batches[bi]) parts.push_back(&train_set[i]);
      SampleTensors b = batch(parts, K);
      if (c.rotate) b = rotated(b, random_rotation(rng));
      if (c.bead_noise > 0) b = noised(b, c.bead_noise, rng);
      const double lr = learning_rate(c, progress.step, total_steps);
      for (auto &group : optimiser.param_groups())
        static_cast<torch::optim::AdamOptions &>(group.options()).lr(lr);
      optimiser.zero_grad();
      Evaluation ev = evaluate(net, b, c, K);
      // a diverged step would poison the weights and every checkpoint after it: stop here,
      // before the optimiser applies it; the last checkpoint written stays as it was
      const double step_loss = ev.loss.item<double>();
      if (!std::isfinite(step_loss))
        throw std::runtime_error("training diverged: the loss of step " + std::to_string(progress.step + 1) +
                                 " (epoch " + std::to_string(progress.epoch + 1) + ") is " + std::to_string(step_loss) +
                                 "; no model was written (lower learning_rate or check the inputs)");
      ev.loss.backward();
      torch::nn::utils::clip_grad_norm_(net->parameters(), 10.0);
      optimiser.step();
      ema.update(net, progress.step < 100 ? 0.9 : c.ema_decay);
      ++progress.step;
      loss_sum += step_loss;
      ++loss_count;
      if (std::chrono::duration<double>(clock::now() - last_print).count() > 1.0 || bi + 1 == batches.size()) {
        last_print = clock::now();
        const double run = std::chrono::duration<double>(clock::now() - start).count();
        const double per_step = run / std::max(1L, progress.step - first_step);
        const double eta = per_step * std::max(0L, total_steps - progress.step);
        const int width = 30, filled = static_cast<int>(width * (bi + 1) / batches.size());
        std::cerr << "\repoch " << progress.epoch + 1 << "/" << c.epochs << " [" << std::string(filled, '#')
                  << std::string(width - filled, '.') << "] " << bi + 1 << "/" << batches.size() << " loss "
                  << std::setprecision(4) << loss_sum / loss_count << " lr " << lr << " elapsed "
                  << clock_text(run) << " ETA " << clock_text(eta) << "   " << std::flush;
      }
      if ((c.max_steps > 0 && progress.step >= c.max_steps) || (c.minutes > 0 && elapsed() > 60 * c.minutes)) {
        stop = true;
        epoch_complete = bi + 1 == batches.size();
        break;
      }
    }
    std::cerr << "\n";
    const double train_loss = loss_sum / std::max(1L, loss_count);
    if (progress.epoch == 0 && progress.first_loss == 0) progress.first_loss = train_loss;
    if (epoch_complete) ++progress.epoch;
    // validate and keep the best with the averaged weights
    ema.swap(net);
    const ValidationMetrics v = validate(net, validation_set.empty() ? train_set : validation_set, c, K);
    if (v.rmsd_all < progress.best) {
      progress.best = v.rmsd_all;
      nlohmann::json data = c.inputs;
      std::string split_text = c.inputs.empty() ? std::string()
                                                : "by protein (FNV-1a of the protein name): validation " +
                                                      std::to_string(c.validation_fraction) + ", test " +
                                                      std::to_string(c.test_fraction);
      for (const TrajectoryInput &t : c.trajectories) {
        std::string blocks;
        for (int s = 0; s < 3; ++s)
          if (t.has[s]) blocks += std::string(blocks.empty() ? "" : ", ") + split_name(static_cast<Split>(s)) + " " + t.block[s].text();
        data.push_back(t.trajectory + (t.topology.empty() ? "" : " (topology " + t.topology + ")"));
        split_text += (split_text.empty() ? "" : "; ") + t.trajectory + " by frames: " + blocks;
      }
      const nlohmann::json provenance = {
          {"data", data},
          {"mapping", mappings.name()},
          {"command", c.command},
          {"initial_model", c.initial_model},
          {"commit", BACKMAP_GIT_COMMIT},
          {"split", split_text},
          {"epoch", progress.epoch},
          {"step", progress.step},
          {"validation", {{"rmsd_backbone", v.rmsd[0]}, {"rmsd_side_chain", v.rmsd[1]}, {"rmsd_molecule", v.rmsd[2]},
                          {"rmsd_all_heavy", v.rmsd_all}, {"bonds_off_0.1A", v.bonds_off}}},
          {"training_seconds", elapsed()}};
      model.set_provenance_json(provenance.dump());
      model.save(model_path);
    }
    ema.swap(net);
    progress.elapsed = elapsed();
    save_checkpoint(checkpoint, net, optimiser, ema, progress);
    csv << progress.epoch << "," << progress.step << "," << train_loss << "," << v.rmsd[0] << "," << v.rmsd[1] << ","
        << v.rmsd_all << "," << v.bonds_off << "," << learning_rate(c, progress.step, total_steps) << ","
        << progress.elapsed << "\n"
        << std::flush;
    log << "epoch " << progress.epoch << " step " << progress.step << ": train loss " << train_loss
        << ", validation RMSD backbone " << v.rmsd[0] << " side chain " << v.rmsd[1] << " all " << v.rmsd_all
        << " A, bonds off >0.1 A " << 100 * v.bonds_off << " %" << (progress.best == v.rmsd_all ? " (best)" : "")
        << "\n";
    result.last_loss = train_loss;
  }
  result.first_loss = progress.first_loss;
  result.best_validation_rmsd = progress.best;
  result.epochs_done = progress.epoch;
  result.steps_done = progress.step;
  result.finished = progress.epoch >= c.epochs;
  return result;
}

}    // namespace BACKMAP
