#include "structure_io.h"

#include "lammps_data.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace BACKMAP {

std::vector<Structure> read_models(const std::string &path)
{
  const FileFormat format = identify_input(path, FormatUse::ReadStructure);
  switch (format) {
    case FileFormat::Pdb:
    case FileFormat::Pdbqt:
    case FileFormat::Mmcif: return read_pdb_or_mmcif(path, format);
    case FileFormat::Gro: return read_gro(path);
    case FileFormat::LammpsData: return {read_lammps_data(path)};
    default: break;
  }
  throw std::logic_error(path + ": the format registry says it reads as a structure, but no reader does");
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
  switch (identify_output(path, FormatUse::WriteStructure)) {
    case FileFormat::Pdb: write_pdb({structure}, path); return;
    case FileFormat::Gro: write_gro(structure, path); return;
    case FileFormat::LammpsData: write_lammps_data(structure, path); return;
    default: break;
  }
  throw std::logic_error(path + ": the format registry says it is written as a structure, but no writer does");
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
  switch (identify_output(path, FormatUse::WriteStructure)) {
    case FileFormat::Pdb: write_pdb(frames, path); return;
    case FileFormat::Gro: write_gro(frames, path); return;
    case FileFormat::LammpsData:
      fail_at(path, 0, "a LAMMPS data file holds one configuration, not " + std::to_string(frames.size()) + " frames");
    default: break;
  }
  throw std::logic_error(path + ": the format registry says it is written as a structure, but no writer does");
}

}    // namespace BACKMAP
