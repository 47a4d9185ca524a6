#include "model_set.h"

#include <map>

namespace BACKMAP {

ModelSet ModelSet::load(const std::vector<std::string> &paths)
{
  if (paths.empty()) throw ModelError("no model file given");
  ModelSet set;
  std::map<std::string, std::size_t> owner;    // molecule name -> model index
  for (const std::string &path : paths) {
    set.models_.push_back(std::make_unique<Model>(Model::load(path)));
    set.paths_.push_back(path);
    const std::size_t i = set.models_.size() - 1;
    for (const MoleculeMapping &m : set.models_.back()->mappings().molecules()) {
      const auto [it, fresh] = owner.emplace(m.name, i);
      if (!fresh && it->second != i)
        throw ModelError(path + " and " + set.paths_[it->second] + " both backmap " + m.name +
                         ": give one model per molecule");
    }
  }
  return set;
}

ModelSet ModelSet::of(Model model, const std::string &name)
{
  ModelSet set;
  set.models_.push_back(std::make_unique<Model>(std::move(model)));
  set.paths_.push_back(name);
  return set;
}

bool ModelSet::knows(const std::string &residue_name) const
{
  for (const auto &m : models_)
    if (!m->mappings().candidates(residue_name).empty()) return true;
  return false;
}

}    // namespace BACKMAP
