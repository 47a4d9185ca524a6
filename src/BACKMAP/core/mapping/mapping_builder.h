/* BACKMAP core: assembles a MoleculeMapping from names as a file states them (atoms, beads,
   anchors by name), then resolves the names, derives missing levels and validates. Shared by
   both mapping file readers so that they report errors the same way. */
#ifndef BACKMAP_MAPPING_BUILDER_H
#define BACKMAP_MAPPING_BUILDER_H

#include "mapping.h"

#include <string>
#include <vector>

namespace BACKMAP {

class MappingBuilder {
 public:
  explicit MappingBuilder(const std::string &file);

  MoleculeMapping &mapping() { return mapping_; }
  [[noreturn]] void fail(int line, const std::string &what) const;

  int bead_index(const std::string &name, int line) const;    // fails for an unknown bead
  int add_bead(const std::string &name, int line);             // fails if declared twice
  void set_bead_centre(const std::string &bead, const std::string &atom, int line);
  int add_atom(MappedAtom atom);
  // level < 0: derive it from the anchor (1 + the anchor's level; 1 without an anchor).
  void add_placement(const std::string &atom, const std::string &bead, int level,
                     const std::string &anchor, int line);
  void add_bond(const std::string &a, const std::string &b, int line);

  MoleculeMapping finish();

 private:
  struct PendingPlacement {
    int atom, bead, level;
    std::string anchor;
    int line;
  };
  struct PendingName {
    std::string a, b;
    int line;
  };
  int resolve_atom(const std::string &name, int line, const std::string &role) const;
  int derive_level(std::size_t index, std::vector<int> &state) const;

  MoleculeMapping mapping_;
  std::vector<PendingPlacement> placements_;
  std::vector<PendingName> bonds_, centres_;
};

}    // namespace BACKMAP

#endif
