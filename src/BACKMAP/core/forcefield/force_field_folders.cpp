#include "force_field_folders.h"

#include "file_error.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace BACKMAP {

#ifndef BACKMAP_FORCEFIELD_DIR
#define BACKMAP_FORCEFIELD_DIR ""
#endif

std::vector<std::string> force_field_search_path()
{
  std::vector<std::string> out;
  auto add_list = [&](const char *value) {
    if (!value) return;
    std::istringstream in(value);
    for (std::string part; std::getline(in, part, ':');)
      if (!part.empty()) out.push_back(part);
  };
  add_list(std::getenv("BACKMAP_FORCEFIELDS"));
  if (std::string(BACKMAP_FORCEFIELD_DIR).size()) out.push_back(BACKMAP_FORCEFIELD_DIR);
  add_list(std::getenv("GMXLIB"));
  out.push_back("/usr/share/gromacs/top");
  return out;
}

std::string find_force_field(const std::string &name_or_folder)
{
  std::error_code ec;
  // a folder given as such; a folder that merely has the name (an output folder) is not one
  if (fs::is_directory(name_or_folder, ec) &&
      (fs::exists(fs::path(name_or_folder) / "forcefield.itp", ec) || name_or_folder.find('/') != std::string::npos))
    return name_or_folder;
  const std::string name = name_or_folder == "charmm36" ? "charmm36-jul2022" : name_or_folder;
  std::string looked;
  for (const std::string &dir : force_field_search_path()) {
    for (const std::string &candidate : {name + ".ff", name}) {
      const fs::path p = fs::path(dir) / candidate;
      if (fs::is_directory(p, ec) && fs::exists(p / "forcefield.itp", ec)) return p.string();
    }
    looked += (looked.empty() ? "" : ", ") + dir;
  }
  fail_at(name_or_folder, 0, "no such force field (looked for " + name + ".ff in " + looked +
                                 "; give a folder, or set BACKMAP_FORCEFIELDS)");
}

}    // namespace BACKMAP
