#include "frame_refinement.h"

#include "elements.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <Eigen/Geometry>

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

// Whether a bead of `m` sits on its atom `atom` (a CA-only mapping's bead on CA): then the beads
// themselves give that atom's position.
bool bead_on_atom(const MoleculeMapping &m, int atom)
{
  if (atom < 0) return false;
  for (const BeadDefinition &b : m.beads)
    if (b.centre_atom == atom) return true;
  return false;
}

// One restraint of a segment as the strain check reads it back after a solve: its atoms, its
// target and spread, and the residues it belongs to (a peptide link: both).
struct Check {
  bool volume;
  int atoms[4];
  double target, sigma;
  std::size_t residues[2];
};

// Whether a restraint ends far from its target: a distance off by 5 spreads and at least 0.1 A
// (a bond as `bonds off` counts it; an angle's 1-3 distance about 10 degrees off; a cis C=C
// turned trans), a volume off by 5 spreads and at least 1 A^3 (an inverted or unplanar centre).
bool strained(const Check &c, const std::vector<Vec3> &x)
{
  if (!c.volume) {
    const double d = (x[c.atoms[0]] - x[c.atoms[1]]).norm();
    return std::abs(d - c.target) > std::max(5 * c.sigma, 0.1);
  }
  const Vec3 a = x[c.atoms[1]] - x[c.atoms[0]], b = x[c.atoms[2]] - x[c.atoms[0]], d = x[c.atoms[3]] - x[c.atoms[0]];
  const double v = a.dot(b.cross(d));
  return std::abs(v - c.target) > std::max(5 * c.sigma, 1.0);
}

// The restraints of residues [first, last) with the bead centres of residues marked in `loose`
// held at options.loose_centre_sigma instead of options.centre_sigma; `checks` gets the
// geometry restraints (not the centres) for the strain check.
RefinementProblem segment_problem(const PreparedFrame &prepared, const IdealGeometry &ideal,
                                  const RefinementOptions &options, std::size_t first, std::size_t last,
                                  const std::vector<std::vector<int>> &index, std::size_t atoms,
                                  const std::vector<char> &loose, std::vector<Check> &checks)
{
  RefinementProblem problem(atoms);
  checks.clear();
  const double dmin = options.distance_sigma_min, vmin = options.volume_sigma_min;
  auto distance = [&](int a, int b, double target, double sigma, std::size_t r0, std::size_t r1) {
    problem.add_distance(a, b, target, sigma);
    checks.push_back({false, {a, b, -1, -1}, target, sigma, {r0, r1}});
  };
  auto volume = [&](int o, int a, int b, int c, double target, double sigma, std::size_t r0, std::size_t r1) {
    problem.add_volume(o, a, b, c, target, sigma);
    checks.push_back({true, {o, a, b, c}, target, sigma, {r0, r1}});
  };
  const PeptideLinkGeometry &link = ideal.peptide();
  for (std::size_t ri = first; ri < last; ++ri) {
    const std::size_t r = ri - first;
    const MoleculeMapping &m = *prepared.residues[ri].mapping;
    const std::vector<int> &ix = index[r];
    if (const MoleculeGeometry *g = ideal.find(m)) {
      for (const auto &d : g->distances)
        if (ix[d.a] >= 0 && ix[d.b] >= 0) distance(ix[d.a], ix[d.b], d.target, std::max(d.sigma, dmin), r, r);
      for (const auto &v : g->volumes)
        if (ix[v.centre] >= 0 && ix[v.a] >= 0 && ix[v.b] >= 0 && ix[v.c] >= 0)
          volume(ix[v.centre], ix[v.a], ix[v.b], ix[v.c], v.target, std::max(v.sigma, vmin), r, r);
    }
    const double centre_sigma = loose[r] ? options.loose_centre_sigma : options.centre_sigma;
    for (std::size_t b = 0; b < m.beads.size(); ++b) {
      auto w = centre_weights(m, static_cast<int>(b), ix);
      if (!w.empty())
        problem.add_centre(std::move(w), prepared.frame.positions[prepared.residues[ri].first_bead + b], centre_sigma);
    }
    if (!link.known || ri + 1 >= last || !continues_chain(prepared, ri)) continue;
    const MoleculeMapping &next = *prepared.residues[ri + 1].mapping;
    const std::vector<int> &jx = index[r + 1];
    auto at = [](const MoleculeMapping &mm, const std::vector<int> &idx, const char *name) {
      const int k = mm.find_atom(name);
      return k < 0 ? -1 : idx[k];
    };
    const int c = at(m, ix, "C"), ca = at(m, ix, "CA"), o = at(m, ix, "O"), n = at(next, jx, "N"),
              nca = at(next, jx, "CA");
    if (c < 0 || n < 0) continue;
    distance(c, n, link.c_n, std::max(link.c_n_sigma, dmin), r, r + 1);
    if (ca >= 0) distance(ca, n, link.ca_n, std::max(link.ca_n_sigma, dmin), r, r + 1);
    if (o >= 0) distance(o, n, link.o_n, std::max(link.o_n_sigma, dmin), r, r + 1);
    if (nca >= 0) distance(c, nca, link.c_ca, std::max(link.c_ca_sigma, dmin), r, r + 1);
    if (ca >= 0 && o >= 0) volume(c, ca, o, n, link.c_volume, std::max(link.c_volume_sigma, vmin), r, r + 1);
    // The restraints above keep the atoms at C planar but leave the rotation about C-N free:
    // without more, refined links were off planarity by 11.5 degrees RMS (real ones: 4.1), and
    // a link the network twisted could settle anywhere between cis and trans.
    if (ca >= 0 && nca >= 0 && options.planar_link_sigma > 0) volume(c, ca, n, nca, 0.0, options.planar_link_sigma, r, r + 1);
    // Outside X-Pro links cis peptides are about 0.03 % of those in proteins, so the CA-CA
    // distance of a trans link decides; before a proline both occur (about 5 % cis), and the
    // network decides. Where both CAs are beads (CA-only mappings) their distance already
    // says cis or trans, and a real cis link must stay cis.
    const bool beads_fix_ca_ca = bead_on_atom(m, m.find_atom("CA")) && bead_on_atom(next, next.find_atom("CA"));
    if (ca >= 0 && nca >= 0 && options.trans_ca_ca > 0 && next.name != "PRO" && !beads_fix_ca_ca)
      distance(ca, nca, options.trans_ca_ca, options.trans_ca_ca_sigma, r, r + 1);
  }
  return problem;
}

// Residues [first, last): no restraint joins them to any other residue. The beads of a CG
// simulation are not the centres of any valid molecule: holding them exactly (centre_sigma)
// bends such a residue's angles or turns its cis bonds trans. So a residue left strained by
// the first solve is refined again, from the network's atoms, with its bead centres held only
// to loose_centre_sigma; residues whose beads fit valid geometry keep the exact centres.
RefinementReport refine_segment(Structure &aa, const PreparedFrame &prepared, const IdealGeometry &ideal,
                                const RefinementOptions &options, std::size_t first, std::size_t last)
{
  std::vector<std::vector<int>> index(last - first);    // by ri - first: this segment only
  std::vector<Vec3> network;
  for (std::size_t ri = first; ri < last; ++ri) {
    index[ri - first] = flat_indices(aa.residues[ri], *prepared.residues[ri].mapping, static_cast<int>(network.size()));
    for (const Atom &a : aa.residues[ri].atoms) network.push_back(a.position);
  }
  std::vector<char> loose(last - first, 0);
  std::vector<Check> checks;
  std::vector<Vec3> x = network;
  RefinementReport report =
      segment_problem(prepared, ideal, options, first, last, index, x.size(), loose, checks).solve(x, options);
  if (options.loose_centre_sigma > options.centre_sigma) {
    for (const Check &c : checks)
      if (strained(c, x)) loose[c.residues[0]] = loose[c.residues[1]] = 1;
    const int count = static_cast<int>(std::count(loose.begin(), loose.end(), 1));
    if (count > 0) {
      x = network;
      const RefinementReport second =
          segment_problem(prepared, ideal, options, first, last, index, x.size(), loose, checks).solve(x, options);
      report.final_cost = second.final_cost;
      report.iterations += second.iterations;
      report.unconverged = second.unconverged;
      report.separated = second.separated;
      report.loosened = count;
    }
  }
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
    total.loosened += r.loosened;
    first = ri + 1;
  }
  return total;
}

}    // namespace BACKMAP
