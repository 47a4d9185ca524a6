/* BACKMAP core, forcefield layer: a molecule type's bond graph against GROMACS's exclusions (see
   lammps_molecule_graph.h). */
#include "lammps_molecule_graph.h"

#include "file_error.h"

#include <algorithm>
#include <map>
#include <string>

namespace BACKMAP::lammps_writer {

namespace {

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

}    // namespace

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

}    // namespace BACKMAP::lammps_writer
