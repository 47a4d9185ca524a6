/* BACKMAP core, forcefield layer: applying vermouth's [ link ]s to a coarse-grained molecule, as
   martinize2's DoLinks does.

   A link matches where its nodes can be put on distinct beads such that
     - each bead has the node's attributes (atomname, resname, cgsecstruct, ...; choices allowed),
     - two nodes are joined by a link edge exactly when their beads are bonded (the link is an
       induced subgraph of the molecule's bond graph; a link's bonds, constraints, angles and
       proper dihedrals make its edges),
     - the residue numbers follow the nodes' orders (+1 the next residue, > any later one),
     - no bead has a neighbour that a [ non-edges ] line forbids, and one [ patterns ] line (when
       there are any) holds,
   and the molecule's meta data has the link's [ molmeta ]. Links are applied in the force
   field's order; for every match the link's removals ([ !bonds ] ...) take away the first term
   they fit, and its terms are added or replace the term with the same atoms and version. */
#ifndef BACKMAP_VERMOUTH_LINKS_H
#define BACKMAP_VERMOUTH_LINKS_H

#include "cg_molecule.h"
#include "vermouth_force_field.h"

#include <vector>

namespace BACKMAP {

// Every placement of the link on the molecule: per link node (in FfLink::nodes order), its bead.
std::vector<std::vector<int>> match_link(const CgMolecule &molecule, const FfLink &link);

// The text of a parameter for one match: as written, or measured from the bead positions (nm,
// degrees) and formatted as the parameter asks (dihphase is the dihedral minus 180 degrees).
std::string evaluate_parameter(const FfParameter &parameter, const CgMolecule &molecule, const FfLink &link,
                               const std::vector<int> &match);

// Applies every link of the force field, in order. FileError at the link's line for a pattern
// or parameter that names a node the link does not have.
void apply_links(CgMolecule &molecule, const VermouthForceField &force_field);

}    // namespace BACKMAP

#endif
