/* BACKMAP core, forcefield layer: vermouth's links on a coarse-grained molecule (see vermouth_links.h). */
#include "vermouth_links.h"

#include "file_error.h"

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

namespace BACKMAP {

namespace {

const std::set<std::string> not_compared = {"order", "replace", "modifications"};

int resid_of(const CgMolecule &m, int bead)
{
  const FfAttributes &a = m.beads[static_cast<std::size_t>(bead)].attributes;
  return a.contains("resid") && a["resid"].is_number() ? a["resid"].get<int>() : 0;
}

// vermouth's _atoms_match: the attributes (order, replace and modifications aside), and the
// modifications a link node names (all of the bead's, when it names any).
bool bead_fits(const FfAttributes &bead, const FfAttributes &node)
{
  if (node.contains("modifications")) {
    const FfAttributes &wanted = node["modifications"];
    std::vector<std::string> have;
    if (bead.contains("modifications"))
      for (const auto &m : bead["modifications"]) have.push_back(m.get<std::string>());
    bool ok = false;
    if ((wanted.is_null() || (wanted.is_array() && wanted.empty())) && have.empty()) ok = true;
    else if (wanted.is_array() && !have.empty()) {
      std::vector<std::string> w;
      for (const auto &m : wanted) w.push_back(m.get<std::string>());
      std::sort(w.begin(), w.end());
      std::sort(have.begin(), have.end());
      ok = w == have;
    } else if (wanted.is_string() && !have.empty()) {
      ok = std::all_of(have.begin(), have.end(), [&](const std::string &name) {
        return attributes_match(FfAttributes{{"_", name}}, FfAttributes{{"_", wanted}});
      });
    }
    if (!ok) return false;
  }
  return attributes_match(bead, node, not_compared);
}

// A node's order: a number, or a kind ('>' later, '<' earlier, '*' other) with a count.
struct Order {
  bool present = false;
  char kind = 'n';    // 'n' number, '>' (both > and <, signed count), '*'
  int value = 0;
};

Order order_of(const FfAttributes &node)
{
  Order o;
  if (!node.contains("order")) return o;
  o.present = true;
  const FfAttributes &v = node["order"];
  if (v.is_number_integer()) {
    o.value = v.get<int>();
  } else if (v.is_string() && !v.get<std::string>().empty()) {
    const std::string s = v.get<std::string>();
    o.kind = s[0] == '*' ? '*' : '>';
    o.value = s[0] == '<' ? -static_cast<int>(s.size()) : static_cast<int>(s.size());
  }
  return o;
}

int sign(int x) { return (x > 0) - (x < 0); }

// vermouth's match_order for two (order, resid) pairs.
bool orders_agree(const Order &a, int ra, const Order &b, int rb)
{
  if (a.kind == 'n') {
    if (b.kind == 'n') return b.value - a.value == rb - ra;
    if (a.value == 0) {
      if (b.kind == '>' && sign(rb - ra) != sign(b.value)) return false;
      if (b.kind == '*' && ra == rb) return false;
    }
  } else if (a.kind == '>') {
    if (b.kind == 'n' && b.value == 0 && sign(ra - rb) != sign(a.value)) return false;
    if (b.kind == '>' && sign(rb - ra) != sign(b.value - a.value)) return false;
  } else {
    if (b.kind == 'n' && b.value == 0 && ra == rb) return false;
    if (b.kind == '*' && ((a.value == b.value) != (ra == rb))) return false;
  }
  return true;
}

bool same_order(const Order &a, const Order &b) { return a.kind == b.kind && a.value == b.value; }

int node_index(const FfLink &link, const std::string &key)
{
  for (std::size_t i = 0; i < link.nodes.size(); ++i)
    if (link.nodes[i].key == key) return static_cast<int>(i);
  fail_at(link.path, link.line, "this link names node " + key + " in a pattern or parameter but has no such node");
}

// The checks made once every node has its bead: non-edges, patterns, orders.
bool whole_match_holds(const CgMolecule &m, const FfLink &link, const std::vector<int> &match, const std::vector<Order> &orders)
{
  for (const auto &[from, attributes] : link.non_edges) {
    if (!link.find(from)) continue;
    const int bead = match[static_cast<std::size_t>(node_index(link, from))];
    const int offset = attributes.contains("order") && attributes["order"].is_number_integer() ? attributes["order"].get<int>() : 0;
    for (int n : m.neighbours[static_cast<std::size_t>(bead)])
      if (resid_of(m, n) == resid_of(m, bead) + offset && bead_fits(m.beads[static_cast<std::size_t>(n)].attributes, attributes))
        return false;
  }
  if (!link.patterns.empty()) {
    const bool any = std::any_of(link.patterns.begin(), link.patterns.end(), [&](const auto &pattern) {
      return std::all_of(pattern.begin(), pattern.end(), [&](const auto &entry) {
        const int bead = match[static_cast<std::size_t>(node_index(link, entry.first))];
        return bead_fits(m.beads[static_cast<std::size_t>(bead)].attributes, entry.second);
      });
    });
    if (!any) return false;
  }
  for (std::size_t i = 0; i < match.size(); ++i) {
    if (!orders[i].present) continue;
    for (std::size_t j = i + 1; j < match.size(); ++j) {
      if (!orders[j].present) continue;
      const int ri = resid_of(m, match[i]), rj = resid_of(m, match[j]);
      if (same_order(orders[i], orders[j]) && ri != rj) return false;
      if (!orders_agree(orders[i], ri, orders[j], rj)) return false;
    }
  }
  return true;
}

double dihedral_degrees(const Vec3 &a, const Vec3 &b, const Vec3 &c, const Vec3 &d)
{
  const Vec3 ab = b - a, bc = c - b, cd = d - c;
  const Vec3 n1 = ab.cross(bc), n2 = bc.cross(cd);
  return std::atan2(n1.dot(cd) * bc.norm(), n1.dot(n2)) * 180.0 / M_PI;
}

// Python's format of a float: ".Nf" fixed, or the shortest text that reads back.
std::string python_format(double value, const std::string &format, const FfLink &link)
{
  char text[64];
  if (format.empty()) {
    std::snprintf(text, sizeof text, "%.17g", value);
    for (int digits = 1; digits <= 17; ++digits) {
      char shorter[64];
      std::snprintf(shorter, sizeof shorter, "%.*g", digits, value);
      if (std::strtod(shorter, nullptr) == value) return shorter;
    }
    return text;
  }
  if (format.size() >= 3 && format[0] == '.' && format.back() == 'f') {
    const int digits = std::atoi(format.substr(1, format.size() - 2).c_str());
    std::snprintf(text, sizeof text, "%.*f", digits, value);
    return text;
  }
  fail_at(link.path, link.line, "parameter format '" + format + "' is not one backmap knows (.Nf)");
}

}    // namespace

std::vector<std::vector<int>> match_link(const CgMolecule &m, const FfLink &link)
{
  std::vector<std::vector<int>> matches;
  const std::size_t n = link.nodes.size();
  if (n == 0 || !attributes_match(m.meta, link.molecule_meta)) return matches;
  std::vector<std::vector<bool>> linked(n, std::vector<bool>(n, false));
  for (const auto &[a, b] : link.edges) {
    const int i = node_index(link, a), j = node_index(link, b);
    linked[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = linked[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)] = true;
  }
  // nodes in breadth-first order over the link's edges: each after a neighbour where it has one
  std::vector<int> sequence, parent(n, -1);
  std::vector<bool> queued(n, false);
  for (std::size_t root = 0; root < n; ++root) {
    if (queued[root]) continue;
    queued[root] = true;
    std::size_t k = sequence.size();
    sequence.push_back(static_cast<int>(root));
    for (; k < sequence.size(); ++k)
      for (std::size_t j = 0; j < n; ++j)
        if (linked[static_cast<std::size_t>(sequence[k])][j] && !queued[j]) {
          queued[j] = true;
          parent[j] = sequence[k];
          sequence.push_back(static_cast<int>(j));
        }
  }
  std::vector<Order> orders;
  for (const FfNode &node : link.nodes) orders.push_back(order_of(node.attributes));

  std::vector<int> match(n, -1);
  std::vector<bool> used(m.beads.size(), false);
  std::function<void(std::size_t)> place = [&](std::size_t step) {
    if (step == n) {
      if (whole_match_holds(m, link, match, orders)) matches.push_back(match);
      return;
    }
    const int node = sequence[step];
    const FfAttributes &wanted = link.nodes[static_cast<std::size_t>(node)].attributes;
    const auto consider = [&](int bead) {
      if (used[static_cast<std::size_t>(bead)] || !bead_fits(m.beads[static_cast<std::size_t>(bead)].attributes, wanted)) return;
      for (std::size_t s = 0; s < step; ++s) {
        const int other = sequence[s], other_bead = match[static_cast<std::size_t>(other)];
        if (linked[static_cast<std::size_t>(node)][static_cast<std::size_t>(other)] != m.has_edge(bead, other_bead)) return;
        // numeric orders fix the residue distance at once, which keeps the search small
        const Order &a = orders[static_cast<std::size_t>(node)], &b = orders[static_cast<std::size_t>(other)];
        if (a.present && b.present && a.kind == 'n' && b.kind == 'n' &&
            resid_of(m, bead) - resid_of(m, other_bead) != a.value - b.value)
          return;
      }
      match[static_cast<std::size_t>(node)] = bead;
      used[static_cast<std::size_t>(bead)] = true;
      place(step + 1);
      used[static_cast<std::size_t>(bead)] = false;
      match[static_cast<std::size_t>(node)] = -1;
    };
    if (parent[static_cast<std::size_t>(node)] >= 0) {
      for (int bead : m.neighbours[static_cast<std::size_t>(match[static_cast<std::size_t>(parent[static_cast<std::size_t>(node)])])])
        consider(bead);
    } else {
      for (std::size_t bead = 0; bead < m.beads.size(); ++bead) consider(static_cast<int>(bead));
    }
  };
  place(0);
  return matches;
}

std::string evaluate_parameter(const FfParameter &p, const CgMolecule &m, const FfLink &link, const std::vector<int> &match)
{
  if (p.effector.empty()) return p.text;
  std::vector<Vec3> x;
  for (const std::string &key : p.keys)
    x.push_back(m.beads[static_cast<std::size_t>(match[static_cast<std::size_t>(node_index(link, key))])].position);
  double value = 0.0;
  if (p.effector == "dist") {
    value = (x[1] - x[0]).norm();
  } else if (p.effector == "angle") {
    const Vec3 u = x[0] - x[1], v = x[2] - x[1];
    value = std::atan2(u.cross(v).norm(), u.dot(v)) * 180.0 / M_PI;
  } else {
    value = dihedral_degrees(x[0], x[1], x[2], x[3]);
    if (p.effector == "dihphase") {
      value -= 180.0;
      if (value > 180.0) value -= 360.0;
      if (value < -180.0) value += 360.0;
    }
  }
  return python_format(value, p.format, link);
}

void apply_links(CgMolecule &m, const VermouthForceField &ff)
{
  for (const FfLink &link : ff.links) {
    for (const std::vector<int> &match : match_link(m, link)) {
      const auto atoms_of = [&](const FfInteraction &i) {
        std::vector<int> atoms;
        for (const std::string &key : i.atoms) atoms.push_back(match[static_cast<std::size_t>(node_index(link, key))]);
        return atoms;
      };
      const auto parameters_of = [&](const FfInteraction &i) {
        std::vector<std::string> parameters;
        for (const FfParameter &p : i.parameters) parameters.push_back(evaluate_parameter(p, m, link, match));
        return parameters;
      };
      for (std::size_t k = 0; k < link.nodes.size(); ++k) {
        const FfAttributes &node = link.nodes[k].attributes;
        if (!node.contains("replace")) continue;
        if (node["replace"].contains("atomname") && node["replace"]["atomname"].is_null())
          fail_at(link.path, link.line, "links that remove beads are not supported");
        m.beads[static_cast<std::size_t>(match[k])].attributes.update(node["replace"]);
      }
      for (const auto &[section, templates] : link.removed)
        for (const FfInteraction &t : templates) {
          const std::vector<int> atoms = atoms_of(t);
          const std::vector<std::string> parameters = parameters_of(t);
          auto found = m.terms.find(section);
          if (found == m.terms.end()) continue;
          std::vector<CgTerm> &list = found->second;
          for (auto it = list.begin(); it != list.end(); ++it) {
            if (it->atoms != atoms || (!parameters.empty() && it->parameters != parameters)) continue;
            bool fits = attributes_match(it->meta, t.meta);
            for (std::size_t a = 0; a < atoms.size() && fits; ++a)
              fits = attributes_match(m.beads[static_cast<std::size_t>(atoms[a])].attributes, t.atom_attributes[a]);
            if (!fits) continue;
            list.erase(it);
            break;
          }
          if (list.empty()) m.terms.erase(found);
        }
      for (const auto &[section, interactions] : link.interactions)
        for (const FfInteraction &i : interactions) m.add_or_replace(section, CgTerm{atoms_of(i), parameters_of(i), i.meta});
    }
  }
}

}    // namespace BACKMAP
