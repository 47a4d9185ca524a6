// Frames appended one by one: every completed frame is readable at any moment, in order.
#include "pdb_frame_writer.h"
#include "structure_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <iterator>

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
  const std::string xyz = PdbFrameWriter("unused.xyz", FrameFormat::Xyz).frame_text(two_residues(0), 0, 1);
  EXPECT_EQ(xyz.substr(0, 2), "4\n");
  const std::string dump = PdbFrameWriter("unused.dump", FrameFormat::LammpsDump).frame_text(two_residues(0), 42, 1);
  EXPECT_NE(dump.find("ITEM: TIMESTEP\n42\n"), std::string::npos);
  EXPECT_NE(dump.find("ITEM: NUMBER OF ATOMS\n4\n"), std::string::npos);
}

// A frame written in parts is the same text as the frame written whole, in every format,
// and the side file of the parts is gone afterwards.
TEST(FrameWriter, FrameInPartsEqualsTheWholeFrame)
{
  for (FrameFormat format : {FrameFormat::Pdb, FrameFormat::Xyz, FrameFormat::LammpsDump}) {
    const Structure whole = two_residues(0);
    Structure first = whole, second = whole;
    first.residues.resize(1);
    second.residues.erase(second.residues.begin());
    const std::string a = (temp_dir() / "whole.txt").string(), b = (temp_dir() / "parts.txt").string();
    {
      PdbFrameWriter w(a, format), p(b, format);
      for (int frame = 0; frame < 2; ++frame) {
        w.write(whole, 100 * frame);
        p.begin_frame(whole.title, whole.box, 100 * frame);
        p.write_part(first);
        p.write_part(second);
        p.end_frame();
      }
      EXPECT_EQ(p.frames(), 2);
    }
    auto text = [](const std::string &path) {
      std::ifstream in(path);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    EXPECT_EQ(text(b), text(a)) << static_cast<int>(format);
    EXPECT_FALSE(std::filesystem::exists(temp_dir() / ".parts.txt.parts"));
  }
}
