/* BACKMAP package: a restrained minimisation in a LAMMPS instance of its own on one process
   (backmap_minimiser.h). */

#include "backmap_minimiser.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#if defined(LAMMPS_EXCEPTIONS)
#include "exceptions.h"
#endif
#include "input.h"
#include "lammps.h"
#include "integrate.h"
#include "library.h"
#include "update.h"
#include "utils.h"

#include <algorithm>
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

// runs `work` on the instance; LAMMPS's errors come back as std::runtime_error with the log
void BackmapMinimiser::guarded(const std::function<void()> &work)
{
#if defined(LAMMPS_EXCEPTIONS)
  try {
#endif
    if (!lmp_) create();
    work();
#if defined(LAMMPS_EXCEPTIONS)
  } catch (LAMMPSAbortException &e) {    // (without LAMMPS's exceptions an error here ends the run)
    throw std::runtime_error(e.message + " (log: " + log_ + ")");
  } catch (LAMMPSException &e) {
    throw std::runtime_error(e.message + " (log: " + log_ + ")");
  }
#endif
}

void BackmapMinimiser::take_positions(const std::vector<double> &x)
{
  const bigint natoms = lmp_->atom->natoms;
  if (static_cast<bigint>(x.size()) != 3 * natoms)
    throw std::runtime_error(fmt::format("{} coordinates for the {} atoms of {}.data", x.size() / 3, natoms, prefix_));
  lammps_scatter_atoms(lmp_, const_cast<char *>("x"), 1, 3, const_cast<double *>(x.data()));
  lmp_->input->one("set group all image 0 0 0");
}

void BackmapMinimiser::minimise(std::vector<double> &x, const BACKMAP::MinimisationProtocol &protocol,
                                const BACKMAP::Box *box)
{
  guarded([&] {
    if (box) take_box(*box);
    take_positions(x);
    for (const std::string &c : BACKMAP::minimisation_commands(protocol, "heavy")) lmp_->input->one(c);
    const bigint natoms = lmp_->atom->natoms;
    std::vector<int> image(natoms);
    lammps_gather_atoms(lmp_, const_cast<char *>("x"), 1, 3, x.data());
    lammps_gather_atoms(lmp_, const_cast<char *>("image"), 0, 1, image.data());
    for (bigint i = 0; i < natoms; ++i) {
      double unwrapped[3];
      lmp_->domain->unmap(&x[3 * i], static_cast<imageint>(image[i]), unwrapped);
      for (int k = 0; k < 3; ++k) x[3 * i + k] = unwrapped[k];
    }
  });
}

void BackmapMinimiser::gather_forces(std::vector<double> &f)
{
  f.resize(3 * lmp_->atom->natoms);
  lammps_gather_atoms(lmp_, const_cast<char *>("f"), 1, 3, f.data());
}

double BackmapMinimiser::energy_at(const std::vector<double> &x, std::vector<double> &force,
                                   std::vector<double> *hessian_out, double step)
{
  double energy = 0.0;
  guarded([&] {
    take_positions(x);
    lmp_->input->one("run 0 post no");    // neighbour lists and forces at x
    energy = lammps_get_thermo(lmp_, "pe");
    gather_forces(force);
    if (!hessian_out) return;
    std::vector<double> &hessian = *hessian_out;
    const bigint n3 = 3 * lmp_->atom->natoms;
    hessian.assign(n3 * n3, 0.0);
    std::vector<double> plus, minus;
    Atom *atom = lmp_->atom;
    // A move of 1e-3 A keeps the neighbour lists valid (the skin is 2 A): only the ghosts'
    // copies of the positions and the forces are brought up to date, as a minimiser does.
    auto forces_at = [&](int local, int d, double at, std::vector<double> &out) {
      atom->x[local][d] = at;
      lmp_->comm->forward_comm();
      lmp_->update->integrate->setup_minimal(0);
      gather_forces(out);
    };
    for (bigint row = 0; row < n3; ++row) {
      const int local = atom->map(static_cast<tagint>(row / 3 + 1));
      const int d = static_cast<int>(row % 3);
      const double keep = atom->x[local][d];
      forces_at(local, d, keep + step, plus);
      forces_at(local, d, keep - step, minus);
      atom->x[local][d] = keep;
      for (bigint k = 0; k < n3; ++k) hessian[row * n3 + k] = -(plus[k] - minus[k]) / (2.0 * step);
    }
    lmp_->comm->forward_comm();
  });
  return energy;
}

std::vector<std::array<int, 2>> BackmapMinimiser::bonds()
{
  std::vector<std::array<int, 2>> out;
  guarded([&] {
    const Atom *atom = lmp_->atom;
    for (int i = 0; i < atom->nlocal; ++i)
      for (int b = 0; b < atom->num_bond[i]; ++b) {
        const int a = static_cast<int>(atom->tag[i] - 1), c = static_cast<int>(atom->bond_atom[i][b] - 1);
        out.push_back({std::min(a, c), std::max(a, c)});
      }
  });
  // (with newton_bond off every bond is stored at both its atoms)
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}
