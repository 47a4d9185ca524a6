/* BACKMAP package: fix backmap, the checks of the simulation's beads against the topology:
   every bead present in the group on some rank (and if not, why, in the user's terms), and
   the beads' masses. */

#include "fix_backmap.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "group.h"
#include "update.h"

#include "topology_backmapper.h"

#include <cmath>

using namespace LAMMPS_NS;

// A topology of another system whose atom IDs all exist here cannot be told by the IDs. The
// masses can: `backmap map` writes each bead's mass, so beads whose masses here differ from the
// topology's are reported once (a warning, not an error: a force field may set its own masses,
// Martini's 72/54/36 for instance).
void FixBackmap::warn_about_masses()
{
  if (masses_checked) return;
  masses_checked = true;
  bigint differ = 0, compared = 0;
  tagint example = 0;
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(atom->mask[i] & groupbit)) continue;
    for (const auto &backmapper : backmappers) {
      const int bead = backmapper->bead_of_id(atom->tag[i]);
      if (bead < 0 || backmapper->mass_of_bead(bead) <= 0) continue;
      const double here = atom->rmass ? atom->rmass[i] : atom->mass[atom->type[i]];
      ++compared;
      if (std::fabs(here - backmapper->mass_of_bead(bead)) > 0.01 * backmapper->mass_of_bead(bead)) {
        ++differ;
        if (!example) example = atom->tag[i];
      }
    }
  }
  bigint all[2] = {0, 0}, mine[2] = {differ, compared};
  MPI_Allreduce(mine, all, 2, MPI_LMP_BIGINT, MPI_SUM, world);
  tagint first = example ? example : MAXTAGINT, first_all = 0;
  MPI_Allreduce(&first, &first_all, 1, MPI_LMP_TAGINT, MPI_MIN, world);
  if (all[0] > 0 && comm->me == 0)
    error->warning(FLERR, "Fix backmap: {} of {} beads have other masses here than in topology {} (e.g. atom ID {}): "
                   "if this system is not the topology's, the frames are wrong", all[0], all[1], topology_file,
                   first_all);
}

// Every bead of the topology must be owned by exactly one rank and be in the group. When one is
// not, say why in the user's terms: atoms lost (a blow-up), an ID this system does not have (a
// topology of another system), or an atom outside the group. Collective.
void FixBackmap::check_every_bead_present(const std::vector<long> &ids, std::size_t owned)
{
  for (const auto &backmapper : backmappers) check_beads_of(*backmapper, ids, owned);
}

void FixBackmap::check_beads_of(const BACKMAP::TopologyBackmapper &backmapper, const std::vector<long> &ids,
                                std::size_t owned)
{
  bigint mine = 0;
  for (std::size_t i = 0; i < owned; ++i) mine += backmapper.bead_of_id(ids[i]) >= 0;
  bigint found = 0;
  MPI_Allreduce(&mine, &found, 1, MPI_LMP_BIGINT, MPI_SUM, world);
  if (found == static_cast<bigint>(backmapper.bead_count())) return;

  // the first missing bead, by topology order: each rank marks the beads it owns
  const int nbeads = static_cast<int>(backmapper.bead_count());
  std::vector<int> here(nbeads, 0), anywhere(nbeads, 0);
  for (std::size_t i = 0; i < owned; ++i) {
    const int bead = backmapper.bead_of_id(ids[i]);
    if (bead >= 0) here[bead] = 1;
  }
  MPI_Allreduce(here.data(), anywhere.data(), nbeads, MPI_INT, MPI_MAX, world);
  int missing = 0;
  while (missing < nbeads && anywhere[missing]) ++missing;
  const long id = backmapper.id_of_bead(missing);
  // does this system have that atom at all (owned by some rank, in the group or not)?
  int owns = 0, owns_all = 0;
  if (atom->map_style != Atom::MAP_NONE && id <= atom->map_tag_max) {
    const int local = atom->map(static_cast<tagint>(id));
    owns = local >= 0 && local < atom->nlocal;
  }
  MPI_Allreduce(&owns, &owns_all, 1, MPI_INT, MPI_MAX, world);
  bigint nlocal = atom->nlocal, now = 0;
  MPI_Allreduce(&nlocal, &now, 1, MPI_LMP_BIGINT, MPI_SUM, world);
  const std::string bead = fmt::format("bead {} (atom ID {}) of residue {}", missing + 1, id,
                                       backmapper.residue_of_bead(missing).label());
  if (now < atom->natoms)
    error->all(FLERR, "Fix backmap: atoms were lost at step {} ({} of {} remain; {} among them): the simulation "
               "blew up or atoms left a non-periodic box; no frame was written", update->ntimestep, now, atom->natoms, bead);
  if (!owns_all)
    error->all(FLERR, "Fix backmap: {} is in topology {} but this system has no atom ID {}: the topology is of "
               "another system", bead, topology_file, id);
  error->all(FLERR, "Fix backmap: {} is not in group {}; the group must hold every bead of the residues the "
             "model backmaps", bead, group->names[igroup]);
}
