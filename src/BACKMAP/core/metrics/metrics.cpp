#include "metrics.h"

#include "peptide_link.h"

#include "elements.h"

#include <Eigen/Geometry>

#include <algorithm>
#include <array>
#include <numeric>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace BACKMAP {

std::vector<std::vector<std::string>> interchangeable_atoms(const std::string &molecule)
{
  if (molecule == "POPC" || molecule == "DOPC" || molecule == "DPPC" || molecule == "DMPC")
    return {{"C13", "C14", "C15"}, {"O13", "O14"}};
  if (molecule == "POPE") return {{"O13", "O14"}};
  if (molecule == "CHL1") return {{"C26", "C27"}};    // the two methyls of the isopropyl end
  return {};
}

namespace {

using ResidueKey = std::tuple<std::string, int, char>;

ResidueKey key_of(const Residue &r)
{
  return {r.chain, r.number, r.insertion};
}

bool is_heavy(const Atom &a)
{
  return !a.element.empty() ? !is_hydrogen(a.element) : !(a.name[0] == 'H');
}

bool is_backbone(const std::string &name)
{
  return name == "N" || name == "CA" || name == "C" || name == "O" || name == "OXT";
}

// Pairs of atom names that a residue's symmetry lets swap together.
std::vector<std::vector<std::pair<std::string, std::string>>> symmetric_groups(const std::string &resname)
{
  if (resname == "PHE" || resname == "TYR") return {{{"CD1", "CD2"}, {"CE1", "CE2"}}};
  if (resname == "ASP") return {{{"OD1", "OD2"}}};
  if (resname == "GLU") return {{{"OE1", "OE2"}}};
  if (resname == "ARG") return {{{"NH1", "NH2"}}};
  return {};
}

double angle_degrees(const Vec3 &a, const Vec3 &b, const Vec3 &c)
{
  const Vec3 u = a - b, w = c - b;
  return std::acos(std::max(-1.0, std::min(1.0, u.dot(w) / (u.norm() * w.norm())))) * 180.0 / M_PI;
}

const MoleculeMapping *mapping_of(const MappingSet &mappings, const std::string &resname)
{
  const auto c = mappings.candidates(resname);
  return c.empty() ? nullptr : c.front();
}

struct Matched {
  const Residue *ref = nullptr, *pred = nullptr;
  const MoleculeMapping *mapping = nullptr;
  std::map<std::string, Vec3> ref_atoms, pred_atoms;    // canonical names
};

std::string canonical(const MoleculeMapping *m, const std::string &name)
{
  if (!m) return name;
  const int k = m->find_atom(name);
  return k >= 0 ? m->atoms[k].name : name;
}

std::vector<Matched> match_residues(const Structure &ref, const Structure &pred, const MappingSet &mappings)
{
  // a file without chain names (GRO) matches by residue number alone: a PDB written from it
  // names its one chain A
  auto chainless = [](const Structure &s) {
    return std::all_of(s.residues.begin(), s.residues.end(), [](const Residue &r) { return r.chain.empty(); });
  };
  const bool by_number = chainless(ref) || chainless(pred);
  auto key = [&](const Residue &r) {
    ResidueKey k = key_of(r);
    if (by_number) std::get<0>(k).clear();
    return k;
  };
  std::map<ResidueKey, const Residue *> by_key;
  for (const auto &r : pred.residues) by_key[key(r)] = &r;
  std::vector<Matched> out;
  for (const auto &r : ref.residues) {
    auto it = by_key.find(key(r));
    if (it == by_key.end()) continue;
    Matched m;
    m.ref = &r;
    m.pred = it->second;
    m.mapping = mapping_of(mappings, r.name);
    for (const auto &a : r.atoms)
      if (is_heavy(a)) m.ref_atoms[canonical(m.mapping, a.name)] = a.position;
    for (const auto &a : it->second->atoms)
      if (is_heavy(a)) m.pred_atoms[canonical(m.mapping, a.name)] = a.position;
    out.push_back(std::move(m));
  }
  return out;
}

double residue_error(const Matched &m)
{
  double sum = 0;
  for (const auto &[name, x] : m.ref_atoms) {
    auto it = m.pred_atoms.find(name);
    if (it != m.pred_atoms.end()) sum += (it->second - x).squaredNorm();
  }
  return sum;
}

// Swaps symmetric atoms of the prediction where that fits the reference better.
long apply_symmetric_swaps(Matched &m)
{
  long swaps = 0;
  for (const auto &set : interchangeable_atoms(m.mapping ? m.mapping->name : m.ref->name)) {
    if (!std::all_of(set.begin(), set.end(), [&](const std::string &a) { return m.pred_atoms.count(a) > 0; })) continue;
    std::vector<Vec3> original;
    for (const auto &a : set) original.push_back(m.pred_atoms[a]);
    std::vector<int> order(set.size()), best;
    std::iota(order.begin(), order.end(), 0);
    double best_error = residue_error(m);
    do {    // every permutation (sets have 2 or 3 atoms)
      for (std::size_t k = 0; k < set.size(); ++k) m.pred_atoms[set[k]] = original[order[k]];
      const double e = residue_error(m);
      if (e < best_error) {
        best_error = e;
        best = order;
      }
    } while (std::next_permutation(order.begin(), order.end()));
    for (std::size_t k = 0; k < set.size(); ++k) m.pred_atoms[set[k]] = original[best.empty() ? k : best[k]];
    if (!best.empty()) ++swaps;
  }
  for (const auto &group : symmetric_groups(m.ref->name)) {
    bool complete = true;
    for (const auto &[a, b] : group) complete &= m.pred_atoms.count(a) && m.pred_atoms.count(b);
    if (!complete) continue;
    const double before = residue_error(m);
    for (const auto &[a, b] : group) std::swap(m.pred_atoms[a], m.pred_atoms[b]);
    if (residue_error(m) < before) ++swaps;
    else
      for (const auto &[a, b] : group) std::swap(m.pred_atoms[a], m.pred_atoms[b]);
  }
  return swaps;
}

}    // namespace

double dihedral_degrees(const Vec3 &a, const Vec3 &b, const Vec3 &c, const Vec3 &d)
{
  const Vec3 b0 = a - b, b2 = d - c;
  const Vec3 b1 = (c - b).normalized();
  const Vec3 v = b0 - b0.dot(b1) * b1, w = b2 - b2.dot(b1) * b1;
  return std::atan2(b1.cross(v).dot(w), v.dot(w)) * 180.0 / M_PI;
}

void accumulate(StructureMetrics &t, const StructureMetrics &m)
{
  auto pooled = [](double a, long na, double b, long nb) {
    return na + nb ? std::sqrt((a * a * na + b * b * nb) / (na + nb)) : 0.0;
  };
  t.rmsd_backbone = pooled(t.rmsd_backbone, t.backbone_atoms, m.rmsd_backbone, m.backbone_atoms);
  t.rmsd_side_chain = pooled(t.rmsd_side_chain, t.side_chain_atoms, m.rmsd_side_chain, m.side_chain_atoms);
  t.rmsd_all = pooled(t.rmsd_all, t.matched_atoms, m.rmsd_all, m.matched_atoms);
  t.backbone_atoms += m.backbone_atoms;
  t.side_chain_atoms += m.side_chain_atoms;
  t.matched_atoms += m.matched_atoms;
  t.symmetric_swaps += m.symmetric_swaps;
  t.bonds += m.bonds;
  t.bonds_off += m.bonds_off;
  t.angles += m.angles;
  t.angles_off += m.angles_off;
  t.chiral_centres += m.chiral_centres;
  t.chirality_errors += m.chirality_errors;
  t.peptide_bonds += m.peptide_bonds;
  t.cis_errors += m.cis_errors;
  t.clashes += m.clashes;
  t.tetrahedral_centres += m.tetrahedral_centres;
  t.inversions += m.inversions;
  t.double_bonds += m.double_bonds;
  t.double_bond_errors += m.double_bond_errors;
  for (const auto &[name, list] : m.residue_rmsd)
    t.residue_rmsd[name].insert(t.residue_rmsd[name].end(), list.begin(), list.end());
}

namespace {

// Tetrahedral centres and C=C double bonds of a molecule that is not an amino acid, judged
// against the reference's own geometry: a centre (3+ heavy neighbours, no two of them
// interchangeable, the first three not in one plane in the reference) is inverted when the sign of their triple product differs; a
// double bond (two carbons closer than 1.40 A in the reference) is wrong when its cis/trans
// state, from the first other heavy neighbour of each end, differs.
void molecule_geometry(Matched &m, const std::map<std::string, std::vector<std::string>> &neighbours,
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
    const MoleculeMapping *m = mapping_of(mappings, r.name);
    // phospholipids (a phosphorus among the atoms): a sterol's C2x side chain is no tail
    if (!m || m->kind == MoleculeKind::AminoAcid || m->find_atom("P") < 0) continue;
    std::map<std::string, Vec3> x;
    for (const Atom &a : r.atoms) x[canonical(m, a.name)] = a.position;
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

StructureMetrics compare_structures(const Structure &reference, const Structure &predicted, const MappingSet &mappings,
                                    bool geometry)
{
  StructureMetrics s;
  std::vector<Matched> residues = match_residues(reference, predicted, mappings);
  double sq_bb = 0, sq_sc = 0;
  for (auto &m : residues) {
    s.symmetric_swaps += apply_symmetric_swaps(m);
    double residue_sq = 0;
    long residue_atoms = 0;
    for (const auto &[name, x] : m.ref_atoms) {
      auto it = m.pred_atoms.find(name);
      if (it == m.pred_atoms.end()) continue;
      const double e = (it->second - x).squaredNorm();
      residue_sq += e;
      ++residue_atoms;
      const bool bb = (!m.mapping || m.mapping->kind == MoleculeKind::AminoAcid) && is_backbone(name);
      (bb ? sq_bb : sq_sc) += e;
      ++(bb ? s.backbone_atoms : s.side_chain_atoms);
    }
    if (m.mapping && m.mapping->kind != MoleculeKind::AminoAcid && residue_atoms > 0)
      s.residue_rmsd[m.mapping->name].push_back(std::sqrt(residue_sq / residue_atoms));
    // bonds and angles inside the residue, against the reference's own geometry
    if (!m.mapping || !geometry) continue;
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
  // peptide bonds: bond length and cis/trans against the reference
  for (std::size_t k = 1; geometry && k < residues.size(); ++k) {
    Matched &a = residues[k - 1], &b = residues[k];
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
  s.matched_atoms = s.backbone_atoms + s.side_chain_atoms;
  s.rmsd_backbone = s.backbone_atoms ? std::sqrt(sq_bb / s.backbone_atoms) : 0;
  s.rmsd_side_chain = s.side_chain_atoms ? std::sqrt(sq_sc / s.side_chain_atoms) : 0;
  s.rmsd_all = s.matched_atoms ? std::sqrt((sq_bb + sq_sc) / s.matched_atoms) : 0;
  if (!geometry) return s;

  // clashes: heavy atoms of the prediction closer than 2.2 A that are not bonded (1-2) or
  // 1-3 neighbours in the same or adjacent residues, nor a disulfide's two SG; a 2.2 A grid
  // finds the pairs
  struct Item {
    Vec3 x;
    int residue;
    std::string name;
  };
  std::vector<Item> items;
  for (std::size_t r = 0; r < predicted.residues.size(); ++r)
    for (const auto &a : predicted.residues[r].atoms)
      if (is_heavy(a)) items.push_back({a.position, static_cast<int>(r), a.name});
  const double cut = 2.2;
  std::unordered_map<long long, std::vector<int>> grid;
  auto cell = [&](const Vec3 &x, int dx, int dy, int dz) {
    const long long i = static_cast<long long>(std::floor(x.x() / cut)) + dx, j = static_cast<long long>(std::floor(x.y() / cut)) + dy,
                    k = static_cast<long long>(std::floor(x.z() / cut)) + dz;
    return (i * 1000003LL + j) * 1000033LL + k;
  };
  for (std::size_t i = 0; i < items.size(); ++i) grid[cell(items[i].x, 0, 0, 0)].push_back(static_cast<int>(i));
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
            if ((items[i].x - items[j].x).norm() < cut) ++s.clashes;
          }
        }
  return s;
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
    const MoleculeMapping *m = mapping_of(mappings, s.residues[r].name);
    names[r] = m ? m->name : s.residues[r].name;
    for (const auto &a : s.residues[r].atoms) atoms[r][canonical(m, a.name)] = a.position;
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
