/* BACKMAP core, forcefield layer: martinize2's elastic network (-elastic) on a coarse-grained
   molecule (see add_elastic_network in martinize_protein.h). The rules are vermouth's
   apply_rubber_band: force constant fc * exp(-a (d - lower)^p), capped at fc, dropped below the
   minimum, beyond `upper` and between residues at most `residue_separation` bonds apart in the
   residue graph (so i, i+1 and i+2 along a chain with vermouth's default 2); the bond's length is
   the distance rounded to 5 decimals (nm) and its function the force field's
   elastic_network_bond_type (6 where it has none). */
#include "martinize_protein.h"

#include <cmath>
#include <cstdio>
#include <deque>
#include <stdexcept>

namespace BACKMAP {

namespace {

// Residue ranges "a:b,c:d" (input residue numbers, inclusive).
std::vector<std::pair<int, int>> regions_of(const std::string &unit)
{
  std::vector<std::pair<int, int>> regions;
  std::size_t start = 0;
  while (start < unit.size()) {
    const std::size_t comma = unit.find(',', start);
    const std::string part = unit.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const std::size_t colon = part.find(':');
    try {
      if (colon == std::string::npos) throw std::invalid_argument(part);
      const int a = std::stoi(part.substr(0, colon)), b = std::stoi(part.substr(colon + 1));
      regions.emplace_back(std::min(a, b), std::max(a, b));
    } catch (const std::exception &) {
      throw std::invalid_argument("elastic network unit '" + unit + "': '" + part +
                                  "' is not a residue range FIRST:LAST (or give molecule or chain)");
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return regions;
}

std::string number_text(double value, const char *format)
{
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

}    // namespace

std::size_t add_elastic_network(CgMolecule &m, const VermouthForceField &ff, const ElasticNetworkParameters &p)
{
  const int bond_type = ff.variable("elastic_network_bond_type", 6).get<int>();
  const int separation = p.residue_separation >= 0 ? p.residue_separation
                                                   : ff.variable("elastic_network_res_min_dist", 2).get<int>();
  std::vector<std::pair<int, int>> regions;
  if (p.unit != "molecule" && p.unit != "chain") regions = regions_of(p.unit);

  std::vector<int> selected;
  for (std::size_t b = 0; b < m.beads.size(); ++b) {
    const FfAttributes &name = m.beads[b].attributes["atomname"];
    for (const std::string &wanted : p.beads)
      if (name == wanted) {
        selected.push_back(static_cast<int>(b));
        break;
      }
  }
  // residues at most `separation` bonds apart in the residue graph
  const std::size_t residues = m.residues.size();
  std::vector<std::set<int>> residue_neighbours(residues);
  for (std::size_t b = 0; b < m.beads.size(); ++b)
    for (int n : m.neighbours[b]) {
      const int r = m.beads[b].residue, s = m.beads[static_cast<std::size_t>(n)].residue;
      if (r != s) residue_neighbours[static_cast<std::size_t>(r)].insert(s);
    }
  std::vector<std::vector<int>> hops(residues, std::vector<int>(residues, -1));
  for (std::size_t r = 0; r < residues; ++r) {
    std::deque<int> queue{static_cast<int>(r)};
    hops[r][r] = 0;
    while (!queue.empty()) {
      const int at = queue.front();
      queue.pop_front();
      if (hops[r][static_cast<std::size_t>(at)] >= separation) continue;
      for (int next : residue_neighbours[static_cast<std::size_t>(at)])
        if (hops[r][static_cast<std::size_t>(next)] < 0) {
          hops[r][static_cast<std::size_t>(next)] = hops[r][static_cast<std::size_t>(at)] + 1;
          queue.push_back(next);
        }
    }
  }
  const auto same_unit = [&](int a, int b) {
    const CgResidue &ra = m.residues[static_cast<std::size_t>(m.beads[static_cast<std::size_t>(a)].residue)];
    const CgResidue &rb = m.residues[static_cast<std::size_t>(m.beads[static_cast<std::size_t>(b)].residue)];
    if (p.unit == "molecule") return true;
    if (p.unit == "chain") return ra.chain == rb.chain;
    for (const auto &[lo, hi] : regions)
      if (lo <= ra.number && ra.number <= hi && lo <= rb.number && rb.number <= hi) return true;
    return false;
  };

  std::size_t added = 0;
  for (std::size_t i = 0; i < selected.size(); ++i)
    for (std::size_t j = i + 1; j < selected.size(); ++j) {
      const int a = selected[i], b = selected[j];
      const double d = (m.beads[static_cast<std::size_t>(a)].position - m.beads[static_cast<std::size_t>(b)].position).norm();
      double k = std::exp(-p.decay_factor * std::pow(d - p.lower, p.decay_power)) * p.force_constant;
      if (k < p.minimum_force) k = 0;
      if (k > p.force_constant) k = p.force_constant;
      if (d > p.upper) k = 0;
      const int ra = m.beads[static_cast<std::size_t>(a)].residue, rb = m.beads[static_cast<std::size_t>(b)].residue;
      if (hops[static_cast<std::size_t>(ra)][static_cast<std::size_t>(rb)] >= 0 || !same_unit(a, b)) k = 0;
      if (!(k > p.minimum_force)) continue;
      const double length = std::round(d * 1e5) / 1e5;
      m.add("bonds", CgTerm{{a, b},
                            {std::to_string(bond_type), number_text(length, "%.5f"), number_text(k, "%.10g")},
                            FfAttributes{{"group", "Rubber band"}}});
      ++added;
    }
  return added;
}

}    // namespace BACKMAP
