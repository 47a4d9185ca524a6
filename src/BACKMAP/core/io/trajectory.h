/* BACKMAP core: CG frames to backmap. Multi-model PDB and multi-frame GRO files are read as
   they are; a LAMMPS dump carries only atom IDs and positions, so a topology (the data file
   `backmap map` writes) says which residue and bead each ID is. */
#ifndef BACKMAP_TRAJECTORY_H
#define BACKMAP_TRAJECTORY_H

#include "structure.h"

#include <string>
#include <vector>

namespace BACKMAP {

// Every frame of a file the registry reads as CG frames, by extension or content (PDB, mmCIF,
// GRO, LAMMPS data or dump; XTC/TRR are streamed by the streams layer). `topology` is required
// for LAMMPS dumps and ignored otherwise. Dump positions are unwrapped with image flags when
// the dump has them, else each residue is made whole.
std::vector<Structure> read_cg_frames(const std::string &path, const std::string &topology);

std::vector<Structure> read_lammps_dump(const std::string &path, const Structure &topology);

// CG frames as a LAMMPS dump (columns id mol type xu yu zu, IDs and types numbered as
// write_lammps_data numbers them), for `rerun ... dump x y z wrapped no`. Frame k gets
// timestep k * step_interval.
void write_lammps_dump(const std::vector<Structure> &frames, const std::string &path, long step_interval = 1);

}    // namespace BACKMAP

#endif
