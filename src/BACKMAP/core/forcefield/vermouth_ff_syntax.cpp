/* BACKMAP core, forcefield layer: the pieces of vermouth's .ff syntax (see vermouth_ff_syntax.h). */
#include "vermouth_ff_syntax.h"

#include "file_error.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

namespace BACKMAP {

namespace vermouth_syntax {

[[noreturn]] void Where::fail(const std::string &what) const { fail_at(path, line, what); }

// Atoms per line of the bonded sections with a fixed count; the others (exclusions,
// virtual_sitesn) take every atom up to "--" or the end.
int atoms_per_line(const std::string &section)
{
  static const std::map<std::string, int> counts = {
      {"bonds", 2},         {"angles", 3},          {"dihedrals", 4},           {"impropers", 4},
      {"constraints", 2},   {"pairs", 2},           {"pairs_nb", 2},            {"virtual_sites2", 3},
      {"virtual_sites3", 4}, {"virtual_sites4", 5}, {"position_restraints", 1}, {"distance_restraints", 2},
      {"dihedral_restraints", 4}, {"orientation_restraints", 2}, {"angle_restraints", 4},
      {"angle_restraints_z", 2}, {"cmap", 5}};
  const auto it = counts.find(section);
  return it == counts.end() ? -1 : it->second;
}

bool is_bonded_section(const std::string &section)
{
  return atoms_per_line(section) > 0 || section == "exclusions" || section == "virtual_sitesn";
}

FfAttributes json(const Where &w, const std::string &text)
{
  try {
    return FfAttributes::parse(text);
  } catch (const std::exception &) {
    w.fail("not valid JSON: " + text);
  }
}

FfAttributes attribute_object(const Where &w, const std::string &token)
{
  if (token.empty() || token[0] != '{') w.fail("expected atom attributes in braces, found '" + token + "'");
  FfAttributes a = json(w, token);
  if (!a.is_object()) w.fail("atom attributes must be a JSON object: " + token);
  return a;
}


// A link attribute value: JSON, a choice "A|B" or not(VALUE).
FfAttributes link_value(const Where &w, const std::string &text)
{
  const auto open = text.find('(');
  if (text.find('|') == std::string::npos && open != std::string::npos && open > 0 && text.back() == ')') {
    const std::string function = text.substr(0, open);
    if (function != "not") w.fail("unknown attribute predicate " + function + "(...)");
    return FfAttributes{{"not", json(w, text.substr(open + 1, text.size() - open - 2))}};
  }
  return json(w, text);
}

// vermouth's order prefixes: "+BB" is BB of the next residue (order 1), "--BB" order -2,
// ">SC1" a later residue; an "order" attribute may say the same. Sets order and atomname;
// returns the key with its prefix.
std::string prefixed(const Where &w, const std::string &reference, FfAttributes &attributes)
{
  std::size_t end = 0;
  while (end < reference.size() && std::string("+-><*").find(reference[end]) != std::string::npos) ++end;
  if (end == reference.size()) w.fail("atom key '" + reference + "' has no name after its prefix");
  const std::string prefix = reference.substr(0, end), base = reference.substr(end);
  if (!prefix.empty() && prefix.find_first_not_of(prefix[0]) != std::string::npos)
    w.fail("atom key '" + reference + "' mixes prefix characters");
  FfAttributes order_from_prefix = 0;
  if (!prefix.empty()) {
    if (prefix[0] == '+') order_from_prefix = static_cast<int>(prefix.size());
    else if (prefix[0] == '-') order_from_prefix = -static_cast<int>(prefix.size());
    else order_from_prefix = prefix;
  }
  std::string prefix_from_attribute;
  if (attributes.contains("order")) {
    const FfAttributes &order = attributes["order"];
    if (order.is_number_integer()) {
      const int n = order.get<int>();
      prefix_from_attribute = std::string(static_cast<std::size_t>(std::abs(n)), n > 0 ? '+' : '-');
    } else if (order.is_string() && !order.get<std::string>().empty() &&
               order.get<std::string>().find_first_not_of(order.get<std::string>()[0]) == std::string::npos &&
               std::string("><*").find(order.get<std::string>()[0]) != std::string::npos) {
      prefix_from_attribute = order.get<std::string>();
    } else {
      w.fail("order " + order.dump() + " of atom " + reference + " is not an integer or a series of >, < or *");
    }
    if (!prefix.empty() && order != order_from_prefix)
      w.fail("atom " + reference + ": its prefix and its order attribute " + order.dump() + " disagree");
  } else {
    attributes["order"] = order_from_prefix;
  }
  if (!attributes.contains("atomname")) attributes["atomname"] = base;
  return prefix.empty() ? prefix_from_attribute + base : reference;
}


FfParameter parameter(const Where &w, const std::string &token)
{
  const auto open = token.find('(');
  if (open == std::string::npos || open == 0 || token.back() != ')') return FfParameter{token, "", {}, ""};
  FfParameter p;
  p.effector = token.substr(0, open);
  static const std::set<std::string> known = {"dist", "angle", "dihedral", "dihphase"};
  if (!known.count(p.effector)) w.fail("unknown parameter function " + p.effector + "(...)");
  std::string inside = token.substr(open + 1, token.size() - open - 2);
  if (const auto bar = inside.find('|'); bar != std::string::npos) p.format = inside.substr(bar + 1), inside.resize(bar);
  std::size_t start = 0;
  while (true) {
    const auto comma = inside.find(',', start);
    std::string key = inside.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    key.erase(0, key.find_first_not_of(' '));
    key.erase(key.find_last_not_of(' ') + 1);
    FfAttributes unused = FfAttributes::object();
    p.keys.push_back(prefixed(w, key, unused));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  const std::size_t wanted = p.effector == "dist" ? 2 : p.effector == "angle" ? 3 : 4;
  if (p.keys.size() != wanted)
    w.fail(p.effector + "(...) takes " + std::to_string(wanted) + " atoms, given " + std::to_string(p.keys.size()));
  p.text = token;
  return p;
}

// Atoms with optional {attributes}, up to `count` (-1: up to "--" or the end); consumed from tokens.
std::vector<std::pair<std::string, FfAttributes>> take_atoms(const Where &w, std::vector<std::string> &tokens, int count,
                                                             const std::string &section)
{
  std::vector<std::pair<std::string, FfAttributes>> atoms;
  std::size_t k = 0;
  while (k < tokens.size()) {
    if (tokens[k] == "--") {
      ++k;
      break;
    }
    if (count >= 0 && static_cast<int>(atoms.size()) >= count) break;
    if (tokens[k][0] == '{') w.fail("atom attributes without an atom in [ " + section + " ]");
    FfAttributes attributes = FfAttributes::object();
    std::size_t step = 1;
    if (k + 1 < tokens.size() && tokens[k + 1][0] == '{') attributes = attribute_object(w, tokens[k + 1]), step = 2;
    atoms.emplace_back(tokens[k], attributes);
    k += step;
  }
  tokens.erase(tokens.begin(), tokens.begin() + static_cast<long>(k));
  if (count < 0 && section != "patterns" && atoms.empty()) w.fail("no atoms in a [ " + section + " ] line");
  return atoms;
}

}    // namespace vermouth_syntax

std::vector<std::string> vermouth_tokens(const std::string &line, const std::string &path, int line_number)
{
  std::vector<std::string> tokens;
  std::size_t i = 0;
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < line.size()) {
    while (i < line.size() && space(line[i])) ++i;
    if (i >= line.size()) break;
    std::size_t end = i;
    int braces = 0;
    for (; end < line.size(); ++end) {
      const char c = line[end];
      if (c == '{') {
        if (braces == 0 && end != i) break;    // a brace starts a new token
        ++braces;
      } else if (c == '}') {
        if (--braces == 0) {
          ++end;
          break;
        }
      } else if (space(c) && braces == 0) {
        break;
      }
    }
    if (braces > 0) fail_at(path, line_number, "a '{' is not closed on this line");
    if (braces < 0) fail_at(path, line_number, "a '}' without its '{'");
    tokens.push_back(line.substr(i, end - i));
    i = end;
  }
  return tokens;
}

}    // namespace BACKMAP
