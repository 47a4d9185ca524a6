/* BACKMAP core, forcefield layer: virtual-site centres as bonded beads (see lammps_virtual_sites.h). */
#include "lammps_virtual_sites.h"

#include "file_error.h"

#include <set>

namespace BACKMAP::lammps_writer {

bool has_virtual_sites_n(const Topology &topology)
{
  for (const MoleculeCount &count : topology.molecules) {
    const MoleculeType *m = topology.find_moleculetype(count.name);
    if (m && count.count > 0 && !m->virtual_sitesn.empty()) return true;
  }
  return false;
}

void bond_virtual_sites_n(Topology &topology, std::vector<Vec3> &positions)
{
  std::set<std::string> done;
  std::size_t offset = 0;
  for (const MoleculeCount &count : topology.molecules) {
    MoleculeType *m = nullptr;
    for (MoleculeType &t : topology.moleculetypes)
      if (t.name == count.name) m = &t;
    if (!m) fail_at(count.path, count.line, "molecule " + count.name + " is not defined");
    const std::size_t atoms = m->atoms.size();
    std::set<int> sites;
    for (const BondedTerm &v : m->virtual_sitesn) sites.insert(v.atoms[0]);
    // every copy: the sites at the centres of their atoms (GROMACS puts them there too)
    for (int copy = 0; copy < count.count; ++copy, offset += atoms)
      for (const BondedTerm &v : m->virtual_sitesn) {
        if (v.function == 3)
          fail_at(v.path, v.line, "[ virtual_sitesn ] function 3 (weighted) cannot be written for LAMMPS (only 1 and 2)");
        Vec3 centre = Vec3::Zero();
        double total = 0.0;
        for (std::size_t k = 1; k < v.atoms.size(); ++k) {
          if (sites.count(v.atoms[k])) fail_at(v.path, v.line, "a virtual site built from another virtual site");
          const double w = v.function == 2 ? m->atoms[static_cast<std::size_t>(v.atoms[k] - 1)].mass : 1.0;
          centre += w * positions[offset + static_cast<std::size_t>(v.atoms[k] - 1)];
          total += w;
        }
        if (!(total > 0)) fail_at(v.path, v.line, "virtual site of atoms without mass");
        positions[offset + static_cast<std::size_t>(v.atoms[0] - 1)] = centre / total;
      }
    if (m->virtual_sitesn.empty() || !done.insert(m->name).second) continue;
    // the type, once: masses shared out, bonds at the first copy's lengths (nm)
    const std::size_t first = offset - atoms * static_cast<std::size_t>(count.count);
    for (const BondedTerm &v : m->virtual_sitesn) {
      const std::size_t n = v.atoms.size() - 1;
      double taken = 0.0;
      for (std::size_t k = 1; k <= n; ++k) {
        TopologyAtom &a = m->atoms[static_cast<std::size_t>(v.atoms[k] - 1)];
        taken += a.mass / static_cast<double>(n + 1);
        a.mass *= static_cast<double>(n) / static_cast<double>(n + 1);
      }
      TopologyAtom &site = m->atoms[static_cast<std::size_t>(v.atoms[0] - 1)];
      site.mass += taken;
      site.mass_given = true;
      for (std::size_t k = 1; k <= n; ++k) {
        BondedTerm c;
        c.atoms = {v.atoms[0], v.atoms[k]};
        c.function = 1;
        const Vec3 d = positions[first + static_cast<std::size_t>(v.atoms[0] - 1)] - positions[first + static_cast<std::size_t>(v.atoms[k] - 1)];
        c.parameters = {d.norm() / 10.0};
        c.path = v.path;
        c.line = v.line;
        m->constraints.push_back(c);
      }
    }
    m->virtual_sitesn.clear();
  }
}

}    // namespace BACKMAP::lammps_writer
