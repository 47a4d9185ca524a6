#include "dataset.h"

#include "frame_range.h"
#include "structure_io.h"

#include <algorithm>
#include <filesystem>
#include <fnmatch.h>

namespace fs = std::filesystem;

namespace BACKMAP {

const char *split_name(Split s)
{
  switch (s) {
    case Split::Train: return "train";
    case Split::Validation: return "validation";
    case Split::Test: return "test";
  }
  return "";
}

std::string protein_group(const std::string &path)
{
  const std::string name = fs::path(path).filename().string();
  for (const char *marker : {"_l_b_COMPLEX", "_r_b_COMPLEX"}) {
    const auto at = name.find(marker);
    if (at != std::string::npos) return name.substr(0, at);
  }
  for (const char *marker : {"_r_u.", "_l_u.", "_r_b-matched.", "_l_b-matched.", "_r_b.", "_l_b."}) {
    const auto at = name.find(marker);
    if (at != std::string::npos) return name.substr(0, at);
  }
  return name;
}

Split split_of(const std::string &group, double validation_fraction, double test_fraction)
{
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : group) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  const double u = static_cast<double>(h % 1000003ULL) / 1000003.0;
  if (u < test_fraction) return Split::Test;
  if (u < test_fraction + validation_fraction) return Split::Validation;
  return Split::Train;
}

std::vector<std::string> expand_inputs(const std::vector<std::string> &inputs)
{
  std::vector<std::string> files;
  // a folder is walked by extension, so that its other files (notes, logs) are never opened;
  // files named one by one are read by extension or content. Atomistic structures only: a
  // LAMMPS data file is a CG topology.
  auto is_structure = [](const fs::path &p) {
    const FileFormat f = format_by_extension(p.string());
    return f != FileFormat::Unknown && f != FileFormat::LammpsData && format_info(f).can(FormatUse::ReadStructure);
  };
  for (const auto &in : inputs) {
    if (in.find_first_of("*?[") != std::string::npos) {
      const fs::path dir = fs::path(in).parent_path();
      const std::string pattern = fs::path(in).filename().string();
      if (fs::is_directory(dir))
        for (const auto &e : fs::directory_iterator(dir))
          if (e.is_regular_file() && fnmatch(pattern.c_str(), e.path().filename().c_str(), 0) == 0)
            files.push_back(e.path().string());
    } else if (fs::is_directory(in)) {
      for (const auto &e : fs::recursive_directory_iterator(in))
        if (e.is_regular_file() && is_structure(e.path())) files.push_back(e.path().string());
    } else {
      files.push_back(in);
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

std::vector<TrainingSample> load_samples(const std::vector<std::string> &files, const MappingSet &mappings,
                                         const BeadVocabulary &vocabulary, LoadReport &report,
                                         const std::function<void(std::size_t, std::size_t)> &progress)
{
  std::vector<TrainingSample> samples;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (progress) progress(i, files.size());
    ++report.files;
    try {
      const ForwardMapping fm = map_to_cg(read_structure(files[i]), mappings);
      TrainingSample s = make_training_sample(fm, mappings, vocabulary, files[i]);
      if (s.prepared.frame.size() == 0) continue;
      report.residues += s.prepared.residues.size();
      report.beads += s.prepared.frame.size();
      samples.push_back(std::move(s));
    } catch (const std::exception &e) {
      ++report.unreadable;
      report.problems.push_back(e.what());
    }
  }
  return samples;
}

long trajectory_length(const TrajectoryInput &t)
{
  return open_frame_source(t.trajectory, t.topology)->frames_expected();
}

void for_each_frame(const TrajectoryInput &t, const FrameRange &block,
                    const std::function<void(long, const Structure &)> &use)
{
  std::unique_ptr<FrameSource> frames = select_frames(open_frame_source(t.trajectory, t.topology), block, t.trajectory);
  Structure frame;
  for (long number = block.first; frames->next(frame); ++number) use(number, frame);
}

std::vector<TrainingSample> load_frame_samples(const TrajectoryInput &t, const FrameRange &block,
                                               const MappingSet &mappings, const BeadVocabulary &vocabulary,
                                               LoadReport &report)
{
  std::vector<TrainingSample> samples;
  for_each_frame(t, block, [&](long number, const Structure &frame) {
    ++report.files;
    const std::string source = t.trajectory + " frame " + std::to_string(number);
    try {
      const ForwardMapping fm = map_to_cg(frame, mappings);
      TrainingSample s = make_training_sample(fm, mappings, vocabulary, source);
      if (s.prepared.frame.size() == 0) return;
      report.residues += s.prepared.residues.size();
      report.beads += s.prepared.frame.size();
      samples.push_back(std::move(s));
    } catch (const std::exception &e) {
      ++report.unreadable;
      report.problems.push_back(source + ": " + e.what());
    }
  });
  return samples;
}

}    // namespace BACKMAP
