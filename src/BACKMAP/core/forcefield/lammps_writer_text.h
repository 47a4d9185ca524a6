/* BACKMAP core, forcefield layer: units, number formats and whole-file writes of the LAMMPS writer.
   Shared by every file lammps_system_writer writes, so that they print numbers alike. */
#ifndef BACKMAP_LAMMPS_WRITER_TEXT_H
#define BACKMAP_LAMMPS_WRITER_TEXT_H

#include <string>

namespace BACKMAP::lammps_writer {

constexpr double kj_per_kcal = 4.184;
constexpr double angstrom_per_nm = 10.0;

// The paths of the files one prefix gives (cmap and table empty where there are none).
struct Files {
  std::string settings, data, coeffs, cmap, table;
};

// "%.10g": coefficients and charges
std::string number(double value);
// "%.*f": coordinates and box bounds
std::string fixed(double value, int decimals);
// Equal to 1e-9 relative (and 1e-15 absolute): the same parameter reached two ways.
bool same_value(double a, double b);
// The source named in every file's header, or "a GROMACS system".
std::string source_text(const std::string &source);
std::string file_name(const std::string &path);
// Written whole or not at all (io's write_atomically): a reader never sees half a file.
void write_text(const std::string &path, const std::string &text);

}    // namespace BACKMAP::lammps_writer

#endif
