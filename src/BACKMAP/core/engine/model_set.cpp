#include "model_set.h"

#include <map>

namespace BACKMAP {

ModelSet ModelSet::load(const std::vector<std::string> &paths, SharedNames shared)
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
      if (fresh || it->second == i) continue;
      const MoleculeMapping *other = set.models_[it->second]->mappings().find(m.name);
      const bool amino_acids = m.kind == MoleculeKind::AminoAcid && other && other->kind == MoleculeKind::AminoAcid;
      if (shared == SharedNames::AminoAcidsRouted && amino_acids) continue;
      throw ModelError(path + " and " + set.paths_[it->second] + " both backmap " + m.name +
                       (amino_acids ? ": give one model per molecule here (backmap run and fix backmap, which route by "
                                      "chain stretch, give a shared amino acid to the model that knows most of "
                                      "its stretch)"
                                    : ": give one model per molecule"));
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
