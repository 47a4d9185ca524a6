/* BACKMAP core, forcefield layer: GoMartini (Souza et al., Nat. Commun. 16, 4051 (2025)) on a
   Martini protein molecule, as martinize2 -go builds it: one virtual site per residue on its
   backbone bead (virtual_sitesn from that bead alone, so exactly on it), named CA, of an atom type
   of its own (PREFIX_N, N the residue's place in the molecule from 1, no mass, no charge, no
   Lennard-Jones with anything by default); for every residue pair the contact map takes in both
   directions (go_contact_map.h), more than `residue_separation` bonds apart in the residue graph
   (disulfides count) and with backbone beads strictly between `lower` and `upper` apart, a
   Lennard-Jones between the two sites' types ([ nonbond_params ]: sigma = d / 2^(1/6), so that
   its minimum lies at the structure's distance d, and epsilon), and an exclusion between the two
   backbone beads (their Martini interaction gives way to the Go one). */
#ifndef BACKMAP_GO_MODEL_H
#define BACKMAP_GO_MODEL_H

#include "cg_molecule.h"
#include "go_contact_map.h"

#include <string>
#include <vector>

namespace BACKMAP {

// martinize2's -go options (its defaults).
struct GoModelParameters {
  double epsilon = 9.414;         // -go-eps, kJ/mol
  double lower = 0.3;             // -go-low, nm
  double upper = 1.1;             // -go-up, nm
  int residue_separation = 3;     // -go-res-dist
  std::string prefix = "molecule";    // -name: the sites' atom types are PREFIX_1, PREFIX_2, ...
  std::string backbone = "BB";    // -go-backbone
  std::string site_name = "CA";   // -go-atomname
};

// One Go contact: a [ nonbond_params ] line between two sites' atom types.
struct GoPair {
  std::string type_a, type_b;
  double distance = 0.0;          // nm, between the backbone beads
  double sigma = 0.0, epsilon = 0.0;    // nm, kJ/mol
};

struct GoModel {
  std::vector<std::string> site_types;    // in site order
  std::vector<GoPair> pairs;              // in martinize2's order
};

// Adds the sites, the exclusions and the pairs to `molecule`. `map` is the contact map of some
// residues, `residue_of[k]` the molecule's residue for the map's residue k (-1: not in it).
// std::invalid_argument for parameters that cannot be (lower >= upper, epsilon < 0, a negative
// separation, an empty prefix) and naming a residue without a backbone bead.
GoModel add_go_model(CgMolecule &molecule, const std::vector<GoResidueContact> &map, const std::vector<int> &residue_of,
                     const GoModelParameters &parameters);

// The sites' [ atomtypes ] (martinize2's go_atomtypes.itp) and the contacts' [ nonbond_params ]
// (its go_nbparams.itp), for inclusion after the Martini force field's own sections.
std::string go_atomtypes_text(const GoModel &model);
std::string go_nbparams_text(const GoModel &model);

}    // namespace BACKMAP

#endif
