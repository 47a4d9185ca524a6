/* BACKMAP core, forcefield layer: the atom facts GoMartini's contact map is built on (the OV + rCSU
   scheme of Wolek, Gomez-Sicilia and Cieplak, J. Chem. Phys. 143, 243105 (2015), the contact
   classes of Sobolev et al.'s CSU program, as martinize2 -go uses them): per amino-acid heavy atom
   a van der Waals radius and a chemical class, and for a pair of classes what kind of contact
   they make. Atoms the table does not know (hydrogens, other molecules' atoms) have radius 0 and
   class 0: they still take surface points from their neighbours, but count for nothing. */
#ifndef BACKMAP_GO_ATOM_CLASSES_H
#define BACKMAP_GO_ATOM_CLASSES_H

#include <string>

namespace BACKMAP {

// The chemical classes of the CSU scheme (1-8; 0: none).
enum GoAtomClass : int {
  go_no_class = 0,
  go_donor_acceptor = 1,    // OH of Ser/Thr/Tyr, His ring N
  go_acceptor = 2,          // carbonyl and carboxyl O
  go_donor = 3,             // amide and amine N
  go_hydrophobic = 4,       // aliphatic C
  go_aromatic = 5,          // ring C
  go_neutral = 6,           // carbonyl C, Cys S, ...
  go_neutral_donor = 7,     // C next to a donor N (CA, Arg CD, Lys CE)
  go_neutral_acceptor = 8,  // Met SD
};

struct GoAtomFacts {
  double radius = 0.0;    // Angstrom
  int atom_class = go_no_class;
};

// The largest radius in the table (Angstrom): the reach of every search.
constexpr double go_largest_radius = 1.88;

// The facts of atom `atom` of residue `residue`, names as PDB or CHARMM/GROMACS write them:
// protonation and naming variants count as their amino acid (HSD, HIE, HIP ... as HIS; CYX as
// CYS; ASH/ASPP as ASP; GLH/GLUP as GLU; LYN/LSN as LYS), Ile's CD1 as CD, the C-terminal OT1,
// OC1, O1 as O and OT2, OC2, O2 as OXT. Unknown residue or atom: radius 0, class 0.
GoAtomFacts go_atom_facts(const std::string &residue, const std::string &atom);

// What a surface point of an atom of class `a` covered by an atom of class `b` counts as.
enum class GoContactKind { None, Stabilising, Destabilising, Other };
GoContactKind go_contact_kind(int a, int b);

}    // namespace BACKMAP

#endif
