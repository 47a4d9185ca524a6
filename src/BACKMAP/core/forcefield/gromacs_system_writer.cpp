#include "gromacs_system_writer.h"

#include "structure_io.h"

#include <cstdio>
#include <set>
#include <sstream>

namespace BACKMAP {

namespace {

// The contiguous atom range [first, last) of each molecule.
std::vector<std::pair<int, int>> molecule_ranges(const AllAtomTopology &top)
{
  std::vector<std::pair<int, int>> ranges;
  const auto &m = top.molecule_of_atom;
  for (int a = 0; a < static_cast<int>(m.size()); ++a) {
    if (a == 0 || m[a] != m[a - 1]) {
      for (const auto &r : ranges)
        if (m[r.first] == m[a])
          throw BuildError("molecule " + std::to_string(m[a] + 1) + " (chains joined by a bond) is not contiguous in the "
                           "atom order; put the chains it joins next to each other");
      ranges.push_back({a, a + 1});
    } else {
      ranges.back().second = a + 1;
    }
  }
  return ranges;
}

template <std::size_t N>
void write_terms(std::ostream &os, const char *section, const std::vector<std::array<int, N>> &terms, int function,
                 int first, int last, const std::vector<std::string> *parameters = nullptr)
{
  bool header = false;
  for (std::size_t t = 0; t < terms.size(); ++t) {
    if (terms[t][0] < first || terms[t][0] >= last) continue;
    if (!header) {
      os << "\n[ " << section << " ]\n";
      header = true;
    }
    for (int a : terms[t]) os << ' ' << (a - first + 1);
    os << ' ' << function;
    if (parameters && !(*parameters)[t].empty()) os << ' ' << (*parameters)[t];
    os << '\n';
  }
}

}    // namespace

void write_gromacs_system(const AllAtomSystem &system, const AllAtomTopology &top, const std::string &force_field_include,
                          const std::string &top_path, const std::string &gro_path, const std::string &title)
{
  const auto ranges = molecule_ranges(top);
  std::ostringstream os;
  os << "; " << title << "\n; written by BACKMAP from force field " << system.force_field << "\n\n#include \""
     << force_field_include << "\"\n";
  // one molecule type per molecule: atoms numbered from 1 in each
  std::vector<int> residue_of_atom, index_in_residue;
  for (std::size_t r = 0; r < system.residues.size(); ++r)
    for (std::size_t k = 0; k < system.residues[r].atoms.size(); ++k) {
      residue_of_atom.push_back(static_cast<int>(r));
      index_in_residue.push_back(static_cast<int>(k));
    }
  const auto &f = top.functions;
  // a molecule of one residue (a lipid, an ion) is named after its building block and written
  // once, as GROMACS systems are ("POPC 72"); a chain is Protein_chain_X
  std::vector<std::string> names;
  std::set<std::string> written;
  for (std::size_t m = 0; m < ranges.size(); ++m) {
    const auto [first, last] = ranges[m];
    const TypedResidue &head = system.residues[residue_of_atom[first]];
    const bool single = residue_of_atom[first] == residue_of_atom[last - 1];
    std::string name = single && !(head.chain_start && head.chain_end && !head.n_terminus.empty())
                           ? head.block
                           : "Protein_chain_" + (head.chain.empty() ? std::to_string(m + 1) : head.chain);
    // a chain's name again (a second fragment of chain X, split at a gap; even a one-residue
    // fragment, which is a chain with termini) is another molecule type, not the first one's
    const bool chain = name.rfind("Protein_chain_", 0) == 0;
    if (chain && written.count(name)) name += "_" + std::to_string(m + 1);
    names.push_back(name);
    if (!written.insert(name).second) continue;
    os << "\n[ moleculetype ]\n; name nrexcl\n" << name << ' ' << f.exclusions
       << "\n\n[ atoms ]\n; nr type resnr residue atom cgnr charge\n";
    char line[256];
    for (int a = first; a < last; ++a) {
      const TypedResidue &r = system.residues[residue_of_atom[a]];
      const TypedAtom &atom = r.atoms[index_in_residue[a]];
      std::snprintf(line, sizeof line, "%6d %10s %6d %6s %6s %6d %10.5f\n", a - first + 1, atom.type.c_str(), r.number,
                    r.block.c_str(), atom.name.c_str(), a - first + 1, atom.charge);
      os << line;
    }
    write_terms(os, "bonds", top.bonds, f.bond, first, last);
    write_terms(os, "pairs", top.pairs, 1, first, last);
    write_terms(os, "angles", top.angles, f.angle, first, last);
    write_terms(os, "dihedrals", top.dihedrals, f.dihedral, first, last, &top.dihedral_parameters);
    write_terms(os, "dihedrals", top.impropers, f.improper, first, last, &top.improper_parameters);
    write_terms(os, "cmap", top.cmaps, 1, first, last);
  }
  os << "\n[ system ]\n" << title << "\n\n[ molecules ]\n";
  for (std::size_t m = 0; m < names.size();) {
    std::size_t n = 1;
    while (m + n < names.size() && names[m + n] == names[m]) ++n;
    os << names[m] << ' ' << n << "\n";
    m += n;
  }
  Structure s = system.structure();
  s.title = title;
  write_atomically(top_path, [&](std::ostream &out) { out << os.str(); });
  write_gro(s, gro_path);
}

}    // namespace BACKMAP
