/* BACKMAP core, forcefield layer: a GROMACS force-field folder's residue files as pdb2gmx reads
   them: building blocks (.rtp), hydrogen rules (.hdb), termini (.n.tdb/.c.tdb), residue-name
   tables (.r2b) and atom renamings (.arn). Data only: what to build, not how. */
#ifndef BACKMAP_RESIDUE_DATABASE_H
#define BACKMAP_RESIDUE_DATABASE_H

#include <array>
#include <map>
#include <string>
#include <vector>

namespace BACKMAP {

// `[ bondedtypes ]`: function types of generated terms and how they are generated.
struct BondedTypes {
  int bond = 1, angle = 1, dihedral = 1, improper = 4;
  bool all_dihedrals = false;    // keep every generated dihedral (else one per central bond)
  int exclusions = 3;            // nrexcl
  bool hydrogen_pairs = false;   // generate 1-4 pairs between two hydrogens
  bool remove_dihedrals = false; // drop propers on the central bond of an improper
};

struct BlockAtom {
  std::string name, type;
  double charge = 0;
  int charge_group = 0;
};

// A bonded term written in a building block: atom names (`-C` previous residue, `+N` next)
// and, when given, parameters or a macro name in `parameters`.
struct BlockTerm {
  std::vector<std::string> atoms;
  std::string parameters;
};

struct BuildingBlock {
  std::string name, file;
  int line = 0;                  // where `[ NAME ]` stands
  std::vector<BlockAtom> atoms;
  std::vector<BlockTerm> bonds, angles, dihedrals, impropers, cmap, exclusions;
  int find_atom(const std::string &atom) const;    // -1 when absent
};

// One .hdb (or .tdb [ add ]) line: `count` hydrogens named from `name`, built by rule `type`
// (1-11, the pdb2gmx add types) from the control atoms i, j, k[, l].
struct AddRule {
  int count = 1, type = 1;
  std::string name;
  std::vector<std::string> control;
  std::string file;
  int line = 0;
};

// A terminus (`[ NH3+ ]`, `[ COO- ]`, ...): atoms it removes, retypes and adds.
struct TerminusReplace {
  std::string atom, new_name, type;    // new_name empty: the name stays
  double mass = 0, charge = 0;
};
struct TerminusAdd {
  AddRule rule;                   // the new atoms and how they are placed
  std::string type;
  double mass = 0, charge = 0;
  int charge_group = -1;
};
struct Terminus {
  std::string name, file;
  int line = 0;
  std::vector<std::string> remove;
  std::vector<TerminusReplace> replace;
  std::vector<TerminusAdd> add;
  std::vector<BlockTerm> bonds, angles, dihedrals, impropers;
};

// `.r2b`: the building block a residue name stands for, in the chain's middle, at its start,
// at its end and alone ("-" in the file: no such block).
struct ResidueNames {
  std::string middle, start, end, alone;
};

class ResidueDatabase {
 public:
  // Reads every .rtp, .hdb, .n.tdb, .c.tdb, .r2b and .arn file of a force-field folder
  // (e.g. /usr/share/gromacs/top/amber99sb-ildn.ff); FileError names the file and line of a
  // bad record, or the folder when it holds no building block.
  static ResidueDatabase load(const std::string &force_field_folder);

  const std::string &folder() const { return folder_; }
  const BondedTypes &bonded_types() const { return bonded_; }
  const BuildingBlock *block(const std::string &name) const;
  const std::vector<AddRule> &hydrogens(const std::string &block) const;    // empty when none
  const Terminus *n_terminus(const std::string &name) const;
  const Terminus *c_terminus(const std::string &name) const;
  const std::vector<Terminus> &n_termini() const { return n_termini_; }
  const std::vector<Terminus> &c_termini() const { return c_termini_; }
  // The .r2b entry of a residue name; null when the table does not list it.
  const ResidueNames *residue_names(const std::string &residue) const;
  // The force field's name for an input atom (`.arn`: e.g. ILE CD1 -> CD in CHARMM).
  std::string atom_name(const std::string &block, const std::string &atom) const;
  std::size_t block_count() const { return blocks_.size(); }

 private:
  std::string folder_;
  BondedTypes bonded_;
  std::map<std::string, BuildingBlock> blocks_;
  std::map<std::string, std::vector<AddRule>> hydrogens_;
  std::vector<Terminus> n_termini_, c_termini_;
  std::map<std::string, ResidueNames> residue_names_;
  std::map<std::pair<std::string, std::string>, std::string> renamed_;    // (block or *, atom) -> name

  void read_rtp(const std::string &path);
  void read_hdb(const std::string &path);
  void read_tdb(const std::string &path, std::vector<Terminus> &into);
  void read_r2b(const std::string &path);
  void read_arn(const std::string &path);
};

}    // namespace BACKMAP

#endif
