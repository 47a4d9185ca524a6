/* BACKMAP package: a restrained minimisation in a LAMMPS instance of its own on one process
   (backmap_minimiser.h). */

#include "backmap_minimiser.h"

#include "atom.h"
#include "domain.h"
#if defined(LAMMPS_EXCEPTIONS)
#include "exceptions.h"
#endif
#include "input.h"
#include "lammps.h"
#include "library.h"
#include "utils.h"

#include <filesystem>
#include <stdexcept>

using namespace LAMMPS_NS;

BackmapMinimiser::BackmapMinimiser(const std::string &prefix) : prefix_(prefix), log_(prefix + "_minimiser.log") {}

BackmapMinimiser::~BackmapMinimiser()
{
  delete lmp_;
}

void BackmapMinimiser::create()
{
  const char *args[] = {"backmap_minimiser", "-nocite", "-screen", "none", "-log", log_.c_str()};
  lmp_ = new LAMMPS(6, const_cast<char **>(args), MPI_COMM_SELF);
  std::string read_data = "read_data " + prefix_ + ".data";
  if (std::filesystem::exists(prefix_ + ".cmap")) read_data += " fix cmap crossterm CMAP";
  std::vector<std::string> commands = {"include " + prefix_ + ".settings", "atom_modify sort 0 0.0", read_data,
                                       "include " + prefix_ + ".coeffs"};
  for (const std::string &c : BACKMAP::heavy_atom_group_commands("heavy")) commands.push_back(c);
  for (const std::string &c : {"neighbor 2.0 bin", "neigh_modify every 1 delay 0 check yes", "thermo 1000"})
    commands.emplace_back(c);
  for (const std::string &c : commands) lmp_->input->one(c);
}

// The box as the frame has it (GROMACS's lower-triangular vectors), at the data file's origin;
// nothing when it is that already, so that an unchanged box costs nothing.
void BackmapMinimiser::take_box(const BACKMAP::Box &box)
{
  const auto &v = box.vectors;
  Domain *d = lmp_->domain;
  const bool tilted = v(1, 0) != 0.0 || v(2, 0) != 0.0 || v(2, 1) != 0.0;
  const bool same_tilt = d->triclinic ? d->xy == v(1, 0) && d->xz == v(2, 0) && d->yz == v(2, 1) : !tilted;
  if (d->xprd == v(0, 0) && d->yprd == v(1, 1) && d->zprd == v(2, 2) && same_tilt) return;
  if (tilted && !d->triclinic)
    throw std::runtime_error("the box became triclinic after the all-atom system's files were written with an "
                             "orthogonal one; the minimiser cannot follow it");
  std::string command = fmt::format("change_box all x final {:.17g} {:.17g} y final {:.17g} {:.17g} z final {:.17g} {:.17g}",
                                    d->boxlo[0], d->boxlo[0] + v(0, 0), d->boxlo[1], d->boxlo[1] + v(1, 1),
                                    d->boxlo[2], d->boxlo[2] + v(2, 2));
  if (d->triclinic) command += fmt::format(" xy final {:.17g} xz final {:.17g} yz final {:.17g}", v(1, 0), v(2, 0), v(2, 1));
  lmp_->input->one(command + " units box");
}

void BackmapMinimiser::minimise(std::vector<double> &x, const BACKMAP::MinimisationProtocol &protocol,
                                const BACKMAP::Box *box)
{
#if defined(LAMMPS_EXCEPTIONS)
  try {
#endif
    if (!lmp_) create();
    const bigint natoms = lmp_->atom->natoms;
    if (static_cast<bigint>(x.size()) != 3 * natoms)
      throw std::runtime_error(fmt::format("{} coordinates for the {} atoms of {}.data", x.size() / 3, natoms, prefix_));
    if (box) take_box(*box);
    lammps_scatter_atoms(lmp_, const_cast<char *>("x"), 1, 3, x.data());
    lmp_->input->one("set group all image 0 0 0");
    for (const std::string &c : BACKMAP::minimisation_commands(protocol, "heavy")) lmp_->input->one(c);
    std::vector<int> image(natoms);
    lammps_gather_atoms(lmp_, const_cast<char *>("x"), 1, 3, x.data());
    lammps_gather_atoms(lmp_, const_cast<char *>("image"), 0, 1, image.data());
    for (bigint i = 0; i < natoms; ++i) {
      double unwrapped[3];
      lmp_->domain->unmap(&x[3 * i], static_cast<imageint>(image[i]), unwrapped);
      for (int k = 0; k < 3; ++k) x[3 * i + k] = unwrapped[k];
    }
#if defined(LAMMPS_EXCEPTIONS)
  } catch (LAMMPSAbortException &e) {    // (without LAMMPS's exceptions an error here ends the run)
    throw std::runtime_error(e.message + " (log: " + log_ + ")");
  } catch (LAMMPSException &e) {
    throw std::runtime_error(e.message + " (log: " + log_ + ")");
  }
#endif
}
