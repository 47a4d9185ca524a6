// Accuracy of a model on one split of its training data (by default the test split, which
// training never sees): every file is mapped to beads, backmapped by the model and compared
// in place with its own atoms. Usage:
//   evaluate_split --model M --split-file training/split.tsv [--split test] [--json FILE] [--threads N]
#include "backmapping.h"
#include "cg_frame.h"
#include "metrics.h"
#include "model.h"
#include "structure_io.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace BACKMAP;

int main(int argc, char **argv)
{
  std::string model_path, split_file, split = "test", json_path;
  int threads = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--model" && i + 1 < argc) model_path = argv[++i];
    else if (a == "--split-file" && i + 1 < argc) split_file = argv[++i];
    else if (a == "--split" && i + 1 < argc) split = argv[++i];
    else if (a == "--json" && i + 1 < argc) json_path = argv[++i];
    else if (a == "--threads" && i + 1 < argc) threads = std::stoi(argv[++i]);
    else {
      std::cout << "usage: evaluate_split --model M --split-file SPLIT.tsv [--split test] [--json FILE] [--threads N]\n";
      return a == "-h" || a == "--help" ? 0 : 2;
    }
  }
  if (model_path.empty() || split_file.empty()) {
    std::cerr << "evaluate_split: --model and --split-file are required\n";
    return 2;
  }
  Model::set_threads(threads);
  const Model model = Model::load(model_path);
  std::ifstream in(split_file);
  if (!in) {
    std::cerr << split_file << ": cannot open\n";
    return 2;
  }
  std::string line;
  std::getline(in, line);    // header
  std::vector<std::string> files;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string file, group, which;
    std::getline(f, file, '\t');
    std::getline(f, group, '\t');
    std::getline(f, which, '\t');
    if (which == split) files.push_back(file);
  }
  double seconds = 0;
  StructureMetrics t;
  long files_done = 0, residues = 0;
  nlohmann::json per_file = nlohmann::json::array();
  for (const auto &file : files) {
    try {
      const ForwardMapping fm = map_to_cg(read_structure(file), model.mappings());
      const auto start = std::chrono::steady_clock::now();
      const PreparedFrame p = prepare_frame(fm.cg, model.mappings(), model.vocabulary());
      const Structure predicted = place_frame_atoms(fm.cg, p, model.predict(p.frame), model.slots());
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const StructureMetrics m = compare_structures(fm.atomistic, predicted, model.mappings());
      accumulate(t, m);
      residues += static_cast<long>(p.residues.size());
      ++files_done;
      per_file.push_back({{"file", file}, {"residues", p.residues.size()}, {"rmsd_backbone", m.rmsd_backbone},
                          {"rmsd_side_chain", m.rmsd_side_chain}, {"rmsd_all_heavy", m.rmsd_all}});
      std::cerr << "\r" << files_done << "/" << files.size() << std::flush;
    } catch (const std::exception &e) {
      std::cerr << "\n" << file << ": " << e.what() << "\n";
    }
  }
  std::cerr << "\n";
  const long atoms = t.matched_atoms;
  const double bb = t.rmsd_backbone, sc = t.rmsd_side_chain, all = t.rmsd_all;
  auto pct = [](long a, long b) { return b ? 100.0 * a / b : 0.0; };
  std::cout << "model " << model_path << ", split '" << split << "': " << files_done << " files, " << residues
            << " residues, " << atoms << " heavy atoms (in place, symmetric atoms swapped in " << t.symmetric_swaps
            << " residues)\n"
            << "  RMSD backbone " << bb << " A, side chains " << sc << " A, all heavy " << all << " A\n"
            << "  bonds off > 0.1 A: " << pct(t.bonds_off, t.bonds) << " % of " << t.bonds << "; angles off > 10 deg: "
            << pct(t.angles_off, t.angles) << " % of " << t.angles << "\n"
            << "  CA chirality errors " << t.chirality_errors << "/" << t.chiral_centres << "; cis/trans errors "
            << t.cis_errors << "/" << t.peptide_bonds << "; clashes " << t.clashes << "\n"
            << "  backmapping time " << seconds << " s (" << residues / std::max(1e-9, seconds) << " residues/s)\n";
  if (!json_path.empty()) {
    const nlohmann::json j = {{"model", model_path}, {"split", split}, {"files", files_done}, {"residues", residues},
                              {"heavy_atoms", atoms}, {"rmsd_backbone", bb}, {"rmsd_side_chain", sc},
                              {"rmsd_all_heavy", all}, {"bonds_off_pct", pct(t.bonds_off, t.bonds)},
                              {"angles_off_pct", pct(t.angles_off, t.angles)},
                              {"chirality_errors", t.chirality_errors}, {"chiral_centres", t.chiral_centres},
                              {"cis_errors", t.cis_errors}, {"clashes", t.clashes}, {"per_file", per_file}};
    std::ofstream(json_path) << j.dump(2) << "\n";
  }
  return 0;
}
