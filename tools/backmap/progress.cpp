#include "progress.h"

#include <cstdio>
#include <string>
#include <unistd.h>

namespace BACKMAP::tool {

namespace {

std::string clock_text(double seconds)
{
  const long s = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return text;
}

}    // namespace

Progress::Progress(bool wanted, long total)
    : shown_(wanted && ::isatty(STDERR_FILENO)), total_(total), start_(std::chrono::steady_clock::now()),
      last_(start_)
{
}

void Progress::update(long done)
{
  if (!shown_) return;
  const auto now = std::chrono::steady_clock::now();
  // a few redraws a second at most, and always the last
  if (done != total_ && std::chrono::duration<double>(now - last_).count() < 0.25) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? done / elapsed : 0.0;
  std::string line = "\rframe " + std::to_string(done);
  if (total_ > 0) {
    const int width = 30, filled = static_cast<int>(width * done / total_);
    line += "/" + std::to_string(total_) + " [" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
  }
  char text[64];
  std::snprintf(text, sizeof text, " %.2f frames/s", rate);
  line += text;
  line += " elapsed " + clock_text(elapsed);
  if (total_ > 0 && rate > 0) line += " ETA " + clock_text((total_ - done) / rate);
  std::fputs((line + "   ").c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::clear()
{
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}    // namespace BACKMAP::tool
