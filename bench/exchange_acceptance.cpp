// How the resolution exchange's acceptance falls with system size and with the backmap
// width s, on the toy CG/all-atom pair of the tests (unittest/exchange_toy_system.h).
//
// A system of N independent copies of the toy molecule has a block-diagonal forward map, so
// its log acceptance S is the sum of N independent single-molecule log acceptances L drawn
// at equilibrium (exact samples of both replicas, one proposal each). Because the exchange
// is an exact Metropolis-Hastings move, L obeys the fluctuation relation p(-l) = exp(-l) p(l),
// and so does S; hence the acceptance is E[min(1, e^S)] = 2 P(S > 0) <= 2 E[e^(S/2)] =
// 2 exp(-N rho) with rho = -ln E[e^(L/2)], a rate per molecule that a single-molecule sample
// estimates well. Per width the table gives the mean and spread of L, the acceptance of one
// molecule and its check 2 P(L > 0), rho, the acceptance measured for 2, 4 and 8 molecules
// (from sums of the drawn L) and the bound for 100 and 1000 molecules.
//
//   build/bin/exchange_acceptance [samples]      (default 200000 per width; about 10 s)
#include "backmap_density.h"
#include "exchange_toy_system.h"
#include "resolution_exchange.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace BACKMAP;
using namespace BACKMAP::toy;

namespace {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// E[min(1, exp(Z))] for Z ~ N(m, v)
double gaussian_acceptance(double m, double v)
{
  const double s = std::sqrt(v);
  return normal_cdf(m / s) + std::exp(m + v / 2) * normal_cdf(-s - m / s);
}

}    // namespace

int main(int argc, char **argv)
{
  const int samples = argc > 1 ? std::atoi(argv[1]) : 200000;
  const MapCase c = separate_beads();
  const TreeMolecule aa = all_atom_molecule(), cg = cg_molecule(c.cg);
  const TemplateBackmap mu{c.beads, c.cg.centre, 0.3};
  std::vector<bool> is_hydrogen(atom_count, false);
  is_hydrogen[H] = true;
  std::printf("toy molecule: %d atoms, %d free coordinates given the beads; %d samples per width\n", atom_count,
              3 * (atom_count - bead_count), samples);
  std::printf("%6s %7s %6s %8s %8s %6s %9s %9s %9s %9s %9s\n", "s (A)", "mean L", "sd L", "acc N=1", "2P(L>0)",
              "rho", "N=2", "N=4", "N=8", "N=100 <=", "N=1000 <=");
  for (const double s : {0.03, 0.05, 0.07, 0.1, 0.15}) {
    const BackmapDensity q(LinearForwardMap(atom_count, c.beads),
                           BackmapDensity::widths_by_kind(is_hydrogen, s, s * 6.0 / 7.0));
    ExchangeRandom random(1);
    ResolutionExchange exchange(1.0, 1.0, 2);
    std::vector<double> l(samples);
    double sum = 0, sum2 = 0, half = 0, positive = 0;
    for (int k = 0; k < samples; ++k) {
      const std::vector<Vec3> r = cg.sample(random), x = aa.sample(random);
      const std::vector<Vec3> mapped = q.map().apply(x), mu_r = mu(r);
      const std::vector<Vec3> proposal = q.sample(mu_r, r, exchange.random());
      l[k] = exchange.log_acceptance({aa.energy(x), aa.energy(proposal), cg.energy(r), cg.energy(mapped)},
                                     {q.log_density(x, mu(mapped), mapped), q.log_density(proposal, mu_r, r)});
      sum += l[k];
      sum2 += l[k] * l[k];
      half += std::exp(l[k] / 2);
      positive += l[k] > 0;
    }
    const double mean = sum / samples, var = sum2 / samples - mean * mean;
    const double rho = -std::log(half / samples);
    auto measured = [&](int n) {
      double acc = 0;
      int groups = 0;
      for (int start = 0; start + n <= samples; start += n, ++groups) {
        double total = 0;
        for (int k = start; k < start + n; ++k) total += l[k];
        acc += total >= 0 ? 1.0 : std::exp(total);
      }
      return acc / groups;
    };
    std::printf("%6.3f %7.2f %6.2f %8.3f %8.3f %6.2f %9.2g %9.2g %9.2g %9.2g %9.2g\n", s, mean, std::sqrt(var),
                measured(1), 2 * positive / samples, rho, measured(2), measured(4), measured(8),
                2 * std::exp(-100 * rho), 2 * std::exp(-1000 * rho));
  }
}
