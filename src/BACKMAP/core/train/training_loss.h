/* BACKMAP core, train layer (internal): the loss (vectors, rebuilt positions, bonds, angles)
   and the validation metrics. */
#ifndef BACKMAP_TRAINING_LOSS_H
#define BACKMAP_TRAINING_LOSS_H

#include "training_config.h"
#include "training_tensors.h"

namespace BACKMAP::training {

struct Evaluation {
  torch::Tensor loss;
  double sq_error[3] = {0, 0, 0};    // summed squared atom errors per class
  long atoms[3] = {0, 0, 0};
  long bonds = 0, bonds_off = 0;      // bonds more than 0.1 A from the truth
};

struct ValidationMetrics {
  double rmsd[3] = {0, 0, 0};    // backbone, side chain, molecule
  double rmsd_all = 0, bonds_off = 0;
};

Evaluation evaluate(EquivariantNet &net, const SampleTensors &batch, const TrainingConfig &config, int slots);
ValidationMetrics validate(EquivariantNet &net, const std::vector<SampleTensors> &set, const TrainingConfig &config,
                           int slots);

}    // namespace BACKMAP::training

#endif
