/* BACKMAP core, forcefield layer: coarse-grained molecules as a GROMACS .itp (see protein_itp.h). */
#include "protein_itp.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace BACKMAP {

namespace {

std::string text_of(const FfAttributes &value)
{
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long>());
  if (value.is_number()) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value.get<double>());
    std::string s = text;
    if (s.find_first_of(".eE") == std::string::npos) s += ".0";
    return s;
  }
  return value.dump();
}

std::string condition_of(const CgTerm &t)
{
  if (t.meta.contains("ifdef") && t.meta["ifdef"].is_string()) return "#ifdef " + t.meta["ifdef"].get<std::string>();
  if (t.meta.contains("ifndef") && t.meta["ifndef"].is_string()) return "#ifndef " + t.meta["ifndef"].get<std::string>();
  return "";
}

std::string group_of(const CgTerm &t)
{
  return t.meta.contains("group") && t.meta["group"].is_string() ? t.meta["group"].get<std::string>() : "";
}

// vermouth's way of writing atoms: bonds ascending, angles and dihedrals turned to read forwards.
std::vector<int> written_atoms(std::vector<int> atoms, const std::string &section)
{
  if (section.rfind("bond", 0) == 0 || section.rfind("pair", 0) == 0) std::sort(atoms.begin(), atoms.end());
  else if (section.rfind("angle", 0) == 0 && atoms.front() > atoms.back()) std::reverse(atoms.begin(), atoms.end());
  else if (section.rfind("dihedral", 0) == 0 && atoms.size() == 4 && atoms[1] > atoms[2]) std::reverse(atoms.begin(), atoms.end());
  return atoms;
}

}    // namespace

std::string molecules_itp_text(const std::vector<CgMolecule> &molecules, const std::vector<std::string> &header)
{
  std::ostringstream out;
  for (const std::string &line : header) out << "; " << line << "\n";
  if (!header.empty()) out << "\n";
  static const std::vector<std::string> section_order = {"bonds", "constraints", "angles", "dihedrals", "impropers",
                                                         "exclusions", "virtual_sitesn"};
  for (const CgMolecule &m : molecules) {
    out << "[ moleculetype ]\n; name nrexcl\n" << m.name << " " << m.nrexcl << "\n\n[ atoms ]\n"
        << "; nr type resnr residue atom cgnr charge mass\n";
    for (std::size_t b = 0; b < m.beads.size(); ++b) {
      const FfAttributes &a = m.beads[b].attributes;
      char line[160];
      std::snprintf(line, sizeof line, "%4zu %-5s %4d %-4s %-4s %4zu %6s", b + 1, text_of(a["atype"]).c_str(),
                    m.beads[b].residue + 1, text_of(a["resname"]).c_str(), text_of(a["atomname"]).c_str(), b + 1,
                    a.contains("charge") ? text_of(a["charge"]).c_str() : "");
      out << line;
      if (a.contains("mass")) out << " " << text_of(a["mass"]);
      const CgResidue &r = m.residues[static_cast<std::size_t>(m.beads[b].residue)];
      out << " ; " << (r.chain.empty() ? "" : r.chain + ":") << r.name << r.number
          << (r.insertion != ' ' ? std::string(1, r.insertion) : std::string())
          << (a.contains("cgsecstruct") ? " " + text_of(a["cgsecstruct"]) : std::string()) << "\n";
    }
    out << "\n";
    std::vector<std::string> sections = section_order;
    for (const auto &[name, terms] : m.terms)
      if (std::find(sections.begin(), sections.end(), name) == sections.end()) sections.push_back(name);
    for (const std::string &name : sections) {
      const auto found = m.terms.find(name);
      if (found == m.terms.end() || found->second.empty()) continue;
      const std::vector<CgTerm> &terms = found->second;
      out << "[ " << (name == "impropers" ? "dihedrals" : name) << " ]\n";
      // groups by condition, then by group name, in order of first appearance (unconditional first)
      std::vector<std::pair<std::string, std::string>> groups;
      for (int pass = 0; pass < 2; ++pass)
        for (const CgTerm &t : terms) {
          const std::pair<std::string, std::string> g{condition_of(t), group_of(t)};
          if ((pass == 0) != g.first.empty()) continue;
          if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
        }
      for (const auto &[condition, group] : groups) {
        if (!condition.empty()) out << condition << "\n";
        if (!group.empty()) out << "; " << group << "\n";
        for (const CgTerm &t : terms) {
          if (condition_of(t) != condition || group_of(t) != group) continue;
          const std::vector<int> atoms = written_atoms(t.atoms, name);
          std::string parameters;
          for (const std::string &p : t.parameters) parameters += " " + p;
          if (name == "virtual_sitesn") {
            out << atoms[0] + 1 << parameters;
            for (std::size_t k = 1; k < atoms.size(); ++k) out << " " << atoms[k] + 1;
          } else {
            for (std::size_t k = 0; k < atoms.size(); ++k) out << (k ? " " : "") << atoms[k] + 1;
            out << parameters;
          }
          if (t.meta.contains("comment") && t.meta["comment"].is_string()) out << " ; " << t.meta["comment"].get<std::string>();
          out << "\n";
        }
        if (!condition.empty()) out << "#endif\n";
      }
      out << "\n";
    }
  }
  return out.str();
}

}    // namespace BACKMAP
