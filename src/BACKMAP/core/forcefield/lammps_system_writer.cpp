/* BACKMAP core, forcefield layer: a GROMACS system written as LAMMPS settings, data, coefficient
   and CMAP files (see lammps_system_writer.h for the layout and the conversions). */
#include "lammps_system_writer.h"

#include "parameter_lookup.h"
#include "structure_io.h"

#include "file_error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace BACKMAP {

namespace {

constexpr double kj_per_kcal = 4.184;
constexpr double angstrom_per_nm = 10.0;
// LAMMPS's Coulomb constant in units real (force->qqr2e), so that the tabulated reaction-field
// part and lj/cut/coul/cut's 1/r part add up to zero at the cut-off as GROMACS's do
constexpr double lammps_qqr2e_real = 332.06371;
// The special_bonds factor of excluded pairs when the reaction-field table must still see them:
// LAMMPS drops a pair from the neighbour list only at exactly 0, and pair hybrid refuses a
// sub-style's own factors where the global one is exactly 0 or 1
constexpr const char *listed_but_excluded = "1e-40";
constexpr int table_points = 1000;
constexpr double table_inner = 1.0;    // Angstrom: closer charged pairs stop LAMMPS with an error

std::string number(double value)
{
  char text[40];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

std::string fixed(double value, int decimals)
{
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// "PATH:LINE" of a topology term, for comments and messages.
std::string where(const BondedTerm &term) { return term.path + ":" + std::to_string(term.line); }

[[noreturn]] void fail_term(const BondedTerm &term, const std::string &what) { fail_at(term.path, term.line, what); }

// Written whole or not at all (io's write_atomically): a reader never sees half a file.
void write_text(const std::string &path, const std::string &text)
{
  write_atomically(path, [&](std::ostream &os) { os << text; });
}

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

// One bonded term of a molecule type before it has a LAMMPS type: 0-based atoms of the molecule,
// the style it is written with and its coefficients (LAMMPS units).
struct Draft {
  std::vector<int> atoms;
  std::string style;
  std::string coefficients;
  std::string comment;
  bool charmm = false;     // a dihedral charmm term, which may carry a 1-4 pair
  double weight = 0.0;     // its 1-4 weight
  std::string kind = "";   // "" a force-field term; "constraint" or "exclusion": bonds standing for those
};

struct PairDraft {
  int i = 0, j = 0;        // 0-based atoms of the molecule
  double sigma = 0.0, epsilon = 0.0;    // nm, kJ/mol (the resolved 1-4 Lennard-Jones)
  const BondedTerm *term = nullptr;
};

struct CmapDraft {
  std::vector<int> atoms;
  int grid = 0;            // index into the used grids
};

// One molecule type as LAMMPS gets it, built once for all its copies.
struct MoleculeModel {
  const MoleculeType *type = nullptr;
  std::vector<int> atom_types;    // LAMMPS atom type of each atom
  std::vector<Draft> bonds, angles, dihedrals, impropers;
  std::vector<PairDraft> pairs;
  std::vector<CmapDraft> cmaps;
  std::vector<std::vector<int>> neighbours;    // bonded neighbours
  std::set<std::pair<int, int>> three_bonds_apart;
};

struct LammpsAtomType {
  std::string name;        // the GROMACS atom type
  double mass = 0.0;
  double charge = 0.0;     // with the reaction-field table only: one charge per LAMMPS type
  const AtomType *gromacs = nullptr;
};

std::string atom_names(const MoleculeType &m, const std::vector<int> &atoms)
{
  std::string names;
  for (int a : atoms) {
    const TopologyAtom &atom = m.atoms[static_cast<std::size_t>(a)];
    names += (names.empty() ? "" : "-") + atom.type;
  }
  return names;
}

std::vector<int> zero_based(const BondedTerm &term)
{
  std::vector<int> atoms;
  for (int a : term.atoms) atoms.push_back(a - 1);
  return atoms;
}

// The sections nothing here writes: any line in them would change the energy unseen. Constraints
// and [ exclusions ] are written only where special_bonds follows GROMACS's exclusions (no [ pairs ]).
void check_unsupported_sections(const MoleculeType &m, bool exclusions_only)
{
  if (!exclusions_only && !m.constraints.empty())
    fail_term(m.constraints.front(), "[ constraints ] of molecule " + m.name +
                                         " cannot be written for LAMMPS in a topology with [ pairs ] (not supported)");
  static const char *unsupported[] = {"settles", "virtual_sites1", "virtual_sites2", "virtual_sites3",
                                      "virtual_sites4", "virtual_sitesn", "pairs_nb", "position_restraints",
                                      "distance_restraints", "dihedral_restraints", "orientation_restraints",
                                      "angle_restraints", "angle_restraints_z", "polarization", "water_polarization",
                                      "thole_polarization"};
  for (const char *section : unsupported) {
    const std::vector<BondedTerm> *terms = m.terms(section);
    if (terms && !terms->empty())
      fail_term(terms->front(), std::string("[ ") + section + " ] of molecule " + m.name +
                                    " cannot be written for LAMMPS (not supported)");
  }
  if (!exclusions_only && !m.exclusions.empty())
    fail_at(m.path, m.line, "[ exclusions ] of molecule " + m.name +
                                " cannot be written for LAMMPS in a topology with [ pairs ] (not supported)");
}

// ---------------------------------------------------------------------------------------------
// Bonded terms

Draft bond_draft(const MoleculeType &m, const ResolvedTerm &r)
{
  const BondedTerm &t = *r.term;
  Draft d{zero_based(t), "harmonic", "", atom_names(m, zero_based(t)) + " (" + where(t) + ")"};
  if (t.function == 1)
    d.coefficients = number(r.parameters[1] / 2 / kj_per_kcal / (angstrom_per_nm * angstrom_per_nm)) + " " +
                     number(r.parameters[0] * angstrom_per_nm);
  else if (t.function == 5)
    d.coefficients = "0 0";    // a connection: no energy, but LAMMPS's exclusions need the bond
  else
    fail_term(t, "bond function " + std::to_string(t.function) + " cannot be written for LAMMPS (only 1 and 5)");
  return d;
}

// A constraint as a stiff harmonic bond (and, with Shake, the bond fix shake holds at r0).
Draft constraint_draft(const MoleculeType &m, const ResolvedTerm &r, double force_constant)
{
  const BondedTerm &t = *r.term;
  if (t.function != 1)
    fail_term(t, "constraints function " + std::to_string(t.function) +
                     " (no exclusions) cannot be written for LAMMPS, whose bonds always exclude (only 1)");
  Draft d{zero_based(t), "harmonic", "", atom_names(m, zero_based(t)) + " (constraint, " + where(t) + ")"};
  d.coefficients = number(force_constant / 2 / kj_per_kcal / (angstrom_per_nm * angstrom_per_nm)) + " " +
                   number(r.parameters[0] * angstrom_per_nm);
  d.kind = "constraint";
  return d;
}

// GROMOS-96 angle V = k/2 (cos t - cos t0)^2; angle cosine/squared is E = K (cos t - cos t0)^2.
Draft cosine_squared_draft(const MoleculeType &m, const ResolvedTerm &r)
{
  const BondedTerm &t = *r.term;
  return Draft{zero_based(t), "cosine/squared", number(r.parameters[1] / 2 / kj_per_kcal) + " " + number(r.parameters[0]),
               atom_names(m, zero_based(t)) + " (" + where(t) + ")"};
}

Draft angle_draft(const MoleculeType &m, const ResolvedTerm &r, bool charmm)
{
  const BondedTerm &t = *r.term;
  const std::vector<double> &p = r.parameters;
  if (t.function == 2) return cosine_squared_draft(m, r);
  if (t.function == 10)
    fail_term(t, "angle function 10 (restricted bending) cannot be written for LAMMPS: this LAMMPS (2021) has no "
                 "angle style for it (cosine/squared/restricted came later)");
  Draft d{zero_based(t), charmm ? "charmm" : "harmonic", "", atom_names(m, zero_based(t)) + " (" + where(t) + ")"};
  if (t.function != 1 && t.function != 5)
    fail_term(t, "angle function " + std::to_string(t.function) + " cannot be written for LAMMPS (only 1, 2 and 5)");
  d.coefficients = number(p[1] / 2 / kj_per_kcal) + " " + number(p[0]);
  if (charmm && t.function == 5)
    d.coefficients += " " + number(p[3] / 2 / kj_per_kcal / (angstrom_per_nm * angstrom_per_nm)) + " " +
                      number(p[2] * angstrom_per_nm);
  else if (charmm)
    d.coefficients += " 0 0";
  return d;
}

// GROMACS periodic term -> dihedral charmm K n d (weight added later).
Draft periodic_draft(const MoleculeType &m, const ResolvedTerm &r)
{
  const BondedTerm &t = *r.term;
  const double phase = r.parameters[0], k = r.parameters[1], multiplicity = r.parameters[2];
  if (std::abs(phase - std::round(phase)) > 1e-6)
    fail_term(t, "dihedral phase " + number(phase) + " is not a whole number of degrees, which dihedral charmm needs");
  if (multiplicity < 0 || std::abs(multiplicity - std::round(multiplicity)) > 1e-9)
    fail_term(t, "dihedral multiplicity " + number(multiplicity) + " is not a whole number >= 0");
  Draft d{zero_based(t), "charmm", "", atom_names(m, zero_based(t)) + " (" + where(t) + ")"};
  d.coefficients = number(k / kj_per_kcal) + " " + std::to_string(std::lround(multiplicity)) + " " +
                   std::to_string(std::lround(phase));
  d.charmm = true;
  return d;
}

// Ryckaert-Bellemans: V = sum Cn cos^n(psi), psi = phi - 180, so cos(psi) = -cos(phi) and
// dihedral multi/harmonic's A(n+1) = (-1)^n Cn; it stops at cos^4, so C5 must be 0.
Draft ryckaert_bellemans_draft(const MoleculeType &m, const ResolvedTerm &r)
{
  const BondedTerm &t = *r.term;
  if (std::abs(r.parameters[5]) > 0)
    fail_term(t, "Ryckaert-Bellemans C5 = " + number(r.parameters[5]) + " has no dihedral multi/harmonic term");
  Draft d{zero_based(t), "multi/harmonic", "", atom_names(m, zero_based(t)) + " (" + where(t) + ")"};
  for (int n = 0; n < 5; ++n)
    d.coefficients += (n ? " " : "") + number((n % 2 ? -1.0 : 1.0) * r.parameters[static_cast<std::size_t>(n)] / kj_per_kcal);
  return d;
}

// Harmonic improper: GROMACS's signed angle and LAMMPS's unsigned one give the same energy only
// for xi0 = 0 or 180.
Draft improper_draft(const MoleculeType &m, const ResolvedTerm &r)
{
  const BondedTerm &t = *r.term;
  const double xi0 = r.parameters[0];
  if (std::abs(xi0) > 1e-9 && std::abs(std::abs(xi0) - 180.0) > 1e-9)
    fail_term(t, "harmonic improper with xi0 = " + number(xi0) + " (LAMMPS's improper harmonic matches only 0 and 180)");
  return Draft{zero_based(t), "harmonic", number(r.parameters[1] / 2 / kj_per_kcal) + " " + number(std::abs(xi0)),
               atom_names(m, zero_based(t)) + " (" + where(t) + ")"};
}

void add_dihedrals(const ParameterLookup &lookup, MoleculeModel &model)
{
  const MoleculeType &m = *model.type;
  // propers first, so that a 1-4 pair's weight goes to a proper dihedral where there is one
  for (int pass = 0; pass < 2; ++pass)
    for (const ResolvedTerm &r : lookup.resolve_all(m, "dihedrals")) {
      const int f = r.term->function;
      const bool proper = f == 1 || f == 9 || f == 3;
      if ((pass == 0) != proper) continue;
      if (f == 1 || f == 9 || f == 4)
        model.dihedrals.push_back(periodic_draft(m, r));
      else if (f == 3)
        model.dihedrals.push_back(ryckaert_bellemans_draft(m, r));
      else if (f == 2)
        model.impropers.push_back(improper_draft(m, r));
      else
        fail_term(*r.term, "dihedral function " + std::to_string(f) + " cannot be written for LAMMPS (only 1, 2, 3, 4, 9)");
    }
}

// ---------------------------------------------------------------------------------------------
// Lennard-Jones

struct LennardJones {
  double sigma = 0.0, epsilon = 0.0;    // nm, kJ/mol
};

// A topology's two numbers (c6 c12 for comb-rule 1, else sigma epsilon) as sigma, epsilon.
LennardJones as_sigma_epsilon(int comb_rule, double v, double w, const std::string &path, int line)
{
  if (comb_rule != 1) return {v, w};
  if (v == 0 && w == 0) return {0.0, 0.0};
  if (v <= 0 || w <= 0)
    fail_at(path, line, "C6 = " + number(v) + ", C12 = " + number(w) + " is no Lennard-Jones sigma/epsilon pair");
  return {std::pow(w / v, 1.0 / 6.0), v * v / (4 * w)};
}

class LennardJonesTable {
 public:
  explicit LennardJonesTable(const Topology &topology) : topology_(topology)
  {
    for (const InteractionType &line : topology.nonbond_params) {
      if (line.function != 1 || line.parameters.size() < 2)
        fail_at(line.path, line.line, "[ nonbond_params ] other than Lennard-Jones cannot be written for LAMMPS");
      nonbond_params_[key(line.types[0], line.types[1])] = &line;
    }
  }

  // The pair's interaction as grompp makes it: [ nonbond_params ], else the combination rule.
  LennardJones normal(const AtomType &a, const AtomType &b) const
  {
    const int rule = topology_.defaults.comb_rule;
    const auto given = nonbond_params_.find(key(a.name, b.name));
    if (given != nonbond_params_.end())
      return as_sigma_epsilon(rule, given->second->parameters[0], given->second->parameters[1], given->second->path,
                              given->second->line);
    const LennardJones x = as_sigma_epsilon(rule, a.nonbonded[0], a.nonbonded[1], a.path, a.line);
    const LennardJones y = as_sigma_epsilon(rule, b.nonbonded[0], b.nonbonded[1], b.path, b.line);
    if (rule == 2) return {(x.sigma + y.sigma) / 2, std::sqrt(x.epsilon * y.epsilon)};
    if (rule == 3) return {std::sqrt(x.sigma * y.sigma), std::sqrt(x.epsilon * y.epsilon)};
    // comb-rule 1 combines c6 and c12 geometrically
    const double c6 = std::sqrt(a.nonbonded[0] * b.nonbonded[0]), c12 = std::sqrt(a.nonbonded[1] * b.nonbonded[1]);
    return as_sigma_epsilon(1, c6, c12, a.path, a.line);
  }

 private:
  static std::pair<std::string, std::string> key(const std::string &a, const std::string &b)
  {
    return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
  }
  const Topology &topology_;
  std::map<std::pair<std::string, std::string>, const InteractionType *> nonbond_params_;
};

bool same_value(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)) + 1e-15; }

// ---------------------------------------------------------------------------------------------
// The molecule's bond graph: LAMMPS excludes or scales atoms up to three bonds apart, GROMACS
// excludes atoms up to nrexcl bonds apart; both must name the same atoms.

void build_graph(MoleculeModel &model)
{
  const MoleculeType &m = *model.type;
  const int n = static_cast<int>(m.atoms.size());
  model.neighbours.assign(static_cast<std::size_t>(n), {});
  for (const BondedTerm &b : m.bonds) {
    model.neighbours[static_cast<std::size_t>(b.atoms[0] - 1)].push_back(b.atoms[1] - 1);
    model.neighbours[static_cast<std::size_t>(b.atoms[1] - 1)].push_back(b.atoms[0] - 1);
  }
  const int depth = std::max(3, m.nrexcl);
  for (int start = 0; start < n; ++start) {
    std::map<int, int> distance{{start, 0}};
    std::vector<int> frontier{start};
    for (int d = 1; d <= depth && !frontier.empty(); ++d) {
      std::vector<int> next;
      for (int a : frontier)
        for (int b : model.neighbours[static_cast<std::size_t>(a)])
          if (distance.emplace(b, d).second) next.push_back(b);
      frontier.swap(next);
    }
    for (const auto &[other, d] : distance) {
      if (other <= start) continue;
      if ((d <= 3) != (d <= m.nrexcl))
        fail_at(m.path, m.line, "molecule " + m.name + ": nrexcl " + std::to_string(m.nrexcl) + " and atoms " +
                                    std::to_string(start + 1) + " and " + std::to_string(other + 1) + ", " +
                                    std::to_string(d) + " bonds apart: LAMMPS's special_bonds excludes exactly the atoms "
                                    "up to 3 bonds apart");
      if (d == 3) model.three_bonds_apart.insert({start, other});
    }
  }
}

// Without [ pairs ], special_bonds gives factor 0 to atoms up to `depth` bonds apart in LAMMPS's
// bond graph and 1 beyond; GROMACS excludes atoms up to nrexcl chemical bonds apart ([ bonds ] and
// [ constraints ] function 1) and the [ exclusions ] pairs. Exclusions not already made by nrexcl
// become K = 0 bonds; then the two sets of excluded pairs must be one.

std::vector<std::vector<int>> bond_graph(int atoms, const std::vector<Draft> &bonds, bool with_exclusions)
{
  std::vector<std::vector<int>> neighbours(static_cast<std::size_t>(atoms));
  for (const Draft &b : bonds)
    if (with_exclusions || b.kind != "exclusion") {
      neighbours[static_cast<std::size_t>(b.atoms[0])].push_back(b.atoms[1]);
      neighbours[static_cast<std::size_t>(b.atoms[1])].push_back(b.atoms[0]);
    }
  return neighbours;
}

// The pairs (first < second) of atoms at most `depth` bonds apart.
std::set<std::pair<int, int>> pairs_within(const std::vector<std::vector<int>> &neighbours, int depth)
{
  std::set<std::pair<int, int>> pairs;
  for (int start = 0; start < static_cast<int>(neighbours.size()); ++start) {
    std::set<int> seen{start};
    std::vector<int> frontier{start};
    for (int d = 1; d <= depth && !frontier.empty(); ++d) {
      std::vector<int> next;
      for (int a : frontier)
        for (int b : neighbours[static_cast<std::size_t>(a)])
          if (seen.insert(b).second) next.push_back(b);
      frontier.swap(next);
    }
    for (int other : seen)
      if (other > start) pairs.insert({start, other});
  }
  return pairs;
}

void build_exclusions(MoleculeModel &model, int special_depth)
{
  const MoleculeType &m = *model.type;
  const int n = static_cast<int>(m.atoms.size());
  std::set<std::pair<int, int>> gromacs = pairs_within(bond_graph(n, model.bonds, false), m.nrexcl);
  for (const std::vector<int> &line : m.exclusions)
    for (std::size_t k = 1; k < line.size(); ++k) {
      const std::pair<int, int> ends = std::minmax(line[0] - 1, line[k] - 1);    // copied: minmax returns references
      if (ends.first == ends.second || !gromacs.insert(ends).second) continue;
      Draft d{{ends.first, ends.second}, "harmonic", "0 0",
              atom_names(m, {ends.first, ends.second}) + " ([ exclusions ] of " + m.name + ", " + m.path + ")"};
      d.kind = "exclusion";
      model.bonds.push_back(d);
    }
  model.neighbours = bond_graph(n, model.bonds, true);
  const std::set<std::pair<int, int>> lammps = pairs_within(model.neighbours, special_depth);
  const auto differ = [&](const std::set<std::pair<int, int>> &a, const std::set<std::pair<int, int>> &b, const char *what) {
    for (const auto &p : a)
      if (!b.count(p))
        fail_at(m.path, m.line, "molecule " + m.name + ": atoms " + std::to_string(p.first + 1) + " and " +
                                    std::to_string(p.second + 1) + " " + what + " (nrexcl " + std::to_string(m.nrexcl) +
                                    "; special_bonds excludes the atoms up to " + std::to_string(special_depth) +
                                    " bonds apart, bonds, constraints and [ exclusions ] counted)");
  };
  differ(gromacs, lammps, "are excluded by GROMACS but would not be by LAMMPS");
  differ(lammps, gromacs, "would be excluded by LAMMPS but are not by GROMACS");
}

// ---------------------------------------------------------------------------------------------
// The system

struct SystemModel {
  std::vector<LammpsAtomType> atom_types;
  std::vector<MoleculeModel> molecules;    // one per molecule type used
  std::vector<const CmapType *> grids;
  bool one_four_by_dihedral = false;
  double one_four_weight = 0.0;            // by dihedral: the weight on the carrying terms
  double one_four_lj = 0.0, one_four_qq = 0.0;    // scaled: special_bonds' 1-4 factors
  bool charmm_angles = false;
  std::map<std::pair<int, int>, LennardJones> one_four;    // by dihedral: per LAMMPS type pair
  bool exclusions_only = false;            // no [ pairs ]: special_bonds follows nrexcl and [ exclusions ]
  int special_depth = 0;                   // exclusions only: the bonds apart that are excluded
  bool split_by_charge = false;            // reaction field: one charge per LAMMPS atom type
};

int atom_type_of(SystemModel &system, const Topology &topology, const TopologyAtom &atom)
{
  for (std::size_t i = 0; i < system.atom_types.size(); ++i)
    if (system.atom_types[i].name == atom.type && system.atom_types[i].mass == atom.mass &&
        (!system.split_by_charge || system.atom_types[i].charge == atom.charge))
      return static_cast<int>(i) + 1;
  const AtomType *t = topology.find_atomtype(atom.type);
  if (!t) fail_at(atom.path, atom.line, "atom type " + atom.type + " is not defined");
  if (t->nonbonded.size() < 2) fail_at(t->path, t->line, "atom type " + t->name + " has no Lennard-Jones parameters");
  system.atom_types.push_back({atom.type, atom.mass, system.split_by_charge ? atom.charge : 0.0, t});
  return static_cast<int>(system.atom_types.size());
}

int grid_of(SystemModel &system, const CmapType &grid)
{
  for (std::size_t i = 0; i < system.grids.size(); ++i)
    if (system.grids[i] == &grid || system.grids[i]->values == grid.values) return static_cast<int>(i);
  if (grid.grid_x != 24 || grid.grid_y != 24)
    fail_at(grid.path, grid.line, "CMAP grid " + std::to_string(grid.grid_x) + "x" + std::to_string(grid.grid_y) +
                                      ": fix cmap reads 24x24 grids only");
  if (system.grids.size() == 6) fail_at(grid.path, grid.line, "more than 6 distinct CMAP grids: fix cmap holds 6");
  system.grids.push_back(&grid);
  return static_cast<int>(system.grids.size()) - 1;
}

MoleculeModel build_molecule(SystemModel &system, const Topology &topology, const ParameterLookup &lookup,
                             const MoleculeType &m, const LammpsWriterOptions &options)
{
  check_unsupported_sections(m, system.exclusions_only);
  MoleculeModel model;
  model.type = &m;
  for (const TopologyAtom &a : m.atoms) model.atom_types.push_back(atom_type_of(system, topology, a));
  for (const ResolvedTerm &r : lookup.resolve_all(m, "bonds")) model.bonds.push_back(bond_draft(m, r));
  for (const ResolvedTerm &r : lookup.resolve_all(m, "constraints"))
    model.bonds.push_back(constraint_draft(m, r, options.constraint_force_constant));
  for (const ResolvedTerm &r : lookup.resolve_all(m, "angles"))
    model.angles.push_back(angle_draft(m, r, system.charmm_angles));
  add_dihedrals(lookup, model);
  for (const BondedTerm &c : m.cmap) {
    if (c.atoms.size() != 5) fail_term(c, "a CMAP term needs 5 atoms");
    model.cmaps.push_back({zero_based(c), grid_of(system, lookup.cmap_type(m, c))});
  }
  for (const ResolvedTerm &r : lookup.resolve_all(m, "pairs")) {
    if (r.term->function != 1) fail_term(*r.term, "pairs function 2 cannot be written for LAMMPS (only 1)");
    const LennardJones lj = as_sigma_epsilon(topology.defaults.comb_rule, r.parameters[0], r.parameters[1],
                                             r.term->path, r.term->line);
    model.pairs.push_back({r.term->atoms[0] - 1, r.term->atoms[1] - 1, lj.sigma, lj.epsilon, r.term});
  }
  if (system.exclusions_only)
    build_exclusions(model, system.special_depth);
  else
    build_graph(model);
  return model;
}

// Whether special_bonds scaling gives this molecule's 1-4 terms: its pairs are exactly the atoms
// three bonds apart, and each is the pair's normal Lennard-Jones times fudgeLJ.
bool scaled_one_four_fits(const SystemModel &system, const Topology &topology, const LennardJonesTable &lj,
                          const MoleculeModel &model)
{
  std::set<std::pair<int, int>> listed;
  for (const PairDraft &p : model.pairs) {
    const auto ends = std::minmax(p.i, p.j);
    if (!listed.insert({ends.first, ends.second}).second) return false;    // listed twice
    const LennardJones normal = lj.normal(*system.atom_types[static_cast<std::size_t>(model.atom_types[static_cast<std::size_t>(p.i)] - 1)].gromacs,
                                          *system.atom_types[static_cast<std::size_t>(model.atom_types[static_cast<std::size_t>(p.j)] - 1)].gromacs);
    if (!same_value(p.sigma, normal.sigma) || !same_value(p.epsilon, normal.epsilon * topology.defaults.fudge_lj))
      return false;
  }
  return listed == model.three_bonds_apart;
}

// By dihedral: each [ pairs ] line gets the first unweighted dihedral charmm term with its two
// atoms at the ends, else a new K = 0 one along three bonds between them.
void weight_dihedrals(MoleculeModel &model, double weight)
{
  const MoleculeType &m = *model.type;
  std::map<std::pair<int, int>, std::vector<std::size_t>> by_ends;    // dihedral charmm terms, in order
  for (std::size_t d = 0; d < model.dihedrals.size(); ++d)
    if (model.dihedrals[d].charmm)
      by_ends[std::minmax(model.dihedrals[d].atoms.front(), model.dihedrals[d].atoms.back())].push_back(d);
  for (const PairDraft &p : model.pairs) {
    std::vector<std::size_t> &candidates = by_ends[std::minmax(p.i, p.j)];
    if (!candidates.empty()) {
      model.dihedrals[candidates.front()].weight = weight;
      candidates.erase(candidates.begin());    // a pair listed twice needs a second term
      continue;
    }
    bool added = false;
    for (int j : model.neighbours[static_cast<std::size_t>(p.i)])
      for (int k : model.neighbours[static_cast<std::size_t>(p.j)])
        if (!added && j != k && j != p.j && k != p.i) {
          const auto &nj = model.neighbours[static_cast<std::size_t>(j)];
          if (std::find(nj.begin(), nj.end(), k) == nj.end()) continue;
          Draft d{{p.i, j, k, p.j}, "charmm", "0 1 0",
                  atom_names(m, {p.i, j, k, p.j}) + " (1-4 pair only, " + where(*p.term) + ")", true, weight};
          model.dihedrals.push_back(d);
          added = true;
        }
    if (!added)
      fail_term(*p.term, "pair " + std::to_string(p.i + 1) + "-" + std::to_string(p.j + 1) +
                             ": no dihedral carries it and no three bonds join the two atoms, which LAMMPS's dihedral "
                             "charmm needs to compute a 1-4 pair");
  }
}

// By dihedral: the 1-4 Lennard-Jones of each pair of LAMMPS atom types, which must be one.
void collect_one_four(SystemModel &system, const MoleculeModel &model)
{
  for (const PairDraft &p : model.pairs) {
    auto types = std::minmax(model.atom_types[static_cast<std::size_t>(p.i)], model.atom_types[static_cast<std::size_t>(p.j)]);
    const LennardJones lj{p.sigma, p.epsilon};
    const auto [it, inserted] = system.one_four.emplace(std::make_pair(types.first, types.second), lj);
    if (!inserted && (!same_value(it->second.sigma, lj.sigma) || !same_value(it->second.epsilon, lj.epsilon)))
      fail_term(*p.term, "1-4 Lennard-Jones of atom types " + system.atom_types[static_cast<std::size_t>(types.first - 1)].name +
                             " " + system.atom_types[static_cast<std::size_t>(types.second - 1)].name +
                             " differs from an earlier pair of the same types; LAMMPS has one per type pair");
  }
}

SystemModel build_system(const Topology &topology, const LammpsWriterOptions &options, const std::string &output)
{
  if (topology.defaults.nbfunc != 1) fail_at(output, 0, "Buckingham non-bonded ([ defaults ] nbfunc 2) cannot be written for LAMMPS");
  const MoleculeType &inter = topology.intermolecular;
  for (const std::string section : {"bonds", "angles", "dihedrals", "pairs", "cmap"})
    if (inter.terms(section) && !inter.terms(section)->empty())
      fail_term(inter.terms(section)->front(), "[ intermolecular_interactions ] cannot be written for LAMMPS");
  SystemModel system;
  system.exclusions_only = true;
  for (const MoleculeCount &count : topology.molecules) {
    const MoleculeType *m = topology.find_moleculetype(count.name);
    if (!m) fail_at(count.path, count.line, "molecule " + count.name + " is not defined");
    for (const BondedTerm &a : m->angles) system.charmm_angles = system.charmm_angles || a.function == 5;
    if (count.count > 0 && !m->pairs.empty()) system.exclusions_only = false;
    // the exclusion depth of the molecules where it matters (more than one atom bonded)
    if (count.count > 0 && (!m->bonds.empty() || !m->constraints.empty()))
      system.special_depth = std::max(system.special_depth, std::min(m->nrexcl, 3));
  }
  const bool reaction_field = options.nonbonded.scheme == LammpsCutoffScheme::ReactionField;
  if (reaction_field && !system.exclusions_only)
    fail_at(output, 0, "the reaction field is written only for topologies without [ pairs ] (coarse-grained, e.g. Martini)");
  system.split_by_charge = reaction_field;
  const ParameterLookup lookup(topology);
  std::set<std::string> built;
  for (const MoleculeCount &count : topology.molecules)
    if (count.count > 0 && built.insert(count.name).second)
      system.molecules.push_back(build_molecule(system, topology, lookup, *topology.find_moleculetype(count.name), options));
  if (system.exclusions_only) return system;

  const LennardJonesTable lj(topology);
  bool scaled = true;
  for (const MoleculeModel &model : system.molecules) scaled = scaled && scaled_one_four_fits(system, topology, lj, model);
  bool any_pairs = false;
  for (const MoleculeModel &model : system.molecules) any_pairs = any_pairs || !model.pairs.empty();
  system.one_four_by_dihedral = !scaled;
  system.one_four_lj = topology.defaults.fudge_lj;
  system.one_four_qq = topology.defaults.fudge_qq;
  if (!scaled) {
    system.one_four_weight = topology.defaults.fudge_qq;
    if (any_pairs && !(system.one_four_weight > 0 && system.one_four_weight <= 1))
      fail_at(output, 0, "fudgeQQ " + number(system.one_four_weight) + ": 1-4 pairs carried by dihedral charmm need a weight in (0, 1]");
    for (MoleculeModel &model : system.molecules) {
      weight_dihedrals(model, system.one_four_weight);
      collect_one_four(system, model);
    }
  }
  return system;
}

// ---------------------------------------------------------------------------------------------
// Writing

struct Numbered {
  TypeTable bonds, angles, dihedrals, impropers;
};

std::string style_of(const std::vector<std::string> &styles)
{
  if (styles.size() == 1) return styles[0];
  std::string hybrid = "hybrid";
  for (const std::string &s : styles) hybrid += " " + s;
  return hybrid;
}

std::vector<std::string> styles_used(const std::vector<MoleculeModel> &molecules, std::vector<Draft> MoleculeModel::*list)
{
  std::vector<std::string> styles;
  for (const MoleculeModel &m : molecules)
    for (const Draft &d : m.*list)
      if (std::find(styles.begin(), styles.end(), d.style) == styles.end()) styles.push_back(d.style);
  return styles;
}

// A draft's type: with hybrid styles the coefficients begin with the style's name. Constraints
// and exclusions get types of their own (fix shake names bond types), told apart by the key.
int type_of(TypeTable &table, const Draft &d, bool hybrid)
{
  std::string text = (hybrid ? d.style + " " : std::string()) + d.coefficients;
  if (d.charmm) text += " " + number(d.weight);
  if (!d.kind.empty()) {
    const int before = table.size();
    const int id = table.add(d.kind + ":" + text, d.comment);
    if (table.size() > before) table.coefficients.back() = text;
    return id;
  }
  return table.add(text, d.comment);
}

// The bond types whose key names `kind`.
std::vector<int> types_of_kind(const TypeTable &table, const std::string &kind)
{
  std::vector<int> ids;
  for (const auto &[key, id] : table.ids)
    if (key.rfind(kind + ":", 0) == 0) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// GROMACS's reaction field (Verlet scheme) between charges within rc:
//   C qi qj (1/r + k_rf r^2 - c_rf),  C = qqr2e / epsilon_r,
//   k_rf = (eps_rf - eps_r) / ((2 eps_rf + eps_r) rc^3)  (1 / (2 rc^3) for eps_rf = infinity),
//   c_rf = 1/rc + k_rf rc^2,
// also for excluded pairs (without the 1/r), plus -C c_rf qi^2 / 2 for every atom. The 1/r part is
// lj/cut/coul/cut's; the rest is a pair table per product qi qj.
struct ReactionField {
  bool on = false;
  double cutoff = 0.0, k_rf = 0.0, c_rf = 0.0, coulomb = 0.0;    // A, 1/A^3, 1/A, kcal A/(mol e^2)
  std::vector<double> products;                  // distinct non-zero qi qj; table section RF_n is n-1
  std::map<std::pair<int, int>, int> section;    // LAMMPS type pair (i <= j) -> n
  bool table() const { return !products.empty(); }
};

ReactionField reaction_field_of(const SystemModel &system, const LammpsNonbonded &nb, const std::string &output)
{
  ReactionField rf;
  if (nb.scheme != LammpsCutoffScheme::ReactionField) return rf;
  if (!(nb.epsilon_r > 0)) fail_at(output, 0, "reaction field with epsilon_r " + number(nb.epsilon_r) + " (must be > 0)");
  if (nb.epsilon_rf != 0 && !(nb.epsilon_rf >= 1))
    fail_at(output, 0, "reaction field with epsilon_rf " + number(nb.epsilon_rf) + " (must be 0 = infinity, or >= 1)");
  rf.on = true;
  rf.cutoff = nb.cutoff;
  const double rc3 = nb.cutoff * nb.cutoff * nb.cutoff;
  rf.k_rf = nb.epsilon_rf == 0 ? 1 / (2 * rc3) : (nb.epsilon_rf - nb.epsilon_r) / ((2 * nb.epsilon_rf + nb.epsilon_r) * rc3);
  rf.c_rf = 1 / nb.cutoff + rf.k_rf * nb.cutoff * nb.cutoff;
  rf.coulomb = lammps_qqr2e_real / nb.epsilon_r;
  const auto &types = system.atom_types;
  for (std::size_t i = 0; i < types.size(); ++i)
    for (std::size_t j = i; j < types.size(); ++j) {
      const double qq = types[i].charge * types[j].charge;
      if (qq == 0) continue;
      auto known = std::find_if(rf.products.begin(), rf.products.end(), [&](double p) { return same_value(p, qq); });
      if (known == rf.products.end()) known = rf.products.insert(rf.products.end(), qq);
      rf.section[{static_cast<int>(i) + 1, static_cast<int>(j) + 1}] = static_cast<int>(known - rf.products.begin()) + 1;
    }
  return rf;
}

// LAMMPS pair table sections, N points spaced in r^2 as LAMMPS spaces them itself (so that with
// `table linear N` it takes the points as they are): E = C qq (k_rf r^2 - c_rf), F = -2 C qq k_rf r.
std::string table_text(const ReactionField &rf, const LammpsWriterOptions &options)
{
  std::ostringstream out;
  out << "# Reaction-field pair table for LAMMPS pair_style table linear " << table_points << ", from "
      << (options.source.empty() ? std::string("a GROMACS system") : options.source)
      << "\n# written by BACKMAP (lammps_system_writer). Units real. GROMACS's reaction field without its 1/r part\n"
      << "# (that is lj/cut/coul/cut's): E = C qi qj (k_rf r^2 - c_rf), C = " << number(rf.coulomb)
      << " kcal A/(mol e^2) (332.06371 / epsilon_r),\n# k_rf = " << number(rf.k_rf) << " A^-3, c_rf = " << number(rf.c_rf)
      << " A^-1, cut-off " << number(rf.cutoff) << " A. Columns: index r (A) E (kcal/mol) F (kcal/mol/A).\n";
  const double lo2 = table_inner * table_inner, hi2 = rf.cutoff * rf.cutoff;
  for (std::size_t n = 0; n < rf.products.size(); ++n) {
    const double qq = rf.products[n];
    out << "\nRF_" << n + 1 << "    # qi qj = " << number(qq) << "\nN " << table_points << " RSQ " << number(table_inner)
        << " " << number(rf.cutoff) << "\n\n";
    for (int i = 0; i < table_points; ++i) {
      const double rsq = lo2 + (hi2 - lo2) * i / (table_points - 1), r = std::sqrt(rsq);
      char line[160];
      std::snprintf(line, sizeof line, "%d %.17g %.17g %.17g\n", i + 1, r, rf.coulomb * qq * (rf.k_rf * rsq - rf.c_rf),
                    -2 * rf.coulomb * qq * rf.k_rf * r);
      out << line;
    }
  }
  return out.str();
}

std::string file_name(const std::string &path) { return std::filesystem::path(path).filename().string(); }

std::string pair_style_arguments(const SystemModel &system, const LammpsNonbonded &nb, const ReactionField &rf,
                                 const std::string &output)
{
  if (!(nb.cutoff > 0)) fail_at(output, 0, "the non-bonded cut-off must be positive, not " + number(nb.cutoff));
  if (!(nb.epsilon_r > 0)) fail_at(output, 0, "epsilon_r must be positive, not " + number(nb.epsilon_r));
  if (rf.table())
    return "hybrid/overlay lj/cut/coul/cut " + number(nb.cutoff) + " table linear " + std::to_string(table_points);
  if (nb.scheme == LammpsCutoffScheme::CharmmSwitch) {
    if (!(nb.switch_from > 0 && nb.switch_from < nb.cutoff))
      fail_at(output, 0, "switching must start (" + number(nb.switch_from) + ") inside the cut-off (" + number(nb.cutoff) + ")");
    return "lj/charmm/coul/charmm " + number(nb.switch_from) + " " + number(nb.cutoff);
  }
  // lj/charmm needs inner < outer: switching over the last 1e-6 A (the data file's coordinate
  // precision) is a plain cut-off. (0.001 A was not: in a dense periodic system that shell holds
  // hundreds of pairs; 72 POPC cut at 12 A lost 36 kcal/mol, 0.6 %, of GROMACS's Coulomb (SR).)
  if (system.one_four_by_dihedral) return "lj/charmm/coul/charmm " + number(nb.cutoff - 1e-6) + " " + number(nb.cutoff);
  return "lj/cut/coul/cut " + number(nb.cutoff);
}

struct Files {
  std::string settings, data, coeffs, cmap, table;
};

// special_bonds's arguments: GROMACS's 1-4 scaling, or (no [ pairs ]) its exclusions.
std::string special_bonds_arguments(const SystemModel &system, const ReactionField &rf)
{
  if (system.exclusions_only) {
    std::string factors = "lj/coul";
    for (int d = 1; d <= 3; ++d)
      factors += d > system.special_depth ? " 1.0" : rf.table() ? std::string(" ") + listed_but_excluded : " 0.0";
    return factors;
  }
  if (system.one_four_by_dihedral) return "lj 0.0 0.0 0.0 coul 0.0 0.0 0.0";
  return "lj 0.0 0.0 " + number(system.one_four_lj) + " coul 0.0 0.0 " + number(system.one_four_qq);
}

// Martini in LAMMPS terms: GROMACS's 20 fs and its Verlet buffer (rlist ~ rc + 0.1-0.3 nm).
const char *martini_run_notes =
    "# Running Martini with these files (recommended; GROMACS's Martini 3 run parameters in LAMMPS terms):\n"
    "#   timestep        20.0                        # fs (units real): Martini's 20 fs step\n"
    "#   neighbor        3.0 bin                     # 3 A skin over the 11 A cut-off (GROMACS: rlist >= 1.1 nm, buffered)\n"
    "#   neigh_modify    delay 0 every 1 check yes   # beads move fast at 20 fs; rebuild whenever one has moved 1.5 A\n"
    "#   comm_modify     cutoff 25.0                 # only with many ranks: ghost atoms for bonds/angles of long molecules\n"
    "#   fix             md all nvt temp 310.0 310.0 2000.0   # or nph/npt (GROMACS: v-rescale 1 ps, c-rescale 12 ps)\n"
    "#   thermo_style    custom step temp pe ebond eangle edihed evdwl ecoul press\n"
    "# Energy minimise first (minimize 1e-4 1e-6 1000 10000) when the beads come from a mapping.\n";

std::string settings_text(const SystemModel &system, const LammpsWriterOptions &options, const Files &files,
                          const LammpsSystemFiles &result, const ReactionField &rf, const Numbered &types,
                          const std::vector<std::string> &dihedral_styles, const std::vector<std::string> &angle_styles)
{
  const std::string &pair_style = result.pair_style, &read_data = result.read_data_line;
  std::ostringstream out;
  out << "# LAMMPS settings for " << (options.source.empty() ? std::string("a GROMACS system") : options.source)
      << "\n# written by BACKMAP (lammps_system_writer); units real (kcal/mol, Angstrom), atom_style full.\n"
      << "# Use the three files in this order in your input (the fix cmap below must exist before read_data,\n"
      << "# and read_data must name it with `fix " << options.cmap_fix_id << " crossterm CMAP` when there is CMAP):\n"
      << "#   include         " << files.settings << "\n"
      << "#   " << read_data << "\n"
      << "#   include         " << files.coeffs << "\n"
      << "# Keep the special_bonds line as it is: the 1-4 interactions depend on it"
      << (system.one_four_by_dihedral ? ", on pair style lj/charmm/coul/charmm\n# (its 1-4 sigma/epsilon) and on dihedral charmm's weights.\n"
                                      : ".\n")
      << "units           real\natom_style      full\nboundary        p p p\n"
      << "pair_style      " << pair_style << "\n";
  if (rf.on) {
    out << "# GROMACS's vdw-modifier Potential-shift: every Lennard-Jones pair shifted to 0 at the cut-off\n"
        << (rf.table() ? "pair_modify     pair lj/cut/coul/cut shift yes\n" : "pair_modify     shift yes\n");
    if (rf.table())
      out << "# reaction field: the 1/r part is lj/cut/coul/cut's (divided by the dielectric), the rest\n"
          << "# C qi qj (k_rf r^2 - c_rf) the table's, in evdwl, for every pair within the cut-off and, as in\n"
          << "# GROMACS, for excluded pairs too (their special_bonds factor is " << listed_but_excluded
          << ", so LAMMPS lists them;\n# the table takes them at full weight). GROMACS's Coulomb (SR) = ecoul of\n"
          << "# lj/cut/coul/cut + evdwl of table + the constant " << number(result.coulomb_self_energy)
          << " kcal/mol (-C c_rf qi^2 / 2 per atom, no force);\n# its LJ (SR) = evdwl of lj/cut/coul/cut. Separate them with\n"
          << "#   compute lj all pair lj/cut/coul/cut evdwl     (c_lj: LJ)\n"
          << "#   compute coul all pair lj/cut/coul/cut ecoul   (c_coul: Coulomb 1/r)\n"
          << "#   compute rf all pair table evdwl               (c_rf: the rest of the reaction field)\n"
          << "pair_modify     pair table special lj 1.0 1.0 1.0\n";
  }
  if (options.nonbonded.epsilon_r != 1.0) out << "dielectric      " << number(options.nonbonded.epsilon_r) << "\n";
  if (types.bonds.size()) out << "bond_style      harmonic\n";
  if (types.angles.size()) out << "angle_style     " << style_of(angle_styles) << "\n";
  if (types.dihedrals.size()) out << "dihedral_style  " << style_of(dihedral_styles) << "\n";
  if (types.impropers.size()) out << "improper_style  harmonic\n";
  if (system.exclusions_only)
    out << "# no [ pairs ]: GROMACS's exclusions (atoms up to nrexcl = " << system.special_depth
        << " bonds apart, constraints and [ exclusions ]\n# as K = 0 bonds counted) are LAMMPS's special neighbours; all others interact fully\n";
  else if (system.one_four_by_dihedral)
    out << "# 1-4 pairs come from dihedral charmm (weight " << number(system.one_four_weight)
        << " on one term per GROMACS [ pairs ] line); none from the pair style\n";
  else
    out << "# 1-4 pairs (GROMACS [ pairs ], atoms three bonds apart) scaled by fudgeLJ and fudgeQQ\n";
  out << "special_bonds   " << result.special_bonds << "\n";
  if (!result.constraint_bond_types.empty()) {
    std::string bond_types;
    for (int t : result.constraint_bond_types) bond_types += " " + std::to_string(t);
    const bool shake = options.constraints == LammpsConstraints::Shake;
    out << "# GROMACS [ constraints ]: bond type(s)" << bond_types << ", harmonic with kb "
        << number(options.constraint_force_constant) << " kJ/mol/nm^2"
        << (shake ? "; fix shake (RIGID package) holds them at r0\n"
                  : ";\n# with LAMMPS's RIGID package, SHAKE can hold them at r0 instead (then their energy is ~0):\n# ")
        << "fix             " << options.shake_fix_id << " all shake 0.0001 100 0 b" << bond_types << "\n";
  }
  if (rf.on) out << martini_run_notes;
  if (!system.grids.empty())
    out << "# CMAP: " << system.grids.size() << " grid(s) in " << files.cmap << "; the fix adds its energy to pe\n"
        << "fix             " << options.cmap_fix_id << " all cmap " << files.cmap << "\n"
        << "fix_modify      " << options.cmap_fix_id << " energy yes\n";
  return out.str();
}

std::string coeffs_text(const SystemModel &system, const Topology &topology, const LammpsWriterOptions &options,
                        const Numbered &types, const ReactionField &rf, const Files &files)
{
  const LennardJonesTable lj(topology);
  std::ostringstream out;
  out << "# LAMMPS coefficients for " << (options.source.empty() ? std::string("a GROMACS system") : options.source)
      << "\n# written by BACKMAP (lammps_system_writer): include after read_data. Units real.\n"
      << "# pair_coeff for every pair of atom types (no mixing rule involved): epsilon (kcal/mol) sigma (A)"
      << (system.one_four_by_dihedral ? " epsilon14 sigma14\n# (epsilon14 is GROMACS's 1-4 epsilon / " +
                                            number(system.one_four_weight) + ", the dihedral weight)\n"
                                      : "\n");
  const auto &atom_types = system.atom_types;
  for (std::size_t i = 0; i < atom_types.size(); ++i)
    for (std::size_t j = i; j < atom_types.size(); ++j) {
      const LennardJones normal = lj.normal(*atom_types[i].gromacs, *atom_types[j].gromacs);
      out << "pair_coeff " << i + 1 << " " << j + 1 << (rf.table() ? " lj/cut/coul/cut " : " ")
          << number(normal.epsilon / kj_per_kcal) << " " << number(normal.sigma * angstrom_per_nm);
      std::string note;
      if (system.one_four_by_dihedral) {
        const auto found = system.one_four.find({static_cast<int>(i) + 1, static_cast<int>(j) + 1});
        LennardJones one_four{normal.sigma, normal.epsilon * topology.defaults.fudge_lj};
        if (found != system.one_four.end())
          one_four = found->second;
        else
          note = " (no 1-4 pair of these types)";
        out << " " << number(one_four.epsilon / system.one_four_weight / kj_per_kcal) << " "
            << number(one_four.sigma * angstrom_per_nm);
      }
      out << "    # " << atom_types[i].name << " " << atom_types[j].name << note << "\n";
      const auto section = rf.section.find({static_cast<int>(i) + 1, static_cast<int>(j) + 1});
      if (section != rf.section.end())
        out << "pair_coeff " << i + 1 << " " << j + 1 << " table " << files.table << " RF_" << section->second << " "
            << number(rf.cutoff) << "    # qi qj = " << number(rf.products[static_cast<std::size_t>(section->second - 1)])
            << "\n";
    }
  const auto coefficients = [&](const char *command, const TypeTable &table) {
    for (int t = 0; t < table.size(); ++t)
      out << command << " " << t + 1 << " " << table.coefficients[static_cast<std::size_t>(t)] << "    # "
          << table.comments[static_cast<std::size_t>(t)] << "\n";
  };
  if (types.bonds.size())
    out << "# bond harmonic: K (kcal/mol/A^2, E = K (r-r0)^2) r0 (A); constraints stiff, [ exclusions ] K = 0\n";
  coefficients("bond_coeff", types.bonds);
  if (types.angles.size())
    out << "# angle: K (kcal/mol/rad^2, E = K (theta-theta0)^2) theta0 (degrees) [K_ub r_ub];\n"
        << "# cosine/squared: K (kcal/mol, E = K (cos theta - cos theta0)^2) theta0 (degrees)\n";
  coefficients("angle_coeff", types.angles);
  if (types.dihedrals.size()) out << "# dihedral charmm: K (kcal/mol) n d (degrees) weight; multi/harmonic: A1..A5\n";
  coefficients("dihedral_coeff", types.dihedrals);
  if (types.impropers.size()) out << "# improper harmonic: K (kcal/mol/rad^2, E = K (chi-chi0)^2) chi0 (degrees)\n";
  coefficients("improper_coeff", types.impropers);
  return out.str();
}

std::string cmap_text(const SystemModel &system, const LammpsWriterOptions &options)
{
  std::ostringstream out;
  out << "# CMAP grids for LAMMPS fix cmap, from " << (options.source.empty() ? std::string("a GROMACS system") : options.source)
      << "\n# written by BACKMAP (lammps_system_writer). kcal/mol; per grid 24 rows (phi = -180, -165, ... 165),\n"
      << "# each 24 values (psi = -180 ... 165), as GROMACS's [ cmaptypes ] and CHARMM list them.\n"
      << "# fix cmap reads six grids in order; grid N is crossterm type N in the data file.\n";
  for (std::size_t g = 0; g < system.grids.size(); ++g) {
    const CmapType &grid = *system.grids[g];
    out << "\n# grid " << g + 1 << ":";
    for (const std::string &t : grid.types) out << " " << t;
    out << " (" << grid.path << ":" << grid.line << ")\n";
    for (int row = 0; row < 24; ++row) {
      for (int column = 0; column < 24; ++column)
        out << (column ? " " : "") << number(grid.values[static_cast<std::size_t>(row * 24 + column)] / kj_per_kcal);
      out << "\n";
    }
  }
  return out.str();
}

// GROMACS's box (rows a, b, c with a along x and b in the xy plane) as LAMMPS's bounds and tilts.
std::string box_text(const Box &box, const std::string &output)
{
  const Eigen::Matrix3d &v = box.vectors;
  const double scale = std::max({std::abs(v(0, 0)), std::abs(v(1, 1)), std::abs(v(2, 2))});
  if (!box.periodic || v(0, 0) <= 0 || v(1, 1) <= 0 || v(2, 2) <= 0)
    fail_at(output, 0, "the system needs a periodic box with positive lengths (LAMMPS has no open boundaries here)");
  if (std::abs(v(0, 1)) + std::abs(v(0, 2)) + std::abs(v(1, 2)) > 1e-9 * scale)
    fail_at(output, 0, "the box is not in GROMACS's form (a along x, b in the xy plane)");
  std::ostringstream out;
  out << "0 " << fixed(v(0, 0), 6) << " xlo xhi\n0 " << fixed(v(1, 1), 6) << " ylo yhi\n0 " << fixed(v(2, 2), 6) << " zlo zhi\n";
  if (!box.is_orthorhombic())
    out << fixed(v(1, 0), 6) << " " << fixed(v(2, 0), 6) << " " << fixed(v(2, 1), 6) << " xy xz yz\n";
  return out.str();
}

}    // namespace

LammpsNonbonded martini_nonbonded()
{
  LammpsNonbonded nb;
  nb.scheme = LammpsCutoffScheme::ReactionField;
  nb.cutoff = 11.0;
  nb.epsilon_r = 15.0;
  nb.epsilon_rf = 0.0;
  return nb;
}

LammpsNonbonded recommended_nonbonded(const Topology &topology)
{
  LammpsNonbonded nb;
  if (!topology.pairtypes.empty() || !topology.cmaptypes.empty()) {
    nb.scheme = LammpsCutoffScheme::CharmmSwitch;
    nb.switch_from = 10.0;
    nb.cutoff = 12.0;
    return nb;
  }
  bool any_pairs = false;
  for (const MoleculeCount &count : topology.molecules) {
    const MoleculeType *m = topology.find_moleculetype(count.name);
    any_pairs = any_pairs || (m && count.count > 0 && !m->pairs.empty());
  }
  if (!any_pairs && !topology.defaults.gen_pairs && !topology.nonbond_params.empty()) return martini_nonbonded();
  return nb;
}

LammpsSystemFiles write_lammps_system(const Topology &topology, const std::vector<Vec3> &positions, const Box &box,
                                      const std::string &prefix, const LammpsWriterOptions &options)
{
  if (static_cast<long>(positions.size()) != topology.atom_count())
    fail_at(prefix + ".data", 0, std::to_string(positions.size()) + " positions for a topology of " +
                                     std::to_string(topology.atom_count()) + " atoms");
  const std::string box_lines = box_text(box, prefix + ".data");
  SystemModel system = build_system(topology, options, prefix + ".data");
  const ReactionField rf = reaction_field_of(system, options.nonbonded, prefix + ".data");
  Files files{prefix + ".settings", prefix + ".data", prefix + ".coeffs", system.grids.empty() ? "" : prefix + ".cmap",
              rf.table() ? prefix + ".table" : ""};
  double self_energy = 0.0;

  const std::vector<std::string> angle_styles = styles_used(system.molecules, &MoleculeModel::angles);
  const std::vector<std::string> dihedral_styles = styles_used(system.molecules, &MoleculeModel::dihedrals);
  const bool hybrid_angles = angle_styles.size() > 1, hybrid_dihedrals = dihedral_styles.size() > 1;
  Numbered types;
  std::ostringstream atoms, bonds, angles, dihedrals, impropers, cmaps;
  long atom_id = 0, bond_id = 0, angle_id = 0, dihedral_id = 0, improper_id = 0, cmap_id = 0;
  int molecule_id = 0;
  const auto terms = [](std::ostringstream &out, long &id, TypeTable &table, const std::vector<Draft> &drafts,
                        long offset, bool hybrid) {
    for (const Draft &d : drafts) {
      out << ++id << " " << type_of(table, d, hybrid);
      for (int a : d.atoms) out << " " << offset + a + 1;
      out << "\n";
    }
  };
  for (const MoleculeCount &count : topology.molecules) {
    const auto model = std::find_if(system.molecules.begin(), system.molecules.end(),
                                    [&](const MoleculeModel &m) { return m.type->name == count.name; });
    for (int copy = 0; copy < count.count; ++copy) {
      ++molecule_id;
      const long offset = atom_id;
      const MoleculeType &m = *model->type;
      for (std::size_t a = 0; a < m.atoms.size(); ++a) {
        const TopologyAtom &atom = m.atoms[a];
        const Vec3 &x = positions[static_cast<std::size_t>(atom_id)];
        if (rf.on) self_energy -= rf.coulomb * rf.c_rf * atom.charge * atom.charge / 2;
        atoms << ++atom_id << " " << molecule_id << " " << model->atom_types[a] << " " << number(atom.charge) << " "
              << fixed(x.x(), 6) << " " << fixed(x.y(), 6) << " " << fixed(x.z(), 6) << "    # " << atom.residue
              << atom.resnr << " " << atom.atom << "\n";
      }
      terms(bonds, bond_id, types.bonds, model->bonds, offset, false);
      terms(angles, angle_id, types.angles, model->angles, offset, hybrid_angles);
      terms(dihedrals, dihedral_id, types.dihedrals, model->dihedrals, offset, hybrid_dihedrals);
      terms(impropers, improper_id, types.impropers, model->impropers, offset, false);
      for (const CmapDraft &c : model->cmaps) {
        cmaps << ++cmap_id << " " << c.grid + 1;
        for (int a : c.atoms) cmaps << " " << offset + a + 1;
        cmaps << "\n";
      }
    }
  }

  LammpsSystemFiles result;
  result.data = files.data;
  result.settings = files.settings;
  result.coeffs = files.coeffs;
  result.cmap = files.cmap;
  result.table = files.table;
  result.one_four_by_dihedral = system.one_four_by_dihedral;
  result.exclusions_only = system.exclusions_only;
  result.pair_style = pair_style_arguments(system, options.nonbonded, rf, files.settings);
  result.special_bonds = special_bonds_arguments(system, rf);
  result.constraint_bond_types = types_of_kind(types.bonds, "constraint");
  result.exclusion_bond_types = types_of_kind(types.bonds, "exclusion");
  result.coulomb_self_energy = self_energy;
  result.read_data_line = "read_data       " + files.data +
                          (system.grids.empty() ? std::string() : " fix " + options.cmap_fix_id + " crossterm CMAP");
  result.atom_types = static_cast<int>(system.atom_types.size());
  result.bond_types = types.bonds.size();
  result.angle_types = types.angles.size();
  result.dihedral_types = types.dihedrals.size();
  result.improper_types = types.impropers.size();
  result.cmap_grids = static_cast<int>(system.grids.size());

  std::ostringstream data;
  data << "LAMMPS data file for " << (options.source.empty() ? std::string("a GROMACS system") : options.source)
       << ", written by BACKMAP (lammps_system_writer); units real, atom_style full; use with "
       << file_name(files.settings) << " and " << file_name(files.coeffs) << "\n\n"
       << atom_id << " atoms\n" << bond_id << " bonds\n" << angle_id << " angles\n" << dihedral_id << " dihedrals\n"
       << improper_id << " impropers\n";
  if (!system.grids.empty()) data << cmap_id << " crossterms\n";
  data << "\n" << result.atom_types << " atom types\n";
  if (result.bond_types) data << result.bond_types << " bond types\n";
  if (result.angle_types) data << result.angle_types << " angle types\n";
  if (result.dihedral_types) data << result.dihedral_types << " dihedral types\n";
  if (result.improper_types) data << result.improper_types << " improper types\n";
  data << "\n" << box_lines << "\nMasses\n\n";
  for (std::size_t t = 0; t < system.atom_types.size(); ++t)
    data << t + 1 << " " << number(system.atom_types[t].mass) << "    # " << system.atom_types[t].name << "\n";
  data << "\nAtoms # full\n\n" << atoms.str();
  const auto section = [&](const char *name, long n, const std::ostringstream &lines) {
    if (n) data << "\n" << name << "\n\n" << lines.str();
  };
  section("Bonds", bond_id, bonds);
  section("Angles", angle_id, angles);
  section("Dihedrals", dihedral_id, dihedrals);
  section("Impropers", improper_id, impropers);
  if (!system.grids.empty()) section("CMAP", cmap_id, cmaps);

  write_text(files.settings, settings_text(system, options, files, result, rf, types, dihedral_styles, angle_styles));
  write_text(files.data, data.str());
  write_text(files.coeffs, coeffs_text(system, topology, options, types, rf, files));
  if (!files.cmap.empty()) write_text(files.cmap, cmap_text(system, options));
  if (!files.table.empty()) write_text(files.table, table_text(rf, options));
  return result;
}

LammpsSystemFiles write_lammps_system(const Topology &topology, const Structure &coordinates, const std::string &prefix,
                                      const LammpsWriterOptions &options)
{
  std::vector<Vec3> positions;
  std::vector<const Atom *> structure_atoms;
  for (const Residue &r : coordinates.residues)
    for (const Atom &a : r.atoms) {
      positions.push_back(a.position);
      structure_atoms.push_back(&a);
    }
  if (static_cast<long>(positions.size()) != topology.atom_count())
    fail_at(prefix + ".data", 0, "the structure has " + std::to_string(positions.size()) + " atoms, the topology " +
                                     std::to_string(topology.atom_count()));
  std::size_t index = 0;
  for (const MoleculeCount &count : topology.molecules) {
    const MoleculeType *m = topology.find_moleculetype(count.name);
    if (!m) fail_at(count.path, count.line, "molecule " + count.name + " is not defined");
    for (int copy = 0; copy < count.count; ++copy)
      for (const TopologyAtom &atom : m->atoms) {
        const std::string &name = structure_atoms[index]->name;
        if (name != atom.atom)
          fail_at(atom.path, atom.line, "structure atom " + std::to_string(index + 1) + " is " + name + ", the topology's is " +
                                            atom.atom + " (" + m->name + " " + atom.residue + std::to_string(atom.resnr) + ")");
        ++index;
      }
  }
  return write_lammps_system(topology, positions, coordinates.box, prefix, options);
}

}    // namespace BACKMAP
