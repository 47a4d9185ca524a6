/* BACKMAP core, forcefield layer: one molecule type as LAMMPS gets it, with its bond graph and exclusions.
   LAMMPS's special_bonds reach atoms by bonds; the graph must exclude exactly what GROMACS excludes. */
#ifndef BACKMAP_LAMMPS_MOLECULE_GRAPH_H
#define BACKMAP_LAMMPS_MOLECULE_GRAPH_H

#include "lammps_bonded_terms.h"

#include <set>
#include <utility>
#include <vector>

namespace BACKMAP::lammps_writer {

// One [ pairs ] line of the molecule type with its resolved Lennard-Jones.
struct PairDraft {
  int i = 0, j = 0;        // 0-based atoms of the molecule
  double sigma = 0.0, epsilon = 0.0;    // nm, kJ/mol (the resolved 1-4 Lennard-Jones)
  const BondedTerm *term = nullptr;
};

// One [ cmap ] term: its five atoms and its grid.
struct CmapDraft {
  std::vector<int> atoms;
  int grid = 0;            // index into the used grids
};

// One molecule type as LAMMPS gets it, built once for all its copies.
struct MoleculeModel {
  const MoleculeType *type = nullptr;
  std::vector<int> atom_types;    // LAMMPS atom type of each atom
  std::vector<Draft> bonds, angles, dihedrals, impropers;
  std::vector<PairDraft> pairs;
  std::vector<CmapDraft> cmaps;
  std::vector<std::vector<int>> neighbours;    // bonded neighbours
  std::set<std::pair<int, int>> three_bonds_apart;
};

// The molecule's bond graph: LAMMPS excludes or scales atoms up to three bonds apart, GROMACS
// excludes atoms up to nrexcl bonds apart; both must name the same atoms.
// FileError where nrexcl would make them differ.
void build_graph(MoleculeModel &model);

// Without [ pairs ], special_bonds gives factor 0 to atoms up to `depth` bonds apart in LAMMPS's
// bond graph and 1 beyond; GROMACS excludes atoms up to nrexcl chemical bonds apart ([ bonds ] and
// [ constraints ] function 1) and the [ exclusions ] pairs. Exclusions not already made by nrexcl
// become K = 0 bonds; then the two sets of excluded pairs must be one.
void build_exclusions(MoleculeModel &model, int special_depth);

}    // namespace BACKMAP::lammps_writer

#endif
