/* BACKMAP core, forcefield layer: LAMMPS's bond, angle, dihedral and improper types, numbered as first used.
   One type per distinct coefficient text; constraints and [ exclusions ] get bond types of their own. */
#ifndef BACKMAP_LAMMPS_TYPE_TABLE_H
#define BACKMAP_LAMMPS_TYPE_TABLE_H

#include "lammps_molecule_graph.h"

#include <map>
#include <string>
#include <vector>

namespace BACKMAP::lammps_writer {

// LAMMPS types of one kind: one per distinct coefficient text, numbered in order of first use.
struct TypeTable {
  std::map<std::string, int> ids;
  std::vector<std::string> coefficients, comments;

  int add(const std::string &text, const std::string &comment)
  {
    const auto found = ids.find(text);
    if (found != ids.end()) return found->second;
    coefficients.push_back(text);
    comments.push_back(comment);
    return ids[text] = static_cast<int>(coefficients.size());
  }
  int size() const { return static_cast<int>(coefficients.size()); }
};

// The types of each kind, filled as the data file names them.
struct Numbered {
  TypeTable bonds, angles, dihedrals, impropers;
};

// A style command's argument: the one style, or "hybrid" and every style.
std::string style_of(const std::vector<std::string> &styles);
// The styles the molecules' terms of one kind (&MoleculeModel::angles, ...) use, in order of first use.
std::vector<std::string> styles_used(const std::vector<MoleculeModel> &molecules, std::vector<Draft> MoleculeModel::*list);
// A draft's type: with hybrid styles the coefficients begin with the style's name. Constraints
// and exclusions get types of their own (fix shake names bond types), told apart by the key.
int type_of(TypeTable &table, const Draft &d, bool hybrid);
// The bond types whose key names `kind`.
std::vector<int> types_of_kind(const TypeTable &table, const std::string &kind);

}    // namespace BACKMAP::lammps_writer

#endif
