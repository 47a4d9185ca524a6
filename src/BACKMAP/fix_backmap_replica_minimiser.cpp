/* BACKMAP package: fix backmap/replica, the minimisation of the exchange's backmap mu.

   The resolution exchange may use any mu(R) that is a function of the CG beads alone
   (doc/resolution_exchange.md, section 3). A minimisation in the replica itself is not one:
   its atoms' order on each rank and the rank count change the order of the force sums, and a
   minimiser turns round-off into another path. So mu is minimised on rank 0 alone, in a
   LAMMPS instance of its own (the replica's files, atoms never sorted or moved between ranks,
   so always in the data file's order), by the protocol that relaxes the replica when it is
   built: hydrogens with the heavy atoms fixed, then every atom with its heavy atoms on
   springs. The same mu then gives the same minimised structure on any number of ranks. */

#include "fix_backmap_replica.h"

#include "comm.h"
#include "domain.h"
#include "error.h"
#include "input.h"
#include "lammps.h"
#include "library.h"
#include "update.h"
#if defined(LAMMPS_EXCEPTIONS)
#include "exceptions.h"
#endif

#include <filesystem>

using namespace LAMMPS_NS;

void FixBackmapReplica::create_minimiser()
{
  const std::string log = prefix + "_minimiser.log";
  const char *args[] = {"backmap_minimiser", "-nocite", "-screen", "none", "-log", log.c_str()};
  minimiser = new LAMMPS(6, const_cast<char **>(args), MPI_COMM_SELF);
  std::string read_data = "read_data " + prefix + ".data";
  if (std::filesystem::exists(prefix + ".cmap")) read_data += " fix cmap crossterm CMAP";
  std::vector<std::string> commands = {"include " + prefix + ".settings", "atom_modify sort 0 0.0", read_data,
                                       "include " + prefix + ".coeffs"};
  for (const std::string &c : BACKMAP::heavy_atom_group_commands("heavy")) commands.push_back(c);
  for (const std::string &c : {"neighbor 2.0 bin", "neigh_modify every 1 delay 0 check yes", "thermo 1000"})
    commands.emplace_back(c);
  for (const std::string &c : commands) minimiser->input->one(c);
}

// every rank: x (the replica's order, unwrapped) minimised on rank 0
std::vector<double> FixBackmapReplica::minimised_backmap(const std::vector<double> &x)
{
  std::vector<double> out = x;
  std::string failure;
  if (comm->me == 0) {
#if defined(LAMMPS_EXCEPTIONS)
    try {
#endif
      if (!minimiser) create_minimiser();
      lammps_scatter_atoms(minimiser, const_cast<char *>("x"), 1, 3, out.data());
      minimiser->input->one("set group all image 0 0 0");
      for (const std::string &c : BACKMAP::minimisation_commands(protocol, "heavy")) minimiser->input->one(c);
      std::vector<int> image(natoms);
      lammps_gather_atoms(minimiser, const_cast<char *>("x"), 1, 3, out.data());
      lammps_gather_atoms(minimiser, const_cast<char *>("image"), 0, 1, image.data());
      for (bigint i = 0; i < natoms; ++i) {
        double unwrapped[3];
        minimiser->domain->unmap(&out[3 * i], static_cast<imageint>(image[i]), unwrapped);
        for (int k = 0; k < 3; ++k) out[3 * i + k] = unwrapped[k];
      }
#if defined(LAMMPS_EXCEPTIONS)
    } catch (LAMMPSAbortException &e) {
      failure = e.message;
    } catch (LAMMPSException &e) {
      failure = e.message;
    }
#endif
    if (!failure.empty()) failure += " (log: " + prefix + "_minimiser.log)";
  }
  stop_if_failed_on_root(failure, "exchange: minimising the backmap of the beads");
  MPI_Bcast(out.data(), static_cast<int>(out.size()), MPI_DOUBLE, 0, world);
  return out;
}
