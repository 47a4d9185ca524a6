// The geometry checks of compare_structures (geometry_checks.h).
#include "geometry_checks.h"

#include "peptide_link.h"

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace BACKMAP {

namespace {

double angle_degrees(const Vec3 &a, const Vec3 &b, const Vec3 &c)
{
  const Vec3 u = a - b, w = c - b;
  return std::acos(std::max(-1.0, std::min(1.0, u.dot(w) / (u.norm() * w.norm())))) * 180.0 / M_PI;
}

// Tetrahedral centres and C=C double bonds of a molecule that is not an amino acid, judged
// against the reference's own geometry: a centre (3+ heavy neighbours, no two of them
// interchangeable, the first three not in one plane in the reference) is inverted when the sign of their triple product differs; a
// double bond (two carbons closer than 1.40 A in the reference) is wrong when its cis/trans
// state, from the first other heavy neighbour of each end, differs.
void molecule_geometry(MatchedResidue &m, const std::map<std::string, std::vector<std::string>> &neighbours,
                       StructureMetrics &s)
{
  const auto sets = interchangeable_atoms(m.mapping->name);
  for (const auto &[centre, list] : neighbours) {
    if (list.size() < 3) continue;
    // a centre with two interchangeable neighbours (the choline N, the phosphate P) has no
    // handedness: its "inversion" is a renaming
    bool symmetric = false;
    for (const auto &set : sets) {
      int in_set = 0;
      for (const auto &x : list) in_set += std::find(set.begin(), set.end(), x) != set.end();
      symmetric |= in_set >= 2;
    }
    if (symmetric) continue;
    std::vector<std::string> n = list;
    std::sort(n.begin(), n.end());
    auto triple = [&](std::map<std::string, Vec3> &x) {
      return (x[n[0]] - x[centre]).cross(x[n[1]] - x[centre]).dot(x[n[2]] - x[centre]);
    };
    const double ref = triple(m.ref_atoms);
    if (std::fabs(ref) < 1.0) continue;    // planar in the reference (sp2, about 0; sp3 about 2.5 A^3)
    ++s.tetrahedral_centres;
    if ((ref > 0) != (triple(m.pred_atoms) > 0)) ++s.inversions;
  }
  for (const auto &[a, list] : neighbours)
    for (const std::string &b : list) {
      if (b <= a || m.mapping->atoms[m.mapping->find_atom(a)].element != "C" ||
          m.mapping->atoms[m.mapping->find_atom(b)].element != "C")
        continue;
      if ((m.ref_atoms[a] - m.ref_atoms[b]).norm() >= 1.40) continue;
      auto other = [&](const std::string &end, const std::string &not_this) -> std::string {
        std::vector<std::string> n = neighbours.at(end);
        std::sort(n.begin(), n.end());
        for (const auto &x : n)
          if (x != not_this) return x;
        return {};
      };
      const std::string x = other(a, b), y = other(b, a);
      if (x.empty() || y.empty()) continue;
      ++s.double_bonds;
      const double wr = dihedral_degrees(m.ref_atoms[x], m.ref_atoms[a], m.ref_atoms[b], m.ref_atoms[y]);
      const double wp = dihedral_degrees(m.pred_atoms[x], m.pred_atoms[a], m.pred_atoms[b], m.pred_atoms[y]);
      if ((std::fabs(wr) < 90) != (std::fabs(wp) < 90)) ++s.double_bond_errors;
    }
}

}    // namespace

void check_residue_geometry(MatchedResidue &m, StructureMetrics &s)
{
  // bonds and angles inside the residue, against the reference's own geometry
  if (!m.mapping) return;
  std::map<std::string, std::vector<std::string>> neighbours;
  for (const auto &[i, j] : m.mapping->bonds) {
    const std::string &a = m.mapping->atoms[i].name, &b = m.mapping->atoms[j].name;
    if (!m.ref_atoms.count(a) || !m.ref_atoms.count(b) || !m.pred_atoms.count(a) || !m.pred_atoms.count(b)) continue;
    ++s.bonds;
    const double dr = (m.ref_atoms[a] - m.ref_atoms[b]).norm(), dp = (m.pred_atoms[a] - m.pred_atoms[b]).norm();
    if (std::fabs(dr - dp) > 0.1) ++s.bonds_off;
    neighbours[a].push_back(b);
    neighbours[b].push_back(a);
  }
  for (const auto &[v, list] : neighbours)
    for (std::size_t x = 0; x < list.size(); ++x)
      for (std::size_t y = x + 1; y < list.size(); ++y) {
        ++s.angles;
        const double ar = angle_degrees(m.ref_atoms[list[x]], m.ref_atoms[v], m.ref_atoms[list[y]]);
        const double ap = angle_degrees(m.pred_atoms[list[x]], m.pred_atoms[v], m.pred_atoms[list[y]]);
        if (std::fabs(ar - ap) > 10.0) ++s.angles_off;
      }
  if (m.mapping->kind != MoleculeKind::AminoAcid) molecule_geometry(m, neighbours, s);
  // CA chirality: the sign of the N-CA-C-CB improper
  const char *chiral[] = {"N", "CA", "C", "CB"};
  bool has = true;
  for (const char *n : chiral) has &= m.ref_atoms.count(n) && m.pred_atoms.count(n);
  if (has) {
    ++s.chiral_centres;
    auto improper = [&](std::map<std::string, Vec3> &x) {
      return (x["N"] - x["CA"]).cross(x["C"] - x["CA"]).dot(x["CB"] - x["CA"]);
    };
    if ((improper(m.ref_atoms) > 0) != (improper(m.pred_atoms) > 0)) ++s.chirality_errors;
  }
}

void check_peptide_bonds(std::vector<MatchedResidue> &residues, StructureMetrics &s)
{
  // peptide bonds: bond length and cis/trans against the reference
  for (std::size_t k = 1; k < residues.size(); ++k) {
    MatchedResidue &a = residues[k - 1], &b = residues[k];
    if (a.ref->chain != b.ref->chain) continue;
    const char *need_a[] = {"CA", "C"}, *need_b[] = {"N", "CA"};
    bool ok = true;
    for (const char *n : need_a) ok &= a.ref_atoms.count(n) && a.pred_atoms.count(n);
    for (const char *n : need_b) ok &= b.ref_atoms.count(n) && b.pred_atoms.count(n);
    if (!ok || !peptide_bonded(a.ref_atoms["C"], b.ref_atoms["N"])) continue;
    ++s.peptide_bonds;
    ++s.bonds;
    if (std::fabs((a.ref_atoms["C"] - b.ref_atoms["N"]).norm() - (a.pred_atoms["C"] - b.pred_atoms["N"]).norm()) > 0.1)
      ++s.bonds_off;
    const double wr = dihedral_degrees(a.ref_atoms["CA"], a.ref_atoms["C"], b.ref_atoms["N"], b.ref_atoms["CA"]);
    const double wp = dihedral_degrees(a.pred_atoms["CA"], a.pred_atoms["C"], b.pred_atoms["N"], b.pred_atoms["CA"]);
    if ((std::fabs(wr) < 90) != (std::fabs(wp) < 90)) ++s.cis_errors;
  }
}

long count_clashes(const Structure &predicted)
{
  // a 2.2 A grid finds the pairs
  struct Item {
    Vec3 x;
    int residue;
    std::string name;
  };
  std::vector<Item> items;
  for (std::size_t r = 0; r < predicted.residues.size(); ++r)
    for (const auto &a : predicted.residues[r].atoms)
      if (is_heavy_atom(a)) items.push_back({a.position, static_cast<int>(r), a.name});
  const double cut = 2.2;
  std::unordered_map<long long, std::vector<int>> grid;
  auto cell = [&](const Vec3 &x, int dx, int dy, int dz) {
    const long long i = static_cast<long long>(std::floor(x.x() / cut)) + dx, j = static_cast<long long>(std::floor(x.y() / cut)) + dy,
                    k = static_cast<long long>(std::floor(x.z() / cut)) + dz;
    return (i * 1000003LL + j) * 1000033LL + k;
  };
  for (std::size_t i = 0; i < items.size(); ++i) grid[cell(items[i].x, 0, 0, 0)].push_back(static_cast<int>(i));
  long clashes = 0;
  for (std::size_t i = 0; i < items.size(); ++i)
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = -1; dz <= 1; ++dz) {
          auto it = grid.find(cell(items[i].x, dx, dy, dz));
          if (it == grid.end()) continue;
          for (int j : it->second) {
            if (j <= static_cast<int>(i)) continue;
            const Residue &ri = predicted.residues[items[i].residue], &rj = predicted.residues[items[j].residue];
            // atoms of one residue, or of neighbours in one chain, are bonded or 1-3 partners
            if (ri.chain == rj.chain && std::abs(items[i].residue - items[j].residue) <= 1) continue;
            // two cysteine SG atoms this close are a disulfide bond (2.05 A), not a clash
            if (items[i].name == "SG" && items[j].name == "SG" && ri.name.rfind("CY", 0) == 0 && rj.name.rfind("CY", 0) == 0)
              continue;
            if ((items[i].x - items[j].x).norm() < cut) ++clashes;
          }
        }
  return clashes;
}

}    // namespace BACKMAP
