/* BACKMAP core, forcefield layer: GROMACS's C-preprocessor-like reading of topology files
   (.top/.itp) into logical lines, each with its tokens, its [ section ] and where it stands. */
#ifndef BACKMAP_TOPOLOGY_PREPROCESSOR_H
#define BACKMAP_TOPOLOGY_PREPROCESSOR_H

#include <map>
#include <string>
#include <vector>

namespace BACKMAP {

// One logical line of a topology: a [ section ] header or a data line, with comments gone,
// continuation lines joined and #define'd names replaced by their values.
struct TopologyLine {
  std::string path;                   // the file it stands in
  int line = 0;                       // 1-based; the first line of a continued line
  std::string section;                // lower case; "" before the first [ section ] of the input
  bool header = false;                // the [ section ] line itself (tokens then empty)
  std::vector<std::string> tokens;    // the line split at white space
};

struct PreprocessorOptions {
  // Searched, in order, for an #include that is not in the including file's folder (as grompp's
  // `include = -I...` and $GMXLIB are); see default_include_folders().
  std::vector<std::string> include_folders;
  // Defined before the first line, like grompp's `define = -DPOSRES -DNAME=value`: NAME -> value
  // ("" for a bare -DNAME, which #ifdef sees but which replaces nothing).
  std::map<std::string, std::string> defines;
};

// $GMXLIB's folders (':'-separated), then $GMXDATA/top and the installed /usr/share/gromacs/top
// where they exist: the folders grompp finds force fields in.
std::vector<std::string> default_include_folders();

// Splits one grompp-style define option, "-DNAME", "-DNAME=value" or "NAME[=value]", into
// NAME and value and adds it to options.defines.
void add_define_option(PreprocessorOptions &options, const std::string &option);

// Reads `path` and everything it #includes. Handles `;` comments, trailing-`\` continuation,
// #include "file" / <file>, #define NAME [value], #undef, #ifdef/#ifndef/#else/#endif (nested),
// and #error (inside a taken branch). A name defined with a value is replaced wherever it stands
// as a whole word (letters, digits, '_') in a non-directive line, as grompp does, so
// `#define gb_1 0.1000 1.5700e+07` makes `1 2 2 gb_1` read as `1 2 2 0.1000 1.5700e+07`.
// Throws FileError "PATH:LINE: what" for a missing include (at the #include line), an include
// loop, an #ifdef left open at the end of its file (at the #ifdef line), #else/#endif without
// #ifdef, an unknown directive, or an unclosed [ section header.
std::vector<TopologyLine> preprocess_topology(const std::string &path,
                                              const PreprocessorOptions &options = {});

}    // namespace BACKMAP

#endif
