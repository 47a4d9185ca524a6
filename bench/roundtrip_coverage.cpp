// Round-trip coverage over folders of structures: how many files, residues and heavy atoms
// the mapping covers, the largest reconstruction error per atom class, and why the rest was
// skipped. Usage: roundtrip_coverage [--mapping NAME] [--json FILE] PATH...
#include "mapping_set.h"
#include "roundtrip.h"
#include "structure_io.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

namespace fs = std::filesystem;
using namespace BACKMAP;

namespace {

// atomistic structures by extension (a LAMMPS data file is a CG topology)
bool is_structure_file(const fs::path &p)
{
  const FileFormat f = format_by_extension(p.string());
  return f != FileFormat::Unknown && f != FileFormat::LammpsData && format_info(f).can(FormatUse::ReadStructure);
}

std::vector<std::string> collect(const std::vector<std::string> &paths)
{
  std::vector<std::string> files;
  for (const auto &p : paths) {
    if (fs::is_directory(p)) {
      for (const auto &e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file() && is_structure_file(e.path())) files.push_back(e.path().string());
    } else {
      files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// "missing atoms CD, CE" -> "missing atoms"; "no mapping for residue name GDP" -> itself.
std::string reason_class(const std::string &reason)
{
  for (const char *prefix : {"missing atoms", "atoms unknown to mapping", "atom "})
    if (reason.rfind(prefix, 0) == 0) return prefix == std::string("atom ") ? "duplicate atom" : prefix;
  return reason;
}

}    // namespace

int main(int argc, char **argv)
{
  std::string mapping = "martini3", json_path;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--mapping" && i + 1 < argc) mapping = argv[++i];
    else if (a == "--json" && i + 1 < argc) json_path = argv[++i];
    else if (a == "-h" || a == "--help") {
      std::cout << "usage: roundtrip_coverage [--mapping NAME] [--json FILE] PATH...\n";
      return 0;
    } else paths.push_back(a);
  }
  if (paths.empty()) {
    std::cerr << "roundtrip_coverage: give files or folders\n";
    return 2;
  }
  const MappingSet mappings = MappingSet::load(mapping);
  const auto files = collect(paths);
  const auto start = std::chrono::steady_clock::now();
  long files_ok = 0, residues = 0, mapped = 0, atoms = 0;
  ClassError bb, sc, mol;
  std::map<std::string, long> skipped;
  std::vector<std::pair<std::string, std::string>> unreadable;
  std::vector<std::pair<std::string, double>> worst;
  for (std::size_t i = 0; i < files.size(); ++i) {
    try {
      const RoundtripReport r = roundtrip(read_structure(files[i]), mappings);
      ++files_ok;
      residues += r.residues_total;
      mapped += r.residues_mapped;
      atoms += r.atoms_reconstructed;
      for (auto [mine, total] : {std::pair{&r.backbone, &bb}, {&r.side_chain, &sc}, {&r.molecule, &mol}}) {
        total->atoms += mine->atoms;
        total->max_error = std::max(total->max_error, mine->max_error);
      }
      worst.emplace_back(files[i], r.max_error());
      for (const auto &s : r.skipped) ++skipped[reason_class(s.reason)];
    } catch (const std::exception &e) {
      unreadable.emplace_back(files[i], e.what());
    }
    if ((i + 1) % 50 == 0 || i + 1 == files.size())
      std::cerr << "\r" << (i + 1) << "/" << files.size() << " files" << std::flush;
  }
  std::cerr << "\n";
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(worst.begin(), worst.end(), [](auto &a, auto &b) { return a.second > b.second; });

  std::cout << "files: " << files.size() << " (" << files_ok << " read, " << unreadable.size() << " unreadable)\n"
            << "residues: " << residues << " (" << mapped << " mapped, " << residues - mapped << " skipped)\n"
            << "heavy atoms reconstructed: " << atoms << "\n"
            << "max error: backbone " << bb.max_error << " A (" << bb.atoms << " atoms), side chains " << sc.max_error
            << " A (" << sc.atoms << "), molecules " << mol.max_error << " A (" << mol.atoms << ")\n"
            << "time: " << seconds << " s\n";
  std::vector<std::pair<long, std::string>> reasons;
  for (auto &[reason, n] : skipped) reasons.emplace_back(n, reason);
  std::sort(reasons.rbegin(), reasons.rend());
  std::cout << "skipped residues by reason:\n";
  for (std::size_t i = 0; i < reasons.size() && i < 25; ++i)
    std::cout << "  " << reasons[i].first << "  " << reasons[i].second << "\n";
  if (reasons.size() > 25) std::cout << "  ... " << reasons.size() - 25 << " more reasons\n";
  for (auto &[f, why] : unreadable) std::cout << "unreadable: " << why << "\n";

  if (!json_path.empty()) {
    nlohmann::json j = {{"mapping", mapping},
                        {"files", files.size()},
                        {"files_read", files_ok},
                        {"residues", residues},
                        {"residues_mapped", mapped},
                        {"atoms_reconstructed", atoms},
                        {"max_error", {{"backbone", bb.max_error}, {"side_chain", sc.max_error}, {"molecule", mol.max_error}}},
                        {"skipped_by_reason", skipped},
                        {"unreadable", unreadable}};
    std::ofstream(json_path) << j.dump(2) << "\n";
  }
  const double tolerance = 1e-4;
  return std::max({bb.max_error, sc.max_error, mol.max_error}) <= tolerance ? 0 : 1;
}
