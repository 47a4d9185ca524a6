/* BACKMAP core: a text file that may be gzip-compressed, read whole into memory (or its head). */
#ifndef BACKMAP_GZ_STREAM_H
#define BACKMAP_GZ_STREAM_H

#include <cstddef>
#include <istream>
#include <memory>
#include <string>

namespace BACKMAP {

// zlib reads plain files transparently; a corrupt or truncated .gz throws FileError.
std::string read_maybe_gzipped(const std::string &path);
std::unique_ptr<std::istream> open_maybe_gzipped(const std::string &path);

// At most the first `bytes` bytes (decompressed when gzipped), for telling a file's format by
// its content: a damaged or short file gives what could be read; "" when it cannot be opened.
std::string read_head_maybe_gzipped(const std::string &path, std::size_t bytes);
// Whether the file starts with gzip's magic number (false when it cannot be read).
bool is_gzip_file(const std::string &path);

}    // namespace BACKMAP

#endif
