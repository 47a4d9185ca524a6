/* BACKMAP core, forcefield layer: where the vermouth martini3001 force field is (see
   load_martini3001_force_field in martinize_protein.h). */
#include "martinize_protein.h"

#include "file_error.h"
#include "force_field_folders.h"
#include "mapping_set.h"

#include <filesystem>
#include <stdexcept>

namespace fs = std::filesystem;

namespace BACKMAP {

namespace {

constexpr const char *residue_file = "05-aminoacids.ff";

}    // namespace

std::vector<std::string> martini3001_search_path(const std::string &given)
{
  if (!given.empty()) return {given};
  std::vector<std::string> out;
  for (const std::string &dir : force_field_search_path()) out.push_back((fs::path(dir) / "martini3001").string());
  // the shared data beside the repository (the build's bin/ is REPO/build/bin)
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec)
    out.push_back((exe.parent_path() / "../../../shared/data/mappings-src/vermouth-martini3001-forcefield").lexically_normal().string());
  return out;
}

VermouthForceField load_martini3001_force_field(const std::string &given)
{
  std::string folder, looked;
  std::error_code ec;
  for (const std::string &dir : martini3001_search_path(given)) {
    if (fs::exists(fs::path(dir) / residue_file, ec)) {
      folder = fs::absolute(dir).lexically_normal().string();
      break;
    }
    looked += (looked.empty() ? "" : ", ") + dir;
  }
  if (folder.empty() && !given.empty()) fail_at(given, 0, std::string("no ") + residue_file + " in this folder (vermouth's martini3001)");
  if (folder.empty())
    throw std::runtime_error(std::string("no vermouth martini3001 force field found (looked for ") + residue_file + " in " +
                             looked + "); give its folder with --martinize-ff DIR");
  VermouthForceField ff = read_vermouth_force_field_folder(folder);
  if (ff.links.empty()) {
    const std::string links = (fs::path(data_directory()) / "forcefields" / "martini3001-links.ff").string();
    if (!fs::exists(links, ec))
      fail_at(folder, 0, "its .ff files have no [ link ], and BACKMAP's transcription " + links + " is missing");
    VermouthForceField extra = read_vermouth_force_field({links});
    ff.links = extra.links;
    ff.files.push_back(links);
    for (const auto &[name, block] : extra.blocks) ff.blocks.emplace(name, block);
    for (const auto &[name, mod] : extra.modifications) ff.modifications.emplace(name, mod);
  }
  return ff;
}

}    // namespace BACKMAP
