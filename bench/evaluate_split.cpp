// Accuracy of a model on one split of its training data (by default the test split, which
// training never sees): every file is mapped to beads, backmapped by the model and compared
// in place with its own atoms. Usage:
//   evaluate_split --model M --split-file training/split.tsv [--split test] [--json FILE] [--threads N]
//                  [--measure-geometry] [--tether SIGMA] [--centre SIGMA] [--iterations N]
//                  [--planar-link SIGMA] [--trans-ca-ca DISTANCE] (0: without that peptide-link restraint)
// Both the network's own output and the refined one (frame_refinement.h) are scored, from one
// prediction of the inference facade (FrameBackmapper), which hands back both.
// --measure-geometry measures the ideal geometry on the split file's train files, for models
// saved before models carried it.
#include "forward_mapping.h"
#include "frame_backmapper.h"
#include "metrics.h"
#include "model_set.h"
#include "structure_io.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace BACKMAP;

int main(int argc, char **argv)
{
  std::string model_path, split_file, split = "test", json_path;
  int threads = 2;
  bool measure_geometry = false;
  BackmapOptions options;
  RefinementOptions &refinement = options.refinement;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--model" && i + 1 < argc) model_path = argv[++i];
    else if (a == "--split-file" && i + 1 < argc) split_file = argv[++i];
    else if (a == "--split" && i + 1 < argc) split = argv[++i];
    else if (a == "--json" && i + 1 < argc) json_path = argv[++i];
    else if (a == "--threads" && i + 1 < argc) threads = std::stoi(argv[++i]);
    else if (a == "--measure-geometry") measure_geometry = true;
    else if (a == "--tether" && i + 1 < argc) refinement.tether_sigma = std::stod(argv[++i]);
    else if (a == "--centre" && i + 1 < argc) refinement.centre_sigma = std::stod(argv[++i]);
    else if (a == "--planar-link" && i + 1 < argc) refinement.planar_link_sigma = std::stod(argv[++i]);
    else if (a == "--trans-ca-ca" && i + 1 < argc) refinement.trans_ca_ca = std::stod(argv[++i]);
    else if (a == "--iterations" && i + 1 < argc) refinement.iterations = std::stoi(argv[++i]);
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
  Model model = Model::load(model_path);
  std::ifstream in(split_file);
  if (!in) {
    std::cerr << split_file << ": cannot open\n";
    return 2;
  }
  std::string line;
  std::getline(in, line);    // header
  std::vector<std::string> files, train_files;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string file, group, which;
    std::getline(f, file, '\t');
    std::getline(f, group, '\t');
    std::getline(f, which, '\t');
    if (which == split) files.push_back(file);
    if (which == "train") train_files.push_back(file);
  }
  if (measure_geometry) model.set_geometry(IdealGeometry::measure(train_files, model.mappings()));
  const bool refine = !model.geometry().empty();
  const ModelSet models = ModelSet::of(std::move(model), model_path);
  const Model &the_model = models.model(0);
  double seconds = 0, refine_seconds = 0;
  StructureMetrics t, tr;
  long files_done = 0, residues = 0;
  nlohmann::json per_file = nlohmann::json::array(), per_file_refined = nlohmann::json::array();
  // tail order parameters (lipids), pooled over files: molecule -> bond -> {reference, network, refined}
  std::map<std::string, std::map<std::string, std::array<double, 3>>> order;
  auto add_order = [&](const Structure &s, int which) {
    for (const auto &[molecule, bonds] : tail_order_parameters(s, the_model.mappings()))
      for (const auto &[bond, value] : bonds) order[molecule][bond][which] += value;
  };
  for (const auto &file : files) {
    try {
      const ForwardMapping fm = map_to_cg(read_structure(file), the_model.mappings());
      // one backmapper per file: the files are not frames of one trajectory
      FrameBackmapper backmapper(models, options);
      FrameReport report;
      Structure predicted;
      const auto start = std::chrono::steady_clock::now();
      const Structure refined = backmapper.backmap(fm.cg, &report, &predicted);
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() -
                 report.refinement_seconds;
      refine_seconds += report.refinement_seconds;
      const StructureMetrics m = compare_structures(fm.atomistic, predicted, the_model.mappings());
      accumulate(t, m);
      add_order(fm.atomistic, 0);
      add_order(predicted, 1);
      if (refine) {
        const StructureMetrics mr = compare_structures(fm.atomistic, refined, the_model.mappings());
        accumulate(tr, mr);
        add_order(refined, 2);
        per_file_refined.push_back({{"rmsd_backbone", mr.rmsd_backbone}, {"rmsd_all_heavy", mr.rmsd_all}});
      }
      residues += static_cast<long>(predicted.residues.size());
      ++files_done;
      per_file.push_back({{"file", file}, {"residues", predicted.residues.size()}, {"rmsd_backbone", m.rmsd_backbone},
                          {"rmsd_side_chain", m.rmsd_side_chain}, {"rmsd_all_heavy", m.rmsd_all}});
    } catch (const std::exception &e) {
      std::cerr << "\n" << file << ": " << e.what() << "\n";
    }
  }
  auto pct = [](long a, long b) { return b ? 100.0 * a / b : 0.0; };
  auto print = [&](const char *what, const StructureMetrics &m) {
    std::cout << "  " << what << ": RMSD backbone " << m.rmsd_backbone << " A, side chains " << m.rmsd_side_chain
              << " A, all heavy " << m.rmsd_all << " A\n"
              << "    bonds off > 0.1 A: " << pct(m.bonds_off, m.bonds) << " % of " << m.bonds
              << "; angles off > 10 deg: " << pct(m.angles_off, m.angles) << " % of " << m.angles << "\n"
              << "    CA chirality errors " << m.chirality_errors << "/" << m.chiral_centres << "; cis/trans errors "
              << m.cis_errors << "/" << m.peptide_bonds << "; clashes " << m.clashes << "\n";
    if (m.tetrahedral_centres || m.double_bonds)
      std::cout << "    other molecules: stereocentre inversions " << m.inversions << "/" << m.tetrahedral_centres
                << "; C=C cis/trans errors " << m.double_bond_errors << "/" << m.double_bonds << "\n";
    for (auto [molecule, list] : m.residue_rmsd) {
      std::sort(list.begin(), list.end());
      std::cout << "    " << molecule << ": " << list.size() << " residues, RMSD median " << list[list.size() / 2]
                << " A, worst " << list.back() << " A\n";
    }
  };
  std::cout << "model " << model_path << ", split '" << split << "': " << files_done << " files, " << residues
            << " residues, " << t.matched_atoms << " heavy atoms (in place, symmetric atoms swapped in "
            << t.symmetric_swaps << " residues)\n";
  print("network", t);
  if (refine) print("refined", tr);
  for (const auto &[molecule, bonds] : order) {
    double network = 0, refined = 0;
    for (const auto &[bond, v] : bonds) {
      network += std::fabs(v[1] - v[0]);
      refined += std::fabs(v[2] - v[0]);
    }
    std::cout << "  " << molecule << " tail S_CC, mean |difference| over " << bonds.size() << " bonds: network "
              << network / bonds.size() / files_done << (refine ? ", refined " : "")
              << (refine ? std::to_string(refined / bonds.size() / files_done) : std::string()) << "\n";
  }
  std::cout << "  backmapping time " << seconds << " s (" << residues / std::max(1e-9, seconds) << " residues/s)";
  if (refine) std::cout << ", refinement " << refine_seconds << " s";
  std::cout << "\n";
  auto as_json = [&](const StructureMetrics &m) {
    return nlohmann::json{{"rmsd_backbone", m.rmsd_backbone}, {"rmsd_side_chain", m.rmsd_side_chain},
                          {"rmsd_all_heavy", m.rmsd_all}, {"bonds_off_pct", pct(m.bonds_off, m.bonds)},
                          {"angles_off_pct", pct(m.angles_off, m.angles)}, {"chirality_errors", m.chirality_errors},
                          {"chiral_centres", m.chiral_centres}, {"cis_errors", m.cis_errors}, {"clashes", m.clashes},
                          {"stereocentre_inversions", m.inversions}, {"stereocentres", m.tetrahedral_centres},
                          {"double_bond_errors", m.double_bond_errors}, {"double_bonds", m.double_bonds},
                          {"residue_rmsd", m.residue_rmsd}};
  };
  if (!json_path.empty()) {
    nlohmann::json j = {{"model", model_path}, {"split", split}, {"files", files_done}, {"residues", residues},
                        {"heavy_atoms", t.matched_atoms}, {"network", as_json(t)}, {"per_file", per_file}};
    if (refine) {
      j["refined"] = as_json(tr);
      for (std::size_t k = 0; k < per_file.size() && k < per_file_refined.size(); ++k)
        j["per_file"][k]["refined"] = per_file_refined[k];
    }
    std::ofstream(json_path) << j.dump(2) << "\n";
  }
  return 0;
}
