/* BACKMAP core, forcefield layer: a Martini 3 system from a CG structure (see martini_system.h). */
#include "martini_system.h"

#include "file_error.h"
#include "lammps_bead_names.h"
#include "lammps_rigid_frames.h"
#include "mapping_set.h"
#include "martini_solvation.h"
#include "output_guard.h"
#include "structure_io.h"
#include "topology_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>

namespace fs = std::filesystem;

namespace BACKMAP {

namespace {

std::string joined(const std::vector<std::string> &names)
{
  std::string s;
  for (const std::string &n : names) s += (s.empty() ? "" : " ") + n;
  return s;
}

// "POPC 12" (or "A:POPC 12"): the residue as a GRO or PDB shows it, for messages
std::string residue_text(const Residue &r)
{
  return (r.chain.empty() ? "" : r.chain + ":") + r.name + " " + std::to_string(r.number) +
         (r.insertion != ' ' ? std::string(1, r.insertion) : std::string());
}

std::vector<std::string> bead_names(const Residue &r)
{
  std::vector<std::string> names;
  for (const Atom &a : r.atoms) names.push_back(a.name);
  return names;
}

// The Martini molecule a CG residue is: its own name; else, through the mapping set, the name
// or an alias of the mapping whose beads it has (POP with NH3 is POPE, CHL1 is CHOL); else, for a
// one-bead residue (ION NA), the bead's name.
const ItpMolecule *molecule_of(const Residue &r, const std::map<std::string, ItpMolecule> &itp, const MappingSet *mappings)
{
  if (auto it = itp.find(r.name); it != itp.end()) return &it->second;
  if (mappings) {
    std::vector<std::string> beads = bead_names(r);
    std::sort(beads.begin(), beads.end());
    for (const MoleculeMapping *m : mappings->candidates(r.name)) {
      std::vector<std::string> mapped;
      for (const BeadDefinition &b : m->beads) mapped.push_back(b.name);
      std::sort(mapped.begin(), mapped.end());
      std::vector<std::string> names = {m->name};
      names.insert(names.end(), m->aliases.begin(), m->aliases.end());
      for (const std::string &name : names)
        if (auto it = itp.find(name); it != itp.end() && (mapped == beads || mappings->candidates(r.name).size() == 1))
          return &it->second;
    }
  }
  if (r.atoms.size() == 1)
    if (auto it = itp.find(r.atoms[0].name); it != itp.end() && it->second.atoms.size() == 1) return &it->second;
  return nullptr;
}

// The residue with its beads in the itp's order and the itp's residue name; FileError naming
// the residue where the molecule cannot be written or its beads are not the itp's.
Residue as_itp_molecule(const Residue &r, const ItpMolecule &m, const std::string &input, std::size_t index,
                        std::size_t residues)
{
  const std::string where = "residue " + residue_text(r) + " (residue " + std::to_string(index + 1) + " of " +
                            std::to_string(residues) + ", Martini molecule " + m.name + ", " + file_line(m.file, m.line) + ")";
  // virtual_sites3 on constrained frames become rigid bodies; the LAMMPS writer refuses the rest
  // naming the itp's line
  if (!m.virtual_sites.empty() && m.virtual_sites != "virtual_sites3" && m.virtual_sites != "virtual_sitesn")
    fail_at(input, 0, where + ": its [ " + m.virtual_sites + " ] cannot be written for LAMMPS; cg-system does not write this molecule");
  if (m.residue_numbers.size() > 1)
    fail_at(input, 0, where + ": the molecule spans " + std::to_string(m.residue_numbers.size()) +
                      " residues; cg-system writes one-residue molecules (lipids, solvent, ions)");
  std::vector<std::string> have = bead_names(r), want = m.atoms;
  std::sort(have.begin(), have.end());
  std::sort(want.begin(), want.end());
  if (have != want || std::adjacent_find(want.begin(), want.end()) != want.end())
    fail_at(input, 0, where + ": beads " + joined(bead_names(r)) + " are not the itp's " + joined(m.atoms) +
                      (m.name == "CHOL" && have.size() + 1 == want.size()
                           ? " (the martini3 mapping's cholesterol is the older 8-bead model; Martini 3 CHOL has R6 too)"
                           : ""));
  Residue out = r.without_atoms();
  out.name = m.residues.front();
  out.chain.clear();
  for (const std::string &name : m.atoms) out.atoms.push_back(r.atoms[static_cast<std::size_t>(r.find_atom(name))]);
  return out;
}

// The structure with its constrained frames and virtual sites placed (lammps_rigid_frames.h).
Structure with_rigid_frames_placed(const Structure &structure, const Topology &topology)
{
  if (!has_built_virtual_sites(topology)) return structure;
  std::vector<Vec3> positions;
  for (const Residue &r : structure.residues)
    for (const Atom &a : r.atoms) positions.push_back(a.position);
  place_rigid_frames(topology, positions);
  Structure placed = structure;
  std::size_t next = 0;
  for (Residue &r : placed.residues)
    for (Atom &a : r.atoms) a.position = positions[next++];
  return placed;
}

// The solute's molecules with virtual_sites3 (cholesterol) given their rigid frames and sites
// before water goes in around them (lammps_rigid_frames.h): the itps read through a small .top of
// their own, as GROMACS would read them.
void place_rigid_frames_of_solute(MartiniSystem &system, const std::map<std::string, ItpMolecule> &itp)
{
  std::set<std::string> names;
  for (const MartiniMoleculeRun &run : system.molecules)
    if (itp.at(run.name).virtual_sites == "virtual_sites3") names.insert(run.name);
  if (names.empty()) return;
  const fs::path top = fs::temp_directory_path() / ("backmap_frames_" + std::to_string(std::random_device{}()) + ".top");
  {
    std::ofstream os(top);
    os << "#include \"" << (fs::path(system.folder) / martini_main_itp).string() << "\"\n";
    std::set<std::string> files;
    for (const std::string &name : names)
      if (fs::path(itp.at(name).file).filename() != martini_main_itp && files.insert(itp.at(name).file).second)
        os << "#include \"" << itp.at(name).file << "\"\n";
    os << "[ system ]\nframes\n\n[ molecules ]\n";
    for (const std::string &name : names) os << name << " 1\n";
  }
  Topology topology;
  try {
    topology = read_topology(top.string());
  } catch (...) {
    fs::remove(top);
    throw;
  }
  fs::remove(top);
  std::size_t residue = 0;
  for (const MartiniMoleculeRun &run : system.molecules)
    for (int copy = 0; copy < run.count; ++copy, ++residue) {
      if (!names.count(run.name)) continue;
      Residue &r = system.structure.residues[residue];
      std::vector<Vec3> positions;
      for (const Atom &a : r.atoms) positions.push_back(a.position);
      place_rigid_frame(topology, *topology.find_moleculetype(run.name), positions);
      for (std::size_t a = 0; a < r.atoms.size(); ++a) r.atoms[a].position = positions[a];
    }
}

}    // namespace

std::size_t MartiniSystem::ion_beads() const
{
  std::size_t ions = 0;
  for (const MartiniMoleculeRun &run : molecules)
    if (run.name == "NA" || run.name == "CL") ions += static_cast<std::size_t>(run.count);
  return ions;
}

MartiniSystem build_martini_system(const Structure &cg, const std::string &input, const std::string &martini_dir,
                                   const MartiniSystemOptions &options)
{
  if (options.ion_pairs < 0) throw std::invalid_argument("the number of ion pairs must be 0 or more");
  if (options.ion_pairs > 0 && !options.solvate) throw std::invalid_argument("ions replace water beads: they need solvation");
  if (cg.residues.empty()) fail_at(input, 0, "no residues");
  if (!cg.box.periodic) fail_at(input, 0, "no periodic box (GRO box line or PDB CRYST1): LAMMPS and GROMACS need one");
  if (options.solvate && !cg.box.is_orthorhombic()) fail_at(input, 0, "--solvate fills orthorhombic boxes only");
  MartiniSystem system;
  system.input = input;
  system.folder = find_martini_folder(martini_dir);
  const std::map<std::string, ItpMolecule> itp = scan_itps(system.folder);
  std::unique_ptr<MappingSet> mappings;
  try {
    mappings = std::make_unique<MappingSet>(MappingSet::load("martini3"));
  } catch (const std::exception &) {
    // without the mapping set, residues must carry the itps' molecule names
  }

  // every residue a molecule of the itps, checked before anything is written
  system.structure.box = cg.box;
  int last_number = 0;
  for (std::size_t i = 0; i < cg.residues.size(); ++i) {
    const Residue &r = cg.residues[i];
    const ItpMolecule *m = molecule_of(r, itp, mappings.get());
    if (!m)
      fail_at(input, 0, "residue " + residue_text(r) + " (residue " + std::to_string(i + 1) + " of " +
                            std::to_string(cg.residues.size()) + ", beads " + joined(bead_names(r)) +
                            "): no Martini 3 molecule of that name in " + system.folder + "'s itps");
    system.structure.residues.push_back(as_itp_molecule(r, *m, input, i, cg.residues.size()));
    if (system.molecules.empty() || system.molecules.back().name != m->name) system.molecules.push_back({m->name, 0});
    ++system.molecules.back().count;
    system.itp_files.insert(m->file);
    last_number = std::max(last_number, r.number);
    for (double q : m->charges) system.charge += q;
  }
  system.solute_beads = system.structure.atom_count();

  // rigid frames with virtual sites (cholesterol) in place, then water on a lattice around
  // everything, and NA/CL in place of evenly spaced W beads
  place_rigid_frames_of_solute(system, itp);
  if (options.solvate) add_water_and_ions(system, itp, options, last_number);
  system.structure.title = (cg.title.empty() ? input : cg.title) + " (Martini 3, backmap cg-system)";
  return system;
}

MartiniSystemFiles write_martini_system(const MartiniSystem &system, const std::string &prefix_path)
{
  const fs::path prefix(prefix_path);
  if (!prefix.parent_path().empty()) fs::create_directories(prefix.parent_path());
  MartiniSystemFiles files;
  files.top = prefix_path + ".top";
  files.gro = prefix_path + ".gro";
  if (!system.own_itp.empty()) files.itp = prefix_path + ".itp";
  std::vector<std::string> outputs = {".top", ".gro", ".itp", ".settings", ".data", ".coeffs", ".table", ".angles"};
  for (const auto &[suffix, text] : system.parameter_itps) outputs.push_back(suffix);
  for (const std::string &ext : outputs)
    if (same_file(prefix_path + ext, system.input))
      throw std::runtime_error(prefix_path + ": the outputs would overwrite the input " + system.input);
  OutputGuard guard;
  for (const std::string &ext : outputs) guard.paths.push_back(prefix_path + ext);
  // from here on a failure removes the outputs
  if (!files.itp.empty()) write_atomically(files.itp, [&](std::ostream &os) { os << system.own_itp; });
  for (const auto &[suffix, text] : system.parameter_itps) {
    files.parameter_itps.push_back(prefix_path + suffix);
    write_atomically(files.parameter_itps.back(), [&](std::ostream &os) { os << text; });
  }
  write_atomically(files.top, [&](std::ostream &os) {
    os << "; Martini 3 system written by backmap cg-system from " << system.input << "\n"
       << "; run parameters (GROMACS): reaction-field, epsilon-r 15, epsilon-rf 0, rc 1.1 nm, vdw potential-shift\n"
       << "#include \"" << (fs::path(system.folder) / martini_main_itp).string() << "\"\n";
    // beside the .top (GROMACS looks for them in the .top's folder); atom types and non-bonded
    // pairs come before the first molecule type, which the other itps hold
    for (const std::string &file : files.parameter_itps) os << "#include \"" << fs::path(file).filename().string() << "\"\n";
    for (const std::string &file : system.itp_files)
      if (fs::path(file).filename() != martini_main_itp) os << "#include \"" << file << "\"\n";
    if (!files.itp.empty()) os << "#include \"" << fs::path(files.itp).filename().string() << "\"\n";
    os << "\n[ system ]\n" << system.structure.title << "\n\n[ molecules ]\n";
    for (const MartiniMoleculeRun &run : system.molecules) os << run.name << " " << run.count << "\n";
  });
  // LAMMPS's files from what GROMACS would read: the .top, and the coordinates rounded as in the .gro;
  // constrained frames that build virtual sites (cholesterol) put on their constraints and the
  // sites where GROMACS builds them first, in both
  const Topology topology = read_topology(files.top);
  write_gro(with_rigid_frames_placed(system.structure, topology), files.gro);
  const Structure rounded = read_structure(files.gro);
  LammpsWriterOptions lo;
  lo.nonbonded = martini_nonbonded();
  lo.virtual_sites = LammpsVirtualSites::Bonded;    // Martini 3 tryptophan's SC3 (proteins)
  lo.source = files.top + ", " + files.gro;
  files.lammps = write_lammps_system(topology, rounded, prefix_path, lo);
  name_beads_for_fix_backmap(files.lammps.data, system.structure, files.lammps.carried_sites);
  guard.done = true;
  return files;
}

}    // namespace BACKMAP
