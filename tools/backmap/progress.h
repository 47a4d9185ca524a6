// A one-line progress bar with rate and ETA, on standard error and only on a terminal (logs
// and pipes stay clean).
#ifndef BACKMAP_TOOL_PROGRESS_H
#define BACKMAP_TOOL_PROGRESS_H

#include <chrono>

namespace BACKMAP::tool {

class Progress {
 public:
  Progress(bool wanted, long total);    // total < 0: unknown (no bar, no ETA)
  void update(long done);
  void clear();    // erases the line, so that other output starts clean

 private:
  bool shown_;
  long total_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}    // namespace BACKMAP::tool

#endif
