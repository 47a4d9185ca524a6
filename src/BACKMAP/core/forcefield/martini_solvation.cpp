/* BACKMAP core, forcefield layer: Martini water and ions (see martini_solvation.h). */
#include "martini_solvation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace BACKMAP {

namespace {

// Martini water: one W bead stands for 4 waters (72 u); 1 g/cm^3 of water is 33.4 waters per
// nm^3, so 8.36 W per nm^3, a simple cubic lattice of 4.93 A.
constexpr double water_beads_per_cubic_nm = 33.43 / 4.0;

}    // namespace

std::vector<Vec3> water_points(const Structure &solute, double distance)
{
  const Vec3 box = solute.box.lengths();
  const double spacing = 10.0 * std::cbrt(1.0 / water_beads_per_cubic_nm);
  int n[3], cells[3];
  for (int k = 0; k < 3; ++k) {
    n[k] = std::max(1, static_cast<int>(std::lround(box[k] / spacing)));
    cells[k] = std::max(1, static_cast<int>(box[k] / distance));
  }
  // beads binned into cells at least `distance` wide: a point looks at its cell's 27 neighbours
  std::vector<std::vector<Vec3>> bins(static_cast<std::size_t>(cells[0]) * cells[1] * cells[2]);
  const auto cell_of = [&](const Vec3 &x, int k) {
    const double f = x[k] / box[k] - std::floor(x[k] / box[k]);
    return std::min(cells[k] - 1, static_cast<int>(f * cells[k]));
  };
  const auto bin = [&](int i, int j, int l) -> std::vector<Vec3> & {
    return bins[static_cast<std::size_t>(((i + cells[0]) % cells[0]) * cells[1] + (j + cells[1]) % cells[1]) * cells[2] +
                static_cast<std::size_t>((l + cells[2]) % cells[2])];
  };
  for (const Residue &r : solute.residues)
    for (const Atom &a : r.atoms) bin(cell_of(a.position, 0), cell_of(a.position, 1), cell_of(a.position, 2)).push_back(a.position);
  std::vector<Vec3> points;
  for (int i = 0; i < n[0]; ++i)
    for (int j = 0; j < n[1]; ++j)
      for (int l = 0; l < n[2]; ++l) {
        const Vec3 p((i + 0.5) * box.x() / n[0], (j + 0.5) * box.y() / n[1], (l + 0.5) * box.z() / n[2]);
        bool free = true;
        const int c[3] = {cell_of(p, 0), cell_of(p, 1), cell_of(p, 2)};
        // with fewer than 3 cells in a direction the neighbours repeat: harmless
        for (int di = -1; di <= 1 && free; ++di)
          for (int dj = -1; dj <= 1 && free; ++dj)
            for (int dl = -1; dl <= 1 && free; ++dl)
              for (const Vec3 &q : bin(c[0] + di, c[1] + dj, c[2] + dl))
                if (solute.box.minimum_image(p - q).squaredNorm() < distance * distance) {
                  free = false;
                  break;
                }
        if (free) points.push_back(p);
      }
  return points;
}

void add_water_and_ions(MartiniSystem &system, const std::map<std::string, ItpMolecule> &itps,
                        const MartiniSystemOptions &options, int last_number)
{
  const char *names[] = {"W", "NA", "CL"};
  for (const char *name : names)
    if (!itps.count(name) || itps.at(name).atoms.size() != 1)
      throw std::runtime_error(system.folder + ": no one-bead molecule " + name + " in the itps (solvents and ions)");
  const std::vector<Vec3> points = water_points(system.structure, options.water_distance);
  // NA/CL pairs, then counter-ions to a total charge of 0 (the solute's charge, rounded)
  const long counter = options.neutralize ? std::lround(-system.charge) : 0;
  const std::size_t ions = 2 * static_cast<std::size_t>(options.ion_pairs) + static_cast<std::size_t>(std::labs(counter));
  if (points.size() < ions + 1)
    throw std::runtime_error(system.input + ": only " + std::to_string(points.size()) + " water places for " +
                             std::to_string(ions) + " ions");
  std::vector<int> kind(points.size(), 0);    // 0 W, 1 NA, 2 CL
  for (std::size_t k = 0; k < ions; ++k) {
    const bool pair = k < 2 * static_cast<std::size_t>(options.ion_pairs);
    kind[(2 * k + 1) * points.size() / (2 * ions)] = pair ? (k % 2 ? 2 : 1) : (counter > 0 ? 1 : 2);
  }
  for (int wanted = 0; wanted < 3; ++wanted) {
    const ItpMolecule &m = itps.at(names[wanted]);
    int count = 0;
    for (std::size_t p = 0; p < points.size(); ++p) {
      if (kind[p] != wanted) continue;
      Residue r;
      r.name = m.residues.front();
      r.number = ++last_number;
      Atom a;
      a.name = m.atoms.front();
      a.position = points[p];
      r.atoms.push_back(a);
      system.structure.residues.push_back(r);
      ++count;
      system.charge += m.charges.front();
    }
    if (count) system.molecules.push_back({names[wanted], count}), system.itp_files.insert(m.file);
    if (wanted == 0) system.water_beads = static_cast<std::size_t>(count);
  }
}

}    // namespace BACKMAP
