/* -*- c++ -*- ----------------------------------------------------------
   BACKMAP package: fix backmap/replica, what the exchange keeps of one side of an attempt
   (shared by fix_backmap_replica_exchange.cpp and fix_backmap_replica_proposal.cpp), and the
   conversions between LAMMPS's flat coordinates and the core's vectors.
------------------------------------------------------------------------- */

#ifndef LMP_FIX_BACKMAP_REPLICA_SIDE_H
#define LMP_FIX_BACKMAP_REPLICA_SIDE_H

#include "fix_backmap_replica.h"
#include "hessian_density.h"

#include <memory>
#include <vector>

namespace LAMMPS_NS {

// q(. | R) for the beads R of one side: mu(R), and with proposal hessian the Gaussian about it
struct FixBackmapReplica::BackmapSide {
  std::vector<double> mu;    // the replica's order, unwrapped
  std::unique_ptr<BACKMAP::HessianDensity::Proposal> gaussian;
};

inline std::vector<BACKMAP::Vec3> to_vec3(const std::vector<double> &flat)
{
  std::vector<BACKMAP::Vec3> out(flat.size() / 3);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = BACKMAP::Vec3(flat[3 * i], flat[3 * i + 1], flat[3 * i + 2]);
  return out;
}

inline std::vector<double> to_flat(const std::vector<BACKMAP::Vec3> &v)
{
  std::vector<double> out;
  out.reserve(3 * v.size());
  for (const auto &p : v) out.insert(out.end(), {p.x(), p.y(), p.z()});
  return out;
}

}    // namespace LAMMPS_NS

#endif
