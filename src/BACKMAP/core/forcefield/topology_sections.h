/* BACKMAP core, forcefield layer: the contents of a GROMACS topology as plain structs, by section.
   Also grompp's table of how many atoms and parameters each bonded function takes. */
#ifndef BACKMAP_TOPOLOGY_SECTIONS_H
#define BACKMAP_TOPOLOGY_SECTIONS_H

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
  // set by the LAMMPS writer only (lammps_carried_sites.h): the atom type of a virtual site that
  // sits exactly on this atom and that LAMMPS gets as part of it; empty otherwise
  std::string carried_site_type;
  // set by the LAMMPS writer only (lammps_rigid_frames.h): a member of a rigid body (an atom of a
  // constrained frame that builds virtual sites, or such a site)
  bool rigid_body = false;
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
