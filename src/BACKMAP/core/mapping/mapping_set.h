/* BACKMAP core: all molecule mappings of one CG model (a folder of mapping files), looked up
   by residue name. */
#ifndef BACKMAP_MAPPING_SET_H
#define BACKMAP_MAPPING_SET_H

#include "mapping.h"

#include <memory>
#include <string>
#include <vector>

namespace BACKMAP {

class MappingSet {
 public:
  MappingSet() = default;

  // Reads every *.yaml / *.yml file of a folder; throws MappingError naming the file at fault.
  static MappingSet load_directory(const std::string &directory);

  // NAME (a folder under <data>/mappings/, e.g. "martini3") or a folder path.
  static MappingSet load(const std::string &name_or_directory);
  static std::string resolve_directory(const std::string &name_or_directory);
  static std::vector<std::string> available_names();

  void add(MoleculeMapping mapping);    // refuses a second molecule of the same name
  const std::vector<MoleculeMapping> &molecules() const { return molecules_; }
  const std::string &name() const { return name_; }
  void set_name(const std::string &name) { name_ = name; }
  std::size_t size() const { return molecules_.size(); }

  // Mappings that answer to a residue name (several when aliases overlap, e.g. POP); an
  // amino acid also answers to AMBER's terminal names (NMET, CGLY) where nothing else does.
  std::vector<const MoleculeMapping *> candidates(const std::string &residue_name) const;
  const MoleculeMapping *find(const std::string &molecule_name) const;

  // The mappings of the named molecules only, in this set's order; a name this set does not
  // map is a MappingError that lists the names it does.
  MappingSet subset(const std::vector<std::string> &molecule_names) const;

 private:
  std::string name_;
  std::vector<MoleculeMapping> molecules_;
};

// Where mapping sets and models live: $BACKMAP_DATA if set, else the folder compiled in.
std::string data_directory();

}    // namespace BACKMAP

#endif
