/* BACKMAP core, forcefield layer: where a force field named by the user is found. Force fields
   are data, used where they are installed: Debian's gromacs-data (/usr/share/gromacs/top), the
   copy tools/setup.sh makes of the shared CHARMM36 port (build/forcefields), $GMXLIB, or a
   folder the user names. */
#ifndef BACKMAP_FORCE_FIELD_FOLDERS_H
#define BACKMAP_FORCE_FIELD_FOLDERS_H

#include <string>
#include <vector>

namespace BACKMAP {

// The folders searched for NAME.ff, in order: $BACKMAP_FORCEFIELDS (colon-separated), the
// folder compiled in (build/forcefields), $GMXLIB, /usr/share/gromacs/top.
std::vector<std::string> force_field_search_path();

// A folder path (with or without .ff) or a name: "charmm36" (= charmm36-jul2022),
// "amber99sb-ildn", "charmm27", ... Throws FileError listing where it looked.
std::string find_force_field(const std::string &name_or_folder);

}    // namespace BACKMAP

#endif
