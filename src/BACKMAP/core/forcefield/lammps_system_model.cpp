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
        (!system.split_by_charge || system.atom_types[i].charge == atom.charge))
      return static_cast<int>(i) + 1;
  const AtomType *t = topology.find_atomtype(atom.type);
  if (!t) fail_at(atom.path, atom.line, "atom type " + atom.type + " is not defined");
  if (t->nonbonded.size() < 2) fail_at(t->path, t->line, "atom type " + t->name + " has no Lennard-Jones parameters");
  system.atom_types.push_back({atom.type, atom.mass, system.split_by_charge ? atom.charge : 0.0, t});
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

}    // namespace BACKMAP::lammps_writer
