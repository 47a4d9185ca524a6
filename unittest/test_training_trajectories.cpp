// Training from trajectories: blocks of frames ("451-501") read the same way everywhere, the
// configuration's `trajectories` checked where it stands, and a short run on a real XTC that
// splits by frames, leaves the test block out and resumes from its checkpoint.
#include "file_error.h"
#include "frame_range.h"
#include "test_support.h"
#include "trainer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

// A PDB of `n` models of one carbon atom at x = model number.
std::string numbered_models(const std::string &name, int n)
{
  std::string text;
  for (int k = 1; k <= n; ++k) {
    char atom[96];
    std::snprintf(atom, sizeof atom, "ATOM      1  CA  ALA A   1    %8.3f   0.000   0.000  1.00  0.00           C\n",
                  static_cast<double>(k));
    text += "MODEL     " + std::to_string(k) + "\n" + atom + "ENDMDL\n";
  }
  return write_temp(name, text + "END\n");
}

std::vector<double> selected_x(const std::string &path, const std::string &range)
{
  auto source = select_frames(open_frame_source(path, ""), parse_frame_range(range), path);
  std::vector<double> x;
  Structure frame;
  while (source->next(frame)) x.push_back(frame.residues.at(0).atoms.at(0).position.x());
  return x;
}

}    // namespace

TEST(FrameRange, ReadsBlocksAndRefusesWhatIsNotOne)
{
  const FrameRange a = parse_frame_range("451-501");
  EXPECT_EQ(a.first, 451);
  EXPECT_EQ(a.last, 501);
  EXPECT_EQ(a.text(), "451-501");
  const FrameRange open = parse_frame_range("451-");
  EXPECT_EQ(open.last, 0);
  EXPECT_TRUE(open.contains(100000));
  EXPECT_FALSE(open.contains(450));
  const FrameRange one = parse_frame_range("7");
  EXPECT_TRUE(one.contains(7));
  EXPECT_FALSE(one.contains(8));
  EXPECT_FALSE(parse_frame_range("1-400").overlaps(parse_frame_range("401-450")));
  EXPECT_TRUE(parse_frame_range("1-400").overlaps(parse_frame_range("400-")));
  EXPECT_FALSE(parse_frame_range("5-").overlaps(parse_frame_range("1-4")));
  EXPECT_TRUE(parse_frame_range("3").overlaps(parse_frame_range("1-")));
  for (const char *bad : {"0-3", "5-3", "a-b", "", "-4", "1-2-3"})
    EXPECT_THROW(parse_frame_range(bad), std::invalid_argument) << bad;
}

TEST(FrameRange, SelectsTheFramesOfABlockAndSaysWhenItRunsPastTheEnd)
{
  const std::string path = numbered_models("five_models.pdb", 5);
  EXPECT_EQ(selected_x(path, "2-3"), (std::vector<double>{2, 3}));
  EXPECT_EQ(selected_x(path, "4-"), (std::vector<double>{4, 5}));
  EXPECT_EQ(selected_x(path, "5"), (std::vector<double>{5}));
  expect_error_containing<FileError>([&] { selected_x(path, "4-9"); }, "has 5 frames; frames 4-9 run past its end");
  expect_error_containing<FileError>([&] { selected_x(path, "6-"); }, "has 5 frames");
}

TEST(TrainingConfig, TrajectoriesAreCheckedWhereTheyStand)
{
  const std::string good = write_temp("trajectories.yaml", "trajectories:\n"
                                                           "  - trajectory: run.xtc\n"
                                                           "    topology: run.pdb\n"
                                                           "    train: 1-400\n"
                                                           "    validation: 401-450\n"
                                                           "    test: 451-\n");
  const TrainingConfig c = read_training_config(good);
  ASSERT_EQ(c.trajectories.size(), 1u);
  const TrajectoryInput &t = c.trajectories[0];
  EXPECT_EQ(t.trajectory, (temp_dir() / "run.xtc").string());    // relative to the configuration
  EXPECT_EQ(t.topology, (temp_dir() / "run.pdb").string());
  EXPECT_TRUE(t.has[0] && t.has[1] && t.has[2]);
  EXPECT_EQ(t.block[2].first, 451);
  EXPECT_EQ(t.block[2].last, 0);
  EXPECT_TRUE(c.inputs.empty());

  struct Case {
    std::string text, fragment;
  };
  const std::vector<Case> cases = {
      {"trajectories:\n  - trajectory: run.xtc\n    topology: run.pdb\n    train: 1-400\n    test: 400-450\n",
       ":5: the test frames 400-450 overlap the train frames 1-400"},
      {"trajectories:\n  - trajectory: run.xtc\n    train: 1-400\n", "run.xtc holds coordinates only: give 'topology'"},
      {"trajectories:\n  - trajectory: run.xtc\n    topology: run.pdb\n    trian: 1-400\n", ":4: unknown key 'trian'"},
      {"trajectories:\n  - trajectory: run.xtc\n    topology: run.pdb\n    train: 400-1\n",
       ":4: train: frame range '400-1': the last frame comes before the first"},
      {"trajectories:\n  - trajectory: run.xtc\n    topology: run.pdb\n", "give its train, validation and test frames"},
      {"trajectories:\n  - topology: run.pdb\n    train: 1-4\n", "has no 'trajectory'"},
      {"seed: 1\n", "'inputs' lists no structures and 'trajectories' no trajectory"}};
  for (const Case &k : cases) {
    const std::string path = write_temp("bad_trajectory.yaml", k.text);
    expect_error_containing<std::runtime_error>([&] { read_training_config(path); }, k.fragment);
  }
}

// A few steps on the alanine dipeptide's XTC (python-mdtraj-doc): 400 training and 50
// validation frames loaded, the test block only written down; a stopped run resumes.
TEST(Training, LearnsFromBlocksOfATrajectoryAndResumes)
{
  const std::string data = "/usr/share/doc/python-mdtraj-doc/examples/data";
  SKIP_IF_MISSING(data + "/frame0.xtc");
  TrainingConfig config;
  TrajectoryInput t;
  t.trajectory = data + "/frame0.xtc";
  t.topology = data + "/native.pdb";
  const char *blocks[3] = {"1-400", "401-450", "451-501"};
  for (int s = 0; s < 3; ++s) {
    t.block[s] = parse_frame_range(blocks[s]);
    t.has[s] = true;
  }
  config.trajectories = {t};
  config.mapping = std::string(BACKMAP_EXAMPLES_DIR) + "/own-molecule/mappings/ala-dipeptide";
  config.output = (temp_dir() / "training_trajectory").string();
  config.epochs = 2;
  config.batch_beads = 100000;    // one step per epoch
  config.warmup_steps = 1;
  config.model = small_config();
  config.threads = 1;
  config.max_steps = 1;
  std::ostringstream log;
  const TrainingResult first = train(config, log);
  EXPECT_FALSE(first.finished);
  const std::string text = log.str();
  EXPECT_NE(text.find("frame0.xtc: 501 frames; train 1-400 validation 401-450 test 451-501 (test frames left untouched)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("train: 400 structures"), std::string::npos) << text;
  EXPECT_NE(text.find("validation: 50 structures"), std::string::npos) << text;
  EXPECT_NE(text.find("ideal geometry: measured on 1200 training residues"), std::string::npos) << text;
  std::ifstream split(config.output + "/split.tsv");
  std::stringstream rows;
  rows << split.rdbuf();
  EXPECT_NE(rows.str().find(t.trajectory + "\tframes 451-501\ttest\n"), std::string::npos) << rows.str();
  config.max_steps = 0;
  std::ostringstream more;
  const TrainingResult second = train(config, more);
  EXPECT_NE(more.str().find("resumed from"), std::string::npos) << more.str();
  EXPECT_TRUE(second.finished);
  EXPECT_EQ(second.steps_done, 2);
  const Model model = Model::load(second.model_path);
  EXPECT_NE(model.provenance_json().find("frame0.xtc by frames: train 1-400, validation 401-450, test 451-501"),
            std::string::npos)
      << model.provenance_json();
  EXPECT_FALSE(model.geometry().empty());
  EXPECT_TRUE(model.geometry().peptide().known);    // the caps' links, measured without a CA on one side
}
