/* BACKMAP core, forcefield layer: a GROMACS topology (.top/.itp) read into plain structs, and the
   look-up of bonded parameters from its *types sections as grompp does it. */
#ifndef BACKMAP_TOPOLOGY_FILE_H
#define BACKMAP_TOPOLOGY_FILE_H

#include "topology_preprocessor.h"

#include <map>
#include <string>
#include <vector>

namespace BACKMAP {

// [ defaults ]
struct TopologyDefaults {
  int nbfunc = 1;              // 1 Lennard-Jones, 2 Buckingham
  int comb_rule = 1;           // 1: V, W are c6, c12; 2: sigma, epsilon, arithmetic sigma; 3: geometric
  bool gen_pairs = false;      // 1-4 pairs without a [ pairtypes ] line are made from the atom types
  double fudge_lj = 1.0;       // factor on generated 1-4 Lennard-Jones (on epsilon for comb-rule 2, 3)
  double fudge_qq = 1.0;       // factor on 1-4 electrostatics
  double power = 12.0;         // optional sixth column: the repulsion power
};

// One line of [ atomtypes ].
struct AtomType {
  std::string name;
  std::string bond_type;       // the bonded type column; the name itself where there is none
  int atomic_number = -1;      // -1 where the column is absent
  double mass = 0.0;
  double charge = 0.0;
  char particle_type = 'A';    // A atom, S shell, V (or D) virtual site, B bond
  std::vector<double> nonbonded;    // V W (c6 c12 or sigma epsilon, by comb-rule); a b c for Buckingham
  std::string path;
  int line = 0;
};

// One line of [ bondtypes ], [ pairtypes ], [ angletypes ], [ dihedraltypes ],
// [ constrainttypes ] or [ nonbond_params ]. Dihedral types always have four names: the
// two-name forms become "X A B X" (propers) and "A X X B" (function 2 impropers), as in grompp.
struct InteractionType {
  std::vector<std::string> types;    // bonded type names ("X": any); atom type names for pairs and nonbond_params
  int function = 0;
  std::vector<double> parameters;
  std::string path;
  int line = 0;
};

// One [ cmaptypes ] entry: the five bonded types, and the energy grid (grid_x * grid_y values,
// kJ/mol, row by row as in the file).
struct CmapType {
  std::vector<std::string> types;
  int function = 1;
  int grid_x = 0;
  int grid_y = 0;
  std::vector<double> values;
  std::string path;
  int line = 0;
};

// One line of [ atoms ]. Charge and mass default to the atom type's where the line has none.
struct TopologyAtom {
  int nr = 0;                  // 1-based, consecutive in a molecule type
  std::string type;
  int resnr = 0;
  char insertion_code = ' ';   // a letter after resnr, e.g. 27A
  std::string residue;
  std::string atom;            // the atom name
  int cgnr = 0;
  double charge = 0.0;
  double mass = 0.0;
  bool charge_given = false;
  bool mass_given = false;
  std::string type_b;          // free-energy B state; empty where the line has none
  double charge_b = 0.0;
  double mass_b = 0.0;
  std::string path;
  int line = 0;
};

// One line of a bonded section of a molecule type: 1-based atom indices as in the file, the
// function type (1 where the line gives none, as grompp) and the parameters the line gives
// (empty: they come from the *types sections). For [ settles ] atoms is the oxygen alone; for
// [ virtual_sitesn ] it is the site and then the atoms it is built from (function 3: weights in
// parameters).
struct BondedTerm {
  std::vector<int> atoms;
  int function = 1;
  std::vector<double> parameters;
  std::string path;
  int line = 0;
};

struct MoleculeType {
  std::string name;
  int nrexcl = 0;
  std::vector<TopologyAtom> atoms;
  std::vector<BondedTerm> bonds, pairs, pairs_nb, angles, dihedrals, cmap, constraints, settles;
  std::vector<BondedTerm> virtual_sites1, virtual_sites2, virtual_sites3, virtual_sites4, virtual_sitesn;
  std::vector<BondedTerm> position_restraints, distance_restraints, dihedral_restraints,
      orientation_restraints, angle_restraints, angle_restraints_z;
  std::vector<BondedTerm> polarization, water_polarization, thole_polarization;
  std::vector<std::vector<int>> exclusions;    // each: an atom, then the atoms excluded from it
  std::string path;
  int line = 0;

  // The terms of a bonded section by its name ("bonds", "dihedrals", "virtual_sites3", ...);
  // nullptr for a name that is not one.
  const std::vector<BondedTerm> *terms(const std::string &section) const;
  std::vector<BondedTerm> *terms(const std::string &section);
  double charge() const;
  double mass() const;
};

// One line of [ molecules ].
struct MoleculeCount {
  std::string name;
  int count = 0;
  std::string path;
  int line = 0;
};

struct Topology {
  TopologyDefaults defaults;
  bool has_defaults = false;
  std::vector<AtomType> atomtypes;     // a name defined again replaces the earlier line, as in grompp
  std::vector<InteractionType> bondtypes, pairtypes, angletypes, dihedraltypes, constrainttypes, nonbond_params;
  std::vector<CmapType> cmaptypes;
  std::vector<MoleculeType> moleculetypes;
  // [ intermolecular_interactions ]: bonded sections whose atom indices count through the whole
  // system; empty name where the topology has none.
  MoleculeType intermolecular;
  std::string system;                  // [ system ] title
  std::vector<MoleculeCount> molecules;

  const AtomType *find_atomtype(const std::string &name) const;
  const MoleculeType *find_moleculetype(const std::string &name) const;
  // Over [ molecules ]: atoms, total charge and total mass of the system.
  long atom_count() const;
  double charge() const;
  double mass() const;
};

// Reads a topology and all it includes; FileError "PATH:LINE: what" for unknown sections, wrong
// column counts, non-numbers where numbers belong, unknown atom or bonded types, atoms not
// numbered 1, 2, ..., atom indices out of range, and molecules never defined.
Topology read_topology(const std::string &path, const PreprocessorOptions &options = {});
// The same for lines already preprocessed.
Topology parse_topology(const std::vector<TopologyLine> &lines);

// One interaction as grompp makes it: a [ dihedrals ] line of function 9 whose types match a
// block of several [ dihedraltypes ] lines gives one per line.
struct ResolvedTerm {
  const BondedTerm *term = nullptr;
  std::vector<double> parameters;      // state A only
};

// The *types sections of a topology arranged for look-ups as grompp does them (built once; keeps
// a reference to the topology, which must outlive it):
//  - by the atoms' bonded types (the atom type's bond_type), either direction;
//  - bonds, angles, constraints and other non-dihedrals: the first line that matches exactly;
//  - dihedrals of functions 1, 9 (one table), 2, 3 and 4: the first line with the most
//    non-wildcard matches, "X" matching anything; for function 9 the adjacent lines with the same
//    four types that follow it are further terms of the same dihedral;
//  - a later types line for the same types replaces the parameters of the earlier one, except a
//    function 9 line right after one for the same types, which adds a term;
//  - pairs by the atom types (not the bonded ones): [ pairtypes ], else with gen-pairs generated
//    from the two atom types by comb-rule ([ nonbond_params ] taking precedence), the
//    Lennard-Jones scaled by fudgeLJ (epsilon only for comb-rule 2 and 3);
//  - CMAP by the five bonded types in order.
class ParameterLookup {
 public:
  explicit ParameterLookup(const Topology &topology);

  // The parameters grompp gives one term of `section` ("bonds", "pairs", "angles", "dihedrals",
  // "constraints", "cmap", "settles", "virtual_sites2", ...) of `molecule`: the line's own, else
  // those of the types sections (several sets for a multi-term function 9 dihedral). For "cmap"
  // the one set is the grid; for terms whose function has no parameters, one empty set; for a
  // virtual site without any, none (grompp works those out from bonds and angles). FileError at
  // the term's line where nothing matches.
  std::vector<std::vector<double>> resolve(const MoleculeType &molecule, const std::string &section,
                                           const BondedTerm &term) const;
  // Every term of a section with its parameters as grompp puts them into a .tpr: function 9
  // dihedrals expanded; left out, as grompp does: angles, dihedrals and restraints whose
  // parameters are all zero, and periodic dihedrals (functions 1, 4, 9) and angle restraints
  // whose force constant is zero.
  std::vector<ResolvedTerm> resolve_all(const MoleculeType &molecule, const std::string &section) const;
  // The [ cmaptypes ] entry of a CMAP term; FileError at the term's line where none matches.
  const CmapType &cmap_type(const MoleculeType &molecule, const BondedTerm &term) const;

 private:
  struct Entry {
    std::vector<int> types;            // bonded type ids; -1 is the wildcard X
    std::vector<double> parameters;
  };
  using Table = std::vector<Entry>;

  int type_id(const std::string &name) const;
  std::vector<int> bonded_types(const MoleculeType &molecule, const BondedTerm &term) const;
  void add_types(const std::string &table, const InteractionType &line, bool repeat);
  static std::vector<std::size_t> matching_dihedral_lines(const Table &table, const std::vector<int> &types);
  std::vector<std::vector<double>> from_types(const MoleculeType &molecule, const std::string &section,
                                              const BondedTerm &term) const;
  std::vector<double> pair_parameters(const MoleculeType &molecule, const BondedTerm &term) const;
  std::vector<double> generated_pair(const AtomType &a, const AtomType &b) const;

  const Topology &topology_;
  std::map<std::string, int> type_ids_;      // bonded type name -> id
  std::map<std::string, int> atom_type_ids_; // atom type name -> the id of its bonded type
  std::map<std::string, Table> tables_;      // "bonds:1", "dihedrals:1" (functions 1 and 9), ...
  std::map<std::pair<std::string, std::string>, std::vector<double>> pair_types_, nonbond_params_;
};

// How many atoms a bonded section's lines name before the function type, and how many
// parameters (state A, state B) its function takes; false for an unknown section or function.
struct FunctionShape {
  int atoms = 0;
  int parameters_a = 0;
  int parameters_b = 0;
};
bool function_shape(const std::string &section, int function, FunctionShape &shape);

}    // namespace BACKMAP

#endif
