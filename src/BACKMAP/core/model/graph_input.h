/* BACKMAP core (LibTorch): the network's input for one frame, held in host buffers of the
   element types LibTorch computes with (int64 indices, float vectors) and already padded to the
   sizes the network is run at, so that the tensors are views of these buffers
   (torch::from_blob): no tensor is allocated or copied between the beads and the network.

   The buffers keep their capacity from frame to frame (a running simulation allocates nothing
   here once its largest frame has passed). Padding: node and edge counts are rounded up (so
   that a bead's result does not depend on how many beads share its graph: graph_input.cpp), the
   extra edges join two extra dummy nodes and carry unit vectors, so they change nothing the
   real beads receive. Include only where tensors are needed: <torch/torch.h> is slow. */
#ifndef BACKMAP_GRAPH_INPUT_H
#define BACKMAP_GRAPH_INPUT_H

#include "bead_graph.h"
#include "network.h"

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace BACKMAP {

// Memory aligned as LibTorch aligns its own (64 bytes): its vectorised kernels take other code
// paths, and so round differently, on data of another alignment, and frames must not depend
// on where a buffer happened to be allocated.
template <class T> struct TensorAligned {
  using value_type = T;
  static constexpr std::align_val_t alignment{64};
  TensorAligned() = default;
  template <class U> TensorAligned(const TensorAligned<U> &) {}
  T *allocate(std::size_t n) { return static_cast<T *>(::operator new(n * sizeof(T), alignment)); }
  void deallocate(T *p, std::size_t) { ::operator delete(p, alignment); }
  template <class U> bool operator==(const TensorAligned<U> &) const { return true; }
  template <class U> bool operator!=(const TensorAligned<U> &) const { return false; }
};

template <class T> using TensorBuffer = std::vector<T, TensorAligned<T>>;

struct GraphInput {
  TensorBuffer<std::int64_t> types;                          // [nodes]: bead types, 0 for padding
  TensorBuffer<std::int64_t> centre, neighbour, relation;    // [edges]
  TensorBuffer<float> vectors;                               // [edges * 3]: x_neighbour - x_centre
  long beads = 0;                                           // real nodes (the rest is padding)
};

// Fills `input` from a frame and its edges (edges as build_edges gives them), padded.
void fill_graph_input(const BeadFrame &frame, const EdgeList &edges, GraphInput &input);

// The network's tensors as views of `input`'s buffers (no copy): valid while `input` lives and
// is not refilled.
GraphTensors graph_tensors_of(GraphInput &input);

}    // namespace BACKMAP

#endif
