/* BACKMAP core: the covalent geometry a reconstruction should have, measured from real
   structures (the training split) rather than typed in: for every molecule mapping, the
   bonded (1-2) and angle (1-3) distances between heavy atoms and the signed volume at every
   heavy atom with three heavy neighbours (chirality at CA, planarity at sp2 centres), each as
   a median and a robust spread; and the same for the peptide link between residues. The
   spread sets how hard a restraint pulls (geometry_refinement.h). */
#ifndef BACKMAP_IDEAL_GEOMETRY_H
#define BACKMAP_IDEAL_GEOMETRY_H

#include "mapping_set.h"
#include "structure.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace BACKMAP {

// Atoms are indices into the mapping's atoms; in a link, `a` is in the preceding residue
// and `b` in the following one.
struct DistanceRestraint {
  int a = -1, b = -1;
  double target = 0, sigma = 0;    // Angstrom
};

// Signed volume (a - centre) . ((b - centre) x (c - centre)), Angstrom^3.
struct VolumeRestraint {
  int centre = -1, a = -1, b = -1, c = -1;
  double target = 0, sigma = 0;
};

struct MoleculeGeometry {
  std::vector<DistanceRestraint> distances;
  std::vector<VolumeRestraint> volumes;
};

// The peptide link, by atom name: C(i)-N(i+1) and the 1-3 distances across it, and the
// planarity at C(i) (CA, O, N(i+1)).
struct PeptideLinkGeometry {
  double c_n = 0, c_n_sigma = 0;
  double ca_n = 0, ca_n_sigma = 0;
  double o_n = 0, o_n_sigma = 0;
  double c_ca = 0, c_ca_sigma = 0;
  double c_volume = 0, c_volume_sigma = 0;
  bool known = false;
};

class IdealGeometry {
  friend class GeometryMeasurement;

 public:
  // Medians and spreads over every complete pair, triple and centre in `files`; residues
  // the mappings do not fit are skipped. Throws when no residue at all could be used.
  static IdealGeometry measure(const std::vector<std::string> &files, const MappingSet &mappings);
  static IdealGeometry from_json(const std::string &json, const MappingSet &mappings);
  std::string to_json(const MappingSet &mappings) const;

  bool empty() const { return molecules_.empty(); }
  const MoleculeGeometry *find(const MoleculeMapping &mapping) const;    // nullptr if unknown
  const PeptideLinkGeometry &peptide() const { return peptide_; }
  std::size_t residues_measured() const { return residues_measured_; }

 private:
  std::map<std::string, MoleculeGeometry> molecules_;    // by mapping name
  PeptideLinkGeometry peptide_;
  std::size_t residues_measured_ = 0;
};

// The same measurement from structures one at a time (the frames of a trajectory, which are
// never all in memory at once): add() each, then result().
class GeometryMeasurement {
 public:
  explicit GeometryMeasurement(const MappingSet &mappings);    // kept by reference
  ~GeometryMeasurement();
  void add(const Structure &structure);
  std::size_t residues() const;    // measured so far
  // Throws when no residue at all could be used.
  IdealGeometry result() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// What a molecule's bond graph implies, before any measurement: 1-2 and 1-3 heavy-atom
// pairs and the heavy atoms with exactly three heavy neighbours (targets left at zero).
MoleculeGeometry geometry_template(const MoleculeMapping &mapping);

}    // namespace BACKMAP

#endif
