/* BACKMAP core: LAMMPS data files for CG systems (atom_style full). Each atom line carries a
   comment "# CHAIN RESNUM RESNAME BEAD" so that the file is also the CG topology that
   fix backmap reads: which residue and bead every LAMMPS atom is. */
#ifndef BACKMAP_LAMMPS_DATA_H
#define BACKMAP_LAMMPS_DATA_H

#include "elastic_network.h"
#include "structure.h"

#include <string>
#include <vector>

namespace BACKMAP {

// Atom types are the distinct RESNAME:BEAD pairs in order of appearance.
std::vector<std::string> bead_type_names(const Structure &cg);

// With bonds, a Bonds section and one harmonic bond type per bond (its own length and
// stiffness) follow the atoms.
void write_lammps_data(const Structure &cg, const std::string &path, const std::vector<CgBond> &bonds = {});

// Reads a data file written by write_lammps_data (or one that follows its comment
// convention); positions are unwrapped with the image flags.
Structure read_lammps_data(const std::string &path);

}    // namespace BACKMAP

#endif
