/* BACKMAP core, forcefield layer: GoMartini's residue contact map from its atoms' overlaps and
   surface points (see go_contact_map.h). */
#include "go_contact_map.h"

#include "go_atom_classes.h"

#include <map>

namespace BACKMAP {

std::vector<GoContactAtom> go_contact_atoms(const std::vector<const Residue *> &residues)
{
  std::vector<GoContactAtom> atoms;
  for (std::size_t r = 0; r < residues.size(); ++r)
    for (const Atom &atom : residues[r]->atoms) {
      const GoAtomFacts facts = go_atom_facts(residues[r]->name, atom.name);
      atoms.push_back({atom.position, facts.radius, facts.atom_class, static_cast<int>(r)});
    }
  return atoms;
}

std::vector<GoResidueContact> go_contact_map(const std::vector<const Residue *> &residues)
{
  const std::vector<GoContactAtom> atoms = go_contact_atoms(residues);
  std::vector<Vec3> positions;
  for (const GoContactAtom &a : atoms) positions.push_back(a.position);
  const PointCells cells(positions, 2 * go_largest_radius + go_water_radius);

  std::map<std::pair<int, int>, GoResidueContact> pairs;
  const auto pair = [&](int a, int b) -> GoResidueContact & {
    GoResidueContact &c = pairs[{a, b}];
    c.a = a;
    c.b = b;
    return c;
  };
  for (const auto &[i, j] : go_overlapping_atoms(atoms, cells)) {
    const int a = atoms[static_cast<std::size_t>(i)].residue, b = atoms[static_cast<std::size_t>(j)].residue;
    pair(a, b).overlap = true;
    pair(b, a).overlap = true;
  }
  const std::vector<std::vector<std::pair<int, int>>> hits = go_surface_hits(atoms, cells);
  for (std::size_t i = 0; i < atoms.size(); ++i)
    for (const auto &[j, points] : hits[i]) {
      const GoContactAtom &a = atoms[i], &b = atoms[static_cast<std::size_t>(j)];
      const GoContactKind kind = go_contact_kind(a.atom_class, b.atom_class);
      if (a.residue == b.residue || kind == GoContactKind::None) continue;
      GoResidueContact &c = pair(a.residue, b.residue);
      c.surface += points;
      if (kind == GoContactKind::Stabilising) c.stabilising += points;
      if (kind == GoContactKind::Destabilising) c.destabilising += points;
    }
  std::vector<GoResidueContact> map;
  for (const auto &[key, contact] : pairs) map.push_back(contact);
  return map;
}

}    // namespace BACKMAP
