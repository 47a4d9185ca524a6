/* BACKMAP core: how good a backmapped structure is against its atomistic truth (METHOD.md,
   section 3). Atoms are matched by chain, residue number, insertion code and atom name;
   RMSD is in place (the beads fix the frame, no superposition). */
#ifndef BACKMAP_METRICS_H
#define BACKMAP_METRICS_H

#include "mapping_set.h"
#include "structure.h"

#include <map>
#include <string>
#include <vector>

namespace BACKMAP {

struct StructureMetrics {
  long matched_atoms = 0, backbone_atoms = 0, side_chain_atoms = 0;
  double rmsd_backbone = 0, rmsd_side_chain = 0, rmsd_all = 0;    // Angstrom, heavy atoms
  long symmetric_swaps = 0;    // residues whose symmetric atoms were swapped before scoring
  long bonds = 0, bonds_off = 0;          // bonds more than 0.1 A from the reference length
  long angles = 0, angles_off = 0;        // bond angles more than 10 degrees from the reference
  long chiral_centres = 0, chirality_errors = 0;    // CA of non-glycine residues
  long peptide_bonds = 0, cis_errors = 0;           // omega cis/trans differing from the reference
  long clashes = 0;                                 // non-bonded heavy pairs closer than 2.2 A
  // molecules other than amino acids (lipids, sterols, ligands):
  long tetrahedral_centres = 0, inversions = 0;     // heavy atoms with 3+ heavy neighbours, not planar
  long double_bonds = 0, double_bond_errors = 0;    // C=C (reference < 1.40 A): cis/trans differing
  // squared error summed and atoms matched per molecule kind, each residue apart (per-residue
  // RMSDs, for medians per lipid)
  std::map<std::string, std::vector<double>> residue_rmsd;
};

// Order parameters S = <(3 cos^2 theta - 1) / 2> of the phospholipid tail C-C bonds against the z axis
// (the membrane normal), per molecule and bond (C22-C23 is bond "C22-C23"), averaged over the
// molecules of a frame: from heavy atoms, so S_CC rather than S_CH.
std::map<std::string, std::map<std::string, double>> tail_order_parameters(const Structure &s,
                                                                          const MappingSet &mappings);

// Heavy atoms of a molecule that are one another's equals (bonded to one atom, same element,
// no heavy neighbours of their own), so any permutation of their names is the same molecule:
// the choline methyls and the phosphate's free oxygens of the phospholipids, cholesterol's two
// terminal methyls. Scored under
// their best permutation here, and learnt so in training.
std::vector<std::vector<std::string>> interchangeable_atoms(const std::string &molecule);

// Adds `m` to `total`: counts summed, RMSDs combined as root of the pooled mean square.
void accumulate(StructureMetrics &total, const StructureMetrics &m);

// Symmetric atoms (PHE/TYR ring halves, ASP OD1/OD2, GLU OE1/OE2, ARG NH1/NH2) are swapped
// in the prediction when that lowers the residue's error; bonds come from `mappings`.
// `geometry` false: the RMSDs and atom counts only (bonds, angles, chirality, cis/trans and
// clashes stay 0), what compute backmap/rmsd reports, at a fraction of the cost.
StructureMetrics compare_structures(const Structure &reference, const Structure &predicted,
                                    const MappingSet &mappings, bool geometry = true);

// Backbone and side-chain dihedrals (degrees) of every residue that has the atoms.
struct Dihedrals {
  std::vector<double> phi, psi, chi1, chi2;
  std::vector<std::pair<double, double>> phi_psi;
};
Dihedrals protein_dihedrals(const Structure &s, const MappingSet &mappings);

// KL(reference || predicted) of two angle samples on [-180, 180), `bins` bins, 2D for pairs;
// a small pseudo-count keeps empty bins finite.
double kl_divergence(const std::vector<double> &reference, const std::vector<double> &predicted, int bins = 36);
double kl_divergence_2d(const std::vector<std::pair<double, double>> &reference,
                        const std::vector<std::pair<double, double>> &predicted, int bins = 36);

double dihedral_degrees(const Vec3 &a, const Vec3 &b, const Vec3 &c, const Vec3 &d);

}    // namespace BACKMAP

#endif
