// backmap eval --ref AA_REF AA_PRED: accuracy of a backmapped structure or trajectory.
#include "commands.h"

#include "frame_range.h"
#include "frame_streams.h"
#include "gromacs_trajectory.h"
#include "mapping_set.h"
#include "metrics.h"
#include "plots.h"
#include "structure_io.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

namespace BACKMAP::tool {

namespace {

struct EvalOptions {
  std::string reference, predicted, mapping = "martini3", plots, reference_topology, reference_frames;
  bool json = false;
};

int run_eval(const EvalOptions &o)
{
  const MappingSet mappings = MappingSet::load(o.mapping);
  const std::vector<Structure> preds = read_models(o.predicted);
  std::vector<Structure> refs;
  if (is_gromacs_trajectory(o.reference) || !o.reference_frames.empty()) {
    // the truth as a trajectory: its frames (or a block of them) in memory, as a PDB's would be
    if (is_gromacs_trajectory(o.reference) && o.reference_topology.empty())
      throw std::runtime_error(o.reference + ": a GROMACS trajectory holds coordinates only; give --ref-topology "
                                             "with the atomistic structure (PDB, GRO) or .tpr that names its atoms");
    std::unique_ptr<FrameSource> source = open_frame_source(o.reference, o.reference_topology);
    if (!o.reference_frames.empty())
      source = select_frames(std::move(source), parse_frame_range(o.reference_frames), o.reference);
    Structure frame;
    while (source->next(frame)) refs.push_back(frame);
    if (refs.empty()) throw std::runtime_error(o.reference + ": no reference frame");
  } else {
    refs = read_models(o.reference);
  }
  if (refs.size() != 1 && refs.size() != preds.size())
    throw std::runtime_error(o.reference + " has " + std::to_string(refs.size()) + " frames, " + o.predicted + " has " +
                             std::to_string(preds.size()) + ": give one reference frame or one per predicted frame");
  StructureMetrics total;
  Dihedrals dref, dpred;
  // tail order parameters, summed over frames: molecule -> bond -> (reference, predicted)
  std::map<std::string, std::map<std::string, std::pair<double, double>>> order;
  for (std::size_t f = 0; f < preds.size(); ++f) {
    const Structure &ref = refs.size() == 1 ? refs[0] : refs[f];
    const StructureMetrics m = compare_structures(ref, preds[f], mappings);
    accumulate(total, m);
    const auto order_ref = tail_order_parameters(ref, mappings), order_pred = tail_order_parameters(preds[f], mappings);
    for (const auto &[molecule, bonds] : order_ref)
      for (const auto &[bond, value] : bonds) {
        auto &e = order[molecule][bond];
        e.first += value / preds.size();
        const auto mp = order_pred.find(molecule);
        if (mp != order_pred.end() && mp->second.count(bond)) e.second += mp->second.at(bond) / preds.size();
      }
    const Dihedrals a = protein_dihedrals(ref, mappings), b = protein_dihedrals(preds[f], mappings);
    dref.phi_psi.insert(dref.phi_psi.end(), a.phi_psi.begin(), a.phi_psi.end());
    dpred.phi_psi.insert(dpred.phi_psi.end(), b.phi_psi.begin(), b.phi_psi.end());
    for (auto [to, from] : {std::pair{&dref.chi1, &a.chi1}, {&dref.chi2, &a.chi2}, {&dpred.chi1, &b.chi1}, {&dpred.chi2, &b.chi2}})
      to->insert(to->end(), from->begin(), from->end());
  }
  if (total.matched_atoms == 0)
    throw std::runtime_error(o.predicted + ": no atom matches " + o.reference + " by chain, residue and atom name");
  const double kl_rama = kl_divergence_2d(dref.phi_psi, dpred.phi_psi);
  const double kl_chi1 = kl_divergence(dref.chi1, dpred.chi1), kl_chi2 = kl_divergence(dref.chi2, dpred.chi2);
  auto pct = [](long a, long b) { return b ? 100.0 * a / b : 0.0; };
  // per molecule kind (lipids, sterols, ligands): residues, median and worst RMSD, and the
  // tail order parameters' mean absolute difference
  nlohmann::json molecules = nlohmann::json::object();
  for (auto [name, list] : total.residue_rmsd) {
    std::sort(list.begin(), list.end());
    nlohmann::json mj = {{"residues", list.size()}, {"median_rmsd", list[list.size() / 2]}, {"worst_rmsd", list.back()}};
    if (order.count(name)) {
      double diff = 0;
      nlohmann::json bonds = nlohmann::json::object();
      for (const auto &[bond, e] : order.at(name)) {
        diff += std::fabs(e.first - e.second);
        bonds[bond] = {{"reference", e.first}, {"predicted", e.second}};
      }
      mj["order_parameters"] = bonds;
      mj["order_parameter_mean_abs_difference"] = diff / order.at(name).size();
    }
    molecules[name] = mj;
  }
  if (!o.plots.empty()) {
    std::filesystem::create_directories(o.plots);
    write_ramachandran_png(o.plots + "/ramachandran.png", dref.phi_psi, dpred.phi_psi);
    write_chi_png(o.plots + "/chi.png", dref.chi1, dpred.chi1, dref.chi2, dpred.chi2);
  }
  if (o.json) {
    nlohmann::json j = {
        {"format_version", 1},
        {"reference", o.reference},
        {"predicted", o.predicted},
        {"frames", preds.size()},
        {"matched_atoms", total.matched_atoms},
        {"rmsd", {{"backbone", total.rmsd_backbone}, {"side_chain", total.rmsd_side_chain}, {"all_heavy", total.rmsd_all}}},
        {"symmetric_swaps", total.symmetric_swaps},
        {"bonds", {{"total", total.bonds}, {"off_by_more_than_0.1A", total.bonds_off}}},
        {"angles", {{"total", total.angles}, {"off_by_more_than_10deg", total.angles_off}}},
        {"chirality", {{"centres", total.chiral_centres}, {"errors", total.chirality_errors}}},
        {"peptide_bonds", {{"total", total.peptide_bonds}, {"cis_trans_errors", total.cis_errors}}},
        {"clashes", total.clashes},
        {"tetrahedral_centres", {{"total", total.tetrahedral_centres}, {"inversions", total.inversions}}},
        {"double_bonds", {{"total", total.double_bonds}, {"cis_trans_errors", total.double_bond_errors}}},
        {"molecules", molecules},
        {"kl_divergence", {{"phi_psi", kl_rama}, {"chi1", kl_chi1}, {"chi2", kl_chi2}}}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << o.predicted << " vs " << o.reference << " (" << preds.size() << " frame(s), " << total.matched_atoms
              << " heavy atoms matched, symmetric atoms swapped in " << total.symmetric_swaps << " residues)\n"
              << "  RMSD in place: backbone " << total.rmsd_backbone << " A, side chains " << total.rmsd_side_chain
              << " A, all heavy " << total.rmsd_all << " A\n"
              << "  bonds off > 0.1 A: " << total.bonds_off << "/" << total.bonds << " (" << pct(total.bonds_off, total.bonds)
              << " %); angles off > 10 deg: " << total.angles_off << "/" << total.angles << " ("
              << pct(total.angles_off, total.angles) << " %)\n"
              << "  CA chirality errors: " << total.chirality_errors << "/" << total.chiral_centres
              << "; cis/trans errors: " << total.cis_errors << "/" << total.peptide_bonds
              << "; clashes (< 2.2 A): " << total.clashes << "\n"
              << "  KL divergence to the reference: phi/psi " << kl_rama << ", chi1 " << kl_chi1 << ", chi2 " << kl_chi2
              << "\n";
    if (total.tetrahedral_centres || total.double_bonds)
      std::cout << "  other molecules: tetrahedral centres inverted " << total.inversions << "/" << total.tetrahedral_centres
                << "; C=C cis/trans errors " << total.double_bond_errors << "/" << total.double_bonds << "\n";
    for (const auto &[name, mj] : molecules.items()) {
      std::cout << "  " << name << ": " << mj["residues"] << " residues, RMSD median " << mj["median_rmsd"].get<double>()
                << " A, worst " << mj["worst_rmsd"].get<double>() << " A";
      if (mj.contains("order_parameter_mean_abs_difference"))
        std::cout << "; tail S_CC mean |difference| " << mj["order_parameter_mean_abs_difference"].get<double>();
      std::cout << "\n";
    }
  }
  return 0;
}

}    // namespace

Runner add_eval_command(CLI::App &app)
{
  auto o = std::make_shared<EvalOptions>();
  CLI::App *sub = app.add_subcommand("eval", "Compare a backmapped structure (or trajectory) with its atomistic truth");
  sub->add_option("--ref", o->reference, "atomistic reference (one frame, or one per predicted frame)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--ref-topology", o->reference_topology, "atomistic structure naming the atoms of a reference trajectory (.xtc, .trr)")
      ->check(CLI::ExistingFile);
  sub->add_option("--ref-frames", o->reference_frames,
                  "compare with these frames of the reference only: FIRST-LAST, FIRST- or FRAME, counted from 1");
  sub->add_option("predicted", o->predicted, "backmapped structure")->required()->check(CLI::ExistingFile);
  sub->add_option("--mapping", o->mapping, "mapping set whose bonds and atom names are used")->capture_default_str();
  sub->add_flag("--json", o->json, "print the metrics as JSON");
  sub->add_option("--plots", o->plots, "folder for ramachandran.png and chi.png");
  return [o] { return run_eval(*o); };
}

}    // namespace BACKMAP::tool
