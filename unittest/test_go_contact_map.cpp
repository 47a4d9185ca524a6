/* GoMartini's contact map and Go model (forcefield layer) on cases checked by hand:
   - the atom facts (radius, class) under the names PDB, CHARMM and GROMACS give, and the kinds of
     contact of the CSU classes;
   - the Fibonacci sphere: 610 points on the sphere, evenly spaced in z;
   - OV and CSU on two and three atoms on a line: the points of atom A that atom B's enlarged
     sphere holds are those with z >= d / (2 R) on A's sphere (equal radii R), so their number is
     floor(N (1 - d / (2 R)) / 2) + 1; a nearer atom in front takes the points first;
   - the Go model on a hand-built six-residue molecule: sites, types, which pairs it takes (both
     directions, sequence distance, BB distance window) with sigma = d / 2^(1/6), exclusions, and
     the itp texts; errors. */
#include "go_atom_classes.h"
#include "go_contact_map.h"
#include "go_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace BACKMAP;

namespace {

Residue residue_of(const std::string &name, int number, const std::vector<std::pair<std::string, Vec3>> &atoms)
{
  Residue r;
  r.name = name;
  r.chain = "A";
  r.number = number;
  for (const auto &[atom, x] : atoms) {
    Atom a;
    a.name = atom;
    a.position = x;
    r.atoms.push_back(a);
  }
  return r;
}

const GoResidueContact *find_pair(const std::vector<GoResidueContact> &map, int a, int b)
{
  for (const GoResidueContact &c : map)
    if (c.a == a && c.b == b) return &c;
  return nullptr;
}

// Points of a sphere of radius R whose z is at least c R, with z = R (1 - 2k/N): k <= N (1 - c) / 2.
int cap_points(double c) { return static_cast<int>(std::floor(go_sphere_points * (1 - c) / 2)) + 1; }

}    // namespace

TEST(GoContactMap, AtomFactsUnderTheirNames)
{
  EXPECT_DOUBLE_EQ(go_atom_facts("ALA", "CA").radius, 1.88);
  EXPECT_EQ(go_atom_facts("ALA", "CA").atom_class, go_neutral_donor);
  EXPECT_EQ(go_atom_facts("GLY", "CA").atom_class, go_neutral);
  EXPECT_EQ(go_atom_facts("PRO", "N").atom_class, go_neutral);
  EXPECT_EQ(go_atom_facts("PRO", "CA").atom_class, go_hydrophobic);
  EXPECT_EQ(go_atom_facts("ALA", "N").atom_class, go_donor);
  // PDB's Ile CD1 is the table's CD; CHARMM/GROMACS C-terminal oxygens are O and OXT
  EXPECT_DOUBLE_EQ(go_atom_facts("ILE", "CD1").radius, 1.88);
  EXPECT_EQ(go_atom_facts("ILE", "CD1").atom_class, go_hydrophobic);
  EXPECT_DOUBLE_EQ(go_atom_facts("LYS", "OT2").radius, 1.42);
  EXPECT_EQ(go_atom_facts("LYS", "OC1").atom_class, go_acceptor);
  // protonation variants count as their amino acid
  EXPECT_EQ(go_atom_facts("HSD", "ND1").atom_class, go_donor_acceptor);
  EXPECT_DOUBLE_EQ(go_atom_facts("ASPP", "OD1").radius, 1.46);
  EXPECT_EQ(go_atom_facts("MET", "SD").atom_class, go_neutral_acceptor);
  // hydrogens, unknown atoms and residues: nothing
  EXPECT_DOUBLE_EQ(go_atom_facts("ALA", "HA").radius, 0.0);
  EXPECT_EQ(go_atom_facts("HOH", "O").atom_class, go_no_class);

  EXPECT_EQ(go_contact_kind(go_hydrophobic, go_aromatic), GoContactKind::Stabilising);
  EXPECT_EQ(go_contact_kind(go_donor, go_acceptor), GoContactKind::Stabilising);
  EXPECT_EQ(go_contact_kind(go_donor_acceptor, go_donor_acceptor), GoContactKind::Stabilising);
  EXPECT_EQ(go_contact_kind(go_acceptor, go_acceptor), GoContactKind::Destabilising);
  EXPECT_EQ(go_contact_kind(go_donor, go_donor), GoContactKind::Destabilising);
  EXPECT_EQ(go_contact_kind(go_hydrophobic, go_donor), GoContactKind::Destabilising);
  EXPECT_EQ(go_contact_kind(go_neutral, go_hydrophobic), GoContactKind::Other);
  EXPECT_EQ(go_contact_kind(go_no_class, go_hydrophobic), GoContactKind::None);
  for (int a = 1; a <= 8; ++a)
    for (int b = 1; b <= 8; ++b) EXPECT_EQ(go_contact_kind(a, b), go_contact_kind(b, a)) << a << " " << b;
}

TEST(GoContactMap, FibonacciSphere)
{
  const Vec3 centre(1.0, -2.0, 0.5);
  const std::vector<Vec3> points = go_sphere(centre, 4.68);
  ASSERT_EQ(points.size(), 610u);
  Vec3 mean = Vec3::Zero();
  for (std::size_t k = 0; k < points.size(); ++k) {
    EXPECT_NEAR((points[k] - centre).norm(), 4.68, 1e-12);
    EXPECT_NEAR(points[k].z() - centre.z(), 4.68 * (1.0 - 2.0 * static_cast<double>(k) / 610), 1e-12);
    mean += points[k] - centre;
  }
  // evenly spread: the mean is near the centre (the z spacing leaves 4.68/610 along +z)
  EXPECT_LT((mean / 610.0 - Vec3(0, 0, 4.68 / 610)).norm(), 0.01);
}

TEST(GoContactMap, TwoAndThreeAtomsOnALine)
{
  // CB of two alanines (radius 1.88, hydrophobic), 4 A apart: OV (4 < 1.24 x 3.76) and 175 points each way
  const double R = 1.88 + 2.8;
  std::vector<Residue> residues = {residue_of("ALA", 1, {{"CB", Vec3(0, 0, 0)}}), residue_of("ALA", 2, {{"CB", Vec3(0, 0, 4.0)}})};
  std::vector<const Residue *> list = {&residues[0], &residues[1]};
  std::vector<GoResidueContact> map = go_contact_map(list);
  ASSERT_EQ(map.size(), 2u);
  const GoResidueContact *ab = find_pair(map, 0, 1);
  ASSERT_TRUE(ab);
  EXPECT_TRUE(ab->overlap);
  EXPECT_EQ(cap_points(4.0 / (2 * R)), 175);
  EXPECT_EQ(ab->surface, 175);
  EXPECT_EQ(ab->stabilising, 175);
  EXPECT_EQ(ab->destabilising, 0);
  EXPECT_TRUE(ab->taken());
  // the other way round: B's points near -z, as many by symmetry (the z spacing starts at +z, so
  // count them: z <= -c R)
  const GoResidueContact *ba = find_pair(map, 1, 0);
  ASSERT_TRUE(ba);
  int below = 0;
  for (int k = 0; k < 610; ++k) below += (1.0 - 2.0 * k / 610) <= -4.0 / (2 * R) ? 1 : 0;
  EXPECT_EQ(ba->surface, below);

  // 5 A: no overlap (5 > 4.6624), but rCSU: 143 stabilising points
  residues[1].atoms[0].position = Vec3(0, 0, 5.0);
  map = go_contact_map(list);
  ab = find_pair(map, 0, 1);
  ASSERT_TRUE(ab);
  EXPECT_FALSE(ab->overlap);
  EXPECT_EQ(ab->surface, cap_points(5.0 / (2 * R)));
  EXPECT_EQ(ab->surface, 143);
  EXPECT_TRUE(ab->rcsu());

  // two carboxyl oxygens (1.42 and 1.42, acceptors) 5 A apart: destabilising, listed but not taken
  std::vector<Residue> acids = {residue_of("ASP", 1, {{"OD2", Vec3(0, 0, 0)}}), residue_of("ASP", 2, {{"OD2", Vec3(0, 0, 5.0)}})};
  map = go_contact_map({&acids[0], &acids[1]});
  ab = find_pair(map, 0, 1);
  ASSERT_TRUE(ab);
  EXPECT_EQ(ab->destabilising, cap_points(5.0 / (2 * (1.42 + 2.8))));
  EXPECT_EQ(ab->destabilising, 125);
  EXPECT_EQ(ab->stabilising, 0);
  EXPECT_FALSE(ab->taken());

  // a third atom C behind B (z = 5.5, residue 3): B's cap (z >= 0.427 R) holds C's (z >= 0.588 R),
  // and B is nearer to A, so A's points all go to B and none to C
  residues[1].atoms[0].position = Vec3(0, 0, 4.0);
  residues.push_back(residue_of("ALA", 3, {{"CB", Vec3(0, 0, 5.5)}}));
  map = go_contact_map({&residues[0], &residues[1], &residues[2]});
  EXPECT_EQ(find_pair(map, 0, 1)->surface, 175);
  EXPECT_EQ(find_pair(map, 0, 2), nullptr);
  // a hydrogen (no radius, no class) in front of B takes points too: none counted for it
  residues[0].atoms.push_back({"HB1", "H", Vec3(0, 0, 2.5), 0, 0.0});
  map = go_contact_map({&residues[0], &residues[1]});
  EXPECT_LT(find_pair(map, 0, 1)->surface, 175);
  EXPECT_GT(find_pair(map, 0, 1)->surface, 0);
}

namespace {

// Six residues with one BB bead each, bonded in a chain, BB positions (nm) given.
CgMolecule chain_of_six(const std::vector<Vec3> &bb)
{
  CgMolecule m;
  m.name = "molecule_0";
  for (int r = 0; r < 6; ++r) {
    CgResidue residue{"ALA", "A", r + 1, ' ', "ALA", {}};
    CgBead bead;
    bead.attributes = FfAttributes{{"atomname", "BB"}, {"resname", "ALA"}, {"resid", r + 1}, {"chain", "A"}, {"atype", "P2"},
                                   {"charge_group", r + 1}, {"charge", 0.0}};
    bead.position = bb[static_cast<std::size_t>(r)];
    bead.residue = r;
    residue.beads.push_back(m.add_bead(bead));
    m.residues.push_back(residue);
    if (r > 0) m.add_edge(r - 1, r);
  }
  return m;
}

GoResidueContact contact(int a, int b) { return GoResidueContact{a, b, true, 10, 10, 0}; }

}    // namespace

TEST(GoModel, SitesPairsAndExclusionsOnSixResidues)
{
  // BB 0-5 0.8 nm apart, 0-4 1.2 nm, 0-3 0.6 nm, 1-5 0.5 nm, 2-5 0.854 nm
  const std::vector<Vec3> bb = {Vec3(0, 0, 0), Vec3(0, 0.3, 0), Vec3(0.3, 0, 0), Vec3(0, 0.6, 0), Vec3(0, 1.2, 0), Vec3(0, 0.8, 0)};
  CgMolecule m = chain_of_six(bb);
  std::vector<GoResidueContact> map = {
      contact(0, 3), contact(0, 4), contact(0, 5), contact(1, 5),    // one way for 1-5
      contact(3, 0), contact(4, 0), contact(5, 0),
  };
  map.push_back(GoResidueContact{2, 5, false, 10, 2, 5});    // not a contact (rCSU says no)
  map.push_back(GoResidueContact{5, 2, true, 0, 0, 0});
  GoModelParameters p;
  const GoModel model = add_go_model(m, map, {0, 1, 2, 3, 4, 5}, p);

  // six sites after the six beads, on their BB beads, typed molecule_1..6, massless and neutral
  ASSERT_EQ(m.beads.size(), 12u);
  ASSERT_EQ(model.site_types.size(), 6u);
  for (int r = 0; r < 6; ++r) {
    const CgBead &site = m.beads[static_cast<std::size_t>(6 + r)];
    EXPECT_EQ(site.attributes["atomname"], "CA");
    EXPECT_EQ(site.attributes["atype"], "molecule_" + std::to_string(r + 1));
    EXPECT_EQ(site.attributes["mass"], 0.0);
    EXPECT_EQ(site.attributes["charge"], 0);
    EXPECT_EQ(site.residue, r);
    EXPECT_EQ(site.position, m.beads[static_cast<std::size_t>(r)].position);
    const CgTerm &v = m.terms["virtual_sitesn"][static_cast<std::size_t>(r)];
    EXPECT_EQ(v.atoms, (std::vector<int>{6 + r, r}));
    EXPECT_EQ(v.parameters, std::vector<std::string>{"1"});
  }
  // taken: 0-5 only (0-3 is 3 bonds apart, 0-4 beyond 1.1 nm, 1-5 one way, 2-5 no contact)
  ASSERT_EQ(model.pairs.size(), 1u);
  EXPECT_EQ(model.pairs[0].type_a, "molecule_6");
  EXPECT_EQ(model.pairs[0].type_b, "molecule_1");
  EXPECT_NEAR(model.pairs[0].distance, 0.8, 1e-15);
  EXPECT_NEAR(model.pairs[0].sigma, 0.8 / std::pow(2.0, 1.0 / 6.0), 1e-15);
  EXPECT_DOUBLE_EQ(model.pairs[0].epsilon, 9.414);
  ASSERT_EQ(m.terms["exclusions"].size(), 1u);
  EXPECT_EQ(m.terms["exclusions"][0].atoms, (std::vector<int>{5, 0}));
  EXPECT_EQ(go_nbparams_text(model), "[ nonbond_params ]\nmolecule_6 molecule_1 1 0.71271897 9.41400000 ;go bond 0.8\n");
  EXPECT_EQ(go_atomtypes_text(model).substr(0, 55), "[ atomtypes ]\nmolecule_1 0.0 0 A 0.00000000 0.00000000\n");

  // a residue separation of 2 lets 0-3 in (3 bonds apart), first in the map's order
  CgMolecule again = chain_of_six(bb);
  p.residue_separation = 2;
  p.prefix = "ubq";
  const GoModel wider = add_go_model(again, map, {0, 1, 2, 3, 4, 5}, p);
  ASSERT_EQ(wider.pairs.size(), 2u);
  EXPECT_EQ(wider.pairs[0].type_a, "ubq_4");
  EXPECT_EQ(wider.pairs[0].type_b, "ubq_1");

  // errors
  CgMolecule bad = chain_of_six(bb);
  p.lower = 1.2;
  EXPECT_THROW(add_go_model(bad, map, {0, 1, 2, 3, 4, 5}, p), std::invalid_argument);
  p = GoModelParameters();
  bad.beads[2].attributes["atomname"] = "SC1";
  try {
    add_go_model(bad, map, {0, 1, 2, 3, 4, 5}, p);
    FAIL() << "no error for a residue without BB";
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("A:ALA3 has no backbone bead BB"), std::string::npos) << e.what();
  }
}
