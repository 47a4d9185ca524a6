#include "trainer.h"

#include "dataset.h"
#include "model_impl.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

#ifndef BACKMAP_GIT_COMMIT
#define BACKMAP_GIT_COMMIT "unknown"
#endif

namespace BACKMAP {

// ------------------------------------------------------------------ configuration

TrainingConfig read_training_config(const std::string &path)
{
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(path);
  } catch (const YAML::Exception &e) {
    throw std::runtime_error(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  TrainingConfig c;
  const std::set<std::string> known = {
      "inputs", "mapping", "output", "epochs", "max_steps", "max_files", "minutes", "batch_beads",
      "learning_rate", "final_learning_rate", "warmup_steps", "ema_decay", "weight_vector", "weight_position",
      "weight_bond", "weight_angle", "bond_tolerance", "angle_tolerance", "validation_fraction", "test_fraction",
      "rotate", "seed", "threads", "model", "initial_model"};
  const std::set<std::string> model_keys = {"cutoff", "features", "vector_channels", "pseudo_channels",
                                            "radial_basis", "layers", "neighbour_norm"};
  auto check = [&](const YAML::Node &node, const std::set<std::string> &allowed, const std::string &where) {
    for (const auto &kv : node) {
      const std::string key = kv.first.as<std::string>();
      if (!allowed.count(key))
        throw std::runtime_error(path + ":" + std::to_string(kv.first.Mark().line + 1) + ": unknown key '" + key +
                                 "' in " + where);
    }
  };
  try {
    check(doc, known, "the training configuration");
    // relative input paths are relative to the configuration file
    const fs::path base = fs::path(path).parent_path();
    auto resolve = [&](const std::string &p) { return fs::path(p).is_absolute() ? p : (base / p).string(); };
    if (doc["inputs"])
      for (const auto &in : doc["inputs"]) c.inputs.push_back(resolve(in.as<std::string>()));
    // each value read is range-checked where it stands, so the message names its line
    auto line_of = [&](const char *key) { return path + ":" + std::to_string(doc[key].Mark().line + 1) + ": "; };
    auto require = [&](const char *key, bool ok, const std::string &what) {
      if (doc[key] && !ok) throw std::runtime_error(line_of(key) + key + " must be " + what);
    };
#define READ(key) \
  if (doc[#key]) c.key = doc[#key].as<decltype(c.key)>()
    READ(mapping);
    READ(epochs);
    READ(max_steps);
    READ(max_files);
    READ(minutes);
    READ(batch_beads);
    READ(learning_rate);
    READ(final_learning_rate);
    READ(warmup_steps);
    READ(ema_decay);
    READ(weight_vector);
    READ(weight_position);
    READ(weight_bond);
    READ(weight_angle);
    READ(bond_tolerance);
    READ(angle_tolerance);
    READ(validation_fraction);
    READ(test_fraction);
    READ(rotate);
    READ(seed);
    READ(threads);
#undef READ
    require("epochs", c.epochs >= 1, "at least 1");
    require("max_steps", c.max_steps >= 0, "0 (no limit) or positive");
    require("max_files", c.max_files >= 0, "0 (no limit) or positive");
    require("minutes", c.minutes >= 0, "0 (no limit) or positive");
    require("batch_beads", c.batch_beads >= 1, "a positive bead count");
    require("learning_rate", std::isfinite(c.learning_rate) && c.learning_rate > 0 && c.learning_rate < 1,
            "between 0 and 1 (exclusive)");
    require("final_learning_rate", std::isfinite(c.final_learning_rate) && c.final_learning_rate >= 0 &&
                                       c.final_learning_rate <= c.learning_rate,
            "between 0 and learning_rate");
    require("warmup_steps", c.warmup_steps >= 0, "0 or positive");
    require("ema_decay", c.ema_decay >= 0 && c.ema_decay < 1, "in [0, 1)");
    require("weight_vector", std::isfinite(c.weight_vector) && c.weight_vector >= 0, "0 or positive");
    require("weight_position", std::isfinite(c.weight_position) && c.weight_position >= 0, "0 or positive");
    require("weight_bond", std::isfinite(c.weight_bond) && c.weight_bond >= 0, "0 or positive");
    require("weight_angle", std::isfinite(c.weight_angle) && c.weight_angle >= 0, "0 or positive");
    require("bond_tolerance", std::isfinite(c.bond_tolerance) && c.bond_tolerance >= 0, "0 or positive");
    require("angle_tolerance", std::isfinite(c.angle_tolerance) && c.angle_tolerance >= 0, "0 or positive");
    require("validation_fraction", c.validation_fraction >= 0 && c.validation_fraction < 1, "in [0, 1)");
    require("test_fraction", c.test_fraction >= 0 && c.test_fraction < 1, "in [0, 1)");
    if (doc["validation_fraction"] || doc["test_fraction"])
      if (c.validation_fraction + c.test_fraction >= 1)
        throw std::runtime_error(path + ": validation_fraction + test_fraction must leave data to train on (< 1)");
    require("threads", c.threads >= 1, "at least 1");
    if (doc["output"]) c.output = resolve(doc["output"].as<std::string>());
    if (doc["initial_model"]) c.initial_model = resolve(doc["initial_model"].as<std::string>());
    if (const YAML::Node m = doc["model"]) {
      check(m, model_keys, "'model'");
#define READM(key) \
  if (m[#key]) c.model.key = m[#key].as<decltype(c.model.key)>()
      READM(cutoff);
      READM(features);
      READM(vector_channels);
      READM(pseudo_channels);
      READM(radial_basis);
      READM(layers);
      READM(neighbour_norm);
#undef READM
      auto require_model = [&](const char *key, bool ok, const std::string &what) {
        if (m[key] && !ok)
          throw std::runtime_error(path + ":" + std::to_string(m[key].Mark().line + 1) + ": model." + key +
                                   " must be " + what);
      };
      require_model("cutoff", std::isfinite(c.model.cutoff) && c.model.cutoff > 0, "positive (Angstrom)");
      for (const char *k : {"features", "vector_channels", "pseudo_channels", "radial_basis", "layers"}) {
        const int v = k == std::string("features")          ? c.model.features
                      : k == std::string("vector_channels") ? c.model.vector_channels
                      : k == std::string("pseudo_channels") ? c.model.pseudo_channels
                      : k == std::string("radial_basis")    ? c.model.radial_basis
                                                            : c.model.layers;
        require_model(k, v >= 1, "at least 1");
      }
      require_model("neighbour_norm", std::isfinite(c.model.neighbour_norm) && c.model.neighbour_norm > 0, "positive");
    }
  } catch (const YAML::Exception &e) {
    throw std::runtime_error(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (c.inputs.empty()) throw std::runtime_error(path + ": 'inputs' lists no structures");
  return c;
}

namespace {

// ------------------------------------------------------------------ tensors of one sample

struct SampleTensors {
  GraphTensors graph;
  torch::Tensor positions;    // [N, 3]
  torch::Tensor targets;      // [N, K, 3]
  torch::Tensor mask;         // [N, K]
  torch::Tensor atoms;        // [A, 3]
  torch::Tensor atom_class;   // [A] long
  torch::Tensor g_index, g_value, m_index, m_value;    // COO of G [A, N] and M [A, N*K]
  torch::Tensor bonds;        // [B, 2] long
  torch::Tensor angles;       // [T, 3] long
  long beads = 0, atom_count = 0;
};

torch::Tensor vec3_tensor(const std::vector<Vec3> &v)
{
  auto t = torch::empty({static_cast<long>(v.size()), 3}, torch::kFloat);
  auto a = t.accessor<float, 2>();
  for (std::size_t i = 0; i < v.size(); ++i)
    for (int x = 0; x < 3; ++x) a[i][x] = static_cast<float>(v[i][x]);
  return t;
}

void sparse_tensors(const std::vector<SparseEntry> &entries, torch::Tensor &index, torch::Tensor &value)
{
  index = torch::empty({2, static_cast<long>(entries.size())}, torch::kLong);
  value = torch::empty({static_cast<long>(entries.size())}, torch::kFloat);
  auto ix = index.accessor<long, 2>();
  auto v = value.accessor<float, 1>();
  for (std::size_t k = 0; k < entries.size(); ++k) {
    ix[0][k] = entries[k].row;
    ix[1][k] = entries[k].column;
    v[k] = static_cast<float>(entries[k].weight);
  }
}

template <std::size_t D> torch::Tensor index_tensor(const std::vector<std::array<int, D>> &rows)
{
  auto t = torch::empty({static_cast<long>(rows.size()), static_cast<long>(D)}, torch::kLong);
  auto a = t.accessor<long, 2>();
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t d = 0; d < D; ++d) a[i][d] = rows[i][d];
  return t;
}

SampleTensors to_tensors(const TrainingSample &s, double cutoff)
{
  SampleTensors t;
  const BeadFrame &f = s.prepared.frame;
  t.beads = static_cast<long>(f.size());
  t.graph = graph_tensors(f, build_edges(f, cutoff));
  t.positions = vec3_tensor(f.positions);
  t.targets = vec3_tensor(s.targets).view({t.beads, s.slots, 3});
  t.mask = torch::empty({t.beads * s.slots}, torch::kFloat);
  auto m = t.mask.accessor<float, 1>();
  for (std::size_t i = 0; i < s.target_mask.size(); ++i) m[i] = s.target_mask[i];
  t.mask = t.mask.view({t.beads, s.slots});
  t.atoms = vec3_tensor(s.atoms);
  t.atom_count = static_cast<long>(s.atoms.size());
  t.atom_class = torch::empty({t.atom_count}, torch::kLong);
  auto c = t.atom_class.accessor<long, 1>();
  for (long i = 0; i < t.atom_count; ++i) c[i] = static_cast<long>(s.atom_class[i]);
  sparse_tensors(s.bead_weights, t.g_index, t.g_value);
  sparse_tensors(s.slot_weights, t.m_index, t.m_value);
  t.bonds = index_tensor(s.bonds);
  t.angles = index_tensor(s.angles);
  return t;
}

// Many samples as one graph: indices are offset, everything else concatenated.
SampleTensors batch(const std::vector<const SampleTensors *> &parts, int slots)
{
  SampleTensors b;
  std::vector<torch::Tensor> types, centre, neighbour, vectors, relation, positions, targets, mask, atoms, cls, gi, gv,
      mi, mv, bonds, angles;
  long bead_offset = 0, atom_offset = 0;
  for (const SampleTensors *p : parts) {
    types.push_back(p->graph.types);
    centre.push_back(p->graph.centre + bead_offset);
    neighbour.push_back(p->graph.neighbour + bead_offset);
    vectors.push_back(p->graph.vectors);
    relation.push_back(p->graph.relation);
    positions.push_back(p->positions);
    targets.push_back(p->targets);
    mask.push_back(p->mask);
    atoms.push_back(p->atoms);
    cls.push_back(p->atom_class);
    const auto shift_g = torch::tensor({atom_offset, bead_offset}).view({2, 1});
    const auto shift_m = torch::tensor({atom_offset, bead_offset * slots}).view({2, 1});
    gi.push_back(p->g_index + shift_g);
    gv.push_back(p->g_value);
    mi.push_back(p->m_index + shift_m);
    mv.push_back(p->m_value);
    bonds.push_back(p->bonds + atom_offset);
    angles.push_back(p->angles + atom_offset);
    bead_offset += p->beads;
    atom_offset += p->atom_count;
  }
  b.graph = {torch::cat(types), torch::cat(centre), torch::cat(neighbour), torch::cat(vectors), torch::cat(relation)};
  b.positions = torch::cat(positions);
  b.targets = torch::cat(targets);
  b.mask = torch::cat(mask);
  b.atoms = torch::cat(atoms);
  b.atom_class = torch::cat(cls);
  b.g_index = torch::cat(gi, 1);
  b.g_value = torch::cat(gv);
  b.m_index = torch::cat(mi, 1);
  b.m_value = torch::cat(mv);
  b.bonds = torch::cat(bonds);
  b.angles = torch::cat(angles);
  b.beads = bead_offset;
  b.atom_count = atom_offset;
  return b;
}

torch::Tensor random_rotation(std::mt19937_64 &rng)
{
  // a uniformly random proper rotation from a random unit quaternion
  std::normal_distribution<double> n(0.0, 1.0);
  double q[4];
  double norm = 0;
  for (double &x : q) {
    x = n(rng);
    norm += x * x;
  }
  norm = std::sqrt(norm);
  for (double &x : q) x /= norm;
  const double w = q[0], x = q[1], y = q[2], z = q[3];
  return torch::tensor({1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w), 2 * (x * y + z * w),
                        1 - 2 * (x * x + z * z), 2 * (y * z - x * w), 2 * (x * z - y * w), 2 * (y * z + x * w),
                        1 - 2 * (x * x + y * y)},
                       torch::kFloat)
      .view({3, 3});
}

SampleTensors rotated(const SampleTensors &s, const torch::Tensor &r)
{
  SampleTensors out = s;
  const auto rt = r.t();
  out.graph.vectors = s.graph.vectors.matmul(rt);
  out.positions = s.positions.matmul(rt);
  out.targets = s.targets.matmul(rt);
  out.atoms = s.atoms.matmul(rt);
  return out;
}

// ------------------------------------------------------------------ loss and metrics

struct Evaluation {
  torch::Tensor loss;
  double sq_error[3] = {0, 0, 0};    // summed squared atom errors per class
  long atoms[3] = {0, 0, 0};
  long bonds = 0, bonds_off = 0;      // bonds more than 0.1 A from the truth
};

torch::Tensor rebuild_atoms(const SampleTensors &b, const torch::Tensor &vectors, int slots)
{
  const auto g = torch::sparse_coo_tensor(b.g_index, b.g_value, {b.atom_count, b.beads});
  const auto m = torch::sparse_coo_tensor(b.m_index, b.m_value, {b.atom_count, b.beads * slots});
  return torch::mm(g, b.positions) + torch::mm(m, vectors.reshape({b.beads * slots, 3}));
}

Evaluation evaluate(EquivariantNet &net, const SampleTensors &b, const TrainingConfig &c, int slots)
{
  Evaluation ev;
  const auto pred = net->forward(b.graph);
  const auto mask_sum = b.mask.sum().clamp_min(1);
  const auto vector_loss = ((pred - b.targets).pow(2).sum(2) * b.mask).sum() / mask_sum;
  const auto atoms = rebuild_atoms(b, pred, slots);
  const auto sq = (atoms - b.atoms).pow(2).sum(1);
  const auto position_loss = sq.mean();
  torch::Tensor bond_loss = torch::zeros({});
  torch::Tensor angle_loss = torch::zeros({});
  torch::Tensor bond_error;
  if (b.bonds.size(0) > 0) {
    auto length = [&](const torch::Tensor &x) {
      return (x.index_select(0, b.bonds.select(1, 0)) - x.index_select(0, b.bonds.select(1, 1))).norm(2, 1);
    };
    bond_error = (length(atoms) - length(b.atoms)).abs();
    bond_loss = torch::relu(bond_error - c.bond_tolerance).pow(2).mean();
  }
  if (b.angles.size(0) > 0) {
    auto angle = [&](const torch::Tensor &x) {
      const auto v = x.index_select(0, b.angles.select(1, 1));
      const auto u = x.index_select(0, b.angles.select(1, 0)) - v;
      const auto w = x.index_select(0, b.angles.select(1, 2)) - v;
      const auto cosine = (u * w).sum(1) / (u.norm(2, 1) * w.norm(2, 1)).clamp_min(1e-6);
      return torch::acos(cosine.clamp(-0.999999, 0.999999));
    };
    const auto tolerance = c.angle_tolerance * M_PI / 180.0;
    angle_loss = torch::relu((angle(atoms) - angle(b.atoms)).abs() - tolerance).pow(2).mean();
  }
  ev.loss = c.weight_vector * vector_loss + c.weight_position * position_loss + c.weight_bond * bond_loss +
      c.weight_angle * angle_loss;
  torch::NoGradGuard no_grad;
  for (int k = 0; k < 3; ++k) {
    const auto in_class = b.atom_class == k;
    ev.sq_error[k] = sq.masked_select(in_class).sum().item<double>();
    ev.atoms[k] = in_class.sum().item<long>();
  }
  if (bond_error.defined()) {
    ev.bonds = bond_error.size(0);
    ev.bonds_off = (bond_error > 0.1).sum().item<long>();
  }
  return ev;
}

struct ValidationMetrics {
  double rmsd[3] = {0, 0, 0};    // backbone, side chain, molecule
  double rmsd_all = 0, bonds_off = 0;
};

ValidationMetrics validate(EquivariantNet &net, const std::vector<SampleTensors> &set, const TrainingConfig &c,
                           int slots)
{
  torch::NoGradGuard no_grad;
  net->eval();
  double sq[3] = {0, 0, 0};
  long n[3] = {0, 0, 0}, bonds = 0, off = 0;
  for (const auto &s : set) {
    const Evaluation ev = evaluate(net, batch({&s}, slots), c, slots);
    for (int k = 0; k < 3; ++k) {
      sq[k] += ev.sq_error[k];
      n[k] += ev.atoms[k];
    }
    bonds += ev.bonds;
    off += ev.bonds_off;
  }
  net->train();
  ValidationMetrics m;
  for (int k = 0; k < 3; ++k) m.rmsd[k] = n[k] ? std::sqrt(sq[k] / n[k]) : 0.0;
  const long total = n[0] + n[1] + n[2];
  m.rmsd_all = total ? std::sqrt((sq[0] + sq[1] + sq[2]) / total) : 0.0;
  m.bonds_off = bonds ? static_cast<double>(off) / bonds : 0.0;
  return m;
}

// ------------------------------------------------------------------ EMA and checkpoints

struct Ema {
  std::vector<torch::Tensor> shadow;
  void init(EquivariantNet &net)
  {
    shadow.clear();
    for (const auto &p : net->parameters()) shadow.push_back(p.detach().clone());
  }
  void update(EquivariantNet &net, double decay)
  {
    torch::NoGradGuard no_grad;
    auto params = net->parameters();
    for (std::size_t i = 0; i < params.size(); ++i) shadow[i].mul_(decay).add_(params[i].detach(), 1 - decay);
  }
  // swaps the averaged weights in (and back out on the second call)
  void swap(EquivariantNet &net)
  {
    torch::NoGradGuard no_grad;
    auto params = net->parameters();
    for (std::size_t i = 0; i < params.size(); ++i) {
      auto tmp = params[i].detach().clone();
      params[i].copy_(shadow[i]);
      shadow[i].copy_(tmp);
    }
  }
};

struct Progress {
  int epoch = 0;
  long step = 0;
  double best = 1e30;
  double first_loss = 0;
  double elapsed = 0;    // seconds of training over all runs
  std::string model_config;    // the network's hyper-parameters: a checkpoint only fits the same
};

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

std::string clock_text(double seconds)
{
  const long s = static_cast<long>(seconds);
  std::ostringstream o;
  o << s / 3600 << ":" << std::setw(2) << std::setfill('0') << (s / 60) % 60 << ":" << std::setw(2) << s % 60;
  return o.str();
}

double learning_rate(const TrainingConfig &c, long step, long total)
{
  if (step < c.warmup_steps) return c.learning_rate * (step + 1) / c.warmup_steps;
  const double t = std::min(1.0, static_cast<double>(step - c.warmup_steps) / std::max(1L, total - c.warmup_steps));
  return c.final_learning_rate + 0.5 * (c.learning_rate - c.final_learning_rate) * (1 + std::cos(M_PI * t));
}

// Batches of whole structures up to batch_beads beads, in a seeded random order.
std::vector<std::vector<std::size_t>> make_batches(const std::vector<SampleTensors> &set, int batch_beads,
                                                   std::mt19937_64 &rng)
{
  std::vector<std::size_t> order(set.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<std::vector<std::size_t>> batches;
  long beads = 0;
  for (std::size_t i : order) {
    if (batches.empty() || (beads + set[i].beads > batch_beads && !batches.back().empty())) {
      batches.emplace_back();
      beads = 0;
    }
    batches.back().push_back(i);
    beads += set[i].beads;
  }
  return batches;
}

}    // namespace

// ------------------------------------------------------------------ the loop

TrainingResult train(const TrainingConfig &c, std::ostream &log)
{
  using clock = std::chrono::steady_clock;
  torch::set_num_threads(c.threads);
  fs::create_directories(c.output);
  Model model = Model::create(MappingSet::load(c.mapping), c.model, c.seed);
  Model::Impl &impl = model.impl();
  const MappingSet &mappings = impl.mappings;    // the vocabulary points into this copy
  const BeadVocabulary &vocabulary = impl.vocabulary;
  const int K = vocabulary.max_slots();

  // split by protein, written down so the test split can be evaluated later
  std::vector<std::string> files[3];
  {
    std::ofstream split(fs::path(c.output) / "split.tsv");
    split << "file\tprotein\tsplit\n";
    for (const auto &f : expand_inputs(c.inputs)) {
      const std::string group = protein_group(f);
      const Split s = split_of(group, c.validation_fraction, c.test_fraction);
      files[static_cast<int>(s)].push_back(f);
      split << f << "\t" << group << "\t" << split_name(s) << "\n";
    }
  }
  for (auto &list : files)
    if (c.max_files > 0 && static_cast<int>(list.size()) > c.max_files) list.resize(c.max_files);
  log << "files: " << files[0].size() << " train, " << files[1].size() << " validation, " << files[2].size()
      << " test (test split left untouched)\n";

  std::vector<SampleTensors> train_set, validation_set;
  for (int which : {0, 1}) {
    LoadReport report;
    const auto samples = load_samples(files[which], mappings, vocabulary, report, [&](std::size_t i, std::size_t n) {
      if (i % 25 == 0) std::cerr << "\rloading " << split_name(static_cast<Split>(which)) << " " << i << "/" << n << std::flush;
    });
    std::cerr << "\r";
    auto &set = which == 0 ? train_set : validation_set;
    for (const auto &s : samples) {
      try {
        set.push_back(to_tensors(s, c.model.cutoff));
      } catch (const std::exception &e) {
        log << "  skipped " << s.source << ": " << e.what() << "\n";
      }
    }
    log << split_name(static_cast<Split>(which)) << ": " << samples.size() << " structures, " << report.residues
        << " residues, " << report.beads << " beads (" << report.unreadable << " files unreadable)\n";
    for (std::size_t k = 0; k < report.problems.size() && k < 5; ++k) log << "  unreadable: " << report.problems[k] << "\n";
  }
  if (train_set.empty()) throw std::runtime_error("no training structure could be loaded");

  EquivariantNet &net = impl.net;
  {
    std::vector<const SampleTensors *> all;
    for (const auto &s : train_set) all.push_back(&s);
    const SampleTensors everything = batch(all, K);
    net->initialise_lengths(everything.graph.types, everything.targets, everything.mask);
  }
  if (!c.initial_model.empty()) {
    start_from(net, c.initial_model, model);
    log << "starting from the weights of " << c.initial_model << "\n";
  }
  {
    const auto t0 = clock::now();
    model.set_geometry(IdealGeometry::measure(files[0], mappings));
    log << "ideal geometry: measured on " << model.geometry().residues_measured() << " training residues in "
        << std::chrono::duration<double>(clock::now() - t0).count() << " s\n";
  }
  torch::optim::Adam optimiser(net->parameters(), torch::optim::AdamOptions(c.learning_rate));
  Ema ema;
  ema.init(net);
  Progress progress;
  progress.model_config = model_config_json(c.model) + " mapping " + c.mapping;
  const std::string checkpoint = (fs::path(c.output) / "checkpoint.pt").string();
  const std::string model_path = (fs::path(c.output) / "model.pt").string();
  if (load_checkpoint(checkpoint, net, optimiser, ema, progress))
    log << "resumed from " << checkpoint << " at epoch " << progress.epoch << ", step " << progress.step << "\n";

  std::mt19937_64 rng(c.seed + 7919 * progress.epoch);
  const long steps_per_epoch = static_cast<long>(make_batches(train_set, c.batch_beads, rng).size());
  const long total_steps = steps_per_epoch * c.epochs;
  const bool new_log = !fs::exists(fs::path(c.output) / "log.csv");
  std::ofstream csv(fs::path(c.output) / "log.csv", std::ios::app);
  if (new_log)
    csv << "epoch,step,train_loss,val_rmsd_backbone,val_rmsd_side_chain,val_rmsd_all,val_bonds_off,learning_rate,"
           "elapsed_s\n";

  TrainingResult result;
  result.model_path = model_path;
  const auto start = clock::now();
  const double elapsed_before = progress.elapsed;
  auto elapsed = [&] { return elapsed_before + std::chrono::duration<double>(clock::now() - start).count(); };
  bool stop = false;
  const long first_step = progress.step;
  while (progress.epoch < c.epochs && !stop) {
    rng.seed(c.seed + 7919 * progress.epoch);
    torch::manual_seed(c.seed + progress.epoch);
    const auto batches = make_batches(train_set, c.batch_beads, rng);
    double loss_sum = 0;
    long loss_count = 0;
    bool epoch_complete = true;
    auto last_print = clock::now();
    for (std::size_t bi = 0; bi < batches.size(); ++bi) {
      std::vector<const SampleTensors *> parts;
      for (std::size_t i : batches[bi]) parts.push_back(&train_set[i]);
      SampleTensors b = batch(parts, K);
      if (c.rotate) b = rotated(b, random_rotation(rng));
      const double lr = learning_rate(c, progress.step, total_steps);
      for (auto &group : optimiser.param_groups())
        static_cast<torch::optim::AdamOptions &>(group.options()).lr(lr);
      optimiser.zero_grad();
      Evaluation ev = evaluate(net, b, c, K);
      // a diverged step would poison the weights and every checkpoint after it: stop here,
      // before the optimiser applies it; the last checkpoint written stays as it was
      const double step_loss = ev.loss.item<double>();
      if (!std::isfinite(step_loss))
        throw std::runtime_error("training diverged: the loss of step " + std::to_string(progress.step + 1) +
                                 " (epoch " + std::to_string(progress.epoch + 1) + ") is " + std::to_string(step_loss) +
                                 "; no model was written (lower learning_rate or check the inputs)");
      ev.loss.backward();
      torch::nn::utils::clip_grad_norm_(net->parameters(), 10.0);
      optimiser.step();
      ema.update(net, progress.step < 100 ? 0.9 : c.ema_decay);
      ++progress.step;
      loss_sum += step_loss;
      ++loss_count;
      if (std::chrono::duration<double>(clock::now() - last_print).count() > 1.0 || bi + 1 == batches.size()) {
        last_print = clock::now();
        const double run = std::chrono::duration<double>(clock::now() - start).count();
        const double per_step = run / std::max(1L, progress.step - first_step);
        const double eta = per_step * std::max(0L, total_steps - progress.step);
        const int width = 30, filled = static_cast<int>(width * (bi + 1) / batches.size());
        std::cerr << "\repoch " << progress.epoch + 1 << "/" << c.epochs << " [" << std::string(filled, '#')
                  << std::string(width - filled, '.') << "] " << bi + 1 << "/" << batches.size() << " loss "
                  << std::setprecision(4) << loss_sum / loss_count << " lr " << lr << " elapsed "
                  << clock_text(run) << " ETA " << clock_text(eta) << "   " << std::flush;
      }
      if ((c.max_steps > 0 && progress.step >= c.max_steps) || (c.minutes > 0 && elapsed() > 60 * c.minutes)) {
        stop = true;
        epoch_complete = bi + 1 == batches.size();
        break;
      }
    }
    std::cerr << "\n";
    const double train_loss = loss_sum / std::max(1L, loss_count);
    if (progress.epoch == 0 && progress.first_loss == 0) progress.first_loss = train_loss;
    if (epoch_complete) ++progress.epoch;
    // validate and keep the best with the averaged weights
    ema.swap(net);
    const ValidationMetrics v = validate(net, validation_set.empty() ? train_set : validation_set, c, K);
    if (v.rmsd_all < progress.best) {
      progress.best = v.rmsd_all;
      const nlohmann::json provenance = {
          {"data", c.inputs},
          {"mapping", mappings.name()},
          {"command", c.command},
          {"initial_model", c.initial_model},
          {"commit", BACKMAP_GIT_COMMIT},
          {"split", "by protein (FNV-1a of the protein name): validation " + std::to_string(c.validation_fraction) +
                        ", test " + std::to_string(c.test_fraction)},
          {"epoch", progress.epoch},
          {"step", progress.step},
          {"validation", {{"rmsd_backbone", v.rmsd[0]}, {"rmsd_side_chain", v.rmsd[1]}, {"rmsd_molecule", v.rmsd[2]},
                          {"rmsd_all_heavy", v.rmsd_all}, {"bonds_off_0.1A", v.bonds_off}}},
          {"training_seconds", elapsed()}};
      model.set_provenance_json(provenance.dump());
      model.save(model_path);
    }
    ema.swap(net);
    progress.elapsed = elapsed();
    save_checkpoint(checkpoint, net, optimiser, ema, progress);
    csv << progress.epoch << "," << progress.step << "," << train_loss << "," << v.rmsd[0] << "," << v.rmsd[1] << ","
        << v.rmsd_all << "," << v.bonds_off << "," << learning_rate(c, progress.step, total_steps) << ","
        << progress.elapsed << "\n"
        << std::flush;
    log << "epoch " << progress.epoch << " step " << progress.step << ": train loss " << train_loss
        << ", validation RMSD backbone " << v.rmsd[0] << " side chain " << v.rmsd[1] << " all " << v.rmsd_all
        << " A, bonds off >0.1 A " << 100 * v.bonds_off << " %" << (progress.best == v.rmsd_all ? " (best)" : "")
        << "\n";
    result.last_loss = train_loss;
  }
  result.first_loss = progress.first_loss;
  result.best_validation_rmsd = progress.best;
  result.epochs_done = progress.epoch;
  result.steps_done = progress.step;
  result.finished = progress.epoch >= c.epochs;
  return result;
}

}    // namespace BACKMAP
