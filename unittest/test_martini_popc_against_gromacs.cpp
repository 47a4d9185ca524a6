/* The LAMMPS system writer on a real Martini 3 system (forcefield layer): 72 POPC from an
   NMRlipids CHARMM36 frame mapped to Martini 3 beads by `backmap map`, with Martini water and
   ions, whose per-term energies and forces from LAMMPS (run 0 on our files) must match GROMACS's
   (mdrun -rerun, Martini 3's reaction-field parameters) within 0.1 %. The hand-made Martini
   system: test_martini_lammps.cpp. */
#include "lammps_system_writer.h"
#include "topology_file.h"

#include "gromacs_test_support.h"
#include "martini_gromacs_comparison.h"
#include "structure_io.h"
#include "structure.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#ifndef BACKMAP_BINARY
#define BACKMAP_BINARY "/work/main/build/bin/backmap"
#endif

namespace fs = std::filesystem;
using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

const std::string popc_frame = std::string(BACKMAP_SHARED_DATA_DIR) + "/lipids/nmrlipids/POPCpure_popcRUN3.gro.gz";

}    // namespace

// ---------------------------------------------------------------------------------------------
// 72 POPC (NMRlipids, CHARMM36) mapped to Martini 3 with `backmap map`, Martini water and ions.

TEST(MartiniAgainstGromacs, Popc72WithWaterAndIons)
{
  if (!have_gmx()) GTEST_SKIP() << "gmx is not on PATH";
  if (!have_lammps()) GTEST_SKIP() << lammps_binary() << " not present";
  if (!fs::exists(BACKMAP_BINARY) || !fs::exists(popc_frame) || !fs::exists(martini_folder + "/martini_v3.0.0.itp"))
    GTEST_SKIP() << "backmap, the POPC frame or Martini 3 not present";
  const fs::path dir = scratch_folder() / "popc";
  fs::create_directories(dir);
  ASSERT_EQ(run_in(dir, std::string(BACKMAP_BINARY) + " map " + popc_frame + " -o cg.gro"), 0) << "see " << (dir / "log.txt");
  const Structure lipids = read_structure((dir / "cg.gro").string());
  ASSERT_EQ(lipids.residues.size(), 72u);

  // Martini water (4 waters a bead) on a 0.5 nm grid wherever no lipid bead is nearer than
  // 0.55 nm (the water slab of the bilayer); the first 8 points NA, NA, ... CL
  const Eigen::Matrix3d &b = lipids.box.vectors;    // orthorhombic: rows a, b, c
  const Vec3 box(b(0, 0), b(1, 1), b(2, 2));
  std::vector<Vec3> beads;
  for (const Residue &r : lipids.residues)
    for (const Atom &a : r.atoms) beads.push_back(a.position);
  std::vector<Vec3> points;
  const int nx = static_cast<int>(box.x() / 5.0), ny = static_cast<int>(box.y() / 5.0), nz = static_cast<int>(box.z() / 5.0);
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j)
      for (int k = 0; k < nz; ++k) {
        const Vec3 p((i + 0.5) * box.x() / nx, (j + 0.5) * box.y() / ny, (k + 0.5) * box.z() / nz);
        bool free = true;
        for (const Vec3 &q : beads) {
          Vec3 d = p - q;
          for (int c = 0; c < 3; ++c) d[c] -= box[c] * std::round(d[c] / box[c]);
          if (d.squaredNorm() < 5.5 * 5.5) free = false;
        }
        if (free) points.push_back(p);
      }
  ASSERT_GT(points.size(), 100u) << "the water slab is empty?";
  const int ions = 4, waters = static_cast<int>(points.size()) - 2 * ions;

  std::ostringstream gro;
  gro << "72 POPC (Martini 3, backmap map) with " << waters << " W and " << ions << " NA + " << ions << " CL\n"
      << beads.size() + points.size() << "\n";
  int index = 0, residue = 0;
  for (const Residue &r : lipids.residues) {
    ++residue;
    for (const Atom &a : r.atoms) gro << gro_line(residue, r.name, a.name, ++index, a.position / 10.0);
  }
  for (std::size_t p = 0; p < points.size(); ++p) {
    const std::size_t w = static_cast<std::size_t>(waters);
    const bool ion = p >= w;
    const std::string name = !ion ? "W" : p < w + static_cast<std::size_t>(ions) ? "NA" : "CL";
    gro << gro_line(++residue, ion ? "ION" : "W", name, ++index, points[(p + 2 * ions) % points.size()] / 10.0);
  }
  char box_line[64];
  std::snprintf(box_line, sizeof box_line, "%10.5f%10.5f%10.5f\n", box.x() / 10, box.y() / 10, box.z() / 10);
  gro << box_line;
  write_file(dir / "system.gro", gro.str());
  std::string top;
  for (const char *itp : {"martini_v3.0.0.itp", "martini_v3.0.0_phospholipids_v1.itp", "martini_v3.0.0_solvents_v1.itp",
                          "martini_v3.0.0_ions_v1.itp"})
    top += "#include \"" + martini_folder + "/" + itp + "\"\n";
  top += "\n[ system ]\n72 POPC, Martini 3\n\n[ molecules ]\nPOPC 72\nW " + std::to_string(waters) + "\nNA " +
         std::to_string(ions) + "\nCL " + std::to_string(ions) + "\n";
  write_file(dir / "topol.top", top);

  const Topology topology = read_topology((dir / "topol.top").string());
  // backmap map's bead order (potentials/mappings/martini3/popc.yaml) is the POPC moleculetype's
  const MoleculeType *popc = topology.find_moleculetype("POPC");
  ASSERT_NE(popc, nullptr);
  std::string itp_order, mapped_order;
  for (const TopologyAtom &a : popc->atoms) itp_order += a.atom + " ";
  for (const Atom &a : lipids.residues.front().atoms) mapped_order += a.name + " ";
  EXPECT_EQ(mapped_order, itp_order);
  std::printf("[ figures ] POPC bead order, backmap map and martini_v3.0.0_phospholipids_v1.itp: %s\n", itp_order.c_str());

  const Structure system = read_structure((dir / "system.gro").string());    // the coordinates GROMACS reads, rounded alike
  LammpsWriterOptions options;
  options.nonbonded = recommended_nonbonded(topology);
  EXPECT_EQ(options.nonbonded.scheme, LammpsCutoffScheme::ReactionField);
  options.source = (dir / "topol.top").string() + ", " + (dir / "system.gro").string();
  const LammpsSystemFiles files = write_lammps_system(topology, system, (dir / "system").string(), options);
  EXPECT_EQ(files.special_bonds, "lj/coul 1e-40 1.0 1.0");
  EXPECT_FALSE(files.table.empty());

  const std::string why = run_gromacs(dir);
  if (!why.empty()) FAIL() << why;
  compare_with_gromacs(dir, files,
                       "72 POPC + " + std::to_string(waters) + " W + " + std::to_string(ions) + " NA + " + std::to_string(ions) + " CL");
  if (!HasFailure()) fs::remove_all(dir);    // kept for a look when something differs
}
