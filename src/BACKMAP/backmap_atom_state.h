/* -*- c++ -*- ----------------------------------------------------------
   BACKMAP package: reading and setting atoms of a LAMMPS instance by atom ID, on every rank,
   whichever rank owns them. fix backmap/replica's resolution exchange uses it on both the CG
   run and its nested all-atom replica: a trial configuration is put in, evaluated, and the
   state before it restored to the last bit.
------------------------------------------------------------------------- */

#ifndef LMP_BACKMAP_ATOM_STATE_H
#define LMP_BACKMAP_ATOM_STATE_H

#include "lmptype.h"

#include <vector>

namespace LAMMPS_NS {

class LAMMPS;

// Listed atoms as the instance holds them, in the order of `ids`, on every rank.
struct AtomStateById {
  std::vector<long> ids;
  std::vector<double> x;          // 3 per atom, wrapped as held
  std::vector<imageint> image;    // image flags
  std::vector<double> v;          // 3 per atom
  std::vector<double> mass;
};

// Collective over the instance's world. Error (naming the ID) when an atom is not there.
AtomStateById gather_atoms_by_id(LAMMPS *lmp, const std::vector<long> &ids);

// x + image flags, 3 per atom
std::vector<double> unwrapped_positions(LAMMPS *lmp, const AtomStateById &state);

// Every listed atom at the given unwrapped position (3 per atom): put in the box through
// Domain::remap (which sets its image flags, however far outside it is), then moved to the
// rank whose sub-domain holds it. Collective.
void place_atoms_by_id(LAMMPS *lmp, const std::vector<long> &ids, const std::vector<double> &unwrapped);

// The atoms' x, image flags and velocities set back exactly to `state`, then moved to their
// ranks. Collective.
void restore_atoms_by_id(LAMMPS *lmp, const AtomStateById &state);

// Velocities by ID (3 per atom). Collective only in that every rank must call it.
void set_velocities_by_id(LAMMPS *lmp, const std::vector<long> &ids, const std::vector<double> &v);

// Atoms to the ranks whose sub-domains hold them, however far they moved (as displace_atoms
// does it); ghosts are gone afterwards. Error when atoms were lost.
void migrate_atoms(LAMMPS *lmp);

}    // namespace LAMMPS_NS

#endif
