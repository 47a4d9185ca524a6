#include "mapping_set.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

#ifndef BACKMAP_DEFAULT_DATA_DIR
#define BACKMAP_DEFAULT_DATA_DIR "potentials"
#endif

namespace BACKMAP {

std::string data_directory()
{
  if (const char *env = std::getenv("BACKMAP_DATA")) return env;
  return BACKMAP_DEFAULT_DATA_DIR;
}

MappingSet MappingSet::load_directory(const std::string &directory)
{
  if (!fs::is_directory(directory)) throw MappingError(directory + ": not a folder of mapping files");
  std::vector<fs::path> files;
  for (const auto &entry : fs::directory_iterator(directory)) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw MappingError(directory + ": no mapping files (*.yaml) in this folder");
  MappingSet set;
  set.name_ = fs::path(directory).filename().string();
  for (const auto &f : files) set.add(read_mapping_file(f.string()));
  return set;
}

std::vector<std::string> MappingSet::available_names()
{
  std::vector<std::string> names;
  const fs::path root = fs::path(data_directory()) / "mappings";
  if (fs::is_directory(root))
    for (const auto &entry : fs::directory_iterator(root))
      if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string MappingSet::resolve_directory(const std::string &name_or_directory)
{
  if (fs::is_directory(name_or_directory)) return name_or_directory;
  const fs::path named = fs::path(data_directory()) / "mappings" / name_or_directory;
  if (fs::is_directory(named)) return named.string();
  std::string known;
  for (const auto &n : available_names()) known += " " + n;
  throw MappingError("mapping '" + name_or_directory + "' is neither a folder nor a mapping set in " +
                     (fs::path(data_directory()) / "mappings").string() + " (known:" +
                     (known.empty() ? " none" : known) + ")");
}

MappingSet MappingSet::load(const std::string &name_or_directory)
{
  MappingSet set = load_directory(resolve_directory(name_or_directory));
  if (!fs::is_directory(name_or_directory)) set.name_ = name_or_directory;
  return set;
}

void MappingSet::add(MoleculeMapping mapping)
{
  if (const MoleculeMapping *other = find(mapping.name))
    throw MappingError(mapping.file + ": molecule " + mapping.name + " is already mapped by " + other->file);
  molecules_.push_back(std::move(mapping));
}

std::vector<const MoleculeMapping *> MappingSet::candidates(const std::string &residue_name) const
{
  std::vector<const MoleculeMapping *> out;
  for (const auto &m : molecules_)
    if (m.name == residue_name) out.push_back(&m);
  for (const auto &m : molecules_)
    if (m.name != residue_name && m.answers_to(residue_name)) out.push_back(&m);
  // AMBER's terminal building blocks (NALA, CGLY, NHIE, ...: pdb2gmx writes them into .gro
  // files): an amino acid under its N- or C-terminal name, where no mapping has the name itself
  if (out.empty() && residue_name.size() >= 4 && (residue_name[0] == 'N' || residue_name[0] == 'C')) {
    const std::string inner = residue_name.substr(1);
    for (const auto &m : molecules_)
      if (m.kind == MoleculeKind::AminoAcid && m.answers_to(inner)) out.push_back(&m);
  }
  return out;
}

const MoleculeMapping *MappingSet::find(const std::string &molecule_name) const
{
  for (const auto &m : molecules_)
    if (m.name == molecule_name) return &m;
  return nullptr;
}

MappingSet MappingSet::subset(const std::vector<std::string> &molecule_names) const
{
  for (const std::string &name : molecule_names)
    if (!find(name)) {
      std::string known;
      for (const auto &m : molecules_) known += (known.empty() ? "" : " ") + m.name;
      throw MappingError("mapping set " + name_ + " has no molecule " + name + " (it maps: " + known + ")");
    }
  MappingSet out;
  out.name_ = name_;
  for (const auto &m : molecules_)
    if (std::find(molecule_names.begin(), molecule_names.end(), m.name) != molecule_names.end()) out.molecules_.push_back(m);
  return out;
}

}    // namespace BACKMAP
