/* BACKMAP core, forcefield layer: a GROMACS system (topology + coordinates + box) written as
   LAMMPS input files in units real (kcal/mol, Angstrom) with atom_style full.

   Up to five files come from one prefix, e.g. "run/system":
     system.settings   styles, special_bonds and (CHARMM) the fix cmap: read before read_data
     system.data       atoms, masses, bonds, angles, dihedrals, impropers, CMAP crossterms
     system.coeffs     pair_coeff, bond_coeff, angle_coeff, dihedral_coeff, improper_coeff
     system.cmap       the CMAP grids in fix cmap's format (only when the force field has CMAP)
     system.table      pair table of the reaction-field polynomial (only with ReactionField and charges)
     system.angles     angle table of restricted bending (only with angles function 10)
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
                    one LAMMPS dihedral per term of a multi-term function 9 dihedral; a phis that is not a
                    whole number of degrees as two terms, K = |kphi cos phis| with d = 0 (180 if negative)
                    and K = |kphi sin phis| with d = 90 (-90) (the same forces; GROMACS's energy is
                    LAMMPS's plus kphi (1 - |cos phis| - |sin phis|): LammpsSystemFiles::dihedral_constant_energy)
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
   Coarse-grained topologies (Martini): when no molecule has [ pairs ], LAMMPS's special_bonds
   excludes exactly GROMACS's exclusions: factor 0 up to nrexcl bonds apart, 1 beyond
   (nrexcl 1: `special_bonds lj/coul 0 1 1`), and further
     angles 2:      V = k/2 (cos t - cos t0)^2     -> angle cosine/squared K = k/2, t0  (GROMOS-96)
     angles 10:     V = k/2 (cos t - cos t0)^2 / sin^2 t (restricted bending) -> angle table (system.angles,
                    lammps_angle_table.h)
     constraints 1: fixed distance b0 (no energy)  -> bond harmonic K = constraint_force_constant/2, r0 = b0,
                    bond types of their own (LammpsSystemFiles::constraint_bond_types) for fix shake
     [ exclusions ]: atoms GROMACS excludes       -> bond harmonic K = 0 between them, so that they
                    are LAMMPS 1-2 neighbours (only where nrexcl and the bonds do not exclude them
                    already; the bond graph must then give LAMMPS exactly GROMACS's excluded pairs)
   and the ReactionField scheme writes GROMACS's Verlet-scheme cut-offs (Martini 3: reaction-field,
   epsilon-r 15, epsilon-rf 0 = infinity, vdw-modifier Potential-shift, 1.1 nm):
     pair_style hybrid/overlay lj/cut/coul/cut RC table linear 1000
     pair_modify pair lj/cut/coul/cut shift yes         Lennard-Jones shifted to 0 at RC
     dielectric EPSILON_R                                 Coulomb 1/r (lj/cut/coul/cut) / epsilon_r
     pair_modify pair table special lj 1 1 1             the rest of GROMACS's reaction field,
                                                          C qi qj (k_rf r^2 - c_rf), tabulated per product
                                                          qi qj (exact: linear in r^2, and the table's
                                                          points are used as they are), for every pair
                                                          within RC, excluded pairs included as GROMACS
                                                          does (so the special_bonds factors of excluded
                                                          pairs are 1e-40, not 0, to keep them listed)
   LAMMPS's evdwl then holds the Lennard-Jones and the tabulated reaction-field part; `compute pair`
   separates them (see the settings file). GROMACS also adds a constant -C c_rf qi^2 / 2 per atom
   (no force) to Coulomb (SR): LammpsSystemFiles::coulomb_self_energy.
   Virtual sites: [ virtual_sitesn ] built from one atom (GoMartini's CA sites) are carried by
   that atom, exactly (lammps_carried_sites.h): its LAMMPS type is its own kind, the sites'
   Lennard-Jones (GoMartini's Go contacts, [ nonbond_params ] between site types) a second
   sub-style that ignores exclusions,
     pair_style hybrid/overlay lj/cut/coul/cut RC lj/cut RC [table linear 1000]
     pair_modify pair lj/cut shift yes  (ReactionField)   pair_modify pair lj/cut special lj 1 1 1
   (special_bonds factors of excluded pairs then 1e-40, as with the table); other virtual_sitesn
   centres as LammpsWriterOptions::virtual_sites says. [ virtual_sites3 ] sites (all four
   constructions) on atoms that [ constraints ] hold in a rigid frame (Martini 3 cholesterol) make,
   with that frame, one rigid body per molecule (lammps_rigid_frames.h): the sites are placed where
   GROMACS builds them and given 0.01 u (from their atoms), the frame's constraints become K = 0
   bonds, and the coefficients file defines the groups for the integrators:
     group  rigid_bodies type ...                 the bodies' atom types (their own)
     group  free_beads subtract all rigid_bodies
     fix    ID rigid_bodies rigid/small molecule  (RIGID package; the input's, as is fix ID free_beads nve)
     dihedrals 2 with xi0 other than 0 or 180 (cholesterol's -70) -> dihedral quadratic K = kxi/2, phi0 = xi0
                    (EXTRA-MOLECULE package): the same signed angle and the same wrap of xi - xi0
   Not written (FileError naming the term): settles, [ virtual_sites1/2/4 ], sites on atoms no rigid frame holds, constraints function 2, [ pairs_nb ], restraints,
   polarization, intermolecular interactions, Buckingham, free-energy B states (ignored: state A
   only), other bonded functions; constraints and [ exclusions ] in topologies with [ pairs ]; the
   reaction field with [ pairs ].
   The non-bonded schemes (LammpsNonbonded, martini_nonbonded, recommended_nonbonded) are declared
   in lammps_nonbonded.h, included here. */
#ifndef BACKMAP_LAMMPS_SYSTEM_WRITER_H
#define BACKMAP_LAMMPS_SYSTEM_WRITER_H

#include "lammps_nonbonded.h"
#include "structure.h"
#include "topology_file.h"

#include <string>
#include <vector>

namespace BACKMAP {

// How GROMACS's [ constraints ] become LAMMPS bonds (coarse-grained topologies only).
enum class LammpsConstraints {
  HarmonicBonds,  // stiff harmonic bonds only (the settings file shows the fix shake line as a comment)
  Shake,          // the same bonds and a `fix ... shake` on their types (needs LAMMPS's RIGID package)
};

// What becomes of GROMACS's [ virtual_sitesn ] centres (LAMMPS has no virtual sites).
enum class LammpsVirtualSites {
  Refuse,   // FileError naming the section
  Bonded,   // real beads held at the centre by constraint bonds (lammps_virtual_sites.h): an approximation
};

struct LammpsWriterOptions {
  LammpsNonbonded nonbonded;
  std::string source;               // named in every file's header, e.g. "topol.top, conf.gro"
  std::string cmap_fix_id = "cmap";
  LammpsConstraints constraints = LammpsConstraints::HarmonicBonds;
  // kJ/mol/nm^2, the kb of V = kb/2 (r-b0)^2 for a constraint: Martini's own choice for its
  // -DFLEXIBLE variants (cholesterol), stiff enough for 20 fs steps with 72 u beads
  double constraint_force_constant = 100000.0;
  std::string shake_fix_id = "constraints";
  LammpsVirtualSites virtual_sites = LammpsVirtualSites::Refuse;
  // the groups the coefficients file defines where the system has rigid bodies: their members,
  // and every other atom
  std::string rigid_group = "rigid_bodies", free_group = "free_beads";
};

// What was written, and how.
struct LammpsSystemFiles {
  std::string data, settings, coeffs, cmap;   // paths; cmap empty without CMAP
  std::string table;                         // path of the reaction-field table; empty without one
  bool one_four_by_dihedral = false;         // 1-4 terms carried by dihedral charmm weights
  bool exclusions_only = false;              // no [ pairs ]: special_bonds excludes GROMACS's exclusions
  std::string pair_style;                    // the pair_style line's arguments
  std::string special_bonds;                 // the special_bonds line's arguments
  std::string read_data_line;                // the read_data command the user's input needs
  int atom_types = 0, bond_types = 0, angle_types = 0, dihedral_types = 0, improper_types = 0, cmap_grids = 0;
  std::vector<int> constraint_bond_types;    // bond types that stand for [ constraints ]
  std::vector<int> exclusion_bond_types;     // K = 0 bond types that stand for [ exclusions ]
  // ReactionField: GROMACS's constant -C c_rf sum qi^2 / 2 (kcal/mol) in its Coulomb (SR), which
  // LAMMPS leaves out (it has no force); 0 otherwise
  double coulomb_self_energy = 0.0;
  std::string angle_table;                   // path of the restricted-bending angle table; empty without one
  // GROMACS's dihedral energy minus LAMMPS's (kcal/mol): the constants that dihedrals with a phase
  // that is not a whole number of degrees leave out (see the dihedral conversion above); no force
  double dihedral_constant_energy = 0.0;
  bool virtual_sites_bonded = false;         // [ virtual_sitesn ] centres written as bonded beads
  // virtual sites on one atom carried by it (lammps_carried_sites.h): their indices in the GROMACS
  // system (0-based, ascending); the data file has no atom for them
  std::vector<long> carried_sites;
  // virtual_sites3 on constrained frames (lammps_rigid_frames.h): the molecules written as rigid
  // bodies, and the LAMMPS atom types of their members (the coefficients file's group)
  long rigid_bodies = 0;
  std::vector<int> rigid_body_types;
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
