/* BACKMAP core, forcefield layer: GoMartini's contact map as text (see go_contact_map.h). */
#include "go_contact_map.h"

#include <cstdio>
#include <sstream>

namespace BACKMAP {

std::string go_contact_map_text(const std::vector<GoResidueContact> &map, const std::vector<const Residue *> &residues,
                                const std::string &source)
{
  std::ostringstream out;
  out << "Go contact map calculated by BACKMAP (backmap map --go) from " << source << "\n\n"
      << "Residue-Residue Contacts\n\n"
      << "ID       - atom identification\n"
      << "I1,I2    - serial residue id\n"
      << "AA       - 3-letter code of aminoacid\n"
      << "C        - chain\n"
      << "I(PDB)   - residue number in PDB file\n"
      << "DCA      - distance between CA\n"
      << "CMs      - OV , CSU , oCSU , rCSU\n"
      << "           (CSU does not take into account chemical properties of atoms)\n"
      << "rCSU     - net contact from rCSU\n"
      << "Count    - number of contacts between residues\n"
      << "MODEL    - model number\n\n"
      << "      ID    I1  AA  C I(PDB)     I2  AA  C I(PDB)        DCA       CMs    rCSU   Count  Model\n"
      << "=============================================================================================\n";
  const auto ca_of = [&](int r, Vec3 &at) {
    const Residue &residue = *residues[static_cast<std::size_t>(r)];
    const int ca = residue.find_atom("CA");
    if (ca >= 0) at = residue.atoms[static_cast<std::size_t>(ca)].position;
    return ca >= 0;
  };
  const auto chain_of = [&](int r) {
    const std::string &chain = residues[static_cast<std::size_t>(r)]->chain;
    return chain.empty() ? std::string("Z") : chain.substr(0, 1);    // the server's chain for none
  };
  int count = 0;
  for (const GoResidueContact &c : map) {
    const Residue &a = *residues[static_cast<std::size_t>(c.a)], &b = *residues[static_cast<std::size_t>(c.b)];
    Vec3 xa, xb;
    const double dca = ca_of(c.a, xa) && ca_of(c.b, xb) ? (xa - xb).norm() : 0.0;
    char line[200];
    std::snprintf(line, sizeof line, "R %6d %5d  %-3s %s %4d    %5d  %-3s %s %4d    %9.4f     %d %d %d %d% 6d  % 6d     0\n",
                  ++count, c.a + 1, a.name.substr(0, 3).c_str(), chain_of(c.a).c_str(), a.number, c.b + 1,
                  b.name.substr(0, 3).c_str(), chain_of(c.b).c_str(), b.number, dca, c.overlap ? 1 : 0, c.surface ? 1 : 0,
                  c.stabilising ? 1 : 0, c.rcsu() ? 1 : 0, c.rcsu() ? 1 : 0, c.surface);
    out << line;
  }
  return out.str();
}

}    // namespace BACKMAP
