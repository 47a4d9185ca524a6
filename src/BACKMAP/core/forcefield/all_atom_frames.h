/* BACKMAP core, forcefield layer: the backmapped frames of one system given hydrogens, one
   after another (fix backmap's hydrogens and minimisation, the all-atom replica). The force
   field is loaded once; each frame gets its hydrogens and termini as `backmap build` gives
   them (all_atom_builder); the system's files are written as `backmap build` writes them
   (GROMACS .top/.gro, LAMMPS settings/data/coeffs), and once they are, every later frame must
   have their atoms in their order, since a LAMMPS instance reading them takes later frames'
   coordinates by index. */
#ifndef BACKMAP_ALL_ATOM_FRAMES_H
#define BACKMAP_ALL_ATOM_FRAMES_H

#include "all_atom_builder.h"
#include "lammps_system_writer.h"
#include "residue_database.h"
#include "structure.h"

#include <optional>
#include <string>

namespace BACKMAP {

// The non-bonded scheme of an all-atom system in LAMMPS: the topology's own
// (recommended_nonbonded), except that a plain truncation becomes CHARMM's switch from 10 to
// 12 A. Without long-range electrostatics a cut-off must end smoothly: a plain one makes energy
// steps that stop the minimiser's line search far from the force tolerance.
LammpsNonbonded all_atom_nonbonded(const Topology &topology);

class AllAtomFrames {
 public:
  // `force_field`: a name or a folder (find_force_field). Throws FileError when it is not found
  // or its residue files cannot be read.
  explicit AllAtomFrames(const std::string &force_field);

  const std::string &folder() const { return folder_; }
  const ResidueDatabase &database() const { return database_; }

  // `heavy` (a backmapped frame) with its hydrogens. Once files are written, throws
  // std::runtime_error naming the first residue or atom that differs from theirs.
  AllAtomSystem build(const Structure &heavy) const;

  // PREFIX.top/.gro (GROMACS) and PREFIX.settings/.data/.coeffs/.cmap (LAMMPS, units real) of
  // `system` in its box, which must be periodic; `title` heads the GROMACS files, `source` is
  // named in the LAMMPS ones. The folder of PREFIX is made. From now on build() holds later
  // frames to this system's atoms.
  LammpsSystemFiles write_files(const AllAtomSystem &system, const std::string &prefix, const std::string &title,
                                const std::string &source);

  // The atoms of the system whose files were written (names, residues), if any.
  const Structure *atoms() const { return atoms_ ? &*atoms_ : nullptr; }

 private:
  std::string folder_;
  ResidueDatabase database_;
  std::optional<Structure> atoms_;
  std::optional<AllAtomSystem> first_;    // the system whose files were written
};

}    // namespace BACKMAP

#endif
