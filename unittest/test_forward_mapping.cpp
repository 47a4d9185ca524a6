// Forward mapping against hand-computed Martini 3 bead centres, hydrogens by bond, and PBC.
#include "forward_mapping.h"
#include "periodic.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

const double mC = 12.011, mN = 14.007, mO = 15.999, mH = 1.008;

Residue alanine(int number = 1)
{
  Residue r;
  r.name = "ALA";
  r.chain = "A";
  r.number = number;
  r.atoms = {make_atom("N", "N", 0, 0, 0), make_atom("CA", "C", 1.46, 0, 0), make_atom("C", "C", 2.0, 1.4, 0),
             make_atom("O", "O", 1.5, 2.5, 0), make_atom("CB", "C", 2.0, -0.8, 1.2)};
  return r;
}

Structure one(Residue r)
{
  Structure s;
  s.residues.push_back(std::move(r));
  return s;
}

void expect_near(const Vec3 &a, const Vec3 &b, double tol = 1e-9)
{
  EXPECT_NEAR((a - b).norm(), 0.0, tol) << a.transpose() << " vs " << b.transpose();
}

}    // namespace

TEST(ForwardMapping, AlanineBeadsAreMassWeightedCentres)
{
  const ForwardMapping fm = map_to_cg(one(alanine()), martini3());
  ASSERT_EQ(fm.cg.residues.size(), 1u);
  const Residue &cg = fm.cg.residues[0];
  ASSERT_EQ(cg.atoms.size(), 2u);
  EXPECT_EQ(cg.atoms[0].name, "BB");
  const double M = mN + mC + mC + mO;
  const Vec3 bb((mN * 0 + mC * 1.46 + mC * 2.0 + mO * 1.5) / M, (mC * 1.4 + mO * 2.5) / M, 0);
  expect_near(cg.atoms[0].position, bb);
  expect_near(cg.atoms[1].position, Vec3(2.0, -0.8, 1.2));
  EXPECT_NEAR(cg.atoms[0].mass, M, 1e-9);
}

TEST(ForwardMapping, HydrogensCountByTheirHeavyAtomNotByName)
{
  Residue r = alanine();
  r.atoms.push_back(make_atom("HX9", "H", 0, -1.0, 0));       // on N: counts for BB
  r.atoms.push_back(make_atom("HQ", "H", 1.46, 0, -1.09));    // on CA: excluded from BB (HA, `!BB`)
  const ForwardMapping fm = map_to_cg(one(r), martini3());
  const double M = mN + mC + mC + mO + mH;
  const Vec3 bb((mC * 1.46 + mC * 2.0 + mO * 1.5) / M, (mC * 1.4 + mO * 2.5 - mH * 1.0) / M, 0);
  expect_near(fm.cg.residues[0].atoms[0].position, bb);
  EXPECT_NEAR(fm.cg.residues[0].atoms[0].mass, M + mH, 1e-9);    // excluded atoms still weigh
}

TEST(ForwardMapping, SharedAtomsSplitTheirMassByCounts)
{
  // PHE: CD1 SC1 SC2 SC2, CD2 SC3 SC3 SC1, CZ SC3 SC2 (martinize2's counting)
  Residue r;
  r.name = "PHE";
  const std::map<std::string, Vec3> x = {{"N", {0, 0, 0}},      {"CA", {1, 0, 0}},    {"C", {2, 1, 0}},
                                         {"O", {2, 2, 0}},      {"CB", {1, -1, 1}},   {"CG", {1, -2, 2}},
                                         {"CD1", {0, -3, 2.5}}, {"CD2", {2, -3, 2.5}}, {"CE1", {0, -4, 3}},
                                         {"CE2", {2, -4, 3}},   {"CZ", {1, -5, 3.5}}};
  for (const auto &[name, pos] : x) r.atoms.push_back(make_atom(name, name[0] == 'O' ? "O" : name[0] == 'N' ? "N" : "C", pos.x(), pos.y(), pos.z()));
  const ForwardMapping fm = map_to_cg(one(r), martini3());
  ASSERT_TRUE(fm.skipped.empty()) << fm.skipped[0].reason;
  const auto &beads = fm.cg.residues[0].atoms;
  const Vec3 sc1 = (x.at("CB") + x.at("CG") + x.at("CD1") / 3 + x.at("CD2") / 3) / (2 + 2.0 / 3);
  const Vec3 sc2 = (x.at("CD1") * 2 / 3 + x.at("CE1") + x.at("CZ") / 2) / (2.0 / 3 + 1 + 0.5);
  const Vec3 sc3 = (x.at("CD2") * 2 / 3 + x.at("CE2") + x.at("CZ") / 2) / (2.0 / 3 + 1 + 0.5);
  expect_near(beads[1].position, sc1);
  expect_near(beads[2].position, sc2);
  expect_near(beads[3].position, sc3);
}

TEST(ForwardMapping, OptionalTerminalOxygenJoinsTheBackbone)
{
  Residue r = alanine();
  r.atoms.push_back(make_atom("OT2", "O", 3.0, 1.0, 0));
  const ForwardMapping fm = map_to_cg(one(r), martini3());
  const double M = mN + 2 * mC + 2 * mO;
  expect_near(fm.cg.residues[0].atoms[0].position,
              Vec3((mC * 1.46 + mC * 2.0 + mO * 1.5 + mO * 3.0) / M, (mC * 1.4 + mO * 2.5 + mO * 1.0) / M, 0));
}

TEST(ForwardMapping, TerminalOxygenIsKnownByItsBondWhateverItsName)
{
  Residue named = alanine(), odd = alanine();
  named.atoms.push_back(make_atom("OXT", "O", 3.0, 1.0, 0));
  odd.atoms.push_back(make_atom("O01", "O", 3.0, 1.0, 0));
  Residue far = alanine();
  far.atoms.push_back(make_atom("O01", "O", 6.0, 1.0, 0));    // not bonded to C: stays unknown
  const ForwardMapping a = map_to_cg(one(named), martini3()), b = map_to_cg(one(odd), martini3());
  ASSERT_TRUE(b.skipped.empty());
  expect_near(b.cg.residues[0].atoms[0].position, a.cg.residues[0].atoms[0].position);
  EXPECT_EQ(map_to_cg(one(far), martini3()).skipped.size(), 1u);
}

TEST(ForwardMapping, WhatCannotBeMappedIsReportedPerResidue)
{
  Structure s = one(alanine(1));
  Residue incomplete = alanine(2);
  incomplete.atoms.pop_back();    // no CB
  s.residues.push_back(incomplete);
  Residue water;
  water.name = "HOH";
  water.number = 3;
  water.atoms = {make_atom("O", "O", 5, 5, 5)};
  s.residues.push_back(water);
  Residue ligand = water;
  ligand.name = "GDP";
  ligand.number = 4;
  s.residues.push_back(ligand);
  Residue odd = alanine(5);
  odd.atoms.push_back(make_atom("SE", "SE", 1, 1, 1));
  s.residues.push_back(odd);
  const ForwardMapping fm = map_to_cg(s, martini3());
  EXPECT_EQ(fm.cg.residues.size(), 1u);
  ASSERT_EQ(fm.skipped.size(), 4u);
  EXPECT_EQ(fm.skipped[0].label, "A:ALA2");
  EXPECT_EQ(fm.skipped[0].reason, "missing atoms CB");
  EXPECT_EQ(fm.skipped[1].reason, "water (not mapped)");
  EXPECT_EQ(fm.skipped[2].reason, "no mapping for residue name GDP");
  EXPECT_EQ(fm.skipped[3].reason, "atoms unknown to mapping ALA: SE");
}

TEST(ForwardMapping, ResidueSplitAcrossTheBoxIsMadeWhole)
{
  const double L = 20.0;
  Structure whole = one(alanine());
  for (auto &a : whole.residues[0].atoms) a.position += Vec3(L - 1.0, 3, 3);    // N at x = 19, CA at 20.46 ...
  Structure wrapped = whole;
  wrapped.box = Box::orthorhombic(L, L, L);
  for (auto &a : wrapped.residues[0].atoms)
    if (a.position.x() >= L) a.position.x() -= L;    // CA, C, O, CB wrapped to the other side
  const ForwardMapping a = map_to_cg(whole, martini3());
  const ForwardMapping b = map_to_cg(wrapped, martini3());
  for (int k = 0; k < 2; ++k) expect_near(b.cg.residues[0].atoms[k].position, a.cg.residues[0].atoms[k].position);
}

TEST(ForwardMapping, ChainSplitAcrossATriclinicBoxIsMadeWhole)
{
  Structure s;
  s.box.periodic = true;
  s.box.vectors << 30, 0, 0, 10, 30, 0, 5, 5, 30;    // rows a, b, c
  s.residues = {alanine(1), alanine(2)};
  for (auto &a : s.residues[1].atoms) a.position += Vec3(3.3, 0, 0);    // next residue, bonded C-N
  Structure wrapped = s;
  for (auto &a : wrapped.residues[1].atoms) a.position -= s.box.vectors.row(1).transpose();    // one b image away
  make_molecules_whole(wrapped);
  for (std::size_t i = 0; i < s.residues[1].atoms.size(); ++i)
    expect_near(wrapped.residues[1].atoms[i].position, s.residues[1].atoms[i].position);
  const ForwardMapping fm = map_to_cg(wrapped, martini3());
  EXPECT_EQ(fm.cg.residues[0].molecule, fm.cg.residues[1].molecule);    // one chain, one molecule
}

TEST(ForwardMapping, MinimumImageIsExactForOrthorhombicCells)
{
  const Box box = Box::orthorhombic(10, 20, 30);
  expect_near(box.minimum_image(Vec3(9, -19, 16)), Vec3(-1, 1, -14));
}
