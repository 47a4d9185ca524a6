/* BACKMAP core, base layer: the one error type for files, whose message names the file and,
   where known, the line (PATH:LINE: what is wrong). Every reader and writer throws it. */
#ifndef BACKMAP_FILE_ERROR_H
#define BACKMAP_FILE_ERROR_H

#include <stdexcept>
#include <string>

namespace BACKMAP {

class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "PATH:LINE: what" (line 0: "PATH: what")
[[noreturn]] inline void fail_at(const std::string &path, int line, const std::string &what)
{
  throw FileError(path + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + what);
}

}    // namespace BACKMAP

#endif
