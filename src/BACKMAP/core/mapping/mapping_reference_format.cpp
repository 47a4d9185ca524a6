/* Reader for the reference implementation's mapping files, so that existing mappings work.
   Each atom line reads `NAME[,ALIAS...]: BEAD[,BEAD...] [LABEL[,LABEL...]] [CM] [!] [W[,W...]]`
   where a label `P<level><anchor id><id>` names the atom's place in its bead's hierarchy:
   P1A is level-1 atom A (from the bead), P2AB is level-2 atom B anchored on level-1 atom A,
   P0A is the level-0 atom A (the bead centre, flagged CM) and P1AB, in a bead that has one,
   is level-1 atom B anchored on that level-0 atom. Ids are per bead and per level. */
#include "elements.h"
#include "mapping_builder.h"
#include "mapping_formats.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <tuple>
#include <map>
#include <sstream>

namespace BACKMAP {

namespace {

std::vector<std::string> split(const std::string &s, char sep)
{
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

struct Label {
  int level = 0;
  std::string anchor_id;    // empty: placed from the bead
  std::string id;
};

bool looks_like_label(const std::string &t)
{
  return t.size() >= 3 && t[0] == 'P' && std::isdigit(static_cast<unsigned char>(t[1]));
}

bool looks_like_weights(const std::string &t)
{
  return !t.empty() && (std::isdigit(static_cast<unsigned char>(t[0])) || t[0] == '.');
}

struct AtomLine {
  std::vector<std::string> names;
  std::vector<std::string> beads;    // as listed, repeats count
  std::vector<std::string> labels;   // one per distinct bead, in order
  std::vector<double> weights;
  bool centre_of_bead = false;       // CM
  bool excluded = false;             // !
  int line = 0;
};

AtomLine parse_line(const MappingBuilder &b, const std::string &key, const std::string &value, int line)
{
  AtomLine out;
  out.line = line;
  out.names = split(key, ',');
  std::istringstream in(value);
  std::string token;
  in >> token;
  if (token.empty()) b.fail(line, "atom " + key + " names no bead");
  out.beads = split(token, ',');
  while (in >> token) {
    if (token == "CM") {
      out.centre_of_bead = true;
    } else if (token == "!") {
      out.excluded = true;
    } else if (looks_like_label(token)) {
      out.labels = split(token, ',');
    } else if (looks_like_weights(token)) {
      for (const auto &w : split(token, ',')) {
        try {
          out.weights.push_back(std::stod(w));
        } catch (const std::exception &) {
          b.fail(line, "atom " + key + ": weight '" + w + "' is not a number");
        }
      }
    } else {
      b.fail(line, "atom " + key + ": cannot read '" + token +
                       "' (expected a label like P2AB, CM, ! or weights)");
    }
  }
  return out;
}

Label decode_label(const MappingBuilder &b, const std::string &t, bool bead_has_level0, int line)
{
  Label l;
  std::size_t i = 1;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  l.level = std::stoi(t.substr(1, i - 1));
  const std::string ids = t.substr(i);
  const bool anchored = l.level >= 2 || (l.level == 1 && bead_has_level0);
  if (anchored) {
    if (ids.size() != 2) b.fail(line, "label " + t + " must name an anchor id and an id (e.g. P2AB)");
    l.anchor_id = ids.substr(0, 1);
    l.id = ids.substr(1);
  } else {
    if (ids.size() != 1 && !(l.level == 1 && ids.size() == 2))
      b.fail(line, "label " + t + " must name one id (e.g. P1A)");
    l.id = ids.substr(ids.size() - 1);
  }
  return l;
}

std::vector<std::string> distinct(const std::vector<std::string> &v)
{
  std::vector<std::string> out;
  for (const auto &x : v)
    if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  return out;
}

}    // namespace

MoleculeMapping parse_reference_mapping(const YAML::Node &doc, const std::string &file)
{
  MappingBuilder b(file);
  if (!doc["molecule"]) b.fail(0, "no 'molecule' (the residue name this file maps)");
  MoleculeMapping &m = b.mapping();
  m.name = doc["molecule"].as<std::string>();
  m.source = "reference-format mapping " + file;

  std::vector<AtomLine> lines;
  for (const auto &kv : doc["atoms"]) {
    const YAML::Node value = kv.second;
    if (!value.IsScalar()) b.fail(line_of(kv.first), "atom " + kv.first.as<std::string>() + " must map to a string");
    lines.push_back(parse_line(b, kv.first.as<std::string>(), value.as<std::string>(), line_of(kv.first)));
  }
  for (const auto &l : lines)
    for (const auto &bead : distinct(l.beads))
      if (m.find_bead(bead) < 0) b.add_bead(bead, l.line);

  // A bead with a level-0 atom reads its level-1 labels as anchored on it (P1AB).
  std::map<std::string, bool> has_level0;
  for (const auto &l : lines)
    for (std::size_t k = 0; k < l.labels.size() && k < distinct(l.beads).size(); ++k)
      if (l.labels[k].rfind("P0", 0) == 0) has_level0[distinct(l.beads)[k]] = true;

  // (bead, level, id) -> atom name, to resolve anchors by id.
  std::map<std::tuple<std::string, int, std::string>, std::string> by_id;
  struct Pending {
    std::string atom, bead;
    Label label;
    int line;
  };
  std::vector<Pending> pending;
  for (const auto &l : lines) {
    MappedAtom atom;
    atom.line = l.line;
    atom.name = l.names[0];
    atom.aliases.assign(l.names.begin() + 1, l.names.end());
    atom.element = guess_element(atom.name, m.name);
    if (!is_known_element(atom.element))
      b.fail(l.line, "cannot tell the element of atom " + atom.name + " from its name");
    atom.mass = element_mass(atom.element);
    atom.in_centre = !l.excluded;
    const std::vector<std::string> beads = distinct(l.beads);
    if (!l.weights.empty()) {
      if (l.weights.size() != beads.size())
        b.fail(l.line, "atom " + atom.name + " has " + std::to_string(l.weights.size()) +
                           " weights for " + std::to_string(beads.size()) + " beads");
      for (std::size_t k = 0; k < beads.size(); ++k)
        atom.beads.push_back({b.bead_index(beads[k], l.line), l.weights[k]});
    } else {
      for (const auto &bead : beads) {
        double count = static_cast<double>(std::count(l.beads.begin(), l.beads.end(), bead));
        atom.beads.push_back({b.bead_index(bead, l.line), count / l.beads.size()});
      }
    }
    atom.hydrogens.beads = atom.beads;
    b.add_atom(atom);
    if (!l.labels.empty() && l.labels.size() != beads.size())
      b.fail(l.line, "atom " + atom.name + " has " + std::to_string(l.labels.size()) +
                         " labels for " + std::to_string(beads.size()) + " beads");
    for (std::size_t k = 0; k < l.labels.size(); ++k) {
      Label label = decode_label(b, l.labels[k], has_level0[beads[k]], l.line);
      auto key = std::make_tuple(beads[k], label.level, label.id);
      if (by_id.count(key))
        b.fail(l.line, "label " + l.labels[k] + " of atom " + atom.name + " repeats the id of atom " +
                           by_id[key] + " in bead " + beads[k]);
      by_id[key] = atom.name;
      pending.push_back({atom.name, beads[k], label, l.line});
      if (label.level == 0 || l.centre_of_bead) b.set_bead_centre(beads[k], atom.name, l.line);
    }
  }
  for (const auto &p : pending) {
    std::string anchor;
    if (p.label.level >= 2) {
      auto it = by_id.find(std::make_tuple(p.bead, p.label.level - 1, p.label.anchor_id));
      if (it == by_id.end())
        b.fail(p.line, "atom " + p.atom + ": no level-" + std::to_string(p.label.level - 1) +
                           " atom with id " + p.label.anchor_id + " in bead " + p.bead);
      anchor = it->second;
    }
    b.add_placement(p.atom, p.bead, p.label.level, anchor, p.line);
  }
  const bool peptide = m.find_atom("N") >= 0 && m.find_atom("CA") >= 0 && m.find_atom("C") >= 0 &&
      m.find_atom("O") >= 0;
  m.kind = peptide ? MoleculeKind::AminoAcid : MoleculeKind::Molecule;
  // The format has no notion of optional atoms; the C-terminal oxygen is one.
  if (peptide)
    for (auto &atom : m.atoms)
      if (atom.name == "OXT" || atom.name == "OT2") atom.optional = true;
  return b.finish();
}

}    // namespace BACKMAP
