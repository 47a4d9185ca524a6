#include "replica_forward_map.h"

#include "forward_mapping.h"
#include "residue_matching.h"

#include <stdexcept>

namespace BACKMAP {

namespace {

std::string bead_label(const CgResidueBeads &r, std::size_t b)
{
  return "bead " + r.names[b] + " (atom ID " + std::to_string(r.ids[b]) + ") of residue " + r.label;
}

}    // namespace

ReplicaForwardMap replica_forward_map(const Structure &atomistic, const std::vector<CgResidueBeads> &cg,
                                      const MappingSet &mappings)
{
  if (atomistic.residues.size() != cg.size())
    throw std::runtime_error("the all-atom replica has " + std::to_string(atomistic.residues.size()) +
                             " residues, the CG run " + std::to_string(cg.size()) + " backmapped residues");
  std::vector<std::vector<BeadAtomWeight>> rows;
  std::vector<std::string> names;
  std::vector<long> ids;
  int first_atom = 0;
  for (std::size_t r = 0; r < cg.size(); ++r) {
    const Residue &residue = atomistic.residues[r];
    const CgResidueBeads &beads = cg[r];
    const int atoms = static_cast<int>(residue.atoms.size());
    if (beads.names.empty()) {
      first_atom += atoms;
      continue;
    }
    const ResidueMatch match = match_residue(residue, mappings);
    if (!match.ok())
      throw std::runtime_error(bead_label(beads, 0) + " has no atoms in the replica: its all-atom residue " +
                               residue.label() + " cannot be mapped (" + match.problem + ")");
    const MoleculeMapping &m = *match.mapping;
    if (m.beads.size() != beads.names.size())
      throw std::runtime_error("mapping mismatch: residue " + beads.label + " has " +
                               std::to_string(beads.names.size()) + " beads, its all-atom residue " +
                               residue.label() + " maps to " + std::to_string(m.beads.size()) + " with mapping " +
                               m.name);
    const auto weights = bead_atom_weights(residue, match);
    for (std::size_t b = 0; b < beads.names.size(); ++b) {
      const int k = m.find_bead(beads.names[b]);
      if (k < 0)
        throw std::runtime_error("mapping mismatch: " + bead_label(beads, b) + " is not among the beads that its "
                                 "all-atom residue " + residue.label() + " maps to with mapping " + m.name);
      std::vector<BeadAtomWeight> row = weights[k];
      double total = 0.0;
      for (BeadAtomWeight &a : row) {
        a.atom += first_atom;
        total += a.weight;
      }
      if (row.empty() || total == 0.0)
        throw std::runtime_error(bead_label(beads, b) + " has no atoms in the replica: no atom of its all-atom residue " +
                                 residue.label() + " belongs to it (mapping " + m.name + ")");
      rows.push_back(std::move(row));
      names.push_back(residue.label() + " " + beads.names[b] + " (atom ID " + std::to_string(beads.ids[b]) + ")");
      ids.push_back(beads.ids[b]);
    }
    first_atom += atoms;
  }
  int total_atoms = 0;
  for (const Residue &residue : atomistic.residues) total_atoms += static_cast<int>(residue.atoms.size());
  return {LinearForwardMap(total_atoms, rows, std::move(names)), std::move(ids)};
}

}    // namespace BACKMAP
