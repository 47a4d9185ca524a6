// BACKMAP core, forcefield layer: a GROMACS system's .top and .gro as LAMMPS files (gromacs_to_lammps.h).
#include "gromacs_to_lammps.h"

#include "file_error.h"
#include "lammps_bead_names.h"
#include "lammps_nonbonded.h"
#include "output_guard.h"
#include "structure_io.h"
#include "topology_file.h"

#include <filesystem>

namespace BACKMAP {

GromacsSystemLammpsFiles write_lammps_files_of_gromacs_system(const std::string &top, const std::string &gro,
                                                             const std::string &prefix,
                                                             const PreprocessorOptions &preprocessor,
                                                             const std::optional<LammpsNonbonded> &nonbonded)
{
  const Topology topology = read_topology(top, preprocessor);
  const Structure coordinates = read_structure(gro);
  // line 2 of a .gro is its atom count: the first place where a mismatch shows
  if (coordinates.atom_count() != static_cast<std::size_t>(topology.atom_count()))
    fail_at(gro, 2, std::to_string(coordinates.atom_count()) + " atoms, the system of " + top + " has " +
                        std::to_string(topology.atom_count()) + " ([ molecules ])");

  // only what this call creates may be removed on failure: a file there before stays as it was
  // (each is replaced atomically, so it is either the old one or the new one)
  OutputGuard guard;
  for (const char *ext : {".settings", ".data", ".coeffs", ".cmap", ".table", ".angles"})
    if (!std::filesystem::exists(prefix + ext)) guard.paths.push_back(prefix + ext);
  const std::filesystem::path folder = std::filesystem::path(prefix).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder);

  GromacsSystemLammpsFiles out;
  LammpsWriterOptions options;
  options.nonbonded = nonbonded ? *nonbonded : recommended_nonbonded(topology);
  options.virtual_sites = LammpsVirtualSites::Bonded;    // e.g. Martini 3 tryptophan's SC3, as map writes it
  options.source = top + ", " + gro;
  out.files = write_lammps_system(topology, coordinates, prefix, options);
  name_beads_for_fix_backmap(out.files.data, coordinates, out.files.carried_sites);
  out.nonbonded = options.nonbonded;
  out.molecules = topology.molecules;
  out.atoms = topology.atom_count();
  out.charge = topology.charge();
  guard.done = true;
  return out;
}

}    // namespace BACKMAP
