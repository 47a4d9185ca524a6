#include "residue_matching.h"

#include "elements.h"

#include <algorithm>
#include <limits>

namespace BACKMAP {

namespace {

// Longest X-H bond we accept (N-H, O-H, C-H, S-H are 0.96-1.35 A).
constexpr double max_hydrogen_bond = 1.45;

bool input_is_hydrogen(const Atom &a)
{
  if (!a.element.empty()) return is_hydrogen(a.element);
  return !a.name.empty() && (a.name[0] == 'H' || (std::isdigit(static_cast<unsigned char>(a.name[0])) &&
                                                  a.name.size() > 1 && a.name[1] == 'H'));
}

std::string join(const std::vector<std::string> &names)
{
  std::string s;
  for (const auto &n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// Force fields name the second C-terminal oxygen OXT, OT2, O2 or O01; martinize2 knows it by
// its bond to C, and so do we: an unknown oxygen bonded to C takes the free OXT slot.
void recognise_terminal_oxygen(const Residue &residue, const MoleculeMapping &mapping, ResidueMatch &m,
                               std::vector<std::string> &unknown)
{
  const int oxt = mapping.find_atom("OXT"), c = mapping.find_atom("C");
  if (mapping.kind != MoleculeKind::AminoAcid || oxt < 0 || c < 0 || m.input_of[oxt] >= 0 || m.input_of[c] < 0) return;
  const Vec3 &carbon = residue.atoms[m.input_of[c]].position;
  for (auto it = unknown.begin(); it != unknown.end(); ++it) {
    const int i = residue.find_atom(*it);
    const Atom &a = residue.atoms[i];
    const bool oxygen = a.element.empty() ? a.name[0] == 'O' : a.element == "O";
    if (oxygen && (a.position - carbon).norm() < 1.6) {
      m.input_of[oxt] = i;
      unknown.erase(it);
      return;
    }
  }
}

// The C-terminal carboxylate as force fields and MD engines name it: GROMACS OC1/OC2, CHARMM
// OT1/OT2, others O1/O2 (AMBER's O/OXT are the mapping's own names). Model files embed their
// mappings, so these are recognised here for every amino-acid mapping, not only through the
// aliases a mapping file lists.
int terminal_oxygen(const std::string &name, const MoleculeMapping &mapping)
{
  if (mapping.kind != MoleculeKind::AminoAcid) return -1;
  if (name == "OC1" || name == "OT1" || name == "O1") return mapping.find_atom("O");
  if (name == "OC2" || name == "OT2" || name == "O2") return mapping.find_atom("OXT");
  return -1;
}

ResidueMatch match_with(const Residue &residue, const MoleculeMapping &mapping)
{
  ResidueMatch m;
  m.mapping = &mapping;
  m.input_of.assign(mapping.atoms.size(), -1);
  std::vector<int> hydrogens;
  std::vector<std::string> unknown;
  for (std::size_t i = 0; i < residue.atoms.size(); ++i) {
    const Atom &a = residue.atoms[i];
    int k = mapping.find_atom(a.name);
    if (k < 0) k = terminal_oxygen(a.name, mapping);
    if (input_is_hydrogen(a)) {
      if (k >= 0 && mapping.atoms[k].is_hydrogen() && m.input_of[k] < 0) {
        m.input_of[k] = static_cast<int>(i);
        m.hydrogens.push_back({static_cast<int>(i), k, true});
      } else {
        hydrogens.push_back(static_cast<int>(i));
      }
      continue;
    }
    if (k < 0) {
      unknown.push_back(a.name);
    } else if (m.input_of[k] >= 0) {
      m.problem = "atom " + mapping.atoms[k].name + " appears twice (as " + residue.atoms[m.input_of[k]].name +
          " and " + a.name + ")";
      return m;
    } else {
      m.input_of[k] = static_cast<int>(i);
    }
  }
  recognise_terminal_oxygen(residue, mapping, m, unknown);
  if (!unknown.empty()) {
    m.problem = "atoms unknown to mapping " + mapping.name + ": " + join(unknown);
    return m;
  }
  std::vector<std::string> missing;
  for (int k : mapping.required_atoms())
    if (m.input_of[k] < 0) missing.push_back(mapping.atoms[k].name);
  if (!missing.empty()) {
    m.problem = "missing atoms " + join(missing);
    return m;
  }
  for (int h : hydrogens) {
    int parent = -1;
    double best = max_hydrogen_bond;
    for (std::size_t k = 0; k < mapping.atoms.size(); ++k) {
      if (m.input_of[k] < 0 || mapping.atoms[k].is_hydrogen()) continue;
      const double d = (residue.atoms[m.input_of[k]].position - residue.atoms[h].position).norm();
      if (d < best) {
        best = d;
        parent = static_cast<int>(k);
      }
    }
    if (parent < 0) ++m.orphan_hydrogens;
    else m.hydrogens.push_back({h, parent, false});
  }
  return m;
}

}    // namespace

bool is_water_name(const std::string &n)
{
  static const char *names[] = {"HOH", "WAT", "SOL", "TIP", "TIP3", "TIP4", "TIP5", "SPC", "T3P", "DOD", "H2O"};
  return std::any_of(std::begin(names), std::end(names), [&](const char *w) { return n == w; });
}

ResidueMatch match_residue(const Residue &residue, const MappingSet &mappings)
{
  const auto candidates = mappings.candidates(residue.name);
  if (candidates.empty()) {
    ResidueMatch m;
    m.problem = is_water_name(residue.name) ? "water (not mapped)" : "no mapping for residue name " + residue.name;
    return m;
  }
  ResidueMatch first;
  for (const MoleculeMapping *mapping : candidates) {
    ResidueMatch m = match_with(residue, *mapping);
    if (m.ok()) return m;
    if (!first.mapping) first = std::move(m);
  }
  return first;
}

}    // namespace BACKMAP
