/* BACKMAP core (LibTorch): the equivariant, strictly local network. Include only where
   tensors are needed (model.cpp, trainer.cpp): <torch/torch.h> is slow to compile.

   Per bead i, from its neighbours j within the cutoff (r_ij, relation in sequence):
   - edge scalars e_ij = MLP(type_i, type_j, Bessel(r_ij), relation) * envelope(r_ij)
   - vector channels V_i = sum_j W(e_ij) r_ij/|r_ij|                 (proper vectors)
   - invariants of V_i: Gram matrix (scalars) and triple products (A x B).C (pseudoscalars:
     they change sign in a mirror, which is what lets the network tell L from D)
   - bead scalars h_i updated from these; edges refined with h_i only (never h_j), so the
     receptive field stays the cutoff sphere
   - output per slot k: sum_c a_kc(h) V_c + sum_c b_kc(h, p) (X_c x Y_c), b odd in p, so
     both terms are proper vectors; slots anchored on an atom keep the predicted direction
     and take a learned length per (bead type, slot), so bond lengths come out right. */
#ifndef BACKMAP_NETWORK_H
#define BACKMAP_NETWORK_H

#include "model.h"

#include <torch/torch.h>

namespace BACKMAP {

struct GraphTensors {
  torch::Tensor types;        // [N] long
  torch::Tensor centre;       // [E] long
  torch::Tensor neighbour;    // [E] long
  torch::Tensor vectors;      // [E, 3] float: x_neighbour - x_centre
  torch::Tensor relation;     // [E] long
};

GraphTensors graph_tensors(const BeadFrame &frame, const EdgeList &edges);

class EquivariantNetImpl : public torch::nn::Module {
 public:
  EquivariantNetImpl(const ModelConfig &config, int types, int slots, const std::vector<std::vector<int>> &anchored);
  torch::Tensor forward(const GraphTensors &g);    // [N, K, 3]

  // Sets each anchored slot's length to the mean length of its targets.
  void initialise_lengths(const torch::Tensor &types, const torch::Tensor &targets, const torch::Tensor &mask);
  // Keeps those lengths as measured: where a direction is uncertain (a lipid tail), a learnt
  // length shrinks to lower the mean position error and every bond comes out too short.
  void freeze_lengths() { log_length_.set_requires_grad(false); }

 private:
  torch::Tensor radial(const torch::Tensor &distance) const;

  ModelConfig config_;
  int slots_;
  torch::nn::Embedding embed_{nullptr};
  torch::nn::Sequential edge_init_{nullptr};
  torch::nn::ModuleList edge_to_vector_, vector_mix_, node_update_, edge_update_;
  torch::nn::ModuleList pseudo_a_, pseudo_b_, pseudo_c_;
  torch::nn::Linear out_vector_{nullptr}, out_cross_even_{nullptr}, out_cross_odd_{nullptr};
  torch::nn::Linear cross_x_{nullptr}, cross_y_{nullptr};
  torch::Tensor log_length_, anchored_;
};
TORCH_MODULE(EquivariantNet);

}    // namespace BACKMAP

#endif
