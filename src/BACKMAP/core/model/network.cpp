#include "network.h"

#include <cmath>

namespace BACKMAP {

namespace {

// A channel-mixing linear map applied to vector channels [N, C, 3]; without bias it commutes
// with rotations and reflections.
torch::Tensor mix(torch::nn::LinearImpl &lin, const torch::Tensor &v)
{
  return lin.forward(v.transpose(1, 2)).transpose(1, 2);
}

torch::nn::Sequential mlp(int in, int hidden, int out)
{
  return torch::nn::Sequential(torch::nn::Linear(in, hidden), torch::nn::SiLU(), torch::nn::Linear(hidden, out));
}

torch::nn::Linear no_bias(int in, int out)
{
  return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false));
}

}    // namespace

GraphTensors graph_tensors(const BeadFrame &frame, const EdgeList &edges)
{
  GraphTensors g;
  const auto n = static_cast<long>(frame.size()), e = static_cast<long>(edges.size());
  g.types = torch::empty({n}, torch::kLong);
  auto t = g.types.accessor<long, 1>();
  for (long i = 0; i < n; ++i) t[i] = frame.types[i];
  g.centre = torch::empty({e}, torch::kLong);
  g.neighbour = torch::empty({e}, torch::kLong);
  g.relation = torch::empty({e}, torch::kLong);
  g.vectors = torch::empty({e, 3}, torch::kFloat);
  auto c = g.centre.accessor<long, 1>(), nb = g.neighbour.accessor<long, 1>(), r = g.relation.accessor<long, 1>();
  auto v = g.vectors.accessor<float, 2>();
  for (long k = 0; k < e; ++k) {
    c[k] = edges.centre[k];
    nb[k] = edges.neighbour[k];
    r[k] = edges.relation[k];
    for (int x = 0; x < 3; ++x) v[k][x] = static_cast<float>(edges.vector[k][x]);
  }
  return g;
}

EquivariantNetImpl::EquivariantNetImpl(const ModelConfig &config, int types, int slots,
                                       const std::vector<std::vector<int>> &anchored)
    : config_(config), slots_(slots)
{
  const int F = config.features, Cv = config.vector_channels, Cp = config.pseudo_channels, R = config.radial_basis;
  embed_ = register_module("embed", torch::nn::Embedding(types, F));
  edge_init_ = register_module("edge_init", mlp(2 * F + R + sequence_relation_count, F, F));
  edge_to_vector_ = register_module("edge_to_vector", torch::nn::ModuleList());
  vector_mix_ = register_module("vector_mix", torch::nn::ModuleList());
  node_update_ = register_module("node_update", torch::nn::ModuleList());
  edge_update_ = register_module("edge_update", torch::nn::ModuleList());
  pseudo_a_ = register_module("pseudo_a", torch::nn::ModuleList());
  pseudo_b_ = register_module("pseudo_b", torch::nn::ModuleList());
  pseudo_c_ = register_module("pseudo_c", torch::nn::ModuleList());
  for (int l = 0; l < config.layers; ++l) {
    edge_to_vector_->push_back(torch::nn::Linear(F, Cv));
    vector_mix_->push_back(no_bias(Cv, Cv));
    node_update_->push_back(mlp(2 * F + Cv * Cv + Cp, F, F));
    edge_update_->push_back(mlp(2 * F, F, F));
    pseudo_a_->push_back(no_bias(Cv, Cp));
    pseudo_b_->push_back(no_bias(Cv, Cp));
    pseudo_c_->push_back(no_bias(Cv, Cp));
  }
  out_vector_ = register_module("out_vector", torch::nn::Linear(F, slots * Cv));
  cross_x_ = register_module("cross_x", no_bias(Cv, Cp));
  cross_y_ = register_module("cross_y", no_bias(Cv, Cp));
  out_cross_even_ = register_module("out_cross_even", torch::nn::Linear(F, slots * Cp));
  out_cross_odd_ = register_module("out_cross_odd", no_bias(Cp, slots * Cp));
  auto a = torch::zeros({types, slots});
  for (int t = 0; t < types; ++t)
    for (int k : anchored[t]) a[t][k] = 1.0;
  anchored_ = register_buffer("anchored", a);
  log_length_ = register_parameter("log_length", torch::full({types, slots}, std::log(1.4)));
}

torch::Tensor EquivariantNetImpl::radial(const torch::Tensor &d) const
{
  const double rc = config_.cutoff;
  auto n = torch::arange(1, config_.radial_basis + 1, torch::kFloat).unsqueeze(0);
  auto bessel = std::sqrt(2.0 / rc) * torch::sin(n * M_PI * d / rc) / d;
  return bessel;
}

torch::Tensor EquivariantNetImpl::forward(const GraphTensors &g)
{
  const long N = g.types.size(0);
  const int Cv = config_.vector_channels, Cp = config_.pseudo_channels, K = slots_;
  const double norm = config_.neighbour_norm;
  auto h = embed_->forward(g.types);
  auto d = g.vectors.norm(2, 1, true).clamp_min(1e-6);
  auto unit = g.vectors / d;
  auto x = d / config_.cutoff;
  // polynomial envelope (p = 6): goes smoothly to zero at the cutoff
  auto envelope = (1 - 28 * x.pow(6) + 48 * x.pow(7) - 21 * x.pow(8)) * (x < 1).to(torch::kFloat);
  // a zero envelope removes an edge exactly (its messages, its bias, its refinement), and the
  // sums are scaled by a constant, so this is the network on the residue's own beads alone
  if (config_.own_residue_only) envelope = envelope * (g.relation == SameResidue).to(torch::kFloat).unsqueeze(1);
  auto relation = torch::one_hot(g.relation, sequence_relation_count).to(torch::kFloat);
  auto e = edge_init_->forward(torch::cat({h.index_select(0, g.centre), h.index_select(0, g.neighbour),
                                           radial(d), relation}, 1)) * envelope;
  torch::Tensor v, p;
  for (int l = 0; l < config_.layers; ++l) {
    auto to_vector = edge_to_vector_[l]->as<torch::nn::Linear>();
    // the envelope also scales the bias, so a bead entering the cutoff starts from zero weight
    auto w = to_vector->forward(e) * envelope;
    auto fresh = torch::zeros({N, Cv, 3}).index_add(0, g.centre, w.unsqueeze(2) * unit.unsqueeze(1)) / norm;
    if (l == 0) {
      v = fresh;
    } else {
      auto mixer = vector_mix_[l]->as<torch::nn::Linear>();
      v = mix(*mixer, v) + fresh;
    }
    auto s = torch::zeros({N, config_.features}).index_add(0, g.centre, e) / norm;
    auto gram = torch::bmm(v, v.transpose(1, 2)).reshape({N, Cv * Cv});
    auto a = mix(*pseudo_a_[l]->as<torch::nn::Linear>(), v);
    auto b = mix(*pseudo_b_[l]->as<torch::nn::Linear>(), v);
    auto c = mix(*pseudo_c_[l]->as<torch::nn::Linear>(), v);
    p = (torch::cross(a, b, 2) * c).sum(2);
    auto update = node_update_[l]->as<torch::nn::Sequential>();
    h = h + update->forward(torch::cat({h, s, gram, p * p}, 1));
    if (l + 1 < config_.layers) {
      auto refine = edge_update_[l]->as<torch::nn::Sequential>();
      e = e + refine->forward(torch::cat({e, h.index_select(0, g.centre)}, 1)) * envelope;
    }
  }
  auto coeff = out_vector_->forward(h).view({N, K, Cv});
  auto out = torch::einsum("nkc,ncx->nkx", {coeff, v});
  auto cross = torch::cross(mix(*cross_x_, v), mix(*cross_y_, v), 2);
  auto odd = out_cross_even_->forward(h).view({N, K, Cp}) * out_cross_odd_->forward(p).view({N, K, Cp});
  out = out + torch::einsum("nkc,ncx->nkx", {odd, cross});
  auto anchored = anchored_.index_select(0, g.types).unsqueeze(2);
  auto length = log_length_.index_select(0, g.types).exp().unsqueeze(2);
  auto direction = out / out.norm(2, 2, true).clamp_min(1e-6);
  return anchored * direction * length + (1 - anchored) * out;
}

void EquivariantNetImpl::initialise_lengths(const torch::Tensor &types, const torch::Tensor &targets,
                                            const torch::Tensor &mask)
{
  torch::NoGradGuard no_grad;
  const long T = log_length_.size(0);
  auto lengths = targets.norm(2, 2) * mask;    // [N, K]
  auto sums = torch::zeros({T, slots_}).index_add(0, types, lengths);
  auto counts = torch::zeros({T, slots_}).index_add(0, types, mask);
  auto mean = sums / counts.clamp_min(1);
  log_length_.copy_(torch::where(counts > 0, mean.clamp_min(0.5).log(), log_length_));
}

}    // namespace BACKMAP
