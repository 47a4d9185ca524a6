#include "metrics.h"

#include "geometry_checks.h"
#include "matched_residue.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <tuple>
#include <vector>

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

std::vector<MatchedResidue> match_residues(const Structure &ref, const Structure &pred, const MappingSet &mappings)
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
  std::vector<MatchedResidue> out;
  for (const auto &r : ref.residues) {
    auto it = by_key.find(key(r));
    if (it == by_key.end()) continue;
    MatchedResidue m;
    m.ref = &r;
    m.pred = it->second;
    m.mapping = molecule_mapping_of(mappings, r.name);
    for (const auto &a : r.atoms)
      if (is_heavy_atom(a)) m.ref_atoms[canonical_atom_name(m.mapping, a.name)] = a.position;
    for (const auto &a : it->second->atoms)
      if (is_heavy_atom(a)) m.pred_atoms[canonical_atom_name(m.mapping, a.name)] = a.position;
    out.push_back(std::move(m));
  }
  return out;
}

double residue_error(const MatchedResidue &m)
{
  double sum = 0;
  for (const auto &[name, x] : m.ref_atoms) {
    auto it = m.pred_atoms.find(name);
    if (it != m.pred_atoms.end()) sum += (it->second - x).squaredNorm();
  }
  return sum;
}

// Swaps symmetric atoms of the prediction where that fits the reference better.
long apply_symmetric_swaps(MatchedResidue &m)
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

StructureMetrics compare_structures(const Structure &reference, const Structure &predicted, const MappingSet &mappings,
                                    bool geometry)
{
  StructureMetrics s;
  std::vector<MatchedResidue> residues = match_residues(reference, predicted, mappings);
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
  }
  s.matched_atoms = s.backbone_atoms + s.side_chain_atoms;
  s.rmsd_backbone = s.backbone_atoms ? std::sqrt(sq_bb / s.backbone_atoms) : 0;
  s.rmsd_side_chain = s.side_chain_atoms ? std::sqrt(sq_sc / s.side_chain_atoms) : 0;
  s.rmsd_all = s.matched_atoms ? std::sqrt((sq_bb + sq_sc) / s.matched_atoms) : 0;
  if (!geometry) return s;
  // bonds, angles, chirality, cis/trans and clashes against the reference's own geometry
  for (auto &m : residues) check_residue_geometry(m, s);
  check_peptide_bonds(residues, s);
  s.clashes = count_clashes(predicted);
  return s;
}

}    // namespace BACKMAP
