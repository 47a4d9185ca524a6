/* BACKMAP core, forcefield layer: a coarse-grained molecule as martinize2 holds it while it builds a
   topology: beads with attributes (JSON: atomname, resname, resid, atype, charge, cgsecstruct, ...)
   and positions, the bonds of the underlying structure as a graph, and bonded terms by section.
   vermouth's rules for adding a term (the same atoms in the same order and the same "version"
   replace an earlier one) and for removing one live here, so that every step applies them alike. */
#ifndef BACKMAP_CG_MOLECULE_H
#define BACKMAP_CG_MOLECULE_H

#include "structure.h"
#include "vermouth_force_field.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace BACKMAP {

struct CgBead {
  FfAttributes attributes = FfAttributes::object();
  Vec3 position = Vec3::Zero();    // nm, as martinize2 measures
  int residue = -1;                // index into CgMolecule::residues
};

struct CgTerm {
  std::vector<int> atoms;                  // 0-based bead indices
  std::vector<std::string> parameters;     // as GROMACS reads them
  FfAttributes meta = FfAttributes::object();    // group, comment, version, ifdef, ifndef
};

struct CgResidue {
  std::string name, chain;     // the input's residue name and chain
  int number = 0;              // the input's residue number
  char insertion = ' ';
  std::string block;           // the force field's block
  std::vector<int> beads;      // in the block's atom order
};

struct CgMolecule {
  std::string name;
  int nrexcl = 1;
  std::vector<CgBead> beads;
  std::vector<CgResidue> residues;
  std::vector<std::set<int>> neighbours;    // the graph links are matched against
  std::map<std::string, std::vector<CgTerm>> terms;
  FfAttributes meta = FfAttributes::object();    // scfix, extdih, idr: what links' [ molmeta ] test

  int add_bead(CgBead bead);
  void add_edge(int a, int b);
  bool has_edge(int a, int b) const;
  // vermouth's add_or_replace_interaction: a term with the same atoms (same order) and the same
  // meta "version" (0 when absent) is replaced in place; otherwise the term is appended.
  void add_or_replace(const std::string &section, CgTerm term);
  // Appends without looking (elastic network bonds).
  void add(const std::string &section, CgTerm term);
  std::size_t term_count() const;
};

// The molecules as one (martinize2 -go merges all of a system's molecules so that the Go
// contacts between chains live in one molecule type): beads, residues and terms in the given
// order, bead indices shifted; nrexcl and meta of the first.
CgMolecule merge_molecules(const std::vector<CgMolecule> &molecules, const std::string &name);

// vermouth's attribute test: every key of `wanted` (but those in `ignored`) must equal the
// bead's value (an absent key counts as null), or `wanted` is a choice "A|B" holding it, or
// {"not": V} and the bead's value is absent or not V.
bool attributes_match(const FfAttributes &have, const FfAttributes &wanted, const std::set<std::string> &ignored = {});

}    // namespace BACKMAP

#endif
