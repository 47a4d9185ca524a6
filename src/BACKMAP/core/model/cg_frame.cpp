#include "cg_frame.h"

#include "peptide_link.h"

#include <cstdio>
#include <map>
#include <stdexcept>

namespace BACKMAP {

namespace {

// Particles of `r` that are virtual sites for mapping `m` (a name the mapping has no bead of).
std::size_t virtual_sites_in(const Residue &r, const MoleculeMapping &m)
{
  std::size_t n = 0;
  for (const auto &a : r.atoms)
    if (is_virtual_site_name(a.name) && m.find_bead(a.name) < 0) ++n;
  return n;
}

// The mapping whose bead names are exactly the residue's (virtual sites aside); else why none
// fits.
const MoleculeMapping *mapping_for(const Residue &r, const MappingSet &mappings, std::string &problem)
{
  const auto candidates = mappings.candidates(r.name);
  if (candidates.empty()) {
    problem = "no mapping for residue name " + r.name;
    return nullptr;
  }
  for (const MoleculeMapping *m : candidates) {
    if (m->beads.size() + virtual_sites_in(r, *m) != r.atoms.size()) continue;
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

// `x` moved by a whole box vector to the image nearest `reference`; unchanged, to the bit,
// when it is already there or the box is not periodic.
Vec3 nearest_image(const Vec3 &x, const Vec3 &reference, const Box &box)
{
  if (!box.periodic) return x;
  const Vec3 d = x - reference;
  const Vec3 shift = box.minimum_image(d) - d;
  return shift.squaredNorm() < 1e-12 ? x : Vec3(x + shift);
}

}    // namespace

bool is_virtual_site_name(const std::string &name)
{
  return name == "CA";
}

PreparedFrame prepare_frame(const Structure &cg, const MappingSet &mappings, const BeadVocabulary &vocabulary,
                            const std::vector<bool> *only)
{
  if (only && only->size() != cg.residues.size())
    throw std::logic_error("prepare_frame: one flag per residue expected");
  PreparedFrame out;
  BeadFrame &f = out.frame;
  f.box = cg.box;
  std::map<std::string, int> chains;
  int sequence = 0, last_chain = -1, last_number = 0;
  Vec3 last_bb = Vec3::Zero();
  for (std::size_t ri = 0; ri < cg.residues.size(); ++ri) {
    if (only && !(*only)[ri]) continue;
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
    for (const auto &b : m->beads) {
      const Atom &bead = r.atoms[r.find_atom(b.name)];
      if (!bead.position.allFinite())
        throw std::runtime_error("bead " + bead.name + " of residue " + r.label() + " has non-finite coordinates");
    }
    // In a periodic box the residue is made whole around its first bead, and a peptide residue
    // is put next to the previous one of its chain: a frame wrapped into the box (GROMACS's
    // default output, dumps without image flags) gives the same atoms as the whole molecule.
    const Vec3 first = r.atoms[r.find_atom(m->beads[0].name)].position;
    const bool same_stretch = peptide && chain == last_chain && follows_in_numbering(last_number, r.number);
    const Vec3 bb = same_stretch ? nearest_image(first, last_bb, f.box) : first;
    if (peptide) {
      // a gap in numbering or in space starts a new stretch: no i+-1 relation across it
      const bool continues = same_stretch && backbone_beads_linked(bb, last_bb);
      sequence += continues ? 1 : 10;
      last_chain = chain;
      last_number = r.number;
      last_bb = bb;
    }
    out.virtual_sites += virtual_sites_in(r, *m);
    FrameResidue fr{m, static_cast<int>(ri), static_cast<int>(f.size())};
    const int first_type = vocabulary.first_type_of(m);
    if (first_type < 0) throw std::runtime_error("mapping " + m->name + " is not in the model's vocabulary");
    for (std::size_t b = 0; b < m->beads.size(); ++b) {
      const Atom &bead = r.atoms[r.find_atom(m->beads[b].name)];
      f.positions.push_back(b == 0 ? bb : nearest_image(bead.position, bb, f.box));
      f.types.push_back(first_type + static_cast<int>(b));
      f.residue.push_back(static_cast<int>(ri));
      f.chain.push_back(chain);
      f.sequence.push_back(peptide ? sequence : -1);
    }
    out.residues.push_back(fr);
  }
  return out;
}

void keep_links_of(PreparedFrame &p, const PreparedFrame &first, const Structure &cg)
{
  if (p.residues.size() != first.residues.size() || p.frame.size() != first.frame.size())
    throw std::runtime_error("this frame has " + std::to_string(p.residues.size()) + " backmapped residues and " +
                             std::to_string(p.frame.size()) + " beads, the first frame " +
                             std::to_string(first.residues.size()) + " and " + std::to_string(first.frame.size()));
  for (std::size_t r = 0; r < p.residues.size(); ++r)
    if (p.residues[r].cg_residue != first.residues[r].cg_residue || p.residues[r].mapping != first.residues[r].mapping)
      throw std::runtime_error("residue " + cg.residues[p.residues[r].cg_residue].label() +
                               " is not the first frame's residue at this place");
  p.frame.sequence = first.frame.sequence;
  p.frame.chain = first.frame.chain;
}

std::string bead_label(const PreparedFrame &p, const Structure &cg, int bead)
{
  const int residue = p.frame.residue[bead];
  for (const FrameResidue &fr : p.residues)
    if (fr.cg_residue == residue)
      return "bead " + fr.mapping->beads[bead - fr.first_bead].name + " of residue " + cg.residues[residue].label();
  return "bead " + std::to_string(bead + 1);
}

std::string describe_geometry_problem(const PreparedFrame &p, const Structure &cg, int bead, int other,
                                      double distance)
{
  char d[32];
  std::snprintf(d, sizeof d, "%.3f", distance);
  char limit[32];
  std::snprintf(limit, sizeof limit, "%.1f", min_bead_distance);
  if (other >= 0)
    return bead_label(p, cg, bead) + " and " + bead_label(p, cg, other) + " are " + d +
           " A apart, closer than any CG geometry the model knows (" + limit +
           " A): the frame is collapsed or corrupt; no atoms were placed";
  return bead_label(p, cg, bead) +
         " is alone in its residue with no other bead within the model cutoff: the directions of its atoms are "
         "undefined; no atoms were placed";
}

void check_bead_geometry(const PreparedFrame &p, const Structure &cg, const EdgeList &edges)
{
  const GeometryProblem problem = find_degenerate_geometry(p.frame, edges);
  if (problem.bead >= 0)
    throw std::runtime_error(describe_geometry_problem(p, cg, problem.bead, problem.other, problem.distance));
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
