/* BACKMAP core: training a model (backmap train). The configuration is a YAML file; every
   key has a default (doc/training.md). Training checkpoints after every epoch and resumes
   from the checkpoint in its output folder, keeps the best model by validation all-heavy
   RMSD (weights averaged by an exponential moving average), and writes a CSV log. */
#ifndef BACKMAP_TRAINER_H
#define BACKMAP_TRAINER_H

#include "model.h"
#include "training_config.h"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace BACKMAP {

struct TrainingResult {
  std::string model_path;
  double best_validation_rmsd = 0;
  int epochs_done = 0;
  long steps_done = 0;
  double first_loss = 0, last_loss = 0;    // mean training loss of the first and last epoch run
  bool finished = false;                   // all epochs done (not stopped by max_steps/minutes)
};

TrainingResult train(const TrainingConfig &config, std::ostream &log);

}    // namespace BACKMAP

#endif
