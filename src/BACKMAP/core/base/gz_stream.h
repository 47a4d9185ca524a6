/* BACKMAP core: a text file that may be gzip-compressed, read whole into memory. */
#ifndef BACKMAP_GZ_STREAM_H
#define BACKMAP_GZ_STREAM_H

#include <istream>
#include <memory>
#include <string>

namespace BACKMAP {

// zlib reads plain files transparently; a corrupt or truncated .gz throws FileError.
std::string read_maybe_gzipped(const std::string &path);
std::unique_ptr<std::istream> open_maybe_gzipped(const std::string &path);

}    // namespace BACKMAP

#endif
