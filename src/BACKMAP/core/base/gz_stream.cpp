#include "gz_stream.h"

#include "file_error.h"

#include <zlib.h>

#include <cstdio>
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

std::string read_head_maybe_gzipped(const std::string &path, std::size_t bytes)
{
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return "";
  std::string head(bytes, '\0');
  const int n = gzread(f, head.data(), static_cast<unsigned>(bytes));
  gzclose(f);
  head.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return head;
}

bool is_gzip_file(const std::string &path)
{
  unsigned char magic[2] = {0, 0};
  std::FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  const std::size_t n = std::fread(magic, 1, 2, f);
  std::fclose(f);
  return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

}    // namespace BACKMAP
