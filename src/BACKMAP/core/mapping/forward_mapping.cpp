#include "forward_mapping.h"

#include "elements.h"
#include "periodic.h"

namespace BACKMAP {

namespace {

// Calls add(bead, weight, input atom, mass) for every contribution an input atom makes.
template <class Add> void for_each_contribution(const ResidueMatch &match, Add add)
{
  const MoleculeMapping &m = *match.mapping;
  for (std::size_t k = 0; k < m.atoms.size(); ++k) {
    const MappedAtom &atom = m.atoms[k];
    const int i = match.input_of[k];
    if (i < 0 || atom.is_hydrogen()) continue;
    for (const BeadShare &s : atom.beads) add(s.bead, s.weight, atom.in_centre, i, atom.mass);
  }
  for (const HydrogenMatch &h : match.hydrogens) {
    const MappedAtom &rule_owner = m.atoms[h.mapping_atom];
    const auto &shares = h.explicit_atom ? rule_owner.beads : rule_owner.hydrogens.beads;
    const bool in_centre = h.explicit_atom ? rule_owner.in_centre : rule_owner.hydrogens.in_centre;
    const double mass = h.explicit_atom ? rule_owner.mass : element_mass("H");
    for (const BeadShare &s : shares) add(s.bead, s.weight, in_centre, h.input_atom, mass);
  }
}

}    // namespace

std::vector<Vec3> bead_positions(const Residue &residue, const ResidueMatch &match)
{
  const MoleculeMapping &m = *match.mapping;
  std::vector<Vec3> sum(m.beads.size(), Vec3::Zero());
  std::vector<double> weight(m.beads.size(), 0.0);
  const bool by_mass = m.weighting == CentreWeighting::Mass;
  for_each_contribution(match, [&](int bead, double w, bool in_centre, int atom, double mass) {
    if (!in_centre) return;
    const double wm = by_mass ? w * mass : w;
    sum[bead] += wm * residue.atoms[atom].position;
    weight[bead] += wm;
  });
  std::vector<Vec3> out(m.beads.size());
  for (std::size_t b = 0; b < m.beads.size(); ++b) {
    const int centre = m.beads[b].centre_atom;
    if (centre >= 0 && match.input_of[centre] >= 0) out[b] = residue.atoms[match.input_of[centre]].position;
    else out[b] = sum[b] / weight[b];
  }
  return out;
}

std::vector<double> bead_masses([[maybe_unused]] const Residue &residue, const ResidueMatch &match)
{
  std::vector<double> mass(match.mapping->beads.size(), 0.0);
  for_each_contribution(match,
                        [&](int bead, double w, bool, int, double m) { mass[bead] += w * m; });
  return mass;
}

std::vector<std::vector<BeadAtomWeight>> bead_atom_weights([[maybe_unused]] const Residue &residue, const ResidueMatch &match)
{
  const MoleculeMapping &m = *match.mapping;
  std::vector<std::vector<BeadAtomWeight>> out(m.beads.size());
  std::vector<double> total(m.beads.size(), 0.0);
  const bool by_mass = m.weighting == CentreWeighting::Mass;
  for_each_contribution(match, [&](int bead, double w, bool in_centre, int atom, double mass) {
    if (!in_centre) return;
    const double wm = by_mass ? w * mass : w;
    out[bead].push_back({atom, wm});
    total[bead] += wm;
  });
  for (std::size_t b = 0; b < m.beads.size(); ++b) {
    const int centre = m.beads[b].centre_atom;
    if (centre >= 0 && match.input_of[centre] >= 0) {
      out[b] = {{match.input_of[centre], 1.0}};
      continue;
    }
    for (BeadAtomWeight &a : out[b]) a.weight /= total[b];
  }
  return out;
}

ForwardMapping map_to_cg(const Structure &atomistic, const MappingSet &mappings)
{
  ForwardMapping out;
  out.atomistic = atomistic;
  make_molecules_whole(out.atomistic);
  out.cg.title = atomistic.title;
  out.cg.box = atomistic.box;
  int molecule = -1;
  int previous = -1;    // index in out.residues of the residue mapped just before
  for (std::size_t i = 0; i < out.atomistic.residues.size(); ++i) {
    const Residue &residue = out.atomistic.residues[i];
    ResidueMatch match = match_residue(residue, mappings);
    if (!match.ok()) {
      out.skipped.push_back({static_cast<int>(i), residue.label(), match.problem});
      previous = -1;
      continue;
    }
    out.orphan_hydrogens += match.orphan_hydrogens;
    MappedResidue mapped{static_cast<int>(i), match, bead_positions(residue, match)};
    const bool peptide = match.mapping->kind == MoleculeKind::AminoAcid;
    const bool continues_chain = peptide && previous >= 0 &&
        out.residues[previous].match.mapping->kind == MoleculeKind::AminoAcid &&
        out.atomistic.residues[out.residues[previous].residue].chain == residue.chain;
    if (!continues_chain) ++molecule;

    Residue bead_residue = residue.without_atoms();
    bead_residue.molecule = molecule;
    const std::vector<double> masses = bead_masses(residue, match);
    for (std::size_t b = 0; b < mapped.beads.size(); ++b) {
      Atom bead;
      bead.name = match.mapping->beads[b].name;
      bead.position = mapped.beads[b];
      bead.mass = masses[b];
      bead_residue.atoms.push_back(bead);
    }
    out.cg.residues.push_back(std::move(bead_residue));
    out.residues.push_back(std::move(mapped));
    previous = static_cast<int>(out.residues.size()) - 1;
  }
  return out;
}

}    // namespace BACKMAP
