/* BACKMAP package: compute backmap/rmsd. In-place RMSD (no superposition) of the
   latest frame of a fix backmap to a reference, by chain, residue and atom name. */

#include "compute_backmap_rmsd.h"

#include "comm.h"
#include "error.h"
#include "fix_backmap.h"
#include "modify.h"
#include "update.h"

#include "metrics.h"
#include "model.h"
#include "structure_io.h"

using namespace LAMMPS_NS;

ComputeBackmapRmsd::ComputeBackmapRmsd(LAMMPS *lmp, int narg, char **arg) : Compute(lmp, narg, arg), fix(nullptr)
{
  if (narg != 5) error->all(FLERR, "Illegal compute backmap/rmsd command: compute ID group backmap/rmsd FIX_ID REFERENCE");
  fix_id = arg[3];
  reference_file = arg[4];
  // with '*' in the name, the reference of each frame is read when needed (the step replaces '*')
  if (comm->me == 0 && reference_file.find('*') == std::string::npos) {
    try {
      references = BACKMAP::read_models(reference_file);
    } catch (const std::exception &e) {
      error->one(FLERR, "Compute backmap/rmsd: {}", e.what());
    }
  }
  vector_flag = 1;
  size_vector = 4;
  extvector = 0;
  vector = new double[size_vector]();
}

ComputeBackmapRmsd::~ComputeBackmapRmsd()
{
  delete[] vector;
}

void ComputeBackmapRmsd::init()
{
  const int ifix = modify->find_fix(fix_id);
  if (ifix < 0) error->all(FLERR, "Compute backmap/rmsd: no fix with ID {}", fix_id);
  fix = dynamic_cast<FixBackmap *>(modify->fix[ifix]);
  if (!fix) error->all(FLERR, "Compute backmap/rmsd: fix {} is not a fix backmap", fix_id);
  if (fix->chunk_size() > 0)
    error->all(FLERR, "Compute backmap/rmsd: fix {} writes frames in chunks and keeps no whole frame; "
               "use it without the chunk keyword", fix_id);
}

// One reference for every frame, the k-th model of a multi-model file for the k-th frame (a
// rerun of a trajectory against the atomistic trajectory it was mapped from), or with '*' the
// file named after the step.
const BACKMAP::Structure &ComputeBackmapRmsd::reference_for_step()
{
  const auto star = reference_file.find('*');
  if (star != std::string::npos) {
    std::string name = reference_file;
    name.replace(star, 1, std::to_string(update->ntimestep));
    try {
      references = {BACKMAP::read_structure(name)};
    } catch (const std::exception &e) {
      error->one(FLERR, "Compute backmap/rmsd: {}", e.what());
    }
    return references[0];
  }
  if (references.size() == 1) return references[0];
  const long frame = fix->frames_written() - 1;
  if (frame < 0 || frame >= static_cast<long>(references.size()))
    error->one(FLERR, "Compute backmap/rmsd: frame {} of fix {} has no model in {} ({} models)", frame + 1, fix_id,
               reference_file, references.size());
  return references[frame];
}

void ComputeBackmapRmsd::compute_vector()
{
  invoked_vector = update->ntimestep;
  if (comm->me == 0) {
    const BACKMAP::Structure *frame = fix->latest_frame();
    if (!frame) error->one(FLERR, "Compute backmap/rmsd: fix {} has not written a frame yet", fix_id);
    const BACKMAP::StructureMetrics m =
        BACKMAP::compare_structures(reference_for_step(), *frame, fix->mappings(), false);
    if (m.matched_atoms == 0)
      error->one(FLERR, "Compute backmap/rmsd: no atom of {} matches the reconstruction by chain, residue and name",
                 reference_file);
    vector[0] = m.rmsd_all;
    vector[1] = m.rmsd_backbone;
    vector[2] = m.rmsd_side_chain;
    vector[3] = static_cast<double>(m.matched_atoms);
  }
  MPI_Bcast(vector, size_vector, MPI_DOUBLE, 0, world);
}
