#include "format_sniffing.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <sstream>
#include <vector>

namespace BACKMAP {

namespace {

// The head's lines without their '\r'. A head cut in the middle of a line keeps that part.
std::vector<std::string> lines_of(const std::string &head, std::size_t at_most)
{
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < head.size() && lines.size() < at_most) {
    std::size_t end = head.find('\n', start);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::string trimmed(const std::string &s)
{
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool blank(const std::string &s) { return trimmed(s).empty(); }

std::vector<std::string> tokens_of(const std::string &s)
{
  std::istringstream in(s);
  std::vector<std::string> t;
  for (std::string w; in >> w;) t.push_back(w);
  return t;
}

bool is_integer(const std::string &s)
{
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i])) && !(i == 0 && (s[i] == '-' || s[i] == '+'))) return false;
  return s.size() > 1 || std::isdigit(static_cast<unsigned char>(s[0]));
}

bool is_number(const std::string &s)
{
  if (s.empty()) return false;
  char *end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

// Coordinates in GRO and LAMMPS boxes are written with a decimal point.
bool is_decimal(const std::string &s) { return is_number(s) && s.find('.') != std::string::npos; }

std::uint32_t big_endian_int(const std::string &head, std::size_t at)
{
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(head[at + k]);
  return v;
}

// The record names of the PDB format (version 3.3), and AutoDock's additions in PDBQT.
const std::set<std::string> &pdb_records()
{
  static const std::set<std::string> names = {
      "HEADER", "OBSLTE", "TITLE",  "SPLIT",  "CAVEAT", "COMPND", "SOURCE", "KEYWDS", "EXPDTA", "NUMMDL",
      "MDLTYP", "AUTHOR", "REVDAT", "SPRSDE", "JRNL",   "REMARK", "DBREF",  "DBREF1", "DBREF2", "SEQADV",
      "SEQRES", "MODRES", "HET",    "HETNAM", "HETSYN", "FORMUL", "HELIX",  "SHEET",  "SSBOND", "LINK",
      "CISPEP", "SITE",   "CRYST1", "ORIGX1", "ORIGX2", "ORIGX3", "SCALE1", "SCALE2", "SCALE3", "MTRIX1",
      "MTRIX2", "MTRIX3", "MODEL",  "ATOM",   "ANISOU", "TER",    "HETATM", "ENDMDL", "CONECT", "MASTER",
      "END"};
  return names;
}
const std::set<std::string> pdbqt_only = {"ROOT", "ENDROOT", "BRANCH", "ENDBRANCH", "TORSDOF"};

// The record name in columns 1-6 (a name shorter than six is followed by spaces or the end).
std::string record_name(const std::string &line) { return trimmed(line.substr(0, 6)); }

// AutoDock's records are words of any length (ENDBRANCH, TORSDOF).
std::string first_word(const std::string &line)
{
  const std::vector<std::string> t = tokens_of(line);
  return t.empty() ? "" : t[0];
}

// The first `count` lines that are not blank all hold records of `known` (or `extra`); at
// least one does.
bool first_lines_are_records(const std::string &head, std::size_t count, const std::set<std::string> &extra)
{
  std::size_t seen = 0;
  for (const std::string &line : lines_of(head, 200)) {
    if (blank(line)) continue;
    const std::string name = record_name(line);
    if (!pdb_records().count(name) && !extra.count(first_word(line))) return false;
    if (++seen == count) break;
  }
  return seen > 0;
}

}    // namespace

bool looks_like_pdb(const std::string &head) { return first_lines_are_records(head, 5, {}); }

bool looks_like_pdbqt(const std::string &head)
{
  if (!first_lines_are_records(head, 5, pdbqt_only)) return false;
  for (const std::string &line : lines_of(head, 100000))
    if (pdbqt_only.count(first_word(line))) return true;
  return false;
}

bool looks_like_mmcif(const std::string &head)
{
  for (const std::string &line : lines_of(head, 1000)) {
    const std::string t = trimmed(line);
    if (t.empty() || t[0] == '#') continue;
    if (t.size() <= 5) return false;
    std::string tag = t.substr(0, 5);
    for (char &c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return tag == "data_";
  }
  return false;
}

bool looks_like_gro(const std::string &head)
{
  // line 1 a title (anything), line 2 the atom count alone, line 3 the first atom: residue
  // number in columns 1-5, names and atom number to column 20, then x y z in nm
  const std::vector<std::string> lines = lines_of(head, 3);
  if (lines.size() < 3) return false;
  const std::string count = trimmed(lines[1]);
  if (!is_integer(count) || count[0] == '-' || count[0] == '+') return false;
  const std::string &atom = lines[2];
  if (count.find_first_not_of('0') == std::string::npos) {    // no atoms: the box line
    const std::size_t n = tokens_of(atom).size();
    if (n != 3 && n != 9) return false;
    for (const std::string &t : tokens_of(atom))
      if (!is_decimal(t)) return false;
    return true;
  }
  if (atom.size() < 20 + 3 * 5 || !is_integer(trimmed(atom.substr(0, 5))) || blank(atom.substr(5, 15))) return false;
  const std::vector<std::string> xyz = tokens_of(atom.substr(20));
  if (xyz.size() < 3) return false;
  for (std::size_t k = 0; k < 3; ++k)
    if (!is_decimal(xyz[k])) return false;
  return true;
}

bool looks_like_lammps_data(const std::string &head)
{
  // the first line is a title LAMMPS skips; the header's lines start with numbers ("N atoms",
  // "M atom types", "lo hi xlo xhi"), up to the first section (a capitalised word: Atoms, Masses)
  const std::vector<std::string> lines = lines_of(head, 200);
  bool atoms = false, types_or_box = false;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::string line = lines[i];
    const std::size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    const std::vector<std::string> t = tokens_of(line);
    if (t.empty()) continue;
    if (std::isupper(static_cast<unsigned char>(t[0][0]))) break;
    if (!is_number(t[0])) return false;
    if (t.size() == 2 && t[1] == "atoms" && is_integer(t[0])) atoms = true;
    if (t.size() == 3 && t[1] == "atom" && t[2] == "types") types_or_box = true;
    if (t.size() == 4 && t[2] == "xlo" && t[3] == "xhi" && is_number(t[1])) types_or_box = true;
  }
  return atoms && types_or_box;
}

bool looks_like_lammps_dump(const std::string &head)
{
  for (const std::string &line : lines_of(head, 1000))
    if (!blank(line)) return trimmed(line) == "ITEM: TIMESTEP";
  return false;
}

bool looks_like_xtc(const std::string &head) { return head.size() >= 4 && big_endian_int(head, 0) == 1995; }

bool looks_like_trr(const std::string &head) { return head.size() >= 4 && big_endian_int(head, 0) == 1993; }

bool looks_like_tpr(const std::string &head)
{
  // GROMACS writes the header string as XDR: two lengths, then "VERSION <gromacs version>"
  return head.size() >= 16 && head.compare(8, 8, "VERSION ") == 0;
}

}    // namespace BACKMAP
