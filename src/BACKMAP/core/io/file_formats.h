/* BACKMAP core, io layer: the one table of the file formats BACKMAP reads and writes, and the
   one place that decides what a file is. An input is known by its extension first (case
   ignored, a .gz ending looked through) and by its content when the extension is none of the
   table's: PDB records, GRO's line layout, mmCIF's data_ block, a LAMMPS data header, a LAMMPS
   dump's ITEM: TIMESTEP, the magic numbers of XTC and TRR, the header of a GROMACS run input.
   An output is known by its extension alone (it need not exist yet). GROMACS's formats are
   registered here by name; the streams layer reads and writes them, so libgromacs never
   enters io. Every error is a FileError naming the file and the formats that would do. */
#ifndef BACKMAP_FILE_FORMATS_H
#define BACKMAP_FILE_FORMATS_H

#include "file_format.h"

#include <string>
#include <vector>

namespace BACKMAP {

// What a file is asked to be; one use per question.
enum class FormatUse : unsigned {
  ReadStructure = 1u << 0,     // read whole, every model (read_models, backmap map's input)
  ReadFrames = 1u << 1,        // CG frames to backmap (backmap run's input)
  WriteFrames = 1u << 2,       // frames written one after another (fix backmap dump, backmap run -o)
  WriteStructure = 1u << 3,    // a structure written whole (write_structure, backmap map -o)
  NameParticles = 1u << 4,     // the topology that names the particles of a dump or trajectory
};

struct FormatInfo {
  FileFormat format;
  std::string name;                       // as a user writes it (fix backmap's format keyword)
  std::vector<std::string> aliases;       // other names it answers to
  std::string description;                // in messages: "PDB", "LAMMPS dump"
  std::vector<std::string> extensions;    // lower case, with the dot; the first is the usual one
  bool gzip;                              // also read gzipped (EXT.gz)
  bool streams;                           // read and written by the streams layer (libgromacs)
  unsigned uses;                          // FormatUse bits
  bool (*sniff)(const std::string &head);    // the first bytes (decompressed); null: by name only

  bool can(FormatUse use) const { return (uses & static_cast<unsigned>(use)) != 0; }
};

const std::vector<FormatInfo> &file_formats();
const FormatInfo &format_info(FileFormat format);
const FormatInfo *format_named(const std::string &name);    // name or alias, case ignored; null if none

std::string describe_use(FormatUse use);      // "read as a structure"
// "PDB (.pdb, .ent; .gz too), GRO (.gro; .gz too), ...": the formats that can serve `use`.
std::string formats_for(FormatUse use);

// The extension the table looks at: lower case, with a trailing .gz looked through ("" if none).
std::string format_extension(const std::string &path);
bool has_gz_suffix(const std::string &path);    // case ignored

FileFormat format_by_extension(const std::string &path);    // Unknown when no format has it
// Unknown when no format recognises the first bytes, or the file cannot be read.
FileFormat format_by_content(const std::string &path);

// An input's format: by extension, then by content. FileError naming the file when it does not
// exist, when neither tells its format (with the formats that can serve `use`), when its
// format cannot serve `use`, or when it is gzipped and its format is not read so.
FileFormat identify_input(const std::string &path, FormatUse use);

// An output's format, by extension. FileError naming the file when the extension is none of
// the formats that can serve `use` (listing them), or ends in .gz (nothing is written
// compressed).
FileFormat identify_output(const std::string &path, FormatUse use);

// The format frames are appended to `path` in by the io layer's frame writer (PDB, XYZ or a
// LAMMPS dump): `name` when given (a format keyword), else the extension's, else PDB (a name
// without a known extension). FileError naming the file for a format the writer does not
// write, or a .gz name; std::invalid_argument for an unknown `name`.
// A GROMACS trajectory (XTC/TRR) as an input: by extension, else by content.
bool is_gromacs_trajectory(const std::string &path);
// A LAMMPS dump as an output: by extension.
bool is_lammps_dump(const std::string &path);

FileFormat frame_writer_format(const std::string &path, const std::string &name = "");

}    // namespace BACKMAP

#endif
