/* BACKMAP core, forcefield layer: how LAMMPS's pair interactions end at the cut-off (plain, CHARMM switch, Martini).
   The reaction field's table is lammps_reaction_field's; lammps_system_writer.h tells the whole layout. */
#ifndef BACKMAP_LAMMPS_NONBONDED_H
#define BACKMAP_LAMMPS_NONBONDED_H

#include "topology_sections.h"

#include <string>

namespace BACKMAP {

// How the pair interactions end at the cut-off.
enum class LammpsCutoffScheme {
  Plain,          // energies cut at `cutoff` (lj/cut/coul/cut; lj/charmm/coul/charmm switching over the
                  // last 1e-6 A where 1-4 terms need the CHARMM pair style: single-point energies only)
  CharmmSwitch,   // lj/charmm/coul/charmm: LJ and Coulomb switched off between switch_from and cutoff
  ReactionField,  // GROMACS Verlet: LJ potential-shift, reaction-field Coulomb (topologies without [ pairs ])
};

struct LammpsNonbonded {
  LammpsCutoffScheme scheme = LammpsCutoffScheme::Plain;
  double cutoff = 10.0;         // Angstrom
  double switch_from = 8.0;     // Angstrom; CharmmSwitch only
  double epsilon_r = 1.0;       // relative permittivity (GROMACS epsilon-r; LAMMPS `dielectric`)
  double epsilon_rf = 0.0;      // ReactionField: permittivity beyond the cut-off, 0 = infinity (GROMACS epsilon-rf)
};

// Martini 3's standard run parameters: reaction-field, epsilon-r 15, epsilon-rf infinity, LJ
// potential-shift, both cut at 1.1 nm.
LammpsNonbonded martini_nonbonded();

// The force field's own choice where LAMMPS (without KSPACE) can follow it: CHARMM-style
// topologies (1-4 from [ pairtypes ] or CMAP) get lj/charmm switching 10-12 A, coarse-grained
// ones (no molecule with [ pairs ], gen-pairs off, [ nonbond_params ] given: Martini) get
// martini_nonbonded(), others a plain 10 A cut-off. Long-range electrostatics are the user's to add.
LammpsNonbonded recommended_nonbonded(const Topology &topology);

namespace lammps_writer {

struct SystemModel;
struct ReactionField;

// The pair_style line's arguments: lj/cut/coul/cut, lj/charmm/coul/charmm (switching, or over the
// last 1e-6 A where 1-4 pairs need the CHARMM pair style), or hybrid/overlay with the reaction
// field's table and/or the carried virtual sites' lj/cut. FileError at `output` for a cut-off, permittivity or switch that cannot be.
std::string pair_style_arguments(const SystemModel &system, const LammpsNonbonded &nb, const ReactionField &rf,
                                 const std::string &output);

}    // namespace lammps_writer

}    // namespace BACKMAP

#endif
