#include "all_atom_frames.h"

#include "all_atom_topology.h"
#include "force_field_folders.h"
#include "gromacs_system_writer.h"
#include "topology_file.h"

#include <filesystem>
#include <stdexcept>

namespace BACKMAP {

LammpsNonbonded all_atom_nonbonded(const Topology &topology)
{
  LammpsNonbonded nonbonded = recommended_nonbonded(topology);
  if (nonbonded.scheme == LammpsCutoffScheme::Plain) {
    nonbonded.scheme = LammpsCutoffScheme::CharmmSwitch;
    nonbonded.switch_from = 10.0;
    nonbonded.cutoff = 12.0;
  }
  return nonbonded;
}

AllAtomFrames::AllAtomFrames(const std::string &force_field)
    : folder_(find_force_field(force_field)), database_(ResidueDatabase::load(folder_))
{
}

AllAtomSystem AllAtomFrames::build(const Structure &heavy) const
{
  // Disulfides: pdb2gmx's window (2.0 A +- 10 %) widened to 1.5-3.0 A, as a backmap places
  // each SG with the model's error (crambin's three bridges come out 1.7-2.4 A apart), while two
  // SG that are not bonded touch at about 3.6 A. Once files are written, later frames keep the
  // first one's chain breaks, histidine states and disulfides: the system's topology is fixed.
  BuildOptions options;
  options.disulfide_min = 1.5;
  options.disulfide_max = 3.0;
  options.same_as = first_ ? &*first_ : nullptr;
  AllAtomSystem system = build_all_atom_system(heavy, database_, options);
  if (!atoms_) return system;
  // the files' atoms, in their order: a disulfide or a terminus that changed would change them
  const auto &known = atoms_->residues;
  if (system.residues.size() != known.size())
    throw std::runtime_error("the frame has " + std::to_string(system.residues.size()) + " residues with its hydrogens, " +
                             "the all-atom system " + std::to_string(known.size()));
  for (std::size_t r = 0; r < known.size(); ++r) {
    const auto &atoms = system.residues[r].atoms;
    if (atoms.size() != known[r].atoms.size())
      throw std::runtime_error("residue " + known[r].label() + " has " + std::to_string(atoms.size()) +
                               " atoms with its hydrogens, " + std::to_string(known[r].atoms.size()) +
                               " in the all-atom system");
    for (std::size_t a = 0; a < atoms.size(); ++a)
      if (atoms[a].name != known[r].atoms[a].name)
        throw std::runtime_error("atom " + std::to_string(a + 1) + " of residue " + known[r].label() + " is " +
                                 atoms[a].name + ", in the all-atom system " + known[r].atoms[a].name);
  }
  return system;
}

LammpsSystemFiles AllAtomFrames::write_files(const AllAtomSystem &system, const std::string &prefix,
                                             const std::string &title, const std::string &source)
{
  const auto parent = std::filesystem::path(prefix).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  // the .top is the one description both engines' files come from: LAMMPS's are made from it
  // as grompp would read it
  const AllAtomTopology topology = generate_topology(system, database_);
  write_gromacs_system(system, topology, std::filesystem::absolute(folder_ + "/forcefield.itp").string(),
                       prefix + ".top", prefix + ".gro", title);
  PreprocessorOptions pre;
  pre.include_folders = default_include_folders();
  const Topology t = read_topology(prefix + ".top", pre);
  LammpsWriterOptions options;
  options.nonbonded = all_atom_nonbonded(t);
  options.source = source;
  const Structure atoms = system.structure();
  LammpsSystemFiles files = write_lammps_system(t, atoms, prefix, options);
  atoms_ = atoms;
  first_ = system;
  return files;
}

}    // namespace BACKMAP
