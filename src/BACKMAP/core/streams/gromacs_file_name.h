/* BACKMAP streams layer: libgromacs knows a file's type by its extension alone (and ends the
   process on a file it cannot read). A file that the format registry knows by its content
   (md.bin holding XTC frames) is handed to it under a link with the format's extension, in a
   temporary folder removed when this object goes. */
#ifndef BACKMAP_GROMACS_FILE_NAME_H
#define BACKMAP_GROMACS_FILE_NAME_H

#include "file_format.h"

#include <string>

namespace BACKMAP {

class GromacsFileName {
 public:
  // `format`: XTC, TRR or GROMACS run input. FileError naming `path` when no link can be made.
  GromacsFileName(const std::string &path, FileFormat format);
  ~GromacsFileName();
  GromacsFileName(const GromacsFileName &) = delete;
  GromacsFileName &operator=(const GromacsFileName &) = delete;

  const std::string &name() const { return name_; }    // what libgromacs opens

 private:
  std::string name_, folder_;
};

}    // namespace BACKMAP

#endif
