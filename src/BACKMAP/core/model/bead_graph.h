/* BACKMAP core: the bead graph the network sees. Nodes are beads; an edge joins two beads
   closer than the cutoff (minimum image in a periodic box). Edge attributes that are not
   geometric say how the two beads sit in sequence, so that the backbone knows which
   neighbours are residues i-1 and i+1. */
#ifndef BACKMAP_BEAD_GRAPH_H
#define BACKMAP_BEAD_GRAPH_H

#include "structure.h"

#include <vector>

namespace BACKMAP {

// What the network reads about one CG frame.
struct BeadFrame {
  std::vector<Vec3> positions;
  std::vector<int> types;       // BeadVocabulary index
  std::vector<int> residue;     // residue index (beads of one residue share it)
  std::vector<int> chain;       // chain index
  std::vector<int> sequence;    // position in its chain for peptide residues; -1 otherwise
  Box box;

  std::size_t size() const { return positions.size(); }
};

// Sequence relation of bead j to bead i: same residue, i-1, i+1, i-2, i+2, anything else.
enum SequenceRelation { SameResidue = 0, Previous = 1, Next = 2, Previous2 = 3, Next2 = 4, Unrelated = 5 };
constexpr int sequence_relation_count = 6;

struct EdgeList {
  std::vector<int> centre, neighbour;
  std::vector<Vec3> vector;    // x_neighbour - x_centre
  std::vector<int> relation;
  std::size_t size() const { return centre.size(); }
};

// Neighbours of each of a list of centres, flat (CSR): centre i's are
// indices[offsets[i] .. offsets[i + 1]). Filled again frame after frame, its buffers keep their
// capacity, so a running simulation allocates nothing here once the largest frame has passed.
struct NeighbourList {
  std::vector<int> offsets{0}, indices;

  struct Row {
    const int *first, *last;
    const int *begin() const { return first; }
    const int *end() const { return last; }
    std::size_t size() const { return static_cast<std::size_t>(last - first); }
  };
  std::size_t centres() const { return offsets.size() - 1; }
  Row operator[](std::size_t i) const { return {indices.data() + offsets[i], indices.data() + offsets[i + 1]}; }
  void clear()
  {
    offsets.assign(1, 0);
    indices.clear();
  }
  void close_row() { offsets.push_back(static_cast<int>(indices.size())); }    // after a centre's indices
};

// Every ordered pair closer than `cutoff`. Cell lists make it linear in the number of beads.
EdgeList build_edges(const BeadFrame &frame, double cutoff);

// The same edges from a neighbour list built elsewhere (LAMMPS's): candidates of each centre
// (frame indices, in any order, duplicates allowed) closer than `cutoff`; positions are used
// as they are (ghost particles already stand for periodic images).
EdgeList edges_from_neighbours(const BeadFrame &frame, double cutoff, const std::vector<int> &centres,
                               const NeighbourList &neighbours);

int sequence_relation(const BeadFrame &frame, int i, int j);

// CG geometry the network cannot answer for: two beads closer than `min_bead_distance` (no
// Martini model puts beads this close; a collapsed or corrupt frame does), or a bead alone in
// its residue with no neighbour at all (an equivariant network then has no direction to place
// its atoms along, and would put them all on the bead). `bead` (and `other`) index the frame.
constexpr double min_bead_distance = 0.5;    // Angstrom
struct GeometryProblem {
  int bead = -1, other = -1;    // other: -1 for an isolated bead
  double distance = 0;
};
// The first problem among the edges of `centres` (every bead when empty), or bead -1.
GeometryProblem find_degenerate_geometry(const BeadFrame &frame, const EdgeList &edges,
                                         const std::vector<int> &centres = {});

// Neighbour candidates of the first `centres` points among all of `positions` (no box: the
// points already stand for the periodic images, as LAMMPS's ghosts do): every point closer than
// `cutoff` to a centre, itself excluded, in ascending index. A cell list, linear in the number
// of points. It knows nothing of bonds: the model's input never depends on a force field's
// exclusions.
void neighbours_within(const std::vector<Vec3> &positions, std::size_t centres, double cutoff, NeighbourList &out);
NeighbourList neighbours_within(const std::vector<Vec3> &positions, std::size_t centres, double cutoff);

}    // namespace BACKMAP

#endif
