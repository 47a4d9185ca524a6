#include "periodic.h"

namespace BACKMAP {

namespace {

bool is_peptide_residue(const Residue &r)
{
  return r.find_atom("N") >= 0 && r.find_atom("CA") >= 0 && r.find_atom("C") >= 0;
}

}    // namespace

void make_molecules_whole(Structure &s)
{
  if (!s.box.periodic) return;
  const Residue *previous = nullptr;
  for (Residue &r : s.residues) {
    if (r.atoms.empty()) continue;
    const bool peptide = is_peptide_residue(r);
    if (peptide && previous && previous->chain == r.chain && is_peptide_residue(*previous)) {
      const Vec3 &c = previous->atoms[previous->find_atom("C")].position;
      const Vec3 shift = c + s.box.minimum_image(r.atoms[0].position - c) - r.atoms[0].position;
      r.atoms[0].position += shift;
    }
    for (std::size_t i = 1; i < r.atoms.size(); ++i) {
      const Vec3 &before = r.atoms[i - 1].position;
      r.atoms[i].position = before + s.box.minimum_image(r.atoms[i].position - before);
    }
    previous = &r;
  }
}

}    // namespace BACKMAP
