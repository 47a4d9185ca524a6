#include "structure_io.h"

#include "lammps_data.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace BACKMAP {

namespace {

std::string lower_extension(std::string path)
{
  std::transform(path.begin(), path.end(), path.begin(), [](unsigned char c) { return std::tolower(c); });
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0) path.resize(path.size() - 3);
  return fs::path(path).extension().string();
}

}    // namespace

FileFormat format_from_path(const std::string &path)
{
  const std::string ext = lower_extension(path);
  if (ext == ".pdb" || ext == ".ent" || ext == ".pdbqt") return FileFormat::Pdb;
  if (ext == ".cif" || ext == ".mmcif") return FileFormat::Mmcif;
  if (ext == ".gro") return FileFormat::Gro;
  if (ext == ".data" || ext == ".lmp") return FileFormat::LammpsData;
  return FileFormat::Unknown;
}

std::vector<Structure> read_models(const std::string &path)
{
  if (!fs::exists(path)) throw FileError(path + ": no such file");
  switch (format_from_path(path)) {
    case FileFormat::Pdb: return read_pdb_or_mmcif(path, FileFormat::Pdb);
    case FileFormat::Mmcif: return read_pdb_or_mmcif(path, FileFormat::Mmcif);
    case FileFormat::Gro: return read_gro(path);
    case FileFormat::LammpsData: return {read_lammps_data(path)};
    case FileFormat::Unknown: break;
  }
  throw FileError(path + ": unknown structure format (expected .pdb, .cif, .gro or .data, optionally .gz)");
}

Structure read_structure(const std::string &path)
{
  std::vector<Structure> models = read_models(path);
  if (models.empty()) throw FileError(path + ": contains no model");
  return std::move(models.front());
}

void write_atomically(const std::string &path, const std::function<void(std::ostream &)> &write)
{
  const fs::path target(path);
  const fs::path tmp = target.parent_path() / ("." + target.filename().string() + ".partial");
  {
    std::ofstream out(tmp);
    if (!out) throw FileError(path + ": cannot open for writing");
    write(out);
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw FileError(path + ": write failed (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw FileError(path + ": cannot move the finished file into place");
  }
}

void write_structure(const Structure &structure, const std::string &path)
{
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0)
    throw FileError(path + ": compressed output is not supported; write the plain file and gzip it");
  switch (format_from_path(path)) {
    case FileFormat::Pdb: write_pdb({structure}, path); return;
    case FileFormat::Gro: write_gro(structure, path); return;
    case FileFormat::LammpsData: write_lammps_data(structure, path); return;
    default: break;
  }
  throw FileError(path + ": cannot write this format (use .pdb, .gro or .data)");
}

void check_coordinates(const Structure &frame, const std::string &path, bool pdb_columns, int model)
{
  // GRO's %8.3f in nm spans -99999 to 999999 A
  const double lo = pdb_columns ? -999.9995 : -99999.0, hi = pdb_columns ? 9999.9995 : 999999.0;
  for (const Residue &r : frame.residues)
    for (const Atom &a : r.atoms) {
      const Vec3 &x = a.position;
      if (!x.allFinite())
        throw FileError(path + ": model " + std::to_string(model) + ", atom " + a.name + " of residue " + r.label() +
                        " has a non-finite coordinate; nothing was written");
      if (x.minCoeff() < lo || x.maxCoeff() > hi) {
        char xyz[96];
        std::snprintf(xyz, sizeof xyz, "(%.3f, %.3f, %.3f)", x.x(), x.y(), x.z());
        throw FileError(path + ": model " + std::to_string(model) + ", atom " + a.name + " of residue " + r.label() +
                        " at " + xyz + " A does not fit the format's coordinate columns" +
                        (pdb_columns ? " (PDB holds -999.999 to 9999.999 A; write .gro or a LAMMPS dump)" : "") +
                        "; nothing was written");
      }
    }
}

void write_structures(const std::vector<Structure> &frames, const std::string &path)
{
  if (frames.size() == 1) return write_structure(frames.front(), path);
  if (frames.empty()) throw FileError(path + ": no frame to write");
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0)
    throw FileError(path + ": compressed output is not supported; write the plain file and gzip it");
  switch (format_from_path(path)) {
    case FileFormat::Pdb: write_pdb(frames, path); return;
    case FileFormat::Gro: write_gro(frames, path); return;
    case FileFormat::LammpsData:
      throw FileError(path + ": a LAMMPS data file holds one configuration, not " + std::to_string(frames.size()) +
                      " frames");
    default: break;
  }
  throw FileError(path + ": cannot write this format (use .pdb or .gro)");
}

}    // namespace BACKMAP
