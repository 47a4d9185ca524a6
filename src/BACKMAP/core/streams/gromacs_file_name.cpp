#include "gromacs_file_name.h"

#include "file_error.h"
#include "file_formats.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;

namespace BACKMAP {

GromacsFileName::GromacsFileName(const std::string &path, FileFormat format) : name_(path)
{
  const std::string extension = format_info(format).extensions.front();
  if (format_extension(path) == extension && !has_gz_suffix(path)) return;
  std::string pattern = (fs::temp_directory_path() / "backmap-gromacs-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!::mkdtemp(buffer.data()))
    fail_at(path, 0, "cannot make a temporary folder to hand this " + format_info(format).description +
                         " file to GROMACS under its extension; rename it to " + extension);
  folder_ = buffer.data();
  const fs::path link = fs::path(folder_) / ("input" + extension);
  std::error_code ec;
  fs::create_symlink(fs::absolute(path), link, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove_all(folder_, ec);
    fail_at(path, 0, "cannot hand this " + format_info(format).description + " file to GROMACS under its extension (" +
                         why + "); rename it to " + extension);
  }
  name_ = link.string();
}

GromacsFileName::~GromacsFileName()
{
  if (folder_.empty()) return;
  std::error_code ec;
  fs::remove_all(folder_, ec);
}

}    // namespace BACKMAP
