#include "checkpoint.h"

#include "model_impl.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace BACKMAP::training {

void save_checkpoint(const std::string &path, EquivariantNet &net, torch::optim::Adam &opt, const Ema &ema,
                     const Progress &p)
{
  torch::serialize::OutputArchive ar;
  torch::serialize::OutputArchive weights, optimiser, averaged;
  net->save(weights);
  opt.save(optimiser);
  for (std::size_t i = 0; i < ema.shadow.size(); ++i) averaged.write("p" + std::to_string(i), ema.shadow[i]);
  ar.write("network", weights);
  ar.write("optimiser", optimiser);
  ar.write("ema", averaged);
  const nlohmann::json state = {{"epoch", p.epoch}, {"step", p.step}, {"best", p.best}, {"first_loss", p.first_loss},
                                {"elapsed", p.elapsed}, {"model", p.model_config}};
  ar.write("progress", c10::IValue(state.dump()));
  const std::string tmp = path + ".partial";
  ar.save_to(tmp);
  fs::rename(tmp, path);
}

bool load_checkpoint(const std::string &path, EquivariantNet &net, torch::optim::Adam &opt, Ema &ema, Progress &p)
{
  if (!fs::exists(path)) return false;
  torch::serialize::InputArchive ar;
  ar.load_from(path);
  {
    c10::IValue early;
    ar.read("progress", early);
    const auto j = nlohmann::json::parse(early.toStringRef());
    if (j.contains("model") && j.at("model").get<std::string>() != p.model_config)
      throw std::runtime_error(path + " was written for another model configuration; restore it or remove the "
                               "checkpoint to start afresh");
  }
  torch::serialize::InputArchive weights, optimiser, averaged;
  ar.read("network", weights);
  net->load(weights);
  ar.read("optimiser", optimiser);
  opt.load(optimiser);
  ar.read("ema", averaged);
  for (std::size_t i = 0; i < ema.shadow.size(); ++i) averaged.read("p" + std::to_string(i), ema.shadow[i]);
  c10::IValue state;
  ar.read("progress", state);
  const auto j = nlohmann::json::parse(state.toStringRef());
  p.epoch = j.at("epoch");
  p.step = j.at("step");
  p.best = j.at("best");
  p.first_loss = j.at("first_loss");
  p.elapsed = j.at("elapsed");
  return true;
}

// Fine-tuning: the weights of an earlier model with the same configuration and mappings.
void start_from(EquivariantNet &net, const std::string &path, const Model &model)
{
  const Model init = Model::load(path);
  if (model_config_json(init.config()) != model_config_json(model.config()))
    throw std::runtime_error(path + ": initial_model has another model configuration (" +
                             model_config_json(init.config()) + ") than this training (" +
                             model_config_json(model.config()) + ")");
  if (init.vocabulary().size() != model.vocabulary().size() || init.mapping_name() != model.mapping_name())
    throw std::runtime_error(path + ": initial_model was trained for other mappings (" + init.mapping_name() + ")");
  torch::NoGradGuard no_grad;
  const auto source = init.impl().net->named_parameters();
  for (auto &p : net->named_parameters()) p.value().copy_(source[p.key()]);
  const auto source_buffers = init.impl().net->named_buffers();
  for (auto &b : net->named_buffers()) b.value().copy_(source_buffers[b.key()]);
}

}    // namespace BACKMAP::training
