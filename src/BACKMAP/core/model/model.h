/* BACKMAP core: a trained backmapping model, as inference sees it. One file holds everything:
   hyper-parameters, weights, the mappings it was trained for (embedded, not a path), the
   bead vocabulary, the cutoff and provenance. LibTorch stays behind this interface. */
#ifndef BACKMAP_MODEL_H
#define BACKMAP_MODEL_H

#include "bead_graph.h"
#include "bead_vocabulary.h"
#include "ideal_geometry.h"
#include "mapping_set.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace BACKMAP {

class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ModelConfig {
  double cutoff = 7.0;         // Angstrom: a bead sees beads closer than this, nothing else
  int features = 64;           // scalar channels per bead and per edge
  int vector_channels = 16;    // equivariant vector channels per bead
  int pseudo_channels = 16;    // pseudoscalar (chirality) channels per bead
  int radial_basis = 8;        // Bessel functions of the distance
  int layers = 2;              // edge-refinement layers (strictly local, Allegro-style)
  double neighbour_norm = 16;  // typical neighbour count, scales the sums
  // A bead sees only the beads of its own residue (for a lipid, its own molecule), so that
  // neighbours the training never showed (a protein next to a lipid, another membrane's
  // composition) cannot move its atoms; the cutoff still bounds what it sees.
  bool own_residue_only = false;
};

// The hyper-parameters as JSON text: what the model file stores and what a checkpoint
// must match.
std::string model_config_json(const ModelConfig &config);

class Model {
 public:
  // A fresh, untrained model for a mapping set (weights from the seed).
  static Model create(const MappingSet &mappings, const ModelConfig &config, std::uint64_t seed);
  // Throws ModelError naming the file when it is missing, truncated or not a BACKMAP model.
  static Model load(const std::string &path);
  // CPU threads for inference and training (OpenMP inside LibTorch).
  static void set_threads(int threads);
  // The same network for some of its molecules only (a protein model that should not claim
  // the lipids its mapping set also maps): the embedded mappings, bead types and ideal
  // geometry of the others are dropped, every kept bead predicts exactly what it did.
  Model restricted_to(const std::vector<std::string> &molecules) const;
  // Writes atomically: an interrupted save never leaves a broken model file.
  void save(const std::string &path) const;

  const ModelConfig &config() const;
  const MappingSet &mappings() const;
  const BeadVocabulary &vocabulary() const;
  int slots() const { return vocabulary().max_slots(); }
  double cutoff() const { return config().cutoff; }
  std::string mapping_name() const;
  std::string provenance_json() const;
  void set_provenance_json(const std::string &json);
  // Measured on the training split; what refine_frame pulls reconstructions towards.
  const IdealGeometry &geometry() const;
  void set_geometry(IdealGeometry geometry);
  std::size_t parameter_count() const;

  // One vector per slot of every bead (N*K, bead-major). Strictly local: bead i's vectors
  // depend only on beads within the cutoff of i.
  std::vector<Vec3> predict(const BeadFrame &frame) const;
  std::vector<Vec3> predict(const BeadFrame &frame, const EdgeList &edges) const;
  // The same vectors, from the network run on `chunk` beads (and the beads they see) at a
  // time, so that its memory does not grow with the frame; `edges` grouped by centre in
  // ascending order, as build_edges gives them. Bit-identical to predict(frame, edges).
  std::vector<Vec3> predict_in_chunks(const BeadFrame &frame, const EdgeList &edges, std::size_t chunk) const;

  struct Impl;
  Impl &impl() const { return *impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

}    // namespace BACKMAP

#endif
