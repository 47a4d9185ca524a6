// Test helper for unittest/lammps/replica_exchange.sh: the backmap log densities of one
// resolution-exchange attempt of fix backmap/replica, computed from its dumped configurations
// by another path than the fix's: the replica's atoms named from its .gro file, the forward map
// built by LinearForwardMap::from_structure over the mapping set's files (the fix builds its
// map from the model's embedded mappings, row by CG particle), the widths from the atom names.
//
//   exchange_log_density NAMES.gro DUMP_PREFIX STEP WIDTH WIDTH_H MAPPING
//
// prints "log_q_current log_q_proposed" (ln q(x | M x) with the backmap of M x, ln q(x' | R)
// with the backmap of R, R = M x' as the fix's sample satisfies) to the last digit, then one
// line per bead in map_to_cg's order: its name, M x and M x'.
#include "backmap_density.h"
#include "linear_forward_map.h"
#include "mapping_set.h"
#include "structure_io.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace BACKMAP;

namespace {

// the snapshot of `step` in a LAMMPS text dump with columns id xu yu zu, by atom ID order
std::vector<Vec3> read_snapshot(const std::string &path, long step)
{
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  while (std::getline(in, line)) {
    if (line != "ITEM: TIMESTEP") continue;
    std::getline(in, line);
    const long this_step = std::stol(line);
    std::getline(in, line);    // ITEM: NUMBER OF ATOMS
    std::getline(in, line);
    const long n = std::stol(line);
    for (int k = 0; k < 4; ++k) std::getline(in, line);    // box
    std::getline(in, line);                                // ITEM: ATOMS id x y z
    if (line != "ITEM: ATOMS id xu yu zu") throw std::runtime_error(path + ": unexpected columns: " + line);
    std::map<long, Vec3> atoms;
    for (long i = 0; i < n; ++i) {
      std::getline(in, line);
      std::istringstream fields(line);
      long id;
      double x, y, z;
      fields >> id >> x >> y >> z;
      atoms[id] = Vec3(x, y, z);
    }
    if (this_step != step) continue;
    std::vector<Vec3> out;
    for (const auto &[id, p] : atoms) out.push_back(p);
    return out;
  }
  throw std::runtime_error(path + " has no snapshot of step " + std::to_string(step));
}

}    // namespace

int main(int argc, char **argv)
{
  if (argc != 7) {
    std::cerr << "usage: exchange_log_density NAMES.gro DUMP_PREFIX STEP WIDTH WIDTH_H MAPPING\n";
    return 2;
  }
  try {
    const Structure names = read_structure(argv[1]);
    const std::string prefix = argv[2];
    const long step = std::stol(argv[3]);
    const double width = std::stod(argv[4]), width_h = std::stod(argv[5]);
    const MappingSet mappings = MappingSet::load(argv[6]);
    const LinearForwardMap map = LinearForwardMap::from_structure(names, mappings);
    std::vector<bool> hydrogen;
    for (const auto &r : names.residues)
      for (const auto &a : r.atoms) hydrogen.push_back(a.name[0] == 'H');
    const BackmapDensity density(map, BackmapDensity::widths_by_kind(hydrogen, width, width_h));

    const std::vector<Vec3> x = read_snapshot(prefix + ".aa_current.dump", step);
    const std::vector<Vec3> xp = read_snapshot(prefix + ".aa_proposed.dump", step);
    const std::vector<Vec3> mu = read_snapshot(prefix + ".backmap_current.dump", step);
    const std::vector<Vec3> mu_p = read_snapshot(prefix + ".backmap_proposed.dump", step);
    const std::vector<Vec3> mx = map.apply(x), mxp = map.apply(xp);
    std::printf("%.17g %.17g\n", density.log_density(x, mu_p, mx), density.log_density(xp, mu, mxp));
    for (int b = 0; b < map.bead_count(); ++b)
      std::printf("%s %.17g %.17g %.17g %.17g %.17g %.17g\n", map.bead_name(b).c_str(), mx[b].x(), mx[b].y(),
                  mx[b].z(), mxp[b].x(), mxp[b].y(), mxp[b].z());
  } catch (const std::exception &e) {
    std::cerr << "exchange_log_density: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
