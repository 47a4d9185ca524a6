/* BACKMAP core, forcefield layer: GoMartini's sites, contacts and exclusions (see go_model.h). */
#include "go_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace BACKMAP {

namespace {

// For every residue, the residues at most `hops` bonds away in the residue graph (itself included).
std::vector<std::set<int>> residues_within(const CgMolecule &m, int hops)
{
  std::vector<std::set<int>> graph(m.residues.size());
  for (std::size_t b = 0; b < m.beads.size(); ++b)
    for (int n : m.neighbours[b]) {
      const int r = m.beads[b].residue, s = m.beads[static_cast<std::size_t>(n)].residue;
      if (r != s) graph[static_cast<std::size_t>(r)].insert(s);
    }
  std::vector<std::set<int>> near(m.residues.size());
  for (std::size_t r = 0; r < m.residues.size(); ++r) {
    std::map<int, int> distance{{static_cast<int>(r), 0}};
    std::deque<int> queue{static_cast<int>(r)};
    while (!queue.empty()) {
      const int at = queue.front();
      queue.pop_front();
      if (distance[at] >= hops) continue;
      for (int next : graph[static_cast<std::size_t>(at)])
        if (distance.emplace(next, distance[at] + 1).second) queue.push_back(next);
    }
    for (const auto &[s, d] : distance) near[r].insert(s);
  }
  return near;
}

// The shortest decimal that reads back as the same double (how martinize2's comment prints it).
std::string shortest(double value)
{
  char text[40];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  return text;
}

}    // namespace

GoModel add_go_model(CgMolecule &m, const std::vector<GoResidueContact> &map, const std::vector<int> &residue_of,
                     const GoModelParameters &p)
{
  if (!(p.lower >= 0 && p.lower < p.upper))
    throw std::invalid_argument("Go contacts: the lower distance cut-off (" + shortest(p.lower) +
                                " nm) must be at least 0 and below the upper one (" + shortest(p.upper) + " nm)");
  if (!(p.epsilon >= 0)) throw std::invalid_argument("Go contacts: epsilon must be 0 or more, not " + shortest(p.epsilon));
  if (p.residue_separation < 0) throw std::invalid_argument("Go contacts: the residue separation must be 0 or more");
  if (p.prefix.empty()) throw std::invalid_argument("Go contacts: the atom type prefix is empty");

  // the backbone bead of every residue, and a site on it (after all other beads, as martinize2 puts them)
  GoModel model;
  std::vector<int> backbone(m.residues.size(), -1), site_type(m.residues.size(), -1);
  for (std::size_t r = 0; r < m.residues.size(); ++r) {
    for (int b : m.residues[r].beads)
      if (m.beads[static_cast<std::size_t>(b)].attributes["atomname"] == p.backbone) backbone[r] = b;
    const CgResidue &residue = m.residues[r];
    if (backbone[r] < 0)
      throw std::invalid_argument("Go model: residue " + (residue.chain.empty() ? "" : residue.chain + ":") + residue.name +
                                  std::to_string(residue.number) + " has no backbone bead " + p.backbone);
  }
  int charge_group = 0;
  for (const CgBead &b : m.beads)
    if (b.attributes.contains("charge_group") && b.attributes["charge_group"].is_number())
      charge_group = std::max(charge_group, b.attributes["charge_group"].get<int>());
  for (std::size_t r = 0; r < m.residues.size(); ++r) {
    const CgBead &bb = m.beads[static_cast<std::size_t>(backbone[r])];
    CgBead site;
    site.attributes = FfAttributes{{"atomname", p.site_name},
                                   {"resname", bb.attributes["resname"]},
                                   {"resid", bb.attributes["resid"]},
                                   {"chain", bb.attributes["chain"]},
                                   {"atype", p.prefix + "_" + std::to_string(r + 1)},
                                   {"charge_group", ++charge_group},
                                   {"charge", 0},
                                   {"mass", 0.0}};
    if (bb.attributes.contains("cgsecstruct")) site.attributes["cgsecstruct"] = bb.attributes["cgsecstruct"];
    site.position = bb.position;
    site.residue = static_cast<int>(r);
    const int index = m.add_bead(site);
    site_type[r] = static_cast<int>(model.site_types.size());
    model.site_types.push_back(site.attributes["atype"].get<std::string>());
    m.add("virtual_sitesn", CgTerm{{index, backbone[r]}, {"1"}, FfAttributes{{"group", "Virtual go site"}}});
  }

  // a pair is taken when the map has it both ways: on meeting (b, a) after (a, b)
  const std::vector<std::set<int>> near = residues_within(m, p.residue_separation);
  std::set<std::pair<int, int>> seen;
  const double to_sigma = std::pow(2.0, 1.0 / 6.0);
  for (const GoResidueContact &c : map) {
    if (!c.taken() || c.a < 0 || c.b < 0 || static_cast<std::size_t>(c.a) >= residue_of.size() ||
        static_cast<std::size_t>(c.b) >= residue_of.size())
      continue;
    const int a = residue_of[static_cast<std::size_t>(c.a)], b = residue_of[static_cast<std::size_t>(c.b)];
    if (a < 0 || b < 0 || near[static_cast<std::size_t>(a)].count(b)) continue;
    const double d = (m.beads[static_cast<std::size_t>(backbone[static_cast<std::size_t>(a)])].position -
                      m.beads[static_cast<std::size_t>(backbone[static_cast<std::size_t>(b)])].position)
                         .norm();
    if (!(p.lower < d && d < p.upper)) continue;
    if (!seen.count({b, a})) {
      seen.insert({a, b});
      continue;
    }
    model.pairs.push_back({model.site_types[static_cast<std::size_t>(site_type[static_cast<std::size_t>(a)])],
                           model.site_types[static_cast<std::size_t>(site_type[static_cast<std::size_t>(b)])], d,
                           d / to_sigma, p.epsilon});
    m.add("exclusions", CgTerm{{backbone[static_cast<std::size_t>(a)], backbone[static_cast<std::size_t>(b)]}, {},
                               FfAttributes{{"group", "Go model exclusion"}}});
  }
  return model;
}

std::string go_atomtypes_text(const GoModel &model)
{
  std::ostringstream out;
  out << "[ atomtypes ]\n";
  for (const std::string &type : model.site_types) out << type << " 0.0 0 A 0.00000000 0.00000000\n";
  return out.str();
}

std::string go_nbparams_text(const GoModel &model)
{
  std::ostringstream out;
  out << "[ nonbond_params ]\n";
  for (const GoPair &pair : model.pairs) {
    char numbers[64];
    std::snprintf(numbers, sizeof numbers, "%.8f %.8f", pair.sigma, pair.epsilon);
    out << pair.type_a << " " << pair.type_b << " 1 " << numbers << " ;go bond " << shortest(pair.distance) << "\n";
  }
  return out.str();
}

}    // namespace BACKMAP
