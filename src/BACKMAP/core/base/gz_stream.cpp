#include "gz_stream.h"

#include "file_error.h"

#include <zlib.h>

#include <sstream>

namespace BACKMAP {

std::string read_maybe_gzipped(const std::string &path)
{
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw FileError(path + ": cannot open");
  std::string data;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) data.append(buf, static_cast<std::size_t>(n));
  int err = Z_OK;
  const char *msg = gzerror(f, &err);
  const std::string message = msg ? msg : "";
  gzclose(f);
  if (n < 0 || (err != Z_OK && err != Z_STREAM_END))
    throw FileError(path + ": corrupt or truncated compressed file (" + message + ")");
  return data;
}

std::unique_ptr<std::istream> open_maybe_gzipped(const std::string &path)
{
  return std::make_unique<std::istringstream>(read_maybe_gzipped(path));
}

}    // namespace BACKMAP
