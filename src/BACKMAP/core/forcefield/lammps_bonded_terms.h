/* BACKMAP core, forcefield layer: GROMACS bonded terms as LAMMPS bond, angle, dihedral and improper styles.
   One Draft per term of a molecule type, before the writer numbers the LAMMPS types. */
#ifndef BACKMAP_LAMMPS_BONDED_TERMS_H
#define BACKMAP_LAMMPS_BONDED_TERMS_H

#include "parameter_lookup.h"
#include "topology_sections.h"

#include <string>
#include <vector>

namespace BACKMAP::lammps_writer {

// One bonded term of a molecule type before it has a LAMMPS type: 0-based atoms of the molecule,
// the style it is written with and its coefficients (LAMMPS units).
struct Draft {
  std::vector<int> atoms;
  std::string style;
  std::string coefficients;
  std::string comment;
  bool charmm = false;     // a dihedral charmm term, which may carry a 1-4 pair
  double weight = 0.0;     // its 1-4 weight
  std::string kind = "";   // "" a force-field term; "constraint" or "exclusion": bonds standing for those
  // GROMACS's energy of the term minus LAMMPS's (kcal/mol): a constant where the term is written
  // as a sum that leaves one out (dihedrals with a phase that is not a whole number of degrees)
  double constant = 0.0;
  // angle table (restricted bending): theta0 (degrees) and k (kJ/mol) of its section
  double table_theta0 = 0.0, table_k = 0.0;
};

// The keyword of an angle table section for restricted bending with theta0 (degrees) and k (kJ/mol).
std::string restricted_bending_keyword(double theta0, double k);

// "PATH:LINE" of a topology term, for comments and messages.
std::string where(const BondedTerm &term);
// FileError at the term's file and line.
[[noreturn]] void fail_term(const BondedTerm &term, const std::string &what);

// The atoms' GROMACS types joined by "-" (atoms 0-based in the molecule), for comments.
std::string atom_names(const MoleculeType &m, const std::vector<int> &atoms);
// The term's atoms, 0-based.
std::vector<int> zero_based(const BondedTerm &term);

// The sections nothing here writes: any line in them would change the energy unseen. Constraints
// and [ exclusions ] are written only where special_bonds follows GROMACS's exclusions (no [ pairs ]).
void check_unsupported_sections(const MoleculeType &m, bool exclusions_only);

// bonds 1 -> bond harmonic, 5 -> a K = 0 bond (a connection); FileError for other functions.
Draft bond_draft(const MoleculeType &m, const ResolvedTerm &r);
// A constraint as a stiff harmonic bond (and, with Shake, the bond fix shake holds at r0).
Draft constraint_draft(const MoleculeType &m, const ResolvedTerm &r, double force_constant);
// angles 1 and 5 -> angle harmonic or charmm (charmm: every angle, K_ub 0 where not 5), 2 -> cosine/squared,
// 10 (restricted bending) -> angle table, a section of the file `angle_table`.
Draft angle_draft(const MoleculeType &m, const ResolvedTerm &r, bool charmm, const std::string &angle_table);
// The molecule's dihedrals: functions 1, 4, 9 -> dihedral charmm (propers first; a phase that is
// not a whole number of degrees as two terms with phases 0 and 90 and a constant), 3 -> multi/harmonic,
// 2 -> improper harmonic (xi0 0 or 180) or dihedral quadratic (any other xi0).
void add_dihedrals(const ParameterLookup &lookup, const MoleculeType &m, std::vector<Draft> &dihedrals,
                   std::vector<Draft> &impropers);

}    // namespace BACKMAP::lammps_writer

#endif
