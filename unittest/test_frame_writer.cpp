// Frames appended one by one: every completed frame is readable at any moment, in order.
#include "pdb_frame_writer.h"
#include "structure_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

Structure two_residues(double shift)
{
  Structure s;
  Residue r;
  r.name = "ALA";
  r.chain = "B";
  r.number = 7;
  r.atoms = {make_atom("N", "N", shift, 0, 0), make_atom("CA", "C", shift + 1.46, 0, 0)};
  s.residues = {r};
  r.number = 8;
  r.insertion = 'A';
  s.residues.push_back(r);
  return s;
}

}    // namespace

TEST(FrameWriter, PdbFramesAreReadableAfterEachWrite)
{
  const std::string path = (temp_dir() / "frames.pdb").string();
  PdbFrameWriter writer(path);
  for (int f = 0; f < 3; ++f) {
    writer.write(two_residues(f), f * 100);
    // read back while the writer is still open, as after a crash
    const auto models = read_models(path);
    ASSERT_EQ(models.size(), static_cast<std::size_t>(f + 1));
    EXPECT_NEAR(models.back().residues[0].atoms[1].position.x(), f + 1.46, 1e-3);
    EXPECT_EQ(models.back().residues[1].insertion, 'A');
    EXPECT_EQ(models.back().residues[0].chain, "B");
    EXPECT_EQ(models.back().residues[0].atoms[1].element, "C");
  }
}

TEST(FrameWriter, OneFilePerFrameAndOtherFormats)
{
  PdbFrameWriter per_frame((temp_dir() / "step*.pdb").string());
  per_frame.write(two_residues(0), 0);
  per_frame.write(two_residues(1), 500);
  EXPECT_EQ(read_models((temp_dir() / "step500.pdb").string()).size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(temp_dir() / "step0.pdb"));
  const std::string xyz = PdbFrameWriter::xyz_text(two_residues(0));
  EXPECT_EQ(xyz.substr(0, 2), "4\n");
  const std::string dump = PdbFrameWriter::dump_text(two_residues(0), 42);
  EXPECT_NE(dump.find("ITEM: TIMESTEP\n42\n"), std::string::npos);
  EXPECT_NE(dump.find("ITEM: NUMBER OF ATOMS\n4\n"), std::string::npos);
}
