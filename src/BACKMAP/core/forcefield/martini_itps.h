/* BACKMAP core, forcefield layer: where the Martini 3 itps are, and the molecules they define.
   A text scan of the itps, enough to match a CG structure's residues before anything is written. */
#ifndef BACKMAP_MARTINI_ITPS_H
#define BACKMAP_MARTINI_ITPS_H

#include <map>
#include <set>
#include <string>
#include <vector>

namespace BACKMAP {

// The itp every Martini 3 folder holds, which a system's .top includes first.
constexpr const char *martini_main_itp = "martini_v3.0.0.itp";

// The folders that may hold the Martini 3 itps, in the order they are tried: `given` alone where
// not empty, else martini3/ in each force-field folder (force_field_search_path), a folder a
// build can compile in (BACKMAP_MARTINI_DIR), and the shared data beside the repository.
std::vector<std::string> martini_search_path(const std::string &given);
// The first of them that holds martini_main_itp, as an absolute path; FileError naming `given`
// where it lacks it, else std::runtime_error listing where it looked.
std::string find_martini_folder(const std::string &given);

// What a Martini system needs to know of one [ moleculetype ] before anything is written: a text
// scan, not grompp's preprocessing (the itps are then read properly through the .top).
struct ItpMolecule {
  std::string name, file;
  int line = 0;
  std::vector<std::string> residues, atoms;    // per [ atoms ] line
  std::set<std::string> residue_numbers;
  std::vector<double> charges;
  std::string virtual_sites;                   // the first virtual-site or settles section, if any
};

// Every [ moleculetype ] of the folder's .itp files, main itp first and the others by name; the
// first definition of a name wins (as the file order of the .top would have it).
std::map<std::string, ItpMolecule> scan_itps(const std::string &folder);

}    // namespace BACKMAP

#endif
