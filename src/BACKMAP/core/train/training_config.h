/* BACKMAP core, train layer: the training configuration, read from YAML with every value
   range-checked where it stands (doc/training.md lists the keys). */
#ifndef BACKMAP_TRAINING_CONFIG_H
#define BACKMAP_TRAINING_CONFIG_H

#include "frame_range.h"
#include "model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace BACKMAP {

// A trajectory of atomistic frames (a molecule's MD run), split by frames: contiguous
// blocks, so that the test block is a stretch of the run the model never saw, not frames
// interleaved with (and nearly the same as) training frames.
struct TrajectoryInput {
  std::string trajectory;    // XTC/TRR, or a PDB of several models
  std::string topology;      // the atoms' names (PDB, GRO, .tpr); empty for a PDB of models
  FrameRange block[3];       // by Split: train, validation, test
  bool has[3] = {false, false, false};
};

struct TrainingConfig {
  std::vector<std::string> inputs;    // files, folders, globs
  std::vector<TrajectoryInput> trajectories;
  // Files pinned to the validation or test split whatever the fractions say (a whole bilayer
  // kept out as the test set); matched against `inputs` after expansion.
  std::vector<std::string> validation_inputs, test_inputs;
  std::string mapping = "martini3";
  std::vector<std::string> molecules;    // non-empty: the model maps and learns these only
  std::string output = "training";    // folder: model.pt, checkpoint.pt, log.csv, split.tsv
  ModelConfig model;
  int epochs = 20;
  int max_steps = 0;                  // > 0: stop after this many steps (smoke tests)
  int max_files = 0;                  // > 0: use only the first files of each split
  double minutes = 0;                 // > 0: stop (after checkpointing) when this much time is used
  int batch_beads = 3000;             // beads per optimisation step (whole structures)
  double learning_rate = 2e-3;
  double final_learning_rate = 1e-4;
  int warmup_steps = 200;
  double ema_decay = 0.995;
  double weight_vector = 1.0, weight_position = 1.0, weight_bond = 5.0, weight_angle = 1.0;
  double bond_tolerance = 0.03;       // Angstrom: bond errors below it cost nothing
  double angle_tolerance = 3.0;       // degrees
  double validation_fraction = 0.05, test_fraction = 0.05;
  bool rotate = true;                 // random rotation of every batch
  // > 0: every batch's beads move by Gaussian noise of this many Angstrom per axis, so that the
  // model meets bead shapes a CG force field makes, not only the exact centres of mapped atoms
  double bead_noise = 0;
  bool learn_bond_lengths = true;     // false: anchored bond lengths stay the training mean
  std::uint64_t seed = 1;
  int threads = 2;
  std::string initial_model;          // fine-tune: start from this model's weights (same config)
  std::string command;                // recorded in the model's provenance
};

// Reads a YAML configuration; unknown keys are errors that name the key and line.
TrainingConfig read_training_config(const std::string &path);

}    // namespace BACKMAP

#endif
