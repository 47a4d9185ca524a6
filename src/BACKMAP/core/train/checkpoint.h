/* BACKMAP core, train layer (internal): the weights' moving average and the checkpoint that
   lets training resume where it stopped. */
#ifndef BACKMAP_CHECKPOINT_H
#define BACKMAP_CHECKPOINT_H

#include "model.h"
#include "network.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace BACKMAP::training {

struct Ema {
  std::vector<torch::Tensor> shadow;
  void init(EquivariantNet &net)
  {
    shadow.clear();
    for (const auto &p : net->parameters()) shadow.push_back(p.detach().clone());
  }
  void update(EquivariantNet &net, double decay)
  {
    torch::NoGradGuard no_grad;
    auto params = net->parameters();
    for (std::size_t i = 0; i < params.size(); ++i) shadow[i].mul_(decay).add_(params[i].detach(), 1 - decay);
  }
  // swaps the averaged weights in (and back out on the second call)
  void swap(EquivariantNet &net)
  {
    torch::NoGradGuard no_grad;
    auto params = net->parameters();
    for (std::size_t i = 0; i < params.size(); ++i) {
      auto tmp = params[i].detach().clone();
      params[i].copy_(shadow[i]);
      shadow[i].copy_(tmp);
    }
  }
};

struct Progress {
  int epoch = 0;
  long step = 0;
  double best = 1e30;
  double first_loss = 0;
  double elapsed = 0;    // seconds of training over all runs
  std::string model_config;    // the network's hyper-parameters: a checkpoint only fits the same
};

void save_checkpoint(const std::string &path, EquivariantNet &net, torch::optim::Adam &optimiser, const Ema &ema,
                     const Progress &progress);
// false when there is no checkpoint; throws when it does not fit this configuration
bool load_checkpoint(const std::string &path, EquivariantNet &net, torch::optim::Adam &optimiser, Ema &ema,
                     Progress &progress);
// fine-tuning: the network starts from `path`'s weights, which must have `model`'s configuration
void start_from(EquivariantNet &net, const std::string &path, const Model &model);

}    // namespace BACKMAP::training

#endif
