/* BACKMAP core, forcefield layer: vermouth's force-field files (.ff), the rules martinize2 builds
   Martini protein topologies from, as plain structs, and their reader.

   A .ff file holds, in [ sections ]:
     [ macros ] NAME VALUE            text put wherever $NAME stands later in the same file
     [ variables ] NAME VALUE         force-field wide values (JSON), e.g. bb_atomname "BB"
     [ moleculetype ] NAME NREXCL     a block: the beads of one residue, with [ atoms ] and bonded
                                      sections naming atoms by name (or 1-based index),
                                      [ exclusions ], [ edges ], [ meta ]
     [ link ]                         a rule across residues: "KEY VALUE" lines right after the
                                      header set attributes of every node the link names later;
                                      [ molmeta ] conditions on the molecule; [ atoms ] nodes with
                                      attributes; bonded sections whose atoms carry an order prefix
                                      (+BB the next residue, -BB the previous, >SC1 a later one) and
                                      optional {JSON} attributes; [ !bonds ] etc. remove terms;
                                      [ edges ], [ non-edges ], [ patterns ] and [ features ]
     [ modification ] NAME            changes to named atoms ([ atoms ] with {"replace": {...}})
   A bonded line may end with a {JSON} of meta data (group, comment, version, ifdef, edge), and a
   "#meta {JSON}" line sets meta data for the section's later lines. Parameters are kept as the
   text they are (GROMACS reads them), except dist/angle/dihedral/dihphase(KEYS|FORMAT), which are
   computed from the structure when a link is applied.
   Attribute values are JSON; a string with '|' in a link stands for a choice ("H|1|2|3"), and
   not(VALUE) for "absent or not VALUE" (kept as {"not": VALUE}). */
#ifndef BACKMAP_VERMOUTH_FORCE_FIELD_H
#define BACKMAP_VERMOUTH_FORCE_FIELD_H

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace BACKMAP {

using FfAttributes = nlohmann::json;    // a JSON object

// One parameter of a bonded line: its text, or a value computed from the bead positions.
struct FfParameter {
  std::string text;                 // as written (when `effector` is empty)
  std::string effector;             // "dist", "angle", "dihedral" or "dihphase"
  std::vector<std::string> keys;    // the link's node keys it measures
  std::string format;               // Python-style format such as ".01f"; empty: shortest
};

struct FfInteraction {
  std::vector<std::string> atoms;                 // blocks: atom names; links: node keys ("+BB")
  std::vector<FfAttributes> atom_attributes;      // links' removals: the attributes given per atom
  std::vector<FfParameter> parameters;
  FfAttributes meta = FfAttributes::object();
  std::string path;
  int line = 0;
};

// Bonded sections by name ("bonds", "constraints", "angles", "dihedrals", "impropers",
// "exclusions", "virtual_sitesn", ...); function-2 dihedrals are kept as "impropers", as vermouth does.
using FfInteractions = std::map<std::string, std::vector<FfInteraction>>;

struct FfNode {
  std::string key;                  // atom name (blocks) or prefixed key (links: "+BB", ">SC1")
  FfAttributes attributes = FfAttributes::object();
};

struct FfBlock {
  std::string name;
  int nrexcl = 1;
  std::vector<FfNode> atoms;        // attributes: atomname, atype, resname, resid, charge_group[, charge, mass]
  FfInteractions interactions;
  std::vector<std::pair<std::string, std::string>> edges;    // from bonds, constraints, angles, propers and [ edges ]
  std::string path;
  int line = 0;

  const FfNode *find(const std::string &atom) const;
};

struct FfLink {
  std::vector<FfNode> nodes;        // attributes include "order" (int, or ">", "<", "*" strings) and "atomname"
  std::vector<std::pair<std::string, std::string>> edges;
  std::vector<std::pair<std::string, FfAttributes>> non_edges;    // key, attributes of a neighbour that must not be
  std::vector<std::vector<std::pair<std::string, FfAttributes>>> patterns;    // any one must match
  FfAttributes molecule_meta = FfAttributes::object();
  FfInteractions interactions, removed;
  std::set<std::string> features;
  std::string path;
  int line = 0;

  const FfNode *find(const std::string &key) const;
};

struct FfModification {
  std::string name;
  std::vector<FfNode> atoms;        // attributes, with "replace": {...} for what changes
  std::vector<std::pair<std::string, std::string>> edges;
  FfInteractions interactions;
  std::string path;
  int line = 0;
};

struct VermouthForceField {
  std::vector<std::string> files;                    // read, in order
  std::map<std::string, FfBlock> blocks;             // by residue name; a later file's block replaces
  std::vector<FfLink> links;                         // in file order: the order they are applied in
  std::map<std::string, FfModification> modifications;
  FfAttributes variables = FfAttributes::object();

  const FfBlock *block(const std::string &residue) const;
  // The variable's value, or `fallback` where the force field does not set it.
  FfAttributes variable(const std::string &name, const FfAttributes &fallback) const;
};

// Reads .ff files in the given order into one force field (macros are per file, as in vermouth).
// FileError "PATH:LINE: what" for unknown sections, lines outside any block or link, bad JSON,
// undefined macros, wrong atom counts, atoms a block does not have, unknown parameter functions.
VermouthForceField read_vermouth_force_field(const std::vector<std::string> &paths);
// Every *.ff file of a folder, by name (vermouth's order), read as one force field.
VermouthForceField read_vermouth_force_field_folder(const std::string &folder);

// vermouth's tokens: words split at white space, except that a {...} (braces counted) is one
// token wherever it stands, even glued to a neighbour ("BB{...}+BB" is three tokens).
std::vector<std::string> vermouth_tokens(const std::string &line, const std::string &path, int line_number);

}    // namespace BACKMAP

#endif
