/* BACKMAP core: the structures a model learns from, split by protein so that no protein
   is seen in two splits (the bound and unbound forms of one BM5 entry, and the two chains
   of one DIPS complex, stay together). */
#ifndef BACKMAP_DATASET_H
#define BACKMAP_DATASET_H

#include "training_config.h"
#include "training_sample.h"

#include <functional>
#include <string>
#include <vector>

namespace BACKMAP {

enum class Split { Train, Validation, Test };
const char *split_name(Split s);

// The protein a file belongs to: BM5 "1A2K_r_u.pdb.gz" -> "1A2K"; DIPS
// "a9_1a95.pdb1_3.dill_l_b_COMPLEX.pdb.gz" -> "a9_1a95.pdb1_3.dill"; otherwise the file name.
std::string protein_group(const std::string &path);

// Fixed by the group name alone (FNV-1a hash), so adding files never moves another file.
Split split_of(const std::string &group, double validation_fraction, double test_fraction);

// Files, folders (searched recursively) and glob patterns (*, ?) to a sorted file list.
std::vector<std::string> expand_inputs(const std::vector<std::string> &inputs);

struct LoadReport {
  std::size_t files = 0, unreadable = 0, residues = 0, beads = 0;
  std::vector<std::string> problems;    // one line per unreadable file
};

// Reads, maps and prepares every file of one split; `progress(i, n)` is called per file.
std::vector<TrainingSample> load_samples(const std::vector<std::string> &files, const MappingSet &mappings,
                                         const BeadVocabulary &vocabulary, LoadReport &report,
                                         const std::function<void(std::size_t, std::size_t)> &progress = {});

// How many frames the trajectory has (its frames decoded once, not kept).
long trajectory_length(const TrajectoryInput &trajectory);

// The frames of one block of a trajectory, in order, each handed to `use` with its frame
// number (counted from 1); one frame in memory at a time. Throws FileError when the block
// runs past the trajectory's end.
void for_each_frame(const TrajectoryInput &trajectory, const FrameRange &block,
                    const std::function<void(long, const Structure &)> &use);

// Reads, maps and prepares the frames of one block, as load_samples does files; a frame that
// cannot be mapped is counted as unreadable, with its number in the reason.
std::vector<TrainingSample> load_frame_samples(const TrajectoryInput &trajectory, const FrameRange &block,
                                               const MappingSet &mappings, const BeadVocabulary &vocabulary,
                                               LoadReport &report);

}    // namespace BACKMAP

#endif
