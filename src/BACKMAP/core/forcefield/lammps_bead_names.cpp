// BACKMAP core, forcefield layer: data-file atom comments for fix backmap (lammps_bead_names.h).
#include "lammps_bead_names.h"

#include "file_error.h"
#include "structure_io.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace BACKMAP {

void name_beads_for_fix_backmap(const std::string &data, const Structure &system, const std::vector<long> &carried_sites)
{
  // the beads in the data file: all but the virtual sites that ride on their atom there
  std::vector<std::pair<const Residue *, const Atom *>> beads;
  long index = 0;
  std::size_t next_site = 0;
  for (const Residue &r : system.residues)
    for (const Atom &a : r.atoms) {
      if (next_site < carried_sites.size() && carried_sites[next_site] == index++) {
        ++next_site;
        continue;
      }
      beads.emplace_back(&r, &a);
    }
  std::ifstream in(data);
  std::ostringstream out;
  bool atoms = false;
  std::size_t next = 0;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    const auto first = text.find_first_not_of(" \t");
    if (first != std::string::npos && std::isalpha(static_cast<unsigned char>(text[first])))
      atoms = text.compare(first, 5, "Atoms") == 0;
    else if (atoms && first != std::string::npos) {
      const std::size_t hash = text.find('#');
      std::istringstream fields(text.substr(0, hash));
      long id = 0;
      fields >> id;
      if (hash == std::string::npos || id != static_cast<long>(next) + 1 || next >= beads.size())
        fail_at(data, line, "unexpected atom line from the LAMMPS writer (atom " + std::to_string(next + 1) + " expected)");
      const auto [r, a] = beads[next++];
      std::istringstream comment(text.substr(hash + 1));
      std::string residue, bead;
      if (!(comment >> residue >> bead) || bead != a->name)
        fail_at(data, line, "the writer's atom " + std::to_string(id) + " is not bead " + a->name + " of " + r->label());
      text = text.substr(0, hash) + "# " + (r->chain.empty() ? std::string("-") : r->chain) + " " + std::to_string(r->number) +
             (r->insertion != ' ' ? std::string(1, r->insertion) : std::string()) + " " + r->name + " " + a->name;
    }
    out << text << "\n";
  }
  if (next != beads.size())
    fail_at(data, 0, std::to_string(next) + " atom lines, the system has " + std::to_string(beads.size()) + " beads");
  write_atomically(data, [&](std::ostream &os) { os << out.str(); });
}

}    // namespace BACKMAP
