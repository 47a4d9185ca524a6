/* BACKMAP core, forcefield layer: virtual sites on rigid frames as LAMMPS rigid bodies (see lammps_rigid_frames.h). */
#include "lammps_rigid_frames.h"

#include "parameter_lookup.h"
#include "rigid_frame_fit.h"
#include "virtual_site_frames.h"

#include "file_error.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace BACKMAP {

namespace {

constexpr double angstrom_per_nm = 10.0;

// A molecule type's rigid frame that builds sites: its constraints, atoms and sites.
struct RigidFrame {
  std::vector<DistanceConstraint> constraints;    // nm, 0-based atoms
  std::vector<const BondedTerm *> constraint_terms;
  std::vector<int> atoms;                         // 0-based, the frame's
  std::vector<const BondedTerm *> sites;          // its [ virtual_sites3 ] lines
};

std::string atom_text(const MoleculeType &m, int atom)    // atom 1-based
{
  const TopologyAtom &a = m.atoms[static_cast<std::size_t>(atom - 1)];
  return std::to_string(atom) + " (" + a.atom + ")";
}

std::string site_text(const MoleculeType &m, const BondedTerm &v)
{
  return "virtual site " + atom_text(m, v.atoms[0]) + " of molecule " + m.name + " (virtual_sites3 " +
         virtual_site3_name(v.function) + " from atoms " + atom_text(m, v.atoms[1]) + ", " + atom_text(m, v.atoms[2]) + ", " +
         atom_text(m, v.atoms[3]) + ")";
}

// The virtual-site sections LAMMPS gets nothing of.
void refuse_other_sites(const MoleculeType &m)
{
  for (const char *section : {"virtual_sites1", "virtual_sites2", "virtual_sites4"}) {
    const std::vector<BondedTerm> *terms = m.terms(section);
    if (terms && !terms->empty())
      fail_at(terms->front().path, terms->front().line,
              std::string("[ ") + section + " ] of molecule " + m.name +
                  " cannot be written for LAMMPS: only [ virtual_sites3 ] sites on a rigid frame of [ constraints ] "
                  "(as rigid bodies) and [ virtual_sitesn ] centres are");
  }
}

// The [ virtual_sites3 ] lines checked on their own (atoms, function, parameters, massless
// sites built once); returns the sites (1-based).
std::set<int> checked_sites(const MoleculeType &m)
{
  const int n = static_cast<int>(m.atoms.size());
  std::set<int> sites;
  for (const BondedTerm &v : m.virtual_sites3) {
    for (int a : v.atoms)
      if (a < 1 || a > n) fail_at(v.path, v.line, "atom " + std::to_string(a) + " is not an atom of molecule " + m.name);
    const int count = virtual_site3_parameter_count(v.function);
    if (count == 0)
      fail_at(v.path, v.line, "[ virtual_sites3 ] function " + std::to_string(v.function) + " of molecule " + m.name +
                                  " is not one of 1 (3), 2 (3fd), 3 (3fad), 4 (3out)");
    if (static_cast<int>(v.parameters.size()) != count)
      fail_at(v.path, v.line, site_text(m, v) + " needs " + std::to_string(count) + " parameters on its line, not " +
                                  std::to_string(v.parameters.size()));
    if (!sites.insert(v.atoms[0]).second) fail_at(v.path, v.line, site_text(m, v) + " is built twice");
    const TopologyAtom &site = m.atoms[static_cast<std::size_t>(v.atoms[0] - 1)];
    if (site.mass != 0)
      fail_at(site.path, site.line, site_text(m, v) + " has mass " + std::to_string(site.mass) + ": a virtual site has none");
  }
  return sites;
}

// The constrained group that holds site `v`'s three atoms rigid; FileError where none does.
const ConstrainedGroup &frame_of_site(const MoleculeType &m, const BondedTerm &v, const std::vector<ConstrainedGroup> &groups)
{
  const auto holds = [&](const ConstrainedGroup &g, int atom) { return std::binary_search(g.atoms.begin(), g.atoms.end(), atom - 1); };
  const ConstrainedGroup *group = nullptr;
  for (const ConstrainedGroup &g : groups)
    if (holds(g, v.atoms[1])) group = &g;
  if (!group || !holds(*group, v.atoms[2]) || !holds(*group, v.atoms[3]))
    fail_at(v.path, v.line, site_text(m, v) + ": [ constraints ] do not join its three atoms into one rigid frame, and "
                                              "LAMMPS gets virtual sites only as members of a rigid body (with -DFLEXIBLE "
                                              "the constraints are bonds: write the rigid variant)");
  if (!group->rigid)
    fail_at(v.path, v.line, site_text(m, v) + ": the constraints joining its atoms do not form a rigid body (atoms " +
                                atom_text(m, group->free_pair.first + 1) + " and " + atom_text(m, group->free_pair.second + 1) +
                                " of its " + std::to_string(group->atoms.size()) +
                                " constrained atoms are not constrained to each other)");
  return *group;
}

// The frame of molecule type `m`; no atoms where it has no [ virtual_sites3 ]. FileError as in the header.
RigidFrame rigid_frame_of(const Topology &topology, const MoleculeType &m)
{
  refuse_other_sites(m);
  RigidFrame frame;
  if (m.virtual_sites3.empty()) return frame;
  const std::set<int> sites = checked_sites(m);
  std::vector<DistanceConstraint> constraints;
  std::vector<const BondedTerm *> terms;
  for (const ResolvedTerm &r : ParameterLookup(topology).resolve_all(m, "constraints")) {
    if (r.term->function != 1 || r.parameters.empty())
      fail_at(r.term->path, r.term->line, "constraint of molecule " + m.name + " without a length (function 1 only)");
    if (sites.count(r.term->atoms[0]) || sites.count(r.term->atoms[1]))
      fail_at(r.term->path, r.term->line, "a constraint of molecule " + m.name + " on a virtual site");
    constraints.push_back({r.term->atoms[0] - 1, r.term->atoms[1] - 1, r.parameters[0]});
    terms.push_back(r.term);
  }
  const std::vector<ConstrainedGroup> groups = constrained_groups(static_cast<int>(m.atoms.size()), constraints);
  const ConstrainedGroup *chosen = nullptr;
  for (const BondedTerm &v : m.virtual_sites3) {
    for (int k = 1; k <= 3; ++k)
      if (sites.count(v.atoms[static_cast<std::size_t>(k)]))
        fail_at(v.path, v.line, site_text(m, v) + " is built from another virtual site: LAMMPS gets sites only as members of "
                                                  "the rigid frame of the atoms they are built from");
    const ConstrainedGroup &group = frame_of_site(m, v, groups);
    if (chosen && chosen != &group)
      fail_at(v.path, v.line, site_text(m, v) + ": molecule " + m.name + " has two rigid frames with virtual sites, and "
                                                "fix rigid/small molecule makes one body of a molecule");
    chosen = &group;
    frame.sites.push_back(&v);
  }
  frame.atoms = chosen->atoms;
  // only the frame's own constraints belong to it; others stay constraints
  for (std::size_t c = 0; c < constraints.size(); ++c)
    if (std::binary_search(frame.atoms.begin(), frame.atoms.end(), constraints[c].a)) {
      frame.constraints.push_back(constraints[c]);
      frame.constraint_terms.push_back(terms[c]);
    }
  return frame;
}

Vec3 site_position(const BondedTerm &v, const std::vector<Vec3> &positions, std::size_t offset)    // Angstrom
{
  const auto at = [&](int k) { return positions[offset + static_cast<std::size_t>(v.atoms[static_cast<std::size_t>(k)] - 1)] / angstrom_per_nm; };
  try {
    return construct_virtual_site3(v.function, v.parameters, at(1), at(2), at(3)) * angstrom_per_nm;
  } catch (const std::invalid_argument &e) {
    fail_at(v.path, v.line, e.what());
  }
}

// Every copy of every used molecule type with a frame: `visit(m, frame, offset)`.
template <class Visit>
void for_each_copy(const Topology &topology, std::size_t positions, Visit visit)
{
  std::map<std::string, RigidFrame> frames;
  std::size_t offset = 0;
  for (const MoleculeCount &count : topology.molecules) {
    const MoleculeType *m = topology.find_moleculetype(count.name);
    if (!m) fail_at(count.path, count.line, "molecule " + count.name + " is not defined");
    if (!frames.count(m->name)) frames[m->name] = rigid_frame_of(topology, *m);
    const RigidFrame &frame = frames[m->name];
    for (int copy = 0; copy < count.count; ++copy, offset += m->atoms.size()) {
      if (offset + m->atoms.size() > positions) fail_at(count.path, count.line, "fewer positions than the topology has atoms");
      if (!frame.atoms.empty()) visit(*m, frame, offset);
    }
  }
}

// One copy's frame on its constraints and its sites built on it, the whole body then turned and
// moved onto the copy's positions as given (frame atoms and sites: the sites' given places orient
// the body, e.g. a mapped structure's ring beads).
void place_frame(const MoleculeType &m, const RigidFrame &frame, std::vector<Vec3> &positions, std::size_t offset)
{
  std::vector<Vec3> shape, given;    // nm: the frame's atoms, then its sites
  std::vector<double> masses;
  std::map<int, int> local;
  for (int a : frame.atoms) {
    local[a] = static_cast<int>(shape.size());
    shape.push_back(positions[offset + static_cast<std::size_t>(a)] / angstrom_per_nm);
    masses.push_back(m.atoms[static_cast<std::size_t>(a)].mass);
  }
  std::vector<DistanceConstraint> constraints;
  for (const DistanceConstraint &c : frame.constraints) constraints.push_back({local[c.a], local[c.b], c.length});
  try {
    fit_to_constraints(shape, masses, constraints);
  } catch (const std::runtime_error &e) {
    fail_at(frame.constraint_terms.front()->path, frame.constraint_terms.front()->line,
            "molecule " + m.name + " (its atoms from " + std::to_string(offset + 1) + " in the system): " + e.what());
  }
  given = shape;
  for (const BondedTerm *v : frame.sites) {
    const auto at = [&](int k) { return shape[static_cast<std::size_t>(local[v->atoms[static_cast<std::size_t>(k)] - 1])]; };
    try {
      shape.push_back(construct_virtual_site3(v->function, v->parameters, at(1), at(2), at(3)));
    } catch (const std::invalid_argument &e) {
      fail_at(v->path, v->line, e.what());
    }
  }
  for (std::size_t i = 0; i < frame.atoms.size(); ++i) given[i] = positions[offset + static_cast<std::size_t>(frame.atoms[i])] / angstrom_per_nm;
  for (const BondedTerm *v : frame.sites) given.push_back(positions[offset + static_cast<std::size_t>(v->atoms[0] - 1)] / angstrom_per_nm);
  const std::vector<Vec3> placed = superpose(shape, given);
  for (std::size_t i = 0; i < frame.atoms.size(); ++i)
    positions[offset + static_cast<std::size_t>(frame.atoms[i])] = placed[i] * angstrom_per_nm;
  for (std::size_t s = 0; s < frame.sites.size(); ++s)
    positions[offset + static_cast<std::size_t>(frame.sites[s]->atoms[0] - 1)] = placed[frame.atoms.size() + s] * angstrom_per_nm;
}

}    // namespace

bool has_built_virtual_sites(const Topology &topology)
{
  for (const MoleculeCount &count : topology.molecules) {
    const MoleculeType *m = topology.find_moleculetype(count.name);
    if (m && count.count > 0 &&
        (!m->virtual_sites1.empty() || !m->virtual_sites2.empty() || !m->virtual_sites3.empty() || !m->virtual_sites4.empty()))
      return true;
  }
  return false;
}

void place_rigid_frames(const Topology &topology, std::vector<Vec3> &positions)
{
  for_each_copy(topology, positions.size(), [&](const MoleculeType &m, const RigidFrame &frame, std::size_t offset) {
    place_frame(m, frame, positions, offset);
  });
}

void place_rigid_frame(const Topology &topology, const MoleculeType &m, std::vector<Vec3> &positions)
{
  if (positions.size() != m.atoms.size())
    throw std::invalid_argument("molecule " + m.name + ": " + std::to_string(positions.size()) + " positions for " +
                                std::to_string(m.atoms.size()) + " atoms");
  const RigidFrame frame = rigid_frame_of(topology, m);
  if (!frame.atoms.empty()) place_frame(m, frame, positions, 0);
}

namespace lammps_writer {

long make_rigid_bodies(Topology &topology, std::vector<Vec3> &positions)
{
  long bodies = 0;
  std::map<std::string, RigidFrame> frames;
  for_each_copy(topology, positions.size(), [&](const MoleculeType &m, const RigidFrame &frame, std::size_t offset) {
    ++bodies;
    frames.emplace(m.name, frame);
    for (const BondedTerm *v : frame.sites) positions[offset + static_cast<std::size_t>(v->atoms[0] - 1)] = site_position(*v, positions, offset);
  });
  // the types, once (the frames point into them: copy what is needed first)
  for (auto &[name, frame] : frames) {
    MoleculeType *m = nullptr;
    for (MoleculeType &t : topology.moleculetypes)
      if (t.name == name) m = &t;
    std::vector<BondedTerm> sites;
    for (const BondedTerm *v : frame.sites) sites.push_back(*v);
    std::set<const BondedTerm *> own(frame.constraint_terms.begin(), frame.constraint_terms.end());
    std::vector<BondedTerm> kept;
    for (const BondedTerm &c : m->constraints) {
      if (!own.count(&c)) {
        kept.push_back(c);
        continue;
      }
      BondedTerm connection = c;    // bonds function 5: no energy, and the exclusions of a chemical bond
      connection.function = 5;
      connection.parameters.clear();
      m->bonds.push_back(connection);
    }
    m->constraints = kept;
    for (const BondedTerm &v : sites) {
      TopologyAtom &site = m->atoms[static_cast<std::size_t>(v.atoms[0] - 1)];
      site.mass = rigid_site_mass;
      site.mass_given = true;
      for (int k = 1; k <= 3; ++k) m->atoms[static_cast<std::size_t>(v.atoms[static_cast<std::size_t>(k)] - 1)].mass -= rigid_site_mass / 3;
    }
    for (int a : frame.atoms) m->atoms[static_cast<std::size_t>(a)].rigid_body = true;
    for (const BondedTerm &v : sites) m->atoms[static_cast<std::size_t>(v.atoms[0] - 1)].rigid_body = true;
    m->virtual_sites3.clear();
  }
  return bodies;
}

}    // namespace lammps_writer

}    // namespace BACKMAP
