/* BACKMAP package: atoms of a LAMMPS instance by atom ID (backmap_atom_state.h). */

#include "backmap_atom_state.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "irregular.h"
#include "lammps.h"

#include <algorithm>

using namespace LAMMPS_NS;

namespace {

// the local index of every listed atom this rank owns, -1 for the others
std::vector<int> owned_indices(LAMMPS *lmp, const std::vector<long> &ids)
{
  Atom *atom = lmp->atom;
  if (atom->map_style == Atom::MAP_NONE)
    lmp->error->all(FLERR, "BACKMAP: atoms by ID need an atom map (atom_modify map yes)");
  std::vector<int> local(ids.size(), -1);
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (ids[k] < 1 || ids[k] > atom->map_tag_max) continue;
    const int i = atom->map(static_cast<tagint>(ids[k]));
    if (i >= 0 && i < atom->nlocal) local[k] = i;
  }
  return local;
}

}    // namespace

AtomStateById LAMMPS_NS::gather_atoms_by_id(LAMMPS *lmp, const std::vector<long> &ids)
{
  Atom *atom = lmp->atom;
  const std::vector<int> local = owned_indices(lmp, ids);
  const std::size_t n = ids.size();
  // per atom: owner count, mass, x, v (each atom's numbers come from its one owner, so the sum
  // over ranks is exact)
  std::vector<double> mine(8 * n, 0.0), all(8 * n);
  std::vector<imageint> image_mine(n, 0), image_all(n);
  for (std::size_t k = 0; k < n; ++k) {
    const int i = local[k];
    if (i < 0) continue;
    mine[8 * k] = 1.0;
    mine[8 * k + 1] = atom->rmass ? atom->rmass[i] : atom->mass[atom->type[i]];
    for (int d = 0; d < 3; ++d) {
      mine[8 * k + 2 + d] = atom->x[i][d];
      mine[8 * k + 5 + d] = atom->v[i][d];
    }
    image_mine[k] = atom->image[i];
  }
  MPI_Allreduce(mine.data(), all.data(), static_cast<int>(8 * n), MPI_DOUBLE, MPI_SUM, lmp->world);
  MPI_Allreduce(image_mine.data(), image_all.data(), static_cast<int>(n), MPI_LMP_IMAGEINT, MPI_SUM, lmp->world);
  AtomStateById s;
  s.ids = ids;
  s.x.resize(3 * n);
  s.v.resize(3 * n);
  s.mass.resize(n);
  s.image = image_all;
  for (std::size_t k = 0; k < n; ++k) {
    if (all[8 * k] != 1.0)
      lmp->error->all(FLERR, "BACKMAP: atom ID {} is {} (atoms lost?)", ids[k],
                      all[8 * k] == 0.0 ? "on no rank" : "on several ranks");
    s.mass[k] = all[8 * k + 1];
    for (int d = 0; d < 3; ++d) {
      s.x[3 * k + d] = all[8 * k + 2 + d];
      s.v[3 * k + d] = all[8 * k + 5 + d];
    }
  }
  return s;
}

std::vector<double> LAMMPS_NS::unwrapped_positions(LAMMPS *lmp, const AtomStateById &state)
{
  std::vector<double> out(state.x.size());
  for (std::size_t k = 0; k < state.ids.size(); ++k)
    lmp->domain->unmap(&state.x[3 * k], state.image[k], &out[3 * k]);
  return out;
}

void LAMMPS_NS::place_atoms_by_id(LAMMPS *lmp, const std::vector<long> &ids, const std::vector<double> &unwrapped)
{
  Atom *atom = lmp->atom;
  const std::vector<int> local = owned_indices(lmp, ids);
  // image flags of (0, 0, 0) before remap, which then counts the box lengths it shifts by
  const imageint zero = ((imageint) IMGMAX << IMG2BITS) | ((imageint) IMGMAX << IMGBITS) | IMGMAX;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const int i = local[k];
    if (i < 0) continue;
    for (int d = 0; d < 3; ++d) atom->x[i][d] = unwrapped[3 * k + d];
    atom->image[i] = zero;
    lmp->domain->remap(atom->x[i], atom->image[i]);
  }
  migrate_atoms(lmp);
}

void LAMMPS_NS::restore_atoms_by_id(LAMMPS *lmp, const AtomStateById &state)
{
  Atom *atom = lmp->atom;
  const std::vector<int> local = owned_indices(lmp, state.ids);
  for (std::size_t k = 0; k < state.ids.size(); ++k) {
    const int i = local[k];
    if (i < 0) continue;
    for (int d = 0; d < 3; ++d) {
      atom->x[i][d] = state.x[3 * k + d];
      atom->v[i][d] = state.v[3 * k + d];
    }
    atom->image[i] = state.image[k];
  }
  migrate_atoms(lmp);
}

void LAMMPS_NS::set_velocities_by_id(LAMMPS *lmp, const std::vector<long> &ids, const std::vector<double> &v)
{
  const std::vector<int> local = owned_indices(lmp, ids);
  for (std::size_t k = 0; k < ids.size(); ++k)
    if (local[k] >= 0)
      for (int d = 0; d < 3; ++d) lmp->atom->v[local[k]][d] = v[3 * k + d];
}

void LAMMPS_NS::migrate_atoms(LAMMPS *lmp)
{
  Domain *domain = lmp->domain;
  Atom *atom = lmp->atom;
  // Irregular assigns each atom to the rank whose sub-domain holds it, however far; an atom
  // just outside the box (between re-neighbourings) goes to the rank at that edge
  if (domain->triclinic) domain->x2lamda(atom->nlocal);
  domain->reset_box();
  Irregular irregular(lmp);
  irregular.migrate_atoms(1);
  if (domain->triclinic) domain->lamda2x(atom->nlocal);
  bigint nlocal = atom->nlocal, total = 0;
  MPI_Allreduce(&nlocal, &total, 1, MPI_LMP_BIGINT, MPI_SUM, lmp->world);
  if (total != atom->natoms)
    lmp->error->all(FLERR, "BACKMAP: atoms were lost moving them to their ranks ({} of {} remain)", total,
                    atom->natoms);
}
