/* BACKMAP core, forcefield layer: a coarse-grained molecule under construction (see cg_molecule.h). */
#include "cg_molecule.h"

namespace BACKMAP {

namespace {

int version_of(const FfAttributes &meta)
{
  if (!meta.contains("version")) return 0;
  const FfAttributes &v = meta["version"];
  return v.is_number() ? v.get<int>() : 0;
}

// vermouth's Choice: a template string with '|' lists the values that match.
bool choice_holds(const std::string &choices, const FfAttributes &value)
{
  if (!value.is_string()) return false;
  const std::string v = value.get<std::string>();
  std::size_t start = 0;
  while (true) {
    const std::size_t bar = choices.find('|', start);
    if (choices.substr(start, bar == std::string::npos ? std::string::npos : bar - start) == v) return true;
    if (bar == std::string::npos) return false;
    start = bar + 1;
  }
}

}    // namespace

int CgMolecule::add_bead(CgBead bead)
{
  beads.push_back(std::move(bead));
  neighbours.emplace_back();
  return static_cast<int>(beads.size()) - 1;
}

void CgMolecule::add_edge(int a, int b)
{
  if (a == b) return;
  neighbours[static_cast<std::size_t>(a)].insert(b);
  neighbours[static_cast<std::size_t>(b)].insert(a);
}

bool CgMolecule::has_edge(int a, int b) const { return neighbours[static_cast<std::size_t>(a)].count(b) > 0; }

void CgMolecule::add_or_replace(const std::string &section, CgTerm term)
{
  std::vector<CgTerm> &list = terms[section];
  for (CgTerm &t : list)
    if (t.atoms == term.atoms && version_of(t.meta) == version_of(term.meta)) {
      t = std::move(term);
      return;
    }
  list.push_back(std::move(term));
}

void CgMolecule::add(const std::string &section, CgTerm term) { terms[section].push_back(std::move(term)); }

std::size_t CgMolecule::term_count() const
{
  std::size_t n = 0;
  for (const auto &[section, list] : terms) n += list.size();
  return n;
}

CgMolecule merge_molecules(const std::vector<CgMolecule> &molecules, const std::string &name)
{
  CgMolecule merged;
  merged.name = name;
  if (!molecules.empty()) merged.nrexcl = molecules.front().nrexcl, merged.meta = molecules.front().meta;
  for (const CgMolecule &m : molecules) {
    const int beads = static_cast<int>(merged.beads.size()), residues = static_cast<int>(merged.residues.size());
    for (CgBead bead : m.beads) {
      bead.residue += residues;
      merged.add_bead(bead);
    }
    for (std::size_t b = 0; b < m.neighbours.size(); ++b)
      for (int n : m.neighbours[b]) merged.add_edge(beads + static_cast<int>(b), beads + n);
    for (CgResidue residue : m.residues) {
      for (int &b : residue.beads) b += beads;
      merged.residues.push_back(residue);
    }
    for (const auto &[section, list] : m.terms)
      for (CgTerm term : list) {
        for (int &a : term.atoms) a += beads;
        merged.add(section, term);
      }
  }
  return merged;
}

bool attributes_match(const FfAttributes &have, const FfAttributes &wanted, const std::set<std::string> &ignored)
{
  for (const auto &[key, value] : wanted.items()) {
    if (ignored.count(key)) continue;
    const FfAttributes actual = have.contains(key) ? have[key] : FfAttributes();
    if (actual == value) continue;
    if (value.is_string() && value.get<std::string>().find('|') != std::string::npos && choice_holds(value.get<std::string>(), actual))
      continue;
    if (value.is_object() && value.size() == 1 && value.contains("not") && (actual.is_null() || actual != value["not"]))
      continue;
    return false;
  }
  return true;
}

}    // namespace BACKMAP
