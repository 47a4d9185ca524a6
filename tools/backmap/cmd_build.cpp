// backmap build: a simulation-ready all-atom system from heavy atoms (a backmapped structure):
// hydrogens and termini by the force field's rules, as pdb2gmx places them, and the files to
// run it with: GROMACS .top/.gro and LAMMPS settings/data/coeffs.
#include "commands.h"

#include "all_atom_builder.h"
#include "all_atom_frames.h"
#include "all_atom_topology.h"
#include "file_error.h"
#include "force_field_folders.h"
#include "gromacs_system_writer.h"
#include "lammps_system_writer.h"
#include "mapping_set.h"
#include "metrics.h"
#include "minimisation_protocol.h"
#include "structure_io.h"
#include "topology_file.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

namespace BACKMAP::tool {

namespace {

struct BuildCommandOptions {
  std::string input, prefix, force_field = "charmm36", n_terminus, c_terminus;
  double margin = 15.0;
  std::vector<double> disulfide_range = {1.8, 2.2};    // A, SG-SG: pdb2gmx's 2.0 +- 10 %
  bool lammps = true, gromacs = true, json = false;
  // minimisation in LAMMPS: hydrogens with heavy atoms fixed, then everything with the heavy
  // atoms held by springs, to a loose force tolerance (the seed's 500 kJ/mol/nm) so that the
  // structure stays the one the CG frame gave
  bool minimize = false;
  std::string lammps_binary;
  double restraint = 10.0;                   // kcal/mol/A^2 on each heavy atom
  double force_tolerance = 500.0 / 41.84;    // kcal/mol/A: 500 kJ/mol/nm, largest force component
  int max_iterations = 5000;
  std::string reference;    // the true structure, when known: RMSD, clashes, chirality before and after
};

// The system under its input residue names (HIS, not HSE), for comparison with a reference.
Structure with_input_names(const AllAtomSystem &system)
{
  Structure s = system.structure();
  for (std::size_t r = 0; r < s.residues.size(); ++r) s.residues[r].name = system.residues[r].name;
  return s;
}

#ifndef BACKMAP_LAMMPS_BINARY_DEFAULT
#define BACKMAP_LAMMPS_BINARY_DEFAULT ""
#endif

// The LAMMPS input of the two-stage minimisation (minimisation_protocol.h); energies go to
// PREFIX.minimize.txt, the atoms (sorted by ID, which is the system's order) to
// PREFIX.minimized.dump.
std::string minimize_input(const LammpsSystemFiles &files, const std::string &prefix, const BuildCommandOptions &o)
{
  std::ostringstream in;
  in << "# written by backmap build: two-stage minimisation of " << prefix << "\n"
     << "include " << files.settings << "\n"
     << files.read_data_line << "\n"
     << "include " << files.coeffs << "\n";
  for (const auto &c : heavy_atom_group_commands("heavy")) in << c << "\n";
  in << "neighbor 2.0 bin\nneigh_modify every 1 delay 0 check yes\n"
     << "thermo 100\nthermo_style custom step pe ebond eangle edihed eimp evdwl ecoul fmax\n"
     << "run 0\n"
     << "print \"start $(pe:%.6f) $(fmax:%.6f)\" file " << prefix << ".minimize.txt\n";
  MinimisationProtocol protocol;
  protocol.restraint = o.restraint;
  protocol.force_tolerance = o.force_tolerance;
  protocol.max_iterations = o.max_iterations;
  const std::string report = "\" append " + prefix + ".minimize.txt";
  for (const auto &c : minimisation_commands(protocol, "heavy", {"run 0", "print \"hydrogens $(pe:%.6f) $(fmax:%.6f)" + report},
                                             {"run 0", "print \"all $(pe:%.6f) $(fmax:%.6f)" + report}))
    in << c << "\n";
  in << "write_dump all custom " << prefix << ".minimized.dump id x y z modify sort id format float %.6f\n"
     << "write_data " << prefix << ".minimized.data\n";
  return in.str();
}

struct MinimizeReport {
  double start = 0, hydrogens = 0, all = 0, fmax_start = 0, fmax_end = 0;
  double heavy_rmsd = 0, heavy_max = 0;
  std::size_t heavy_atoms = 0;
};

// Runs the minimisation with the LAMMPS binary; the minimised positions replace the system's.
MinimizeReport run_minimisation(AllAtomSystem &system, const LammpsSystemFiles &files, const BuildCommandOptions &o)
{
  std::string lmp = o.lammps_binary;
  if (lmp.empty() && std::getenv("BACKMAP_LAMMPS")) lmp = std::getenv("BACKMAP_LAMMPS");
  if (lmp.empty()) lmp = BACKMAP_LAMMPS_BINARY_DEFAULT;
  if (lmp.empty() || !std::filesystem::exists(lmp))
    throw std::runtime_error("--minimize needs a LAMMPS binary with the MOLECULE package: give --lammps-binary PATH or set "
                             "BACKMAP_LAMMPS (tools/setup.sh builds build/bin/lmp)");
  const std::string input = o.prefix + ".minimize.in", log = o.prefix + ".minimize.log";
  write_atomically(input, [&](std::ostream &os) { os << minimize_input(files, o.prefix, o); });
  std::filesystem::remove(o.prefix + ".minimize.txt");
  const std::string cmd = "\"" + lmp + "\" -in \"" + input + "\" -log \"" + log + "\" -screen none > /dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0)
    throw std::runtime_error("LAMMPS stopped in the minimisation of " + o.prefix + " (its log: " + log + ")");
  MinimizeReport r;
  {
    std::ifstream in(o.prefix + ".minimize.txt");
    std::string stage;
    double pe = 0, fmax = 0;
    while (in >> stage >> pe >> fmax) {
      if (stage == "start") r.start = pe, r.fmax_start = fmax;
      if (stage == "hydrogens") r.hydrogens = pe;
      if (stage == "all") r.all = pe, r.fmax_end = fmax;
    }
    if (stage != "all") throw std::runtime_error(o.prefix + ".minimize.txt: the minimisation did not finish (see " + log + ")");
  }
  std::ifstream dump(o.prefix + ".minimized.dump");
  std::string line;
  while (std::getline(dump, line) && line.rfind("ITEM: ATOMS", 0) != 0) {
  }
  double sq = 0;
  for (auto &res : system.residues)
    for (auto &a : res.atoms) {
      long id = 0;
      Vec3 x;
      if (!(dump >> id >> x.x() >> x.y() >> x.z())) throw std::runtime_error(o.prefix + ".minimized.dump: fewer atoms than the system");
      if (a.name[0] != 'H') {
        const double d = (x - a.position).norm();
        sq += d * d;
        r.heavy_max = std::max(r.heavy_max, d);
        ++r.heavy_atoms;
      }
      a.position = x;
    }
  r.heavy_rmsd = r.heavy_atoms ? std::sqrt(sq / r.heavy_atoms) : 0;
  return r;
}

// A box for a structure that has none: its extent plus `margin` on every side, the atoms moved
// to sit inside it (a vacuum system; LAMMPS and GROMACS both need a box).
Vec3 put_in_a_box(AllAtomSystem &system, double margin)
{
  Vec3 lo = Vec3::Constant(1e300), hi = Vec3::Constant(-1e300);
  for (const auto &r : system.residues)
    for (const auto &a : r.atoms) {
      lo = lo.cwiseMin(a.position);
      hi = hi.cwiseMax(a.position);
    }
  const Vec3 shift = Vec3::Constant(margin) - lo;
  for (auto &r : system.residues)
    for (auto &a : r.atoms) a.position += shift;
  const Vec3 size = hi - lo + Vec3::Constant(2 * margin);
  system.box = Box::orthorhombic(size.x(), size.y(), size.z());
  return shift;
}

int run_build(const BuildCommandOptions &o)
{
  if (!(o.disulfide_range[0] >= 0 && o.disulfide_range[0] < o.disulfide_range[1]))
    throw std::runtime_error("--disulfide-range " + std::to_string(o.disulfide_range[0]) + " " +
                             std::to_string(o.disulfide_range[1]) + ": give MIN MAX in Angstrom with 0 <= MIN < MAX");
  const Structure heavy = read_structure(o.input);
  const std::string ff = find_force_field(o.force_field);
  const ResidueDatabase db = ResidueDatabase::load(ff);
  BuildOptions options;
  options.n_terminus = o.n_terminus;
  options.c_terminus = o.c_terminus;
  options.disulfide_min = o.disulfide_range[0];
  options.disulfide_max = o.disulfide_range[1];
  AllAtomSystem system = build_all_atom_system(heavy, db, options);
  const bool boxed = system.box.periodic;
  const Vec3 moved_by = boxed ? Vec3::Zero() : put_in_a_box(system, o.margin);
  const AllAtomTopology topology = generate_topology(system, db);

  const std::filesystem::path prefix(o.prefix);
  if (!prefix.parent_path().empty()) std::filesystem::create_directories(prefix.parent_path());
  const std::string top = o.prefix + ".top", gro = o.prefix + ".gro";
  if (same_file(top, o.input) || same_file(gro, o.input))
    throw std::runtime_error(o.prefix + ": the outputs would overwrite the input " + o.input);
  // the .top is the one description both engines' files come from: LAMMPS's are made from it
  // as grompp would read it
  const std::string include = std::filesystem::absolute(std::filesystem::path(ff) / "forcefield.itp").string();
  write_gromacs_system(system, topology, include, top, gro, "BACKMAP all-atom system from " + o.input);
  LammpsSystemFiles lammps;
  if (o.lammps) {
    PreprocessorOptions pre;
    pre.include_folders = default_include_folders();
    const Topology t = read_topology(top, pre);
    LammpsWriterOptions lo;
    lo.nonbonded = all_atom_nonbonded(t);    // as fix backmap and its replica write them
    lo.source = top + ", " + gro;
    std::vector<Vec3> positions;
    for (const auto &r : system.residues)
      for (const auto &a : r.atoms) positions.push_back(a.position);
    lammps = write_lammps_system(t, positions, system.box, o.prefix, lo);
  }
  const MappingSet mappings = MappingSet::load("martini3");    // canonical atom names for the comparison
  std::optional<Structure> reference;
  if (!o.reference.empty()) reference = read_structure(o.reference);
  auto against_reference = [&](const AllAtomSystem &s) {
    Structure at_input = with_input_names(s);    // where the input had it, before the move into a box
    for (auto &r : at_input.residues)
      for (auto &a : r.atoms) a.position -= moved_by;
    return compare_structures(*reference, at_input, mappings);
  };
  std::optional<StructureMetrics> before, after;
  if (reference) before = against_reference(system);
  MinimizeReport minimised;
  if (o.minimize) {
    if (!o.lammps) throw std::runtime_error("--minimize runs LAMMPS on the LAMMPS files: drop --no-lammps");
    minimised = run_minimisation(system, lammps, o);
    Structure s = system.structure();
    s.title = "BACKMAP all-atom system from " + o.input + ", minimised";
    write_pdb({s}, o.prefix + ".minimized.pdb");
    write_gro(s, o.prefix + ".minimized.gro");
    if (reference) after = against_reference(system);
  }
  if (!o.gromacs) {
    std::filesystem::remove(top);
    std::filesystem::remove(gro);
  }

  std::size_t chains = 0;
  for (const auto &r : system.residues) chains += r.chain_start;
  if (o.json) {
    nlohmann::json j = {{"input", o.input},
                        {"force_field", ff},
                        {"residues", system.residues.size()},
                        {"molecules_or_chains", chains},
                        {"atoms", system.atom_count()},
                        {"atoms_built", system.added_count()},
                        {"total_charge", system.total_charge()},
                        {"disulfides", system.disulfides.size()},
                        {"bonds", topology.bonds.size()},
                        {"angles", topology.angles.size()},
                        {"dihedrals", topology.dihedrals.size()},
                        {"impropers", topology.impropers.size()},
                        {"cmap", topology.cmaps.size()},
                        {"box_added", !boxed}};
    auto metrics_json = [](const StructureMetrics &m) {
      return nlohmann::json{{"rmsd_all_heavy", m.rmsd_all},         {"matched_atoms", m.matched_atoms},
                            {"bonds_off", m.bonds_off},             {"angles_off", m.angles_off},
                            {"chirality_errors", m.chirality_errors}, {"cis_trans_errors", m.cis_errors},
                            {"clashes", m.clashes},                 {"inversions", m.inversions}};
    };
    if (before) j["reference"] = {{"file", o.reference}, {"before_minimisation", metrics_json(*before)}};
    if (after) j["reference"]["after_minimisation"] = metrics_json(*after);
    if (o.minimize)
      j["minimisation"] = {{"energy_start_kcal_mol", minimised.start},
                           {"energy_after_hydrogens", minimised.hydrogens},
                           {"energy_end", minimised.all},
                           {"max_force_start", minimised.fmax_start},
                           {"max_force_end", minimised.fmax_end},
                           {"heavy_atom_rmsd_to_start", minimised.heavy_rmsd},
                           {"heavy_atom_max_move", minimised.heavy_max},
                           {"structure", o.prefix + ".minimized.pdb"}};
    if (o.gromacs) j["gromacs"] = {{"top", top}, {"gro", gro}};
    if (o.lammps)
      j["lammps"] = {{"settings", lammps.settings}, {"data", lammps.data}, {"coeffs", lammps.coeffs}, {"cmap", lammps.cmap},
                     {"read_data", lammps.read_data_line}, {"pair_style", lammps.pair_style}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << o.input << " -> " << system.atom_count() << " atoms (" << system.added_count() << " built by " << ff
            << "'s rules) in " << system.residues.size() << " residues, " << chains << " chain(s) or molecule(s), total charge "
            << system.total_charge() << ", " << system.disulfides.size() << " disulfide(s)\n"
            << "  terms: " << topology.bonds.size() << " bonds, " << topology.angles.size() << " angles, "
            << topology.dihedrals.size() << " dihedrals, " << topology.impropers.size() << " impropers, "
            << topology.cmaps.size() << " CMAP\n";
  if (!boxed) std::cout << "  the input has no box: atoms moved into one with " << o.margin << " A on every side\n";
  if (o.gromacs) std::cout << "  GROMACS: " << top << ", " << gro << "\n";
  if (o.minimize)
    std::cout << "  minimised in LAMMPS: energy " << minimised.start << " -> " << minimised.hydrogens << " (hydrogens) -> "
              << minimised.all << " kcal/mol, largest force " << minimised.fmax_start << " -> " << minimised.fmax_end
              << " kcal/mol/A; heavy atoms moved " << minimised.heavy_rmsd << " A RMSD (at most " << minimised.heavy_max
              << " A) -> " << o.prefix << ".minimized.pdb\n";
  auto show = [&](const char *when, const StructureMetrics &m) {
    std::cout << "  against " << o.reference << " " << when << ": heavy-atom RMSD " << m.rmsd_all << " A ("
              << m.matched_atoms << " atoms), bonds off " << m.bonds_off << "/" << m.bonds << ", CA chirality errors "
              << m.chirality_errors << ", cis/trans errors " << m.cis_errors << ", centre inversions " << m.inversions
              << ", clashes " << m.clashes << "\n";
  };
  if (before) show("before minimisation", *before);
  if (after) show("after minimisation", *after);
  if (o.lammps)
    std::cout << "  LAMMPS: include " << lammps.settings << " / " << lammps.read_data_line << " / include " << lammps.coeffs
              << "\n";
  return 0;
}

}    // namespace

Runner add_build_command(CLI::App &app)
{
  auto o = std::make_shared<BuildCommandOptions>();
  CLI::App *sub = app.add_subcommand(
      "build", "Build a simulation-ready all-atom system (hydrogens, topology, GROMACS and LAMMPS files) from heavy atoms");
  sub->add_option("input", o->input, "Heavy-atom structure (a backmapped PDB, or PDB/GRO/mmCIF); hydrogens are rebuilt")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", o->prefix, "Prefix of the files written: PREFIX.top/.gro, PREFIX.settings/.data/.coeffs")
      ->required();
  sub->add_option("--force-field", o->force_field,
                  "Force field: a GROMACS .ff folder or a name found in the force-field folders (charmm36, amber99sb-ildn, "
                  "charmm27, ...)")
      ->capture_default_str();
  sub->add_option("--n-terminus", o->n_terminus, "N terminus (.tdb entry, e.g. NH3+, NH2); default: the protein's charged one");
  sub->add_option("--c-terminus", o->c_terminus, "C terminus (.tdb entry, e.g. COO-, COOH); default: the charged one");
  sub->add_option("--box-margin", o->margin, "Angstrom around a structure that has no box")->capture_default_str();
  sub->add_option("--disulfide-range", o->disulfide_range,
                  "SG-SG distances (A) that make two cysteines a disulfide: pdb2gmx's by default; fix backmap/replica "
                  "takes 1.5 3.0 for backmapped frames")
      ->expected(2)
      ->capture_default_str();
  sub->add_flag("!--no-lammps", o->lammps, "Do not write the LAMMPS files");
  sub->add_flag("!--no-gromacs", o->gromacs, "Do not keep the GROMACS .top/.gro");
  sub->add_flag("--json", o->json, "Print the summary as JSON");
  sub->add_flag("--minimize", o->minimize,
                "Minimise in LAMMPS: hydrogens first (heavy atoms fixed), then all atoms with heavy atoms restrained; "
                "writes PREFIX.minimized.pdb/.gro/.data");
  sub->add_option("--ref", o->reference, "True all-atom structure: heavy-atom RMSD, chirality and clashes before and after")
      ->check(CLI::ExistingFile);
  sub->add_option("--lammps-binary", o->lammps_binary, "LAMMPS to minimise with (default: $BACKMAP_LAMMPS, else build/bin/lmp)");
  sub->add_option("--restraint", o->restraint, "Spring on each heavy atom in the second stage (kcal/mol/A^2)")
      ->capture_default_str();
  sub->add_option("--force-tolerance", o->force_tolerance,
                  "Stop when no force component exceeds this (kcal/mol/A; default 500 kJ/mol/nm)")
      ->capture_default_str();
  return [o]() { return run_build(*o); };
}

}    // namespace BACKMAP::tool
