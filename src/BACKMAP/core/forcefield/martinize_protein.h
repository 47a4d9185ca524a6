/* BACKMAP core, forcefield layer: a Martini protein topology built as martinize2 builds it, from
   an atomistic structure mapped to beads (forward_mapping) and vermouth's force-field rules
   (vermouth_force_field): per residue the force field's block (beads, types, charges, bonded
   terms), bonds between residues where their atoms are bonded (martinize2's distance rule, so
   disulfides too), termini as modifications (charged by default), secondary structure per
   residue, then the links (vermouth_links) and optionally martinize2's elastic network, or
   GoMartini's contacts (go_model: all molecules then merged into one, as martinize2 -go does).
   Written as a GROMACS .itp (protein_itp.h). */
#ifndef BACKMAP_MARTINIZE_PROTEIN_H
#define BACKMAP_MARTINIZE_PROTEIN_H

#include "cg_molecule.h"
#include "forward_mapping.h"
#include "go_model.h"
#include "vermouth_force_field.h"

#include <string>
#include <vector>

namespace BACKMAP {

// martinize2's -elastic options (its defaults).
struct ElasticNetworkParameters {
  double force_constant = 700.0;    // -ef, kJ/mol/nm^2
  double lower = 0.0;               // -el, nm: the decay's shift (no effect without -ea)
  double upper = 0.9;               // -eu, nm: no bond beyond
  double decay_factor = 0.0;        // -ea
  double decay_power = 1.0;         // -ep
  double minimum_force = 0.0;       // -em, kJ/mol/nm^2
  int residue_separation = -1;      // -ermd: bead pairs of residues this many bonds apart or fewer
                                    // get none; -1: the force field's (else vermouth's 2)
  std::string unit = "molecule";    // -eunit: molecule, chain, or resid ranges "1:50,60:80"
  std::vector<std::string> beads = {"BB"};    // -eb
};

struct MartinizeOptions {
  // DSSP letters: one per protein residue, or one per residue of a molecule (all molecules
  // alike), or one for all; empty: none (martinize2 without -ss/-dssp: everything coil-like)
  std::string secondary_structure;
  bool side_chain_fixes = true;     // not -noscfix
  bool extended_dihedrals = false;  // -ed
  bool neutral_termini = false;     // -nt
  bool cysteine_bridges = true;     // -cys auto (none: false)
  bool elastic = false;
  ElasticNetworkParameters network;
  bool go = false;                  // -go (not with elastic): contacts from the atomistic input
  GoModelParameters go_model;
};

struct MartinizedProtein {
  std::vector<CgMolecule> molecules;       // named molecule_0, molecule_1, ... in input order
  std::string dssp;                        // the secondary structure used, DSSP letters (all residues)
  std::string martini_secondary_structure; // after vermouth's conversion
  std::size_t elastic_bonds = 0;
  // with go: the one merged molecule's sites and contacts, and the contact map (martinize2's
  // -go-write-file text, and how many ordered pairs it has and takes)
  GoModel go;
  std::string go_contact_map;
  std::size_t go_map_pairs = 0, go_map_taken = 0;
};

// The folders searched for the vermouth martini3001 force field (its 05-aminoacids.ff), in order:
// `given` alone where not empty; else martini3001/ in each force-field folder
// (force_field_search_path) and the shared data beside the repository
// (../shared/data/mappings-src/vermouth-martini3001-forcefield).
std::vector<std::string> martini3001_search_path(const std::string &given);
// That force field: every .ff file of the first folder found, plus BACKMAP's transcription of
// its links (<data>/forcefields/martini3001-links.ff) when none of those files has a [ link ].
// FileError naming `given` when it lacks the files; std::runtime_error listing where it looked.
VermouthForceField load_martini3001_force_field(const std::string &given);

// Builds the molecules of every mapped residue of `fm` (read from `input`). FileError at `input`
// naming the residue for: a residue that is not an amino acid, a residue name without a block in
// the force field (naming the force-field files), beads that are not the block's, a chain whose
// consecutive residues are not bonded (a broken chain), a secondary structure of the wrong
// length or with a letter DSSP does not use. std::invalid_argument for elastic and go together
// and for Go parameters that cannot be.
MartinizedProtein martinize_protein(const ForwardMapping &fm, const VermouthForceField &ff, const MartinizeOptions &options,
                                    const std::string &input);

// The force-field block a residue name stands for: its own name, else a GROMACS/AMBER spelling
// of it (HISD HSD, HISE HSE, HISH HSP, CYX CYS), else the mapping's name; "" where none exists.
std::string block_name_for(const VermouthForceField &ff, const std::string &residue, const std::string &mapping_name);

// martinize2's elastic network on one molecule: bonds between the selected beads closer than
// `upper`, of residues more than `residue_separation` bonds apart in the residue graph, within
// one unit; returns how many were added. std::invalid_argument for a unit it cannot read.
std::size_t add_elastic_network(CgMolecule &molecule, const VermouthForceField &ff, const ElasticNetworkParameters &p);

}    // namespace BACKMAP

#endif
