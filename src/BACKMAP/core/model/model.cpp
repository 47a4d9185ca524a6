#include "model.h"

#include "model_impl.h"
#include "graph_input.h"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <stdexcept>
#include <filesystem>
#include <set>
#include <fstream>

namespace BACKMAP {

namespace {

constexpr const char *model_format = "backmap-model 1";

nlohmann::json config_json(const ModelConfig &c)
{
  nlohmann::json j = {{"cutoff", c.cutoff},         {"features", c.features},         {"vector_channels", c.vector_channels},
          {"pseudo_channels", c.pseudo_channels}, {"radial_basis", c.radial_basis}, {"layers", c.layers},
          {"neighbour_norm", c.neighbour_norm}};
  // written only when set: the text is part of a model file's checksum, and files saved before
  // the key existed must still read as they were written
  if (c.own_residue_only) j["own_residue_only"] = true;
  return j;
}

ModelConfig config_from_json(const nlohmann::json &j)
{
  ModelConfig c;
  c.cutoff = j.at("cutoff");
  c.features = j.at("features");
  c.vector_channels = j.at("vector_channels");
  c.pseudo_channels = j.at("pseudo_channels");
  c.radial_basis = j.at("radial_basis");
  c.layers = j.at("layers");
  c.neighbour_norm = j.at("neighbour_norm");
  c.own_residue_only = j.value("own_residue_only", false);    // absent from models saved before it
  return c;
}

std::vector<std::vector<int>> anchored_slots(const BeadVocabulary &v)
{
  std::vector<std::vector<int>> out(v.types().size());
  for (std::size_t t = 0; t < v.types().size(); ++t)
    for (std::size_t k = 0; k < v.types()[t].slots.size(); ++k)
      if (v.types()[t].slots[k].anchor_slot >= 0) out[t].push_back(static_cast<int>(k));
  return out;
}

std::string read_string(torch::serialize::InputArchive &ar, const std::string &key, const std::string &path)
{
  c10::IValue value;
  if (!ar.try_read(key, value) || !value.isString())
    throw ModelError(path + ": not a BACKMAP model file (no '" + key + "' record)");
  return value.toStringRef();
}

// CRC-32 (zlib's) over every record that decides the output: the metadata texts and each
// parameter and buffer of the network, by name, as raw float bytes. Stored in the file and
// checked on load, so that flipped bytes inside the tensor data (which LibTorch loads
// without complaint) are an error instead of silently wrong atoms.
std::string content_checksum(const std::vector<std::string> &texts, EquivariantNet &net)
{
  uLong crc = crc32(0L, Z_NULL, 0);
  auto add = [&](const void *data, std::size_t bytes) {
    const auto *p = static_cast<const Bytef *>(data);
    while (bytes > 0) {
      const uInt n = static_cast<uInt>(std::min<std::size_t>(bytes, 1u << 30));
      crc = crc32(crc, p, n);
      p += n;
      bytes -= n;
    }
  };
  for (const std::string &t : texts) add(t.data(), t.size() + 1);
  auto add_tensors = [&](const torch::OrderedDict<std::string, torch::Tensor> &tensors) {
    for (const auto &item : tensors) {
      add(item.key().data(), item.key().size() + 1);
      const torch::Tensor t = item.value().detach().to(torch::kCPU).contiguous();
      add(t.data_ptr(), t.numel() * t.element_size());
    }
  };
  add_tensors(net->named_parameters(true));
  add_tensors(net->named_buffers(true));
  char hex[16];
  std::snprintf(hex, sizeof hex, "%08lx", static_cast<unsigned long>(crc));
  return hex;
}

bool all_weights_finite(EquivariantNet &net)
{
  for (const auto &p : net->parameters(true))
    if (!torch::isfinite(p).all().item<bool>()) return false;
  return true;
}

}    // namespace

std::string model_config_json(const ModelConfig &config)
{
  return config_json(config).dump();
}

Model::Impl::Impl(const MappingSet &m, const ModelConfig &c, int slots)
    : config(c), mappings(m), vocabulary(mappings, slots)
{
  net = EquivariantNet(config, vocabulary.size(), vocabulary.max_slots(), anchored_slots(vocabulary));
}

Model Model::create(const MappingSet &mappings, const ModelConfig &config, std::uint64_t seed)
{
  torch::manual_seed(seed);
  Model m;
  m.impl_ = std::make_shared<Impl>(mappings, config);
  return m;
}

void Model::save(const std::string &path) const
{
  nlohmann::json maps = {{"name", impl_->mappings.name()}, {"files", nlohmann::json::array()}};
  for (const auto &mm : impl_->mappings.molecules())
    maps["files"].push_back({{"file", std::filesystem::path(mm.file).filename().string()}, {"text", mm.text}});
  torch::serialize::OutputArchive ar;
  ar.write("format", c10::IValue(std::string(model_format)));
  ar.write("config", c10::IValue(model_config_json(impl_->config)));
  ar.write("mappings", c10::IValue(maps.dump()));
  ar.write("provenance", c10::IValue(impl_->provenance));
  ar.write("slots", c10::IValue(static_cast<int64_t>(impl_->vocabulary.max_slots())));
  if (!impl_->geometry.empty()) ar.write("geometry", c10::IValue(impl_->geometry.to_json(impl_->mappings)));
  torch::serialize::OutputArchive weights;
  impl_->net->save(weights);
  ar.write("network", weights);
  ar.write("checksum", c10::IValue(content_checksum({model_config_json(impl_->config), maps.dump(), impl_->provenance,
                                                     impl_->geometry.empty() ? std::string()
                                                                             : impl_->geometry.to_json(impl_->mappings)},
                                                    impl_->net)));
  const std::filesystem::path target(path);
  const auto tmp = target.parent_path() / ("." + target.filename().string() + ".partial");
  ar.save_to(tmp.string());
  std::filesystem::rename(tmp, target);
}

Model Model::load(const std::string &path)
{
  if (!std::filesystem::exists(path)) throw ModelError(path + ": no such model file");
  torch::serialize::InputArchive ar;
  try {
    ar.load_from(path);
  } catch (const c10::Error &e) {
    throw ModelError(path + ": not a readable BACKMAP model file (truncated or corrupt)");
  }
  if (read_string(ar, "format", path) != model_format)
    throw ModelError(path + ": model format '" + read_string(ar, "format", path) + "' is not '" + model_format + "'");
  MappingSet mappings;
  ModelConfig config;
  try {
    config = config_from_json(nlohmann::json::parse(read_string(ar, "config", path)));
    const auto maps = nlohmann::json::parse(read_string(ar, "mappings", path));
    mappings.set_name(maps.at("name"));
    for (const auto &f : maps.at("files"))
      mappings.add(parse_mapping_text(f.at("text").get<std::string>(), path + ":" + f.at("file").get<std::string>()));
  } catch (const nlohmann::json::exception &e) {
    throw ModelError(path + ": corrupt model metadata (" + e.what() + ")");
  } catch (const std::exception &e) {
    // an embedded mapping that no longer parses: the file was damaged after it was written
    throw ModelError(path + ": the model file is damaged: its embedded mapping does not read (" + e.what() + ")");
  }
  c10::IValue slots;    // optional: only restricted models need more slots than their mappings
  if (ar.try_read("slots", slots) && (!slots.isInt() || slots.toInt() < 1 || slots.toInt() > 64))
    throw ModelError(path + ": corrupt slot count");
  Model m;
  m.impl_ = std::make_shared<Impl>(mappings, config, slots.isInt() ? static_cast<int>(slots.toInt()) : 0);
  m.impl_->provenance = read_string(ar, "provenance", path);
  c10::IValue geometry;    // optional: models saved before refinement existed have none
  if (ar.try_read("geometry", geometry)) {
    try {
      if (!geometry.isString()) throw std::runtime_error("not text");
      m.impl_->geometry = IdealGeometry::from_json(geometry.toStringRef(), m.impl_->mappings);
    } catch (const std::exception &e) {
      throw ModelError(path + ": corrupt ideal-geometry record (" + e.what() + ")");
    }
  }
  try {
    torch::serialize::InputArchive weights;
    ar.read("network", weights);
    m.impl_->net->load(weights);
  } catch (const c10::Error &e) {
    throw ModelError(path + ": the weights do not fit the model's own description (corrupt file?)");
  }
  // files written before checksums existed have none; every file BACKMAP writes now has one
  c10::IValue stored;
  if (ar.try_read("checksum", stored)) {
    const std::string expected = stored.isString() ? stored.toStringRef() : std::string("?");
    const std::string found = content_checksum({read_string(ar, "config", path), read_string(ar, "mappings", path),
                                                m.impl_->provenance,
                                                geometry.isString() ? geometry.toStringRef() : std::string()},
                                               m.impl_->net);
    if (found != expected)
      throw ModelError(path + ": the model file is damaged: its checksum is " + found + ", it was written with " +
                       expected + " (a copy or download went wrong; fetch the file again)");
  }
  if (!all_weights_finite(m.impl_->net))
    throw ModelError(path + ": the model's weights hold NaN or infinite values (a diverged training or a damaged "
                            "file); it cannot be used");
  m.impl_->net->eval();
  return m;
}

Model Model::restricted_to(const std::vector<std::string> &molecules) const
{
  const MappingSet subset = impl_->mappings.subset(molecules);
  Model m;
  m.impl_ = std::make_shared<Impl>(subset, impl_->config, impl_->vocabulary.max_slots());
  // every new bead type takes the rows of the old type of the same molecule and bead
  std::vector<long> old_type;
  for (const BeadType &t : m.impl_->vocabulary.types())
    for (int k = 0; k < impl_->vocabulary.size(); ++k)
      if (impl_->vocabulary.types()[k].name() == t.name()) old_type.push_back(k);
  const torch::Tensor rows = torch::tensor(old_type, torch::kLong);
  const std::set<std::string> per_type = {"embed.weight", "anchored", "log_length"};
  torch::NoGradGuard no_grad;
  auto source = impl_->net->named_parameters(true);
  const auto source_buffers = impl_->net->named_buffers(true);
  for (auto &p : m.impl_->net->named_parameters(true)) {
    const torch::Tensor &from = source[p.key()];
    p.value().copy_(per_type.count(p.key()) ? from.index_select(0, rows) : from);
  }
  for (auto &b : m.impl_->net->named_buffers(true)) {
    const torch::Tensor &from = source_buffers[b.key()];
    b.value().copy_(per_type.count(b.key()) ? from.index_select(0, rows) : from);
  }
  if (!impl_->geometry.empty()) {
    auto j = nlohmann::json::parse(impl_->geometry.to_json(impl_->mappings));
    for (auto it = j["molecules"].begin(); it != j["molecules"].end();)
      it = subset.find(it.key()) ? std::next(it) : j["molecules"].erase(it);
    m.impl_->geometry = IdealGeometry::from_json(j.dump(), m.impl_->mappings);
  }
  auto provenance = nlohmann::json::parse(impl_->provenance);
  provenance["restricted_to"] = molecules;
  m.impl_->provenance = provenance.dump();
  m.impl_->net->eval();
  return m;
}

void Model::set_threads(int threads)
{
  torch::set_num_threads(std::max(1, threads));
}

const ModelConfig &Model::config() const { return impl_->config; }
const MappingSet &Model::mappings() const { return impl_->mappings; }
const BeadVocabulary &Model::vocabulary() const { return impl_->vocabulary; }
std::string Model::mapping_name() const { return impl_->mappings.name(); }
std::string Model::provenance_json() const { return impl_->provenance; }
void Model::set_provenance_json(const std::string &json) { impl_->provenance = json; }
const IdealGeometry &Model::geometry() const { return impl_->geometry; }
void Model::set_geometry(IdealGeometry geometry) { impl_->geometry = std::move(geometry); }

std::size_t Model::parameter_count() const
{
  std::size_t n = 0;
  for (const auto &p : impl_->net->parameters()) n += static_cast<std::size_t>(p.numel());
  return n;
}

std::vector<Vec3> Model::predict(const BeadFrame &frame) const
{
  return predict(frame, build_edges(frame, cutoff()));
}

std::vector<Vec3> Model::predict(const BeadFrame &frame, const EdgeList &edges) const
{
  // no autograd bookkeeping at all (InferenceMode also skips the tensors' version counters)
  c10::InferenceMode inference;
  if (frame.size() == 0) return {};
  // the tensors are views of this thread's buffers, which keep their capacity between frames
  thread_local GraphInput input;
  fill_graph_input(frame, edges, input);
  const torch::Tensor out = impl_->net->forward(graph_tensors_of(input)).contiguous();
  auto a = out.accessor<float, 3>();
  const int K = slots();
  std::vector<Vec3> v(frame.size() * K);
  for (std::size_t i = 0; i < frame.size(); ++i)
    for (int k = 0; k < K; ++k) v[i * K + k] = Vec3(a[i][k][0], a[i][k][1], a[i][k][2]);
  return v;
}

std::vector<Vec3> Model::predict_in_chunks(const BeadFrame &frame, const EdgeList &edges, std::size_t chunk) const
{
  const std::size_t n = frame.size();
  if (chunk == 0 || n <= chunk) return predict(frame, edges);
  const int K = slots();
  std::vector<Vec3> out(n * K);
  std::vector<int> local(n, -1);
  std::size_t e = 0;
  for (std::size_t first = 0; first < n; first += chunk) {
    const std::size_t last = std::min(n, first + chunk);
    const std::size_t e0 = e;
    while (e < edges.size() && static_cast<std::size_t>(edges.centre[e]) < last) {
      if (static_cast<std::size_t>(edges.centre[e]) < first)
        throw std::logic_error("predict_in_chunks: edges are not grouped by centre in ascending order");
      ++e;
    }
    // the chunk's beads and every bead they see, in ascending index: the edges keep their
    // order, so the network's sums are those of the whole frame
    std::vector<int> members;
    for (std::size_t i = first; i < last; ++i) members.push_back(static_cast<int>(i));
    for (std::size_t k = e0; k < e; ++k) members.push_back(edges.neighbour[k]);
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    BeadFrame part;
    for (int m : members) {
      local[m] = static_cast<int>(part.size());
      part.positions.push_back(frame.positions[m]);
      part.types.push_back(frame.types[m]);
      part.residue.push_back(frame.residue[m]);
      part.chain.push_back(frame.chain[m]);
      part.sequence.push_back(frame.sequence[m]);
    }
    EdgeList sub;
    for (std::size_t k = e0; k < e; ++k) {
      sub.centre.push_back(local[edges.centre[k]]);
      sub.neighbour.push_back(local[edges.neighbour[k]]);
      sub.vector.push_back(edges.vector[k]);
      sub.relation.push_back(edges.relation[k]);
    }
    const std::vector<Vec3> v = predict(part, sub);
    for (std::size_t i = first; i < last; ++i)
      for (int s = 0; s < K; ++s) out[i * K + s] = v[local[i] * K + s];
    for (int m : members) local[m] = -1;
  }
  return out;
}

}    // namespace BACKMAP
