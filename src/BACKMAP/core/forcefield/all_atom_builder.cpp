#include "all_atom_builder.h"

#include "peptide_link.h"

#include "added_atom_geometry.h"
#include "file_error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>

namespace BACKMAP {

namespace {

bool is_hydrogen(const Atom &a)
{
  if (!a.element.empty()) return a.element == "H" || a.element == "D";
  // pdb2gmx -ignh: a name that starts with H, or with a digit and then H (1HB)
  const std::string &n = a.name;
  return (!n.empty() && n[0] == 'H') || (n.size() > 1 && std::isdigit(static_cast<unsigned char>(n[0])) && n[1] == 'H');
}

std::string upper(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// Terminal-oxygen and other naming variants of real files, to the names building blocks use
// (GROMACS's own table does the same: OT1/OC1/O1 -> O, OT2/OC2/O2 -> OXT, ILE CD1 -> CD where
// the block has CD).
std::string standard_atom_name(const std::string &residue, const std::string &atom, const BuildingBlock &block)
{
  if (atom == "OT1" || atom == "OC1" || atom == "O1") return "O";
  if (atom == "OT2" || atom == "OC2" || atom == "O2" || atom == "OT") return "OXT";
  if (upper(residue) == "ILE" && atom == "CD1" && block.find_atom("CD1") < 0 && block.find_atom("CD") >= 0) return "CD";
  return atom;
}

// pdb2gmx's histidine rule: a trial H on ND1 and on NE2; a nitrogen whose H points at an
// acceptor (closer than 3 A, N-H...A straighter than 135 degrees) carries it.
std::string histidine_state(const Structure &s, std::size_t r)
{
  const Residue &his = s.residues[r];
  auto pos = [&](const char *n) -> std::optional<Vec3> {
    const int k = his.find_atom(n);
    if (k < 0) return std::nullopt;
    return his.atoms[k].position;
  };
  auto bonded = [&](const char *n, const char *a, const char *b) {
    const auto x = pos(n), y = pos(a), z = pos(b);
    if (!x || !y || !z) return false;
    const Vec3 h = *x + ((*x - *y) + (*x - *z)).normalized();
    static const char *acceptors[] = {"O", "OD1", "OD2", "OE1", "OE2", "OG", "OG1", "OH", "OW"};
    for (std::size_t q = 0; q < s.residues.size(); ++q)
      for (const Atom &a : s.residues[q].atoms) {
        if (std::none_of(std::begin(acceptors), std::end(acceptors), [&](const char *n2) { return a.name == n2; })) continue;
        if ((a.position - *x).norm() >= 3.0) continue;
        const Vec3 hn = *x - h, ha = a.position - h;
        const double angle = std::acos(std::clamp(hn.dot(ha) / (hn.norm() * ha.norm()), -1.0, 1.0)) * 180 / M_PI;
        if (angle > 135) return true;
      }
    return false;
  };
  const bool d = bonded("ND1", "CG", "CE1"), e = bonded("NE2", "CE1", "CD2");
  return d && e ? "HISH" : d ? "HISD" : "HISE";
}

// An amino acid (for chains and termini): its building block, under its name or the
// residue-name table's, has the backbone atoms N, CA and C.
bool is_amino_acid(const Residue &r, const ResidueDatabase &db)
{
  std::string name = upper(r.name);
  if (name == "HIS") name = "HISE";
  const BuildingBlock *block = db.block(name);
  if (!block)
    if (const ResidueNames *rn = db.residue_names(name)) block = db.block(rn->middle);
  return block && block->find_atom("N") >= 0 && block->find_atom("CA") >= 0 && block->find_atom("C") >= 0;
}

// A capping group of a peptide chain (ACE, NME, NH2 in the AMBER and CHARMM folders): a
// building block with a C and no N whose terms name the next residue's N (+N; ACE has it in
// an improper, the bond comes from the next residue's -C N), or one with an N and no C whose
// terms name the previous residue's C (-C). It joins the chain as pdb2gmx joins it, and the
// chain end it makes has no terminus of its own.
bool is_cap(const Residue &r, const ResidueDatabase &db)
{
  const BuildingBlock *block = db.block(upper(r.name));
  if (!block) return false;
  const bool has_c = block->find_atom("C") >= 0, has_n = block->find_atom("N") >= 0;
  if (has_c == has_n) return false;
  const std::string neighbour = has_c ? "+N" : "-C";
  for (const auto *terms : {&block->bonds, &block->angles, &block->dihedrals, &block->impropers})
    for (const BlockTerm &t : *terms)
      if (std::find(t.atoms.begin(), t.atoms.end(), neighbour) != t.atoms.end()) return true;
  return false;
}

struct Slot {    // one atom of a residue's modified building block
  TypedAtom atom;
  bool placed = false;
};

struct Work {
  const Residue *input = nullptr;
  TypedResidue out;
  std::vector<Slot> slots;
  std::vector<std::string> removed;                    // deleted by a terminus
  std::vector<const AddRule *> rules;             // hdb, then termini's adds
  int find(const std::string &name) const
  {
    for (std::size_t i = 0; i < slots.size(); ++i)
      if (slots[i].atom.name == name) return static_cast<int>(i);
    return -1;
  }
};

// The names a rule gives its atoms: the name itself for one, name1..nameN for several.
std::vector<std::string> names_of(const AddRule &r)
{
  if (r.count == 1) return {r.name};
  std::vector<std::string> out;
  for (int k = 1; k <= r.count; ++k) out.push_back(r.name + std::to_string(k));
  return out;
}

const Terminus *default_terminus(const std::vector<Terminus> &termini, const std::string &residue,
                                 const std::vector<std::string> &generic)
{
  // a residue-specific protein terminus first (GLY-NH3+, PRO-NH2+), then the generic one
  for (const Terminus &t : termini)
    if (upper(t.name).rfind(upper(residue).substr(0, 3) + "-", 0) == 0) return &t;
  for (const std::string &g : generic)
    for (const Terminus &t : termini)
      if (t.name == g) return &t;
  return nullptr;
}

void apply_terminus(Work &w, const Terminus &t, const std::string &ff)
{
  for (const std::string &name : t.remove) {
    const int k = w.find(name);
    if (k >= 0) w.slots.erase(w.slots.begin() + k);
    w.removed.push_back(name);
  }
  for (const TerminusReplace &r : t.replace) {
    const int k = w.find(r.atom);
    if (k < 0) continue;    // pdb2gmx too replaces only what the block has
    w.slots[k].atom.type = r.type;
    w.slots[k].atom.charge = r.charge;
    if (!r.new_name.empty()) w.slots[k].atom.name = r.new_name;
  }
  for (const TerminusAdd &a : t.add) {
    const int after = w.find(a.rule.control.front());
    if (after < 0)
      throw BuildError(w.input->label() + ": terminus " + t.name + " of " + ff + " adds atoms to " + a.rule.control.front() +
                       ", which building block " + w.out.block + " does not have");
    int at = after + 1;
    for (const std::string &name : names_of(a.rule)) {
      if (w.find(name) >= 0) continue;
      Slot s;
      s.atom.name = name;
      s.atom.type = a.type;
      s.atom.charge = a.charge;
      s.atom.added = true;
      w.slots.insert(w.slots.begin() + at++, s);
    }
    w.rules.push_back(&a.rule);
  }
}

}    // namespace

int TypedResidue::find_atom(const std::string &name) const
{
  for (std::size_t i = 0; i < atoms.size(); ++i)
    if (atoms[i].name == name) return static_cast<int>(i);
  return -1;
}

std::size_t AllAtomSystem::atom_count() const
{
  std::size_t n = 0;
  for (const auto &r : residues) n += r.atoms.size();
  return n;
}

std::size_t AllAtomSystem::added_count() const
{
  std::size_t n = 0;
  for (const auto &r : residues)
    for (const auto &a : r.atoms) n += a.added;
  return n;
}

double AllAtomSystem::total_charge() const
{
  double q = 0;
  for (const auto &r : residues)
    for (const auto &a : r.atoms) q += a.charge;
  return q;
}

Structure AllAtomSystem::structure() const
{
  Structure s;
  s.box = box;
  for (const TypedResidue &r : residues) {
    Residue out;
    out.name = r.block;
    out.chain = r.chain;
    out.number = r.number;
    out.insertion = r.insertion;
    for (const TypedAtom &a : r.atoms) {
      Atom atom;
      atom.name = a.name;
      atom.element = a.name.substr(0, 1);    // protein atom names start with their element
      atom.position = a.position;
      out.atoms.push_back(atom);
    }
    s.residues.push_back(std::move(out));
  }
  return s;
}

AllAtomSystem build_all_atom_system(const Structure &heavy, const ResidueDatabase &db, const BuildOptions &options)
{
  const std::string ff = db.folder();
  AllAtomSystem system;
  system.force_field = ff;
  system.box = heavy.box;
  const std::size_t n = heavy.residues.size();

  // chains: consecutive amino acids of one chain name; any other residue (a lipid, a
  // sterol, an ion) is a molecule of its own, with no termini and no links to its neighbours
  // chains also end where the next residue is not peptide-bonded (a gap of missing residues
  // inside one chain name, as in a crystal structure): both sides get their termini, as pdb2gmx
  // gives them to chains separated by TER
  std::vector<bool> amino(n), protein(n), start(n), end(n), linked(n, false);    // linked[r]: r to r + 1
  for (std::size_t r = 0; r < n; ++r) {
    amino[r] = is_amino_acid(heavy.residues[r], db);
    protein[r] = amino[r] || is_cap(heavy.residues[r], db);    // in a peptide chain
  }
  for (std::size_t r = 0; r + 1 < n; ++r) {
    const Residue &a = heavy.residues[r], &b = heavy.residues[r + 1];
    if (!protein[r] || !protein[r + 1] || a.chain != b.chain) continue;
    const int c = a.find_atom("C"), nn = b.find_atom("N");
    // without the two atoms the residues' order is all there is to go by
    linked[r] = c < 0 || nn < 0 || peptide_bonded(a.atoms[c].position, b.atoms[nn].position);
  }
  for (std::size_t r = 0; r < n; ++r) {
    start[r] = r == 0 || !linked[r - 1];
    end[r] = r + 1 == n || !linked[r];
  }
  const AllAtomSystem *same = options.same_as;
  if (same) {    // the earlier system's residues, in the same order, decide
    if (same->residues.size() != n)
      throw BuildError("the frame has " + std::to_string(n) + " residues, the all-atom system built from the first frame " +
                       std::to_string(same->residues.size()));
    for (std::size_t r = 0; r < n; ++r) {
      const TypedResidue &t = same->residues[r];
      if (t.name != heavy.residues[r].name || t.chain != heavy.residues[r].chain || t.number != heavy.residues[r].number)
        throw BuildError(heavy.residues[r].label() + ": the all-atom system built from the first frame has residue " + t.chain + ":" +
                         t.name + std::to_string(t.number) + " in its place");
      start[r] = t.chain_start;
      end[r] = t.chain_end;
    }
  }
  // disulfides: SG-SG pairs within the distance window, each cysteine in one at most
  std::vector<bool> bridged(n);
  if (same) {
    system.disulfides = same->disulfides;
    for (const auto &[a, b] : same->disulfides) bridged[a] = bridged[b] = true;
  }
  for (std::size_t a = 0; a < n && !same; ++a) {
    const int sa = upper(heavy.residues[a].name).rfind("CY", 0) == 0 ? heavy.residues[a].find_atom("SG") : -1;
    if (sa < 0 || bridged[a]) continue;
    for (std::size_t b = a + 1; b < n; ++b) {
      const int sb = upper(heavy.residues[b].name).rfind("CY", 0) == 0 ? heavy.residues[b].find_atom("SG") : -1;
      if (sb < 0 || bridged[b]) continue;
      const double d = (heavy.residues[a].atoms[sa].position - heavy.residues[b].atoms[sb].position).norm();
      if (d > options.disulfide_min && d < options.disulfide_max) {
        bridged[a] = bridged[b] = true;
        system.disulfides.push_back({static_cast<int>(a), static_cast<int>(b)});
        break;
      }
    }
  }

  std::vector<Work> work(n);
  for (std::size_t r = 0; r < n; ++r) {
    const Residue &in = heavy.residues[r];
    Work &w = work[r];
    w.input = &in;
    w.out.name = in.name;
    w.out.chain = in.chain;
    w.out.number = in.number;
    w.out.insertion = in.insertion;
    w.out.chain_start = start[r];
    w.out.chain_end = end[r];
    // the GROMACS residue name, then the force field's building block for this position
    std::string name = upper(in.name);
    if (name == "HIS") name = same ? same->residues[r].form : histidine_state(heavy, r);
    if (bridged[r] && name == "CYS") name = "CYS2";
    w.out.form = name;
    std::string block_name = name;
    bool terminal_blocks = false;
    if (const ResidueNames *rn = db.residue_names(name)) {
      const std::string &pick = start[r] && end[r] ? rn->alone : start[r] ? rn->start : end[r] ? rn->end : rn->middle;
      block_name = !pick.empty() ? pick : rn->middle;
      terminal_blocks = (start[r] || end[r]) && !pick.empty() && pick != rn->middle;
    }
    const BuildingBlock *block = db.block(block_name);
    if (!block)
      throw BuildError(in.label() + ": " + ff + " has no building block for residue " + in.name +
                       (block_name != in.name ? " (looked up as " + block_name + ")" : std::string()));
    w.out.block = block_name;
    for (const BlockAtom &a : block->atoms) {
      Slot s;
      s.atom.name = a.name;
      s.atom.type = a.type;
      s.atom.charge = a.charge;
      w.slots.push_back(s);
    }
    for (const AddRule &rule : db.hydrogens(block_name)) w.rules.push_back(&rule);
    if (!terminal_blocks && amino[r]) {
      const Terminus *nt = nullptr, *ct = nullptr;
      if (start[r])
        nt = options.n_terminus.empty() ? default_terminus(db.n_termini(), name, {"NH3+"}) : db.n_terminus(options.n_terminus);
      if (end[r])
        ct = options.c_terminus.empty() ? default_terminus(db.c_termini(), "---", {"COO-"}) : db.c_terminus(options.c_terminus);
      if (start[r] && !options.n_terminus.empty() && !nt)
        throw BuildError(ff + " has no N terminus " + options.n_terminus);
      if (end[r] && !options.c_terminus.empty() && !ct)
        throw BuildError(ff + " has no C terminus " + options.c_terminus);
      if (nt) {
        apply_terminus(w, *nt, ff);
        w.out.n_terminus = nt->name;
      }
      if (ct) {
        apply_terminus(w, *ct, ff);
        w.out.c_terminus = ct->name;
      }
    }
    // the input's heavy atoms go into their slots
    for (const Atom &a : in.atoms) {
      if (is_hydrogen(a)) continue;
      const std::string atom = db.atom_name(block_name, standard_atom_name(in.name, a.name, *block));
      const int k = w.find(atom);
      if (k < 0) {
        if (std::find(w.removed.begin(), w.removed.end(), atom) != w.removed.end()) continue;
        throw BuildError(in.label() + ": atom " + a.name + " is not in building block " + block_name + " of " + ff);
      }
      w.slots[k].atom.position = a.position;
      w.slots[k].placed = true;
    }
  }

  // a slot that neither the input nor any rule fills is a heavy atom the input lacks
  for (Work &w : work)
    for (const Slot &slot : w.slots) {
      if (slot.placed) continue;
      bool built = false;
      for (const AddRule *rule : w.rules)
        for (const std::string &name : names_of(*rule)) built |= name == slot.atom.name;
      if (!built)
        throw BuildError(w.input->label() + ": atom " + slot.atom.name + " of building block " + w.out.block +
                         " is missing from the input, and no rule of " + ff + " builds it");
    }

  // every rule whose control atoms are placed builds its atoms; rules may use atoms built
  // by earlier ones (a COOH's H on its new oxygen), so sweep until nothing more is built
  auto control_position = [&](std::size_t r, const std::string &name) -> std::optional<Vec3> {
    std::size_t q = r;
    std::string atom = name;
    if (name[0] == '-' || name[0] == '+') {
      if (name[0] == '-' && start[r]) return std::nullopt;
      if (name[0] == '+' && end[r]) return std::nullopt;
      q = name[0] == '-' ? r - 1 : r + 1;
      atom = name.substr(1);
    }
    const int k = work[q].find(atom);
    if (k < 0 || !work[q].slots[k].placed) return std::nullopt;
    return work[q].slots[k].atom.position;
  };
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t r = 0; r < n; ++r)
      for (const AddRule *rule : work[r].rules) {
        const auto names = names_of(*rule);
        std::vector<int> targets;
        for (const std::string &name : names) targets.push_back(work[r].find(name));
        if (std::none_of(targets.begin(), targets.end(), [&](int k) { return k >= 0 && !work[r].slots[k].placed; })) continue;
        std::vector<Vec3> control;
        for (const std::string &c : rule->control) {
          const auto x = control_position(r, c);
          if (!x) break;
          control.push_back(*x);
        }
        if (control.size() != rule->control.size()) continue;
        std::vector<Vec3> built;
        try {
          built = added_atom_positions(rule->type, rule->count, control);
        } catch (const std::invalid_argument &e) {
          throw BuildError(work[r].input->label() + ": " + file_line(rule->file, rule->line) + ": " + e.what());
        }
        for (std::size_t k = 0; k < targets.size(); ++k)
          if (targets[k] >= 0 && !work[r].slots[targets[k]].placed) {
            work[r].slots[targets[k]].atom.position = built[k];
            work[r].slots[targets[k]].atom.added = true;
            work[r].slots[targets[k]].placed = true;
            progress = true;
          }
      }
  }
  for (Work &w : work) {
    for (const Slot &s : w.slots)
      if (!s.placed)
        throw BuildError(w.input->label() + ": the rule of " + ff + " for " + s.atom.name +
                         " names a control atom that is not there (a chain end, or a gap)");
    for (Slot &s : w.slots) w.out.atoms.push_back(std::move(s.atom));
    system.residues.push_back(std::move(w.out));
  }
  return system;
}

}    // namespace BACKMAP
