/* BACKMAP core: a simple bonded CG model for proteins so that LAMMPS can run a Martini 3
   protein with its own styles: harmonic bonds within residues and along the backbone, and an
   elastic network between backbone beads (as martinize2's -elastic does), all at the lengths
   of the starting structure. Not a validated force field: a test bed for fix backmap. */
#ifndef BACKMAP_ELASTIC_NETWORK_H
#define BACKMAP_ELASTIC_NETWORK_H

#include "structure.h"

#include <vector>

namespace BACKMAP {

struct CgBond {
  int a, b;            // bead indices in structure order (0-based)
  double length;       // Angstrom, from the structure
  double stiffness;    // kcal/mol/A^2 (LAMMPS harmonic K: E = K (r - r0)^2)
};

struct ElasticNetworkOptions {
  double cutoff = 9.0;              // A: backbone pairs closer than this are joined (|i - j| > 2)
  double network_stiffness = 1.2;   // kcal/mol/A^2, about martinize2's 500 kJ/mol/nm^2 (E = k/2 ...)
  double bond_stiffness = 10.0;     // residue-internal and consecutive backbone bonds
};

// `backbone` names the backbone bead (BB in Martini 3).
std::vector<CgBond> elastic_network(const Structure &cg, const ElasticNetworkOptions &options,
                                    const std::string &backbone = "BB");

}    // namespace BACKMAP

#endif
