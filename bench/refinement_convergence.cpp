// The geometry refinement on real proteins: its cost, how many iterations and factorisations
// it takes, whether it settles, how good the refined atoms are against the crystal structure,
// and how far a rotated and shifted input's result is from the rotated result (it should be
// round-off). The network's prediction is made once per orientation and not timed.
// Usage: refinement_convergence [--model FILE] [--rotations N] PDB...
// Figures go to stdout; see bench/README.md.
#include "backmapping.h"
#include "cg_frame.h"
#include "forward_mapping.h"
#include "frame_refinement.h"
#include "metrics.h"
#include "model.h"
#include "structure_io.h"

#include <Eigen/Geometry>

#include <chrono>
#include <iomanip>
#include <iostream>
#include <random>

using namespace BACKMAP;

namespace {

struct Outcome {
  Structure atoms;
  RefinementReport report;
  double seconds = 0;
};

Outcome backmap(const Model &model, const Structure &cg, int repeats)
{
  const PreparedFrame p = prepare_frame(cg, model.mappings(), model.vocabulary());
  const Structure placed = place_frame_atoms(cg, p, model.predict(p.frame), model.slots());
  Outcome out;
  for (int k = 0; k < repeats; ++k) {
    out.atoms = placed;
    const auto start = std::chrono::steady_clock::now();
    out.report = refine_frame(out.atoms, p, model.geometry());
    out.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  out.seconds /= repeats;
  return out;
}

}    // namespace

int main(int argc, char **argv)
{
  std::string model_path = std::string(BACKMAP_BENCH_POTENTIALS) + "/martini3-protein.pt";
  int rotations = 6;
  std::vector<std::string> proteins;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--model" && i + 1 < argc) model_path = argv[++i];
    else if (a == "--rotations" && i + 1 < argc) rotations = std::stoi(argv[++i]);
    else if (a == "--help" || a == "-h") {
      std::cout << "usage: refinement_convergence [--model FILE] [--rotations N] PDB...\n";
      return 0;
    } else proteins.push_back(a);
  }
  const Model model = Model::load(model_path);
  std::cout << std::left << std::setw(12) << "protein" << std::right << std::setw(8) << "atoms" << std::setw(10)
            << "refine s" << std::setw(8) << "iters" << std::setw(9) << "settled" << std::setw(11) << "all RMSD"
            << std::setw(10) << "bonds off" << std::setw(9) << "clashes" << std::setw(10) << "chirality"
            << std::setw(16) << "rotated max A" << "\n";
  std::mt19937_64 rng(20261201);
  for (const std::string &path : proteins) {
    const Structure truth = read_structure(path);
    const Structure cg = map_to_cg(truth, model.mappings()).cg;
    const Outcome base = backmap(model, cg, 3);
    double worst = 0;
    int settled = base.report.converged() ? 1 : 0;
    for (int r = 0; r < rotations; ++r) {
      std::uniform_real_distribution<double> u(-1, 1);
      const Eigen::Matrix3d rotation =
          Eigen::AngleAxisd(3.14159 * u(rng), Vec3(u(rng), u(rng), u(rng)).normalized()).toRotationMatrix();
      const Vec3 shift(20 * u(rng), 20 * u(rng), 20 * u(rng));
      Structure turned = cg;
      for (Residue &res : turned.residues)
        for (Atom &a : res.atoms) a.position = rotation * a.position + shift;
      const Outcome o = backmap(model, turned, 1);
      settled += o.report.converged() ? 1 : 0;
      for (std::size_t i = 0; i < base.atoms.residues.size(); ++i)
        for (std::size_t k = 0; k < base.atoms.residues[i].atoms.size(); ++k)
          worst = std::max(worst, (rotation * base.atoms.residues[i].atoms[k].position + shift -
                                   o.atoms.residues[i].atoms[k].position).norm());
    }
    const StructureMetrics m = compare_structures(truth, base.atoms, model.mappings());
    const std::string name = path.substr(path.find_last_of('/') + 1);
    std::cout << std::left << std::setw(12) << name << std::right << std::setw(8) << base.atoms.atom_count()
              << std::fixed << std::setw(10) << std::setprecision(4) << base.seconds << std::setw(8)
              << base.report.iterations << std::setw(6) << settled << "/" << std::setw(2) << rotations + 1
              << std::setw(11) << std::setprecision(4) << m.rmsd_all << std::setw(10) << m.bonds_off << std::setw(9)
              << m.clashes << std::setw(10) << m.chirality_errors << std::setw(16) << std::setprecision(5) << worst
              << "\n";
  }
  return 0;
}
