/* Helpers of the LAMMPS system writer's tests (test_lammps_system_*.cpp, test_martini_*.cpp):
   the files it writes read back line by line, and GROMACS's energies as gmx dump prints them. */
#ifndef BACKMAP_LAMMPS_FILES_TEST_SUPPORT_H
#define BACKMAP_LAMMPS_FILES_TEST_SUPPORT_H

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace BACKMAP::test {

inline std::vector<std::string> lines_of(const std::string &path)
{
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines of a data-file section ("Atoms # full", "Bonds", ...) up to the next blank line
// after its first line, comments cut off and white space squeezed.
inline std::vector<std::string> section(const std::vector<std::string> &lines, const std::string &name)
{
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < lines.size() && lines[i] != name) ++i;
  for (i += 2; i < lines.size() && !lines[i].empty(); ++i) {
    std::istringstream in(lines[i].substr(0, lines[i].find('#')));
    std::string squeezed;
    for (std::string t; in >> t;) squeezed += (squeezed.empty() ? "" : " ") + t;
    out.push_back(squeezed);
  }
  return out;
}

// Lines of a LAMMPS input file without their comments, white space squeezed, blank lines left out.
inline std::vector<std::string> commands(const std::string &path)
{
  std::vector<std::string> out;
  for (const std::string &line : lines_of(path)) {
    std::istringstream in(line.substr(0, line.find('#')));
    std::string squeezed;
    for (std::string t; in >> t;) squeezed += (squeezed.empty() ? "" : " ") + t;
    if (!squeezed.empty()) out.push_back(squeezed);
  }
  return out;
}

inline bool has(const std::vector<std::string> &lines, const std::string &line)
{
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// gmx dump -e: "   Name   value" lines after the "Component" header, kJ/mol.
inline std::map<std::string, double> read_gromacs_energies(const std::filesystem::path &path)
{
  static const std::regex entry(R"(^\s*(\S.*\S)\s+([-+]?[0-9.]+e[-+][0-9]+)\s*$)");
  std::map<std::string, double> energies;
  std::ifstream in(path);
  bool started = false;
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (line.find("Component") != std::string::npos) started = true;
    else if (started && std::regex_match(line, m, entry)) energies[m[1]] = std::stod(m[2]);
  }
  return energies;
}

}    // namespace BACKMAP::test

#endif
