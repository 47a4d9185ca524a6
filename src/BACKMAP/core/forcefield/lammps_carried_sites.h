/* BACKMAP core, forcefield layer: GROMACS virtual sites that sit exactly on one atom
   ([ virtual_sitesn ] built from that atom alone, as GoMartini's CA sites on their backbone bead)
   carried by that atom in LAMMPS, which has no virtual sites. Exact, not an approximation: the
   site is always where its atom is, and GROMACS hands all of its force to that atom, so the atom
   may as well interact as itself and as its site at once. The atom gets a LAMMPS atom type of its
   own kind (its GROMACS type, mass and charge, and the site's type), whose pair coefficients are
   its GROMACS type's (lj/cut/coul/cut) and, where the two sites' types have a Lennard-Jones
   ([ nonbond_params ]), that as a second sub-style (lj/cut) which ignores exclusions, as the
   sites carry none in GROMACS. The site must have no mass, no charge, no term but its own
   construction, and no Lennard-Jones with any atom type that is not a site's (checked when the
   coefficients are written). Exclusions between two carrying atoms whose site types occur once in
   the whole system (one molecule of the kind, GoMartini's backbone-backbone exclusions) are
   written by type pair, not as K = 0 bonds: no lj/cut/coul/cut between those two LAMMPS types
   (the reaction-field table still acts, as GROMACS's does on excluded pairs), so that no bond
   joins atoms that a breaking Go contact may carry far apart. */
#ifndef BACKMAP_LAMMPS_CARRIED_SITES_H
#define BACKMAP_LAMMPS_CARRIED_SITES_H

#include "structure.h"
#include "topology_sections.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace BACKMAP::lammps_writer {

struct CarriedSites {
  std::vector<long> sites;    // the sites' indices in the GROMACS system (0-based, ascending)
  // site types (sorted pair) whose carrying atoms GROMACS excludes from each other, written by type pair
  std::set<std::pair<std::string, std::string>> excluded_type_pairs;
};

// Whether any molecule type that [ molecules ] uses has a [ virtual_sitesn ] site built from one atom.
bool has_point_sites(const Topology &topology);

// Every such site removed from `topology` (atoms renumbered in every section) and from
// `positions` (one per system atom, in order), its type recorded as the carried_site_type of its
// atom. FileError at the site's line for a site with mass or charge, a site named by another term
// or exclusion, a site built from another site, or an atom carrying two sites.
CarriedSites carry_point_sites(Topology &topology, std::vector<Vec3> &positions);

}    // namespace BACKMAP::lammps_writer

#endif
