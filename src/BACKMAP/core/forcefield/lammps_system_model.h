/* BACKMAP core, forcefield layer: a GROMACS system as LAMMPS gets it, before any file is written.
   Its atom types, molecule types (lammps_molecule_graph), CMAP grids and 1-4 scheme (lammps_one_four). */
#ifndef BACKMAP_LAMMPS_SYSTEM_MODEL_H
#define BACKMAP_LAMMPS_SYSTEM_MODEL_H

#include "lammps_molecule_graph.h"
#include "lammps_system_writer.h"
#include "lennard_jones_table.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace BACKMAP::lammps_writer {

struct LammpsAtomType {
  std::string name;        // the GROMACS atom type
  double mass = 0.0;
  double charge = 0.0;     // with the reaction-field table only: one charge per LAMMPS type
  const AtomType *gromacs = nullptr;
  std::string site;        // the type of the virtual site its atoms carry (lammps_carried_sites.h); "" none
  const AtomType *site_type = nullptr;
  bool rigid_body = false;     // its atoms are members of rigid bodies (lammps_rigid_frames.h)
  std::string label() const { return site.empty() ? name : name + "+" + site; }
};

struct SystemModel {
  std::vector<LammpsAtomType> atom_types;
  std::vector<MoleculeModel> molecules;    // one per molecule type used
  std::vector<const CmapType *> grids;
  bool one_four_by_dihedral = false;
  double one_four_weight = 0.0;            // by dihedral: the weight on the carrying terms
  double one_four_lj = 0.0, one_four_qq = 0.0;    // scaled: special_bonds' 1-4 factors
  bool charmm_angles = false;
  std::map<std::pair<int, int>, LennardJones> one_four;    // by dihedral: per LAMMPS type pair
  bool exclusions_only = false;            // no [ pairs ]: special_bonds follows nrexcl and [ exclusions ]
  int special_depth = 0;                   // exclusions only: the bonds apart that are excluded
  bool split_by_charge = false;            // reaction field: one charge per LAMMPS atom type
  // carried virtual sites (lammps_carried_sites.h): the Lennard-Jones between the sites of two
  // LAMMPS types where it is not zero (a pair sub-style of its own), and the type pairs whose
  // atoms GROMACS excludes from each other (no lj/cut/coul/cut between them)
  std::map<std::pair<int, int>, LennardJones> site_pairs;
  std::set<std::pair<int, int>> excluded_type_pairs;
  long rigid_bodies = 0;                   // molecules given as rigid bodies (lammps_rigid_frames.h)
};

// Every molecule type that [ molecules ] uses, built once; the LAMMPS atom types in order of
// first use (per charge too with the reaction field); the 1-4 scheme. Restricted-bending angles
// name sections of the file `angle_table`. FileError at `output`, or at the topology's file and
// line, for anything LAMMPS cannot be given exactly.
SystemModel build_system(const Topology &topology, const LammpsWriterOptions &options, const std::string &output,
                         const std::string &angle_table);

// The carried sites' pair interactions (site_pairs, excluded_type_pairs) from the topology's
// Lennard-Jones and the site type pairs that carry_point_sites found excluded. FileError at the
// atom type's line where a site would interact with an atom type that is not a site's (LAMMPS
// could not tell its interaction from its atom's), and at `output` for the 1-4 schemes of
// all-atom force fields (carried sites are written for coarse-grained topologies only).
void add_site_pairs(SystemModel &system, const Topology &topology,
                    const std::set<std::pair<std::string, std::string>> &excluded_site_types, const std::string &output);

}    // namespace BACKMAP::lammps_writer

#endif
