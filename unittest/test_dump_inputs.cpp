// LAMMPS dumps as users hand them over, good and bad: every bad one is refused naming the file,
// the line and what is wrong there (the column and its value, the frame), never read as
// something else.
#include "structure_io.h"
#include "test_support.h"
#include "trajectory.h"

#include <gtest/gtest.h>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

// Three beads of one residue: atom IDs 1-3.
Structure topology()
{
  Structure s;
  Residue r;
  r.name = "LYS";
  r.chain = "A";
  r.number = 1;
  r.atoms = {make_atom("BB", "", 0, 0, 0), make_atom("SC1", "", 2.6, 0.4, 0), make_atom("SC2", "", 4.9, 1.3, 0.3)};
  for (int i = 0; i < 3; ++i) r.atoms[i].serial = i + 1;
  s.residues.push_back(r);
  return s;
}

const std::string header = "ITEM: TIMESTEP\n100\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n"
                           "0 50\n0 50\n0 50\n";

std::vector<Structure> read(const std::string &name, const std::string &text)
{
  return read_lammps_dump(write_temp(name, text), topology());
}

}    // namespace

TEST(DumpInputs, ExtraStringColumnsAreIgnored)
{
  const auto frames = read("element.dump", header + "ITEM: ATOMS id element x y z\n1 C 1 2 3\n2 C 3 2 3\n3 N 5 3 3\n");
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_NEAR(frames[0].residues[0].atoms[2].position.x(), 5.0, 1e-12);
}

TEST(DumpInputs, BadDumpsNameLineColumnAndValue)
{
  struct Case {
    std::string name, text, fragment;
  };
  const std::vector<Case> cases = {
      {"word.dump", header + "ITEM: ATOMS id x y z\n1 1 2 3\n2 abc 2 3\n3 5 3 3\n", "word.dump:11: column 'x' holds 'abc', not a number"},
      {"twice.dump", header + "ITEM: ATOMS id x y z\n1 1 2 3\n1 3 2 3\n3 5 3 3\n", "twice.dump:11: atom id 1 appears twice in frame 1 (first on line 10)"},
      {"short.dump", header + "ITEM: ATOMS id x y z\n1 1 2 3\n2 3 2\n3 5 3 3\n", "short.dump:11: atom line has 3 fields, the ITEM: ATOMS line names 4"},
      {"foreign.dump", header + "ITEM: ATOMS id x y z\n1 1 2 3\n2 3 2 3\n9 5 3 3\n", "foreign.dump:12: atom id 9 is not in the topology"},
      {"cut.dump", header + "ITEM: ATOMS id x y z\n1 1 2 3\n2 3 2 3\n", "cut.dump:12: truncated: expected atom line 3 of 3 of frame 1"},
      {"count.dump", "ITEM: TIMESTEP\n100\nITEM: NUMBER OF ATOMS\nthree\n", "count.dump:4: the number of atoms holds 'three', not a number"},
      {"box.dump", "ITEM: TIMESTEP\n100\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 50\n0 fifty\n0 50\n", "box.dump:7: the box line holds 'fifty', not a number"},
      {"nan.dump", header + "ITEM: ATOMS id x y z\n1 1 2 3\n2 nan 2 3\n3 5 3 3\n", "nan.dump:11: non-finite coordinates for atom id 2"},
      {"noxyz.dump", header + "ITEM: ATOMS id type vx\n1 1 0\n2 1 0\n3 1 0\n", "the dump must have columns id and x y z"},
      {"item.dump", "ITEM: TIMESTEP\n100\nITEM: NUMBER ATOMS\n3\n", "item.dump:3: expected 'ITEM: NUMBER OF ATOMS'"},
  };
  for (const Case &c : cases)
    expect_error_containing<FileError>([&] { read(c.name, c.text); }, c.fragment);
  // the second frame of two cut short: its number is named
  const std::string good = header + "ITEM: ATOMS id x y z\n1 1 2 3\n2 3 2 3\n3 5 3 3\n";
  expect_error_containing<FileError>([&] { read("second.dump", good + header + "ITEM: ATOMS id x y z\n1 1 2 3\n"); },
                                     "truncated: expected atom line 2 of 3 of frame 2");
}
