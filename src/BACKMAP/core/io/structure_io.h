/* BACKMAP core: reading and writing structures. PDB and mmCIF (gzipped too) go through gemmi;
   GRO and LAMMPS data files are ours. The format is the registry's (file_formats.h): an input's
   by extension, then by content; an output's by extension. Writers never leave a half-written
   file: they write a temporary file beside the target and rename it into place. */
#ifndef BACKMAP_STRUCTURE_IO_H
#define BACKMAP_STRUCTURE_IO_H

#include "file_error.h"
#include "file_formats.h"
#include "structure.h"

#include <functional>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

namespace BACKMAP {

// Every model of the file (GRO: one frame per box line). The first alternate location is
// kept, the others dropped.
std::vector<Structure> read_models(const std::string &path);
Structure read_structure(const std::string &path);    // the first model

std::vector<Structure> read_pdb_or_mmcif(const std::string &path, FileFormat format);    // Pdb, Pdbqt or Mmcif
std::vector<Structure> read_gro(const std::string &path);
Structure parse_gro(std::istream &in, const std::string &name_for_messages, int &line);

// Refuses (FileError naming `path`, the model, residue and atom) a coordinate that is not
// finite, or with `pdb_columns` one that the PDB's 8.3f columns cannot hold (below -999.999 or
// above 9999.999 A): such a file would be silently wrong. GRO holds ten times more (nm).
void check_coordinates(const Structure &frame, const std::string &path, bool pdb_columns, int model = 1);

void write_pdb(const std::vector<Structure> &models, const std::string &path);
void write_gro(const Structure &structure, const std::string &path);
void write_gro(const std::vector<Structure> &frames, const std::string &path);    // one after another
// PDB, GRO or LAMMPS data, chosen by the extension (.pdb, .gro, .data/.lmp; file_formats.h).
void write_structure(const Structure &structure, const std::string &path);
// Every frame: PDB (one MODEL each) or GRO (one frame after another); a LAMMPS data file holds
// one configuration, so several frames there are an error.
void write_structures(const std::vector<Structure> &frames, const std::string &path);

// Runs `write` on a stream to a temporary file beside `path` and renames it into place only
// when everything was written, so an existing file is never lost or truncated.
void write_atomically(const std::string &path, const std::function<void(std::ostream &)> &write);

}    // namespace BACKMAP

#endif
