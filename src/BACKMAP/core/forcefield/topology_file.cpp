/* BACKMAP core, forcefield layer: the parser of preprocessed topology lines into the structs of
   topology_sections.h, with grompp's checks (see topology_file.h). */
#include "topology_file.h"

#include "file_error.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace BACKMAP {

namespace {

// Sections whose terms must carry their own parameters: no *types section serves them.
bool needs_own_parameters(const std::string &section)
{
  return section == "settles" || section == "pairs_nb" || section.find("restraints") != std::string::npos ||
      section.find("polarization") != std::string::npos;
}

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

}    // namespace

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

}    // namespace BACKMAP
