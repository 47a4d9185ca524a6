// backmap train --config FILE.yaml: trains a model (doc/training.md).
#include "commands.h"

#include "trainer.h"

#include <iostream>
#include <memory>

namespace BACKMAP::tool {

namespace {

struct TrainOptions {
  std::string config;
  int max_steps = 0;
  double minutes = 0;
  std::string output;
};

int run_train(const TrainOptions &o, const std::string &command)
{
  TrainingConfig c = read_training_config(o.config);
  if (o.max_steps > 0) c.max_steps = o.max_steps;
  if (o.minutes > 0) c.minutes = o.minutes;
  if (!o.output.empty()) c.output = o.output;
  c.command = command;
  const TrainingResult r = train(c, std::cout);
  std::cout << (r.finished ? "finished" : "stopped (resume by running the same command)") << ": " << r.epochs_done
            << " epochs, " << r.steps_done << " steps; best validation all-heavy RMSD " << r.best_validation_rmsd
            << " A; model " << r.model_path << "\n";
  return 0;
}

}    // namespace

Runner add_train_command(CLI::App &app, const std::string &command_line)
{
  auto o = std::make_shared<TrainOptions>();
  CLI::App *sub = app.add_subcommand("train", "Train a backmapping model from atomistic structures (resumes by itself)");
  sub->add_option("--config", o->config, "training configuration (YAML; doc/training.md)")->required()->check(CLI::ExistingFile);
  sub->add_option("--max-steps", o->max_steps, "stop after this many optimisation steps (overrides the config)");
  sub->add_option("--minutes", o->minutes, "stop after this much training time, checkpointed (overrides the config)");
  sub->add_option("--output", o->output, "output folder (overrides the config)");
  return [o, command_line] { return run_train(*o, command_line); };
}

}    // namespace BACKMAP::tool
