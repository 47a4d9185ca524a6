// backmap cg-system CG -o PREFIX: a Martini 3 CG structure (lipids as `backmap map` writes them)
// made into a system that GROMACS and LAMMPS both run: PREFIX.top (#include of the Martini 3
// itps, [ molecules ] from the residues), PREFIX.gro, optionally Martini water and NA/CL ions,
// and the LAMMPS files of lammps_system_writer (Martini 3's reaction field), whose data file
// also names every bead the way fix backmap reads a topology. The work is the core's
// (martini_system, martini_solvation, martini_itps); this is its command line.
#include "commands.h"

#include "martini_system.h"
#include "structure_io.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>
#include <memory>
#include <stdexcept>

namespace BACKMAP::tool {

namespace {

struct CgSystemOptions {
  std::string input, prefix, martini_dir;
  bool solvate = false, json = false;
  int ion_pairs = 0;
  double water_distance = 4.3;    // A: no W closer than this to a bead of the input
};

int run_cg_system(const CgSystemOptions &o)
{
  if (o.ion_pairs < 0) throw std::runtime_error("--ions must be 0 or more");
  if (o.ion_pairs > 0 && !o.solvate) throw std::runtime_error("--ions replaces water beads: it needs --solvate");
  const Structure cg = read_structure(o.input);
  MartiniSystemOptions options;
  options.solvate = o.solvate;
  options.ion_pairs = o.ion_pairs;
  options.water_distance = o.water_distance;
  const MartiniSystem system = build_martini_system(cg, o.input, o.martini_dir, options);
  const MartiniSystemFiles written = write_martini_system(system, o.prefix);

  const std::vector<MartiniMoleculeRun> &runs = system.molecules;
  const std::size_t ions = system.ion_beads(), solute_beads = system.solute_beads, waters = system.water_beads;
  const std::string &folder = system.folder, &top = written.top, &gro = written.gro;
  const LammpsSystemFiles &files = written.lammps;
  const double charge = system.charge;
  const std::vector<std::string> lammps_lines = {"include         " + files.settings, files.read_data_line,
                                                 "include         " + files.coeffs};
  if (o.json) {
    nlohmann::json molecules = nlohmann::json::array();
    for (const MartiniMoleculeRun &run : runs) molecules.push_back({{"name", run.name}, {"count", run.count}});
    nlohmann::json j = {{"format_version", 1},
                        {"input", o.input},
                        {"martini_dir", folder},
                        {"molecules", molecules},
                        {"solute_beads", solute_beads},
                        {"water_beads", waters},
                        {"ion_pairs", ions / 2},
                        {"beads", system.structure.atom_count()},
                        {"total_charge", std::round(charge * 1e6) / 1e6},
                        {"files",
                         {{"top", top},
                          {"gro", gro},
                          {"settings", files.settings},
                          {"data", files.data},
                          {"coeffs", files.coeffs},
                          {"table", files.table}}},
                        {"lammps", lammps_lines},
                        {"coulomb_self_energy_kcal_mol", files.coulomb_self_energy},
                        {"rigid_bodies", files.rigid_bodies},
                        {"rigid_body_atom_types", files.rigid_body_types}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << o.input << " -> " << system.structure.atom_count() << " Martini 3 beads: ";
  for (std::size_t i = 0; i < runs.size(); ++i) std::cout << (i ? ", " : "") << runs[i].count << " " << runs[i].name;
  std::cout << "\n  " << solute_beads << " beads from the input";
  if (o.solvate)
    std::cout << ", " << waters << " W (4 waters each, lattice at 1 g/cm^3, none within " << o.water_distance
              << " A of a bead), " << ions / 2 << " NA/CL pair(s)";
  std::cout << "; total charge " << std::round(charge * 1e6) / 1e6 << "\n"
            << "  force field: " << folder << "\n"
            << "  GROMACS: " << top << ", " << gro << "\n"
            << "  LAMMPS: " << files.settings << ", " << files.data << ", " << files.coeffs
            << (files.table.empty() ? "" : ", " + files.table) << "\n"
            << "  in a LAMMPS input (the data file is also fix backmap's topology):\n";
  for (const std::string &line : lammps_lines) std::cout << "    " << line << "\n";
  if (files.rigid_bodies > 0)
    std::cout << "  " << files.rigid_bodies << " rigid bodies (constrained frames with virtual sites, e.g. cholesterol): the\n"
              << "  coefficients file defines groups rigid_bodies and free_beads; integrate them with\n"
              << "    fix rigid rigid_bodies rigid/small molecule\n    fix free free_beads nve\n";
  if (std::abs(charge) > 1e-6) std::cout << "  warning: the system is not neutral\n";
  return 0;
}

}    // namespace

Runner add_cg_system_command(CLI::App &app)
{
  auto o = std::make_shared<CgSystemOptions>();
  CLI::App *sub = app.add_subcommand(
      "cg-system", "Write a Martini 3 CG system (GROMACS .top/.gro, LAMMPS files) from a CG structure, with water and ions");
  sub->add_option("input", o->input, "CG structure (GRO or PDB with a box), e.g. from backmap map")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", o->prefix, "Prefix of the files written: PREFIX.top/.gro, PREFIX.settings/.data/.coeffs/.table")
      ->required();
  sub->add_option("--martini-dir", o->martini_dir,
                  "Folder of the Martini 3 itps (default: $BACKMAP_FORCEFIELDS/martini3, build/forcefields/martini3, "
                  "../shared/data/forcefields/martini3 beside the repository)");
  sub->add_flag("--solvate", o->solvate, "Fill the box with Martini water (W) wherever no bead is near");
  sub->add_option("--ions", o->ion_pairs, "NA/CL pairs in place of W beads (with --solvate)")->capture_default_str();
  sub->add_option("--water-distance", o->water_distance, "No W closer than this to a bead of the input (A)")
      ->capture_default_str();
  sub->add_flag("--json", o->json, "Print the summary as JSON");
  return [o]() { return run_cg_system(*o); };
}

}    // namespace BACKMAP::tool

