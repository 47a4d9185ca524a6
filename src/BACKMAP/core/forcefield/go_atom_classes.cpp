/* BACKMAP core, forcefield layer: GoMartini's atom radii, classes and contact kinds (see go_atom_classes.h). */
#include "go_atom_classes.h"

#include <map>
#include <sstream>
#include <utility>

namespace BACKMAP {

namespace {

using AtomTable = std::map<std::string, GoAtomFacts>;

// Each amino acid's heavy atoms as "NAME RADIUS CLASS" triples. The backbone is the same in all
// but Gly (its CA is neutral) and Pro (N neutral, CA hydrophobic).
const std::pair<const char *, const char *> side_chains[] = {
    {"ALA", "CB 1.88 4"},
    {"ARG", "CB 1.88 4 CG 1.88 4 CD 1.88 7 NE 1.64 3 CZ 1.61 6 NH1 1.64 3 NH2 1.64 3"},
    {"ASN", "CB 1.88 4 CG 1.61 6 OD1 1.42 2 ND2 1.64 3"},
    {"ASP", "CB 1.88 4 CG 1.61 6 OD1 1.46 2 OD2 1.42 2"},
    {"CYS", "CB 1.88 4 SG 1.77 6"},
    {"GLN", "CB 1.88 4 CG 1.88 4 CD 1.61 6 OE1 1.42 2 NE2 1.64 3"},
    {"GLU", "CB 1.88 4 CG 1.88 4 CD 1.61 6 OE1 1.46 2 OE2 1.42 2"},
    {"GLY", "CA 1.88 6"},
    {"HIS", "CB 1.88 4 CG 1.61 5 ND1 1.64 1 CD2 1.76 5 CE1 1.76 5 NE2 1.64 1"},
    {"ILE", "CB 1.88 4 CG1 1.88 4 CG2 1.88 4 CD 1.88 4"},
    {"LEU", "CB 1.88 4 CG 1.88 4 CD1 1.88 4 CD2 1.88 4"},
    {"LYS", "CB 1.88 4 CG 1.88 4 CD 1.88 4 CE 1.88 7 NZ 1.64 3"},
    {"MET", "CB 1.88 4 CG 1.88 4 SD 1.77 8 CE 1.88 4"},
    {"PHE", "CB 1.88 4 CG 1.88 5 CD1 1.61 5 CD2 1.76 5 CE1 1.76 5 CE2 1.76 5 CZ 1.76 5"},
    {"PRO", "N 1.64 6 CA 1.88 4 CB 1.88 4 CG 1.88 4 CD 1.88 4"},
    {"SER", "CB 1.88 6 OG 1.46 1"},
    {"THR", "CB 1.88 6 OG1 1.46 1 CG2 1.88 4"},
    {"TRP", "CB 1.88 4 CG 1.61 5 CD1 1.76 5 CD2 1.61 5 NE1 1.64 3 CE2 1.61 5 CE3 1.76 5 CZ2 1.76 5 CZ3 1.76 5 CH2 1.76 5"},
    {"TYR", "CB 1.88 4 CG 1.61 5 CD1 1.76 5 CD2 1.76 5 CE1 1.76 5 CE2 1.76 5 CZ 1.61 5 OH 1.46 1"},
    {"VAL", "CB 1.88 4 CG1 1.88 4 CG2 1.88 4"},
};
const char *backbone = "N 1.64 3 CA 1.88 7 C 1.61 6 O 1.42 2 OXT 1.42 2";

void read_triples(const char *text, AtomTable &table)
{
  std::istringstream in(text);
  std::string name;
  GoAtomFacts facts;
  while (in >> name >> facts.radius >> facts.atom_class) table[name] = facts;
}

const std::map<std::string, AtomTable> &tables()
{
  static const std::map<std::string, AtomTable> all = [] {
    std::map<std::string, AtomTable> t;
    for (const auto &[residue, atoms] : side_chains) {
      AtomTable &table = t[residue];
      read_triples(backbone, table);
      read_triples(atoms, table);    // after the backbone: Gly's and Pro's own backbone atoms win
    }
    return t;
  }();
  return all;
}

const std::map<std::string, std::string> residue_variants = {
    {"HID", "HIS"}, {"HIE", "HIS"}, {"HIP", "HIS"}, {"HSD", "HIS"}, {"HSE", "HIS"}, {"HSP", "HIS"},
    {"HISD", "HIS"}, {"HISE", "HIS"}, {"HISH", "HIS"}, {"HIS1", "HIS"}, {"CYX", "CYS"}, {"CYM", "CYS"},
    {"CYS2", "CYS"}, {"ASH", "ASP"}, {"ASPP", "ASP"}, {"GLH", "GLU"}, {"GLUP", "GLU"}, {"LYN", "LYS"},
    {"LSN", "LYS"}, {"LYSH", "LYS"},
};

const std::map<std::string, std::string> terminal_oxygens = {
    {"OT1", "O"}, {"OC1", "O"}, {"O1", "O"}, {"OT2", "OXT"}, {"OC2", "OXT"}, {"O2", "OXT"},
};

}    // namespace

GoAtomFacts go_atom_facts(const std::string &residue, const std::string &atom)
{
  const auto variant = residue_variants.find(residue);
  const auto table = tables().find(variant == residue_variants.end() ? residue : variant->second);
  if (table == tables().end()) return {};
  std::string name = atom;
  if (const auto oxygen = terminal_oxygens.find(atom); oxygen != terminal_oxygens.end()) name = oxygen->second;
  if (table->first == "ILE" && atom == "CD1") name = "CD";
  const auto found = table->second.find(name);
  return found == table->second.end() ? GoAtomFacts{} : found->second;
}

GoContactKind go_contact_kind(int a, int b)
{
  if (a <= go_no_class || b <= go_no_class || a > go_neutral_acceptor || b > go_neutral_acceptor) return GoContactKind::None;
  // classes 6-8 make no contact that counts either way
  if (a >= go_neutral || b >= go_neutral) return GoContactKind::Other;
  // hydrophobic and aromatic atoms attract each other and repel the polar ones
  const bool apolar_a = a == go_hydrophobic || a == go_aromatic, apolar_b = b == go_hydrophobic || b == go_aromatic;
  if (apolar_a != apolar_b) return GoContactKind::Destabilising;
  if (apolar_a) return GoContactKind::Stabilising;
  // polar pairs: a hydrogen bond needs a donor and an acceptor (class 1 is both)
  const bool donor_a = a != go_acceptor, acceptor_a = a != go_donor;
  const bool donor_b = b != go_acceptor, acceptor_b = b != go_donor;
  return (donor_a && acceptor_b) || (acceptor_a && donor_b) ? GoContactKind::Stabilising : GoContactKind::Destabilising;
}

}    // namespace BACKMAP
