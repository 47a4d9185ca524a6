#include "training_config.h"

#include "file_error.h"
#include "file_formats.h"
#include "gromacs_trajectory.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <set>
#include <stdexcept>

namespace fs = std::filesystem;

namespace BACKMAP {

namespace {

// One entry of `trajectories`: its files (relative to the configuration) and its blocks of
// frames, which may not overlap.
TrajectoryInput read_trajectory_input(const YAML::Node &t, const std::string &path,
                                      const std::function<std::string(const std::string &)> &resolve)
{
  const std::string at = path + ":" + std::to_string(t.Mark().line + 1) + ": ";
  if (!t.IsMap())
    throw std::runtime_error(at + "a trajectory is a map {trajectory, topology, train, validation, test}");
  for (const auto &kv : t) {
    const std::string key = kv.first.as<std::string>();
    if (key != "trajectory" && key != "topology" && key != "train" && key != "validation" && key != "test")
      throw std::runtime_error(path + ":" + std::to_string(kv.first.Mark().line + 1) + ": unknown key '" + key +
                               "' in a trajectory (allowed: trajectory, topology, train, validation, test)");
  }
  TrajectoryInput in;
  if (!t["trajectory"]) throw std::runtime_error(at + "the trajectory entry has no 'trajectory' (its frames file)");
  in.trajectory = resolve(t["trajectory"].as<std::string>());
  if (t["topology"]) in.topology = resolve(t["topology"].as<std::string>());
  if (in.topology.empty() && is_gromacs_trajectory(in.trajectory))
    throw std::runtime_error(at + in.trajectory + " holds coordinates only: give 'topology', the structure (PDB, GRO "
                                  "or .tpr) that names its atoms");
  const char *names[3] = {"train", "validation", "test"};
  for (int s = 0; s < 3; ++s) {
    const YAML::Node block = t[names[s]];
    if (!block) continue;
    try {
      in.block[s] = parse_frame_range(block.as<std::string>());
    } catch (const std::invalid_argument &e) {
      throw std::runtime_error(path + ":" + std::to_string(block.Mark().line + 1) + ": " + names[s] + ": " + e.what());
    }
    in.has[s] = true;
    for (int o = 0; o < s; ++o)
      if (in.has[o] && in.block[o].overlaps(in.block[s]))
        throw std::runtime_error(path + ":" + std::to_string(block.Mark().line + 1) + ": the " + names[s] +
                                 " frames " + in.block[s].text() + " overlap the " + names[o] + " frames " +
                                 in.block[o].text() + " of " + in.trajectory);
  }
  if (!in.has[0] && !in.has[1] && !in.has[2])
    throw std::runtime_error(at + in.trajectory + ": give its train, validation and test frames (e.g. train: 1-400)");
  return in;
}

}    // namespace

// ------------------------------------------------------------------ configuration

TrainingConfig read_training_config(const std::string &path)
{
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(path);
  } catch (const YAML::Exception &e) {
    fail_at(path, e.mark.line + 1, e.msg);
  }
  TrainingConfig c;
  const std::set<std::string> known = {
      "inputs", "mapping", "output", "epochs", "max_steps", "max_files", "minutes", "batch_beads",
      "learning_rate", "final_learning_rate", "warmup_steps", "ema_decay", "weight_vector", "weight_position",
      "weight_bond", "weight_angle", "bond_tolerance", "angle_tolerance", "validation_fraction", "test_fraction",
      "rotate", "seed", "threads", "model", "initial_model", "molecules", "validation_inputs", "test_inputs", "learn_bond_lengths", "trajectories",
      "bead_noise"};
  const std::set<std::string> model_keys = {"cutoff", "features", "vector_channels", "pseudo_channels",
                                            "radial_basis", "layers", "neighbour_norm", "own_residue_only"};
  auto check = [&](const YAML::Node &node, const std::set<std::string> &allowed, const std::string &where) {
    for (const auto &kv : node) {
      const std::string key = kv.first.as<std::string>();
      if (!allowed.count(key))
        fail_at(path, kv.first.Mark().line + 1, "unknown key '" + key + "' in " + where);
    }
  };
  try {
    check(doc, known, "the training configuration");
    // relative input paths are relative to the configuration file
    const fs::path base = fs::path(path).parent_path();
    auto resolve = [&](const std::string &p) { return fs::path(p).is_absolute() ? p : (base / p).string(); };
    if (doc["inputs"])
      for (const auto &in : doc["inputs"]) c.inputs.push_back(resolve(in.as<std::string>()));
    if (doc["validation_inputs"])
      for (const auto &in : doc["validation_inputs"]) c.validation_inputs.push_back(resolve(in.as<std::string>()));
    if (doc["test_inputs"])
      for (const auto &in : doc["test_inputs"]) c.test_inputs.push_back(resolve(in.as<std::string>()));
    if (const YAML::Node list = doc["trajectories"]) {
      if (!list.IsSequence())
        throw std::runtime_error(path + ":" + std::to_string(list.Mark().line + 1) +
                                 ": trajectories must be a list of {trajectory, topology, train, validation, test}");
      for (const auto &t : list) c.trajectories.push_back(read_trajectory_input(t, path, resolve));
    }
    if (doc["molecules"])
      for (const auto &m : doc["molecules"]) c.molecules.push_back(m.as<std::string>());
    // each value read is range-checked where it stands, so the message names its line
    auto require = [&](const char *key, bool ok, const std::string &what) {
      if (doc[key] && !ok) fail_at(path, doc[key].Mark().line + 1, key + (" must be " + what));
    };
#define READ(key) \
  if (doc[#key]) c.key = doc[#key].as<decltype(c.key)>()
    READ(mapping);
    READ(epochs);
    READ(max_steps);
    READ(max_files);
    READ(minutes);
    READ(batch_beads);
    READ(learning_rate);
    READ(final_learning_rate);
    READ(warmup_steps);
    READ(ema_decay);
    READ(weight_vector);
    READ(weight_position);
    READ(weight_bond);
    READ(weight_angle);
    READ(bond_tolerance);
    READ(angle_tolerance);
    READ(validation_fraction);
    READ(test_fraction);
    READ(rotate);
    READ(bead_noise);
    READ(learn_bond_lengths);
    READ(seed);
    READ(threads);
#undef READ
    require("epochs", c.epochs >= 1, "at least 1");
    require("max_steps", c.max_steps >= 0, "0 (no limit) or positive");
    require("max_files", c.max_files >= 0, "0 (no limit) or positive");
    require("minutes", c.minutes >= 0, "0 (no limit) or positive");
    require("batch_beads", c.batch_beads >= 1, "a positive bead count");
    require("learning_rate", std::isfinite(c.learning_rate) && c.learning_rate > 0 && c.learning_rate < 1,
            "between 0 and 1 (exclusive)");
    require("final_learning_rate", std::isfinite(c.final_learning_rate) && c.final_learning_rate >= 0 &&
                                       c.final_learning_rate <= c.learning_rate,
            "between 0 and learning_rate");
    require("bead_noise", std::isfinite(c.bead_noise) && c.bead_noise >= 0 && c.bead_noise <= 2,
            "between 0 and 2 Angstrom");
    require("warmup_steps", c.warmup_steps >= 0, "0 or positive");
    require("ema_decay", c.ema_decay >= 0 && c.ema_decay < 1, "in [0, 1)");
    require("weight_vector", std::isfinite(c.weight_vector) && c.weight_vector >= 0, "0 or positive");
    require("weight_position", std::isfinite(c.weight_position) && c.weight_position >= 0, "0 or positive");
    require("weight_bond", std::isfinite(c.weight_bond) && c.weight_bond >= 0, "0 or positive");
    require("weight_angle", std::isfinite(c.weight_angle) && c.weight_angle >= 0, "0 or positive");
    require("bond_tolerance", std::isfinite(c.bond_tolerance) && c.bond_tolerance >= 0, "0 or positive");
    require("angle_tolerance", std::isfinite(c.angle_tolerance) && c.angle_tolerance >= 0, "0 or positive");
    require("validation_fraction", c.validation_fraction >= 0 && c.validation_fraction < 1, "in [0, 1)");
    require("test_fraction", c.test_fraction >= 0 && c.test_fraction < 1, "in [0, 1)");
    if (doc["validation_fraction"] || doc["test_fraction"])
      if (c.validation_fraction + c.test_fraction >= 1)
        fail_at(path, 0, "validation_fraction + test_fraction must leave data to train on (< 1)");
    require("threads", c.threads >= 1, "at least 1");
    if (doc["output"]) c.output = resolve(doc["output"].as<std::string>());
    if (doc["initial_model"]) c.initial_model = resolve(doc["initial_model"].as<std::string>());
    if (const YAML::Node m = doc["model"]) {
      check(m, model_keys, "'model'");
#define READM(key) \
  if (m[#key]) c.model.key = m[#key].as<decltype(c.model.key)>()
      READM(cutoff);
      READM(features);
      READM(vector_channels);
      READM(pseudo_channels);
      READM(radial_basis);
      READM(layers);
      READM(neighbour_norm);
      READM(own_residue_only);
#undef READM
      auto require_model = [&](const char *key, bool ok, const std::string &what) {
        if (m[key] && !ok)
          fail_at(path, m[key].Mark().line + 1, "model." + (key + (" must be " + what)));
      };
      require_model("cutoff", std::isfinite(c.model.cutoff) && c.model.cutoff > 0, "positive (Angstrom)");
      for (const char *k : {"features", "vector_channels", "pseudo_channels", "radial_basis", "layers"}) {
        const int v = k == std::string("features")          ? c.model.features
                      : k == std::string("vector_channels") ? c.model.vector_channels
                      : k == std::string("pseudo_channels") ? c.model.pseudo_channels
                      : k == std::string("radial_basis")    ? c.model.radial_basis
                                                            : c.model.layers;
        require_model(k, v >= 1, "at least 1");
      }
      require_model("neighbour_norm", std::isfinite(c.model.neighbour_norm) && c.model.neighbour_norm > 0, "positive");
    }
  } catch (const YAML::Exception &e) {
    fail_at(path, e.mark.line + 1, e.msg);
  }
  if (c.inputs.empty() && c.trajectories.empty())
    fail_at(path, 0, "'inputs' lists no structures and 'trajectories' no trajectory");
  return c;
}

}    // namespace BACKMAP
