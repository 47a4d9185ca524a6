#include "cg_frame.h"

#include <map>
#include <stdexcept>

namespace BACKMAP {

namespace {

// The mapping whose bead names are exactly the residue's; else why none fits.
const MoleculeMapping *mapping_for(const Residue &r, const MappingSet &mappings, std::string &problem)
{
  const auto candidates = mappings.candidates(r.name);
  if (candidates.empty()) {
    problem = "no mapping for residue name " + r.name;
    return nullptr;
  }
  for (const MoleculeMapping *m : candidates) {
    if (m->beads.size() != r.atoms.size()) continue;
    bool all = true;
    for (const auto &b : m->beads) all &= r.find_atom(b.name) >= 0;
    if (all) return m;
  }
  const MoleculeMapping *m = candidates.front();
  std::string expected;
  for (const auto &b : m->beads) expected += " " + b.name;
  std::string found;
  for (const auto &a : r.atoms) found += " " + a.name;
  problem = "beads" + found + " do not fit mapping " + m->name + " (beads" + expected + ")";
  return nullptr;
}

}    // namespace

PreparedFrame prepare_frame(const Structure &cg, const MappingSet &mappings, const BeadVocabulary &vocabulary)
{
  PreparedFrame out;
  BeadFrame &f = out.frame;
  f.box = cg.box;
  std::map<std::string, int> chains;
  int sequence = 0, last_chain = -1, last_number = 0;
  Vec3 last_bb = Vec3::Zero();
  for (std::size_t ri = 0; ri < cg.residues.size(); ++ri) {
    const Residue &r = cg.residues[ri];
    std::string problem;
    const MoleculeMapping *m = mapping_for(r, mappings, problem);
    if (!m) {
      out.skipped.push_back({static_cast<int>(ri), r.label(), problem});
      continue;
    }
    const bool peptide = m->kind == MoleculeKind::AminoAcid;
    const std::string chain_key = (peptide ? "P:" : "M:") + r.chain + (peptide ? "" : ":" + std::to_string(ri));
    const int chain = chains.emplace(chain_key, static_cast<int>(chains.size())).first->second;
    const Vec3 &bb = r.atoms[r.find_atom(m->beads[0].name)].position;
    if (peptide) {
      // a gap in numbering or in space starts a new stretch: no i+-1 relation across it
      const bool continues = chain == last_chain && r.number - last_number == 1 && (bb - last_bb).norm() < 4.6;
      sequence += continues ? 1 : 10;
      last_chain = chain;
      last_number = r.number;
      last_bb = bb;
    }
    FrameResidue fr{m, static_cast<int>(ri), static_cast<int>(f.size())};
    const int first_type = vocabulary.first_type_of(m);
    if (first_type < 0) throw std::runtime_error("mapping " + m->name + " is not in the model's vocabulary");
    for (std::size_t b = 0; b < m->beads.size(); ++b) {
      const Atom &bead = r.atoms[r.find_atom(m->beads[b].name)];
      if (!bead.position.allFinite())
        throw std::runtime_error("bead " + bead.name + " of residue " + r.label() + " has non-finite coordinates");
      f.positions.push_back(bead.position);
      f.types.push_back(first_type + static_cast<int>(b));
      f.residue.push_back(static_cast<int>(ri));
      f.chain.push_back(chain);
      f.sequence.push_back(peptide ? sequence : -1);
    }
    out.residues.push_back(fr);
  }
  return out;
}

bool continues_chain(const PreparedFrame &p, std::size_t ri)
{
  if (ri + 1 >= p.residues.size()) return false;
  const FrameResidue &a = p.residues[ri], &b = p.residues[ri + 1];
  const BeadFrame &f = p.frame;
  return a.mapping->kind == MoleculeKind::AminoAcid && b.mapping->kind == MoleculeKind::AminoAcid &&
      f.sequence[a.first_bead] >= 0 && f.chain[a.first_bead] == f.chain[b.first_bead] &&
      f.sequence[b.first_bead] == f.sequence[a.first_bead] + 1;
}

}    // namespace BACKMAP
