/* The network's input as views of reused host buffers (core/model/graph_input): the tensors
   LibTorch receives are those buffers themselves (no copy), hold the frame's values exactly as
   the owning conversion (graph_tensors) gives them, and the padding joins dummy nodes only. */
#include "bead_graph.h"
#include "graph_input.h"
#include "network.h"

#include <gtest/gtest.h>

#include <random>

using namespace BACKMAP;

namespace {

// A cloud of beads in three chains, with its edges as the model builds them.
BeadFrame random_frame(int beads, unsigned seed)
{
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> coordinate(0.0, 20.0);
  BeadFrame f;
  for (int i = 0; i < beads; ++i) {
    f.positions.emplace_back(coordinate(random), coordinate(random), coordinate(random));
    f.types.push_back(i % 7);
    f.residue.push_back(i / 2);
    f.chain.push_back(i / (beads / 3 + 1));
    f.sequence.push_back(i / 2);
  }
  return f;
}

}    // namespace

TEST(GraphInput, TensorsAreViewsOfTheBuffersWithTheFrameValues)
{
  const BeadFrame frame = random_frame(300, 7);
  const EdgeList edges = build_edges(frame, 6.0);
  ASSERT_GT(edges.size(), 1000u);
  GraphInput input;
  fill_graph_input(frame, edges, input);
  const GraphTensors view = graph_tensors_of(input);
  // no copy: each tensor's memory is the buffer's
  EXPECT_EQ(view.types.data_ptr<std::int64_t>(), input.types.data());
  EXPECT_EQ(view.centre.data_ptr<std::int64_t>(), input.centre.data());
  EXPECT_EQ(view.neighbour.data_ptr<std::int64_t>(), input.neighbour.data());
  EXPECT_EQ(view.relation.data_ptr<std::int64_t>(), input.relation.data());
  EXPECT_EQ(view.vectors.data_ptr<float>(), input.vectors.data());
  // the real rows equal the owning conversion's, to the bit
  const GraphTensors owned = graph_tensors(frame, edges);
  const long n = static_cast<long>(frame.size()), e = static_cast<long>(edges.size());
  EXPECT_TRUE(torch::equal(view.types.slice(0, 0, n), owned.types));
  EXPECT_TRUE(torch::equal(view.centre.slice(0, 0, e), owned.centre));
  EXPECT_TRUE(torch::equal(view.neighbour.slice(0, 0, e), owned.neighbour));
  EXPECT_TRUE(torch::equal(view.relation.slice(0, 0, e), owned.relation));
  EXPECT_TRUE(torch::equal(view.vectors.slice(0, 0, e), owned.vectors));
  // padding: rounded sizes, extra edges from dummy node n to dummy node n + 1 with unit vectors
  EXPECT_EQ(view.types.size(0), 512);
  EXPECT_EQ(view.centre.size(0) % 256, 0);
  EXPECT_GT(view.centre.size(0), e);
  for (long k = e; k < view.centre.size(0); ++k) {
    ASSERT_EQ(input.centre[k], n);
    ASSERT_EQ(input.neighbour[k], n + 1);
    ASSERT_EQ(input.relation[k], sequence_relation_count - 1);
    for (int x = 0; x < 3; ++x) ASSERT_EQ(input.vectors[3 * k + x], 1.0f);
  }
  for (long i = n; i < view.types.size(0); ++i) ASSERT_EQ(input.types[i], 0);
}

TEST(GraphInput, RefillingASmallerFrameKeepsTheBuffersAndOverwritesEveryRow)
{
  GraphInput input;
  const BeadFrame big = random_frame(900, 1), small = random_frame(200, 2);
  fill_graph_input(big, build_edges(big, 6.0), input);
  const std::size_t capacity = input.vectors.capacity();
  const std::int64_t *types = input.types.data();
  const EdgeList edges = build_edges(small, 6.0);
  fill_graph_input(small, edges, input);
  EXPECT_EQ(input.vectors.capacity(), capacity);    // no allocation for the smaller frame
  EXPECT_EQ(input.types.data(), types);
  // nothing of the big frame is left: the filled input equals a fresh fill of the small one
  GraphInput fresh;
  fill_graph_input(small, edges, fresh);
  EXPECT_EQ(input.types, fresh.types);
  EXPECT_EQ(input.centre, fresh.centre);
  EXPECT_EQ(input.neighbour, fresh.neighbour);
  EXPECT_EQ(input.relation, fresh.relation);
  EXPECT_EQ(input.vectors, fresh.vectors);
}
