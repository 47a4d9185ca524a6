/* BACKMAP core, forcefield layer: the topology structs' look-ups and totals, and grompp's function
   shapes (see topology_sections.h). */
#include "topology_sections.h"

#include <iterator>
#include <utility>

namespace BACKMAP {

namespace {

// ---------------------------------------------------------------------------------------------
// Function shapes: grompp's atom and parameter counts (state A, state B) per section and function

struct ShapeRow {
  const char *section;
  int function;
  FunctionShape shape;
};

const ShapeRow shape_rows[] = {
    {"bonds", 1, {2, 2, 2}},  {"bonds", 2, {2, 2, 2}},  {"bonds", 3, {2, 3, 3}},  {"bonds", 4, {2, 3, 0}},
    {"bonds", 5, {2, 0, 0}},  {"bonds", 6, {2, 2, 2}},  {"bonds", 7, {2, 2, 0}},  {"bonds", 8, {2, 2, 2}},
    {"bonds", 9, {2, 2, 2}},  {"bonds", 10, {2, 4, 4}},
    {"angles", 1, {3, 2, 2}}, {"angles", 2, {3, 2, 2}}, {"angles", 3, {3, 3, 0}}, {"angles", 4, {3, 4, 0}},
    {"angles", 5, {3, 4, 4}}, {"angles", 6, {3, 6, 0}}, {"angles", 8, {3, 2, 2}}, {"angles", 9, {3, 2, 2}},
    {"angles", 10, {3, 2, 2}},
    {"dihedrals", 1, {4, 3, 3}}, {"dihedrals", 2, {4, 2, 2}}, {"dihedrals", 3, {4, 6, 6}},
    {"dihedrals", 4, {4, 3, 3}}, {"dihedrals", 5, {4, 4, 4}}, {"dihedrals", 8, {4, 2, 2}},
    {"dihedrals", 9, {4, 3, 3}}, {"dihedrals", 10, {4, 2, 2}}, {"dihedrals", 11, {4, 6, 6}},
    {"pairs", 1, {2, 2, 2}},  {"pairs", 2, {2, 5, 0}},  {"pairs_nb", 1, {2, 4, 0}},
    {"constraints", 1, {2, 1, 1}}, {"constraints", 2, {2, 1, 1}},
    {"settles", 1, {1, 2, 0}}, {"cmap", 1, {5, 0, 0}},
    {"virtual_sites1", 1, {2, 0, 0}}, {"virtual_sites2", 1, {3, 1, 0}}, {"virtual_sites2", 2, {3, 1, 0}},
    {"virtual_sites3", 1, {4, 2, 0}}, {"virtual_sites3", 2, {4, 2, 0}}, {"virtual_sites3", 3, {4, 2, 0}},
    {"virtual_sites3", 4, {4, 3, 0}}, {"virtual_sites4", 1, {5, 3, 0}}, {"virtual_sites4", 2, {5, 3, 0}},
    {"position_restraints", 1, {1, 3, 3}}, {"position_restraints", 2, {1, 3, 0}},
    {"distance_restraints", 1, {2, 6, 0}}, {"orientation_restraints", 1, {2, 6, 0}},
    {"dihedral_restraints", 1, {4, 3, 3}}, {"angle_restraints", 1, {4, 3, 3}},
    {"angle_restraints_z", 1, {2, 3, 3}}, {"polarization", 1, {2, 1, 0}}, {"polarization", 2, {2, 3, 0}},
    {"water_polarization", 1, {5, 6, 0}}, {"thole_polarization", 1, {4, 3, 0}},
};

}    // namespace

bool function_shape(const std::string &section, int function, FunctionShape &shape)
{
  for (const ShapeRow &row : shape_rows)
    if (section == row.section && function == row.function) {
      shape = row.shape;
      return true;
    }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Structs

const std::vector<BondedTerm> *MoleculeType::terms(const std::string &section) const
{
  return const_cast<MoleculeType *>(this)->terms(section);
}

std::vector<BondedTerm> *MoleculeType::terms(const std::string &section)
{
  const std::pair<const char *, std::vector<BondedTerm> MoleculeType::*> fields[] = {
      {"bonds", &MoleculeType::bonds}, {"pairs", &MoleculeType::pairs}, {"pairs_nb", &MoleculeType::pairs_nb},
      {"angles", &MoleculeType::angles}, {"dihedrals", &MoleculeType::dihedrals}, {"cmap", &MoleculeType::cmap},
      {"constraints", &MoleculeType::constraints}, {"settles", &MoleculeType::settles},
      {"virtual_sites1", &MoleculeType::virtual_sites1}, {"virtual_sites2", &MoleculeType::virtual_sites2},
      {"virtual_sites3", &MoleculeType::virtual_sites3}, {"virtual_sites4", &MoleculeType::virtual_sites4},
      {"virtual_sitesn", &MoleculeType::virtual_sitesn},
      {"position_restraints", &MoleculeType::position_restraints},
      {"distance_restraints", &MoleculeType::distance_restraints},
      {"dihedral_restraints", &MoleculeType::dihedral_restraints},
      {"orientation_restraints", &MoleculeType::orientation_restraints},
      {"angle_restraints", &MoleculeType::angle_restraints}, {"angle_restraints_z", &MoleculeType::angle_restraints_z},
      {"polarization", &MoleculeType::polarization}, {"water_polarization", &MoleculeType::water_polarization},
      {"thole_polarization", &MoleculeType::thole_polarization}};
  for (const auto &[name, field] : fields)
    if (section == name) return &(this->*field);
  return nullptr;
}

double MoleculeType::charge() const
{
  double q = 0.0;
  for (const TopologyAtom &a : atoms) q += a.charge;
  return q;
}

double MoleculeType::mass() const
{
  double m = 0.0;
  for (const TopologyAtom &a : atoms) m += a.mass;
  return m;
}

const AtomType *Topology::find_atomtype(const std::string &name) const
{
  for (const AtomType &a : atomtypes)
    if (a.name == name) return &a;
  return nullptr;
}

const MoleculeType *Topology::find_moleculetype(const std::string &name) const
{
  for (const MoleculeType &m : moleculetypes)
    if (m.name == name) return &m;
  return nullptr;
}

long Topology::atom_count() const
{
  long n = 0;
  for (const MoleculeCount &c : molecules) n += static_cast<long>(c.count) * static_cast<long>(find_moleculetype(c.name)->atoms.size());
  return n;
}

double Topology::charge() const
{
  double q = 0.0;
  for (const MoleculeCount &c : molecules) q += c.count * find_moleculetype(c.name)->charge();
  return q;
}

double Topology::mass() const
{
  double m = 0.0;
  for (const MoleculeCount &c : molecules) m += c.count * find_moleculetype(c.name)->mass();
  return m;
}

}    // namespace BACKMAP
