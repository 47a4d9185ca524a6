/* BACKMAP core, io layer: telling a file's format from its first bytes (decompressed), for
   files whose name says nothing. Each test looks for what only its format has at the start
   of a file, so that at most one answers yes; file_formats.cpp asks them in a fixed order. */
#ifndef BACKMAP_FORMAT_SNIFFING_H
#define BACKMAP_FORMAT_SNIFFING_H

#include <string>

namespace BACKMAP {

bool looks_like_pdb(const std::string &head);            // the first lines are PDB records
bool looks_like_pdbqt(const std::string &head);          // PDB records and AutoDock's ROOT/BRANCH/TORSDOF
bool looks_like_mmcif(const std::string &head);          // the first line that is not a comment: data_NAME
bool looks_like_gro(const std::string &head);            // title, atom count, an atom (or box) line in GRO's columns
bool looks_like_lammps_data(const std::string &head);    // a title, then a header with "N atoms"
bool looks_like_lammps_dump(const std::string &head);    // ITEM: TIMESTEP
bool looks_like_xtc(const std::string &head);            // XTC's magic number, 1995 (big-endian)
bool looks_like_trr(const std::string &head);            // TRR's, 1993
bool looks_like_tpr(const std::string &head);            // a run input's header string: VERSION ...

}    // namespace BACKMAP

#endif
