// Frames appended one by one: every completed frame is readable at any moment, in order.
#include "pdb_frame_writer.h"
#include "structure_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <sys/resource.h>

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
  const std::string xyz = PdbFrameWriter("unused.xyz", FileFormat::Xyz).frame_text(two_residues(0), 0, 1);
  EXPECT_EQ(xyz.substr(0, 2), "4\n");
  const std::string dump = PdbFrameWriter("unused.dump", FileFormat::LammpsDump).frame_text(two_residues(0), 42, 1);
  EXPECT_NE(dump.find("ITEM: TIMESTEP\n42\n"), std::string::npos);
  EXPECT_NE(dump.find("ITEM: NUMBER OF ATOMS\n4\n"), std::string::npos);
}

// A frame written in parts is the same text as the frame written whole, in every format,
// and the side file of the parts is gone afterwards.
TEST(FrameWriter, FrameInPartsEqualsTheWholeFrame)
{
  for (FileFormat format : {FileFormat::Pdb, FileFormat::Xyz, FileFormat::LammpsDump}) {
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

namespace {

// Writes beyond `bytes` fail (EFBIG) while this lives, as on a full disk.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes)
  {
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &old_);
    rlimit limit = old_;
    limit.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit()
  {
    setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_{};
  void (*old_handler_)(int) = nullptr;
};

std::string file_text(const std::string &path)
{
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}    // namespace

TEST(FrameWriter, AFailedWriteLeavesOnlyWholeFrames)
{
  const std::string path = (temp_dir() / "full.pdb").string();
  PdbFrameWriter writer(path);
  writer.write(two_residues(0), 0);
  writer.write(two_residues(1), 100);
  const std::string two_frames = file_text(path);
  {
    FileSizeLimit limit(two_frames.size() + 100);    // the third frame does not fit
    expect_error_containing<FileError>([&] { writer.write(two_residues(2), 200); }, "cut back to its 2 whole frame(s)");
    // a frame in parts fails the same way, and leaves no side file
    writer.begin_frame("parts", Box(), 300);
    writer.write_part(two_residues(3));
    expect_error_containing<FileError>([&] { writer.end_frame(); }, "cut back to its 2 whole frame(s)");
  }
  EXPECT_EQ(file_text(path), two_frames);
  EXPECT_FALSE(std::filesystem::exists(temp_dir() / ".full.pdb.parts"));
  EXPECT_EQ(read_models(path).size(), 2u);
  // with room again, the next frame is model 3
  writer.write(two_residues(4), 400);
  const auto models = read_models(path);
  ASSERT_EQ(models.size(), 3u);
  EXPECT_NEAR(models.back().residues[0].atoms[0].position.x(), 4.0, 1e-3);
}

TEST(FrameWriter, AReaderRefusesAFrameCutShortByItsNumber)
{
  const std::string path = (temp_dir() / "cut.pdb").string();
  {
    PdbFrameWriter writer(path);
    for (int f = 0; f < 3; ++f) writer.write(two_residues(f), f);
  }
  std::string text = file_text(path);
  text.resize(text.rfind("ENDMDL") - 30);    // the third frame loses its end, as after a crash
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  expect_error_containing<FileError>([&] { read_models(path); }, "frame 3 (MODEL record here) has no ENDMDL");
}
