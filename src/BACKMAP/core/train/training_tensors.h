/* BACKMAP core, train layer (internal): a training sample as tensors, batches of samples,
   random rotations and bead noise. */
#ifndef BACKMAP_TRAINING_TENSORS_H
#define BACKMAP_TRAINING_TENSORS_H

#include "network.h"
#include "training_sample.h"

#include <torch/torch.h>

#include <random>
#include <vector>

namespace BACKMAP::training {

struct SampleTensors {
  GraphTensors graph;
  torch::Tensor positions;    // [N, 3]
  torch::Tensor targets;      // [N, K, 3]
  torch::Tensor mask;         // [N, K]
  torch::Tensor root;         // [N, K]: 1 where the slot's vector starts at the bead
  torch::Tensor atoms;        // [A, 3]
  torch::Tensor atom_class;   // [A] long
  torch::Tensor g_index, g_value, m_index, m_value;    // COO of G [A, N] and M [A, N*K]
  torch::Tensor bonds;        // [B, 2] long
  torch::Tensor angles;       // [T, 3] long
  // interchangeable atoms, by set size (2 and 3): atom rows and slots (bead*K + k) [G, size]
  torch::Tensor swap_atoms[2], swap_slots[2];
  long beads = 0, atom_count = 0;
};

SampleTensors to_tensors(const TrainingSample &sample, double cutoff);
SampleTensors batch(const std::vector<const SampleTensors *> &parts, int slots);
torch::Tensor random_rotation(std::mt19937_64 &rng);
SampleTensors rotated(const SampleTensors &sample, const torch::Tensor &rotation);
// Every bead moved by an independent Gaussian displacement of `sigma` Angstrom per axis, the
// atoms left where they are: the edge vectors follow the beads and each vector that starts at
// a bead is shortened by its bead's displacement, so beads + vectors still rebuild the truth.
SampleTensors noised(const SampleTensors &sample, double sigma, std::mt19937_64 &rng);

}    // namespace BACKMAP::training

#endif
