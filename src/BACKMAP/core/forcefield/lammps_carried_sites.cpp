/* BACKMAP core, forcefield layer: one-atom virtual sites carried by their atom (see lammps_carried_sites.h). */
#include "lammps_carried_sites.h"

#include "file_error.h"

#include <algorithm>
#include <map>

namespace BACKMAP::lammps_writer {

namespace {

bool is_point_site(const BondedTerm &v) { return v.atoms.size() == 2; }

// Every bonded section of a molecule type, for renumbering.
std::vector<std::vector<BondedTerm> *> sections_of(MoleculeType &m)
{
  return {&m.bonds, &m.pairs, &m.pairs_nb, &m.angles, &m.dihedrals, &m.cmap, &m.constraints, &m.settles,
          &m.virtual_sites1, &m.virtual_sites2, &m.virtual_sites3, &m.virtual_sites4, &m.virtual_sitesn,
          &m.position_restraints, &m.distance_restraints, &m.dihedral_restraints, &m.orientation_restraints,
          &m.angle_restraints, &m.angle_restraints_z, &m.polarization, &m.water_polarization, &m.thole_polarization};
}

std::string site_text(const MoleculeType &m, int site)
{
  const TopologyAtom &a = m.atoms[static_cast<std::size_t>(site - 1)];
  return "virtual site " + std::to_string(site) + " (" + a.atom + " of " + a.residue + std::to_string(a.resnr) + ", molecule " + m.name + ")";
}

// The molecule type's point sites taken out; returns the removed atoms (1-based, ascending).
std::vector<int> carry_in(MoleculeType &m)
{
  std::map<int, int> carrier_of;    // site -> atom
  for (const BondedTerm &v : m.virtual_sitesn) {
    if (!is_point_site(v)) continue;
    const TopologyAtom &site = m.atoms[static_cast<std::size_t>(v.atoms[0] - 1)];
    if (site.mass != 0 || site.charge != 0)
      fail_at(site.path, site.line, site_text(m, v.atoms[0]) + " has mass " + std::to_string(site.mass) + " and charge " +
                                        std::to_string(site.charge) + ": a site carried by its atom in LAMMPS must have neither");
    if (!carrier_of.emplace(v.atoms[0], v.atoms[1]).second) fail_at(v.path, v.line, site_text(m, v.atoms[0]) + " is built twice");
  }
  for (const auto &[site, atom] : carrier_of) {
    if (carrier_of.count(atom)) fail_at(m.path, m.line, site_text(m, site) + " is built from another virtual site");
    TopologyAtom &carrier = m.atoms[static_cast<std::size_t>(atom - 1)];
    if (!carrier.carried_site_type.empty())
      fail_at(carrier.path, carrier.line, "atom " + std::to_string(atom) + " of molecule " + m.name + " carries two virtual sites");
    carrier.carried_site_type = m.atoms[static_cast<std::size_t>(site - 1)].type;
  }
  // no other term may name a site: LAMMPS has no particle for it
  for (std::vector<BondedTerm> *section : sections_of(m))
    for (const BondedTerm &t : *section) {
      if (section == &m.virtual_sitesn && is_point_site(t)) continue;
      for (int a : t.atoms)
        if (carrier_of.count(a))
          fail_at(t.path, t.line, site_text(m, a) + " is named by another term: it cannot be carried by its atom in LAMMPS");
    }
  for (const std::vector<int> &line : m.exclusions)
    for (int a : line)
      if (carrier_of.count(a)) fail_at(m.path, m.line, site_text(m, a) + " has [ exclusions ]: it cannot be carried by its atom in LAMMPS");

  // renumber
  std::vector<int> removed, new_index(m.atoms.size() + 1, 0);
  int next = 0;
  for (std::size_t a = 1; a <= m.atoms.size(); ++a)
    if (carrier_of.count(static_cast<int>(a))) removed.push_back(static_cast<int>(a));
    else new_index[a] = ++next;
  for (std::vector<BondedTerm> *section : sections_of(m)) {
    if (section == &m.virtual_sitesn)
      section->erase(std::remove_if(section->begin(), section->end(), is_point_site), section->end());
    for (BondedTerm &t : *section)
      for (int &a : t.atoms) a = new_index[static_cast<std::size_t>(a)];
  }
  for (std::vector<int> &line : m.exclusions)
    for (int &a : line) a = new_index[static_cast<std::size_t>(a)];
  std::vector<TopologyAtom> kept;
  for (std::size_t a = 1; a <= m.atoms.size(); ++a)
    if (new_index[a]) {
      kept.push_back(m.atoms[a - 1]);
      kept.back().nr = new_index[a];
    }
  m.atoms = std::move(kept);
  return removed;
}

}    // namespace

bool has_point_sites(const Topology &topology)
{
  for (const MoleculeCount &count : topology.molecules) {
    const MoleculeType *m = topology.find_moleculetype(count.name);
    if (m && count.count > 0)
      for (const BondedTerm &v : m->virtual_sitesn)
        if (is_point_site(v)) return true;
  }
  return false;
}

CarriedSites carry_point_sites(Topology &topology, std::vector<Vec3> &positions)
{
  // the system's layout before: copies and atoms of each molecule type
  std::map<std::string, int> copies;
  for (const MoleculeCount &count : topology.molecules) copies[count.name] += std::max(count.count, 0);
  std::map<std::string, std::vector<int>> removed;
  for (MoleculeType &m : topology.moleculetypes)
    if (copies[m.name] > 0) removed[m.name] = carry_in(m);

  CarriedSites result;
  std::vector<Vec3> kept;
  std::size_t at = 0;
  long index = 0;
  for (const MoleculeCount &count : topology.molecules) {
    const MoleculeType *m = topology.find_moleculetype(count.name);
    if (!m) fail_at(count.path, count.line, "molecule " + count.name + " is not defined");
    const std::vector<int> &gone = removed[count.name];
    const std::size_t atoms = m->atoms.size() + gone.size();
    for (int copy = 0; copy < count.count; ++copy)
      for (std::size_t a = 1; a <= atoms; ++a, ++at, ++index) {
        if (at >= positions.size()) fail_at(count.path, count.line, "fewer positions than the topology has atoms");
        if (std::binary_search(gone.begin(), gone.end(), static_cast<int>(a))) result.sites.push_back(index);
        else kept.push_back(positions[at]);
      }
  }
  if (at != positions.size()) fail_at(topology.molecules.empty() ? "" : topology.molecules.back().path, 0,
                                      "more positions than the topology has atoms");
  positions = std::move(kept);

  // exclusions between atoms whose site types occur once in the system: by type pair
  std::map<std::string, int> type_uses;
  for (const MoleculeType &m : topology.moleculetypes)
    for (const TopologyAtom &a : m.atoms)
      if (!a.carried_site_type.empty()) type_uses[a.carried_site_type] += copies[m.name];
  for (MoleculeType &m : topology.moleculetypes) {
    if (copies[m.name] != 1) continue;
    const auto unique_site = [&](int atom) {
      const std::string &t = m.atoms[static_cast<std::size_t>(atom - 1)].carried_site_type;
      return !t.empty() && type_uses[t] == 1;
    };
    for (std::vector<int> &line : m.exclusions) {
      if (line.empty() || !unique_site(line[0])) continue;
      std::vector<int> rest{line[0]};
      for (std::size_t k = 1; k < line.size(); ++k) {
        if (line[k] != line[0] && unique_site(line[k]))
          result.excluded_type_pairs.insert(std::minmax(m.atoms[static_cast<std::size_t>(line[0] - 1)].carried_site_type,
                                                        m.atoms[static_cast<std::size_t>(line[k] - 1)].carried_site_type));
        else
          rest.push_back(line[k]);
      }
      line = rest;
    }
    m.exclusions.erase(std::remove_if(m.exclusions.begin(), m.exclusions.end(), [](const std::vector<int> &l) { return l.size() < 2; }),
                       m.exclusions.end());
  }
  return result;
}

}    // namespace BACKMAP::lammps_writer
