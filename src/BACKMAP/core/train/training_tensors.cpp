#include "training_tensors.h"

#include <cmath>

namespace BACKMAP::training {

namespace {

torch::Tensor vec3_tensor(const std::vector<Vec3> &v)
{
  auto t = torch::empty({static_cast<long>(v.size()), 3}, torch::kFloat);
  auto a = t.accessor<float, 2>();
  for (std::size_t i = 0; i < v.size(); ++i)
    for (int x = 0; x < 3; ++x) a[i][x] = static_cast<float>(v[i][x]);
  return t;
}

void sparse_tensors(const std::vector<SparseEntry> &entries, torch::Tensor &index, torch::Tensor &value)
{
  index = torch::empty({2, static_cast<long>(entries.size())}, torch::kLong);
  value = torch::empty({static_cast<long>(entries.size())}, torch::kFloat);
  auto ix = index.accessor<long, 2>();
  auto v = value.accessor<float, 1>();
  for (std::size_t k = 0; k < entries.size(); ++k) {
    ix[0][k] = entries[k].row;
    ix[1][k] = entries[k].column;
    v[k] = static_cast<float>(entries[k].weight);
  }
}

template <std::size_t D> torch::Tensor index_tensor(const std::vector<std::array<int, D>> &rows)
{
  auto t = torch::empty({static_cast<long>(rows.size()), static_cast<long>(D)}, torch::kLong);
  auto a = t.accessor<long, 2>();
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t d = 0; d < D; ++d) a[i][d] = rows[i][d];
  return t;
}

}    // namespace

SampleTensors to_tensors(const TrainingSample &s, double cutoff)
{
  SampleTensors t;
  const BeadFrame &f = s.prepared.frame;
  t.beads = static_cast<long>(f.size());
  t.graph = graph_tensors(f, build_edges(f, cutoff));
  t.positions = vec3_tensor(f.positions);
  t.targets = vec3_tensor(s.targets).view({t.beads, s.slots, 3});
  t.mask = torch::empty({t.beads * s.slots}, torch::kFloat);
  auto m = t.mask.accessor<float, 1>();
  for (std::size_t i = 0; i < s.target_mask.size(); ++i) m[i] = s.target_mask[i];
  t.mask = t.mask.view({t.beads, s.slots});
  t.root = torch::empty({t.beads * s.slots}, torch::kFloat);
  auto r = t.root.accessor<float, 1>();
  for (std::size_t i = 0; i < s.root_slot.size(); ++i) r[i] = s.root_slot[i];
  t.root = t.root.view({t.beads, s.slots});
  t.atoms = vec3_tensor(s.atoms);
  t.atom_count = static_cast<long>(s.atoms.size());
  t.atom_class = torch::empty({t.atom_count}, torch::kLong);
  auto c = t.atom_class.accessor<long, 1>();
  for (long i = 0; i < t.atom_count; ++i) c[i] = static_cast<long>(s.atom_class[i]);
  sparse_tensors(s.bead_weights, t.g_index, t.g_value);
  sparse_tensors(s.slot_weights, t.m_index, t.m_value);
  t.bonds = index_tensor(s.bonds);
  t.angles = index_tensor(s.angles);
  for (int size : {2, 3}) {
    std::vector<long> atoms, slots;
    for (const auto &set : s.interchangeable)
      if (static_cast<int>(set.size()) == size)
        for (const auto &[row, slot] : set) {
          atoms.push_back(row);
          slots.push_back(slot);
        }
    t.swap_atoms[size - 2] = torch::tensor(atoms, torch::kLong).view({-1, size});
    t.swap_slots[size - 2] = torch::tensor(slots, torch::kLong).view({-1, size});
  }
  return t;
}

// Many samples as one graph: indices are offset, everything else concatenated.
SampleTensors batch(const std::vector<const SampleTensors *> &parts, int slots)
{
  SampleTensors b;
  std::vector<torch::Tensor> types, centre, neighbour, vectors, relation, positions, targets, mask, root, atoms, cls, gi, gv,
      mi, mv, bonds, angles, swap_atoms[2], swap_slots[2];
  long bead_offset = 0, atom_offset = 0;
  for (const SampleTensors *p : parts) {
    types.push_back(p->graph.types);
    centre.push_back(p->graph.centre + bead_offset);
    neighbour.push_back(p->graph.neighbour + bead_offset);
    vectors.push_back(p->graph.vectors);
    relation.push_back(p->graph.relation);
    positions.push_back(p->positions);
    targets.push_back(p->targets);
    mask.push_back(p->mask);
    root.push_back(p->root);
    atoms.push_back(p->atoms);
    cls.push_back(p->atom_class);
    const auto shift_g = torch::tensor({atom_offset, bead_offset}).view({2, 1});
    const auto shift_m = torch::tensor({atom_offset, bead_offset * slots}).view({2, 1});
    gi.push_back(p->g_index + shift_g);
    gv.push_back(p->g_value);
    mi.push_back(p->m_index + shift_m);
    mv.push_back(p->m_value);
    bonds.push_back(p->bonds + atom_offset);
    angles.push_back(p->angles + atom_offset);
    for (int g = 0; g < 2; ++g) {
      swap_atoms[g].push_back(p->swap_atoms[g] + atom_offset);
      swap_slots[g].push_back(p->swap_slots[g] + bead_offset * slots);
    }
    bead_offset += p->beads;
    atom_offset += p->atom_count;
  }
  b.graph = {torch::cat(types), torch::cat(centre), torch::cat(neighbour), torch::cat(vectors), torch::cat(relation)};
  b.positions = torch::cat(positions);
  b.targets = torch::cat(targets);
  b.mask = torch::cat(mask);
  b.root = torch::cat(root);
  b.atoms = torch::cat(atoms);
  b.atom_class = torch::cat(cls);
  b.g_index = torch::cat(gi, 1);
  b.g_value = torch::cat(gv);
  b.m_index = torch::cat(mi, 1);
  b.m_value = torch::cat(mv);
  b.bonds = torch::cat(bonds);
  b.angles = torch::cat(angles);
  for (int g = 0; g < 2; ++g) {
    b.swap_atoms[g] = torch::cat(swap_atoms[g]);
    b.swap_slots[g] = torch::cat(swap_slots[g]);
  }
  b.beads = bead_offset;
  b.atom_count = atom_offset;
  return b;
}

torch::Tensor random_rotation(std::mt19937_64 &rng)
{
  // a uniformly random proper rotation from a random unit quaternion
  std::normal_distribution<double> n(0.0, 1.0);
  double q[4];
  double norm = 0;
  for (double &x : q) {
    x = n(rng);
    norm += x * x;
  }
  norm = std::sqrt(norm);
  for (double &x : q) x /= norm;
  const double w = q[0], x = q[1], y = q[2], z = q[3];
  return torch::tensor({1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w), 2 * (x * y + z * w),
                        1 - 2 * (x * x + z * z), 2 * (y * z - x * w), 2 * (x * z - y * w), 2 * (y * z + x * w),
                        1 - 2 * (x * x + y * y)},
                       torch::kFloat)
      .view({3, 3});
}

SampleTensors rotated(const SampleTensors &s, const torch::Tensor &r)
{
  SampleTensors out = s;
  const auto rt = r.t();
  out.graph.vectors = s.graph.vectors.matmul(rt);
  out.positions = s.positions.matmul(rt);
  out.targets = s.targets.matmul(rt);
  out.atoms = s.atoms.matmul(rt);
  return out;
}

SampleTensors noised(const SampleTensors &s, double sigma, std::mt19937_64 &rng)
{
  // drawn from the trainer's generator, not torch's, so a resumed run draws the same noise
  std::normal_distribution<double> n(0.0, sigma);
  auto shift = torch::empty({s.beads, 3}, torch::kFloat);
  auto a = shift.accessor<float, 2>();
  for (long i = 0; i < s.beads; ++i)
    for (int x = 0; x < 3; ++x) a[i][x] = static_cast<float>(n(rng));
  SampleTensors out = s;
  out.positions = s.positions + shift;
  out.graph.vectors = s.graph.vectors + shift.index_select(0, s.graph.neighbour) - shift.index_select(0, s.graph.centre);
  out.targets = s.targets - s.root.unsqueeze(-1) * shift.unsqueeze(1);
  return out;
}

}    // namespace BACKMAP::training
