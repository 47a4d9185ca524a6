#include "mapping.h"

#include "elements.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace BACKMAP {

namespace {

// A mapping made in memory has no file: its molecule name stands for it.
[[noreturn]] void fail(const MoleculeMapping &m, int line, const std::string &what)
{
  fail_at<MappingError>(m.file.empty() ? m.name : m.file, line, what);
}

void check_names_unique(const MoleculeMapping &m)
{
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < m.atoms.size(); ++i) {
    const MappedAtom &a = m.atoms[i];
    std::vector<std::string> names = a.aliases;
    names.push_back(a.name);
    for (const auto &n : names) {
      auto [it, fresh] = seen.emplace(n, static_cast<int>(i));
      if (!fresh && it->second != static_cast<int>(i))
        fail(m, a.line, "atom name '" + n + "' is used by two atoms of " + m.name);
    }
  }
  std::set<std::string> beads;
  for (const auto &b : m.beads)
    if (!beads.insert(b.name).second) fail(m, 0, "bead '" + b.name + "' is declared twice");
}

void check_shares(const MoleculeMapping &m, const MappedAtom &a, const std::vector<BeadShare> &shares,
                  const std::string &what)
{
  double sum = 0.0;
  for (const auto &s : shares) {
    if (s.bead < 0 || s.bead >= static_cast<int>(m.beads.size()))
      fail(m, a.line, what + " of atom " + a.name + " names a bead that does not exist");
    if (!(s.weight > 0.0)) fail(m, a.line, what + " of atom " + a.name + " has a weight <= 0");
    sum += s.weight;
  }
  if (!shares.empty() && std::fabs(sum - 1.0) > 1e-6)
    fail(m, a.line,
         what + " of atom " + a.name + " sum to " + std::to_string(sum) + ", they must sum to 1");
}

void check_atoms(const MoleculeMapping &m)
{
  if (m.atoms.empty()) fail(m, 0, "molecule " + m.name + " has no atoms");
  if (m.beads.empty()) fail(m, 0, "molecule " + m.name + " has no beads");
  for (const auto &a : m.atoms) {
    if (a.beads.empty()) fail(m, a.line, "atom " + a.name + " is not assigned to any bead");
    if (!(a.mass > 0.0)) fail(m, a.line, "atom " + a.name + " has no mass (unknown element?)");
    check_shares(m, a, a.beads, "bead weights");
    check_shares(m, a, a.hydrogens.beads, "hydrogen bead weights");
  }
  for (const auto &[i, j] : m.bonds)
    if (i < 0 || j < 0 || i == j) fail(m, 0, "a bond of " + m.name + " names an unknown atom");
}

void check_bead_centres(const MoleculeMapping &m)
{
  std::vector<bool> has_centre(m.beads.size(), false);
  for (std::size_t b = 0; b < m.beads.size(); ++b)
    if (m.beads[b].centre_atom >= 0) has_centre[b] = true;
  for (const auto &a : m.atoms)
    if (a.in_centre && !a.is_hydrogen())
      for (const auto &s : a.beads) has_centre[s.bead] = true;
  for (std::size_t b = 0; b < m.beads.size(); ++b)
    if (!has_centre[b])
      fail(m, 0, "bead " + m.beads[b].name + " of " + m.name +
                     " has no heavy atom contributing to its centre and no centre atom");
  for (std::size_t b = 0; b < m.beads.size(); ++b) {
    int c = m.beads[b].centre_atom;
    if (c < 0) continue;
    bool member = false;
    for (const auto &s : m.atoms[c].beads) member |= (s.bead == static_cast<int>(b));
    if (!member)
      fail(m, m.atoms[c].line,
           "centre atom " + m.atoms[c].name + " of bead " + m.beads[b].name +
               " does not belong to that bead");
  }
}

// Levels must step down by one along each anchor chain; this also rules out cycles.
void check_hierarchy(const MoleculeMapping &m)
{
  std::map<std::pair<int, int>, const Placement *> by_atom_bead;
  for (const auto &p : m.placements) {
    const MappedAtom &a = m.atoms[p.atom];
    if (!by_atom_bead.emplace(std::make_pair(p.atom, p.bead), &p).second)
      fail(m, a.line, "atom " + a.name + " has two placements in bead " + m.beads[p.bead].name);
    bool member = false;
    for (const auto &s : a.beads) member |= (s.bead == p.bead);
    if (!member)
      fail(m, a.line,
           "atom " + a.name + " has a level in bead " + m.beads[p.bead].name +
               " but does not belong to it");
  }
  for (const auto &p : m.placements) {
    const MappedAtom &a = m.atoms[p.atom];
    const std::string &bead = m.beads[p.bead].name;
    if (p.level == 0) {
      if (m.beads[p.bead].centre_atom != p.atom)
        fail(m, a.line,
             "atom " + a.name + " has level 0 but is not the centre atom of bead " + bead);
      if (p.anchor >= 0) fail(m, a.line, "atom " + a.name + " has level 0 and an anchor");
    } else if (p.level == 1) {
      if (p.anchor >= 0)
        fail(m, a.line, "atom " + a.name + " has level 1 (placed from bead " + bead +
                            ") and cannot also have an anchor atom");
    } else {
      if (p.anchor < 0)
        fail(m, a.line, "atom " + a.name + " has level " + std::to_string(p.level) +
                            " in bead " + bead + " but no anchor");
      auto it = by_atom_bead.find({p.anchor, p.bead});
      if (it == by_atom_bead.end())
        fail(m, a.line, "anchor " + m.atoms[p.anchor].name + " of atom " + a.name +
                            " is not placed in bead " + bead);
      if (it->second->level != p.level - 1)
        fail(m, a.line, "anchor " + m.atoms[p.anchor].name + " of atom " + a.name + " has level " +
                            std::to_string(it->second->level) + ", expected " +
                            std::to_string(p.level - 1) + " (anchors come one level before)");
    }
  }
  for (std::size_t b = 0; b < m.beads.size(); ++b) {
    int c = m.beads[b].centre_atom;
    if (c >= 0 && !m.atoms[c].is_hydrogen() && !by_atom_bead.count({c, static_cast<int>(b)}))
      fail(m, m.atoms[c].line, "centre atom " + m.atoms[c].name + " of bead " + m.beads[b].name +
                                   " must have level 0 in that bead");
  }
  for (std::size_t i = 0; i < m.atoms.size(); ++i) {
    const MappedAtom &a = m.atoms[i];
    if (a.is_hydrogen()) continue;
    for (const auto &s : a.beads)
      if (!by_atom_bead.count({static_cast<int>(i), s.bead}))
        fail(m, a.line, "heavy atom " + a.name + " has no level in bead " + m.beads[s.bead].name +
                            " (every heavy atom needs a place in the hierarchy)");
  }
}

void order_placements(MoleculeMapping &m)
{
  std::stable_sort(m.placements.begin(), m.placements.end(),
                   [](const Placement &x, const Placement &y) {
                     return x.bead != y.bead ? x.bead < y.bead : x.level < y.level;
                   });
  for (auto &b : m.beads) b.placements.clear();
  for (std::size_t i = 0; i < m.placements.size(); ++i) {
    Placement &p = m.placements[i];
    auto &list = m.beads[p.bead].placements;
    p.slot = static_cast<int>(list.size());
    list.push_back(static_cast<int>(i));
  }
  for (auto &p : m.placements) {
    p.anchor_placement = -1;
    if (p.anchor < 0) continue;
    for (int j : m.beads[p.bead].placements)
      if (m.placements[j].atom == p.anchor) p.anchor_placement = j;
  }
}

}    // namespace

bool MappedAtom::is_hydrogen() const
{
  return BACKMAP::is_hydrogen(element);
}

int MoleculeMapping::find_atom(const std::string &n) const
{
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    if (atoms[i].name == n) return static_cast<int>(i);
  }
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    for (const auto &alias : atoms[i].aliases)
      if (alias == n) return static_cast<int>(i);
  }
  return -1;
}

int MoleculeMapping::find_bead(const std::string &n) const
{
  for (std::size_t i = 0; i < beads.size(); ++i)
    if (beads[i].name == n) return static_cast<int>(i);
  return -1;
}

bool MoleculeMapping::answers_to(const std::string &residue_name) const
{
  return residue_name == name
      || std::find(aliases.begin(), aliases.end(), residue_name) != aliases.end();
}

int MoleculeMapping::max_slots() const
{
  std::size_t n = 0;
  for (const auto &b : beads) n = std::max(n, b.placements.size());
  return static_cast<int>(n);
}

std::vector<int> MoleculeMapping::required_atoms() const
{
  std::vector<int> out;
  for (std::size_t i = 0; i < atoms.size(); ++i)
    if (!atoms[i].is_hydrogen() && !atoms[i].optional) out.push_back(static_cast<int>(i));
  return out;
}

void finalise_mapping(MoleculeMapping &m)
{
  if (m.name.empty()) fail(m, 0, "the mapping names no molecule");
  check_names_unique(m);
  check_atoms(m);
  check_bead_centres(m);
  check_hierarchy(m);
  order_placements(m);
}

}    // namespace BACKMAP
