#include "all_atom_topology.h"

#include <algorithm>
#include <map>
#include <set>

namespace BACKMAP {

namespace {

// Index of every atom: first[r] + k for atom k of residue r.
struct AtomIndex {
  std::vector<int> first;
  int total = 0;
  explicit AtomIndex(const AllAtomSystem &s)
  {
    for (const TypedResidue &r : s.residues) {
      first.push_back(total);
      total += static_cast<int>(r.atoms.size());
    }
  }
};

// An atom named in a building block, seen from residue r: "-C" is C of the residue before in
// the chain, "+N" N of the one after; -1 when there is none (a chain end, a deleted atom).
int resolve(const AllAtomSystem &s, const AtomIndex &ix, std::size_t r, const std::string &name)
{
  std::size_t q = r;
  std::string atom = name;
  if (name[0] == '-' || name[0] == '+') {
    if (name[0] == '-' && s.residues[r].chain_start) return -1;
    if (name[0] == '+' && s.residues[r].chain_end) return -1;
    q = name[0] == '-' ? r - 1 : r + 1;
    atom = name.substr(1);
  }
  const int k = s.residues[q].find_atom(atom);
  return k < 0 ? -1 : ix.first[q] + k;
}

template <std::size_t N> std::array<int, N> canonical(std::array<int, N> t)
{
  // a term and its reverse are one term; keep the one that starts with the lower index
  if (t.front() > t.back()) std::reverse(t.begin(), t.end());
  return t;
}

// The termini applied to a residue (none, one or both).
std::vector<const Terminus *> termini_of(const TypedResidue &res, const ResidueDatabase &db)
{
  std::vector<const Terminus *> out;
  if (const Terminus *t = res.n_terminus.empty() ? nullptr : db.n_terminus(res.n_terminus)) out.push_back(t);
  if (const Terminus *t = res.c_terminus.empty() ? nullptr : db.c_terminus(res.c_terminus)) out.push_back(t);
  return out;
}

}    // namespace

AllAtomTopology generate_topology(const AllAtomSystem &system, const ResidueDatabase &db)
{
  AllAtomTopology top;
  top.functions = db.bonded_types();
  const AtomIndex ix(system);
  if (!top.functions.all_dihedrals)
    throw BuildError(db.folder() + ": keeps one dihedral per bond ([ bondedtypes ] all_dihedrals 0, as GROMOS does); "
                     "only force fields that keep every dihedral (AMBER, CHARMM, OPLS) are supported");
  std::vector<bool> hydrogen(ix.total);
  for (std::size_t r = 0; r < system.residues.size(); ++r)
    for (std::size_t k = 0; k < system.residues[r].atoms.size(); ++k)
      hydrogen[ix.first[r] + k] = system.residues[r].atoms[k].name[0] == 'H';

  // bonds: each building block's, the termini's added atoms to the atom they were built on,
  // and disulfides
  std::set<std::array<int, 2>> bonds;
  auto add_bond = [&](int a, int b) {
    if (a >= 0 && b >= 0 && a != b) bonds.insert(canonical(std::array<int, 2>{a, b}));
  };
  for (std::size_t r = 0; r < system.residues.size(); ++r) {
    const TypedResidue &res = system.residues[r];
    const BuildingBlock *block = db.block(res.block);
    for (const BlockTerm &b : block->bonds) add_bond(resolve(system, ix, r, b.atoms[0]), resolve(system, ix, r, b.atoms[1]));
    for (const Terminus *term : termini_of(res, db)) {
      for (const TerminusAdd &a : term->add) {
        const int on = resolve(system, ix, r, a.rule.control.front());
        const int count = a.rule.count;
        for (int k = 1; k <= count; ++k)
          add_bond(on, resolve(system, ix, r, count == 1 ? a.rule.name : a.rule.name + std::to_string(k)));
      }
      for (const BlockTerm &b : term->bonds) add_bond(resolve(system, ix, r, b.atoms[0]), resolve(system, ix, r, b.atoms[1]));
    }
  }
  for (const auto &[a, b] : system.disulfides)
    add_bond(ix.first[a] + system.residues[a].find_atom("SG"), ix.first[b] + system.residues[b].find_atom("SG"));
  top.bonds.assign(bonds.begin(), bonds.end());

  std::vector<std::vector<int>> neighbours(ix.total);
  for (const auto &b : top.bonds) {
    neighbours[b[0]].push_back(b[1]);
    neighbours[b[1]].push_back(b[0]);
  }
  for (auto &n : neighbours) std::sort(n.begin(), n.end());

  // angles: every pair of bonds that share an atom
  for (int j = 0; j < ix.total; ++j)
    for (std::size_t x = 0; x < neighbours[j].size(); ++x)
      for (std::size_t y = x + 1; y < neighbours[j].size(); ++y)
        top.angles.push_back({neighbours[j][x], j, neighbours[j][y]});

  // proper dihedrals: every i-j-k-l along the bonds (pdb2gmx keeps them all when the force
  // field says all_dihedrals, as AMBER and CHARMM do)
  std::set<std::array<int, 4>> dihedrals;
  for (const auto &b : top.bonds)
    for (int i : neighbours[b[0]])
      for (int l : neighbours[b[1]])
        if (i != b[1] && l != b[0] && i != l) dihedrals.insert(canonical(std::array<int, 4>{i, b[0], b[1], l}));

  // impropers and CMAP from the building blocks and termini; those naming an absent atom (a
  // chain end) are left out, as pdb2gmx leaves them
  std::set<std::array<int, 2>> improper_bonds;
  auto add_terms = [&](std::size_t r, const std::vector<BlockTerm> &terms, bool improper) {
    for (const BlockTerm &t : terms) {
      std::array<int, 4> a{};
      bool ok = true;
      for (int k = 0; k < 4; ++k) ok &= (a[k] = resolve(system, ix, r, t.atoms[k])) >= 0;
      if (!ok) continue;
      if (improper) {
        // written with its lower end first, as pdb2gmx writes it: the angle between the planes
        // is the same either way round
        top.impropers.push_back(canonical(a));
        top.improper_parameters.push_back(t.parameters);
        improper_bonds.insert(canonical(std::array<int, 2>{a[1], a[2]}));
      } else {
        dihedrals.insert(canonical(a));    // an explicit dihedral of the block
      }
    }
  };
  for (std::size_t r = 0; r < system.residues.size(); ++r) {
    const TypedResidue &res = system.residues[r];
    const BuildingBlock *block = db.block(res.block);
    add_terms(r, block->impropers, true);
    add_terms(r, block->dihedrals, false);
    for (const Terminus *term : termini_of(res, db)) add_terms(r, term->impropers, true);
    for (const BlockTerm &t : block->cmap) {
      std::array<int, 5> a{};
      bool ok = true;
      for (int k = 0; k < 5; ++k) ok &= (a[k] = resolve(system, ix, r, t.atoms[k])) >= 0;
      if (ok) top.cmaps.push_back(a);
    }
  }
  // explicit dihedral parameters of the blocks, by atoms
  std::map<std::array<int, 4>, std::string> explicit_parameters;
  for (std::size_t r = 0; r < system.residues.size(); ++r)
    for (const BlockTerm &t : db.block(system.residues[r].block)->dihedrals) {
      std::array<int, 4> a{};
      bool ok = true;
      for (int k = 0; k < 4; ++k) ok &= (a[k] = resolve(system, ix, r, t.atoms[k])) >= 0;
      if (ok) explicit_parameters[canonical(a)] = t.parameters;
    }

  // 1-4 pairs: the ends of every dihedral that are not also 1-2 or 1-3 (rings); between two
  // hydrogens only when the force field asks for it
  auto bonded = [&](int a, int b) { return std::binary_search(neighbours[a].begin(), neighbours[a].end(), b); };
  auto one_three = [&](int a, int b) {
    for (int m : neighbours[a])
      if (bonded(m, b)) return true;
    return false;
  };
  std::set<std::array<int, 2>> pairs;
  for (const auto &d : dihedrals) {
    const int i = d[0], l = d[3];
    if (bonded(i, l) || one_three(i, l)) continue;
    if (hydrogen[i] && hydrogen[l] && !top.functions.hydrogen_pairs) continue;
    pairs.insert(canonical(std::array<int, 2>{i, l}));
  }
  top.pairs.assign(pairs.begin(), pairs.end());
  for (const auto &d : dihedrals) {
    if (top.functions.remove_dihedrals && improper_bonds.count(canonical(std::array<int, 2>{d[1], d[2]}))) continue;
    top.dihedrals.push_back(d);
    const auto it = explicit_parameters.find(d);
    top.dihedral_parameters.push_back(it == explicit_parameters.end() ? std::string() : it->second);
  }

  // molecules: atoms connected through bonds (chains joined by a disulfide are one)
  top.molecule_of_atom.assign(ix.total, -1);
  int molecules = 0;
  for (int a = 0; a < ix.total; ++a) {
    if (top.molecule_of_atom[a] >= 0) continue;
    std::vector<int> stack{a};
    top.molecule_of_atom[a] = molecules;
    while (!stack.empty()) {
      const int x = stack.back();
      stack.pop_back();
      for (int y : neighbours[x])
        if (top.molecule_of_atom[y] < 0) {
          top.molecule_of_atom[y] = molecules;
          stack.push_back(y);
        }
    }
    ++molecules;
  }
  return top;
}

}    // namespace BACKMAP
