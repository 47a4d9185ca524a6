/* BACKMAP core, forcefield layer: GoMartini's residue contact map, computed from an atomistic
   structure as martinize2 -go computes it (the OV + rCSU map of Wolek et al. 2015 and Poma et
   al. 2017):
   - OV (overlap): two residues are in contact when any two of their atoms are closer than 1.24
     times the sum of their van der Waals radii (go_atom_classes);
   - CSU (contacts of structural units): every atom carries 610 points on a Fibonacci sphere of
     its radius plus a water radius of 2.8 A; a point belongs to the atom nearest to the centre
     (by centre distance, the lower index on a tie) among the neighbours whose own enlarged sphere
     (radius + 2.8 A) holds it, neighbours being the atoms closer than the sum of both radii plus
     2.8 A. A point of an atom of residue A taken by an atom of residue B counts for (A, B) when
     both atoms have a class; as stabilising or destabilising by their classes;
   - rCSU: (A, B) is a contact when its stabilising points outnumber its destabilising ones;
   - the contact map lists the ordered pairs (A, B), A != B, with an overlap or a surface point;
     those with an overlap or rCSU are the contacts the Go model takes (both (A, B) and (B, A)
     must be there for it to take the pair). */
#ifndef BACKMAP_GO_CONTACT_MAP_H
#define BACKMAP_GO_CONTACT_MAP_H

#include "point_cells.h"
#include "structure.h"

#include <string>
#include <utility>
#include <vector>

namespace BACKMAP {

struct GoContactAtom {
  Vec3 position = Vec3::Zero();    // Angstrom
  double radius = 0.0;             // Angstrom
  int atom_class = 0;
  int residue = 0;                 // index into the residues the map is made of
};

// One ordered residue pair of the map.
struct GoResidueContact {
  int a = 0, b = 0;                // residue indices
  bool overlap = false;            // OV
  int surface = 0;                 // CSU: points of a's atoms taken by b's atoms (both with a class)
  int stabilising = 0, destabilising = 0;
  bool rcsu() const { return stabilising > destabilising; }
  bool taken() const { return overlap || rcsu(); }    // a contact of the Go model
};

constexpr double go_overlap_factor = 1.24;
constexpr double go_water_radius = 2.8;    // Angstrom
constexpr int go_sphere_points = 610;      // a Fibonacci number; 377 before it

// Every atom of the residues (hydrogens included: they take surface points), with its facts.
std::vector<GoContactAtom> go_contact_atoms(const std::vector<const Residue *> &residues);

// The points of the Fibonacci sphere of `radius` around `centre` (go_sphere_points of them).
std::vector<Vec3> go_sphere(const Vec3 &centre, double radius);

// OV: the atom pairs (i < j) of different residues closer than go_overlap_factor (ri + rj).
std::vector<std::pair<int, int>> go_overlapping_atoms(const std::vector<GoContactAtom> &atoms, const PointCells &cells);

// CSU: for every atom, the atoms that took its surface points and how many each took, by atom index.
std::vector<std::vector<std::pair<int, int>>> go_surface_hits(const std::vector<GoContactAtom> &atoms, const PointCells &cells);

// The contact map of the residues (ordered pairs, sorted by a then b).
std::vector<GoResidueContact> go_contact_map(const std::vector<const Residue *> &residues);

// The map in the text format of martinize2's -go-write-file (and of the contact-map server that
// martinize2 -go FILE reads): one "R" line per ordered pair, with the CA-CA distance (A).
std::string go_contact_map_text(const std::vector<GoResidueContact> &map, const std::vector<const Residue *> &residues,
                                const std::string &source);

}    // namespace BACKMAP

#endif
