#include "backmapping.h"

#include "reconstruction.h"

#include <stdexcept>

namespace BACKMAP {

Structure place_frame_atoms(const Structure &cg, const PreparedFrame &prepared, const std::vector<Vec3> &vectors,
                            int slots)
{
  Structure out;
  out.title = cg.title;
  out.box = cg.box;
  for (std::size_t ri = 0; ri < prepared.residues.size(); ++ri) {
    const FrameResidue &fr = prepared.residues[ri];
    const MoleculeMapping &m = *fr.mapping;
    const bool chain_end = !continues_chain(prepared, ri);
    const Residue &source = cg.residues[fr.cg_residue];
    std::vector<Vec3> beads(m.beads.size());
    for (std::size_t b = 0; b < m.beads.size(); ++b) beads[b] = prepared.frame.positions[fr.first_bead + b];
    std::vector<Vec3> v(m.placements.size());
    for (std::size_t p = 0; p < m.placements.size(); ++p) {
      v[p] = vectors[(fr.first_bead + m.placements[p].bead) * slots + m.placements[p].slot];
      // a corrupted model or an input far from anything seen in training: never a file of NaN
      if (!v[p].allFinite())
        throw std::runtime_error("the network's vector for atom " + m.atoms[m.placements[p].atom].name + " of bead " +
                                 m.beads[m.placements[p].bead].name + " in residue " + source.label() +
                                 " is not finite (a damaged model file, or beads far from any training geometry)");
    }
    const std::vector<Vec3> placed = place_atoms(m, beads, v);
    Residue r = source.without_atoms();
    for (std::size_t k = 0; k < m.atoms.size(); ++k) {
      if (!placed[k].allFinite()) continue;
      if (m.atoms[k].optional && !chain_end) continue;    // the C-terminal oxygen only where the chain ends
      Atom a;
      a.name = m.atoms[k].name;
      a.element = m.atoms[k].element;
      a.position = placed[k];
      r.atoms.push_back(a);
    }
    out.residues.push_back(std::move(r));
  }
  return out;
}

}    // namespace BACKMAP
