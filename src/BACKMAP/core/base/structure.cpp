#include "structure.h"

#include <Eigen/Dense>

#include <cmath>

namespace BACKMAP {

int Residue::find_atom(const std::string &atom_name) const
{
  for (std::size_t i = 0; i < atoms.size(); ++i)
    if (atoms[i].name == atom_name) return static_cast<int>(i);
  return -1;
}

Residue Residue::without_atoms() const
{
  Residue r;
  r.name = name;
  r.chain = chain;
  r.number = number;
  r.insertion = insertion;
  r.hetero = hetero;
  r.molecule = molecule;
  return r;
}

std::string Residue::label() const
{
  std::string s = chain.empty() ? "" : chain + ":";
  s += name + std::to_string(number);
  if (insertion != ' ') s += insertion;
  return s;
}

Box Box::orthorhombic(double a, double b, double c)
{
  Box box;
  box.periodic = true;
  box.vectors = Eigen::Vector3d(a, b, c).asDiagonal();
  return box;
}

Vec3 Box::lengths() const
{
  return {vectors.row(0).norm(), vectors.row(1).norm(), vectors.row(2).norm()};
}

bool Box::is_orthorhombic() const
{
  return vectors(0, 1) == 0 && vectors(0, 2) == 0 && vectors(1, 0) == 0 && vectors(1, 2) == 0 &&
      vectors(2, 0) == 0 && vectors(2, 1) == 0;
}

Vec3 Box::minimum_image(const Vec3 &d) const
{
  if (!periodic) return d;
  // Fractional coordinates: d = vectors^T s.
  const Eigen::Matrix3d h = vectors.transpose();
  Vec3 s = h.inverse() * d;
  for (int k = 0; k < 3; ++k) s[k] -= std::round(s[k]);
  return h * s;
}

std::size_t Structure::atom_count() const
{
  std::size_t n = 0;
  for (const auto &r : residues) n += r.atoms.size();
  return n;
}

}    // namespace BACKMAP
