/* BACKMAP core, forcefield layer: where GROMACS puts a [ virtual_sites3 ] site, for each of its
   four constructions, from the three atoms i, j, k it is built from (r_ij = x_j - x_i, ...):
     3    (function 1)  x_i + a r_ij + b r_ik
     3fd  (function 2)  x_i + b (r_ij + a r_jk) / |r_ij + a r_jk|
     3fad (function 3)  x_i + d cos(theta) r_ij/|r_ij| + d sin(theta) p/|p|, p = r_jk - (r_ij.r_jk / r_ij.r_ij) r_ij
     3out (function 4)  x_i + a r_ij + b r_ik + c (r_ij x r_ik)
   Each is fixed in the frame the three atoms make (the origin x_i, the direction to x_j, the plane
   of the three), so a site built from atoms that constraints hold rigid is a rigid member of
   their body: LAMMPS gets it as such (lammps_rigid_frames.h). Lengths in the parameters' units
   (GROMACS: nm; c of 3out in 1/nm); positions in the same units. */
#ifndef BACKMAP_VIRTUAL_SITE_FRAMES_H
#define BACKMAP_VIRTUAL_SITE_FRAMES_H

#include "structure.h"

#include <string>
#include <vector>

namespace BACKMAP {

// The number of parameters a [ virtual_sites3 ] function takes (2, 2, 2, 3); 0 for an unknown one.
int virtual_site3_parameter_count(int function);

// The construction's name as GROMACS's manual gives it ("3", "3fd", "3fad", "3out").
std::string virtual_site3_name(int function);

// The site of construction `function` with `parameters` (theta of 3fad in degrees) from atoms at
// xi, xj, xk. std::invalid_argument for an unknown function, a wrong parameter count or atoms
// that do not span the frame the construction needs (coincident, or collinear for 3fad).
Vec3 construct_virtual_site3(int function, const std::vector<double> &parameters, const Vec3 &xi, const Vec3 &xj,
                             const Vec3 &xk);

// The orthonormal frame of three atoms: origin xi, e1 along r_ij, e2 in the plane towards xk,
// e3 = e1 x e2. A point's coordinates in it, and back; std::invalid_argument for collinear atoms.
struct AtomFrame {
  Vec3 origin = Vec3::Zero();
  Vec3 e1 = Vec3::UnitX(), e2 = Vec3::UnitY(), e3 = Vec3::UnitZ();
  Vec3 local(const Vec3 &x) const;
  Vec3 global(const Vec3 &local) const;
};
AtomFrame frame_of(const Vec3 &xi, const Vec3 &xj, const Vec3 &xk);

}    // namespace BACKMAP

#endif
