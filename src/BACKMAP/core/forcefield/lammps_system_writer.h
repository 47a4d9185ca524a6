/* BACKMAP core, forcefield layer: a GROMACS system (topology + coordinates + box) written as
   LAMMPS input files in units real (kcal/mol, Angstrom) with atom_style full.

   Four files come from one prefix, e.g. "run/system":
     system.settings   styles, special_bonds and (CHARMM) the fix cmap: read before read_data
     system.data       atoms, masses, bonds, angles, dihedrals, impropers, CMAP crossterms
     system.coeffs     pair_coeff, bond_coeff, angle_coeff, dihedral_coeff, improper_coeff
     system.cmap       the CMAP grids in fix cmap's format (only when the force field has CMAP)
   and a LAMMPS input uses them, in this order (the comments of system.settings repeat these
   lines with the real file names):
     include         system.settings
     read_data       system.data fix cmap crossterm CMAP     (without "fix ..." when no CMAP)
     include         system.coeffs
   The settings file holds `units`, `atom_style` and the style commands because read_data needs
   them first; the coefficients come after read_data because pair_coeff needs the box; the fix
   cmap must exist before read_data reads the CMAP section.

   Conversions (GROMACS -> LAMMPS): energies / 4.184, lengths x 10;
     bonds 1:       V = kb/2 (r-b0)^2              -> bond harmonic    K = kb/2, r0 = b0
     bonds 5:       connection (no energy)         -> bond harmonic    K = 0 (keeps the exclusions)
     angles 1:      V = kt/2 (t-t0)^2              -> angle harmonic   K = kt/2, t0   (or angle charmm, K_ub 0)
     angles 5:      + kub/2 (r13-rub)^2            -> angle charmm     K = kt/2, t0, K_ub = kub/2, r_ub
     dihedrals 1/4/9: kphi (1+cos(n phi - phis))   -> dihedral charmm  K, n, d = phis (whole degrees), w;
                    one LAMMPS dihedral per term of a multi-term function 9 dihedral
     dihedrals 2:   V = kxi/2 (xi-xi0)^2           -> improper harmonic K = kxi/2, xi0 (0 or 180 only)
     dihedrals 3:   Ryckaert-Bellemans sum Cn cos^n(phi-180) -> dihedral multi/harmonic An = (-1)^(n-1) C(n-1)
     cmap:          24 x 24 grids                  -> fix cmap (at most 6 distinct grids)
     Lennard-Jones: sigma/epsilon (comb-rule 2, 3) or C6/C12 (comb-rule 1), [ nonbond_params ]
                    included: an explicit pair_coeff for every pair of LAMMPS atom types.
   1-4 interactions are written one of two ways, chosen from the topology:
     - scaled: every [ pairs ] line is a generated pair (gen-pairs, no [ pairtypes ] for it) and the
       pairs are exactly the atoms three bonds apart (LAMMPS's 1-4 neighbours), as with AMBER and
       OPLS: `special_bonds lj 0 0 fudgeLJ coul 0 0 fudgeQQ`, dihedral weights 0, any pair style;
     - by dihedral: otherwise (CHARMM's [ pairtypes ], or pairs that are not LAMMPS's 1-4 set):
       `special_bonds lj/coul 0 0 0`, pair lj/charmm/coul/charmm with the 1-4 sigma/epsilon in
       pair_coeff, and weight w = fudgeQQ on exactly one dihedral charmm term per [ pairs ] line (a
       K = 0 dihedral is added where no term is left), 0 on every other; epsilon14 is divided by w
       so that both the 1-4 Lennard-Jones and the 1-4 Coulomb come out as in GROMACS.
   Not written (FileError naming the term): constraints, settles, virtual sites, [ exclusions ],
   [ pairs_nb ], restraints, polarization, intermolecular interactions, Buckingham, free-energy B
   states (ignored: state A only), other bonded functions. */
#ifndef BACKMAP_LAMMPS_SYSTEM_WRITER_H
#define BACKMAP_LAMMPS_SYSTEM_WRITER_H

#include "structure.h"
#include "topology_file.h"

#include <string>
#include <vector>

namespace BACKMAP {

// How the pair interactions end at the cut-off.
enum class LammpsCutoffScheme {
  Plain,          // energies cut at `cutoff` (lj/cut/coul/cut; lj/charmm/coul/charmm switching over the
                  // last 0.001 A where 1-4 terms need the CHARMM pair style)
  CharmmSwitch,   // lj/charmm/coul/charmm: LJ and Coulomb switched off between switch_from and cutoff
};

struct LammpsNonbonded {
  LammpsCutoffScheme scheme = LammpsCutoffScheme::Plain;
  double cutoff = 10.0;         // Angstrom
  double switch_from = 8.0;     // Angstrom; CharmmSwitch only
};

// The force field's own choice where LAMMPS (without KSPACE) can follow it: CHARMM-style
// topologies (1-4 from [ pairtypes ] or CMAP) get lj/charmm switching 10-12 A, others a plain
// 10 A cut-off. Long-range electrostatics are the user's to add.
LammpsNonbonded recommended_nonbonded(const Topology &topology);

struct LammpsWriterOptions {
  LammpsNonbonded nonbonded;
  std::string source;               // named in every file's header, e.g. "topol.top, conf.gro"
  std::string cmap_fix_id = "cmap";
};

// What was written, and how.
struct LammpsSystemFiles {
  std::string data, settings, coeffs, cmap;   // paths; cmap empty without CMAP
  bool one_four_by_dihedral = false;         // 1-4 terms carried by dihedral charmm weights
  std::string pair_style;                    // the pair_style line's arguments
  std::string read_data_line;                // the read_data command the user's input needs
  int atom_types = 0, bond_types = 0, angle_types = 0, dihedral_types = 0, improper_types = 0, cmap_grids = 0;
};

// Writes prefix.settings, prefix.data, prefix.coeffs (and prefix.cmap) for the system of
// `topology` ([ molecules ] in order) at `positions` (Angstrom, one per topology atom in order)
// in `box` (periodic, GROMACS's lower-triangular form). Each file is written to a temporary
// name and renamed. The .cmap path in the fix cmap line is prefix + ".cmap" as given.
// FileError for anything LAMMPS cannot be given exactly (naming the topology file and line or
// the molecule and atoms), and for a position count or box that does not fit.
LammpsSystemFiles write_lammps_system(const Topology &topology, const std::vector<Vec3> &positions, const Box &box,
                                      const std::string &prefix, const LammpsWriterOptions &options = {});
// The same with the coordinates and box of a structure read from the system's .gro; its atom
// names must be the topology's, in order.
LammpsSystemFiles write_lammps_system(const Topology &topology, const Structure &coordinates,
                                      const std::string &prefix, const LammpsWriterOptions &options = {});

}    // namespace BACKMAP

#endif
