/* BACKMAP core, forcefield layer: an all-atom system from heavy atoms, as pdb2gmx builds one:
   each residue gets its force field's building block (residue-name table, termini, histidine
   and disulfide states), its atoms are typed and charged, and every missing hydrogen is put
   where the force field's hydrogen rules say. */
#ifndef BACKMAP_ALL_ATOM_BUILDER_H
#define BACKMAP_ALL_ATOM_BUILDER_H

#include "residue_database.h"
#include "structure.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace BACKMAP {

class BuildError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TypedAtom {
  std::string name, type;
  double charge = 0;
  Vec3 position = Vec3::Zero();
  bool added = false;    // built here (a hydrogen, or a terminal oxygen), not from the input
};

struct TypedResidue {
  std::string name, block, chain;    // input name, building block used (NALA, HSE, CYS2, ...)
  std::string form;                  // the GROMACS residue name chosen for it (HISE, CYS2, ...)
  int number = 0;
  char insertion = ' ';
  bool chain_start = false, chain_end = false;
  std::string n_terminus, c_terminus;    // .tdb entries applied (empty: none)
  std::vector<TypedAtom> atoms;          // in the building block's order
  int find_atom(const std::string &name) const;
};

struct AllAtomSystem {
  std::string force_field;    // the folder the residue database came from
  std::vector<TypedResidue> residues;
  Box box;                    // the input's
  std::vector<std::pair<int, int>> disulfides;    // residue indices whose SG atoms are bonded
  std::size_t atom_count() const;
  std::size_t added_count() const;
  double total_charge() const;
  Structure structure() const;    // for the structure writers
};

struct BuildOptions {
  // .tdb entry names for chain starts and ends; empty: the protein default (NH3+ / COO-, with
  // the residue-specific GLY-NH3+ and PRO-NH2+ where the force field has them). Ignored where
  // the residue-name table gives terminal building blocks of their own (AMBER's NALA, CALA).
  std::string n_terminus, c_terminus;
  double disulfide_min = 1.8, disulfide_max = 2.2;    // Angstrom, S-S (pdb2gmx: 2.0 +- 10 %)
  // A system built before from the same residues (an earlier frame of one trajectory): its
  // chain breaks, histidine states and disulfides are kept instead of being decided again from
  // these coordinates, which a distorted frame can put outside pdb2gmx's windows, so that every
  // frame has the same atoms and terms. Null: decided from the coordinates.
  const AllAtomSystem *same_as = nullptr;
};

// Heavy atoms in, all atoms out; hydrogens in the input are dropped and rebuilt (as
// pdb2gmx -ignh). Chains are the input's chain names. BuildError names the residue and atom
// when a residue has no building block, a heavy atom is missing or unknown, or a hydrogen
// rule cannot be applied.
AllAtomSystem build_all_atom_system(const Structure &heavy, const ResidueDatabase &db, const BuildOptions &options = {});

}    // namespace BACKMAP

#endif
