/* Tests of virtual sites on rigid frames (forcefield layer): GROMACS's four virtual_sites3
   constructions against positions worked out by hand, their rigidity (a rotated and moved frame
   carries its site along), which constrained atoms form a rigid frame, the fit of a frame to its
   constraints and of a body to given beads (a mapped cholesterol's placement), and the LAMMPS
   writer's rigid bodies: Martini 3 cholesterol's masses, sites, K = 0
   bonds, group and dihedral quadratic, and the errors that name the itp line and the molecule. */
#include "lammps_rigid_frames.h"
#include "lammps_system_writer.h"
#include "rigid_frame_fit.h"
#include "topology_file.h"
#include "virtual_site_frames.h"

#include "file_error.h"
#include "gromacs_test_support.h"

#include <gtest/gtest.h>

#include <Eigen/Geometry>

#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

const std::string martini_folder = std::string(BACKMAP_SHARED_DATA_DIR) + "/forcefields/martini3";

void expect_near(const Vec3 &a, const Vec3 &b, double tolerance = 1e-12)
{
  EXPECT_LT((a - b).norm(), tolerance) << a.transpose() << " vs " << b.transpose();
}

std::string error_of(const std::function<void()> &f)
{
  try {
    f();
  } catch (const std::exception &e) {
    return e.what();
  }
  return "(no error)";
}

}    // namespace

// Each construction from atoms placed so that the answer can be worked out on paper.
TEST(RigidFrames, EachVirtualSites3ConstructionAtItsHandComputedPlace)
{
  const Vec3 o(0, 0, 0);
  // 3: x_i + a r_ij + b r_ik = 0.25 (1,0,0) + 0.5 (0,2,0)
  expect_near(construct_virtual_site3(1, {0.25, 0.5}, o, Vec3(1, 0, 0), Vec3(0, 2, 0)), Vec3(0.25, 1.0, 0));
  // 3fd: r_ij + a r_jk = (2,0,0) + 0.5 (0,2,0) = (2,1,0); b = 0.3 along it
  expect_near(construct_virtual_site3(2, {0.5, 0.3}, o, Vec3(2, 0, 0), Vec3(2, 2, 0)),
              Vec3(0.6 / std::sqrt(5.0), 0.3 / std::sqrt(5.0), 0));
  // 3fad: theta 60 degrees from r_ij towards r_jk's part across it, d = 0.2
  expect_near(construct_virtual_site3(3, {60.0, 0.2}, o, Vec3(1, 0, 0), Vec3(1, 1, 0)), Vec3(0.1, 0.1 * std::sqrt(3.0), 0));
  // 3fad with r_jk not at a right angle to r_ij: only its perpendicular part counts
  expect_near(construct_virtual_site3(3, {90.0, 0.5}, o, Vec3(1, 0, 0), Vec3(3, 0, 2)), Vec3(0, 0, 0.5));
  // 3out: a r_ij + b r_ik + c r_ij x r_ik with r_ij x r_ik = (0,0,1)
  expect_near(construct_virtual_site3(4, {0.1, 0.2, 0.5}, o, Vec3(1, 0, 0), Vec3(0, 1, 0)), Vec3(0.1, 0.2, 0.5));
  // 3out with |r_ij x r_ik| = 2: the c term doubles
  expect_near(construct_virtual_site3(4, {0.0, 0.0, 0.5}, o, Vec3(2, 0, 0), Vec3(0, 1, 0)), Vec3(0, 0, 1.0));

  EXPECT_THROW(construct_virtual_site3(5, {1, 2}, o, Vec3(1, 0, 0), Vec3(0, 1, 0)), std::invalid_argument);
  EXPECT_THROW(construct_virtual_site3(4, {1, 2}, o, Vec3(1, 0, 0), Vec3(0, 1, 0)), std::invalid_argument);
  EXPECT_THROW(construct_virtual_site3(3, {60, 0.2}, o, Vec3(1, 0, 0), Vec3(2, 0, 0)), std::invalid_argument);
}

// A site is a fixed point of its atoms' frame: rotating and moving the three atoms moves the site
// the same way (for every construction), and its frame coordinates stay.
TEST(RigidFrames, SitesMoveWithTheirFrame)
{
  const Vec3 xi(0.1, -0.2, 0.3), xj(0.8, 0.1, 0.2), xk(0.3, 0.6, -0.1);
  const Eigen::Matrix3d rotation = Eigen::AngleAxisd(1.1, Vec3(1, 2, -0.5).normalized()).toRotationMatrix();
  const Vec3 shift(4.0, -2.0, 7.5);
  const auto move = [&](const Vec3 &x) { return Vec3(rotation * x + shift); };
  const std::vector<std::pair<int, std::vector<double>>> constructions = {
      {1, {0.3, 0.4}}, {2, {0.4, 0.25}}, {3, {110.0, 0.3}}, {4, {1.08999, 0.35891, 0.22947}}};
  for (const auto &[function, p] : constructions) {
    const Vec3 site = construct_virtual_site3(function, p, xi, xj, xk);
    expect_near(construct_virtual_site3(function, p, move(xi), move(xj), move(xk)), move(site), 1e-12);
    const Vec3 local = frame_of(xi, xj, xk).local(site);
    expect_near(frame_of(move(xi), move(xj), move(xk)).local(move(site)), local, 1e-12);
    expect_near(frame_of(move(xi), move(xj), move(xk)).global(local), move(site), 1e-12);
  }
}

TEST(RigidFrames, OnlyFullyConstrainedGroupsAreRigid)
{
  // a triangle (0,1,2), and a chain 3-4-5 whose ends are free to hinge
  const std::vector<DistanceConstraint> c = {{0, 1, 1.0}, {1, 2, 1.0}, {0, 2, 1.0}, {3, 4, 1.0}, {4, 5, 1.0}};
  const std::vector<ConstrainedGroup> groups = constrained_groups(7, c);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].atoms, (std::vector<int>{0, 1, 2}));
  EXPECT_TRUE(groups[0].rigid);
  EXPECT_EQ(groups[1].atoms, (std::vector<int>{3, 4, 5}));
  EXPECT_FALSE(groups[1].rigid);
  EXPECT_EQ(groups[1].free_pair, std::make_pair(3, 5));
}

// A 3-4-5 triangle from positions off by ~10 %: fitted, its sides are exact and its centre of mass stays.
TEST(RigidFrames, FitMeetsTheConstraintsAndKeepsTheCentreOfMass)
{
  std::vector<Vec3> x = {Vec3(0, 0, 0), Vec3(3.3, 0.2, 0.1), Vec3(-0.2, 3.7, -0.3)};
  const std::vector<double> masses = {2.0, 1.0, 3.0};
  const auto centre = [&] { return Vec3((2.0 * x[0] + 1.0 * x[1] + 3.0 * x[2]) / 6.0); };
  const Vec3 before = centre();
  fit_to_constraints(x, masses, {{0, 1, 3.0}, {0, 2, 4.0}, {1, 2, 5.0}});
  EXPECT_NEAR((x[1] - x[0]).norm(), 3.0, 1e-10);
  EXPECT_NEAR((x[2] - x[0]).norm(), 4.0, 1e-10);
  EXPECT_NEAR((x[2] - x[1]).norm(), 5.0, 1e-10);
  expect_near(centre(), before, 1e-10);
  // no triangle has sides 1, 1 and 3
  std::vector<Vec3> y = {Vec3(0, 0, 0), Vec3(1, 0, 0), Vec3(0, 1, 0)};
  EXPECT_THROW(fit_to_constraints(y, {1, 1, 1}, {{0, 1, 1.0}, {0, 2, 1.0}, {1, 2, 3.0}}), std::runtime_error);
}

// A rigid shape turned and moved is brought back exactly; onto its mirror image it is only turned
// (a 3out site keeps its face of the frame).
TEST(RigidFrames, SuperposeTurnsAndMovesButNeverMirrors)
{
  const std::vector<Vec3> body = {Vec3(0, 0, 0), Vec3(3, 0, 0), Vec3(0, 4, 0), Vec3(1, 1, 2), Vec3(-1, 2, -1)};
  const Eigen::Matrix3d rotation = Eigen::AngleAxisd(2.3, Vec3(0.3, -1, 0.4).normalized()).toRotationMatrix();
  std::vector<Vec3> target, mirror;
  for (const Vec3 &x : body) target.push_back(rotation * x + Vec3(5, 6, 7)), mirror.push_back(Vec3(-x[0], x[1], x[2]));
  const std::vector<Vec3> moved = superpose(body, target);
  for (std::size_t i = 0; i < body.size(); ++i) expect_near(moved[i], target[i], 1e-10);
  const std::vector<Vec3> turned = superpose(body, mirror);
  const auto handedness = [](const std::vector<Vec3> &x) { return (x[1] - x[0]).cross(x[2] - x[0]).dot(x[3] - x[0]); };
  EXPECT_NEAR(handedness(turned), handedness(body), 1e-9);
  for (std::size_t i = 1; i < body.size(); ++i) EXPECT_NEAR((turned[i] - turned[0]).norm(), (body[i] - body[0]).norm(), 1e-10);
}

// One Martini 3 cholesterol written for LAMMPS: its 3out sites where the itp's parameters put
// them (worked out here from the formula, not by the writer's code), the site masses taken from
// R1, R2, C1, the triangle's constraints K = 0 bonds, the group of its own types, and its
// improper (xi0 = -70) a dihedral quadratic.
TEST(RigidFrames, CholesterolIsOneRigidBodyWithItsSitesInPlace)
{
  const std::string sterols = martini_folder + "/martini_v3.0.0_sterols_v1.itp";
  if (!fs::exists(sterols)) GTEST_SKIP() << sterols << " not present";
  const fs::path dir = scratch_folder() / "rigid_chol";
  fs::create_directories(dir);
  const std::string top = write_file(dir / "chol.top", "#include \"" + martini_folder + "/martini_v3.0.0.itp\"\n#include \"" +
                                                           sterols + "\"\n[ system ]\nCHOL\n\n[ molecules ]\nCHOL 1\n");
  // R1, R2, C1 (atoms 2, 3, 8) on the constraint lengths 0.34797 (R1-R2), 0.78504 (R1-C1),
  // 0.75012 (R2-C1) nm; C2 0.44 nm from C1; the sites anywhere (the writer builds them)
  const double r12 = 3.4797, r18 = 7.8504, r38 = 7.5012;
  const double cx = (r18 * r18 - r38 * r38 + r12 * r12) / (2 * r12);    // C1 in the R1-R2 frame
  const Vec3 R1(20, 20, 20), R2 = R1 + Vec3(r12, 0, 0), C1 = R1 + Vec3(cx, std::sqrt(r18 * r18 - cx * cx), 0);
  std::vector<Vec3> x(9, Vec3(21, 21, 21));
  x[1] = R1, x[2] = R2, x[7] = C1, x[8] = C1 + Vec3(0, 4.4, 0);
  LammpsWriterOptions options;
  options.nonbonded = martini_nonbonded();
  const LammpsSystemFiles files = write_lammps_system(read_topology(top), x, Box::orthorhombic(60, 60, 60), (dir / "chol").string(), options);
  EXPECT_EQ(files.rigid_bodies, 1);

  // the data file's atoms and masses
  std::ifstream data(files.data);
  std::map<int, double> type_mass;
  std::vector<Vec3> written;
  std::vector<int> type_of;
  std::string section;
  for (std::string line; std::getline(data, line);) {
    if (!line.empty() && std::isalpha(static_cast<unsigned char>(line[0]))) {
      section = line.substr(0, line.find(' '));
      continue;
    }
    std::istringstream w(line.substr(0, line.find('#')));
    if (section == "Masses") {
      int t;
      double m;
      if (w >> t >> m) type_mass[t] = m;
    } else if (section == "Atoms") {
      long id, mol;
      int t;
      double q, px, py, pz;
      if (w >> id >> mol >> t >> q >> px >> py >> pz) written.emplace_back(px, py, pz), type_of.push_back(t);
    }
  }
  ASSERT_EQ(written.size(), 9u);
  // 3out, the itp's parameters (c in 1/nm), by hand in nm
  const auto out3 = [&](double a, double b, double c) {
    const Vec3 i = C1 / 10, j = R2 / 10, k = R1 / 10;
    const Vec3 rij = j - i, rik = k - i;
    return Vec3(10 * (i + a * rij + b * rik + c * rij.cross(rik)));
  };
  expect_near(written[0], out3(1.08999, 0.35891, 0.22947), 1e-4);     // ROH
  expect_near(written[3], out3(-0.41067, 0.83597, -0.05311), 1e-4);   // R3
  expect_near(written[4], out3(0.69138, -0.10352, 0.17476), 1e-4);    // R4
  expect_near(written[5], out3(0.77524, 0.22413, 0.92700), 1e-4);     // R5
  expect_near(written[6], out3(0.06219, 0.32398, 0.76967), 1e-4);     // R6
  expect_near(written[1], R1, 1e-6);
  // masses: five sites 0.01 u each, taken in thirds from R1, R2, C1; the total stays 504 u
  double total = 0;
  for (int t : type_of) total += type_mass[t];
  EXPECT_NEAR(total, 159.8 + 157.0 + 115.2 + 72.0, 1e-6);
  for (int site : {0, 3, 4, 5, 6}) EXPECT_NEAR(type_mass[type_of[static_cast<std::size_t>(site)]], 0.01, 1e-9);
  EXPECT_NEAR(type_mass[type_of[1]], 159.8 - 5 * 0.01 / 3, 1e-6);
  EXPECT_NEAR(type_mass[type_of[7]], 115.2 - 5 * 0.01 / 3, 1e-6);

  // the coefficients: the group of the members' types (C2's type not in it), the K = 0 bonds, the quadratic
  std::ifstream coeffs(files.coeffs);
  std::stringstream text;
  text << coeffs.rdbuf();
  std::string members;
  for (std::size_t a = 0; a < 8; ++a)
    if (members.find(" " + std::to_string(type_of[a]) + " ") == std::string::npos) members += " " + std::to_string(type_of[a]) + " ";
  std::istringstream lines(text.str());
  bool group = false, quadratic = false;
  int zero_bonds = 0;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream w(line);
    std::string command, a, b;
    w >> command >> a >> b;
    if (command == "group" && a == "rigid_bodies") {
      group = true;
      std::set<int> types;
      for (int t; w >> t;) types.insert(t);
      std::set<int> want(type_of.begin(), type_of.begin() + 8);
      EXPECT_EQ(types, want) << line;
      EXPECT_FALSE(types.count(type_of[8])) << line;
    }
    if (command == "bond_coeff" && line.find(" 0 0 ") != std::string::npos) ++zero_bonds;
    if (command == "dihedral_coeff") {
      double k, phi0;
      std::istringstream(line.substr(line.find(a) + a.size())) >> k >> phi0;
      EXPECT_NEAR(k, 50.0 / 2 / 4.184, 1e-5) << line;
      EXPECT_NEAR(phi0, -70.0, 1e-9) << line;
      quadratic = true;
    }
  }
  EXPECT_TRUE(group) << text.str();
  EXPECT_TRUE(quadratic) << text.str();
  EXPECT_GE(zero_bonds, 1) << text.str();
  std::ifstream settings(files.settings);
  std::stringstream s;
  s << settings.rdbuf();
  EXPECT_NE(s.str().find("dihedral_style  quadratic"), std::string::npos) << s.str();
}

// What LAMMPS cannot be given is refused at the itp's line, naming the molecule.
TEST(RigidFrames, UnsupportedSitesAndNonRigidConstraintsAreNamed)
{
  const fs::path dir = scratch_folder() / "rigid_errors";
  fs::create_directories(dir);
  const std::string head = "[ defaults ]\n1 2\n\n[ atomtypes ]\nC1 72.0 0.000 A 0.47 3.5\nV0 0.0 0.000 V 0.47 3.5\n\n"
                           "[ moleculetype ]\nTRI 1\n\n[ atoms ]\n1 C1 1 TRI A 1 0\n2 C1 1 TRI B 2 0\n3 C1 1 TRI C 3 0\n"
                           "4 V0 1 TRI S 4 0 0.0\n\n";
  const auto write = [&](const std::string &name, const std::string &body) {
    const std::string top = write_file(dir / (name + ".top"), head + body + "\n[ system ]\nT\n\n[ molecules ]\nTRI 1\n");
    LammpsWriterOptions options;
    options.nonbonded = martini_nonbonded();
    std::vector<Vec3> x = {Vec3(10, 10, 10), Vec3(14, 10, 10), Vec3(10, 14, 10), Vec3(11, 11, 11)};
    write_lammps_system(read_topology(top), x, Box::orthorhombic(50, 50, 50), (dir / name).string(), options);
    return top;
  };
  // a chain of two constraints is not a rigid frame (line 22 of the .top: the site's)
  std::string top = (dir / "chain.top").string();
  std::string e = error_of([&] { write("chain", "[ constraints ]\n1 2 1 0.4\n2 3 1 0.4\n\n[ virtual_sites3 ]\n4 1 2 3 1 0.3 0.3\n"); });
  EXPECT_NE(e.find(top + ":22:"), std::string::npos) << e;
  EXPECT_NE(e.find("molecule TRI"), std::string::npos) << e;
  EXPECT_NE(e.find("do not form a rigid body"), std::string::npos) << e;
  EXPECT_NE(e.find("1 (A) and 3 (C)"), std::string::npos) << e;
  // no constraints at all
  e = error_of([&] { write("bonds", "[ bonds ]\n1 2 1 0.4 1000\n2 3 1 0.4 1000\n1 3 1 0.4 1000\n\n[ virtual_sites3 ]\n4 1 2 3 1 0.3 0.3\n"); });
  EXPECT_NE(e.find("bonds.top:23:"), std::string::npos) << e;
  EXPECT_NE(e.find("do not join its three atoms into one rigid frame"), std::string::npos) << e;
  // virtual_sites2
  e = error_of([&] { write("two", "[ virtual_sites2 ]\n4 1 2 1 0.5\n"); });
  EXPECT_NE(e.find("two.top:18:"), std::string::npos) << e;
  EXPECT_NE(e.find("[ virtual_sites2 ] of molecule TRI cannot be written for LAMMPS"), std::string::npos) << e;
  // an unknown construction
  e = error_of([&] {
    write("five", "[ constraints ]\n1 2 1 0.4\n2 3 1 0.4\n1 3 1 0.4\n\n[ virtual_sites3 ]\n4 1 2 3 5 0.3 0.3\n");
  });
  EXPECT_NE(e.find("five.top:"), std::string::npos) << e;
  EXPECT_NE(e.find("function type 5 in [ virtual_sites3 ]"), std::string::npos) << e;
  // a rigid triangle with a 3fd site is accepted
  EXPECT_EQ(error_of([&] {
              write("good", "[ constraints ]\n1 2 1 0.4\n2 3 1 0.4\n1 3 1 0.4\n\n[ virtual_sites3 ]\n4 1 2 3 2 0.5 0.1\n"
                            "\n[ exclusions ]\n4 1 2 3\n");
            }),
            "(no error)");
}

// cg-system's placement of a mapped cholesterol: the triangle on its constraint lengths, the sites
// where 3out builds them on it, and the whole body where the given beads put it (a turned input
// gives the turned result, beads near a body give that body).
TEST(RigidFrames, MappedCholesterolPlacedOnItsConstraintsAndBeads)
{
  const std::string sterols = martini_folder + "/martini_v3.0.0_sterols_v1.itp";
  if (!fs::exists(sterols)) GTEST_SKIP() << sterols << " not present";
  const fs::path dir = scratch_folder() / "rigid_place";
  fs::create_directories(dir);
  const Topology topology = read_topology(write_file(dir / "chol.top", "#include \"" + martini_folder + "/martini_v3.0.0.itp\"\n#include \"" +
                                                                           sterols + "\"\n[ system ]\nCHOL\n\n[ molecules ]\nCHOL 1\n"));
  // beads roughly where a mapped cholesterol has them (A), none on the constraints
  const std::vector<Vec3> mapped = {Vec3(0, 0, 0),   Vec3(2.1, 2.0, -1.0), Vec3(1.0, 4.6, -0.5), Vec3(3.5, 6.4, 0.5), Vec3(4.4, 7.9, 1.0),
                                    Vec3(6.8, 8.2, -1.2), Vec3(5.1, 10.6, 0.8), Vec3(9.6, 5.4, 0.2), Vec3(13.0, 8.1, 0.4)};
  std::vector<Vec3> x = mapped;
  place_rigid_frames(topology, x);
  EXPECT_NEAR((x[1] - x[2]).norm(), 3.4797, 1e-9);
  EXPECT_NEAR((x[7] - x[1]).norm(), 7.8504, 1e-9);
  EXPECT_NEAR((x[7] - x[2]).norm(), 7.5012, 1e-9);
  const Vec3 i = x[7] / 10, j = x[2] / 10, k = x[1] / 10;
  const Vec3 roh = 10 * (i + 1.08999 * (j - i) + 0.35891 * (k - i) + 0.22947 * (j - i).cross(k - i));
  expect_near(x[0], roh, 1e-9);
  expect_near(x[8], mapped[8], 1e-12);    // C2 is no member: untouched
  // beads 0.2 A off a body: the body found again within that
  std::vector<Vec3> noisy = x;
  for (std::size_t a = 0; a < 8; ++a) noisy[a] += 0.2 * Vec3(a % 2 ? 1 : -1, a % 3 ? -1 : 1, a % 5 ? 1 : -1).normalized();
  place_rigid_frames(topology, noisy);
  for (std::size_t a = 0; a < 8; ++a) EXPECT_LT((noisy[a] - x[a]).norm(), 0.2) << "bead " << a;
  const Eigen::Matrix3d rotation = Eigen::AngleAxisd(0.9, Vec3(1, -2, 0.5).normalized()).toRotationMatrix();
  std::vector<Vec3> turned;
  for (const Vec3 &m : mapped) turned.push_back(rotation * m + Vec3(30, 20, 10));
  place_rigid_frames(topology, turned);
  for (std::size_t a = 0; a < x.size(); ++a) expect_near(turned[a], rotation * x[a] + Vec3(30, 20, 10), 1e-8);
}
