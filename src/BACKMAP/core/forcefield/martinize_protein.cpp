/* BACKMAP core, forcefield layer: Martini protein molecules as martinize2 builds them (see
   martinize_protein.h). */
#include "martinize_protein.h"

#include "file_error.h"
#include "secondary_structure.h"
#include "vermouth_links.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

namespace BACKMAP {

namespace {

// vermouth's van der Waals radii (nm) for the elements a protein has; bonds between residues
// are guessed where two heavy atoms are closer than 1.2 x the mean of their radii.
double vdw_radius(const std::string &element)
{
  static const std::map<std::string, double> radii = {{"C", 0.170}, {"N", 0.155}, {"O", 0.152}, {"S", 0.180},
                                                      {"P", 0.180}, {"F", 0.147}, {"Cl", 0.175}, {"Br", 0.185},
                                                      {"I", 0.198}, {"Se", 0.190}};
  const auto found = radii.find(element);
  return found == radii.end() ? 0.0 : found->second;
}

struct HeavyAtom {
  Vec3 x;               // Angstrom
  double radius;        // nm
  int residue;          // index into fm.residues
  std::vector<int> beads;    // bead indices within the residue (mapping order)
  bool sulfur;
};

// A bond between beads of two residues (indices into fm.residues; beads in mapping order).
struct ResidueBond {
  int residue_a, bead_a, residue_b, bead_b;
  bool disulfide;    // from an S-S bond
};

std::string residue_text(const Residue &r) { return r.label(); }

// Edges between beads of different residues, from bonded atoms (martinize2's distance rule).
std::vector<ResidueBond> bonds_between_residues(const ForwardMapping &fm)
{
  std::vector<HeavyAtom> atoms;
  for (std::size_t r = 0; r < fm.residues.size(); ++r) {
    const MappedResidue &mapped = fm.residues[r];
    const Residue &input = fm.atomistic.residues[static_cast<std::size_t>(mapped.residue)];
    const MoleculeMapping &mapping = *mapped.match.mapping;
    for (std::size_t k = 0; k < mapping.atoms.size(); ++k) {
      const int at = mapped.match.input_of[k];
      if (at < 0 || mapping.atoms[k].is_hydrogen()) continue;
      const double radius = vdw_radius(mapping.atoms[k].element);
      if (radius <= 0) continue;
      HeavyAtom h{input.atoms[static_cast<std::size_t>(at)].position, radius, static_cast<int>(r), {},
                  mapping.atoms[k].element == "S"};
      for (const BeadShare &share : mapping.atoms[k].beads) h.beads.push_back(share.bead);
      atoms.push_back(h);
    }
  }
  const double cell = 2.2;    // A: the longest bond guessed (S-S, 1.2 x 0.18 nm)
  const auto key = [&](const Vec3 &x, int dx, int dy, int dz) {
    const long i = static_cast<long>(std::floor(x.x() / cell)) + dx, j = static_cast<long>(std::floor(x.y() / cell)) + dy,
               k = static_cast<long>(std::floor(x.z() / cell)) + dz;
    return (i * 73856093L) ^ (j * 19349663L) ^ (k * 83492791L);
  };
  std::unordered_multimap<long, int> grid;
  for (std::size_t a = 0; a < atoms.size(); ++a) grid.emplace(key(atoms[a].x, 0, 0, 0), static_cast<int>(a));
  std::vector<ResidueBond> edges;
  for (std::size_t a = 0; a < atoms.size(); ++a)
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = -1; dz <= 1; ++dz) {
          const auto range = grid.equal_range(key(atoms[a].x, dx, dy, dz));
          for (auto it = range.first; it != range.second; ++it) {
            const HeavyAtom &p = atoms[a], &q = atoms[static_cast<std::size_t>(it->second)];
            if (it->second <= static_cast<int>(a) || p.residue == q.residue) continue;
            const double limit = 10.0 * 1.2 * 0.5 * (p.radius + q.radius);
            if ((p.x - q.x).squaredNorm() > limit * limit) continue;
            for (int bp : p.beads)
              for (int bq : q.beads) edges.push_back({p.residue, bp, q.residue, bq, p.sulfur && q.sulfur});
          }
        }
  return edges;
}

// Applies a modification's replacements to the matching beads of one residue.
void apply_modification(CgMolecule &m, const CgResidue &residue, const FfModification &mod)
{
  for (const FfNode &atom : mod.atoms) {
    FfAttributes wanted = atom.attributes;
    const FfAttributes replace = wanted.contains("replace") ? wanted["replace"] : FfAttributes::object();
    for (const char *key : {"replace", "PTM_atom", "order"}) wanted.erase(key);
    for (int b : residue.beads) {
      FfAttributes &a = m.beads[static_cast<std::size_t>(b)].attributes;
      if (!attributes_match(a, wanted)) continue;
      a.update(replace);
      if (!a.contains("modifications")) a["modifications"] = FfAttributes::array();
      a["modifications"].push_back(mod.name);
    }
  }
}

// The protonation modification the hydrogens of an input residue show, as martinize2 finds them
// in a structure with hydrogens (a protonated ASP or GLU, a neutral LYS); "" for none (no
// hydrogens, the usual state, or a residue name that already says it). martinize2 finds HIS-HD
// and HIS-HP too but does not apply them, so neither does this.
std::string protonation_of(const Residue &input, const std::string &block)
{
  const auto has = [&](const char *name) { return input.find_atom(name) >= 0; };
  int hz = 0;
  for (const char *name : {"HZ1", "HZ2", "HZ3"}) hz += has(name);
  if (block == "ASP") return has("HD2") ? "ASP-HD2" : has("HD1") ? "ASP-HD1" : "";
  if (block == "GLU") return has("HE2") ? "GLU-HE2" : has("HE1") ? "GLU-HE1" : "";
  if (block == "LYS") return hz > 0 && hz < 3 ? "LYS-LSN" : "";
  return "";
}

const FfModification &modification(const VermouthForceField &ff, const std::string &name)
{
  const auto found = ff.modifications.find(name);
  if (found == ff.modifications.end())
    fail_at(ff.files.empty() ? std::string("force field") : ff.files.front(), 0,
            "the force field has no [ modification ] " + name + " (termini)");
  return found->second;
}

// One letter per residue of every molecule from what the user gave.
std::vector<std::string> per_molecule(const std::string &given, const std::vector<std::vector<int>> &molecules,
                                      const std::string &input)
{
  std::size_t total = 0;
  for (const auto &m : molecules) total += m.size();
  std::string all;
  const bool same_lengths = std::all_of(molecules.begin(), molecules.end(), [&](const auto &m) { return m.size() == molecules.front().size(); });
  if (given.size() == 1)
    all = std::string(total, given[0]);
  else if (given.size() == total)
    all = given;
  else if (same_lengths && given.size() == molecules.front().size())
    for (std::size_t k = 0; k < molecules.size(); ++k) all += given;
  else
    fail_at(input, 0, "the secondary structure has " + std::to_string(given.size()) + " letters for " +
                          std::to_string(total) + " protein residues (give one per residue, one per residue of a "
                          "molecule when all are alike, or one for all)");
  std::vector<std::string> out;
  std::size_t at = 0;
  for (const auto &m : molecules) out.push_back(all.substr(at, m.size())), at += m.size();
  return out;
}

}    // namespace

std::string block_name_for(const VermouthForceField &ff, const std::string &residue, const std::string &mapping_name)
{
  if (ff.block(residue)) return residue;
  static const std::map<std::string, std::string> spellings = {
      {"HISD", "HSD"}, {"HISE", "HSE"}, {"HISH", "HSP"}, {"HIS1", "HSD"}, {"HISA", "HSD"}, {"HISB", "HSE"},
      {"CYX", "CYS"},  {"CYM", "CYS"},  {"LYSH", "LYS"}, {"ASPH", "ASH"}, {"GLUH", "GLH"}};
  if (const auto s = spellings.find(residue); s != spellings.end() && ff.block(s->second)) return s->second;
  if (ff.block(mapping_name)) return mapping_name;
  return "";
}

namespace {

// GoMartini as martinize2 -go makes it: the molecules merged into one, named after the prefix,
// the contact map from the input's atoms of every protein residue, and the model on it.
void add_go_contacts(MartinizedProtein &out, const ForwardMapping &fm, const std::map<int, std::pair<int, int>> &place,
                     const GoModelParameters &p, const std::string &input)
{
  std::vector<int> first_residue;    // of each molecule in the merged one
  int residues = 0;
  for (const CgMolecule &m : out.molecules) first_residue.push_back(residues), residues += static_cast<int>(m.residues.size());
  CgMolecule merged = merge_molecules(out.molecules, p.prefix);
  std::vector<const Residue *> atomistic;
  std::vector<int> residue_of;
  for (std::size_t r = 0; r < fm.residues.size(); ++r) {
    atomistic.push_back(&fm.atomistic.residues[static_cast<std::size_t>(fm.residues[r].residue)]);
    const auto [molecule, within] = place.at(static_cast<int>(r));
    residue_of.push_back(first_residue[static_cast<std::size_t>(molecule)] + within);
  }
  const std::vector<GoResidueContact> map = go_contact_map(atomistic);
  out.go = add_go_model(merged, map, residue_of, p);
  out.go_contact_map = go_contact_map_text(map, atomistic, input);
  out.go_map_pairs = map.size();
  for (const GoResidueContact &c : map) out.go_map_taken += c.taken() ? 1 : 0;
  out.molecules = {std::move(merged)};
}

}    // namespace

MartinizedProtein martinize_protein(const ForwardMapping &fm, const VermouthForceField &ff, const MartinizeOptions &options,
                                    const std::string &input)
{
  const std::size_t n = fm.residues.size();
  if (n == 0) fail_at(input, 0, "no residue could be mapped to Martini beads");
  std::string ff_files;
  for (const std::string &f : ff.files) ff_files += (ff_files.empty() ? "" : ", ") + f;

  // residues: their blocks, beads in block order
  std::vector<std::string> blocks(n);
  std::vector<std::vector<int>> bead_of_mapping(n);    // mapping bead index -> block atom index
  for (std::size_t r = 0; r < n; ++r) {
    const MappedResidue &mapped = fm.residues[r];
    const Residue &cg = fm.cg.residues[r];
    const MoleculeMapping &mapping = *mapped.match.mapping;
    const std::string where = "residue " + residue_text(cg) + " (residue " + std::to_string(r + 1) + " of " + std::to_string(n) + ")";
    if (mapping.kind != MoleculeKind::AminoAcid)
      fail_at(input, 0, where + " is not an amino acid: --topology writes protein topologies only");
    blocks[r] = block_name_for(ff, cg.name, mapping.name);
    // CHARMM's four-letter names (ASPP, GLUP) spill into the PDB chain column, read as a
    // two-letter chain: the name with that letter, where the force field has such a block
    if (cg.chain.size() == 2 && ff.block(cg.name + cg.chain[0])) blocks[r] = cg.name + cg.chain[0];
    if (blocks[r].empty()) fail_at(input, 0, where + ": no [ moleculetype ] " + cg.name + " in the force field (" + ff_files + ")");
    const FfBlock &block = *ff.block(blocks[r]);
    if (block.atoms.size() != mapping.beads.size())
      fail_at(input, 0, where + ": the mapping has " + std::to_string(mapping.beads.size()) + " beads, block " + block.name + " (" +
                            block.path + ":" + std::to_string(block.line) + ") " + std::to_string(block.atoms.size()));
    for (const BeadDefinition &bead : mapping.beads) {
      const auto it = std::find_if(block.atoms.begin(), block.atoms.end(), [&](const FfNode &a) { return a.key == bead.name; });
      if (it == block.atoms.end())
        fail_at(input, 0, where + ": bead " + bead.name + " is not an atom of block " + block.name + " (" + block.path + ":" +
                              std::to_string(block.line) + ")");
      bead_of_mapping[r].push_back(static_cast<int>(it - block.atoms.begin()));
    }
  }

  // bonds between residues; every chain must be one piece
  const auto inter = bonds_between_residues(fm);
  std::vector<std::set<int>> residue_graph(n);
  for (const ResidueBond &e : inter) {
    if (e.disulfide && !options.cysteine_bridges) continue;
    residue_graph[static_cast<std::size_t>(e.residue_a)].insert(e.residue_b);
    residue_graph[static_cast<std::size_t>(e.residue_b)].insert(e.residue_a);
  }
  for (std::size_t r = 1; r < n; ++r) {
    if (fm.cg.residues[r].molecule != fm.cg.residues[r - 1].molecule) continue;
    if (!residue_graph[r].count(static_cast<int>(r - 1))) {
      const Residue &a = fm.atomistic.residues[static_cast<std::size_t>(fm.residues[r - 1].residue)];
      const Residue &b = fm.atomistic.residues[static_cast<std::size_t>(fm.residues[r].residue)];
      const int c = a.find_atom("C"), nn = b.find_atom("N");
      const std::string gap = c >= 0 && nn >= 0
                                  ? " (C-N " + std::to_string((a.atoms[static_cast<std::size_t>(c)].position -
                                                               b.atoms[static_cast<std::size_t>(nn)].position).norm()).substr(0, 5) +
                                        " A, a peptide bond is 1.33 A)"
                                  : "";
      fail_at(input, 0, "broken chain: residues " + a.label() + " and " + b.label() + " follow each other in chain '" + a.chain +
                            "' but are not bonded" + gap + "; split the chain (a chain ID or TER per piece) or model the gap");
    }
  }

  // molecules: connected residues, in input order
  std::vector<int> molecule_of(n, -1);
  std::vector<std::vector<int>> molecules;
  for (std::size_t r = 0; r < n; ++r) {
    if (molecule_of[r] >= 0) continue;
    std::vector<int> members{static_cast<int>(r)};
    molecule_of[r] = static_cast<int>(molecules.size());
    for (std::size_t k = 0; k < members.size(); ++k)
      for (int next : residue_graph[static_cast<std::size_t>(members[k])])
        if (molecule_of[static_cast<std::size_t>(next)] < 0) {
          molecule_of[static_cast<std::size_t>(next)] = molecule_of[r];
          members.push_back(next);
        }
    std::sort(members.begin(), members.end());
    molecules.push_back(members);
  }

  if (options.elastic && options.go)
    throw std::invalid_argument("an elastic network and Go contacts cannot be used together (as in martinize2)");
  // secondary structure
  MartinizedProtein out;
  std::vector<std::string> dssp, martini;
  if (!options.secondary_structure.empty()) {
    std::string upper = options.secondary_structure;
    for (char &c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (std::size_t i = 0; i < upper.size(); ++i)
      if (!is_dssp_letter(upper[i]))
        fail_at(input, 0, "secondary structure letter '" + std::string(1, upper[i]) + "' (position " + std::to_string(i + 1) +
                              ") is not a DSSP letter: H B E G I T S C (or 1 2 3)");
    dssp = per_molecule(upper, molecules, input);
    for (const std::string &s : dssp) martini.push_back(dssp_to_martini(s)), out.dssp += s, out.martini_secondary_structure += martini.back();
  }

  std::map<int, std::pair<int, int>> place;    // residue -> (molecule, residue within it)
  for (std::size_t k = 0; k < molecules.size(); ++k) {
    CgMolecule m;
    m.name = "molecule_" + std::to_string(k);
    m.meta = FfAttributes{{"scfix", options.side_chain_fixes}, {"extdih", options.extended_dihedrals}, {"idr", false}};
    for (std::size_t i = 0; i < molecules[k].size(); ++i) {
      const int r = molecules[k][i];
      place[r] = {static_cast<int>(k), static_cast<int>(i)};
      const Residue &cg = fm.cg.residues[static_cast<std::size_t>(r)];
      const FfBlock &block = *ff.block(blocks[static_cast<std::size_t>(r)]);
      m.nrexcl = block.nrexcl;
      CgResidue residue{cg.name, cg.chain, cg.number, cg.insertion, block.name, {}};
      std::vector<int> bead_index(block.atoms.size(), -1);
      for (std::size_t a = 0; a < block.atoms.size(); ++a) {
        CgBead bead;
        bead.attributes = block.atoms[a].attributes;
        bead.attributes["resname"] = block.name;
        bead.attributes["resid"] = static_cast<int>(i) + 1;
        bead.attributes["chain"] = cg.chain;
        if (!martini.empty()) bead.attributes["cgsecstruct"] = std::string(1, martini[k][i]);
        bead.attributes["charge_group"] = static_cast<int>(m.beads.size()) + 1;
        bead.residue = static_cast<int>(i);
        bead_index[a] = m.add_bead(bead);
        residue.beads.push_back(bead_index[a]);
      }
      const std::vector<int> &order = bead_of_mapping[static_cast<std::size_t>(r)];
      for (std::size_t b = 0; b < order.size(); ++b)
        m.beads[static_cast<std::size_t>(bead_index[static_cast<std::size_t>(order[b])])].position = cg.atoms[b].position / 10.0;
      const auto bead_named = [&](const std::string &name) {
        return bead_index[static_cast<std::size_t>(block.find(name) - block.atoms.data())];
      };
      for (const auto &[a, b] : block.edges) m.add_edge(bead_named(a), bead_named(b));
      for (const auto &[section, list] : block.interactions)
        for (const FfInteraction &i : list) {
          CgTerm t;
          for (const std::string &a : i.atoms) t.atoms.push_back(bead_named(a));
          for (const FfParameter &p : i.parameters) t.parameters.push_back(p.text);
          t.meta = i.meta;
          m.add(section, t);
        }
      m.residues.push_back(residue);
    }
    out.molecules.push_back(std::move(m));
  }
  for (const ResidueBond &e : inter) {
    if (e.disulfide && !options.cysteine_bridges) continue;
    const auto [ma, ia] = place[e.residue_a];
    const auto [mb, ib] = place[e.residue_b];
    CgMolecule &m = out.molecules[static_cast<std::size_t>(ma)];
    const auto bead = [&](int residue, int within, int mapping_bead) {
      const int block_atom = bead_of_mapping[static_cast<std::size_t>(residue)][static_cast<std::size_t>(mapping_bead)];
      return m.residues[static_cast<std::size_t>(within)].beads[static_cast<std::size_t>(block_atom)];
    };
    if (ma == mb) m.add_edge(bead(e.residue_a, ia, e.bead_a), bead(e.residue_b, ib, e.bead_b));
  }

  // termini: residues bonded to one other residue, before (N) or after (C) it
  const std::string nter = options.neutral_termini ? "NH2-ter" : "N-ter", cter = options.neutral_termini ? "COOH-ter" : "C-ter";
  for (std::size_t r = 0; r < n; ++r) {
    if (residue_graph[r].size() != 1) continue;
    const int other = *residue_graph[r].begin();
    const auto [mk, i] = place[static_cast<int>(r)];
    CgMolecule &m = out.molecules[static_cast<std::size_t>(mk)];
    apply_modification(m, m.residues[static_cast<std::size_t>(i)], modification(ff, static_cast<int>(r) < other ? nter : cter));
  }
  // protonation states that the input's hydrogens show
  for (std::size_t r = 0; r < n; ++r) {
    const std::string mod = protonation_of(fm.atomistic.residues[static_cast<std::size_t>(fm.residues[r].residue)], blocks[r]);
    if (mod.empty()) continue;
    const auto [mk, i] = place[static_cast<int>(r)];
    CgMolecule &m = out.molecules[static_cast<std::size_t>(mk)];
    apply_modification(m, m.residues[static_cast<std::size_t>(i)], modification(ff, mod));
  }

  for (CgMolecule &m : out.molecules) {
    apply_links(m, ff);
    if (options.elastic) out.elastic_bonds += add_elastic_network(m, ff, options.network);
  }
  if (options.go) add_go_contacts(out, fm, place, options.go_model, input);
  return out;
}

}    // namespace BACKMAP
