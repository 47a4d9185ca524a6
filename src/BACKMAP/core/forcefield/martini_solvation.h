/* BACKMAP core, forcefield layer: Martini water and NA/CL ions around a Martini system's beads. */
#ifndef BACKMAP_MARTINI_SOLVATION_H
#define BACKMAP_MARTINI_SOLVATION_H

#include "martini_system.h"

#include <map>
#include <string>
#include <vector>

namespace BACKMAP {

// Lattice points of an orthorhombic box at Martini water's density, those farther than
// `distance` from every bead of `solute` (periodic), in lattice order.
std::vector<Vec3> water_points(const Structure &solute, double distance);

// Appends a W bead on each water point of the system's structure, NA and CL alternating in place
// of `ion_pairs` pairs of evenly spaced ones (and, with `neutralize`, NA or CL in place of as many
// more as the system's charge, rounded, asks), as residues numbered on from `last_number`, with
// their [ molecules ] lines. std::runtime_error where the itps lack one-bead W, NA or CL, or the
// box has too few water places for the ions.
void add_water_and_ions(MartiniSystem &system, const std::map<std::string, ItpMolecule> &itps,
                        const MartiniSystemOptions &options, int last_number);

}    // namespace BACKMAP

#endif
