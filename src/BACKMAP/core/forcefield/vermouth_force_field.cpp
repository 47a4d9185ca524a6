/* BACKMAP core, forcefield layer: the reader of vermouth's .ff files (see vermouth_force_field.h).
   It follows vermouth's own reading rules (tokens, order prefixes, meta data that carries over to
   later lines, function-2 dihedrals as impropers, edges from bonded terms), so that the links
   then match what martinize2 matches. */
#include "vermouth_force_field.h"

#include "file_error.h"
#include "vermouth_ff_syntax.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace BACKMAP {

namespace {

using namespace vermouth_syntax;

// The bonded sections whose consecutive atoms are bonded (vermouth's edges).
const char *edge_sections[] = {"bonds", "angles", "dihedrals", "cmap", "constraints"};

void add_edges_from_interactions(const FfInteractions &interactions,
                                 std::vector<std::pair<std::string, std::string>> &edges)
{
  for (const char *section : edge_sections) {
    const auto found = interactions.find(section);
    if (found == interactions.end()) continue;
    for (const FfInteraction &i : found->second) {
      if (i.meta.contains("edge") && i.meta["edge"] == false) continue;
      for (std::size_t k = 0; k + 1 < i.atoms.size(); ++k) edges.emplace_back(i.atoms[k], i.atoms[k + 1]);
    }
  }
}

bool has_edge(const std::vector<std::pair<std::string, std::string>> &edges, const std::string &a, const std::string &b)
{
  for (const auto &[x, y] : edges)
    if ((x == a && y == b) || (x == b && y == a)) return true;
  return false;
}

// One file's reader: the current section, the block, link or modification being read, and
// the meta data that carries over to later lines.
class FfReader {
 public:
  FfReader(VermouthForceField &ff, std::string path) : ff_(ff), path_(std::move(path)) {}

  void read()
  {
    std::ifstream in(path_);
    if (!in) fail_at(path_, 0, "cannot open this force-field file");
    std::string text;
    while (std::getline(in, text)) {
      ++line_;
      text = text.substr(0, text.find(';'));
      const auto first = text.find_first_not_of(" \t\r"), last = text.find_last_not_of(" \t\r");
      if (first == std::string::npos) continue;
      text = text.substr(first, last - first + 1);
      if (text[0] == '[') {
        if (text.back() != ']') fail("a section header must end with ']'");
        header(text);
      } else {
        data(substitute_macros(text));
      }
    }
    finish();
  }

 private:
  enum class Context { None, Block, Link, Modification };

  VermouthForceField &ff_;
  std::string path_;
  int line_ = 0;
  std::map<std::string, std::string> macros_;
  std::string top_, section_;    // top-level section and the one inside it ("" for its own lines)
  Context context_ = Context::None;
  FfBlock block_;
  FfLink link_;
  FfModification modification_;
  FfAttributes apply_to_nodes_ = FfAttributes::object();
  std::map<std::string, FfAttributes> apply_to_interactions_;

  [[noreturn]] void fail(const std::string &what) const { fail_at(path_, line_, what); }
  Where where() const { return Where{path_, line_}; }

  std::string substitute_macros(std::string text) const
  {
    for (std::size_t start = text.find('$'); start != std::string::npos; start = text.find('$', start)) {
      std::size_t end = start + 1;
      while (end < text.size() && std::string(" \t\n{}$\"").find(text[end]) == std::string::npos) ++end;
      const std::string name = text.substr(start + 1, end - start - 1);
      const auto found = macros_.find(name);
      if (found == macros_.end()) fail("macro $" + name + " is not defined in this file's [ macros ]");
      text.replace(start, end - start, found->second);
      start += found->second.size();
    }
    return text;
  }

  void header(const std::string &text)
  {
    std::string name;
    for (char c : text)
      if (c != '[' && c != ']' && !std::isspace(static_cast<unsigned char>(c))) name += static_cast<char>(std::tolower(c));
    static const std::set<std::string> top_level = {"moleculetype", "link", "modification", "macros", "variables", "citations"};
    if (top_level.count(name)) {
      finish();
      top_ = name;
      section_.clear();
      apply_to_nodes_ = FfAttributes::object();
      apply_to_interactions_.clear();
      if (name == "moleculetype") context_ = Context::Block, block_ = FfBlock{}, block_.path = path_, block_.line = line_;
      if (name == "link") context_ = Context::Link, link_ = FfLink{}, link_.path = path_, link_.line = line_;
      if (name == "modification")
        context_ = Context::Modification, modification_ = FfModification{}, modification_.path = path_,
        modification_.line = line_;
      return;
    }
    if (context_ == Context::None) fail("section [ " + name + " ] outside any [ moleculetype ], [ link ] or [ modification ]");
    section_ = name;
  }

  void finish()
  {
    if (context_ == Context::Block) {
      add_edges_from_interactions(block_.interactions, block_.edges);
      ff_.blocks[block_.name] = block_;
    } else if (context_ == Context::Link) {
      add_edges_from_interactions(link_.interactions, link_.edges);
      ff_.links.push_back(link_);
    } else if (context_ == Context::Modification) {
      ff_.modifications[modification_.name] = modification_;
    }
    context_ = Context::None;
  }

  void data(const std::string &text)
  {
    std::vector<std::string> tokens = vermouth_tokens(text, path_, line_);
    if (tokens.empty()) return;
    if (top_ == "macros") {
      if (tokens.size() != 2) fail("a macro line is NAME VALUE");
      macros_[tokens[0]] = tokens[1];
    } else if (top_ == "variables") {
      if (tokens.size() != 2) fail("a variable line is NAME VALUE");
      try {
        ff_.variables[tokens[0]] = FfAttributes::parse(tokens[1]);
      } catch (const std::exception &) {
        ff_.variables[tokens[0]] = tokens[1];
      }
    } else if (top_ == "citations" || section_ == "citation" || section_ == "info" || section_ == "debug" ||
               section_ == "warning" || section_ == "error") {
      // credits and messages: nothing the topology depends on
    } else if (context_ == Context::Block) {
      block_line(tokens);
    } else if (context_ == Context::Link) {
      link_line(tokens);
    } else if (context_ == Context::Modification) {
      modification_line(tokens);
    } else {
      fail("a line outside any section");
    }
  }

  // ---- blocks

  void block_line(std::vector<std::string> &tokens)
  {
    if (section_.empty()) {
      if (tokens.size() != 2) fail("a [ moleculetype ] line is NAME NREXCL");
      block_.name = tokens[0];
      block_.nrexcl = integer(tokens[1], "nrexcl");
    } else if (section_ == "atoms") {
      block_atom(tokens);
    } else if (section_ == "meta") {
      // residue meta data (category protein): not used for topologies
    } else if (section_ == "edges") {
      const auto atoms = take_atoms(where(), tokens, 2, "edges");
      block_.edges.emplace_back(block_reference(atoms[0].first), block_reference(atoms[1].first));
    } else if (is_bonded_section(section_)) {
      if (tokens[0] == "#meta") return meta_line(tokens);
      FfInteraction i = interaction(tokens, section_, false);
      for (std::string &a : i.atoms) a = block_reference(a);
      add_interaction(block_.interactions, section_, std::move(i));
    } else if (section_ == "patterns" || section_ == "features" || section_ == "non-edges" || section_ == "molmeta") {
      fail("[ " + section_ + " ] is only valid in a [ link ]");
    } else {
      fail("unknown section [ " + section_ + " ] in [ moleculetype ] " + block_.name);
    }
  }

  void block_atom(std::vector<std::string> &tokens)
  {
    FfAttributes given = FfAttributes::object();
    if (!tokens.empty() && tokens.back()[0] == '{') given = attribute_object(where(), tokens.back()), tokens.pop_back();
    if (tokens.size() < 6 || tokens.size() > 8) fail("an [ atoms ] line is ID TYPE RESID RESNAME NAME CGNR [CHARGE [MASS]]");
    const std::string &name = tokens[4];
    if (block_.find(name)) fail("atom " + name + " is defined twice in block " + block_.name);
    FfAttributes a = {{"atomname", name},
                      {"atype", tokens[1]},
                      {"resname", tokens[3]},
                      {"resid", integer(tokens[2], "resid")},
                      {"charge_group", integer(tokens[5], "charge group")}};
    if (tokens.size() > 6) a["charge"] = number(tokens[6], "charge");
    if (tokens.size() > 7) a["mass"] = number(tokens[7], "mass");
    a.update(given);
    block_.atoms.push_back({name, a});
  }

  std::string block_reference(const std::string &reference) const
  {
    if (!reference.empty() && std::all_of(reference.begin(), reference.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      const std::size_t index = std::stoul(reference);
      if (index < 1 || index > block_.atoms.size())
        fail("block " + block_.name + " has " + std::to_string(block_.atoms.size()) + " atoms: no atom " + reference);
      return block_.atoms[index - 1].key;
    }
    if (std::string("+-<>").find(reference[0]) != std::string::npos)
      fail("atom names in a block cannot carry an order prefix: " + reference);
    if (!block_.find(reference)) fail("block " + block_.name + " has no atom " + reference);
    return reference;
  }

  // ---- links and modifications

  void link_line(std::vector<std::string> &tokens)
  {
    if (section_.empty() || section_ == "molmeta") {
      if (tokens.size() != 2) fail("a link attribute line is KEY VALUE");
      const FfAttributes value = link_value(where(), tokens[1]);
      if (section_.empty())
        apply_to_nodes_[tokens[0]] = value;
      else
        link_.molecule_meta[tokens[0]] = value;
    } else if (section_ == "atoms") {
      link_atom(tokens, link_.nodes, FfAttributes::object());
    } else if (section_ == "edges" || section_ == "non-edges") {
      auto atoms = take_atoms(where(), tokens, 2, section_);
      FfAttributes first = atoms[0].second, second = atoms[1].second;
      const std::string a = prefixed(where(), atoms[0].first, first), b = prefixed(where(), atoms[1].first, second);
      if (section_ == "non-edges") {
        FfAttributes full = apply_to_nodes_;
        full.update(second);
        link_.non_edges.emplace_back(a, full);
      } else {
        ensure_node(link_.nodes, a);
        ensure_node(link_.nodes, b);
        if (!has_edge(link_.edges, a, b)) link_.edges.emplace_back(a, b);
      }
    } else if (section_ == "patterns") {
      auto atoms = take_atoms(where(), tokens, -1, "patterns");
      link_.patterns.push_back(std::move(atoms));
    } else if (section_ == "features") {
      for (const std::string &t : tokens) link_.features.insert(t);
    } else if (is_bonded_section(section_) || (section_[0] == '!' && is_bonded_section(section_.substr(1)))) {
      const bool removal = section_[0] == '!';
      const std::string section = removal ? section_.substr(1) : section_;
      if (tokens[0] == "#meta") return meta_line(tokens);
      FfInteraction i = interaction(tokens, section, true);
      for (std::size_t k = 0; k < i.atoms.size(); ++k) i.atoms[k] = link_node(link_.nodes, i.atoms[k], i.atom_attributes[k]);
      if (removal)
        link_.removed[section].push_back(std::move(i));
      else
        add_interaction(link_.interactions, section, std::move(i));
    } else {
      fail("unknown section [ " + section_ + " ] in a [ link ]");
    }
  }

  void modification_line(std::vector<std::string> &tokens)
  {
    if (section_.empty()) {
      modification_.name = tokens[0];
    } else if (section_ == "atoms") {
      link_atom(tokens, modification_.atoms, FfAttributes{{"PTM_atom", false}});
    } else if (section_ == "edges") {
      auto atoms = take_atoms(where(), tokens, 2, "edges");
      const std::string a = prefixed(where(), atoms[0].first, atoms[0].second), b = prefixed(where(), atoms[1].first, atoms[1].second);
      for (const std::string &key : {a, b})
        if (std::none_of(modification_.atoms.begin(), modification_.atoms.end(), [&](const FfNode &n) { return n.key == key; }))
          fail("modification " + modification_.name + " has no atom " + key + " for an edge");
      modification_.edges.emplace_back(a, b);
    } else if (is_bonded_section(section_)) {
      if (tokens[0] == "#meta") return meta_line(tokens);
      FfInteraction i = interaction(tokens, section_, true);
      for (std::size_t k = 0; k < i.atoms.size(); ++k)
        i.atoms[k] = link_node(modification_.atoms, i.atoms[k], i.atom_attributes[k]);
      add_interaction(modification_.interactions, section_, std::move(i));
    } else {
      fail("unknown section [ " + section_ + " ] in [ modification ] " + modification_.name);
    }
  }

  void ensure_node(std::vector<FfNode> &nodes, const std::string &key) const
  {
    if (std::none_of(nodes.begin(), nodes.end(), [&](const FfNode &n) { return n.key == key; })) nodes.push_back({key, FfAttributes::object()});
  }

  // A node named by a bonded line: the link-wide attributes, then the line's own.
  std::string link_node(std::vector<FfNode> &nodes, const std::string &reference, const FfAttributes &given) const
  {
    FfAttributes attributes = apply_to_nodes_;
    attributes.update(given);
    const std::string key = prefixed(where(), reference, attributes);
    for (FfNode &n : nodes)
      if (n.key == key) {
        for (const auto &[name, value] : attributes.items())
          if (n.attributes.contains(name) && n.attributes[name] != value)
            fail("attribute " + name + " of atom " + reference + " is " + value.dump() + " here but " +
                 n.attributes[name].dump() + " before");
        n.attributes.update(attributes);
        return key;
      }
    nodes.push_back({key, attributes});
    return key;
  }

  // An [ atoms ] line of a link or modification: KEY {attributes}; the link-wide attributes fill in.
  void link_atom(std::vector<std::string> &tokens, std::vector<FfNode> &nodes, const FfAttributes &defaults) const
  {
    if (tokens.size() != 2) fail("an [ atoms ] line of a link or modification is KEY {ATTRIBUTES}");
    FfAttributes attributes = attribute_object(where(), tokens[1]);
    const std::string key = prefixed(where(), tokens[0], attributes);
    for (const auto &[name, value] : apply_to_nodes_.items())
      if (!attributes.contains(name)) attributes[name] = value;
    FfAttributes full = defaults;
    FfNode *existing = nullptr;
    for (FfNode &n : nodes)
      if (n.key == key) existing = &n;
    if (existing) {
      for (const auto &[name, value] : attributes.items())
        if (existing->attributes.contains(name) && existing->attributes[name] != value)
          fail("attribute " + name + " of atom " + tokens[0] + " conflicts with its earlier definition");
      full.update(existing->attributes);
    }
    full.update(attributes);
    if (existing)
      existing->attributes = full;
    else
      nodes.push_back({key, full});
  }

  // ---- bonded lines

  void meta_line(const std::vector<std::string> &tokens)
  {
    if (tokens.size() != 2) fail("a #meta line is #meta {JSON}");
    const std::string section = section_[0] == '!' ? section_.substr(1) : section_;
    FfAttributes &meta = apply_to_interactions_[section];
    if (meta.is_null()) meta = FfAttributes::object();
    meta.update(attribute_object(where(), tokens[1]));
  }

  // ATOM [{attributes}] ... [--] PARAMETERS [{meta}]; atoms unresolved (names or link references).
  FfInteraction interaction(std::vector<std::string> &tokens, const std::string &section, bool link) const
  {
    if (std::count(tokens.begin(), tokens.end(), "--") > 1) fail("at most one '--' between atoms and parameters");
    const int count = atoms_per_line(section);
    auto atoms = take_atoms(where(), tokens, count, section);
    if (count > 0 && static_cast<int>(atoms.size()) != count)
      fail("[ " + section + " ] takes " + std::to_string(count) + " atoms, this line names " + std::to_string(atoms.size()));
    FfInteraction i;
    i.path = path_;
    i.line = line_;
    for (auto &[reference, attributes] : atoms) {
      if (!link && !attributes.empty()) fail("atom attributes in a block's bonded line");
      i.atoms.push_back(reference);
      i.atom_attributes.push_back(attributes);
    }
    FfAttributes meta = FfAttributes::object();
    if (!tokens.empty() && tokens.back()[0] == '{') meta = attribute_object(where(), tokens.back()), tokens.pop_back();
    for (const std::string &t : tokens) i.parameters.push_back(parameter(where(), t));
    const auto carried = apply_to_interactions_.find(section);
    if (carried != apply_to_interactions_.end() && carried->second.is_object())
      for (const auto &[name, value] : carried->second.items())
        if (!meta.contains(name)) meta[name] = value;
    i.meta = meta;
    return i;
  }

  void add_interaction(FfInteractions &interactions, const std::string &section, FfInteraction i) const
  {
    // vermouth keeps function-2 dihedrals apart: they make no edges
    if (section == "dihedrals" && !i.parameters.empty() && i.parameters[0].text == "2")
      interactions["impropers"].push_back(std::move(i));
    else
      interactions[section].push_back(std::move(i));
  }

  int integer(const std::string &token, const std::string &what) const
  {
    try {
      std::size_t used = 0;
      const int value = std::stoi(token, &used);
      if (used == token.size()) return value;
    } catch (const std::exception &) {
    }
    fail(what + " is not an integer: '" + token + "'");
  }

  double number(const std::string &token, const std::string &what) const
  {
    try {
      std::size_t used = 0;
      const double value = std::stod(token, &used);
      if (used == token.size()) return value;
    } catch (const std::exception &) {
    }
    fail(what + " is not a number: '" + token + "'");
  }
};

}    // namespace

const FfNode *FfBlock::find(const std::string &atom) const
{
  for (const FfNode &n : atoms)
    if (n.key == atom) return &n;
  return nullptr;
}

const FfNode *FfLink::find(const std::string &key) const
{
  for (const FfNode &n : nodes)
    if (n.key == key) return &n;
  return nullptr;
}

const FfBlock *VermouthForceField::block(const std::string &residue) const
{
  const auto found = blocks.find(residue);
  return found == blocks.end() ? nullptr : &found->second;
}

FfAttributes VermouthForceField::variable(const std::string &name, const FfAttributes &fallback) const
{
  return variables.contains(name) ? variables[name] : fallback;
}

VermouthForceField read_vermouth_force_field(const std::vector<std::string> &paths)
{
  VermouthForceField ff;
  for (const std::string &path : paths) {
    FfReader(ff, path).read();
    ff.files.push_back(path);
  }
  return ff;
}

VermouthForceField read_vermouth_force_field_folder(const std::string &folder)
{
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) fail_at(folder, 0, "not a folder of vermouth .ff files");
  std::vector<std::string> files;
  for (const auto &entry : fs::directory_iterator(folder))
    if (entry.path().extension() == ".ff") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  if (files.empty()) fail_at(folder, 0, "no .ff files in this folder");
  return read_vermouth_force_field(files);
}

}    // namespace BACKMAP
