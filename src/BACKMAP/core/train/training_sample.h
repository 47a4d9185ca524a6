/* BACKMAP core: one atomistic structure made ready for training: the network input (its CG
   frame), the target vector of every slot, and what the loss needs to rebuild atoms from
   predicted vectors (atoms = G beads + M vectors, both sparse) and to judge bonds and angles. */
#ifndef BACKMAP_TRAINING_SAMPLE_H
#define BACKMAP_TRAINING_SAMPLE_H

#include "cg_frame.h"
#include "roundtrip.h"

#include <array>
#include <string>
#include <vector>

namespace BACKMAP {

struct SparseEntry {
  int row, column;
  double weight;
};

struct TrainingSample {
  std::string source;
  PreparedFrame prepared;
  int slots = 0;                          // K: vectors per bead
  std::vector<Vec3> targets;              // N*K; zero where masked
  std::vector<unsigned char> target_mask; // N*K
  std::vector<unsigned char> root_slot;   // N*K: the slot's vector starts at its bead, not at an atom
  std::vector<Vec3> atoms;                // heavy atoms to rebuild (truth)
  std::vector<AtomClass> atom_class;
  std::vector<SparseEntry> bead_weights;  // G: atom x bead
  std::vector<SparseEntry> slot_weights;  // M: atom x (bead*K + slot)
  std::vector<std::array<int, 2>> bonds;  // atom indices
  std::vector<std::array<int, 3>> angles; // a-b-c, b the vertex
  // Sets of interchangeable atoms (metrics.h): each atom's row and its one slot (bead*K + k);
  // the loss scores a set under the permutation of its truth that fits the prediction best.
  std::vector<std::vector<std::array<int, 2>>> interchangeable;
};

TrainingSample make_training_sample(const ForwardMapping &fm, const MappingSet &mappings,
                                    const BeadVocabulary &vocabulary, const std::string &source);

}    // namespace BACKMAP

#endif
