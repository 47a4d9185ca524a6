/* BACKMAP core, forcefield layer: the Martini 3 folder and its itps' molecules (see martini_itps.h). */
#include "martini_itps.h"

#include "file_error.h"
#include "force_field_folders.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace BACKMAP {

// A folder for the Martini 3 itps that a build can have compiled in (none by default: the
// folders below are searched instead).
#ifndef BACKMAP_MARTINI_DIR
#define BACKMAP_MARTINI_DIR ""
#endif

namespace {

std::string lowercase_section(const std::string &text)
{
  std::string s;
  for (char c : text)
    if (c != '[' && c != ']' && !std::isspace(static_cast<unsigned char>(c))) s += static_cast<char>(std::tolower(c));
  return s;
}

}    // namespace

std::vector<std::string> martini_search_path(const std::string &given)
{
  if (!given.empty()) return {given};
  std::vector<std::string> out;
  // $BACKMAP_FORCEFIELDS and the folder beside the build (build/forcefields), as for the
  // all-atom force fields, each holding martini3/
  for (const std::string &dir : force_field_search_path()) out.push_back((fs::path(dir) / "martini3").string());
  if (std::string(BACKMAP_MARTINI_DIR).size()) out.push_back(BACKMAP_MARTINI_DIR);
  // the shared data beside the repository (the build's bin/ is REPO/build/bin)
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back((exe.parent_path() / "../../../shared/data/forcefields/martini3").lexically_normal().string());
  return out;
}

std::string find_martini_folder(const std::string &given)
{
  std::string looked;
  std::error_code ec;
  for (const std::string &dir : martini_search_path(given)) {
    if (fs::exists(fs::path(dir) / martini_main_itp, ec)) return fs::absolute(dir).lexically_normal().string();
    looked += (looked.empty() ? "" : ", ") + dir;
  }
  if (!given.empty()) fail_at(given, 0, std::string("no ") + martini_main_itp + " in this folder (--martini-dir)");
  throw std::runtime_error(std::string("no Martini 3 force field found (looked for ") + martini_main_itp + " in " + looked +
                           "); give --martini-dir DIR or set BACKMAP_FORCEFIELDS to a folder holding martini3/");
}

std::map<std::string, ItpMolecule> scan_itps(const std::string &folder)
{
  std::vector<std::string> files;
  for (const auto &entry : fs::directory_iterator(folder))
    if (entry.path().extension() == ".itp" && entry.path().filename() != martini_main_itp) files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  files.insert(files.begin(), (fs::path(folder) / martini_main_itp).string());
  std::map<std::string, ItpMolecule> molecules;
  for (const std::string &file : files) {
    std::ifstream in(file);
    std::string section, text;
    ItpMolecule *current = nullptr;
    for (int line = 1; std::getline(in, text); ++line) {
      text = text.substr(0, text.find(';'));
      const auto first = text.find_first_not_of(" \t\r");
      if (first == std::string::npos || text[first] == '#') continue;
      if (text[first] == '[') {
        section = lowercase_section(text);
        if (current && current->virtual_sites.empty() &&
            (section.rfind("virtual_sites", 0) == 0 || section == "dummies3" || section == "settles"))
          current->virtual_sites = section;
        continue;
      }
      std::istringstream words(text);
      std::vector<std::string> w;
      for (std::string s; words >> s;) w.push_back(s);
      if (section == "moleculetype") {
        section = "moleculetype-named";
        auto [it, added] = molecules.try_emplace(w[0]);
        current = added ? &it->second : nullptr;    // a later definition of the name is not the one used
        if (current) current->name = w[0], current->file = file, current->line = line;
      } else if (section == "atoms" && current && w.size() >= 5) {
        current->residue_numbers.insert(w[2]);
        current->residues.push_back(w[3]);
        current->atoms.push_back(w[4]);
        current->charges.push_back(w.size() >= 7 ? std::atof(w[6].c_str()) : 0.0);
      }
    }
  }
  return molecules;
}

}    // namespace BACKMAP
