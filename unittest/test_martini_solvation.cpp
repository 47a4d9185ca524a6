/* Tests of Martini 3 solvation (forcefield layer, martini_solvation): the water lattice counted and
   placed by hand in a 30 A box (6 x 6 x 6 points 5 A apart at Martini water's density), beads
   that remove exactly the points within the distance (across the periodic boundary too), and
   ions put in place of evenly spaced W beads at lattice indices worked out by hand. */
#include "martini_solvation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

using namespace BACKMAP;

namespace {

Structure empty_box(double side)
{
  Structure s;
  s.box = Box::orthorhombic(side, side, side);
  return s;
}

Structure one_bead(double side, const Vec3 &at)
{
  Structure s = empty_box(side);
  Residue r;
  r.name = "BEAD";
  Atom a;
  a.name = "B";
  a.position = at;
  r.atoms.push_back(a);
  s.residues.push_back(r);
  return s;
}

ItpMolecule one_bead_molecule(const std::string &name, double charge)
{
  ItpMolecule m;
  m.name = name;
  m.file = name + ".itp";
  m.residues = {name};
  m.atoms = {name};
  m.residue_numbers = {"1"};
  m.charges = {charge};
  return m;
}

}    // namespace

// Martini water: 33.43 / 4 W per nm^3, a cubic lattice of 10 * cbrt(4 / 33.43) = 4.929 A; a 30 A
// side holds round(30 / 4.929) = 6 points 5 A apart, the first at 2.5 A, z running fastest.
TEST(MartiniSolvation, WaterLatticeFillsAnEmptyBoxAtMartiniDensity)
{
  const std::vector<Vec3> points = water_points(empty_box(30.0), 4.3);
  ASSERT_EQ(points.size(), 216u);
  EXPECT_NEAR((points[0] - Vec3(2.5, 2.5, 2.5)).norm(), 0.0, 1e-12);
  EXPECT_NEAR((points[1] - Vec3(2.5, 2.5, 7.5)).norm(), 0.0, 1e-12);
  EXPECT_NEAR((points[6] - Vec3(2.5, 7.5, 2.5)).norm(), 0.0, 1e-12);
  EXPECT_NEAR((points[215] - Vec3(27.5, 27.5, 27.5)).norm(), 0.0, 1e-12);
}

TEST(MartiniSolvation, BeadsRemoveThePointsWithinTheDistanceAcrossTheBoundary)
{
  // on a point: 4.3 A removes it alone (its neighbours are 5 A away), 5.5 A also its 6 neighbours
  // (the diagonal ones are 7.07 A away)
  EXPECT_EQ(water_points(one_bead(30.0, Vec3(2.5, 2.5, 2.5)), 4.3).size(), 215u);
  EXPECT_EQ(water_points(one_bead(30.0, Vec3(2.5, 2.5, 2.5)), 5.5).size(), 209u);
  // at (0.1, 0.1, 0.1): (2.5, 2.5, 2.5) is 4.157 A away, the three points with one coordinate 27.5
  // are 4.276 A away through the boundary (2.6 A in that direction), those with two are 4.391 A away
  const std::vector<Vec3> corner = water_points(one_bead(30.0, Vec3(0.1, 0.1, 0.1)), 4.3);
  EXPECT_EQ(corner.size(), 212u);
  const auto has = [&](const Vec3 &p) {
    return std::any_of(corner.begin(), corner.end(), [&](const Vec3 &q) { return (q - p).norm() < 1e-9; });
  };
  EXPECT_FALSE(has(Vec3(27.5, 2.5, 2.5)));
  EXPECT_FALSE(has(Vec3(2.5, 2.5, 27.5)));
  EXPECT_TRUE(has(Vec3(27.5, 27.5, 2.5)));
  EXPECT_TRUE(has(Vec3(2.5, 2.5, 7.5)));
}

// 2 pairs among 216 points: the ions take points (2k + 1) * 216 / 8 = 27, 81, 135, 189, NA first
// and then alternating; point p is (i, j, l) = (p / 36, p / 6 % 6, p % 6) at 2.5 + 5 (i, j, l) A.
TEST(MartiniSolvation, IonsReplaceEvenlySpacedWaterBeads)
{
  const std::map<std::string, ItpMolecule> itps = {
      {"W", one_bead_molecule("W", 0.0)}, {"NA", one_bead_molecule("NA", 1.0)}, {"CL", one_bead_molecule("CL", -1.0)}};
  MartiniSystem system;
  system.input = "in.gro";
  system.structure = empty_box(30.0);
  MartiniSystemOptions options;
  options.solvate = true;
  options.ion_pairs = 2;
  add_water_and_ions(system, itps, options, 10);
  ASSERT_EQ(system.structure.residues.size(), 216u);
  ASSERT_EQ(system.molecules.size(), 3u);
  EXPECT_EQ(system.molecules[0].name, "W");
  EXPECT_EQ(system.molecules[0].count, 212);
  EXPECT_EQ(system.molecules[1].name, "NA");
  EXPECT_EQ(system.molecules[1].count, 2);
  EXPECT_EQ(system.molecules[2].name, "CL");
  EXPECT_EQ(system.molecules[2].count, 2);
  EXPECT_EQ(system.water_beads, 212u);
  EXPECT_EQ(system.ion_beads(), 4u);
  EXPECT_NEAR(system.charge, 0.0, 1e-12);
  EXPECT_EQ(system.itp_files, (std::set<std::string>{"W.itp", "NA.itp", "CL.itp"}));
  EXPECT_EQ(system.structure.residues.front().number, 11);
  EXPECT_EQ(system.structure.residues.back().number, 226);
  const auto at = [&](std::size_t residue) { return system.structure.residues[residue].atoms.front().position; };
  EXPECT_EQ(system.structure.residues[212].name, "NA");
  EXPECT_NEAR((at(212) - Vec3(2.5, 22.5, 17.5)).norm(), 0.0, 1e-12);     // point 27
  EXPECT_NEAR((at(213) - Vec3(17.5, 22.5, 17.5)).norm(), 0.0, 1e-12);    // point 135
  EXPECT_EQ(system.structure.residues[214].name, "CL");
  EXPECT_NEAR((at(214) - Vec3(12.5, 7.5, 17.5)).norm(), 0.0, 1e-12);     // point 81
  EXPECT_NEAR((at(215) - Vec3(27.5, 7.5, 17.5)).norm(), 0.0, 1e-12);     // point 189

  MartiniSystem crowded;
  crowded.structure = empty_box(30.0);
  options.ion_pairs = 108;    // 216 ions for 216 places: one W at least must stay
  EXPECT_THROW(add_water_and_ions(crowded, itps, options, 0), std::runtime_error);
  MartiniSystem no_ions;
  no_ions.structure = empty_box(30.0);
  EXPECT_THROW(add_water_and_ions(no_ions, {{"W", one_bead_molecule("W", 0.0)}}, options, 0), std::runtime_error);
}
