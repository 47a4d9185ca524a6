/* BACKMAP core, forcefield layer: GROMACS's restricted bending angle (function 10, Martini 3's
   backbone angles) as a LAMMPS angle table, which this LAMMPS (2022) has no style for:
     V(theta) = k/2 (cos theta - cos theta0)^2 / sin^2 theta
   tabulated every 0.05 degrees from 0 to 180 with its exact force (per degree, as LAMMPS reads it), for `angle_style table linear
   3601` (the internal table then holds the file's own points). V grows without bound towards 0
   and 180 degrees; past 1000 kcal/mol it continues as a straight wall of the same slope, which a
   table can hold and no simulation reaches. */
#ifndef BACKMAP_LAMMPS_ANGLE_TABLE_H
#define BACKMAP_LAMMPS_ANGLE_TABLE_H

#include <string>
#include <utility>
#include <vector>

namespace BACKMAP::lammps_writer {

constexpr int angle_table_points = 3601;

// Restricted bending energy (kcal/mol) and force -dV/dtheta (kcal/mol/rad) at theta (degrees),
// theta0 in degrees and k in kJ/mol, as tabulated (the wall included).
std::pair<double, double> restricted_bending(double theta, double theta0, double k);

// The table file: one section per (theta0, k), named restricted_bending_keyword(theta0, k).
std::string restricted_bending_table_text(const std::vector<std::pair<double, double>> &sections, const std::string &source);

}    // namespace BACKMAP::lammps_writer

#endif
