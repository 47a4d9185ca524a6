/* BACKMAP core, forcefield layer: a Martini 3 system made from a CG structure, for GROMACS and LAMMPS alike.
   Its residues matched to the itps' molecules, optionally solvated (martini_solvation), and
   written as PREFIX.top/.gro and the LAMMPS files of lammps_system_writer (Martini 3's reaction
   field), whose data file also names every bead the way fix backmap reads a topology. */
#ifndef BACKMAP_MARTINI_SYSTEM_H
#define BACKMAP_MARTINI_SYSTEM_H

#include "lammps_system_writer.h"
#include "martini_itps.h"
#include "structure.h"

#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace BACKMAP {

struct MartiniSystemOptions {
  bool solvate = false;           // fill the (orthorhombic) box with Martini water
  int ion_pairs = 0;              // NA/CL pairs in place of W beads; needs solvate
  double water_distance = 4.3;    // A: no W closer than this to a bead of the input
  bool neutralize = false;        // NA or CL in place of further W beads, to a total charge of 0
};

// One [ molecules ] line.
struct MartiniMoleculeRun {
  std::string name;
  int count = 0;
};

struct MartiniSystem {
  std::string input;                       // the CG structure's path, for messages and the .top
  std::string folder;                      // the Martini 3 itps (absolute)
  Structure structure;                     // the input's residues with the itps' bead order and residue
                                           // names (no chains), then W, NA and CL; titled
  std::vector<MartiniMoleculeRun> molecules;
  std::set<std::string> itp_files;         // the itps the molecules come from
  std::string own_itp;                     // molecules written for this system (PREFIX.itp), e.g. a protein
  // force-field additions of this system's own, each (file suffix, text), written as PREFIX + suffix
  // and included right after the Martini itps: GoMartini's "_go_atomtypes.itp", "_go_nbparams.itp"
  std::vector<std::pair<std::string, std::string>> parameter_itps;
  std::size_t solute_beads = 0, water_beads = 0;
  double charge = 0.0;                     // total, from the itps' charges
  std::size_t ion_beads() const;           // NA and CL
};

// Every residue of `cg` (read from `input`) made a molecule of the Martini 3 itps in `martini_dir`
// (found by find_martini_folder): its own name; else, through the martini3 mapping set, the name
// or an alias of the mapping whose beads it has (POP with NH3 is POPE, CHL1 is CHOL); else, for a
// one-bead residue, the bead's name. Then water and ions where asked. Checked before anything is
// written: FileError at `input` naming the residue where no molecule fits, its beads are not the
// itp's, or the molecule cannot be written (virtual sites other than virtual_sites3/n, several
// residues); for no residues or no periodic box.
MartiniSystem build_martini_system(const Structure &cg, const std::string &input, const std::string &martini_dir,
                                   const MartiniSystemOptions &options);

struct MartiniSystemFiles {
  std::string top, gro, itp;    // itp empty when the system has no molecules of its own
  std::vector<std::string> parameter_itps;    // the system's parameter_itps, in order
  LammpsSystemFiles lammps;
};

// Writes PREFIX.top (#include of the itps, of the parameter itps and of PREFIX.itp when the
// system has molecules of its own, [ molecules ]), PREFIX.itp, the parameter itps, PREFIX.gro and
// the LAMMPS files, these from what GROMACS reads (the .top, the coordinates rounded as in the
// .gro), with the data file's atom comments "# CHAIN RESNUM RESNAME BEAD" (chain "-" where none)
// for fix backmap (virtual sites the LAMMPS files carry on their atom have no line there). Refuses outputs that would
// overwrite the input; a failure removes every output.
MartiniSystemFiles write_martini_system(const MartiniSystem &system, const std::string &prefix);

}    // namespace BACKMAP

#endif
