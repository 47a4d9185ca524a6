/* -*- c++ -*- ----------------------------------------------------------
   BACKMAP package: the restrained minimisation of a backmapped all-atom structure
   (minimisation_protocol.h: hydrogens with the heavy atoms fixed, then every atom with
   its heavy atoms on springs) in a LAMMPS instance of its own on one process. Used by
   fix backmap (minimize yes) and fix backmap/replica (the exchange's backmap mu).

   One process and no atom sorting: the atoms stay in the data file's order and the force
   sums in one order, so that a structure is minimised to the same bits whatever the
   rank count of the run that asks; a minimiser turns round-off into another path.
------------------------------------------------------------------------- */

#ifndef LMP_BACKMAP_MINIMISER_H
#define LMP_BACKMAP_MINIMISER_H

#include "minimisation_protocol.h"
#include "structure.h"

#include <array>
#include <functional>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class LAMMPS;

class BackmapMinimiser {
 public:
  // The all-atom system of PREFIX.settings/.data/.coeffs (.cmap) as lammps_system_writer wrote
  // it; the instance is made on the first call to minimise(), its log is PREFIX_minimiser.log.
  explicit BackmapMinimiser(const std::string &prefix);
  ~BackmapMinimiser();
  BackmapMinimiser(const BackmapMinimiser &) = delete;
  BackmapMinimiser &operator=(const BackmapMinimiser &) = delete;

  // x: 3 per atom, in the data file's order, unwrapped; minimised in place (unwrapped). With
  // `box`, the instance takes that box first (the CG box may have changed since the data file
  // was written). Throws std::runtime_error with LAMMPS's message and the log's name.
  void minimise(std::vector<double> &x, const BACKMAP::MinimisationProtocol &protocol,
                const BACKMAP::Box *box = nullptr);

  // U_AA at x (the data file's order, unwrapped), for the exchange's Hessian proposal: the
  // energy (returned), the force (3 per atom) and, with `hessian`, the Hessian (3n x 3n,
  // row-major, atom-major) by central differences of the forces, each coordinate moved by
  // +-step Angstrom. Throws like minimise().
  double energy_at(const std::vector<double> &x, std::vector<double> &force, std::vector<double> *hessian,
                   double step = 1e-3);

  // the bonds of the all-atom system, as pairs of atom indices (from 0, the data file's order)
  std::vector<std::array<int, 2>> bonds();

  const std::string &log() const { return log_; }

 private:
  void create();
  void take_box(const BACKMAP::Box &box);
  void gather_forces(std::vector<double> &f);    // forces as they are now, by atom ID
  void take_positions(const std::vector<double> &x);
  void guarded(const std::function<void()> &work);

  std::string prefix_, log_;
  LAMMPS *lmp_ = nullptr;
};

}    // namespace LAMMPS_NS

#endif
