/* BACKMAP core, forcefield layer: 1-4 pairs and exclusions in LAMMPS (see lammps_one_four.h). */
#include "lammps_one_four.h"

#include "lammps_reaction_field.h"
#include "lammps_writer_text.h"

#include "file_error.h"

#include <algorithm>
#include <map>
#include <set>

namespace BACKMAP::lammps_writer {

namespace {

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

}    // namespace

void choose_one_four(SystemModel &system, const Topology &topology, const std::string &output)
{
  if (system.exclusions_only) return;
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
}

// special_bonds's arguments: GROMACS's 1-4 scaling, or (no [ pairs ]) its exclusions.
std::string special_bonds_arguments(const SystemModel &system, const ReactionField &rf)
{
  if (system.exclusions_only) {
    std::string factors = "lj/coul";
    for (int d = 1; d <= 3; ++d)
      factors += d > system.special_depth                     ? " 1.0"
                 : rf.table() || !system.site_pairs.empty() ? std::string(" ") + listed_but_excluded
                                                            : " 0.0";
    return factors;
  }
  if (system.one_four_by_dihedral) return "lj 0.0 0.0 0.0 coul 0.0 0.0 0.0";
  return "lj 0.0 0.0 " + number(system.one_four_lj) + " coul 0.0 0.0 " + number(system.one_four_qq);
}

}    // namespace BACKMAP::lammps_writer
