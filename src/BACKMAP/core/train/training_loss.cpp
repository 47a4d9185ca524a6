#include "training_loss.h"

#include <cmath>

namespace BACKMAP::training {

namespace {

torch::Tensor rebuild_atoms(const SampleTensors &b, const torch::Tensor &vectors, int slots)
{
  const auto g = torch::sparse_coo_tensor(b.g_index, b.g_value, {b.atom_count, b.beads});
  const auto m = torch::sparse_coo_tensor(b.m_index, b.m_value, {b.atom_count, b.beads * slots});
  return torch::mm(g, b.positions) + torch::mm(m, vectors.reshape({b.beads * slots, 3}));
}

// The truth atoms and slot targets with each set of interchangeable atoms permuted to fit the
// prediction best (a choline's three methyls have no names the beads could tell apart).
void best_permutations(const SampleTensors &b, const torch::Tensor &predicted_atoms, torch::Tensor &truth,
                       torch::Tensor &targets)
{
  truth = b.atoms;
  targets = b.targets;
  if (b.swap_atoms[0].size(0) == 0 && b.swap_atoms[1].size(0) == 0) return;
  torch::NoGradGuard no_grad;
  const auto pred = predicted_atoms.detach();
  auto flat_targets = b.targets.reshape({-1, 3});
  auto new_truth = b.atoms.clone(), new_targets = flat_targets.clone();
  for (int g = 0; g < 2; ++g) {
    const auto &rows = b.swap_atoms[g], &slots = b.swap_slots[g];
    const long sets = rows.size(0), size = g + 2;
    if (sets == 0) continue;
    const auto perms = size == 2 ? torch::tensor({0, 1, 1, 0}, torch::kLong).view({2, 2})
                                 : torch::tensor({0, 1, 2, 0, 2, 1, 1, 0, 2, 1, 2, 0, 2, 0, 1, 2, 1, 0}, torch::kLong).view({6, 3});
    const auto p = pred.index_select(0, rows.reshape({-1})).view({sets, size, 3});
    const auto t = b.atoms.index_select(0, rows.reshape({-1})).view({sets, size, 3});
    std::vector<torch::Tensor> errors;
    for (long k = 0; k < perms.size(0); ++k) errors.push_back((p - t.index_select(1, perms[k])).pow(2).sum({1, 2}));
    const auto chosen = perms.index_select(0, torch::stack(errors, 1).argmin(1));    // [sets, size]
    new_truth.index_copy_(0, rows.reshape({-1}), b.atoms.index_select(0, rows.gather(1, chosen).reshape({-1})));
    new_targets.index_copy_(0, slots.reshape({-1}), flat_targets.index_select(0, slots.gather(1, chosen).reshape({-1})));
  }
  truth = new_truth;
  targets = new_targets.view_as(b.targets);
}

}    // namespace

Evaluation evaluate(EquivariantNet &net, const SampleTensors &b, const TrainingConfig &c, int slots)
{
  Evaluation ev;
  const auto pred = net->forward(b.graph);
  const auto atoms = rebuild_atoms(b, pred, slots);
  torch::Tensor truth, targets;
  best_permutations(b, atoms, truth, targets);
  const auto mask_sum = b.mask.sum().clamp_min(1);
  const auto vector_loss = ((pred - targets).pow(2).sum(2) * b.mask).sum() / mask_sum;
  const auto sq = (atoms - truth).pow(2).sum(1);
  const auto position_loss = sq.mean();
  torch::Tensor bond_loss = torch::zeros({});
  torch::Tensor angle_loss = torch::zeros({});
  torch::Tensor bond_error;
  if (b.bonds.size(0) > 0) {
    auto length = [&](const torch::Tensor &x) {
      return (x.index_select(0, b.bonds.select(1, 0)) - x.index_select(0, b.bonds.select(1, 1))).norm(2, 1);
    };
    bond_error = (length(atoms) - length(truth)).abs();
    bond_loss = torch::relu(bond_error - c.bond_tolerance).pow(2).mean();
  }
  if (b.angles.size(0) > 0) {
    auto angle = [&](const torch::Tensor &x) {
      const auto v = x.index_select(0, b.angles.select(1, 1));
      const auto u = x.index_select(0, b.angles.select(1, 0)) - v;
      const auto w = x.index_select(0, b.angles.select(1, 2)) - v;
      const auto cosine = (u * w).sum(1) / (u.norm(2, 1) * w.norm(2, 1)).clamp_min(1e-6);
      return torch::acos(cosine.clamp(-0.999999, 0.999999));
    };
    const auto tolerance = c.angle_tolerance * M_PI / 180.0;
    angle_loss = torch::relu((angle(atoms) - angle(truth)).abs() - tolerance).pow(2).mean();
  }
  ev.loss = c.weight_vector * vector_loss + c.weight_position * position_loss + c.weight_bond * bond_loss +
      c.weight_angle * angle_loss;
  torch::NoGradGuard no_grad;
  for (int k = 0; k < 3; ++k) {
    const auto in_class = b.atom_class == k;
    ev.sq_error[k] = sq.masked_select(in_class).sum().item<double>();
    ev.atoms[k] = in_class.sum().item<long>();
  }
  if (bond_error.defined()) {
    ev.bonds = bond_error.size(0);
    ev.bonds_off = (bond_error > 0.1).sum().item<long>();
  }
  return ev;
}

ValidationMetrics validate(EquivariantNet &net, const std::vector<SampleTensors> &set, const TrainingConfig &c,
                           int slots)
{
  torch::NoGradGuard no_grad;
  net->eval();
  double sq[3] = {0, 0, 0};
  long n[3] = {0, 0, 0}, bonds = 0, off = 0;
  for (const auto &s : set) {
    const Evaluation ev = evaluate(net, batch({&s}, slots), c, slots);
    for (int k = 0; k < 3; ++k) {
      sq[k] += ev.sq_error[k];
      n[k] += ev.atoms[k];
    }
    bonds += ev.bonds;
    off += ev.bonds_off;
  }
  net->train();
  ValidationMetrics m;
  for (int k = 0; k < 3; ++k) m.rmsd[k] = n[k] ? std::sqrt(sq[k] / n[k]) : 0.0;
  const long total = n[0] + n[1] + n[2];
  m.rmsd_all = total ? std::sqrt((sq[0] + sq[1] + sq[2]) / total) : 0.0;
  m.bonds_off = bonds ? static_cast<double>(off) / bonds : 0.0;
  return m;
}

}    // namespace BACKMAP::training
