/* BACKMAP core, forcefield layer: a GROMACS system as LAMMPS gets it (see lammps_system_model.h). */
#include "lammps_system_model.h"

#include "lammps_cmap.h"
#include "lammps_one_four.h"
#include "parameter_lookup.h"

#include "file_error.h"

#include <algorithm>
#include <set>

namespace BACKMAP::lammps_writer {

namespace {

int atom_type_of(SystemModel &system, const Topology &topology, const TopologyAtom &atom)
{
  for (std::size_t i = 0; i < system.atom_types.size(); ++i)
    if (system.atom_types[i].name == atom.type && system.atom_types[i].mass == atom.mass &&
        (!system.split_by_charge || system.atom_types[i].charge == atom.charge) && system.atom_types[i].site == atom.carried_site_type &&
        system.atom_types[i].rigid_body == atom.rigid_body)
      return static_cast<int>(i) + 1;
  const auto type_of = [&](const std::string &name) {
    const AtomType *t = topology.find_atomtype(name);
    if (!t) fail_at(atom.path, atom.line, "atom type " + name + " is not defined");
    if (t->nonbonded.size() < 2) fail_at(t->path, t->line, "atom type " + t->name + " has no Lennard-Jones parameters");
    return t;
  };
  const AtomType *t = type_of(atom.type);
  const AtomType *site = atom.carried_site_type.empty() ? nullptr : type_of(atom.carried_site_type);
  system.atom_types.push_back(
      {atom.type, atom.mass, system.split_by_charge ? atom.charge : 0.0, t, atom.carried_site_type, site, atom.rigid_body});
  return static_cast<int>(system.atom_types.size());
}

MoleculeModel build_molecule(SystemModel &system, const Topology &topology, const ParameterLookup &lookup,
                             const MoleculeType &m, const LammpsWriterOptions &options, const std::string &angle_table)
{
  check_unsupported_sections(m, system.exclusions_only);
  MoleculeModel model;
  model.type = &m;
  for (const TopologyAtom &a : m.atoms) model.atom_types.push_back(atom_type_of(system, topology, a));
  for (const ResolvedTerm &r : lookup.resolve_all(m, "bonds")) model.bonds.push_back(bond_draft(m, r));
  for (const ResolvedTerm &r : lookup.resolve_all(m, "constraints"))
    model.bonds.push_back(constraint_draft(m, r, options.constraint_force_constant));
  for (const ResolvedTerm &r : lookup.resolve_all(m, "angles"))
    model.angles.push_back(angle_draft(m, r, system.charmm_angles, angle_table));
  add_dihedrals(lookup, m, model.dihedrals, model.impropers);
  for (const BondedTerm &c : m.cmap) {
    if (c.atoms.size() != 5) fail_term(c, "a CMAP term needs 5 atoms");
    model.cmaps.push_back({zero_based(c), grid_of(system.grids, lookup.cmap_type(m, c))});
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

}    // namespace

SystemModel build_system(const Topology &topology, const LammpsWriterOptions &options, const std::string &output,
                         const std::string &angle_table)
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
      system.molecules.push_back(build_molecule(system, topology, lookup, *topology.find_moleculetype(count.name), options,
                                                angle_table));
  choose_one_four(system, topology, output);
  return system;
}

namespace {

// The LAMMPS types renumbered so that the types of one kind (GROMACS type, mass, charge: only the
// carried site tells them apart) are consecutive, kinds in order of first use: the coefficients
// file then gives each pair of kinds one pair_coeff line over type ranges.
void group_kinds(SystemModel &system)
{
  std::vector<std::size_t> kind_of(system.atom_types.size());
  std::vector<std::size_t> first_of_kind;
  for (std::size_t t = 0; t < system.atom_types.size(); ++t) {
    const LammpsAtomType &a = system.atom_types[t];
    std::size_t k = 0;
    while (k < first_of_kind.size()) {
      const LammpsAtomType &b = system.atom_types[first_of_kind[k]];
      if (a.name == b.name && a.mass == b.mass && a.charge == b.charge && a.rigid_body == b.rigid_body) break;
      ++k;
    }
    if (k == first_of_kind.size()) first_of_kind.push_back(t);
    kind_of[t] = k;
  }
  std::vector<std::size_t> order(system.atom_types.size());
  for (std::size_t t = 0; t < order.size(); ++t) order[t] = t;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return kind_of[a] < kind_of[b]; });
  std::vector<int> new_number(order.size());
  std::vector<LammpsAtomType> sorted;
  for (std::size_t n = 0; n < order.size(); ++n) {
    new_number[order[n]] = static_cast<int>(n) + 1;
    sorted.push_back(system.atom_types[order[n]]);
  }
  system.atom_types = std::move(sorted);
  for (MoleculeModel &model : system.molecules)
    for (int &t : model.atom_types) t = new_number[static_cast<std::size_t>(t - 1)];
}

}    // namespace

void add_site_pairs(SystemModel &system, const Topology &topology,
                    const std::set<std::pair<std::string, std::string>> &excluded_site_types, const std::string &output)
{
  const LennardJonesTable lj(topology);
  bool any_site = false;
  std::set<const AtomType *> kinds;
  for (const LammpsAtomType &t : system.atom_types) kinds.insert(t.gromacs), any_site = any_site || t.site_type;
  if (!any_site) return;
  if (!system.exclusions_only || system.one_four_by_dihedral)
    fail_at(output, 0, "virtual sites carried by their atoms are written for topologies without [ pairs ] only (coarse-grained)");
  // a site that met an atom type would interact from its atom's place with no way to tell apart
  std::set<const AtomType *> sites;
  for (const LammpsAtomType &t : system.atom_types)
    if (t.site_type && sites.insert(t.site_type).second)
      for (const AtomType *other : kinds)
        if (lj.normal(*t.site_type, *other).epsilon != 0)
          fail_at(t.site_type->path, t.site_type->line,
                  "virtual site type " + t.site + " has a Lennard-Jones with atom type " + other->name +
                      ": a site carried by its atom in LAMMPS may interact with other sites only");
  group_kinds(system);
  const auto &types = system.atom_types;
  for (std::size_t i = 0; i < types.size(); ++i)
    for (std::size_t j = i; j < types.size(); ++j) {
      if (!types[i].site_type || !types[j].site_type) continue;
      const std::pair<int, int> key{static_cast<int>(i) + 1, static_cast<int>(j) + 1};
      const LennardJones pair = lj.normal(*types[i].site_type, *types[j].site_type);
      if (pair.epsilon != 0) system.site_pairs[key] = pair;
      if (excluded_site_types.count(std::minmax(types[i].site, types[j].site))) system.excluded_type_pairs.insert(key);
    }
}

}    // namespace BACKMAP::lammps_writer
