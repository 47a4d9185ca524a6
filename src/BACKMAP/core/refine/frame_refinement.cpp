#include "frame_refinement.h"

#include "elements.h"

#include <algorithm>
#include <stdexcept>

namespace BACKMAP {

namespace {

// Flat atom index of every mapping atom of one residue; -1 where the residue lacks it.
std::vector<int> flat_indices(const Residue &r, const MoleculeMapping &m, int first)
{
  std::vector<int> index(m.atoms.size(), -1);
  for (std::size_t k = 0; k < r.atoms.size(); ++k) {
    const int a = m.find_atom(r.atoms[k].name);
    if (a >= 0) index[a] = first + static_cast<int>(k);
  }
  return index;
}

// A bead's centre as its placed heavy atoms weigh in it, normalised; empty if it has none.
std::vector<std::pair<int, double>> centre_weights(const MoleculeMapping &m, int bead, const std::vector<int> &index)
{
  std::vector<std::pair<int, double>> w;
  const int centre_atom = m.beads[bead].centre_atom;
  if (centre_atom >= 0) {
    if (index[centre_atom] >= 0) w.emplace_back(index[centre_atom], 1.0);
    return w;
  }
  double total = 0;
  for (std::size_t k = 0; k < m.atoms.size(); ++k) {
    const MappedAtom &a = m.atoms[k];
    if (a.is_hydrogen() || !a.in_centre || index[k] < 0) continue;
    for (const BeadShare &s : a.beads) {
      if (s.bead != bead) continue;
      const double weight = m.weighting == CentreWeighting::Mass ? s.weight * a.mass : s.weight;
      w.emplace_back(index[k], weight);
      total += weight;
    }
  }
  if (total <= 0) return {};
  for (auto &entry : w) entry.second /= total;
  return w;
}

// Residues [first, last): no restraint joins them to any other residue.
RefinementReport refine_segment(Structure &aa, const PreparedFrame &prepared, const IdealGeometry &ideal,
                                const RefinementOptions &options, std::size_t first, std::size_t last)
{
  std::vector<std::vector<int>> index(last - first);    // by ri - first: this segment only
  std::vector<Vec3> x;
  for (std::size_t ri = first; ri < last; ++ri) {
    index[ri - first] = flat_indices(aa.residues[ri], *prepared.residues[ri].mapping, static_cast<int>(x.size()));
    for (const Atom &a : aa.residues[ri].atoms) x.push_back(a.position);
  }
  RefinementProblem problem(x.size());
  const double dmin = options.distance_sigma_min, vmin = options.volume_sigma_min;
  const PeptideLinkGeometry &link = ideal.peptide();
  for (std::size_t ri = first; ri < last; ++ri) {
    const MoleculeMapping &m = *prepared.residues[ri].mapping;
    const std::vector<int> &ix = index[ri - first];
    if (const MoleculeGeometry *g = ideal.find(m)) {
      for (const auto &d : g->distances)
        if (ix[d.a] >= 0 && ix[d.b] >= 0) problem.add_distance(ix[d.a], ix[d.b], d.target, std::max(d.sigma, dmin));
      for (const auto &v : g->volumes)
        if (ix[v.centre] >= 0 && ix[v.a] >= 0 && ix[v.b] >= 0 && ix[v.c] >= 0)
          problem.add_volume(ix[v.centre], ix[v.a], ix[v.b], ix[v.c], v.target, std::max(v.sigma, vmin));
    }
    for (std::size_t b = 0; b < m.beads.size(); ++b) {
      auto w = centre_weights(m, static_cast<int>(b), ix);
      if (!w.empty())
        problem.add_centre(std::move(w), prepared.frame.positions[prepared.residues[ri].first_bead + b],
                           options.centre_sigma);
    }
    if (!link.known || ri + 1 >= last || !continues_chain(prepared, ri)) continue;
    const MoleculeMapping &next = *prepared.residues[ri + 1].mapping;
    const std::vector<int> &jx = index[ri + 1 - first];
    auto at = [](const MoleculeMapping &mm, const std::vector<int> &idx, const char *name) {
      const int k = mm.find_atom(name);
      return k < 0 ? -1 : idx[k];
    };
    const int c = at(m, ix, "C"), ca = at(m, ix, "CA"), o = at(m, ix, "O"), n = at(next, jx, "N"),
              nca = at(next, jx, "CA");
    if (c < 0 || n < 0) continue;
    problem.add_distance(c, n, link.c_n, std::max(link.c_n_sigma, dmin));
    if (ca >= 0) problem.add_distance(ca, n, link.ca_n, std::max(link.ca_n_sigma, dmin));
    if (o >= 0) problem.add_distance(o, n, link.o_n, std::max(link.o_n_sigma, dmin));
    if (nca >= 0) problem.add_distance(c, nca, link.c_ca, std::max(link.c_ca_sigma, dmin));
    if (ca >= 0 && o >= 0) problem.add_volume(c, ca, o, n, link.c_volume, std::max(link.c_volume_sigma, vmin));
  }
  const RefinementReport report = problem.solve(x, options);
  std::size_t k = 0;
  for (std::size_t ri = first; ri < last; ++ri)
    for (Atom &a : aa.residues[ri].atoms) a.position = x[k++];
  return report;
}

}    // namespace

// Stretches of residues joined by peptide links are independent problems: solved one by
// one, memory and time follow the longest chain, not the frame.
RefinementReport refine_frame(Structure &aa, const PreparedFrame &prepared, const IdealGeometry &ideal,
                              const RefinementOptions &options)
{
  if (aa.residues.size() != prepared.residues.size())
    throw std::logic_error("refine_frame: the structure is not the placement of this frame");
  RefinementReport total;
  std::size_t first = 0;
  for (std::size_t ri = 0; ri < aa.residues.size(); ++ri) {
    if (continues_chain(prepared, ri)) continue;
    const RefinementReport r = refine_segment(aa, prepared, ideal, options, first, ri + 1);
    total.initial_cost += r.initial_cost;
    total.final_cost += r.final_cost;
    total.iterations = std::max(total.iterations, r.iterations);
    total.problems += r.problems;
    total.unconverged += r.unconverged;
    total.separated += r.separated;
    first = ri + 1;
  }
  return total;
}

}    // namespace BACKMAP
