/* The GROMACS topology reader against grompp itself: pdb2gmx makes ubiquitin's topology, grompp
   the .tpr, gmx dump prints it, and our terms must equal grompp's term by term (amber99sb-ildn,
   charmm27, charmm36-jul2022). */

#include "parameter_lookup.h"
#include "topology_file.h"
#include "topology_preprocessor.h"

#include "file_error.h"
#include "gromacs_test_support.h"
#include "structure_io.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>
#include "topology_test_support.h"

namespace fs = std::filesystem;
using namespace BACKMAP;
using namespace BACKMAP::test;

// ---------------------------------------------------------------------------------------------
// Against grompp: pdb2gmx makes ubiquitin's topology, grompp makes the .tpr, gmx dump prints it

namespace {

struct DumpInteraction {
  int type = 0;
  std::vector<int> atoms;    // 0-based
};

struct GmxDump {
  std::map<int, std::map<std::string, double>> functypes;
  std::map<std::string, std::vector<DumpInteraction>> lists;    // by long name: "Bond", "LJ-14", ...
  std::vector<double> masses, charges;
};

std::map<std::string, double> dump_parameters(const std::string &text)
{
  std::map<std::string, double> values;
  std::istringstream in(text);
  for (std::string piece; std::getline(in, piece, ',');) {
    const auto equals = piece.find('=');
    if (equals == std::string::npos) continue;
    values[tokens(piece.substr(0, equals))[0]] = std::stod(piece.substr(equals + 1));
  }
  return values;
}

GmxDump read_dump(const std::string &path)
{
  static const std::regex functype(R"(^\s+functype\[(\d+)\]=\w+, (.*)$)");
  static const std::regex atom(R"(^\s+atom\[\s*\d+\]=\{.*\bm=\s*([-+0-9.eE]+), q=\s*([-+0-9.eE]+),)");
  static const std::regex header(R"(^      (\S[^:]*):$)");
  static const std::regex interaction(R"(^\s+\d+ type=(\d+) \(\w+\)((\s+\d+)+)\s*$)");
  GmxDump dump;
  std::ifstream in(path);
  std::string list;
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, m, functype)) {
      dump.functypes[std::stoi(m[1])] = dump_parameters(m[2]);
    } else if (std::regex_search(line, m, atom)) {
      dump.masses.push_back(std::stod(m[1]));
      dump.charges.push_back(std::stod(m[2]));
    } else if (std::regex_match(line, m, header)) {
      list = m[1];
    } else if (std::regex_match(line, m, interaction)) {
      DumpInteraction d;
      d.type = std::stoi(m[1]);
      for (const std::string &t : tokens(m[2])) d.atoms.push_back(std::stoi(t));
      dump.lists[list].push_back(d);
    }
  }
  return dump;
}

// Logical lines of grompp's own preprocessed output (-pp): comments stripped, continuations joined.
std::vector<std::vector<std::string>> read_preprocessed(const std::string &path)
{
  std::vector<std::vector<std::string>> lines;
  std::ifstream in(path);
  bool continuing = false;
  for (std::string line; std::getline(in, line);) {
    line = line.substr(0, line.find(';'));
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    const bool continues = !line.empty() && line.back() == '\\';
    if (continues) line.pop_back();
    std::vector<std::string> t = tokens(line);
    if (continuing)
      lines.back().insert(lines.back().end(), t.begin(), t.end());
    else if (!t.empty())
      lines.push_back(t);
    continuing = continues && !lines.empty();
  }
  return lines;
}

// Makes dir/topol.top (pdb2gmx), dir/topol.tpr (grompp), dir/dump.txt and dir/processed.top; "" or why not.
std::string make_gromacs_system(const fs::path &dir, const std::string &forcefield, const std::string &terminus_choices,
                                const std::string &forcefield_folder = {})
{
  fs::remove_all(dir);
  fs::create_directories(dir);
  if (!forcefield_folder.empty())
    fs::copy(forcefield_folder, dir / fs::path(forcefield_folder).filename(), fs::copy_options::recursive);
  {
    std::ifstream pdb(ubiquitin_pdb);
    std::ofstream protein(dir / "protein.pdb");
    for (std::string line; std::getline(pdb, line);)
      if (line.find("HOH") == std::string::npos) protein << line << "\n";
    std::ofstream(dir / "vacuum.mdp") << "integrator = steep\nnsteps = 0\ncutoff-scheme = Verlet\npbc = xyz\n"
                                         "rcoulomb = 1.0\nrvdw = 1.0\n";
  }
  const std::string ter = terminus_choices.empty() ? "" : "printf '" + terminus_choices + "' | ";
  const std::string ter_flag = terminus_choices.empty() ? "" : " -ter";
  if (run_in(dir, ter + "gmx pdb2gmx -f protein.pdb -ff " + forcefield + " -water none -ignh" + ter_flag +
                      " -o conf.gro -p topol.top") != 0)
    return "pdb2gmx failed, see " + (dir / "log.txt").string();
  if (run_in(dir, "gmx editconf -f conf.gro -o box.gro -d 1.0") != 0 ||
      run_in(dir, "gmx grompp -f vacuum.mdp -c box.gro -p topol.top -o topol.tpr -pp processed.top -maxwarn 5") != 0 ||
      run_in(dir, "gmx dump -s topol.tpr > dump.txt 2>/dev/null") != 0)
    return "grompp or dump failed, see " + (dir / "log.txt").string();
  return {};
}

// The terms of a section, grompp-expanded, whose function is in `functions`.
std::vector<ResolvedTerm> resolved(const ParameterLookup &lookup, const MoleculeType &m, const std::string &section,
                                   std::vector<int> functions)
{
  std::vector<ResolvedTerm> out;
  for (ResolvedTerm &r : lookup.resolve_all(m, section))
    if (std::find(functions.begin(), functions.end(), r.term->function) != functions.end()) out.push_back(std::move(r));
  return out;
}

// Compares our terms with grompp's list, term by term: the atoms, and each named parameter
// (`convert` turns ours into grompp's units). Returns how many terms matched fully.
template <class Convert>
std::size_t compare_terms(const GmxDump &dump, const std::string &list, const std::vector<ResolvedTerm> &ours,
                          const std::vector<std::string> &names, Convert convert)
{
  const auto found = dump.lists.find(list);
  const std::vector<DumpInteraction> none;
  const std::vector<DumpInteraction> &theirs = found == dump.lists.end() ? none : found->second;
  EXPECT_EQ(ours.size(), theirs.size()) << list;
  std::size_t matched = 0;
  for (std::size_t i = 0; i < std::min(ours.size(), theirs.size()); ++i) {
    std::vector<int> atoms;
    for (int a : ours[i].term->atoms) atoms.push_back(a - 1);
    bool same = atoms == theirs[i].atoms;
    const std::vector<double> ours_values = convert(ours[i].parameters);
    const auto &params = dump.functypes.at(theirs[i].type);
    for (std::size_t k = 0; k < names.size(); ++k) same = same && near_relative(ours_values[k], params.at(names[k]), 2e-5);
    if (!same) {
      ADD_FAILURE() << list << " term " << i << " (" << ours[i].term->path << ":" << ours[i].term->line << ") differs from grompp's";
      return matched;
    }
    ++matched;
  }
  return matched;
}

const auto as_is = [](const std::vector<double> &v) { return v; };
// sigma, epsilon -> c6, c12
const auto lennard_jones = [](const std::vector<double> &v) {
  const double s6 = std::pow(v[0], 6);
  return std::vector<double>{4 * v[1] * s6, 4 * v[1] * s6 * s6};
};

// Everything grompp made of topol.top against what our reader finds there.
void compare_with_grompp(const fs::path &dir, bool charmm)
{
  PreprocessorOptions options;
  options.include_folders = {gromacs_top};

  // the preprocessor: line by line the same as grompp -pp
  const auto ours_lines = preprocess_topology((dir / "topol.top").string(), options);
  const auto theirs_lines = read_preprocessed((dir / "processed.top").string());
  ASSERT_EQ(ours_lines.size(), theirs_lines.size());
  for (std::size_t i = 0; i < ours_lines.size(); ++i) {
    if (ours_lines[i].header) {
      std::string theirs;
      for (const std::string &t : theirs_lines[i]) theirs += t;
      for (char &c : theirs) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      ASSERT_EQ("[" + ours_lines[i].section + "]", theirs) << ours_lines[i].path << ":" << ours_lines[i].line;
    } else {
      ASSERT_EQ(ours_lines[i].tokens, theirs_lines[i]) << ours_lines[i].path << ":" << ours_lines[i].line;
    }
  }

  const Topology top = parse_topology(ours_lines);
  const GmxDump dump = read_dump((dir / "dump.txt").string());
  ASSERT_EQ(top.molecules.size(), 1u);
  const MoleculeType &m = *top.find_moleculetype(top.molecules[0].name);
  ASSERT_EQ(static_cast<std::size_t>(top.atom_count()), dump.masses.size());
  for (std::size_t i = 0; i < m.atoms.size(); ++i) {
    EXPECT_TRUE(near_relative(m.atoms[i].mass, dump.masses[i], 1e-5)) << "atom " << i + 1;
    EXPECT_NEAR(m.atoms[i].charge, dump.charges[i], 1e-5) << "atom " << i + 1;
  }
  double charge = 0, mass = 0;
  for (std::size_t i = 0; i < dump.masses.size(); ++i) charge += dump.charges[i], mass += dump.masses[i];
  EXPECT_NEAR(top.charge(), charge, 1e-4);
  EXPECT_NEAR(top.mass(), mass, 1e-3);
  std::cout << "[ grompp    ] " << dir.filename().string() << ": atoms " << dump.masses.size() << ", charge "
            << top.charge() << " (grompp " << charge << "), mass " << top.mass() << " (grompp " << mass << ")\n";

  const ParameterLookup lookup(top);
  std::map<std::string, std::size_t> counts;
  counts["Bond"] = compare_terms(dump, "Bond", resolved(lookup, m, "bonds", {1}), {"b0A", "cbA"}, as_is);
  if (charmm)
    counts["U-B"] = compare_terms(dump, "U-B", resolved(lookup, m, "angles", {5}), {"thetaA", "kthetaA", "r13A", "kUBA"}, as_is);
  else
    counts["Angle"] = compare_terms(dump, "Angle", resolved(lookup, m, "angles", {1}), {"thA", "ctA"}, as_is);
  counts["Proper Dih."] =
      compare_terms(dump, "Proper Dih.", resolved(lookup, m, "dihedrals", {1, 9}), {"phiA", "cpA", "mult"}, as_is);
  if (charmm)
    counts["Improper Dih."] = compare_terms(dump, "Improper Dih.", resolved(lookup, m, "dihedrals", {2}), {"xiA", "cxA"}, as_is);
  else
    counts["Per. Imp. Dih."] =
        compare_terms(dump, "Per. Imp. Dih.", resolved(lookup, m, "dihedrals", {4}), {"phiA", "cpA", "mult"}, as_is);
  counts["LJ-14"] = compare_terms(dump, "LJ-14", resolved(lookup, m, "pairs", {1}), {"c6A", "c12A"}, lennard_jones);
  // CMAP: the grid is not in the functype line; the atoms are compared, and each term must find its grid
  std::vector<ResolvedTerm> cmaps = lookup.resolve_all(m, "cmap");
  for (const ResolvedTerm &c : cmaps) EXPECT_EQ(c.parameters.size(), 576u);
  counts["CMAP Dih."] = compare_terms(dump, "CMAP Dih.", cmaps, {}, as_is);
  std::cout << "[ grompp    ] " << dir.filename().string() << ": lines " << ours_lines.size() << " as grompp -pp;";
  for (const auto &[list, n] : counts) std::cout << " " << list << " " << n << "/" << (dump.lists.count(list) ? dump.lists.at(list).size() : 0);
  std::cout << "\n";

  // POSRES: pdb2gmx restrains the heavy atoms
  PreprocessorOptions posres = options;
  posres.defines["POSRES"] = "";
  const Topology restrained = read_topology((dir / "topol.top").string(), posres);
  std::size_t heavy = 0;
  for (const TopologyAtom &a : m.atoms) heavy += a.mass > 1.5 ? 1 : 0;
  EXPECT_EQ(restrained.moleculetypes[0].position_restraints.size(), heavy);
  EXPECT_TRUE(m.position_restraints.empty());
}

}    // namespace

TEST(TopologyAgainstGrompp, UbiquitinAmber99sbIldn)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!fs::exists(ubiquitin_pdb)) GTEST_SKIP() << ubiquitin_pdb << " not present";
  const fs::path dir = scratch_folder() / "gmx_amber99sb-ildn";
  const std::string why = make_gromacs_system(dir, "amber99sb-ildn", "");
  if (!why.empty()) FAIL() << why;
  compare_with_grompp(dir, false);
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}

TEST(TopologyAgainstGrompp, UbiquitinCharmm27)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!fs::exists(ubiquitin_pdb)) GTEST_SKIP() << ubiquitin_pdb << " not present";
  const fs::path dir = scratch_folder() / "gmx_charmm27";
  const std::string why = make_gromacs_system(dir, "charmm27", "");
  if (!why.empty()) FAIL() << why;
  compare_with_grompp(dir, true);
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}

TEST(TopologyAgainstGrompp, UbiquitinCharmm36Jul2022)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  const std::string ff = shared_forcefields + "/charmm36/charmm36-jul2022.ff";
  if (!fs::exists(ubiquitin_pdb) || !fs::exists(ff)) GTEST_SKIP() << "ubiquitin or charmm36 not present";
  const fs::path dir = scratch_folder() / "gmx_charmm36";
  // this port's MET1 default N-terminus does not build; NH3+ and COO- do
  const std::string why = make_gromacs_system(dir, "charmm36-jul2022", "1\\n0\\n", ff);
  if (!why.empty()) FAIL() << why;
  compare_with_grompp(dir, true);
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}

