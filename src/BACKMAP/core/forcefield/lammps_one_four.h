/* BACKMAP core, forcefield layer: GROMACS's 1-4 pairs and exclusions as LAMMPS's special_bonds and dihedral weights.
   The two ways, and the choice between them, are told in lammps_system_writer.h. */
#ifndef BACKMAP_LAMMPS_ONE_FOUR_H
#define BACKMAP_LAMMPS_ONE_FOUR_H

#include "lammps_system_model.h"

#include <string>

namespace BACKMAP::lammps_writer {

struct ReactionField;

// With [ pairs ]: scaled by special_bonds where every molecule's pairs are exactly its atoms three
// bonds apart with fudgeLJ times the normal Lennard-Jones, else carried by dihedral charmm weights
// (one term per pair weighted fudgeQQ, a K = 0 term added where none is left) with the 1-4
// Lennard-Jones per LAMMPS type pair. Nothing to do without [ pairs ]. FileError at `output` for a
// fudgeQQ no weight can be, at a pair's line for a pair no dihedral can carry or 1-4 parameters
// that differ for the same type pair.
void choose_one_four(SystemModel &system, const Topology &topology, const std::string &output);
// special_bonds's arguments: GROMACS's 1-4 scaling, or (no [ pairs ]) its exclusions.
std::string special_bonds_arguments(const SystemModel &system, const ReactionField &rf);

}    // namespace BACKMAP::lammps_writer

#endif
