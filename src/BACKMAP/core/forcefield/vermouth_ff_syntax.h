/* BACKMAP core, forcefield layer: the pieces of vermouth's .ff syntax that the reader
   (vermouth_force_field.cpp) puts together: JSON attribute values, choices and not(...), order
   prefixes of link atoms, computed parameters, atom lists with their attributes. Each takes the
   file and line it reads, for its errors. */
#ifndef BACKMAP_VERMOUTH_FF_SYNTAX_H
#define BACKMAP_VERMOUTH_FF_SYNTAX_H

#include "vermouth_force_field.h"

#include <string>
#include <utility>
#include <vector>

namespace BACKMAP::vermouth_syntax {

// Where a line stands, for errors "PATH:LINE: what".
struct Where {
  std::string path;
  int line = 0;
  [[noreturn]] void fail(const std::string &what) const;
};

// Atoms per line of the bonded sections with a fixed count; -1 for the others (exclusions,
// virtual_sitesn: every atom up to "--" or the end).
int atoms_per_line(const std::string &section);
bool is_bonded_section(const std::string &section);

FfAttributes json(const Where &w, const std::string &text);
// A {...} token as a JSON object.
FfAttributes attribute_object(const Where &w, const std::string &token);
// A link attribute value: JSON, a choice "A|B" (kept as the string) or not(VALUE) ({"not": VALUE}).
FfAttributes link_value(const Where &w, const std::string &text);
// vermouth's order prefixes: "+BB" is BB of the next residue (order 1), "--BB" order -2, ">SC1"
// a later residue; an "order" attribute may say the same. Sets order and atomname in
// `attributes`; returns the key with its prefix.
std::string prefixed(const Where &w, const std::string &reference, FfAttributes &attributes);
// A parameter: its text, or dist/angle/dihedral/dihphase(KEYS|FORMAT).
FfParameter parameter(const Where &w, const std::string &token);
// Atoms with optional {attributes}, up to `count` (-1: up to "--" or the end); consumed from tokens.
std::vector<std::pair<std::string, FfAttributes>> take_atoms(const Where &w, std::vector<std::string> &tokens, int count,
                                                             const std::string &section);

}    // namespace BACKMAP::vermouth_syntax

#endif
