#include "graph_input.h"

#include <algorithm>

namespace BACKMAP {

namespace {

// BLAS libraries take other code paths (and so round differently) for small matrices. Padding
// every graph with isolated dummy beads and edges to at least a few hundred rows, in steps,
// keeps each bead's result independent of how many others share its graph (a process's share
// of a system, a chunk), which makes fix backmap's frames the same on any number of ranks.
// Dummy rows never touch real ones: the network's only mixing across rows is the sum over a
// bead's own edges.
long round_up(long x, long step, long minimum)
{
  return std::max(minimum, (x + step - 1) / step * step);
}

}    // namespace

void fill_graph_input(const BeadFrame &frame, const EdgeList &edges, GraphInput &input)
{
  const long n = static_cast<long>(frame.size()), e = static_cast<long>(edges.size());
  // two dummy nodes past the real ones, at least one dummy edge between them
  const long nodes = round_up(n + 2, 64, 512), padded_edges = round_up(e + 1, 256, 4096);
  input.beads = n;
  input.types.assign(frame.types.begin(), frame.types.end());
  input.types.resize(nodes, 0);
  input.centre.assign(edges.centre.begin(), edges.centre.end());
  input.centre.resize(padded_edges, n);
  input.neighbour.assign(edges.neighbour.begin(), edges.neighbour.end());
  input.neighbour.resize(padded_edges, n + 1);
  input.relation.assign(edges.relation.begin(), edges.relation.end());
  input.relation.resize(padded_edges, sequence_relation_count - 1);
  input.vectors.resize(static_cast<std::size_t>(padded_edges) * 3);
  for (long k = 0; k < e; ++k)
    for (int x = 0; x < 3; ++x) input.vectors[3 * k + x] = static_cast<float>(edges.vector[k][x]);
  std::fill(input.vectors.begin() + 3 * e, input.vectors.end(), 1.0f);
}

GraphTensors graph_tensors_of(GraphInput &input)
{
  const auto index = torch::TensorOptions().dtype(torch::kLong);
  const long edges = static_cast<long>(input.centre.size());
  GraphTensors g;
  g.types = torch::from_blob(input.types.data(), {static_cast<long>(input.types.size())}, index);
  g.centre = torch::from_blob(input.centre.data(), {edges}, index);
  g.neighbour = torch::from_blob(input.neighbour.data(), {edges}, index);
  g.relation = torch::from_blob(input.relation.data(), {edges}, index);
  g.vectors = torch::from_blob(input.vectors.data(), {edges, 3}, torch::TensorOptions().dtype(torch::kFloat));
  return g;
}

}    // namespace BACKMAP
