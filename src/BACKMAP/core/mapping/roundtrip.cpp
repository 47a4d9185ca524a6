#include "roundtrip.h"

#include "reconstruction.h"

#include <algorithm>
#include <limits>

namespace BACKMAP {

const char *atom_class_name(AtomClass c)
{
  switch (c) {
    case AtomClass::Backbone: return "backbone";
    case AtomClass::SideChain: return "side_chain";
    case AtomClass::Molecule: return "molecule";
  }
  return "";
}

AtomClass classify_atom(const MoleculeMapping &mapping, const std::string &name)
{
  if (mapping.kind != MoleculeKind::AminoAcid) return AtomClass::Molecule;
  static const char *backbone[] = {"N", "CA", "C", "O", "OXT"};
  for (const char *b : backbone)
    if (name == b) return AtomClass::Backbone;
  return AtomClass::SideChain;
}

double RoundtripReport::max_error() const
{
  return std::max({backbone.max_error, side_chain.max_error, molecule.max_error});
}

ClassError &RoundtripReport::of(AtomClass c)
{
  return c == AtomClass::Backbone ? backbone : c == AtomClass::SideChain ? side_chain : molecule;
}

RoundtripReport roundtrip(const Structure &atomistic, const MappingSet &mappings)
{
  const ForwardMapping fm = map_to_cg(atomistic, mappings);
  RoundtripReport report;
  report.residues_total = static_cast<long>(atomistic.residues.size());
  report.residues_mapped = static_cast<long>(fm.residues.size());
  report.skipped = fm.skipped;
  report.orphan_hydrogens = fm.orphan_hydrogens;
  const Vec3 absent = Vec3::Constant(std::numeric_limits<double>::quiet_NaN());
  for (const MappedResidue &mr : fm.residues) {
    const Residue &residue = fm.atomistic.residues[mr.residue];
    const MoleculeMapping &m = *mr.match.mapping;
    std::vector<Vec3> truth(m.atoms.size(), absent);
    for (std::size_t k = 0; k < m.atoms.size(); ++k)
      if (mr.match.input_of[k] >= 0) truth[k] = residue.atoms[mr.match.input_of[k]].position;
    const std::vector<Vec3> vectors = placement_vectors(m, truth, mr.beads);
    const std::vector<Vec3> placed = place_atoms(m, mr.beads, vectors);
    report.hydrogens_not_backmapped += static_cast<long>(mr.match.hydrogens.size());
    for (std::size_t k = 0; k < m.atoms.size(); ++k) {
      if (mr.match.input_of[k] < 0 || m.atoms[k].is_hydrogen()) continue;
      ClassError &c = report.of(classify_atom(m, m.atoms[k].name));
      // a NaN here means the hierarchy left a present heavy atom unplaced: report it as infinite
      const double err = placed[k].allFinite() ? (placed[k] - truth[k]).norm() : std::numeric_limits<double>::infinity();
      c.max_error = std::max(c.max_error, err);
      ++c.atoms;
      ++report.atoms_reconstructed;
    }
  }
  return report;
}

}    // namespace BACKMAP
