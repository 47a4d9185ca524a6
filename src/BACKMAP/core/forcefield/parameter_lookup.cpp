/* BACKMAP core, forcefield layer: grompp's look-up of bonded and 1-4 parameters in a topology's
   *types sections (see parameter_lookup.h). */
#include "parameter_lookup.h"

#include "file_error.h"

#include <algorithm>
#include <cmath>

namespace BACKMAP {

namespace {

bool is_virtual_sites(const std::string &section) { return section.rfind("virtual_sites", 0) == 0; }

// ---------------------------------------------------------------------------------------------
// Look-ups

// grompp's count of exact (non-wildcard) matches of a dihedral type, -1 for no match
int dihedral_matches(const std::vector<int> &pattern, const std::vector<int> &types, bool reversed)
{
  int exact = 0;
  for (std::size_t i = 0; i < types.size(); ++i) {
    const int p = pattern[reversed ? pattern.size() - 1 - i : i];
    if (p == types[i])
      ++exact;
    else if (p != -1)
      return -1;
  }
  return exact;
}

bool same_either_way(const std::vector<int> &a, const std::vector<int> &b)
{
  return a == b || std::equal(a.begin(), a.end(), b.rbegin(), b.rend());
}

std::string table_key(const std::string &section, int function)
{
  return section + ":" + std::to_string(section == "dihedrals" && function == 9 ? 1 : function);
}

bool uses_dihedral_matching(const std::string &section, int function)
{
  return section == "dihedrals" && (function == 1 || function == 2 || function == 3 || function == 4 || function == 9);
}

// grompp leaves out angles, (improper) dihedrals and restraints whose parameters are all zero,
// and periodic dihedrals and angle restraints whose force constants (states A and B) are zero:
// they do nothing, and force fields use such lines to say so (the ILDN torsions, for one).
bool dropped_by_grompp(const std::string &section, const BondedTerm &term, const std::vector<double> &set)
{
  const auto zero = [](double v) { return v == 0.0; };
  const bool restraint = section.find("restraints") != std::string::npos || (section == "bonds" && term.function == 10);
  const bool droppable = section == "angles" || restraint ||
      (section == "dihedrals" && term.function >= 1 && term.function <= 9 && term.function != 8);
  if (droppable && std::all_of(set.begin(), set.end(), zero) &&
      std::all_of(term.parameters.begin(), term.parameters.end(), zero))
    return true;
  const bool periodic = (section == "dihedrals" && (term.function == 1 || term.function == 4 || term.function == 9)) ||
      section == "angle_restraints" || section == "angle_restraints_z";
  if (!periodic || set.size() < 2) return false;
  const double k_b = term.parameters.size() >= 5 ? term.parameters[4] : set[1];
  return set[1] == 0.0 && k_b == 0.0;
}

std::string joined(const std::vector<std::string> &names)
{
  std::string s;
  for (const std::string &n : names) s += (s.empty() ? "" : " ") + n;
  return s;
}

}    // namespace

// ---------------------------------------------------------------------------------------------
// ParameterLookup

ParameterLookup::ParameterLookup(const Topology &topology) : topology_(topology)
{
  for (const AtomType &a : topology.atomtypes) type_ids_.emplace(a.bond_type, static_cast<int>(type_ids_.size()));
  for (const AtomType &a : topology.atomtypes) atom_type_ids_[a.name] = type_id(a.bond_type);
  for (const InteractionType &t : topology.bondtypes) add_types(table_key("bonds", t.function), t, false);
  for (const InteractionType &t : topology.angletypes) add_types(table_key("angles", t.function), t, false);
  for (const InteractionType &t : topology.constrainttypes) add_types(table_key("constraints", t.function), t, false);
  for (const InteractionType &t : topology.dihedraltypes) add_types(table_key("dihedrals", t.function), t, t.function == 9);
  // later lines win, as grompp overrides with a warning
  for (const InteractionType &t : topology.pairtypes) {
    pair_types_[{t.types[0], t.types[1]}] = t.parameters;
    pair_types_[{t.types[1], t.types[0]}] = t.parameters;
  }
  for (const InteractionType &t : topology.nonbond_params) {
    nonbond_params_[{t.types[0], t.types[1]}] = t.parameters;
    nonbond_params_[{t.types[1], t.types[0]}] = t.parameters;
  }
}

// -1 for the wildcard X, -2 for a name no atom type has (it matches nothing)
int ParameterLookup::type_id(const std::string &name) const
{
  if (name == "X") return -1;
  const auto it = type_ids_.find(name);
  return it == type_ids_.end() ? -2 : it->second;
}

// A types line for types already in the table replaces their parameters, unless it is function
// 9 continuing the block right before it, which adds a term; a function 9 block given twice with
// other parameters is refused, as grompp does.
void ParameterLookup::add_types(const std::string &table, const InteractionType &line, bool repeat)
{
  Entry entry;
  for (const std::string &name : line.types) entry.types.push_back(type_id(name));
  entry.parameters = line.parameters;
  Table &t = tables_[table];
  const bool continues_block = repeat && !t.empty() && t.back().types == entry.types;
  bool add = true;
  for (Entry &old : t) {
    if (!same_either_way(old.types, entry.types)) continue;
    const bool identical = old.parameters == entry.parameters;
    if (!repeat || identical) add = false;
    if (!identical && repeat && !continues_block)
      fail_at(line.path, line.line,
              "a second block of function 9 dihedral types for " + joined(line.types) + " with other parameters");
    if (!identical && !repeat) old.parameters = entry.parameters;
  }
  if (add) t.push_back(std::move(entry));
}

std::vector<int> ParameterLookup::bonded_types(const MoleculeType &molecule, const BondedTerm &term) const
{
  std::vector<int> ids;
  for (int index : term.atoms) {
    if (index < 1 || index > static_cast<int>(molecule.atoms.size()))
      fail_at(term.path, term.line, "atom index " + std::to_string(index) + " out of range of molecule " + molecule.name);
    const auto type = atom_type_ids_.find(molecule.atoms[static_cast<std::size_t>(index - 1)].type);
    ids.push_back(type == atom_type_ids_.end() ? -2 : type->second);
  }
  return ids;
}

std::vector<std::vector<double>> ParameterLookup::resolve(const MoleculeType &molecule, const std::string &section,
                                                          const BondedTerm &term) const
{
  if (section == "virtual_sitesn") return {term.parameters};
  FunctionShape shape;
  if (!function_shape(section, term.function, shape))
    fail_at(term.path, term.line, "no function " + std::to_string(term.function) + " in [ " + section + " ]");
  if (section == "cmap") return {cmap_type(molecule, term).values};
  if (section == "pairs") return {pair_parameters(molecule, term)};
  const auto a = static_cast<std::size_t>(shape.parameters_a);
  if (!term.parameters.empty())
    return {std::vector<double>(term.parameters.begin(), term.parameters.begin() + static_cast<long>(std::min(a, term.parameters.size())))};
  if (a == 0 || is_virtual_sites(section)) return {{}};
  return from_types(molecule, section, term);
}

// grompp's choice among dihedral types: the first line (either direction) with the most exact,
// non-X, matches, then the lines right after it with the same four types. Empty: none matches.
std::vector<std::size_t> ParameterLookup::matching_dihedral_lines(const Table &table, const std::vector<int> &types)
{
  std::size_t best = 0;
  int most = -1;
  for (std::size_t i = 0; i < table.size() && most < 4; ++i)
    for (bool reversed : {false, true}) {
      const int n = dihedral_matches(table[i].types, types, reversed);
      if (n > most) best = i, most = n;
    }
  if (most < 0) return {};
  std::vector<std::size_t> lines{best};
  for (std::size_t j = best + 1; j < table.size() && table[j].types == table[best].types; ++j) lines.push_back(j);
  return lines;
}

std::vector<std::vector<double>> ParameterLookup::from_types(const MoleculeType &molecule, const std::string &section,
                                                             const BondedTerm &term) const
{
  FunctionShape shape;
  function_shape(section, term.function, shape);
  const auto state_a = [&](const Entry &e) {
    const auto n = std::min(static_cast<std::size_t>(shape.parameters_a), e.parameters.size());
    return std::vector<double>(e.parameters.begin(), e.parameters.begin() + static_cast<long>(n));
  };
  const auto table = tables_.find(table_key(section, term.function));
  const std::vector<int> want = bonded_types(molecule, term);
  std::vector<std::vector<double>> sets;
  if (table != tables_.end() && uses_dihedral_matching(section, term.function)) {
    for (std::size_t line : matching_dihedral_lines(table->second, want)) sets.push_back(state_a(table->second[line]));
  } else if (table != tables_.end()) {
    const auto found = std::find_if(table->second.begin(), table->second.end(),
                                    [&](const Entry &e) { return same_either_way(e.types, want); });
    if (found != table->second.end()) sets.push_back(state_a(*found));
  }
  if (!sets.empty()) return sets;
  std::string names;
  for (int index : term.atoms) names += " " + molecule.atoms[static_cast<std::size_t>(index - 1)].type;
  fail_at(term.path, term.line,
          "no [ " + section.substr(0, section.size() - 1) + "types ] function " + std::to_string(term.function) +
              " line for atom types" + names);
}

std::vector<double> ParameterLookup::pair_parameters(const MoleculeType &molecule, const BondedTerm &term) const
{
  if (term.function == 2 && term.parameters.size() == 5) return term.parameters;
  if (term.function == 1 && !term.parameters.empty()) return {term.parameters[0], term.parameters[1]};
  const TopologyAtom &ai = molecule.atoms.at(static_cast<std::size_t>(term.atoms[0] - 1));
  const TopologyAtom &aj = molecule.atoms.at(static_cast<std::size_t>(term.atoms[1] - 1));
  std::vector<double> lj;
  const auto given = pair_types_.find({ai.type, aj.type});
  if (given != pair_types_.end())
    lj = {given->second[0], given->second[1]};
  else if (topology_.defaults.gen_pairs)
    lj = generated_pair(*topology_.find_atomtype(ai.type), *topology_.find_atomtype(aj.type));
  else
    fail_at(term.path, term.line, "no [ pairtypes ] line for atom types " + ai.type + " " + aj.type + " (and gen-pairs is no)");
  if (term.function == 1) return lj;
  const double fudge_qq = term.parameters.size() == 1 ? term.parameters[0] : topology_.defaults.fudge_qq;
  return {fudge_qq, ai.charge, aj.charge, lj[0], lj[1]};
}

// grompp's generated 1-4 Lennard-Jones: the atom types combined by comb-rule (or their
// [ nonbond_params ] line), scaled by fudgeLJ (only epsilon where the pair is sigma, epsilon).
std::vector<double> ParameterLookup::generated_pair(const AtomType &a, const AtomType &b) const
{
  const TopologyDefaults &d = topology_.defaults;
  if (d.nbfunc != 1) fail_at(a.path, a.line, "gen-pairs with Buckingham atom types is not supported");
  std::vector<double> nb;
  const auto given = nonbond_params_.find({a.name, b.name});
  if (given != nonbond_params_.end())
    nb = given->second;
  else if (d.comb_rule == 2)
    nb = {(a.nonbonded[0] + b.nonbonded[0]) / 2, std::sqrt(a.nonbonded[1] * b.nonbonded[1])};
  else
    nb = {std::sqrt(a.nonbonded[0] * b.nonbonded[0]), std::sqrt(a.nonbonded[1] * b.nonbonded[1])};
  if (d.comb_rule == 1) nb[0] *= d.fudge_lj;
  nb[1] *= d.fudge_lj;
  return nb;
}

const CmapType &ParameterLookup::cmap_type(const MoleculeType &molecule, const BondedTerm &term) const
{
  const std::vector<int> want = bonded_types(molecule, term);
  for (const CmapType &c : topology_.cmaptypes) {
    bool same = true;
    for (std::size_t i = 0; i < 5 && same; ++i) same = type_id(c.types[i]) == want[i] && want[i] >= 0;
    if (same) return c;
  }
  std::string names;
  for (int index : term.atoms) names += " " + molecule.atoms[static_cast<std::size_t>(index - 1)].type;
  fail_at(term.path, term.line, "no [ cmaptypes ] line for atom types" + names);
}

std::vector<ResolvedTerm> ParameterLookup::resolve_all(const MoleculeType &molecule, const std::string &section) const
{
  std::vector<ResolvedTerm> out;
  const std::vector<BondedTerm> *terms = molecule.terms(section);
  if (!terms) return out;
  for (const BondedTerm &term : *terms)
    for (std::vector<double> &set : resolve(molecule, section, term))
      if (!dropped_by_grompp(section, term, set)) out.push_back({&term, std::move(set)});
  return out;
}

}    // namespace BACKMAP
