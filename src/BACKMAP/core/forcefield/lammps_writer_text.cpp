/* BACKMAP core, forcefield layer: units, number formats and whole-file writes of the LAMMPS writer. */
#include "lammps_writer_text.h"

#include "structure_io.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace BACKMAP::lammps_writer {

std::string number(double value)
{
  char text[40];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

std::string fixed(double value, int decimals)
{
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

bool same_value(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)) + 1e-15; }

std::string source_text(const std::string &source) { return source.empty() ? std::string("a GROMACS system") : source; }

std::string file_name(const std::string &path) { return std::filesystem::path(path).filename().string(); }

void write_text(const std::string &path, const std::string &text)
{
  write_atomically(path, [&](std::ostream &os) { os << text; });
}

}    // namespace BACKMAP::lammps_writer
