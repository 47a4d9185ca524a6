/* BACKMAP core: how one molecule type is coarse-grained and how its atoms are placed back.

   A MoleculeMapping lists the atoms of one residue/molecule type, the bead(s) each atom belongs
   to with its weights, and the hierarchy: for every (atom, bead) pair a level and an anchor.
   Level 0 sits on the bead centre, level 1 is placed from the bead position, level k >= 2 from
   an atom of the same bead at level k-1. The network predicts one vector per placement. */
#ifndef BACKMAP_MAPPING_H
#define BACKMAP_MAPPING_H

#include "file_error.h"

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace BACKMAP {

// Thrown for any defect in a mapping file; the message names the file and line. A kind of
// FileError, so that whoever reads files catches one type.
class MappingError : public FileError {
 public:
  using FileError::FileError;
};

enum class MoleculeKind { AminoAcid, Molecule };
enum class CentreWeighting { Mass, Equal };

struct BeadShare {
  int bead = -1;         // index into MoleculeMapping::beads
  double weight = 1.0;   // share of the atom given to this bead; an atom's shares sum to 1
};

// What happens to an input hydrogen bonded to a heavy atom: force fields name hydrogens
// differently, so they are recognised by their heavy atom and not by name.
struct HydrogenRule {
  std::vector<BeadShare> beads;
  bool in_centre = true;
};

struct MappedAtom {
  std::string name;
  std::vector<std::string> aliases;
  std::string element;
  double mass = 0.0;
  std::vector<BeadShare> beads;
  bool in_centre = true;    // false: belongs to the bead but does not move its centre
  bool optional = false;    // may be absent (C-terminal OXT) without the residue being incomplete
  HydrogenRule hydrogens;
  int line = 0;             // line in the mapping file, for messages

  bool is_hydrogen() const;
};

// One (atom, bead) pair of the hierarchy: the network predicts x_atom - x_anchor for it.
struct Placement {
  int atom = -1;
  int bead = -1;
  int level = 1;
  int anchor = -1;    // atom index at level-1 in the same bead; -1: the bead position
  int anchor_placement = -1;    // the anchor's own placement (same bead); -1: the bead
  int slot = -1;      // index of this placement among its bead's placements
};

struct BeadDefinition {
  std::string name;
  int centre_atom = -1;            // >= 0: the bead sits exactly on this atom
  std::vector<int> placements;     // indices into MoleculeMapping::placements, by level
};

struct MoleculeMapping {
  std::string name;
  std::vector<std::string> aliases;
  MoleculeKind kind = MoleculeKind::Molecule;
  CentreWeighting weighting = CentreWeighting::Mass;
  std::string source;      // free-text provenance from the file
  std::string file;        // where it was read from
  std::string text;        // the file's text, so that a model can embed its mappings
  std::vector<BeadDefinition> beads;
  std::vector<MappedAtom> atoms;
  std::vector<std::pair<int, int>> bonds;
  std::vector<Placement> placements;    // ordered bead by bead, level by level

  int find_atom(const std::string &name_or_alias) const;    // -1 if unknown
  int find_bead(const std::string &name) const;
  bool answers_to(const std::string &residue_name) const;   // name or alias
  int max_slots() const;                                    // most placements on one bead
  std::vector<int> required_atoms() const;                  // heavy, not optional
};

// Throws MappingError naming the file and the atom/bead when the mapping is not usable:
// unassigned atoms, weights not summing to 1, beads without a centre, anchors that are
// missing, in another bead or not one level below, hierarchy cycles, heavy atoms without
// a placement. Called by every reader; also builds the placement order and slots.
void finalise_mapping(MoleculeMapping &mapping);

// Readers. Both formats are YAML: ours (doc/mapping_format.md) and the reference
// implementation's label format (P1A, P2AB, CM, !), recognised by the shape of `atoms`.
MoleculeMapping read_mapping_file(const std::string &path);
MoleculeMapping parse_mapping_text(const std::string &text, const std::string &name_for_messages);

}    // namespace BACKMAP

#endif
