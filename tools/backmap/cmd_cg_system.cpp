// backmap cg-system CG -o PREFIX: a Martini 3 CG structure (lipids as `backmap map` writes them)
// made into a system that GROMACS and LAMMPS both run: PREFIX.top (#include of the Martini 3
// itps, [ molecules ] from the residues), PREFIX.gro, optionally Martini water and NA/CL ions,
// and the LAMMPS files of lammps_system_writer (Martini 3's reaction field), whose data file
// also names every bead the way fix backmap reads a topology.
#include "commands.h"

#include "file_error.h"
#include "force_field_folders.h"
#include "lammps_system_writer.h"
#include "mapping_set.h"
#include "structure_io.h"
#include "topology_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace BACKMAP::tool {

namespace {

// A folder for the Martini 3 itps that a build can have compiled in (none by default: the
// folders below are searched instead).
#ifndef BACKMAP_MARTINI_DIR
#define BACKMAP_MARTINI_DIR ""
#endif

const char *main_itp = "martini_v3.0.0.itp";

// Martini water: one W bead stands for 4 waters (72 u); 1 g/cm^3 of water is 33.4 waters per
// nm^3, so 8.36 W per nm^3, a simple cubic lattice of 4.93 A.
constexpr double water_beads_per_cubic_nm = 33.43 / 4.0;

struct CgSystemOptions {
  std::string input, prefix, martini_dir;
  bool solvate = false, json = false;
  int ion_pairs = 0;
  double water_distance = 4.3;    // A: no W closer than this to a bead of the input
};

// The folders that may hold the Martini 3 itps, in the order they are tried.
std::vector<std::string> martini_search_path(const std::string &given)
{
  if (!given.empty()) return {given};
  std::vector<std::string> out;
  // $BACKMAP_FORCEFIELDS and the folder beside the build (build/forcefields), as for the
  // all-atom force fields, each holding martini3/
  for (const std::string &dir : force_field_search_path()) out.push_back((fs::path(dir) / "martini3").string());
  if (std::string(BACKMAP_MARTINI_DIR).size()) out.push_back(BACKMAP_MARTINI_DIR);
  // the shared data beside the repository (the build's bin/ is REPO/build/bin)
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back((exe.parent_path() / "../../../shared/data/forcefields/martini3").lexically_normal().string());
  return out;
}

std::string find_martini_folder(const std::string &given)
{
  std::string looked;
  std::error_code ec;
  for (const std::string &dir : martini_search_path(given)) {
    if (fs::exists(fs::path(dir) / main_itp, ec)) return fs::absolute(dir).lexically_normal().string();
    looked += (looked.empty() ? "" : ", ") + dir;
  }
  if (!given.empty()) fail_at(given, 0, std::string("no ") + main_itp + " in this folder (--martini-dir)");
  throw std::runtime_error(std::string("no Martini 3 force field found (looked for ") + main_itp + " in " + looked +
                           "); give --martini-dir DIR or set BACKMAP_FORCEFIELDS to a folder holding martini3/");
}

// What the command needs to know of one [ moleculetype ] before anything is written: a text
// scan, not grompp's preprocessing (the itps are then read properly through the .top).
struct ItpMolecule {
  std::string name, file;
  int line = 0;
  std::vector<std::string> residues, atoms;    // per [ atoms ] line
  std::set<std::string> residue_numbers;
  std::vector<double> charges;
  std::string virtual_sites;                   // the first virtual-site or settles section, if any
};

std::string lowercase_section(const std::string &text)
{
  std::string s;
  for (char c : text)
    if (c != '[' && c != ']' && !std::isspace(static_cast<unsigned char>(c))) s += static_cast<char>(std::tolower(c));
  return s;
}

// Every [ moleculetype ] of the folder's .itp files, main itp first and the others by name; the
// first definition of a name wins (as the file order of the .top would have it).
std::map<std::string, ItpMolecule> scan_itps(const std::string &folder)
{
  std::vector<std::string> files;
  for (const auto &entry : fs::directory_iterator(folder))
    if (entry.path().extension() == ".itp" && entry.path().filename() != main_itp) files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  files.insert(files.begin(), (fs::path(folder) / main_itp).string());
  std::map<std::string, ItpMolecule> molecules;
  for (const std::string &file : files) {
    std::ifstream in(file);
    std::string section, text;
    ItpMolecule *current = nullptr;
    for (int line = 1; std::getline(in, text); ++line) {
      text = text.substr(0, text.find(';'));
      const auto first = text.find_first_not_of(" \t\r");
      if (first == std::string::npos || text[first] == '#') continue;
      if (text[first] == '[') {
        section = lowercase_section(text);
        if (current && current->virtual_sites.empty() &&
            (section.rfind("virtual_sites", 0) == 0 || section == "dummies3" || section == "settles"))
          current->virtual_sites = section;
        continue;
      }
      std::istringstream words(text);
      std::vector<std::string> w;
      for (std::string s; words >> s;) w.push_back(s);
      if (section == "moleculetype") {
        section = "moleculetype-named";
        auto [it, added] = molecules.try_emplace(w[0]);
        current = added ? &it->second : nullptr;    // a later definition of the name is not the one used
        if (current) current->name = w[0], current->file = file, current->line = line;
      } else if (section == "atoms" && current && w.size() >= 5) {
        current->residue_numbers.insert(w[2]);
        current->residues.push_back(w[3]);
        current->atoms.push_back(w[4]);
        current->charges.push_back(w.size() >= 7 ? std::atof(w[6].c_str()) : 0.0);
      }
    }
  }
  return molecules;
}

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
                            std::to_string(residues) + ", Martini molecule " + m.name + ", " + m.file + ":" +
                            std::to_string(m.line) + ")";
  if (!m.virtual_sites.empty())
    fail_at(input, 0, where + ": its [ " + m.virtual_sites + " ] (virtual sites) cannot be written for LAMMPS, which has "
                      "no virtual sites here; cg-system does not write this molecule" +
                      (m.name == "CHOL" ? std::string(" (Martini 3 cholesterol)") : std::string()));
  if (m.residue_numbers.size() > 1)
    fail_at(input, 0, where + ": the molecule spans " + std::to_string(m.residue_numbers.size()) +
                      " residues; cg-system writes one-residue molecules (lipids, solvent, ions)");
  std::vector<std::string> have = bead_names(r), want = m.atoms;
  std::sort(have.begin(), have.end());
  std::sort(want.begin(), want.end());
  if (have != want || std::adjacent_find(want.begin(), want.end()) != want.end())
    fail_at(input, 0, where + ": beads " + joined(bead_names(r)) + " are not the itp's " + joined(m.atoms));
  Residue out = r.without_atoms();
  out.name = m.residues.front();
  out.chain.clear();
  for (const std::string &name : m.atoms) out.atoms.push_back(r.atoms[static_cast<std::size_t>(r.find_atom(name))]);
  return out;
}

// Lattice points of an orthorhombic box at Martini water's density, those farther than
// `distance` from every bead of `solute` (periodic), in lattice order.
std::vector<Vec3> water_points(const Structure &solute, double distance)
{
  const Vec3 box = solute.box.lengths();
  const double spacing = 10.0 * std::cbrt(1.0 / water_beads_per_cubic_nm);
  int n[3], cells[3];
  for (int k = 0; k < 3; ++k) {
    n[k] = std::max(1, static_cast<int>(std::lround(box[k] / spacing)));
    cells[k] = std::max(1, static_cast<int>(box[k] / distance));
  }
  // beads binned into cells at least `distance` wide: a point looks at its cell's 27 neighbours
  std::vector<std::vector<Vec3>> bins(static_cast<std::size_t>(cells[0]) * cells[1] * cells[2]);
  const auto cell_of = [&](const Vec3 &x, int k) {
    const double f = x[k] / box[k] - std::floor(x[k] / box[k]);
    return std::min(cells[k] - 1, static_cast<int>(f * cells[k]));
  };
  const auto bin = [&](int i, int j, int l) -> std::vector<Vec3> & {
    return bins[static_cast<std::size_t>(((i + cells[0]) % cells[0]) * cells[1] + (j + cells[1]) % cells[1]) * cells[2] +
                static_cast<std::size_t>((l + cells[2]) % cells[2])];
  };
  for (const Residue &r : solute.residues)
    for (const Atom &a : r.atoms) bin(cell_of(a.position, 0), cell_of(a.position, 1), cell_of(a.position, 2)).push_back(a.position);
  std::vector<Vec3> points;
  for (int i = 0; i < n[0]; ++i)
    for (int j = 0; j < n[1]; ++j)
      for (int l = 0; l < n[2]; ++l) {
        const Vec3 p((i + 0.5) * box.x() / n[0], (j + 0.5) * box.y() / n[1], (l + 0.5) * box.z() / n[2]);
        bool free = true;
        const int c[3] = {cell_of(p, 0), cell_of(p, 1), cell_of(p, 2)};
        // with fewer than 3 cells in a direction the neighbours repeat: harmless
        for (int di = -1; di <= 1 && free; ++di)
          for (int dj = -1; dj <= 1 && free; ++dj)
            for (int dl = -1; dl <= 1 && free; ++dl)
              for (const Vec3 &q : bin(c[0] + di, c[1] + dj, c[2] + dl))
                if (solute.box.minimum_image(p - q).squaredNorm() < distance * distance) {
                  free = false;
                  break;
                }
        if (free) points.push_back(p);
      }
  return points;
}

// Removes the files of a failed run, so that no half-made set of outputs is left.
struct OutputGuard {
  std::vector<std::string> paths;
  bool done = false;
  ~OutputGuard()
  {
    if (done) return;
    std::error_code ec;
    for (const std::string &p : paths) fs::remove(p, ec);
  }
};

// lammps_system_writer names each atom "# RESIDUE+RESNR ATOM" from the itp; fix backmap's
// topology reader wants "# CHAIN RESNUM RESNAME BEAD" (doc/src/fix_backmap.rst), so the data
// file's atom comments are rewritten from the system's residues.
void name_beads_for_fix_backmap(const std::string &data, const Structure &system)
{
  std::vector<std::pair<const Residue *, const Atom *>> beads;
  for (const Residue &r : system.residues)
    for (const Atom &a : r.atoms) beads.emplace_back(&r, &a);
  std::ifstream in(data);
  std::ostringstream out;
  bool atoms = false;
  std::size_t next = 0;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    const auto first = text.find_first_not_of(" \t");
    if (first != std::string::npos && std::isalpha(static_cast<unsigned char>(text[first])))
      atoms = text.compare(first, 5, "Atoms") == 0;
    else if (atoms && first != std::string::npos) {
      const std::size_t hash = text.find('#');
      std::istringstream fields(text.substr(0, hash));
      long id = 0;
      fields >> id;
      if (hash == std::string::npos || id != static_cast<long>(next) + 1 || next >= beads.size())
        fail_at(data, line, "unexpected atom line from the LAMMPS writer (atom " + std::to_string(next + 1) + " expected)");
      const auto [r, a] = beads[next++];
      std::istringstream comment(text.substr(hash + 1));
      std::string residue, bead;
      if (!(comment >> residue >> bead) || bead != a->name)
        fail_at(data, line, "the writer's atom " + std::to_string(id) + " is not bead " + a->name + " of " + residue_text(*r));
      text = text.substr(0, hash) + "# - " + std::to_string(r->number) + " " + r->name + " " + a->name;
    }
    out << text << "\n";
  }
  if (next != beads.size())
    fail_at(data, 0, std::to_string(next) + " atom lines, the system has " + std::to_string(beads.size()) + " beads");
  write_atomically(data, [&](std::ostream &os) { os << out.str(); });
}

struct MoleculeRun {
  std::string name;
  int count = 0;
};

int run_cg_system(const CgSystemOptions &o)
{
  if (o.ion_pairs < 0) throw std::runtime_error("--ions must be 0 or more");
  if (o.ion_pairs > 0 && !o.solvate) throw std::runtime_error("--ions replaces water beads: it needs --solvate");
  const Structure cg = read_structure(o.input);
  if (cg.residues.empty()) fail_at(o.input, 0, "no residues");
  if (!cg.box.periodic) fail_at(o.input, 0, "no periodic box (GRO box line or PDB CRYST1): LAMMPS and GROMACS need one");
  if (o.solvate && !cg.box.is_orthorhombic()) fail_at(o.input, 0, "--solvate fills orthorhombic boxes only");
  const std::string folder = find_martini_folder(o.martini_dir);
  const std::map<std::string, ItpMolecule> itp = scan_itps(folder);
  std::unique_ptr<MappingSet> mappings;
  try {
    mappings = std::make_unique<MappingSet>(MappingSet::load("martini3"));
  } catch (const std::exception &) {
    // without the mapping set, residues must carry the itps' molecule names
  }

  // every residue a molecule of the itps, checked before anything is written
  Structure system;
  system.box = cg.box;
  std::vector<MoleculeRun> runs;
  std::set<std::string> used_files;
  int last_number = 0;
  double charge = 0.0;
  for (std::size_t i = 0; i < cg.residues.size(); ++i) {
    const Residue &r = cg.residues[i];
    const ItpMolecule *m = molecule_of(r, itp, mappings.get());
    if (!m)
      fail_at(o.input, 0, "residue " + residue_text(r) + " (residue " + std::to_string(i + 1) + " of " +
                              std::to_string(cg.residues.size()) + ", beads " + joined(bead_names(r)) +
                              "): no Martini 3 molecule of that name in " + folder + "'s itps");
    system.residues.push_back(as_itp_molecule(r, *m, o.input, i, cg.residues.size()));
    if (runs.empty() || runs.back().name != m->name) runs.push_back({m->name, 0});
    ++runs.back().count;
    used_files.insert(m->file);
    last_number = std::max(last_number, r.number);
    for (double q : m->charges) charge += q;
  }
  const std::size_t solute_beads = system.atom_count();

  // water on a lattice, and NA/CL in place of evenly spaced W beads
  std::size_t waters = 0;
  if (o.solvate) {
    const char *names[] = {"W", "NA", "CL"};
    for (const char *name : names)
      if (!itp.count(name) || itp.at(name).atoms.size() != 1)
        throw std::runtime_error(folder + ": no one-bead molecule " + name + " in the itps (solvents and ions)");
    const std::vector<Vec3> points = water_points(system, o.water_distance);
    const std::size_t ions = 2 * static_cast<std::size_t>(o.ion_pairs);
    if (points.size() < ions + 1)
      throw std::runtime_error(o.input + ": only " + std::to_string(points.size()) + " water places for " +
                               std::to_string(ions) + " ions");
    std::vector<int> kind(points.size(), 0);    // 0 W, 1 NA, 2 CL
    for (std::size_t k = 0; k < ions; ++k) kind[(2 * k + 1) * points.size() / (2 * ions)] = k % 2 ? 2 : 1;
    for (int wanted = 0; wanted < 3; ++wanted) {
      const ItpMolecule &m = itp.at(names[wanted]);
      int count = 0;
      for (std::size_t p = 0; p < points.size(); ++p) {
        if (kind[p] != wanted) continue;
        Residue r;
        r.name = m.residues.front();
        r.number = ++last_number;
        Atom a;
        a.name = m.atoms.front();
        a.position = points[p];
        r.atoms.push_back(a);
        system.residues.push_back(r);
        ++count;
        charge += m.charges.front();
      }
      if (count) runs.push_back({names[wanted], count}), used_files.insert(m.file);
      if (wanted == 0) waters = static_cast<std::size_t>(count);
    }
  }

  const fs::path prefix(o.prefix);
  if (!prefix.parent_path().empty()) fs::create_directories(prefix.parent_path());
  const std::string top = o.prefix + ".top", gro = o.prefix + ".gro";
  const char *outputs[] = {".top", ".gro", ".settings", ".data", ".coeffs", ".table"};
  for (const char *ext : outputs)
    if (same_file(o.prefix + ext, o.input)) throw std::runtime_error(o.prefix + ": the outputs would overwrite the input " + o.input);
  OutputGuard guard;
  for (const char *ext : outputs) guard.paths.push_back(o.prefix + ext);
  // from here on a failure removes the outputs
  write_atomically(top, [&](std::ostream &os) {
    os << "; Martini 3 system written by backmap cg-system from " << o.input << "\n"
       << "; run parameters (GROMACS): reaction-field, epsilon-r 15, epsilon-rf 0, rc 1.1 nm, vdw potential-shift\n"
       << "#include \"" << (fs::path(folder) / main_itp).string() << "\"\n";
    for (const std::string &file : used_files)
      if (fs::path(file).filename() != main_itp) os << "#include \"" << file << "\"\n";
    os << "\n[ system ]\n" << (cg.title.empty() ? o.input : cg.title) << " (Martini 3, backmap cg-system)\n\n[ molecules ]\n";
    for (const MoleculeRun &run : runs) os << run.name << " " << run.count << "\n";
  });
  system.title = (cg.title.empty() ? o.input : cg.title) + " (Martini 3, backmap cg-system)";
  write_gro(system, gro);

  // LAMMPS's files from what GROMACS would read: the .top, and the coordinates rounded as in the .gro
  const Topology topology = read_topology(top);
  const Structure rounded = read_structure(gro);
  LammpsWriterOptions lo;
  lo.nonbonded = martini_nonbonded();
  lo.source = top + ", " + gro;
  const LammpsSystemFiles files = write_lammps_system(topology, rounded, o.prefix, lo);
  name_beads_for_fix_backmap(files.data, system);
  guard.done = true;

  const std::vector<std::string> lammps_lines = {"include         " + files.settings, files.read_data_line,
                                                 "include         " + files.coeffs};
  std::size_t ions = 0;
  for (const MoleculeRun &run : runs)
    if (run.name == "NA" || run.name == "CL") ions += static_cast<std::size_t>(run.count);
  if (o.json) {
    nlohmann::json molecules = nlohmann::json::array();
    for (const MoleculeRun &run : runs) molecules.push_back({{"name", run.name}, {"count", run.count}});
    nlohmann::json j = {{"format_version", 1},
                        {"input", o.input},
                        {"martini_dir", folder},
                        {"molecules", molecules},
                        {"solute_beads", solute_beads},
                        {"water_beads", waters},
                        {"ion_pairs", ions / 2},
                        {"beads", system.atom_count()},
                        {"total_charge", std::round(charge * 1e6) / 1e6},
                        {"files",
                         {{"top", top},
                          {"gro", gro},
                          {"settings", files.settings},
                          {"data", files.data},
                          {"coeffs", files.coeffs},
                          {"table", files.table}}},
                        {"lammps", lammps_lines},
                        {"coulomb_self_energy_kcal_mol", files.coulomb_self_energy}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << o.input << " -> " << system.atom_count() << " Martini 3 beads: ";
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
