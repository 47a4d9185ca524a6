#include "topology_file.h"

#include "file_error.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace BACKMAP {

namespace {

// ---------------------------------------------------------------------------------------------
// Function shapes: grompp's atom and parameter counts (state A, state B) per section and function

struct ShapeRow {
  const char *section;
  int function;
  FunctionShape shape;
};

const ShapeRow shape_rows[] = {
    {"bonds", 1, {2, 2, 2}},  {"bonds", 2, {2, 2, 2}},  {"bonds", 3, {2, 3, 3}},  {"bonds", 4, {2, 3, 0}},
    {"bonds", 5, {2, 0, 0}},  {"bonds", 6, {2, 2, 2}},  {"bonds", 7, {2, 2, 0}},  {"bonds", 8, {2, 2, 2}},
    {"bonds", 9, {2, 2, 2}},  {"bonds", 10, {2, 4, 4}},
    {"angles", 1, {3, 2, 2}}, {"angles", 2, {3, 2, 2}}, {"angles", 3, {3, 3, 0}}, {"angles", 4, {3, 4, 0}},
    {"angles", 5, {3, 4, 4}}, {"angles", 6, {3, 6, 0}}, {"angles", 8, {3, 2, 2}}, {"angles", 9, {3, 2, 2}},
    {"angles", 10, {3, 2, 2}},
    {"dihedrals", 1, {4, 3, 3}}, {"dihedrals", 2, {4, 2, 2}}, {"dihedrals", 3, {4, 6, 6}},
    {"dihedrals", 4, {4, 3, 3}}, {"dihedrals", 5, {4, 4, 4}}, {"dihedrals", 8, {4, 2, 2}},
    {"dihedrals", 9, {4, 3, 3}}, {"dihedrals", 10, {4, 2, 2}}, {"dihedrals", 11, {4, 6, 6}},
    {"pairs", 1, {2, 2, 2}},  {"pairs", 2, {2, 5, 0}},  {"pairs_nb", 1, {2, 4, 0}},
    {"constraints", 1, {2, 1, 1}}, {"constraints", 2, {2, 1, 1}},
    {"settles", 1, {1, 2, 0}}, {"cmap", 1, {5, 0, 0}},
    {"virtual_sites1", 1, {2, 0, 0}}, {"virtual_sites2", 1, {3, 1, 0}}, {"virtual_sites2", 2, {3, 1, 0}},
    {"virtual_sites3", 1, {4, 2, 0}}, {"virtual_sites3", 2, {4, 2, 0}}, {"virtual_sites3", 3, {4, 2, 0}},
    {"virtual_sites3", 4, {4, 3, 0}}, {"virtual_sites4", 1, {5, 3, 0}}, {"virtual_sites4", 2, {5, 3, 0}},
    {"position_restraints", 1, {1, 3, 3}}, {"position_restraints", 2, {1, 3, 0}},
    {"distance_restraints", 1, {2, 6, 0}}, {"orientation_restraints", 1, {2, 6, 0}},
    {"dihedral_restraints", 1, {4, 3, 3}}, {"angle_restraints", 1, {4, 3, 3}},
    {"angle_restraints_z", 1, {2, 3, 3}}, {"polarization", 1, {2, 1, 0}}, {"polarization", 2, {2, 3, 0}},
    {"water_polarization", 1, {5, 6, 0}}, {"thole_polarization", 1, {4, 3, 0}},
};

// Sections whose terms must carry their own parameters: no *types section serves them.
bool needs_own_parameters(const std::string &section)
{
  return section == "settles" || section == "pairs_nb" || section.find("restraints") != std::string::npos ||
      section.find("polarization") != std::string::npos;
}

bool is_virtual_sites(const std::string &section) { return section.rfind("virtual_sites", 0) == 0; }

// The old names grompp still accepts for the virtual site sections.
std::string canonical_section(const std::string &section)
{
  if (section.rfind("dummies", 0) == 0) return "virtual_sites" + section.substr(7);
  return section;
}

// ---------------------------------------------------------------------------------------------
// Tokens

[[noreturn]] void fail(const TopologyLine &l, const std::string &what) { fail_at(l.path, l.line, what); }

double to_number(const TopologyLine &l, const std::string &token, const std::string &what)
{
  errno = 0;
  char *end = nullptr;
  const double value = std::strtod(token.c_str(), &end);
  if (token.empty() || *end != '\0' || errno == ERANGE) fail(l, what + " is not a number: '" + token + "'");
  return value;
}

int to_integer(const TopologyLine &l, const std::string &token, const std::string &what)
{
  errno = 0;
  char *end = nullptr;
  const long value = std::strtol(token.c_str(), &end, 10);
  if (token.empty() || *end != '\0' || errno == ERANGE || value != static_cast<int>(value))
    fail(l, what + " is not an integer: '" + token + "'");
  return static_cast<int>(value);
}

bool is_integer(const std::string &token)
{
  if (token.empty()) return false;
  const std::size_t start = (token[0] == '-' || token[0] == '+') ? 1 : 0;
  return start < token.size() &&
      std::all_of(token.begin() + start, token.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool is_single_letter(const std::string &token)
{
  return token.size() == 1 && std::isalpha(static_cast<unsigned char>(token[0]));
}

std::vector<double> numbers_from(const TopologyLine &l, std::size_t first, const std::string &what)
{
  std::vector<double> values;
  for (std::size_t i = first; i < l.tokens.size(); ++i) values.push_back(to_number(l, l.tokens[i], what));
  return values;
}

void expect_columns(const TopologyLine &l, std::size_t low, std::size_t high, const std::string &what)
{
  const std::size_t n = l.tokens.size();
  if (n >= low && n <= high) return;
  const std::string wanted = low == high ? std::to_string(low) : std::to_string(low) + " to " + std::to_string(high);
  fail(l, "[ " + l.section + " ] line has " + std::to_string(n) + " columns, expected " + wanted + " (" + what + ")");
}

// grompp accepts no parameters, state A's, or states A and B; pairs of function 2 also fudgeQQ alone.
void check_parameter_count(const TopologyLine &l, const std::string &section, int function, std::size_t n,
                           bool allow_none)
{
  FunctionShape shape;
  if (!function_shape(section, function, shape))
    fail(l, "unknown function type " + std::to_string(function) + " in [ " + l.section + " ]");
  const auto a = static_cast<std::size_t>(shape.parameters_a);
  const auto b = static_cast<std::size_t>(shape.parameters_b);
  const bool fudge_only = section == "pairs" && function == 2 && n == 1;
  if ((n == 0 && allow_none) || (n > 0 && (n == a || n == a + b)) || fudge_only) return;
  std::string expected = std::to_string(a);
  if (b > 0) expected += " or " + std::to_string(a + b);
  if (allow_none && a > 0) expected = "0, " + expected;
  fail(l, "[ " + l.section + " ] function " + std::to_string(function) + " takes " + expected + " parameters, found " +
           std::to_string(n));
}

// ---------------------------------------------------------------------------------------------
// The parser: one logical line at a time, in the order grompp reads them

class Parser {
 public:
  void read(const TopologyLine &l);
  Topology finish() { return std::move(top_); }

 private:
  void read_header(const TopologyLine &l);
  void read_defaults(const TopologyLine &l);
  void read_atomtype(const TopologyLine &l);
  void read_interaction_type(const TopologyLine &l, const std::string &section, std::size_t names,
                             std::vector<InteractionType> &into);
  void read_dihedraltype(const TopologyLine &l);
  void read_cmaptype(const TopologyLine &l);
  void read_moleculetype(const TopologyLine &l);
  void read_atom(const TopologyLine &l);
  void read_bonded(const TopologyLine &l, const std::string &section);
  void read_virtual_sites_n(const TopologyLine &l);
  void read_exclusion(const TopologyLine &l);
  void read_molecules(const TopologyLine &l);
  MoleculeType &molecule(const TopologyLine &l);
  int atom_index(const TopologyLine &l, const std::string &token);

  Topology top_;
  MoleculeType *current_ = nullptr;    // the molecule type (or intermolecular block) being read
};

void Parser::read(const TopologyLine &l)
{
  const std::string section = canonical_section(l.section);
  if (l.header) return read_header(l);
  if (section.empty()) return;    // grompp skips text before the first section (banners)
  if (section == "defaults") return read_defaults(l);
  if (section == "atomtypes") return read_atomtype(l);
  if (section == "bondtypes") return read_interaction_type(l, "bonds", 2, top_.bondtypes);
  if (section == "angletypes") return read_interaction_type(l, "angles", 3, top_.angletypes);
  if (section == "pairtypes") return read_interaction_type(l, "pairs", 2, top_.pairtypes);
  if (section == "constrainttypes") return read_interaction_type(l, "constraints", 2, top_.constrainttypes);
  if (section == "nonbond_params") return read_interaction_type(l, "nonbond_params", 2, top_.nonbond_params);
  if (section == "dihedraltypes") return read_dihedraltype(l);
  if (section == "cmaptypes") return read_cmaptype(l);
  if (section == "implicit_genborn_params" || section == "implicit_surface_params") return;    // obsolete
  if (section == "moleculetype") return read_moleculetype(l);
  if (section == "atoms") return read_atom(l);
  if (section == "exclusions") return read_exclusion(l);
  if (section == "virtual_sitesn") return read_virtual_sites_n(l);
  if (section == "system") {
    for (const std::string &t : l.tokens) top_.system += (top_.system.empty() ? "" : " ") + t;
    return;
  }
  if (section == "molecules") return read_molecules(l);
  if (section == "intermolecular_interactions") fail(l, "[ intermolecular_interactions ] takes sections, not lines");
  read_bonded(l, section);
}

void Parser::read_header(const TopologyLine &l)
{
  const std::string section = canonical_section(l.section);
  if (section == "intermolecular_interactions") {
    top_.intermolecular.name = "intermolecular_interactions";
    top_.intermolecular.path = l.path;
    top_.intermolecular.line = l.line;
    current_ = &top_.intermolecular;
    return;
  }
  static const char *const known[] = {"defaults", "atomtypes", "bondtypes", "angletypes", "pairtypes",
                                      "constrainttypes", "nonbond_params", "dihedraltypes", "cmaptypes",
                                      "implicit_genborn_params", "implicit_surface_params", "moleculetype",
                                      "atoms", "exclusions", "virtual_sitesn", "system", "molecules"};
  FunctionShape shape;
  const bool bonded = function_shape(section, 1, shape) || function_shape(section, 2, shape);
  if (!bonded && std::find(std::begin(known), std::end(known), section) == std::end(known))
    fail(l, "unknown section [ " + l.section + " ]");
  const bool molecule_level = bonded || section == "atoms" || section == "exclusions" || section == "virtual_sitesn";
  if (molecule_level && !current_) fail(l, "[ " + l.section + " ] before any [ moleculetype ]");
  if (section == "atoms" && current_ == &top_.intermolecular)
    fail(l, "[ atoms ] inside [ intermolecular_interactions ]");
  if (section == "moleculetype") current_ = nullptr;    // until its name line
}

void Parser::read_defaults(const TopologyLine &l)
{
  if (top_.has_defaults) fail(l, "a second [ defaults ] line");
  expect_columns(l, 2, 6, "nbfunc comb-rule [gen-pairs [fudgeLJ [fudgeQQ [power]]]]");
  TopologyDefaults &d = top_.defaults;
  d.nbfunc = to_integer(l, l.tokens[0], "nbfunc");
  d.comb_rule = to_integer(l, l.tokens[1], "comb-rule");
  if (d.nbfunc != 1 && d.nbfunc != 2) fail(l, "nbfunc must be 1 or 2, not " + l.tokens[0]);
  if (d.comb_rule < 1 || d.comb_rule > 3) fail(l, "comb-rule must be 1, 2 or 3, not " + l.tokens[1]);
  if (l.tokens.size() > 2) {
    const std::string &g = l.tokens[2];
    if (g != "yes" && g != "no" && g != "Yes" && g != "No" && g != "YES" && g != "NO")
      fail(l, "gen-pairs must be yes or no, not '" + g + "'");
    d.gen_pairs = std::toupper(static_cast<unsigned char>(g[0])) == 'Y';
  }
  if (l.tokens.size() > 3) d.fudge_lj = to_number(l, l.tokens[3], "fudgeLJ");
  if (l.tokens.size() > 4) d.fudge_qq = to_number(l, l.tokens[4], "fudgeQQ");
  if (l.tokens.size() > 5) d.power = to_number(l, l.tokens[5], "power");
  top_.has_defaults = true;
}

// The optional bonded-type and atomic-number columns are told apart as grompp does: by where
// the one-letter particle type stands (column 6: both, column 4: neither, column 5: one of them,
// a bonded type when the second column starts with a letter).
void Parser::read_atomtype(const TopologyLine &l)
{
  const auto &t = l.tokens;
  if (t.size() < 6) fail(l, "[ atomtypes ] line has " + std::to_string(t.size()) + " columns, expected at least 6");
  bool bonded = false, atomic = false;
  if (is_single_letter(t[5])) {
    bonded = atomic = true;
  } else if (!is_single_letter(t[3])) {
    bonded = std::isalpha(static_cast<unsigned char>(t[1][0])) != 0;
    atomic = !bonded;
  }
  const std::size_t p = 3 + (bonded ? 1 : 0) + (atomic ? 1 : 0);    // the particle type's column
  AtomType a;
  a.name = t[0];
  a.bond_type = bonded ? t[1] : t[0];
  if (atomic) a.atomic_number = to_integer(l, t[p - 3], "atomic number");
  a.mass = to_number(l, t[p - 2], "mass");
  a.charge = to_number(l, t[p - 1], "charge");
  if (!is_single_letter(t[p]) || std::string("ANSBVD").find(t[p][0]) == std::string::npos)
    fail(l, "particle type must be one of A, N, S, B, V, D, not '" + t[p] + "'");
  a.particle_type = t[p][0];
  a.nonbonded = numbers_from(l, p + 1, "nonbonded parameter");
  const std::size_t wanted = top_.defaults.nbfunc == 2 ? 3 : 2;
  if (a.nonbonded.size() != wanted)
    fail(l, "[ atomtypes ] line has " + std::to_string(a.nonbonded.size()) + " nonbonded parameters after the particle type, expected " +
             std::to_string(wanted));
  a.path = l.path;
  a.line = l.line;
  for (AtomType &old : top_.atomtypes)
    if (old.name == a.name) {
      old = a;
      return;
    }
  top_.atomtypes.push_back(a);
}

void Parser::read_interaction_type(const TopologyLine &l, const std::string &section, std::size_t names,
                                   std::vector<InteractionType> &into)
{
  if (l.tokens.size() < names + 1)
    fail(l, "[ " + l.section + " ] line has " + std::to_string(l.tokens.size()) + " columns, expected " +
             std::to_string(names) + " type names, the function type and parameters");
  InteractionType it;
  it.types.assign(l.tokens.begin(), l.tokens.begin() + static_cast<long>(names));
  it.function = to_integer(l, l.tokens[names], "function type");
  it.parameters = numbers_from(l, names + 1, "parameter");
  it.path = l.path;
  it.line = l.line;
  if (section == "nonbond_params") {
    const std::size_t wanted = it.function == 1 ? 2 : it.function == 2 ? 3 : 0;
    if (wanted == 0) fail(l, "[ nonbond_params ] function must be 1 or 2, not " + std::to_string(it.function));
    if (it.parameters.size() != wanted)
      fail(l, "[ nonbond_params ] function " + std::to_string(it.function) + " takes " + std::to_string(wanted) +
               " parameters, found " + std::to_string(it.parameters.size()));
  } else {
    // [ pairtypes ] function 2 is the same Lennard-Jones pair as function 1, as in grompp
    const int shape_of = section == "pairs" && it.function == 2 ? 1 : it.function;
    check_parameter_count(l, section, shape_of, it.parameters.size(), false);
  }
  into.push_back(std::move(it));
}

// Two names and a one-digit function: "A B 9 ..." is the proper X-A-B-X, "A B 2 ..." the
// improper A-X-X-B; otherwise four names, as grompp reads them.
void Parser::read_dihedraltype(const TopologyLine &l)
{
  const auto &t = l.tokens;
  const bool two_names = t.size() >= 3 && t[2].size() == 1 && std::isdigit(static_cast<unsigned char>(t[2][0]));
  const std::size_t names = two_names ? 2 : 4;
  if (!two_names && (t.size() < 5 || !is_integer(t[4])))
    fail(l, "[ dihedraltypes ] line needs 2 or 4 type names and then the function type");
  InteractionType it;
  it.function = to_integer(l, t[names], "function type");
  if (!two_names)
    it.types.assign(t.begin(), t.begin() + 4);
  else if (it.function == 2)
    it.types = {t[0], "X", "X", t[1]};
  else
    it.types = {"X", t[0], t[1], "X"};
  it.parameters = numbers_from(l, names + 1, "parameter");
  it.path = l.path;
  it.line = l.line;
  check_parameter_count(l, "dihedrals", it.function, it.parameters.size(), false);
  top_.dihedraltypes.push_back(std::move(it));
}

void Parser::read_cmaptype(const TopologyLine &l)
{
  const auto &t = l.tokens;
  if (t.size() < 8) fail(l, "[ cmaptypes ] line needs 5 type names, the function type and the grid size");
  CmapType c;
  c.types.assign(t.begin(), t.begin() + 5);
  c.function = to_integer(l, t[5], "function type");
  if (c.function != 1) fail(l, "[ cmaptypes ] function must be 1, not " + t[5]);
  c.grid_x = to_integer(l, t[6], "grid size");
  c.grid_y = to_integer(l, t[7], "grid size");
  if (c.grid_x <= 0 || c.grid_y <= 0) fail(l, "[ cmaptypes ] grid sizes must be positive");
  c.values = numbers_from(l, 8, "grid value");
  if (c.values.size() != static_cast<std::size_t>(c.grid_x) * static_cast<std::size_t>(c.grid_y))
    fail(l, "[ cmaptypes ] grid " + t[6] + "x" + t[7] + " needs " + std::to_string(c.grid_x * c.grid_y) +
             " values, found " + std::to_string(c.values.size()));
  c.path = l.path;
  c.line = l.line;
  top_.cmaptypes.push_back(std::move(c));
}

void Parser::read_moleculetype(const TopologyLine &l)
{
  expect_columns(l, 2, 2, "name nrexcl");
  if (top_.find_moleculetype(l.tokens[0])) fail(l, "molecule type " + l.tokens[0] + " is defined twice");
  MoleculeType m;
  m.name = l.tokens[0];
  m.nrexcl = to_integer(l, l.tokens[1], "nrexcl");
  m.path = l.path;
  m.line = l.line;
  top_.moleculetypes.push_back(std::move(m));
  current_ = &top_.moleculetypes.back();
}

MoleculeType &Parser::molecule(const TopologyLine &l)
{
  if (!current_) fail(l, "[ " + l.section + " ] line before any [ moleculetype ]");
  return *current_;
}

void Parser::read_atom(const TopologyLine &l)
{
  expect_columns(l, 6, 11, "nr type resnr residue atom cgnr [charge [mass [typeB [chargeB [massB]]]]]");
  MoleculeType &m = molecule(l);
  const auto &t = l.tokens;
  TopologyAtom a;
  a.nr = to_integer(l, t[0], "atom number");
  if (a.nr != static_cast<int>(m.atoms.size()) + 1)
    fail(l, "atom number " + t[0] + " where " + std::to_string(m.atoms.size() + 1) + " comes next");
  a.type = t[1];
  const AtomType *type = top_.find_atomtype(a.type);
  if (!type) fail(l, "unknown atom type " + a.type);
  std::string resnr = t[2];
  if (!resnr.empty() && std::isalpha(static_cast<unsigned char>(resnr.back()))) {
    a.insertion_code = resnr.back();
    resnr.pop_back();
  }
  a.resnr = to_integer(l, resnr, "residue number");
  a.residue = t[3];
  a.atom = t[4];
  a.cgnr = to_integer(l, t[5], "charge group");
  a.charge_given = t.size() > 6;
  a.mass_given = t.size() > 7;
  a.charge = a.charge_given ? to_number(l, t[6], "charge") : type->charge;
  a.mass = a.mass_given ? to_number(l, t[7], "mass") : type->mass;
  if (t.size() > 8) {
    const AtomType *type_b = top_.find_atomtype(t[8]);
    if (!type_b) fail(l, "unknown atom type " + t[8]);
    a.type_b = t[8];
    a.charge_b = t.size() > 9 ? to_number(l, t[9], "chargeB") : type_b->charge;
    a.mass_b = t.size() > 10 ? to_number(l, t[10], "massB") : type_b->mass;
  }
  a.path = l.path;
  a.line = l.line;
  m.atoms.push_back(std::move(a));
}

int Parser::atom_index(const TopologyLine &l, const std::string &token)
{
  const int index = to_integer(l, token, "atom index");
  const bool system_wide = current_ == &top_.intermolecular;
  if (index < 1 || (!system_wide && index > static_cast<int>(current_->atoms.size())))
    fail(l, "atom index " + token + " out of range 1-" + std::to_string(current_->atoms.size()) + " of molecule " +
             current_->name);
  return index;
}

void Parser::read_bonded(const TopologyLine &l, const std::string &section)
{
  MoleculeType &m = molecule(l);
  std::vector<BondedTerm> *terms = m.terms(section);
  FunctionShape shape;
  if (!terms || !(function_shape(section, 1, shape) || function_shape(section, 2, shape)))
    fail(l, "unknown section [ " + l.section + " ]");
  const auto n = static_cast<std::size_t>(shape.atoms);
  if (l.tokens.size() < n)
    fail(l, "[ " + l.section + " ] line has " + std::to_string(l.tokens.size()) + " columns, expected " + std::to_string(n) +
             " atom indices, the function type and any parameters");
  BondedTerm term;
  for (std::size_t i = 0; i < n; ++i) term.atoms.push_back(atom_index(l, l.tokens[i]));
  if (l.tokens.size() > n) term.function = to_integer(l, l.tokens[n], "function type");
  if (l.tokens.size() > n + 1) term.parameters = numbers_from(l, n + 1, "parameter");
  check_parameter_count(l, section, term.function, term.parameters.size(), !needs_own_parameters(section));
  if (section == "cmap" && !term.parameters.empty()) fail(l, "[ cmap ] lines take no parameters (they come from [ cmaptypes ])");
  term.path = l.path;
  term.line = l.line;
  terms->push_back(std::move(term));
}

// site, function, then the atoms it is built from (function 3: atom and weight, pairwise)
void Parser::read_virtual_sites_n(const TopologyLine &l)
{
  MoleculeType &m = molecule(l);
  const auto &t = l.tokens;
  if (t.size() < 3) fail(l, "[ virtual_sitesn ] line needs the site, the function type and at least one atom");
  BondedTerm term;
  term.atoms.push_back(atom_index(l, t[0]));
  term.function = to_integer(l, t[1], "function type");
  if (term.function < 1 || term.function > 3) fail(l, "[ virtual_sitesn ] function must be 1, 2 or 3, not " + t[1]);
  const bool weighted = term.function == 3;
  if (weighted && (t.size() - 2) % 2 != 0) fail(l, "[ virtual_sitesn ] function 3 takes pairs of atom and weight");
  for (std::size_t i = 2; i < t.size(); i += weighted ? 2 : 1) {
    term.atoms.push_back(atom_index(l, t[i]));
    if (weighted) term.parameters.push_back(to_number(l, t[i + 1], "weight"));
  }
  term.path = l.path;
  term.line = l.line;
  m.virtual_sitesn.push_back(std::move(term));
}

void Parser::read_exclusion(const TopologyLine &l)
{
  MoleculeType &m = molecule(l);
  std::vector<int> atoms;
  for (const std::string &token : l.tokens) atoms.push_back(atom_index(l, token));
  m.exclusions.push_back(std::move(atoms));
}

void Parser::read_molecules(const TopologyLine &l)
{
  expect_columns(l, 2, 2, "name count");
  if (!top_.find_moleculetype(l.tokens[0])) fail(l, "no [ moleculetype ] " + l.tokens[0]);
  MoleculeCount c;
  c.name = l.tokens[0];
  c.count = to_integer(l, l.tokens[1], "molecule count");
  if (c.count < 0) fail(l, "negative molecule count " + l.tokens[1]);
  c.path = l.path;
  c.line = l.line;
  top_.molecules.push_back(std::move(c));
}

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

bool function_shape(const std::string &section, int function, FunctionShape &shape)
{
  for (const ShapeRow &row : shape_rows)
    if (section == row.section && function == row.function) {
      shape = row.shape;
      return true;
    }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Structs

const std::vector<BondedTerm> *MoleculeType::terms(const std::string &section) const
{
  return const_cast<MoleculeType *>(this)->terms(section);
}

std::vector<BondedTerm> *MoleculeType::terms(const std::string &section)
{
  const std::pair<const char *, std::vector<BondedTerm> MoleculeType::*> fields[] = {
      {"bonds", &MoleculeType::bonds}, {"pairs", &MoleculeType::pairs}, {"pairs_nb", &MoleculeType::pairs_nb},
      {"angles", &MoleculeType::angles}, {"dihedrals", &MoleculeType::dihedrals}, {"cmap", &MoleculeType::cmap},
      {"constraints", &MoleculeType::constraints}, {"settles", &MoleculeType::settles},
      {"virtual_sites1", &MoleculeType::virtual_sites1}, {"virtual_sites2", &MoleculeType::virtual_sites2},
      {"virtual_sites3", &MoleculeType::virtual_sites3}, {"virtual_sites4", &MoleculeType::virtual_sites4},
      {"virtual_sitesn", &MoleculeType::virtual_sitesn},
      {"position_restraints", &MoleculeType::position_restraints},
      {"distance_restraints", &MoleculeType::distance_restraints},
      {"dihedral_restraints", &MoleculeType::dihedral_restraints},
      {"orientation_restraints", &MoleculeType::orientation_restraints},
      {"angle_restraints", &MoleculeType::angle_restraints}, {"angle_restraints_z", &MoleculeType::angle_restraints_z},
      {"polarization", &MoleculeType::polarization}, {"water_polarization", &MoleculeType::water_polarization},
      {"thole_polarization", &MoleculeType::thole_polarization}};
  for (const auto &[name, field] : fields)
    if (section == name) return &(this->*field);
  return nullptr;
}

double MoleculeType::charge() const
{
  double q = 0.0;
  for (const TopologyAtom &a : atoms) q += a.charge;
  return q;
}

double MoleculeType::mass() const
{
  double m = 0.0;
  for (const TopologyAtom &a : atoms) m += a.mass;
  return m;
}

const AtomType *Topology::find_atomtype(const std::string &name) const
{
  for (const AtomType &a : atomtypes)
    if (a.name == name) return &a;
  return nullptr;
}

const MoleculeType *Topology::find_moleculetype(const std::string &name) const
{
  for (const MoleculeType &m : moleculetypes)
    if (m.name == name) return &m;
  return nullptr;
}

long Topology::atom_count() const
{
  long n = 0;
  for (const MoleculeCount &c : molecules) n += static_cast<long>(c.count) * static_cast<long>(find_moleculetype(c.name)->atoms.size());
  return n;
}

double Topology::charge() const
{
  double q = 0.0;
  for (const MoleculeCount &c : molecules) q += c.count * find_moleculetype(c.name)->charge();
  return q;
}

double Topology::mass() const
{
  double m = 0.0;
  for (const MoleculeCount &c : molecules) m += c.count * find_moleculetype(c.name)->mass();
  return m;
}

Topology parse_topology(const std::vector<TopologyLine> &lines)
{
  Parser parser;
  for (const TopologyLine &l : lines) parser.read(l);
  return parser.finish();
}

Topology read_topology(const std::string &path, const PreprocessorOptions &options)
{
  return parse_topology(preprocess_topology(path, options));
}

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
