/* BACKMAP core (LibTorch): what a Model holds. For model.cpp and the trainer only. */
#ifndef BACKMAP_MODEL_IMPL_H
#define BACKMAP_MODEL_IMPL_H

#include "model.h"
#include "network.h"

namespace BACKMAP {

struct Model::Impl {
  ModelConfig config;
  MappingSet mappings;          // owns the mappings the vocabulary points into: never copied
  BeadVocabulary vocabulary;
  EquivariantNet net{nullptr};
  std::string provenance = "{}";
  IdealGeometry geometry;       // empty: the model cannot refine its output

  // `slots` > 0: the network's slot count when it is more than the mappings need (a model
  // restricted to some of its molecules)
  Impl(const MappingSet &m, const ModelConfig &c, int slots = 0);
  Impl(const Impl &) = delete;
  Impl &operator=(const Impl &) = delete;
};

}    // namespace BACKMAP

#endif
