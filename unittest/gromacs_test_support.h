/* Helpers shared by the tests that check our force-field files against GROMACS and LAMMPS
   themselves: a scratch folder, files written into it, commands run there, and LAMMPS's
   printed energies. */
#ifndef BACKMAP_GROMACS_TEST_SUPPORT_H
#define BACKMAP_GROMACS_TEST_SUPPORT_H

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>

#ifndef BACKMAP_SHARED_DATA_DIR
#define BACKMAP_SHARED_DATA_DIR "/work/shared/data"
#endif

namespace BACKMAP::test {

inline std::filesystem::path scratch_folder()
{
  static const std::filesystem::path dir = [] {
    const auto d = std::filesystem::temp_directory_path() / ("backmap_gromacs_tests_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

// `text` into `path` (relative: in the scratch folder), folders made as needed.
inline std::string write_file(const std::filesystem::path &path, const std::string &text)
{
  const std::filesystem::path where = path.is_absolute() ? path : scratch_folder() / path;
  std::filesystem::create_directories(where.parent_path());
  std::ofstream(where) << text;
  return where.string();
}

// A shell command run in `dir`, its output appended to dir/log.txt; its exit status.
inline int run_in(const std::filesystem::path &dir, const std::string &command)
{
  return std::system(("cd '" + dir.string() + "' && ( " + command + " ) >> log.txt 2>&1").c_str());
}

// The GROMACS command: $BACKMAP_GMX where set; else, on a CPU without the rdtscp instruction
// (some virtual machines), where Debian's mdrun stops at start, gmx under Debian's qemu-user
// emulating a CPU that has it (tools/setup.sh installs qemu-user there); else gmx.
inline std::string gmx_command()
{
  const char *given = std::getenv("BACKMAP_GMX");
  if (given && *given) return given;
  return std::system("bash '" BACKMAP_TEST_SCRIPTS_DIR "/gmx_command.sh' > /dev/null 2>&1") == 0
             ? "qemu-x86_64 -cpu max /usr/bin/gmx"
             : "gmx";
}

inline bool have_gmx()
{
  const std::string gmx = gmx_command();
  return std::system(("command -v " + gmx.substr(0, gmx.find(' ')) + " > /dev/null 2>&1").c_str()) == 0;
}

#ifndef BACKMAP_LAMMPS_BINARY
#define BACKMAP_LAMMPS_BINARY ""
#endif

// $BACKMAP_LAMMPS_BINARY, else the one CMake was given (tools/setup.sh: build/bin/lmp)
inline std::string lammps_binary()
{
  const char *given = std::getenv("BACKMAP_LAMMPS_BINARY");
  return given && *given ? given : BACKMAP_LAMMPS_BINARY;
}
inline bool have_lammps() { return std::filesystem::exists(lammps_binary()); }

// LAMMPS's "print" lines "ENERGY name value" from its screen output; empty when LAMMPS failed.
inline std::map<std::string, double> run_lammps(const std::filesystem::path &dir, const std::string &input)
{
  std::ofstream(dir / "in.lmp") << input;
  std::map<std::string, double> energies;
  if (run_in(dir, lammps_binary() + " -in in.lmp -log lammps.log -echo none > lammps.out") != 0) return energies;
  std::ifstream in(dir / "lammps.out");
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string tag, name;
    double value;
    if (words >> tag >> name >> value && tag == "ENERGY") energies[name] = value;
  }
  return energies;
}

}    // namespace BACKMAP::test

#endif
