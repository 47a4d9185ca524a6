/* BACKMAP core, io layer: a command that writes several files either leaves all of them or none.
   Each file is written atomically (write_atomically), but a failure after the first is renamed
   into place would leave a half-made set; the guard removes the listed files unless the work is
   marked done. List only files the run creates, so that nothing that was there before is lost. */
#ifndef BACKMAP_OUTPUT_GUARD_H
#define BACKMAP_OUTPUT_GUARD_H

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace BACKMAP {

struct OutputGuard {
  std::vector<std::string> paths;
  bool done = false;
  ~OutputGuard()
  {
    if (done) return;
    std::error_code ec;
    for (const std::string &p : paths) std::filesystem::remove(p, ec);
  }
};

}    // namespace BACKMAP

#endif
