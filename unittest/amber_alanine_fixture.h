// A hand-built AMBER N-terminal alanine with its hydrogens (pdb2gmx's names), shared by the tests
// of the forward map from all-atom replicas (beads_from_atoms, replica_forward_map).
#ifndef BACKMAP_TEST_AMBER_ALANINE_FIXTURE_H
#define BACKMAP_TEST_AMBER_ALANINE_FIXTURE_H

#include "test_support.h"

namespace BACKMAP {
namespace test {

inline const double mC = 12.011, mN = 14.007, mO = 15.999, mH = 1.008;

inline Residue amber_n_terminal_alanine()
{
  Residue r;
  r.name = "NALA";
  r.chain = "A";
  r.number = 1;
  r.atoms = {make_atom("N", "N", 0, 0, 0),      make_atom("H1", "H", -0.5, 0.9, 0), make_atom("H2", "H", -0.5, -0.9, 0),
             make_atom("H3", "H", 0, 0, -1.0),  make_atom("CA", "C", 1.46, 0, 0),   make_atom("HA", "H", 1.46, 0.3, -1.05),
             make_atom("CB", "C", 2.0, -0.8, 1.2), make_atom("HB1", "H", 3.0, -0.8, 1.2), make_atom("C", "C", 2.0, 1.4, 0),
             make_atom("O", "O", 1.5, 2.5, 0)};
  return r;
}

inline Structure one(Residue r)
{
  Structure s;
  s.residues.push_back(std::move(r));
  return s;
}

}    // namespace test
}    // namespace BACKMAP

#endif
