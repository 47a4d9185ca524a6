#include "beads_from_atoms.h"

#include "forward_mapping.h"

#include <stdexcept>

namespace BACKMAP {

namespace {

std::string bead_label(const CgResidueBeads &r, std::size_t b)
{
  return "bead " + r.names[b] + " (atom ID " + std::to_string(r.ids[b]) + ") of residue " + r.label;
}

std::string bead_names(const MoleculeMapping &m)
{
  std::string s;
  for (const auto &b : m.beads) s += (s.empty() ? "" : " ") + b.name;
  return s;
}

}    // namespace

std::vector<BeadPosition> beads_from_atoms(const Structure &atomistic, const std::vector<CgResidueBeads> &cg,
                                           const MappingSet &mappings)
{
  if (atomistic.residues.size() != cg.size())
    throw std::runtime_error("the all-atom system has " + std::to_string(atomistic.residues.size()) +
                             " residues, the CG run " + std::to_string(cg.size()) + " backmapped residues");
  const ForwardMapping fm = map_to_cg(atomistic, mappings);
  // per all-atom residue: its mapped residue, or why it has none
  std::vector<const MappedResidue *> mapped(cg.size(), nullptr);
  std::vector<std::string> reason(cg.size());
  for (const MappedResidue &m : fm.residues) mapped[m.residue] = &m;
  for (const SkippedResidue &s : fm.skipped) reason[s.residue] = s.reason;

  std::vector<BeadPosition> out;
  for (std::size_t r = 0; r < cg.size(); ++r) {
    const CgResidueBeads &beads = cg[r];
    const std::string atoms = atomistic.residues[r].label();
    if (beads.names.empty()) continue;
    if (!mapped[r])
      throw std::runtime_error(bead_label(beads, 0) + " has no atoms in the replica: its all-atom residue " + atoms +
                               " cannot be mapped (" + reason[r] + ")");
    const MoleculeMapping &m = *mapped[r]->match.mapping;
    for (std::size_t b = 0; b < beads.names.size(); ++b) {
      const int k = m.find_bead(beads.names[b]);
      if (k < 0)
        throw std::runtime_error("mapping mismatch: " + bead_label(beads, b) + " is not among the beads (" +
                                 bead_names(m) + ") that its all-atom residue " + atoms + " maps to with mapping " +
                                 m.name);
      const Vec3 &x = mapped[r]->beads[k];
      if (!x.allFinite())
        throw std::runtime_error(bead_label(beads, b) + " has no atoms in the replica: no atom of its all-atom residue " +
                                 atoms + " belongs to it (mapping " + m.name + ")");
      out.push_back({beads.ids[b], x});
    }
    if (m.beads.size() != beads.names.size())
      for (const auto &def : m.beads) {
        bool found = false;
        for (const auto &name : beads.names) found = found || name == def.name;
        if (!found)
          throw std::runtime_error("mapping mismatch: residue " + beads.label + " has no bead " + def.name +
                                   ", which its all-atom residue " + atoms + " maps to with mapping " + m.name);
      }
  }
  return out;
}

}    // namespace BACKMAP
