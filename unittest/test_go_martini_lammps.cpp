/* GoMartini in LAMMPS (forcefield layer: lammps_carried_sites): a hand-made hairpin of six
   backbone beads, charged at both ends, with a GoMartini CA site on every bead ([ virtual_sitesn ]
   from that bead alone, an atom type of its own each), two Go contacts ([ nonbond_params ] between
   site types, one between the two charged ends) and their backbone-backbone exclusions, with a few
   water beads:
   - the LAMMPS files line by line: no atom for a site, one LAMMPS type per carrying bead, the Go
     Lennard-Jones on lj/cut, the excluded pairs by type pair (no bond joins them);
   - energies term by term and forces bead by bead against GROMACS (grompp, mdrun -rerun);
   - two copies of the molecule (the site types then shared, so the exclusions become K = 0 bonds
     and the Go contacts act between the copies too, as in GROMACS), against GROMACS again;
   - a site with a charge, or meeting a Martini type, is refused naming it. */
#include "lammps_system_writer.h"
#include "topology_file.h"

#include "file_error.h"
#include "gromacs_test_support.h"
#include "lammps_files_test_support.h"
#include "structure_io.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

// Go sigma = d / 2^(1/6) for BB1-BB6 at 0.75 nm and BB2-BB5 at 0.6 nm; epsilon 9.414 kJ/mol.
const char *hairpin_top = R"([ defaults ]
1 2

[ atomtypes ]
Q5   72.0 0.000 A 0.0 0.0
P2   72.0 0.000 A 0.0 0.0
SP2  54.0 0.000 A 0.0 0.0
W    72.0 0.000 A 0.0 0.0
go_1 0.0 0 A 0.00000000 0.00000000
go_2 0.0 0 A 0.00000000 0.00000000
go_3 0.0 0 A 0.00000000 0.00000000
go_4 0.0 0 A 0.00000000 0.00000000
go_5 0.0 0 A 0.00000000 0.00000000
go_6 0.0 0 A 0.00000000 0.00000000

[ nonbond_params ]
Q5  Q5  1 0.470 3.0
Q5  P2  1 0.470 4.0
Q5  SP2 1 0.430 3.5
Q5  W   1 0.470 4.5
P2  P2  1 0.470 4.5
P2  SP2 1 0.430 4.0
P2  W   1 0.470 4.7
SP2 SP2 1 0.410 3.4
SP2 W   1 0.430 4.1
W   W   1 0.470 4.65
go_6 go_1 1 0.66817393 9.41400000
go_5 go_2 1 0.53453914 9.41400000

[ moleculetype ]
HAIRPIN 1

[ atoms ]
 1 Q5    1 ALA BB  1  1.0
 2 P2    2 ALA BB  2  0.0
 3 SP2   3 GLY BB  3  0.0
 4 P2    4 ALA BB  4  0.0
 5 P2    5 ALA BB  5  0.0
 6 Q5    6 ALA BB  6 -1.0
 7 go_1  1 ALA CA  7  0 0.0
 8 go_2  2 ALA CA  8  0 0.0
 9 go_3  3 GLY CA  9  0 0.0
10 go_4  4 ALA CA 10  0 0.0
11 go_5  5 ALA CA 11  0 0.0
12 go_6  6 ALA CA 12  0 0.0

[ bonds ]
1 2 1 0.350 4000
2 3 1 0.350 4000
3 4 1 0.350 4000
4 5 1 0.350 4000
5 6 1 0.350 4000

[ angles ]
1 2 3 2 127 20
4 5 6 2 127 20

[ exclusions ]
6 1
5 2

[ virtual_sitesn ]
 7 1  1
 8 1  2
 9 1  3
10 1  4
11 1  5
12 1  6

[ moleculetype ]
W 1

[ atoms ]
1 W 1 W W 1 0

[ system ]
hairpin

[ molecules ]
HAIRPIN COPIES
W 4
)";

std::string gro_line(int residue, const std::string &name, const std::string &atom, int index, const Vec3 &nm)
{
  char line[80];
  std::snprintf(line, sizeof line, "%5d%-5s%5s%5d%8.3f%8.3f%8.3f\n", residue, name.c_str(), atom.c_str(), index, nm.x(), nm.y(), nm.z());
  return line;
}

// The hairpin (BB1-BB6 0.75 nm, BB2-BB5 0.6 nm) copies times, 0.8 nm apart in z, the sites on
// their beads, then four W.
std::string hairpin_gro(int copies)
{
  const std::vector<Vec3> bb = {Vec3(0, 0, 0), Vec3(0.35, 0, 0), Vec3(0.7, 0, 0), Vec3(0.7, 0.55, 0), Vec3(0.35, 0.6, 0), Vec3(0, 0.75, 0)};
  const char *names[] = {"ALA", "ALA", "GLY", "ALA", "ALA", "ALA"};
  std::string text;
  int index = 0, residue = 0;
  for (int c = 0; c < copies; ++c) {
    const Vec3 o(1.5, 1.5, 1.2 + 0.8 * c);
    for (int r = 0; r < 6; ++r) text += gro_line(residue + r + 1, names[r], "BB", ++index, o + bb[static_cast<std::size_t>(r)]);
    for (int r = 0; r < 6; ++r) text += gro_line(residue + r + 1, names[r], "CA", ++index, o + bb[static_cast<std::size_t>(r)]);
    residue += 6;
  }
  const std::vector<Vec3> water = {Vec3(1.0, 1.0, 1.0), Vec3(2.6, 1.8, 1.5), Vec3(1.9, 2.6, 2.0), Vec3(1.2, 2.1, 2.9)};
  for (const Vec3 &w : water) text += gro_line(++residue, "W", "W", ++index, w);
  return "hairpin\n" + std::to_string(index) + "\n" + text + "   4.00000   4.00000   4.00000\n";
}

std::string hairpin_topology(int copies)
{
  std::string text = hairpin_top;
  text.replace(text.find("COPIES"), 6, std::to_string(copies));
  return text;
}

LammpsSystemFiles write_hairpin(const fs::path &dir, int copies)
{
  const std::string top = write_file(dir / "topol.top", hairpin_topology(copies));
  write_file(dir / "system.gro", hairpin_gro(copies));
  LammpsWriterOptions options;
  options.nonbonded = martini_nonbonded();
  options.source = "hairpin";
  return write_lammps_system(read_topology(top), read_structure((dir / "system.gro").string()), (dir / "system").string(), options);
}

std::vector<Vec3> forces_in(const fs::path &path, bool gromacs)
{
  static const std::regex entry(R"(^\s*f\[\s*\d+\]=\{\s*(\S+),\s*(\S+),\s*(\S+)\})");
  std::vector<Vec3> forces;
  bool atoms = false;
  std::smatch m;
  for (const std::string &line : lines_of(path)) {
    if (gromacs) {
      if (std::regex_search(line, m, entry)) forces.emplace_back(std::stod(m[1]) / 41.84, std::stod(m[2]) / 41.84, std::stod(m[3]) / 41.84);
    } else if (line.rfind("ITEM: ATOMS", 0) == 0) {
      atoms = true;
    } else if (atoms) {
      std::istringstream w(line);
      long id;
      double x, y, z;
      if (w >> id >> x >> y >> z) forces.emplace_back(x, y, z);
    }
  }
  return forces;
}

const char *rerun_mdp = "integrator = md\nnsteps = 0\ncontinuation = yes\ncutoff-scheme = Verlet\npbc = xyz\n"
                        "coulombtype = reaction-field\nrcoulomb = 1.1\nepsilon_r = 15\nepsilon_rf = 0\n"
                        "vdwtype = cut-off\nvdw-modifier = Potential-shift-verlet\nrvdw = 1.1\n"
                        "verlet-buffer-tolerance = -1\nrlist = 1.1\nnstcalcenergy = 1\nnstenergy = 1\nnstfout = 1\n";

// GROMACS against LAMMPS on the files in `dir`: LJ (SR) = Martini LJ + Go LJ, Coulomb (SR) = 1/r +
// table + self constant, bonds, angles, potential within 0.1 % (or 0.01 kcal/mol); forces of the
// beads (GROMACS's sites left out: it has handed their forces to their beads) within 1e-3 of rms.
void compare_with_gromacs(const fs::path &dir, const LammpsSystemFiles &files, const std::string &title)
{
  std::ofstream(dir / "rerun.mdp") << rerun_mdp;
  ASSERT_EQ(run_in(dir, gmx_command() + " grompp -f rerun.mdp -c system.gro -p topol.top -o rerun.tpr -maxwarn 1"), 0) << "see " << dir / "log.txt";
  ASSERT_EQ(run_in(dir, gmx_command() + " mdrun -s rerun.tpr -rerun system.gro -nt 1 -e ener.edr -g md.log -o rerun.trr"), 0);
  ASSERT_EQ(run_in(dir, gmx_command() + " dump -e ener.edr > energies.txt && " + gmx_command() + " dump -f rerun.trr > frames.txt"), 0);
  const std::map<std::string, double> gmx = read_gromacs_energies(dir / "energies.txt");
  ASSERT_TRUE(gmx.count("Potential"));
  std::string input = "include " + files.settings + "\n" + files.read_data_line + "\ninclude " + files.coeffs +
                      "\ncompute lj all pair lj/cut/coul/cut evdwl\ncompute coul all pair lj/cut/coul/cut ecoul\n"
                      "compute go all pair lj/cut evdwl\ncompute rf all pair table evdwl\n"
                      "thermo_style custom step pe ebond eangle c_lj c_coul c_go c_rf\n"
                      "dump forces all custom 1 forces.dump id fx fy fz\ndump_modify forces sort id format float %.12g\nrun 0\n";
  for (const char *name : {"pe", "ebond", "eangle"}) input += std::string("print \"ENERGY ") + name + " $(" + name + ":%.12g)\"\n";
  for (const char *name : {"lj", "coul", "go", "rf"}) input += std::string("print \"ENERGY ") + name + " $(c_" + name + ":%.12g)\"\n";
  const std::map<std::string, double> lmp = run_lammps(dir, input);
  ASSERT_TRUE(lmp.count("rf")) << "LAMMPS failed, see " << dir / "lammps.out";
  const auto g = [&](const std::string &name) { return gmx.count(name) ? gmx.at(name) / 4.184 : 0.0; };
  const double self = files.coulomb_self_energy;
  struct Term {
    const char *name;
    double gromacs, lammps;
  };
  const Term terms[] = {{"Bond", g("Bond"), lmp.at("ebond")},
                        {"G96Angle", g("G96Angle"), lmp.at("eangle")},
                        {"LJ (SR) (Martini + Go)", g("LJ (SR)"), lmp.at("lj") + lmp.at("go")},
                        {"Coulomb (SR)", g("Coulomb (SR)"), lmp.at("coul") + lmp.at("rf") + self},
                        {"Potential", g("Potential"), lmp.at("pe") + self}};
  std::printf("[ figures ] %s: GROMACS mdrun -rerun vs LAMMPS run 0 (kcal/mol); LAMMPS's Go part %.6f\n", title.c_str(), lmp.at("go"));
  for (const Term &t : terms) {
    const double relative = (t.lammps - t.gromacs) / std::max(std::abs(t.gromacs), 1e-12);
    std::printf("[ figures ] %-26s %14.6f %14.6f %10.2e\n", t.name, t.gromacs, t.lammps, relative);
    EXPECT_TRUE(std::abs(t.lammps - t.gromacs) < 0.01 || std::abs(relative) < 1e-3) << title << " " << t.name;
  }
  EXPECT_LT(lmp.at("go"), -1.0) << "the Go contacts hold (near their minimum, -2.25 kcal/mol each)";

  std::vector<Vec3> gf = forces_in(dir / "frames.txt", true);
  const std::vector<Vec3> lf = forces_in(dir / "forces.dump", false);
  ASSERT_EQ(gf.size(), lf.size() + files.carried_sites.size());
  for (auto site = files.carried_sites.rbegin(); site != files.carried_sites.rend(); ++site) {
    EXPECT_LT(gf[static_cast<std::size_t>(*site)].norm(), 1e-6) << "GROMACS keeps no force on a site";
    gf.erase(gf.begin() + *site);
  }
  double worst = 0, sum = 0;
  for (std::size_t i = 0; i < gf.size(); ++i) worst = std::max(worst, (gf[i] - lf[i]).norm()), sum += gf[i].squaredNorm();
  const double rms = std::sqrt(sum / static_cast<double>(gf.size()));
  std::printf("[ figures ] %s forces: %zu beads, rms %.3f kcal/mol/A, largest difference %.2e\n", title.c_str(), gf.size(), rms, worst);
  EXPECT_LT(worst, 1e-3 * rms + 1e-4);
}

}    // namespace

TEST(GoMartiniLammps, HairpinLineByLineAndAgainstGromacs)
{
  const fs::path dir = scratch_folder() / "go_hairpin";
  const LammpsSystemFiles files = write_hairpin(dir, 1);
  EXPECT_EQ(files.carried_sites, (std::vector<long>{6, 7, 8, 9, 10, 11}));
  // six beads of their own type (each carries its site) and W
  EXPECT_EQ(files.atom_types, 7);
  EXPECT_EQ(files.pair_style, "hybrid/overlay lj/cut/coul/cut 11 lj/cut 11 table linear 1000");
  EXPECT_EQ(files.special_bonds, "lj/coul 1e-40 1.0 1.0");
  EXPECT_TRUE(files.exclusion_bond_types.empty()) << "the Go exclusions are by type pair, not bonds";
  const std::vector<std::string> data = commands(files.data);
  EXPECT_TRUE(has(data, "10 atoms"));
  EXPECT_TRUE(has(data, "5 bonds"));
  const std::vector<std::string> settings = commands(files.settings);
  EXPECT_TRUE(has(settings, "pair_modify pair lj/cut shift yes"));
  EXPECT_TRUE(has(settings, "pair_modify pair lj/cut special lj 1.0 1.0 1.0"));
  const std::vector<std::string> coeffs = commands(files.coeffs);
  // types by kind: 1 Q5+ (go_1), 2-4 P2 (go_2, go_4, go_5), 5 SP2 (go_3), 6 Q5- (go_6), 7 W; one line
  // per pair of kinds; 9.414 kJ/mol = 2.25 kcal/mol; sigma 6.6817393 A and 5.3453914 A
  for (const char *line : {"pair_coeff 1 6 lj/cut 2.25 6.6817393", "pair_coeff 2 4 lj/cut 2.25 5.3453914",
                           "pair_coeff 1 6 lj/cut/coul/cut 0.0 4.7 11 0.0", "pair_coeff 2 4 lj/cut/coul/cut 0.0 4.7 11 0.0",
                           "pair_coeff 1 2*4 lj/cut/coul/cut 0.9560229446 4.7", "pair_coeff 2*4 2*4 lj/cut/coul/cut 1.075525813 4.7",
                           "pair_coeff 2*4 7 lj/cut/coul/cut 1.12332696 4.7"})
    EXPECT_TRUE(has(coeffs, line)) << line;
  EXPECT_EQ(std::count_if(coeffs.begin(), coeffs.end(), [](const std::string &l) { return l.find(" lj/cut ") != std::string::npos; }), 2);
  // the data file's Masses name the site each type carries
  std::string masses;
  for (const std::string &l : lines_of(files.data)) masses += l + "\n";
  EXPECT_NE(masses.find("1 72    # Q5+go_1"), std::string::npos) << masses.substr(0, 800);

  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  compare_with_gromacs(dir, files, "GoMartini hairpin");
}

TEST(GoMartiniLammps, TwoCopiesShareTheirSitesTypesAsInGromacs)
{
  const fs::path dir = scratch_folder() / "go_hairpin_two";
  const LammpsSystemFiles files = write_hairpin(dir, 2);
  EXPECT_EQ(files.carried_sites.size(), 12u);
  EXPECT_EQ(files.atom_types, 7);
  // the exclusions are bonds again: the types do not single out one pair of beads
  EXPECT_EQ(files.exclusion_bond_types.size(), 1u);
  EXPECT_TRUE(has(commands(files.data), "14 bonds"));
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  compare_with_gromacs(dir, files, "GoMartini hairpin, two copies 0.8 nm apart");
}

TEST(GoMartiniLammps, SitesLammpsCannotCarryAreRefused)
{
  const fs::path dir = scratch_folder() / "go_hairpin_bad";
  write_file(dir / "system.gro", hairpin_gro(1));
  const auto error_of = [&](const std::string &text) -> std::string {
    const std::string top = write_file(dir / "topol.top", text);
    try {
      write_lammps_system(read_topology(top), read_structure((dir / "system.gro").string()), (dir / "system").string(), {martini_nonbonded()});
    } catch (const FileError &e) {
      return e.what();
    }
    return "(no error)";
  };
  const auto replaced = [](std::string text, const std::string &old, const std::string &by) {
    return text.replace(text.find(old), old.size(), by);
  };
  const std::string charged = replaced(hairpin_topology(1), " 9 go_3  3 GLY CA  9  0 0.0", " 9 go_3  3 GLY CA  9  0.5 0.0");
  EXPECT_NE(error_of(charged).find("virtual site 9 (CA of GLY3, molecule HAIRPIN) has mass 0"), std::string::npos) << error_of(charged);
  const std::string seen = replaced(hairpin_topology(1), "W   W   1 0.470 4.65", "W   W   1 0.470 4.65\ngo_3 W 1 0.47 1.0");
  EXPECT_NE(error_of(seen).find("virtual site type go_3 has a Lennard-Jones with atom type W"), std::string::npos) << error_of(seen);
}
