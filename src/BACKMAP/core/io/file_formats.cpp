#include "file_formats.h"

#include "file_error.h"
#include "format_sniffing.h"
#include "gz_stream.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

namespace fs = std::filesystem;

namespace BACKMAP {

namespace {

constexpr unsigned use(FormatUse u) { return static_cast<unsigned>(u); }
constexpr unsigned read_structure = use(FormatUse::ReadStructure), read_frames = use(FormatUse::ReadFrames),
                   write_frames = use(FormatUse::WriteFrames), write_structure = use(FormatUse::WriteStructure),
                   names_particles = use(FormatUse::NameParticles);

// Enough for a LAMMPS data header or a long PDB header; binary formats need the first 16 bytes.
constexpr std::size_t head_bytes = 1 << 16;

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string joined(const std::vector<std::string> &items)
{
  std::string out;
  for (const std::string &s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// "PDB (.pdb, .ent; .gz too), GRO (.gro)": the formats `pick` chooses, in the table's order.
template <class Pick> std::string listing(Pick pick, bool gzip_too)
{
  std::vector<std::string> list;
  for (const FormatInfo &f : file_formats())
    if (pick(f)) list.push_back(f.description + " (" + joined(f.extensions) + (gzip_too && f.gzip ? "; .gz too" : "") + ")");
  return joined(list);
}

}    // namespace

const std::vector<FormatInfo> &file_formats()
{
  static const std::vector<FormatInfo> table = {
      {FileFormat::Pdb, "pdb", {}, "PDB", {".pdb", ".ent"}, true, false,
       read_structure | read_frames | write_frames | write_structure | names_particles, looks_like_pdb},
      {FileFormat::Pdbqt, "pdbqt", {}, "PDBQT", {".pdbqt"}, true, false, read_structure | read_frames | names_particles,
       looks_like_pdbqt},
      {FileFormat::Mmcif, "mmcif", {"cif"}, "mmCIF", {".cif", ".mmcif"}, true, false,
       read_structure | read_frames | names_particles, looks_like_mmcif},
      {FileFormat::Gro, "gro", {}, "GRO", {".gro"}, true, false,
       read_structure | read_frames | write_structure | names_particles, looks_like_gro},
      {FileFormat::LammpsData, "lammps-data", {"data"}, "LAMMPS data", {".data", ".lmp"}, true, false,
       read_structure | read_frames | write_structure | names_particles, looks_like_lammps_data},
      {FileFormat::LammpsDump, "lammps-dump", {"lammps", "dump"}, "LAMMPS dump", {".dump", ".lammpstrj"}, true, false,
       read_frames | write_frames, looks_like_lammps_dump},
      {FileFormat::Xyz, "xyz", {}, "XYZ", {".xyz"}, false, false, write_frames, nullptr},
      {FileFormat::Xtc, "xtc", {}, "XTC", {".xtc"}, false, true, read_frames | write_frames, looks_like_xtc},
      {FileFormat::Trr, "trr", {}, "TRR", {".trr"}, false, true, read_frames | write_frames, looks_like_trr},
      {FileFormat::GromacsRunInput, "tpr", {}, "GROMACS run input", {".tpr"}, false, true, names_particles,
       looks_like_tpr},
  };
  return table;
}

const FormatInfo &format_info(FileFormat format)
{
  for (const FormatInfo &f : file_formats())
    if (f.format == format) return f;
  throw std::invalid_argument("format_info: no format in the table for this value");
}

const FormatInfo *format_named(const std::string &name)
{
  const std::string n = lower(name);
  for (const FormatInfo &f : file_formats()) {
    if (f.name == n) return &f;
    for (const std::string &alias : f.aliases)
      if (alias == n) return &f;
  }
  return nullptr;
}

std::string describe_use(FormatUse u)
{
  switch (u) {
    case FormatUse::ReadStructure: return "read as a structure";
    case FormatUse::ReadFrames: return "read as CG frames";
    case FormatUse::WriteFrames: return "written frame by frame";
    case FormatUse::WriteStructure: return "written as a structure";
    case FormatUse::NameParticles: return "the topology of a trajectory";
  }
  return "";
}

std::string formats_for(FormatUse u)
{
  const bool reading = u == FormatUse::ReadStructure || u == FormatUse::ReadFrames || u == FormatUse::NameParticles;
  return listing([u](const FormatInfo &f) { return f.can(u); }, reading);
}

bool has_gz_suffix(const std::string &path)
{
  return path.size() > 3 && lower(path.substr(path.size() - 3)) == ".gz";
}

std::string format_extension(const std::string &path)
{
  std::string name = lower(fs::path(path).filename().string());
  if (has_gz_suffix(name)) name.resize(name.size() - 3);
  return fs::path(name).extension().string();
}

FileFormat format_by_extension(const std::string &path)
{
  const std::string ext = format_extension(path);
  if (ext.empty()) return FileFormat::Unknown;
  for (const FormatInfo &f : file_formats())
    if (std::find(f.extensions.begin(), f.extensions.end(), ext) != f.extensions.end()) return f.format;
  return FileFormat::Unknown;
}

FileFormat format_by_content(const std::string &path)
{
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return FileFormat::Unknown;
  const std::string head = read_head_maybe_gzipped(path, head_bytes);
  if (head.empty()) return FileFormat::Unknown;
  // binary magic numbers first; then the text formats, each specific test before the more
  // general one (PDBQT before PDB, whose records it shares)
  static const FileFormat order[] = {FileFormat::Xtc,        FileFormat::Trr,        FileFormat::GromacsRunInput,
                                     FileFormat::LammpsDump, FileFormat::Mmcif,      FileFormat::Gro,
                                     FileFormat::LammpsData, FileFormat::Pdbqt,      FileFormat::Pdb};
  for (FileFormat f : order)
    if (format_info(f).sniff && format_info(f).sniff(head)) return f;
  return FileFormat::Unknown;
}

FileFormat identify_input(const std::string &path, FormatUse u)
{
  std::error_code ec;
  if (!fs::exists(path, ec)) fail_at(path, 0, "no such file");
  if (fs::is_directory(path, ec)) fail_at(path, 0, "is a folder, not a file");
  FileFormat format = format_by_extension(path);
  const bool by_name = format != FileFormat::Unknown;
  if (!by_name) format = format_by_content(path);
  if (format == FileFormat::Unknown) {
    const std::string ext = format_extension(path);
    fail_at(path, 0, "unknown file format (" +
                         (ext.empty() ? std::string("the name has no extension") : "no format has the extension " + ext) +
                         ", and the content fits none); formats that can be " + describe_use(u) + ": " + formats_for(u));
  }
  const FormatInfo &info = format_info(format);
  const std::string what = info.description + (by_name ? "" : " (by its content)");
  if (!info.can(u))
    fail_at(path, 0, what + " cannot be " + describe_use(u) + "; formats that can: " + formats_for(u));
  if (!info.gzip && (has_gz_suffix(path) || is_gzip_file(path)))
    fail_at(path, 0, "a compressed " + info.description + " file is not read; uncompress it first");
  return format;
}

FileFormat identify_output(const std::string &path, FormatUse u)
{
  if (has_gz_suffix(path)) fail_at(path, 0, "compressed output is not supported; write the plain file and gzip it");
  const FileFormat format = format_by_extension(path);
  if (format == FileFormat::Unknown || !format_info(format).can(u)) {
    const std::string ext = format_extension(path);
    const std::string what = format != FileFormat::Unknown ? format_info(format).description + " cannot be " + describe_use(u)
                             : ext.empty() ? "the name has no extension to tell the format by"
                                           : "no format has the extension " + ext;
    fail_at(path, 0, what + "; formats that can be " + describe_use(u) + ": " + formats_for(u));
  }
  return format;
}

FileFormat frame_writer_format(const std::string &path, const std::string &name)
{
  // the io layer's frame writer: every format written frame by frame but those of the streams layer
  auto written_here = [](const FormatInfo &f) { return f.can(FormatUse::WriteFrames) && !f.streams; };
  if (!name.empty()) {
    const FormatInfo *f = format_named(name);
    if (!f || !written_here(*f)) throw std::invalid_argument("format must be pdb, xyz or lammps, not " + name);
  }
  if (has_gz_suffix(path)) fail_at(path, 0, "compressed output is not supported; name the file without .gz");
  if (!name.empty()) return format_named(name)->format;
  const FileFormat by_name = format_by_extension(path);
  if (by_name == FileFormat::Unknown) return FileFormat::Pdb;
  if (!written_here(format_info(by_name)))
    fail_at(path, 0, "frames are not written in " + format_info(by_name).description + " here; name the file for " +
                         listing(written_here, false) + ", or give its format");
  return by_name;
}

bool is_gromacs_trajectory(const std::string &path)
{
  FileFormat f = format_by_extension(path);
  if (f == FileFormat::Unknown) f = format_by_content(path);
  return f == FileFormat::Xtc || f == FileFormat::Trr;
}

bool is_lammps_dump(const std::string &path) { return format_by_extension(path) == FileFormat::LammpsDump; }

}    // namespace BACKMAP
