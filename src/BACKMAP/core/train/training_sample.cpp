#include "training_sample.h"

#include "peptide_link.h"

#include "metrics.h"
#include "reconstruction.h"

#include <cmath>
#include <map>

namespace BACKMAP {

namespace {

// Every pair of bonds sharing an atom makes an angle.
std::vector<std::array<int, 3>> angles_from_bonds(const std::vector<std::array<int, 2>> &bonds, std::size_t atoms)
{
  std::vector<std::vector<int>> neighbours(atoms);
  for (const auto &b : bonds) {
    neighbours[b[0]].push_back(b[1]);
    neighbours[b[1]].push_back(b[0]);
  }
  std::vector<std::array<int, 3>> out;
  for (std::size_t v = 0; v < atoms; ++v)
    for (std::size_t x = 0; x < neighbours[v].size(); ++x)
      for (std::size_t y = x + 1; y < neighbours[v].size(); ++y)
        out.push_back({neighbours[v][x], static_cast<int>(v), neighbours[v][y]});
  return out;
}

}    // namespace

TrainingSample make_training_sample(const ForwardMapping &fm, const MappingSet &mappings,
                                    const BeadVocabulary &vocabulary, const std::string &source)
{
  TrainingSample s;
  s.source = source;
  s.prepared = prepare_frame(fm.cg, mappings, vocabulary);
  const int K = s.slots = vocabulary.max_slots();
  const std::size_t n = s.prepared.frame.size();
  s.targets.assign(n * K, Vec3::Zero());
  s.target_mask.assign(n * K, 0);
  s.root_slot.assign(n * K, 0);
  int last_c = -1, last_residue_number = 0;
  std::string last_chain;
  for (const FrameResidue &fr : s.prepared.residues) {
    // fm.residues and fm.cg.residues are parallel: CG residue k came from fm.residues[k]
    const MappedResidue &mr = fm.residues[fr.cg_residue];
    const Residue &aa = fm.atomistic.residues[mr.residue];
    const MoleculeMapping &m = *fr.mapping;
    std::vector<Vec3> truth(m.atoms.size(), Vec3::Constant(std::nan("")));
    for (std::size_t k = 0; k < m.atoms.size(); ++k)
      if (mr.match.input_of[k] >= 0) truth[k] = aa.atoms[mr.match.input_of[k]].position;
    std::vector<Vec3> beads(m.beads.size());
    for (std::size_t b = 0; b < m.beads.size(); ++b) beads[b] = s.prepared.frame.positions[fr.first_bead + b];
    const std::vector<Vec3> vectors = placement_vectors(m, truth, beads);
    auto slot_index = [&](const Placement &p) { return (fr.first_bead + p.bead) * K + p.slot; };
    for (std::size_t p = 0; p < m.placements.size(); ++p) {
      s.root_slot[slot_index(m.placements[p])] = m.placements[p].anchor_placement < 0;
      if (!vectors[p].allFinite()) continue;
      s.targets[slot_index(m.placements[p])] = vectors[p];
      s.target_mask[slot_index(m.placements[p])] = 1;
    }
    // atoms: weighted mean over the atom's placements of (bead + sum of vectors down its chain)
    std::map<int, int> atom_row;
    for (std::size_t k = 0; k < m.atoms.size(); ++k) {
      if (m.atoms[k].is_hydrogen() || !truth[k].allFinite()) continue;
      const int row = static_cast<int>(s.atoms.size());
      atom_row[static_cast<int>(k)] = row;
      s.atoms.push_back(truth[k]);
      s.atom_class.push_back(classify_atom(m, m.atoms[k].name));
      for (std::size_t p = 0; p < m.placements.size(); ++p) {
        const Placement &pl = m.placements[p];
        if (pl.atom != static_cast<int>(k)) continue;
        double w = 0;
        for (const BeadShare &share : m.atoms[k].beads)
          if (share.bead == pl.bead) w = share.weight;
        s.bead_weights.push_back({row, fr.first_bead + pl.bead, w});
        for (int q = static_cast<int>(p); q >= 0; q = m.placements[q].anchor_placement)
          s.slot_weights.push_back({row, slot_index(m.placements[q]), w});
      }
    }
    for (const auto &[a, b] : m.bonds)
      if (atom_row.count(a) && atom_row.count(b)) s.bonds.push_back({atom_row[a], atom_row[b]});
    for (const auto &set : interchangeable_atoms(m.name)) {
      std::vector<std::array<int, 2>> rows;
      for (const std::string &name : set) {
        const int k = m.find_atom(name);
        int placement = -1, placements = 0;
        for (std::size_t p = 0; p < m.placements.size(); ++p)
          if (m.placements[p].atom == k) {
            placement = static_cast<int>(p);
            ++placements;
          }
        if (k < 0 || !atom_row.count(k) || placements != 1 || !s.target_mask[slot_index(m.placements[placement])]) break;
        rows.push_back({atom_row[k], static_cast<int>(slot_index(m.placements[placement]))});
      }
      if (rows.size() == set.size()) s.interchangeable.push_back(rows);
    }
    if (m.kind == MoleculeKind::AminoAcid) {
      // peptide bond to the residue before, when it is the chain's previous residue
      const int n_atom = m.find_atom("N"), c_atom = m.find_atom("C");
      if (last_c >= 0 && atom_row.count(n_atom) && aa.chain == last_chain && follows_in_numbering(last_residue_number, aa.number) &&
          peptide_bonded(s.atoms[last_c], s.atoms[atom_row[n_atom]]))
        s.bonds.push_back({last_c, atom_row[n_atom]});
      last_c = atom_row.count(c_atom) ? atom_row[c_atom] : -1;
      last_chain = aa.chain;
      last_residue_number = aa.number;
    } else {
      last_c = -1;
    }
  }
  s.angles = angles_from_bonds(s.bonds, s.atoms.size());
  return s;
}

}    // namespace BACKMAP
