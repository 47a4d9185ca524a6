/* BACKMAP core: a molecular structure as the readers produce it and the writers take it.
   The same types hold atomistic structures and CG ones (a bead is an Atom named after the
   bead, with no element), so every reader and writer serves both resolutions. */
#ifndef BACKMAP_STRUCTURE_H
#define BACKMAP_STRUCTURE_H

#include <Eigen/Core>

#include <string>
#include <vector>

namespace BACKMAP {

using Vec3 = Eigen::Vector3d;

struct Atom {
  std::string name;
  std::string element;    // empty for CG beads
  Vec3 position = Vec3::Zero();    // Angstrom
  int serial = 0;
  double mass = 0.0;    // set for CG beads (sum of their atoms' shares); 0 = unknown
};

struct Residue {
  std::string name;
  std::string chain;
  int number = 0;
  char insertion = ' ';
  bool hetero = false;
  int molecule = -1;    // molecule index when known (a protein chain, one lipid); -1 unknown
  std::vector<Atom> atoms;

  int find_atom(const std::string &atom_name) const;    // -1 if absent
  Residue without_atoms() const;                        // same identity, no atoms
  std::string label() const;    // "A:ALA12B", for messages
};

// A periodic cell (rows of `vectors` are a, b, c in Angstrom); not periodic when absent.
struct Box {
  bool periodic = false;
  Eigen::Matrix3d vectors = Eigen::Matrix3d::Zero();

  static Box orthorhombic(double a, double b, double c);
  Vec3 lengths() const;
  bool is_orthorhombic() const;
  // The shortest image of a difference vector (exact for orthorhombic cells and for
  // vectors shorter than half the smallest cell height otherwise).
  Vec3 minimum_image(const Vec3 &d) const;
};

struct Structure {
  std::string title;
  std::vector<Residue> residues;
  Box box;

  std::size_t atom_count() const;
};

}    // namespace BACKMAP

#endif
