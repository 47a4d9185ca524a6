#include "mapping_builder.h"

#include <map>

namespace BACKMAP {

MappingBuilder::MappingBuilder(const std::string &file)
{
  mapping_.file = file;
}

void MappingBuilder::fail(int line, const std::string &what) const { fail_at<MappingError>(mapping_.file, line, what); }

int MappingBuilder::bead_index(const std::string &name, int line) const
{
  int b = mapping_.find_bead(name);
  if (b < 0) {
    std::string known;
    for (const auto &bead : mapping_.beads) known += " " + bead.name;
    fail(line, "unknown bead '" + name + "' (declared beads:" + known + ")");
  }
  return b;
}

int MappingBuilder::add_bead(const std::string &name, int line)
{
  if (name.empty()) fail(line, "a bead has an empty name");
  if (mapping_.find_bead(name) >= 0) fail(line, "bead '" + name + "' is declared twice");
  mapping_.beads.push_back(BeadDefinition{name, -1, {}});
  return static_cast<int>(mapping_.beads.size()) - 1;
}

void MappingBuilder::set_bead_centre(const std::string &bead, const std::string &atom, int line)
{
  bead_index(bead, line);
  centres_.push_back({bead, atom, line});
}

int MappingBuilder::add_atom(MappedAtom atom)
{
  if (atom.name.empty()) fail(atom.line, "an atom has an empty name");
  mapping_.atoms.push_back(std::move(atom));
  return static_cast<int>(mapping_.atoms.size()) - 1;
}

void MappingBuilder::add_placement(const std::string &atom, const std::string &bead, int level,
                                   const std::string &anchor, int line)
{
  int a = resolve_atom(atom, line, "placed atom");
  placements_.push_back({a, bead_index(bead, line), level, anchor, line});
}

void MappingBuilder::add_bond(const std::string &a, const std::string &b, int line)
{
  bonds_.push_back({a, b, line});
}

int MappingBuilder::resolve_atom(const std::string &name, int line, const std::string &role) const
{
  int i = mapping_.find_atom(name);
  if (i < 0) fail(line, role + " '" + name + "' is not an atom of " + mapping_.name);
  return i;
}

// state: -1 unvisited, -2 on the current anchor chain (a repeat means a cycle), >= 0 done.
int MappingBuilder::derive_level(std::size_t index, std::vector<int> &state) const
{
  if (state[index] >= 0) return state[index];
  const PendingPlacement &p = placements_[index];
  if (state[index] == -2)
    fail(p.line, "the hierarchy of bead " + mapping_.beads[p.bead].name +
                     " has a cycle through atom " + mapping_.atoms[p.atom].name);
  if (p.level >= 0 || p.anchor.empty()) {
    state[index] = p.level >= 0 ? p.level : 1;
    return state[index];
  }
  state[index] = -2;
  int anchor = resolve_atom(p.anchor, p.line, "anchor");
  for (std::size_t j = 0; j < placements_.size(); ++j) {
    if (placements_[j].atom == anchor && placements_[j].bead == p.bead) {
      state[index] = derive_level(j, state) + 1;
      return state[index];
    }
  }
  fail(p.line, "anchor " + p.anchor + " of atom " + mapping_.atoms[p.atom].name +
                   " is not placed in bead " + mapping_.beads[p.bead].name);
}

MoleculeMapping MappingBuilder::finish()
{
  for (const auto &c : centres_)
    mapping_.beads[mapping_.find_bead(c.a)].centre_atom = resolve_atom(c.b, c.line, "centre atom");
  for (const auto &b : bonds_)
    mapping_.bonds.emplace_back(resolve_atom(b.a, b.line, "bonded atom"),
                                resolve_atom(b.b, b.line, "bonded atom"));
  std::vector<int> state(placements_.size(), -1);
  mapping_.placements.clear();
  for (std::size_t i = 0; i < placements_.size(); ++i) {
    const PendingPlacement &p = placements_[i];
    Placement out;
    out.atom = p.atom;
    out.bead = p.bead;
    out.level = derive_level(i, state);
    out.anchor = p.anchor.empty() ? -1 : resolve_atom(p.anchor, p.line, "anchor");
    mapping_.placements.push_back(out);
  }
  // finalise_mapping reports by atom line; make sure every atom carries one.
  finalise_mapping(mapping_);
  return mapping_;
}

}    // namespace BACKMAP
