/* BACKMAP core, forcefield layer: restricted bending as a LAMMPS angle table (see lammps_angle_table.h). */
#include "lammps_angle_table.h"

#include "lammps_bonded_terms.h"
#include "lammps_writer_text.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace BACKMAP::lammps_writer {

namespace {

constexpr double wall_energy = 1000.0;    // kcal/mol: beyond it the potential goes on as a straight wall

// The analytic potential and force (kcal/mol, kcal/mol/rad); theta strictly inside (0, 180).
std::pair<double, double> analytic(double theta, double theta0, double k)
{
  const double t = theta * M_PI / 180.0, c = std::cos(t), s = std::sin(t), c0 = std::cos(theta0 * M_PI / 180.0);
  const double kk = k / kj_per_kcal;
  return {0.5 * kk * (c - c0) * (c - c0) / (s * s), kk * (c - c0) * (1.0 - c * c0) / (s * s * s)};
}

// Where the walls start: the last table points, walking out from theta0, below wall_energy.
std::pair<double, double> wall_edges(double theta0, double k)
{
  const double step = 180.0 / (angle_table_points - 1);
  double edges[2] = {theta0, theta0};
  for (int side : {0, 1}) {
    const double direction = side ? 1.0 : -1.0;
    double edge = std::round(theta0 / step) * step;
    while (true) {
      const double next = edge + direction * step;
      if (next <= 0 || next >= 180 || analytic(next, theta0, k).first >= wall_energy) break;
      edge = next;
    }
    edges[side] = edge;
  }
  return {edges[0], edges[1]};
}

std::pair<double, double> evaluate(double theta, double theta0, double k, const std::pair<double, double> &walls)
{
  const double edge = theta < walls.first ? walls.first : theta > walls.second ? walls.second : theta;
  const auto [v, f] = analytic(edge, theta0, k);
  return {v - f * (theta - edge) * M_PI / 180.0, f};
}

}    // namespace

std::pair<double, double> restricted_bending(double theta, double theta0, double k)
{
  return evaluate(theta, theta0, k, wall_edges(theta0, k));
}

std::string restricted_bending_table_text(const std::vector<std::pair<double, double>> &sections, const std::string &source)
{
  std::ostringstream out;
  out << "# LAMMPS angle table for " << source_text(source)
      << "\n# written by BACKMAP (lammps_system_writer): GROMACS's restricted bending (angles function 10),\n"
      << "# V = k/2 (cos theta - cos theta0)^2 / sin^2 theta, every " << 180.0 / (angle_table_points - 1)
      << " degrees; theta (degrees) V (kcal/mol) -dV/dtheta (kcal/mol/degree).\n"
      << "# Past " << wall_energy << " kcal/mol V goes on as a straight wall. Use with angle_style table linear "
      << angle_table_points << ".\n";
  for (const auto &[theta0, k] : sections) {
    out << "\n" << restricted_bending_keyword(theta0, k) << "\nN " << angle_table_points << "\n\n";
    const std::pair<double, double> walls = wall_edges(theta0, k);
    for (int i = 0; i < angle_table_points; ++i) {
      const double theta = 180.0 * i / (angle_table_points - 1);
      const auto [v, f] = evaluate(theta, theta0, k, walls);
      char line[128];
      // LAMMPS reads the force per degree (angle_table.cpp multiplies it by 180/pi)
      std::snprintf(line, sizeof line, "%d %.2f %.12g %.12g\n", i + 1, theta, v, f * M_PI / 180.0);
      out << line;
    }
  }
  return out.str();
}

}    // namespace BACKMAP::lammps_writer
