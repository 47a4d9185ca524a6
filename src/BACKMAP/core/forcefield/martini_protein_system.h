/* BACKMAP core, forcefield layer: a Martini 3 protein system for GROMACS and LAMMPS from martinize2's
   rules (martinize_protein): the protein molecules as PREFIX.itp, in an orthorhombic box around
   them, optionally in Martini water with NA/CL ions (martini_solvation), written by
   write_martini_system (PREFIX.top/.itp/.gro and the LAMMPS files, the data file naming every
   bead as fix backmap reads a topology). */
#ifndef BACKMAP_MARTINI_PROTEIN_SYSTEM_H
#define BACKMAP_MARTINI_PROTEIN_SYSTEM_H

#include "martini_system.h"
#include "martinize_protein.h"

#include <string>
#include <vector>

namespace BACKMAP {

struct ProteinSystemOptions {
  MartiniSystemOptions solvent;     // water, ion pairs, neutralisation
  double padding = 10.0;            // A between the protein's extent and the box faces
  std::vector<std::string> header;  // comment lines at the top of the .itp (how it was made)
};

// The protein in an orthorhombic box as large as its extent plus `padding` on every side, its
// coordinates those of the input (periodic images wrap the rest), with the Martini 3 itps of
// `martini_dir` (find_martini_folder), and water and ions where asked. Residues keep the input's
// chains, numbers and names; beads are in the itp's order.
MartiniSystem build_martini_protein_system(const MartinizedProtein &protein, const std::string &input,
                                           const std::string &martini_dir, const ProteinSystemOptions &options);

}    // namespace BACKMAP

#endif
