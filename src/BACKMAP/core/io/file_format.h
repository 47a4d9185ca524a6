/* BACKMAP core, io layer: the names of the file formats BACKMAP knows (file_formats.h holds
   their table). Kept apart so that LAMMPS style headers can name a format without pulling in
   the structure types. */
#ifndef BACKMAP_FILE_FORMAT_H
#define BACKMAP_FILE_FORMAT_H

namespace BACKMAP {

enum class FileFormat {
  Pdb,
  Pdbqt,              // AutoDock's PDB, charges and atom types from column 71 on
  Mmcif,
  Gro,
  LammpsData,
  LammpsDump,
  Xyz,
  Xtc,                // GROMACS trajectories and run input: read and written by the streams layer
  Trr,
  GromacsRunInput,    // .tpr
  Unknown
};

}    // namespace BACKMAP

#endif
