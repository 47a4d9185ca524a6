#include "elastic_network.h"

#include "peptide_link.h"

namespace BACKMAP {

std::vector<CgBond> elastic_network(const Structure &cg, const ElasticNetworkOptions &o, const std::string &backbone)
{
  std::vector<CgBond> bonds;
  struct Backbone {
    int bead, residue;
    const Residue *r;
  };
  std::vector<Backbone> bb;
  std::vector<Vec3> x;
  int index = 0;
  for (std::size_t ri = 0; ri < cg.residues.size(); ++ri) {
    const Residue &r = cg.residues[ri];
    const int first = index;
    for (std::size_t a = 0; a < r.atoms.size(); ++a) {
      x.push_back(r.atoms[a].position);
      if (r.atoms[a].name == backbone) bb.push_back({index, static_cast<int>(ri), &r});
      ++index;
    }
    // every pair of beads inside a residue keeps its distance
    for (int a = first; a < index; ++a)
      for (int b = a + 1; b < index; ++b) bonds.push_back({a, b, (x[a] - x[b]).norm(), o.bond_stiffness});
  }
  for (std::size_t i = 0; i < bb.size(); ++i)
    for (std::size_t j = i + 1; j < bb.size(); ++j) {
      const bool same_chain = bb[i].r->chain == bb[j].r->chain && bb[i].r->molecule == bb[j].r->molecule;
      const long gap = static_cast<long>(j - i);
      const double d = (x[bb[i].bead] - x[bb[j].bead]).norm();
      if (same_chain && gap == 1 && d < max_backbone_bead_link) bonds.push_back({bb[i].bead, bb[j].bead, d, o.bond_stiffness});
      else if (same_chain && gap > 2 && d < o.cutoff) bonds.push_back({bb[i].bead, bb[j].bead, d, o.network_stiffness});
    }
  return bonds;
}

}    // namespace BACKMAP
