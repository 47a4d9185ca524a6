/* BACKMAP core: chemical elements as the mapping and the readers need them. */
#ifndef BACKMAP_ELEMENTS_H
#define BACKMAP_ELEMENTS_H

#include <string>

namespace BACKMAP {

// Standard atomic mass (CHARMM values for H, C, N, O, S, P); throws std::invalid_argument
// for an element we do not know, naming it.
double element_mass(const std::string &element);

bool is_known_element(const std::string &element);

inline bool is_hydrogen(const std::string &element) { return element == "H" || element == "D"; }

// Element from an atom name when the file carries none (GRO): the first letter, except for
// single-atom ions whose residue name is the element (NA, CL, MG, ...).
std::string guess_element(const std::string &atom_name, const std::string &residue_name);

}    // namespace BACKMAP

#endif
