// backmap lammps-system TOP GRO -o PREFIX: a GROMACS system as it is (martinize2's, insane's or
// polyply's outputs, backmap's own, a user's) written as LAMMPS files that run the same force
// field. The work is the core's (gromacs_to_lammps); this is its command line.
#include "commands.h"

#include "gromacs_to_lammps.h"
#include "lammps_nonbonded.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>

namespace BACKMAP::tool {

namespace {

struct LammpsSystemOptions {
  std::string top, gro, prefix, scheme = "auto";
  std::vector<std::string> defines, include_folders;
  double cutoff = 0.0, switch_from = 0.0, epsilon_r = 0.0;
  bool json = false;
};

const char *scheme_name(LammpsCutoffScheme s)
{
  switch (s) {
    case LammpsCutoffScheme::Plain: return "plain";
    case LammpsCutoffScheme::CharmmSwitch: return "switch";
    case LammpsCutoffScheme::ReactionField: return "reaction-field";
  }
  return "?";
}

// The cut-off scheme asked for on the command line; none for "auto" without further options.
std::optional<LammpsNonbonded> nonbonded_of(const LammpsSystemOptions &o)
{
  LammpsNonbonded nb;
  if (o.scheme == "auto") {
    if (o.cutoff > 0 || o.switch_from > 0 || o.epsilon_r > 0)
      throw std::runtime_error("--cutoff, --switch-from and --epsilon-r need --nonbonded plain, switch or reaction-field");
    return std::nullopt;
  }
  if (o.scheme == "reaction-field") {
    nb = martini_nonbonded();
  } else if (o.scheme == "switch") {    // CHARMM's usual 10-12 A, as backmap build writes all-atom systems
    nb.scheme = LammpsCutoffScheme::CharmmSwitch;
    nb.switch_from = 10.0;
    nb.cutoff = 12.0;
  } else if (o.scheme != "plain") {
    throw std::runtime_error("--nonbonded: auto, plain, switch or reaction-field, not " + o.scheme);
  }
  if (o.cutoff > 0) nb.cutoff = o.cutoff;
  if (o.switch_from > 0) nb.switch_from = o.switch_from;
  if (o.epsilon_r > 0) nb.epsilon_r = o.epsilon_r;
  return nb;
}

int run_lammps_system(const LammpsSystemOptions &o)
{
  PreprocessorOptions pre;
  pre.include_folders = o.include_folders;
  for (const std::string &folder : default_include_folders()) pre.include_folders.push_back(folder);
  for (const std::string &d : o.defines) add_define_option(pre, d);
  const GromacsSystemLammpsFiles written = write_lammps_files_of_gromacs_system(o.top, o.gro, o.prefix, pre, nonbonded_of(o));
  const LammpsSystemFiles &files = written.files;
  const LammpsNonbonded &nb = written.nonbonded;
  std::vector<std::string> lammps_lines = {"include         " + files.settings, files.read_data_line,
                                           "include         " + files.coeffs};
  if (o.json) {
    nlohmann::json molecules = nlohmann::json::array();
    for (const MoleculeCount &m : written.molecules) molecules.push_back({{"name", m.name}, {"count", m.count}});
    nlohmann::json j = {{"format_version", 1},
                        {"top", o.top},
                        {"gro", o.gro},
                        {"molecules", molecules},
                        {"atoms", written.atoms},
                        {"total_charge", std::round(written.charge * 1e6) / 1e6},
                        {"nonbonded", {{"scheme", scheme_name(nb.scheme)}, {"cutoff", nb.cutoff}, {"epsilon_r", nb.epsilon_r}}},
                        {"pair_style", files.pair_style},
                        {"special_bonds", files.special_bonds},
                        {"files",
                         {{"settings", files.settings},
                          {"data", files.data},
                          {"coeffs", files.coeffs},
                          {"cmap", files.cmap},
                          {"table", files.table},
                          {"angle_table", files.angle_table}}},
                        {"lammps", lammps_lines},
                        {"coulomb_self_energy_kcal_mol", files.coulomb_self_energy},
                        {"dihedral_constant_energy_kcal_mol", files.dihedral_constant_energy},
                        {"constraint_bond_types", files.constraint_bond_types},
                        {"virtual_sites_bonded", files.virtual_sites_bonded},
                        {"carried_sites", files.carried_sites.size()},
                        {"rigid_bodies", files.rigid_bodies}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << o.top << " + " << o.gro << " -> " << written.atoms << " atoms: ";
  for (std::size_t i = 0; i < written.molecules.size(); ++i)
    std::cout << (i ? ", " : "") << written.molecules[i].count << " " << written.molecules[i].name;
  std::cout << "; total charge " << std::round(written.charge * 1e6) / 1e6 << "\n"
            << "  non-bonded: " << scheme_name(nb.scheme) << ", cut-off " << nb.cutoff << " A (pair_style "
            << files.pair_style << "; special_bonds " << files.special_bonds << ")\n"
            << "  LAMMPS: " << files.settings << ", " << files.data << ", " << files.coeffs
            << (files.cmap.empty() ? "" : ", " + files.cmap) << (files.table.empty() ? "" : ", " + files.table)
            << (files.angle_table.empty() ? "" : ", " + files.angle_table) << "\n"
            << "  in a LAMMPS input:\n";
  for (const std::string &line : lammps_lines) std::cout << "    " << line << "\n";
  if (files.coulomb_self_energy != 0.0)
    std::cout << "  GROMACS's Coulomb (SR) also holds the reaction field's constant " << files.coulomb_self_energy
              << " kcal/mol, which has no force and which LAMMPS leaves out\n";
  if (files.virtual_sites_bonded)
    std::cout << "  [ virtual_sitesn ] centres are beads held by stiff bonds (an approximation; doc/backmap_tool.md)\n";
  if (files.rigid_bodies > 0)
    std::cout << "  " << files.rigid_bodies << " rigid bodies (constrained frames with virtual sites): integrate them with\n"
              << "    fix rigid rigid_bodies rigid/small molecule\n    fix free free_beads nve\n";
  return 0;
}

}    // namespace

Runner add_lammps_system_command(CLI::App &app)
{
  auto o = std::make_shared<LammpsSystemOptions>();
  CLI::App *sub = app.add_subcommand(
      "lammps-system", "Write LAMMPS files that run a GROMACS system (.top + .gro: martinize2, insane, polyply, your own)");
  sub->add_option("top", o->top, "GROMACS topology (.top), read as grompp reads it")->required()->check(CLI::ExistingFile);
  sub->add_option("gro", o->gro, "Coordinates and box (.gro, or PDB with a box), atoms in the topology's order")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", o->prefix, "Prefix of the files written: PREFIX.settings/.data/.coeffs (.cmap/.table/.angles)")
      ->required();
  sub->add_option("-D,--define", o->defines, "A define as grompp's -DNAME[=value] (repeatable), e.g. -D POSRES");
  sub->add_option("-I,--include", o->include_folders,
                  "Folder searched for #include files before $GMXLIB and GROMACS's own (repeatable)");
  sub->add_option("--nonbonded", o->scheme,
                  "Cut-off scheme: auto (from the force field: Martini's reaction field, CHARMM's switch 10-12 A, "
                  "else plain 10 A), plain, switch or reaction-field")
      ->capture_default_str();
  sub->add_option("--cutoff", o->cutoff, "Cut-off (A) for plain, switch or reaction-field");
  sub->add_option("--switch-from", o->switch_from, "Where switching starts (A), with switch");
  sub->add_option("--epsilon-r", o->epsilon_r, "Relative permittivity (GROMACS epsilon-r)");
  sub->add_flag("--json", o->json, "Print the summary as JSON");
  return [o]() { return run_lammps_system(*o); };
}

}    // namespace BACKMAP::tool
