/* BACKMAP package: fix backmap/replica, the minimisation of the exchange's backmap mu.

   The resolution exchange may use any mu(R) that is a function of the CG beads alone
   (doc/resolution_exchange.md, section 3). A minimisation in the replica itself is not one:
   its atoms' order on each rank and the rank count change the order of the force sums, and a
   minimiser turns round-off into another path. So mu is minimised on rank 0 alone, in a
   LAMMPS instance of its own (the replica's files, atoms never sorted or moved between ranks,
   so always in the data file's order), by the protocol that relaxes the replica when it is
   built: hydrogens with the heavy atoms fixed, then every atom with its heavy atoms on
   springs (backmap_minimiser.h, shared with fix backmap). The same mu then gives the same
   minimised structure on any number of ranks. */

#include "fix_backmap_replica.h"

#include "backmap_minimiser.h"
#include "comm.h"
#include "error.h"

using namespace LAMMPS_NS;

// every rank: x (the replica's order, unwrapped) minimised on rank 0
std::vector<double> FixBackmapReplica::minimised_backmap(const std::vector<double> &x)
{
  std::vector<double> out = x;
  std::string failure;
  if (comm->me == 0) {
    try {
      if (!minimiser) minimiser = std::make_unique<BackmapMinimiser>(prefix);
      minimiser->minimise(out, protocol);
    } catch (const std::exception &e) {
      failure = e.what();
    }
  }
  stop_if_failed_on_root(failure, "exchange: minimising the backmap of the beads");
  MPI_Bcast(out.data(), static_cast<int>(out.size()), MPI_DOUBLE, 0, world);
  return out;
}
