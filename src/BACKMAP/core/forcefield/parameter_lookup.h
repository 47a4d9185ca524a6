/* BACKMAP core, forcefield layer: grompp's look-up of a topology's bonded and 1-4 parameters. */
#ifndef BACKMAP_PARAMETER_LOOKUP_H
#define BACKMAP_PARAMETER_LOOKUP_H

#include "topology_sections.h"

#include <map>
#include <string>
#include <vector>

namespace BACKMAP {

// One interaction as grompp makes it: a [ dihedrals ] line of function 9 whose types match a
// block of several [ dihedraltypes ] lines gives one per line.
struct ResolvedTerm {
  const BondedTerm *term = nullptr;
  std::vector<double> parameters;      // state A only
};

// The *types sections of a topology arranged for look-ups as grompp does them (built once; keeps
// a reference to the topology, which must outlive it):
//  - by the atoms' bonded types (the atom type's bond_type), either direction;
//  - bonds, angles, constraints and other non-dihedrals: the first line that matches exactly;
//  - dihedrals of functions 1, 9 (one table), 2, 3 and 4: the first line with the most
//    non-wildcard matches, "X" matching anything; for function 9 the adjacent lines with the same
//    four types that follow it are further terms of the same dihedral;
//  - a later types line for the same types replaces the parameters of the earlier one, except a
//    function 9 line right after one for the same types, which adds a term;
//  - pairs by the atom types (not the bonded ones): [ pairtypes ], else with gen-pairs generated
//    from the two atom types by comb-rule ([ nonbond_params ] taking precedence), the
//    Lennard-Jones scaled by fudgeLJ (epsilon only for comb-rule 2 and 3);
//  - CMAP by the five bonded types in order.
class ParameterLookup {
 public:
  explicit ParameterLookup(const Topology &topology);

  // The parameters grompp gives one term of `section` ("bonds", "pairs", "angles", "dihedrals",
  // "constraints", "cmap", "settles", "virtual_sites2", ...) of `molecule`: the line's own, else
  // those of the types sections (several sets for a multi-term function 9 dihedral). For "cmap"
  // the one set is the grid; for terms whose function has no parameters, one empty set; for a
  // virtual site without any, none (grompp works those out from bonds and angles). FileError at
  // the term's line where nothing matches.
  std::vector<std::vector<double>> resolve(const MoleculeType &molecule, const std::string &section,
                                           const BondedTerm &term) const;
  // Every term of a section with its parameters as grompp puts them into a .tpr: function 9
  // dihedrals expanded; left out, as grompp does: angles, dihedrals and restraints whose
  // parameters are all zero, and periodic dihedrals (functions 1, 4, 9) and angle restraints
  // whose force constant is zero.
  std::vector<ResolvedTerm> resolve_all(const MoleculeType &molecule, const std::string &section) const;
  // The [ cmaptypes ] entry of a CMAP term; FileError at the term's line where none matches.
  const CmapType &cmap_type(const MoleculeType &molecule, const BondedTerm &term) const;

 private:
  struct Entry {
    std::vector<int> types;            // bonded type ids; -1 is the wildcard X
    std::vector<double> parameters;
  };
  using Table = std::vector<Entry>;

  int type_id(const std::string &name) const;
  std::vector<int> bonded_types(const MoleculeType &molecule, const BondedTerm &term) const;
  void add_types(const std::string &table, const InteractionType &line, bool repeat);
  static std::vector<std::size_t> matching_dihedral_lines(const Table &table, const std::vector<int> &types);
  std::vector<std::vector<double>> from_types(const MoleculeType &molecule, const std::string &section,
                                              const BondedTerm &term) const;
  std::vector<double> pair_parameters(const MoleculeType &molecule, const BondedTerm &term) const;
  std::vector<double> generated_pair(const AtomType &a, const AtomType &b) const;

  const Topology &topology_;
  std::map<std::string, int> type_ids_;      // bonded type name -> id
  std::map<std::string, int> atom_type_ids_; // atom type name -> the id of its bonded type
  std::map<std::string, Table> tables_;      // "bonds:1", "dihedrals:1" (functions 1 and 9), ...
  std::map<std::pair<std::string, std::string>, std::vector<double>> pair_types_, nonbond_params_;
};

}    // namespace BACKMAP

#endif
