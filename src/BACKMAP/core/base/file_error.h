/* BACKMAP core, base layer: the one error type for files, whose message names the file and,
   where known, the line (PATH:LINE: what is wrong). Every reader and writer throws it, or a
   kind of it (MappingError for mapping files); file_line is the one spelling of a place. */
#ifndef BACKMAP_FILE_ERROR_H
#define BACKMAP_FILE_ERROR_H

#include <filesystem>
#include <stdexcept>
#include <string>

namespace BACKMAP {

class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "PATH:LINE" (line 0 or less: "PATH")
inline std::string file_line(const std::string &path, long line)
{
  return line > 0 ? path + ":" + std::to_string(line) : path;
}

// Throws "PATH:LINE: what" (line 0: "PATH: what") as a FileError, or as a kind of it.
template <class Error = FileError>
[[noreturn]] void fail_at(const std::string &path, long line, const std::string &what)
{
  throw Error(file_line(path, line) + ": " + what);
}

// Whether `a` and the existing file `b` are one file, however they are spelled (relative,
// absolute, through links): an output must never be one of the run's inputs.
inline bool same_file(const std::string &a, const std::string &b)
{
  std::error_code ec;
  return !a.empty() && !b.empty() && std::filesystem::exists(b, ec) && std::filesystem::equivalent(a, b, ec);
}

}    // namespace BACKMAP

#endif
