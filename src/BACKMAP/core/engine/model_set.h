/* BACKMAP core, engine layer: several models in one run. Each model knows the molecules of
   its mappings (a protein model the amino acids, a lipid model its lipids, a user's model its
   own molecule); a residue goes to the model that knows its name (residue_routing.h). Two
   models that both claim a molecule name are an error when the set is made, except, where
   the caller routes by chain stretch, amino acids that both map as such. */
#ifndef BACKMAP_MODEL_SET_H
#define BACKMAP_MODEL_SET_H

#include "model.h"

#include <memory>
#include <string>
#include <vector>

namespace BACKMAP {

// What two models that know one residue name mean to the caller.
enum class SharedNames {
  Refused,          // an error (for a caller that does not route by chain stretch)
  AminoAcidsRouted  // allowed for amino acids, which route_residues gives by chain stretch
                    // (backmap run, fix backmap)
};

class ModelSet {
 public:
  // Loads every file; throws ModelError naming both files when two models know one molecule
  // (but see SharedNames).
  static ModelSet load(const std::vector<std::string> &paths, SharedNames shared = SharedNames::Refused);
  // A set of one model already in memory (an untrained one, in benchmarks); `name` stands
  // for its file in messages.
  static ModelSet of(Model model, const std::string &name);

  std::size_t size() const { return models_.size(); }
  const Model &model(std::size_t i) const { return *models_[i]; }
  const std::string &path(std::size_t i) const { return paths_[i]; }
  // Whether any model has a mapping for this residue name.
  bool knows(const std::string &residue_name) const;

 private:
  std::vector<std::unique_ptr<Model>> models_;
  std::vector<std::string> paths_;
};

}    // namespace BACKMAP

#endif
