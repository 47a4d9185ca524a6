/* Reader for BACKMAP's own mapping format; doc/mapping_format.md is its specification. */
#include "elements.h"
#include "mapping_builder.h"
#include "mapping_formats.h"

#include <yaml-cpp/yaml.h>

#include <set>

namespace BACKMAP {

namespace {

void reject_unknown_keys(const MappingBuilder &b, const YAML::Node &node,
                         const std::set<std::string> &allowed, const std::string &context)
{
  for (const auto &kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (!allowed.count(key)) {
      std::string list;
      for (const auto &k : allowed) list += " " + k;
      b.fail(line_of(kv.first), "unknown key '" + key + "' in " + context + " (allowed:" + list + ")");
    }
  }
}

std::vector<std::string> string_list(const MappingBuilder &b, const YAML::Node &node,
                                     const std::string &what)
{
  std::vector<std::string> out;
  if (!node) return out;
  if (node.IsScalar()) {
    out.push_back(node.as<std::string>());
  } else if (node.IsSequence()) {
    for (const auto &item : node) {
      if (!item.IsScalar()) b.fail(line_of(item), what + " must be a list of names");
      out.push_back(item.as<std::string>());
    }
  } else {
    b.fail(line_of(node), what + " must be a name or a list of names");
  }
  return out;
}

bool read_bool(const MappingBuilder &b, const YAML::Node &node, bool fallback, const std::string &what)
{
  if (!node) return fallback;
  try {
    return node.as<bool>();
  } catch (const YAML::Exception &) {
    b.fail(line_of(node), what + " must be true or false");
  }
}

// `beads: [SC1, SC2, SC2]` counts as martinize2 does (1/3, 2/3); `weights:` states them instead.
std::vector<BeadShare> read_shares(MappingBuilder &b, const YAML::Node &beads, const YAML::Node &weights,
                                   const std::string &atom)
{
  std::vector<std::string> names = string_list(b, beads, "beads of atom " + atom);
  std::vector<BeadShare> shares;
  if (weights) {
    if (!weights.IsSequence() || weights.size() != names.size())
      b.fail(line_of(weights), "weights of atom " + atom + " must be a list as long as its beads");
    for (std::size_t i = 0; i < names.size(); ++i) {
      int bead = b.bead_index(names[i], line_of(beads));
      double w = 0;
      try {
        w = weights[i].as<double>();
      } catch (const YAML::Exception &) {
        b.fail(line_of(weights[i]), "weight of atom " + atom + " is not a number");
      }
      for (auto &s : shares)
        if (s.bead == bead) b.fail(line_of(beads), "atom " + atom + " lists bead " + names[i] +
                                                        " twice although it has explicit weights");
      shares.push_back({bead, w});
    }
    return shares;
  }
  for (const auto &n : names) {
    int bead = b.bead_index(n, line_of(beads));
    bool found = false;
    for (auto &s : shares)
      if (s.bead == bead) {
        s.weight += 1.0;
        found = true;
      }
    if (!found) shares.push_back({bead, 1.0});
  }
  for (auto &s : shares) s.weight /= static_cast<double>(names.size());
  return shares;
}

// `level`/`anchor` are scalars for a one-bead atom and maps keyed by bead otherwise.
std::string per_bead_value(MappingBuilder &b, const YAML::Node &node, const std::string &bead,
                           bool single_bead, const std::string &what)
{
  if (!node) return "";
  if (node.IsScalar()) {
    if (!single_bead)
      b.fail(line_of(node), what + " belongs to several beads: give a map {BEAD: value}");
    return node.as<std::string>();
  }
  if (!node.IsMap()) b.fail(line_of(node), what + " must be a value or a map {BEAD: value}");
  for (const auto &kv : node) b.bead_index(kv.first.as<std::string>(), line_of(kv.first));
  const YAML::Node v = node[bead];
  return v ? v.as<std::string>() : "";
}

void read_atom(MappingBuilder &b, const YAML::Node &node)
{
  const int line = line_of(node);
  if (!node.IsMap()) b.fail(line, "each entry of 'atoms' must be a map {name: ..., beads: ...}");
  reject_unknown_keys(b, node,
                      {"name", "element", "mass", "aliases", "beads", "weights", "centre",
                       "optional", "hydrogens", "level", "anchor"},
                      "an atom");
  if (!node["name"]) b.fail(line, "an atom has no 'name'");
  MappedAtom atom;
  atom.line = line;
  atom.name = node["name"].as<std::string>();
  atom.aliases = string_list(b, node["aliases"], "aliases of atom " + atom.name);
  atom.element = node["element"] ? node["element"].as<std::string>() : guess_element(atom.name, "");
  try {
    atom.mass = node["mass"] ? node["mass"].as<double>() : element_mass(atom.element);
  } catch (const std::exception &e) {
    b.fail(line, "atom " + atom.name + ": " + e.what() + "; give 'element' or 'mass'");
  }
  if (!node["beads"]) b.fail(line, "atom " + atom.name + " is not assigned to any bead ('beads' missing)");
  atom.beads = read_shares(b, node["beads"], node["weights"], atom.name);
  atom.in_centre = read_bool(b, node["centre"], true, "'centre' of atom " + atom.name);
  atom.optional = read_bool(b, node["optional"], false, "'optional' of atom " + atom.name);
  atom.hydrogens.beads = atom.beads;
  if (const YAML::Node h = node["hydrogens"]) {
    if (!h.IsMap()) b.fail(line_of(h), "'hydrogens' of atom " + atom.name + " must be a map");
    reject_unknown_keys(b, h, {"beads", "weights", "centre"}, "'hydrogens' of atom " + atom.name);
    if (h["beads"]) atom.hydrogens.beads = read_shares(b, h["beads"], h["weights"], atom.name + " hydrogens");
    atom.hydrogens.in_centre = read_bool(b, h["centre"], true, "'centre' of hydrogens of " + atom.name);
  }
  const std::string name = atom.name;
  const std::vector<BeadShare> shares = atom.beads;
  const bool has_hierarchy = node["level"] || node["anchor"];
  b.add_atom(std::move(atom));
  if (!has_hierarchy) return;
  for (const auto &s : shares) {
    const std::string bead = b.mapping().beads[s.bead].name;
    const std::string level = per_bead_value(b, node["level"], bead, shares.size() == 1, "level of " + name);
    const std::string anchor = per_bead_value(b, node["anchor"], bead, shares.size() == 1, "anchor of " + name);
    int lvl = -1;
    if (!level.empty()) {
      try {
        lvl = std::stoi(level);
      } catch (const std::exception &) {
        b.fail(line, "level of atom " + name + " is not an integer: '" + level + "'");
      }
      if (lvl < 0) b.fail(line, "level of atom " + name + " is negative");
    }
    if (level.empty() && anchor.empty()) continue;    // finalise_mapping reports the gap
    b.add_placement(name, bead, lvl, anchor, line);
  }
}

void read_beads(MappingBuilder &b, const YAML::Node &beads)
{
  if (!beads || !beads.IsSequence() || beads.size() == 0)
    b.fail(beads ? line_of(beads) : 0, "'beads' must be a non-empty list");
  for (const auto &item : beads) {
    if (item.IsScalar()) {
      b.add_bead(item.as<std::string>(), line_of(item));
    } else if (item.IsMap() && item["name"]) {
      reject_unknown_keys(b, item, {"name", "centre"}, "a bead");
      const std::string name = item["name"].as<std::string>();
      b.add_bead(name, line_of(item));
      if (item["centre"]) b.set_bead_centre(name, item["centre"].as<std::string>(), line_of(item));
    } else {
      b.fail(line_of(item), "a bead is a name or a map {name: ..., centre: ATOM}");
    }
  }
}

}    // namespace

MoleculeMapping parse_backmap_mapping(const YAML::Node &doc, const std::string &file)
{
  MappingBuilder b(file);
  reject_unknown_keys(b, doc,
                      {"molecule", "aliases", "kind", "weighting", "source", "beads", "atoms",
                       "bonds", "format"},
                      "the mapping");
  if (!doc["molecule"]) b.fail(0, "no 'molecule' (the residue name this file maps)");
  MoleculeMapping &m = b.mapping();
  m.name = doc["molecule"].as<std::string>();
  m.aliases = string_list(b, doc["aliases"], "molecule aliases");
  if (const YAML::Node kind = doc["kind"]) {
    const std::string k = kind.as<std::string>();
    if (k == "amino_acid") m.kind = MoleculeKind::AminoAcid;
    else if (k == "molecule") m.kind = MoleculeKind::Molecule;
    else b.fail(line_of(kind), "kind must be amino_acid or molecule, not '" + k + "'");
  }
  if (const YAML::Node w = doc["weighting"]) {
    const std::string k = w.as<std::string>();
    if (k == "mass") m.weighting = CentreWeighting::Mass;
    else if (k == "equal") m.weighting = CentreWeighting::Equal;
    else b.fail(line_of(w), "weighting must be mass or equal, not '" + k + "'");
  }
  if (doc["source"]) m.source = doc["source"].as<std::string>();
  read_beads(b, doc["beads"]);
  for (const auto &atom : doc["atoms"]) read_atom(b, atom);
  if (const YAML::Node bonds = doc["bonds"]) {
    if (!bonds.IsSequence()) b.fail(line_of(bonds), "'bonds' must be a list of [ATOM, ATOM] pairs");
    for (const auto &bond : bonds) {
      if (!bond.IsSequence() || bond.size() != 2) b.fail(line_of(bond), "a bond is a pair [ATOM, ATOM]");
      b.add_bond(bond[0].as<std::string>(), bond[1].as<std::string>(), line_of(bond));
    }
  }
  return b.finish();
}

}    // namespace BACKMAP
