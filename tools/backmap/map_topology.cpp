// backmap map --martini-topology (see map_topology.h): the atomistic structure mapped as `map` maps it,
// its secondary structure (--ss, else DSSP), martinize2's topology rules from vermouth's
// martini3001 force field (core: martinize_protein), and the system written for GROMACS and
// LAMMPS (core: martini_protein_system, write_martini_system).
#include "map_topology.h"
#include "report.h"

#include "forward_mapping.h"
#include "secondary_structure.h"
#include "structure_io.h"
#include "vermouth_force_field.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace BACKMAP::tool {

void add_topology_options(CLI::App &sub, TopologyOptions &o)
{
  const std::string group = "Martini 3 protein system (--martini-topology)";
  sub.add_flag("--martini-topology", o.enabled,
               "write a Martini 3 protein system with martinize2's rules (vermouth martini3001): -o is a PREFIX for "
               "PREFIX.top/.itp/.gro and the LAMMPS files PREFIX.settings/.data/.coeffs/.table/.angles")
      ->group(group);
  sub.add_option("--ss", o.secondary_structure,
                 "secondary structure as DSSP letters (H B E G I T S C), one per protein residue or one for all, as "
                 "martinize2 -ss; none: no secondary structure (martinize2 without -ss/-dssp); default: run DSSP")
      ->group(group);
  sub.add_option("--dssp", o.dssp, "DSSP program (mkdssp 4.x, or 2.x/3.x); default: mkdssp on PATH")->group(group);
  CLI::Option *elastic =
      sub.add_flag("--elastic", o.elastic, "martinize2's elastic network (-elastic) between backbone beads")->group(group);
  sub.add_option("--ef", o.network.force_constant, "elastic bond force constant (kJ/mol/nm^2)")->capture_default_str()->group(group);
  sub.add_option("--el", o.network.lower, "elastic bond lower cutoff (nm; only with --ea)")->capture_default_str()->group(group);
  sub.add_option("--eu", o.network.upper, "elastic bond upper cutoff (nm)")->capture_default_str()->group(group);
  sub.add_option("--ea", o.network.decay_factor, "elastic bond decay factor")->capture_default_str()->group(group);
  sub.add_option("--ep", o.network.decay_power, "elastic bond decay power")->capture_default_str()->group(group);
  sub.add_option("--em", o.network.minimum_force, "elastic bonds below this force constant are left out")
      ->capture_default_str()
      ->group(group);
  sub.add_option("--ermd", o.network.residue_separation,
                 "no elastic bond between residues this many bonds apart or fewer (default: the force field's, else 2)")
      ->group(group);
  sub.add_option("--eunit", o.network.unit, "elastic network within: molecule, chain, or residue ranges 1:50,60:80")
      ->capture_default_str()
      ->group(group);
  sub.add_flag("--go", o.go,
               "GoMartini (martinize2 -go): a CA virtual site on every backbone bead and Lennard-Jones Go contacts between "
               "sites from the contact map (OV + rCSU) of the atomistic input; writes PREFIX_go_atomtypes.itp and "
               "PREFIX_go_nbparams.itp, and merges all chains into one molecule")
      ->excludes(elastic)
      ->group(group);
  sub.add_option("--go-eps", o.go_model.epsilon, "Go contact well depth (kJ/mol)")->capture_default_str()->group(group);
  sub.add_option("--go-low", o.go_model.lower, "no Go contact between backbone beads closer than this (nm)")
      ->capture_default_str()
      ->group(group);
  sub.add_option("--go-up", o.go_model.upper, "no Go contact between backbone beads further apart than this (nm)")
      ->capture_default_str()
      ->group(group);
  sub.add_option("--go-res-dist", o.go_model.residue_separation,
                 "no Go contact between residues this many bonds apart or fewer in the residue graph")
      ->capture_default_str()
      ->group(group);
  sub.add_option("--go-name", o.go_model.prefix,
                 "name of the merged molecule and prefix of the sites' atom types NAME_1, NAME_2, ... (martinize2 -name; "
                 "give each protein its own when combining several)")
      ->capture_default_str()
      ->group(group);
  sub.add_option("--go-write-file", o.go_write_file, "write the contact map to this file (martinize2's -go-write-file format)")
      ->group(group);
  sub.add_flag("--no-scfix", o.no_scfix, "leave out the side-chain corrections (martinize2 -noscfix)")->group(group);
  sub.add_flag("--extdih", o.extdih, "dihedrals instead of elastic bonds in extended regions (martinize2 -ed)")->group(group);
  sub.add_flag("--neutral-termini", o.neutral_termini, "neutral termini (martinize2 -nt)")->group(group);
  sub.add_option("--cys", o.cys, "disulfide bridges: auto (from the structure) or none")
      ->check(CLI::IsMember({"auto", "none"}))
      ->capture_default_str()
      ->group(group);
  sub.add_flag("--solvate", o.system.solvent.solvate, "fill the box with Martini water (W)")->group(group);
  sub.add_option("--ions", o.system.solvent.ion_pairs, "NA/CL pairs in place of W beads (with --solvate)")
      ->capture_default_str()
      ->group(group);
  sub.add_flag("--neutralize", o.system.solvent.neutralize, "NA or CL in place of W beads to a total charge of 0 (with --solvate)")
      ->group(group);
  sub.add_option("--padding", o.system.padding, "box: the protein's extent plus this on every side (A)")->capture_default_str()->group(group);
  sub.add_option("--water-distance", o.system.solvent.water_distance, "no W closer than this to a protein bead (A)")
      ->capture_default_str()
      ->group(group);
  sub.add_option("--martinize-ff", o.martinize_ff,
                 "folder of vermouth's martini3001 .ff files (default: build/forcefields/martini3001, "
                 "../shared/data/mappings-src/vermouth-martini3001-forcefield)")
      ->group(group);
  sub.add_option("--martini-dir", o.martini_dir, "folder of the Martini 3 itps (as cg-system)")->group(group);
}

int run_map_topology(const std::string &input, const std::string &output, const std::string &mapping,
                     const TopologyOptions &o, bool json)
{
  const MappingSet mappings = MappingSet::load(mapping);
  const Structure atomistic = read_structure(input);
  const ForwardMapping fm = map_to_cg(atomistic, mappings);
  if (fm.cg.residues.empty()) throw std::runtime_error(input + ": no residue could be mapped with mapping '" + mapping + "'");
  const VermouthForceField ff = load_martini3001_force_field(o.martinize_ff);

  MartinizeOptions options;
  std::string ss_source = "--ss";
  options.secondary_structure = o.secondary_structure;
  if (o.secondary_structure == "none" || o.secondary_structure == "NONE") {
    // martinize2 without -ss or -dssp: no secondary structure at all (not the same as coil, C)
    options.secondary_structure.clear();
    ss_source = "none";
  } else if (options.secondary_structure.empty()) {
    const std::string dssp = o.dssp.empty() ? find_dssp() : o.dssp;
    if (dssp.empty())
      throw std::runtime_error("no DSSP program (mkdssp) on PATH: install Debian's dssp, give --dssp PATH, or give the "
                               "secondary structure with --ss (e.g. --ss C for none)");
    Structure protein;
    for (const MappedResidue &r : fm.residues) protein.residues.push_back(fm.atomistic.residues[static_cast<std::size_t>(r.residue)]);
    options.secondary_structure = run_dssp(protein, dssp);
    ss_source = dssp;
  }
  options.side_chain_fixes = !o.no_scfix;
  options.extended_dihedrals = o.extdih;
  options.neutral_termini = o.neutral_termini;
  options.cysteine_bridges = o.cys == "auto";
  options.elastic = o.elastic;
  options.network = o.network;
  options.go = o.go;
  options.go_model = o.go_model;
  if (!o.go && !o.go_write_file.empty()) throw std::runtime_error("--go-write-file needs --go");
  const MartinizedProtein protein = martinize_protein(fm, ff, options, input);

  ProteinSystemOptions system_options = o.system;
  std::ostringstream command;
  system_options.header = {"Martini 3 protein written by backmap map --martini-topology from " + input,
                           "with martinize2's rules from the vermouth martini3001 force field:"};
  for (const std::string &f : ff.files) system_options.header.push_back("  " + f);
  system_options.header.push_back("secondary structure (" + ss_source + "): " + protein.dssp);
  system_options.header.push_back("as Martini sees it:        " + protein.martini_secondary_structure);
  system_options.header.push_back(std::string("side-chain corrections ") + (options.side_chain_fixes ? "on" : "off") +
                                  ", termini " + (options.neutral_termini ? "neutral" : "charged") + ", elastic network " +
                                  (options.elastic ? "on (" + std::to_string(protein.elastic_bonds) + " bonds)" : "off"));
  if (options.go) {
    char go[200];
    std::snprintf(go, sizeof go, "GoMartini: %zu sites, %zu Go contacts (epsilon %g kJ/mol, %g < d(BB) < %g nm, more than %d residues apart)",
                  protein.go.site_types.size(), protein.go.pairs.size(), o.go_model.epsilon, o.go_model.lower, o.go_model.upper,
                  o.go_model.residue_separation);
    system_options.header.push_back(go);
    system_options.header.push_back("  from the contact map of " + input + ": " + std::to_string(protein.go_map_pairs) +
                                    " residue pairs, " + std::to_string(protein.go_map_taken) + " of them OV or rCSU contacts");
  }
  const MartiniSystem system = build_martini_protein_system(protein, input, o.martini_dir, system_options);
  const MartiniSystemFiles files = write_martini_system(system, output);
  if (o.go && !o.go_write_file.empty()) {
    std::ofstream map_file(o.go_write_file);
    if (!(map_file << protein.go_contact_map)) throw std::runtime_error(o.go_write_file + ": cannot write the contact map");
  }

  std::size_t beads = 0, terms = 0;
  for (const CgMolecule &m : protein.molecules) beads += m.beads.size(), terms += m.term_count();
  const std::vector<std::string> lammps = {"include         " + files.lammps.settings, files.lammps.read_data_line,
                                           "include         " + files.lammps.coeffs};
  const double charge = std::round(system.charge * 1e6) / 1e6;
  if (json) {
    nlohmann::json molecules = nlohmann::json::array();
    for (const CgMolecule &m : protein.molecules)
      molecules.push_back({{"name", m.name}, {"residues", m.residues.size()}, {"beads", m.beads.size()}, {"terms", m.term_count()}});
    nlohmann::json j = {{"format_version", 1},
                        {"input", input},
                        {"force_field", ff.files},
                        {"secondary_structure", {{"source", ss_source}, {"dssp", protein.dssp}, {"martini", protein.martini_secondary_structure}}},
                        {"molecules", molecules},
                        {"protein_beads", beads},
                        {"elastic_bonds", protein.elastic_bonds},
                        {"go_sites", protein.go.site_types.size()},
                        {"go_contacts", protein.go.pairs.size()},
                        {"go_map_pairs", protein.go_map_pairs},
                        {"go_map_contacts", protein.go_map_taken},
                        {"water_beads", system.water_beads},
                        {"ion_beads", system.ion_beads()},
                        {"beads", system.structure.atom_count()},
                        {"total_charge", charge},
                        {"files", {{"top", files.top}, {"itp", files.itp}, {"gro", files.gro}, {"settings", files.lammps.settings},
                                   {"data", files.lammps.data}, {"coeffs", files.lammps.coeffs}, {"table", files.lammps.table},
                                   {"angles", files.lammps.angle_table}, {"parameter_itps", files.parameter_itps}}},
                        {"lammps", lammps},
                        {"coulomb_self_energy_kcal_mol", files.lammps.coulomb_self_energy},
                        {"dihedral_constant_energy_kcal_mol", files.lammps.dihedral_constant_energy},
                        {"skipped", skipped_json(fm.skipped)}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << input << " -> " << protein.molecules.size() << " Martini 3 protein molecule(s), " << beads << " beads, " << terms
            << " bonded terms";
  if (options.elastic) std::cout << " (" << protein.elastic_bonds << " elastic bonds)";
  if (options.go)
    std::cout << " (GoMartini: " << protein.go.site_types.size() << " CA sites, " << protein.go.pairs.size() << " Go contacts of "
              << protein.go_map_taken << " in the contact map)";
  std::cout << "\n  secondary structure (" << ss_source << "): " << protein.dssp << "\n";
  if (o.system.solvent.solvate)
    std::cout << "  " << system.water_beads << " W and " << system.ion_beads() << " ions; ";
  else
    std::cout << "  in vacuum; ";
  std::cout << system.structure.atom_count() << " beads, total charge " << charge << "\n"
            << "  GROMACS: " << files.top << ", " << files.itp << ", " << files.gro;
  for (const std::string &f : files.parameter_itps) std::cout << ", " << f;
  std::cout << "\n"
            << "  LAMMPS: " << files.lammps.settings << ", " << files.lammps.data << ", " << files.lammps.coeffs
            << (files.lammps.table.empty() ? "" : ", " + files.lammps.table)
            << (files.lammps.angle_table.empty() ? "" : ", " + files.lammps.angle_table) << "\n"
            << "  in a LAMMPS input (the data file is also fix backmap's topology):\n";
  for (const std::string &line : lammps) std::cout << "    " << line << "\n";
  print_skipped(std::cout, fm.skipped);
  if (std::abs(charge) > 1e-6) std::cout << "  note: the system is not neutral (--neutralize adds counter-ions)\n";
  return 0;
}

}    // namespace BACKMAP::tool
