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

}    // namespace

Evaluation evaluate(EquivariantNet &net, const SampleTensors &b, const TrainingConfig &c, int slots)
{
  Evaluation ev;
  const auto pred = net->forward(b.graph);
  const auto mask_sum = b.mask.sum().clamp_min(1);
  const auto vector_loss = ((pred - b.targets).pow(2).sum(2) * b.mask).sum() / mask_sum;
  const auto atoms = rebuild_atoms(b, pred, slots);
  const auto sq = (atoms - b.atoms).pow(2).sum(1);
  const auto position_loss = sq.mean();
  torch::Tensor bond_loss = torch::zeros({});
  torch::Tensor angle_loss = torch::zeros({});
  torch::Tensor bond_error;
  if (b.bonds.size(0) > 0) {
    auto length = [&](const torch::Tensor &x) {
      return (x.index_select(0, b.bonds.select(1, 0)) - x.index_select(0, b.bonds.select(1, 1))).norm(2, 1);
    };
    bond_error = (length(atoms) - length(b.atoms)).abs();
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
    angle_loss = torch::relu((angle(atoms) - angle(b.atoms)).abs() - tolerance).pow(2).mean();
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
