// The measures over many residues of a structure that metrics.h declares: backbone and
// side-chain dihedrals, the KL divergence of two angle distributions, lipid tail order parameters.
#include "metrics.h"

#include "matched_residue.h"

#include <Eigen/Geometry>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace BACKMAP {

double dihedral_degrees(const Vec3 &a, const Vec3 &b, const Vec3 &c, const Vec3 &d)
{
  const Vec3 b0 = a - b, b2 = d - c;
  const Vec3 b1 = (c - b).normalized();
  const Vec3 v = b0 - b0.dot(b1) * b1, w = b2 - b2.dot(b1) * b1;
  return std::atan2(b1.cross(v).dot(w), v.dot(w)) * 180.0 / M_PI;
}

std::map<std::string, std::map<std::string, double>> tail_order_parameters(const Structure &s, const MappingSet &mappings)
{
  // CHARMM lipid tails: carbons C2<k> (sn-2) and C3<k> (sn-1), k = 2, 3, ...
  auto tail_index = [](const std::string &name, char chain) -> int {
    if (name.size() < 3 || name[0] != 'C' || name[1] != chain) return -1;
    for (std::size_t i = 2; i < name.size(); ++i)
      if (!std::isdigit(static_cast<unsigned char>(name[i]))) return -1;
    return std::stoi(name.substr(2));
  };
  std::map<std::string, std::map<std::string, std::pair<double, long>>> sums;
  for (const Residue &r : s.residues) {
    const MoleculeMapping *m = molecule_mapping_of(mappings, r.name);
    // phospholipids (a phosphorus among the atoms): a sterol's C2x side chain is no tail
    if (!m || m->kind == MoleculeKind::AminoAcid || m->find_atom("P") < 0) continue;
    std::map<std::string, Vec3> x;
    for (const Atom &a : r.atoms) x[canonical_atom_name(m, a.name)] = a.position;
    for (char chain : {'2', '3'})
      for (const auto &[name, p] : x) {
        const int k = tail_index(name, chain);
        if (k < 2) continue;
        const std::string next = std::string("C") + chain + std::to_string(k + 1);
        const auto it = x.find(next);
        if (it == x.end()) continue;
        const Vec3 d = (it->second - p).normalized();
        auto &e = sums[m->name][name + "-" + next];
        e.first += 0.5 * (3 * d.z() * d.z() - 1);
        ++e.second;
      }
  }
  std::map<std::string, std::map<std::string, double>> out;
  for (const auto &[molecule, bonds] : sums)
    for (const auto &[bond, e] : bonds) out[molecule][bond] = e.first / e.second;
  return out;
}

Dihedrals protein_dihedrals(const Structure &s, const MappingSet &mappings)
{
  static const std::map<std::string, std::vector<std::array<const char *, 4>>> chis = {
      {"ARG", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "CD"}}}, {"ASN", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "OD1"}}},
      {"ASP", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "OD1"}}}, {"CYS", {{"N", "CA", "CB", "SG"}}},
      {"GLN", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "CD"}}}, {"GLU", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "CD"}}},
      {"HIS", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "ND1"}}}, {"ILE", {{"N", "CA", "CB", "CG1"}, {"CA", "CB", "CG1", "CD1"}}},
      {"LEU", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "CD1"}}}, {"LYS", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "CD"}}},
      {"MET", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "SD"}}}, {"PHE", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "CD1"}}},
      {"PRO", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "CD"}}}, {"SER", {{"N", "CA", "CB", "OG"}}},
      {"THR", {{"N", "CA", "CB", "OG1"}}}, {"TRP", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "CD1"}}},
      {"TYR", {{"N", "CA", "CB", "CG"}, {"CA", "CB", "CG", "CD1"}}}, {"VAL", {{"N", "CA", "CB", "CG1"}}}};
  Dihedrals d;
  std::vector<std::map<std::string, Vec3>> atoms(s.residues.size());
  std::vector<std::string> names(s.residues.size());
  for (std::size_t r = 0; r < s.residues.size(); ++r) {
    const MoleculeMapping *m = molecule_mapping_of(mappings, s.residues[r].name);
    names[r] = m ? m->name : s.residues[r].name;
    for (const auto &a : s.residues[r].atoms) atoms[r][canonical_atom_name(m, a.name)] = a.position;
  }
  auto has = [&](std::size_t r, std::initializer_list<const char *> list) {
    for (const char *n : list)
      if (!atoms[r].count(n)) return false;
    return true;
  };
  for (std::size_t r = 0; r < s.residues.size(); ++r) {
    const bool prev = r > 0 && s.residues[r - 1].chain == s.residues[r].chain && has(r - 1, {"C"}) && has(r, {"N"}) &&
        (atoms[r - 1]["C"] - atoms[r]["N"]).norm() < 2.0;
    const bool next = r + 1 < s.residues.size() && s.residues[r + 1].chain == s.residues[r].chain &&
        has(r + 1, {"N"}) && has(r, {"C"}) && (atoms[r]["C"] - atoms[r + 1]["N"]).norm() < 2.0;
    if (prev && next && has(r, {"N", "CA", "C"})) {
      const double phi = dihedral_degrees(atoms[r - 1]["C"], atoms[r]["N"], atoms[r]["CA"], atoms[r]["C"]);
      const double psi = dihedral_degrees(atoms[r]["N"], atoms[r]["CA"], atoms[r]["C"], atoms[r + 1]["N"]);
      d.phi.push_back(phi);
      d.psi.push_back(psi);
      d.phi_psi.emplace_back(phi, psi);
    }
    auto it = chis.find(names[r]);
    if (it == chis.end()) continue;
    for (std::size_t k = 0; k < it->second.size(); ++k) {
      const auto &q = it->second[k];
      if (!has(r, {q[0], q[1], q[2], q[3]})) continue;
      const double chi = dihedral_degrees(atoms[r][q[0]], atoms[r][q[1]], atoms[r][q[2]], atoms[r][q[3]]);
      (k == 0 ? d.chi1 : d.chi2).push_back(chi);
    }
  }
  return d;
}

namespace {

int bin_of(double angle, int bins)
{
  double u = (angle + 180.0) / 360.0;
  u -= std::floor(u);
  return std::min(bins - 1, static_cast<int>(u * bins));
}

double kl_of_histograms(const std::vector<double> &p, const std::vector<double> &q)
{
  const double eps = 1e-6;
  double sp = 0, sq = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    sp += p[i] + eps;
    sq += q[i] + eps;
  }
  double kl = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double a = (p[i] + eps) / sp, b = (q[i] + eps) / sq;
    kl += a * std::log(a / b);
  }
  return kl;
}

}    // namespace

double kl_divergence(const std::vector<double> &reference, const std::vector<double> &predicted, int bins)
{
  std::vector<double> p(bins, 0), q(bins, 0);
  for (double a : reference) p[bin_of(a, bins)] += 1;
  for (double a : predicted) q[bin_of(a, bins)] += 1;
  return kl_of_histograms(p, q);
}

double kl_divergence_2d(const std::vector<std::pair<double, double>> &reference,
                        const std::vector<std::pair<double, double>> &predicted, int bins)
{
  std::vector<double> p(bins * bins, 0), q(bins * bins, 0);
  for (auto [a, b] : reference) p[bin_of(a, bins) * bins + bin_of(b, bins)] += 1;
  for (auto [a, b] : predicted) q[bin_of(a, bins) * bins + bin_of(b, bins)] += 1;
  return kl_of_histograms(p, q);
}

}    // namespace BACKMAP
