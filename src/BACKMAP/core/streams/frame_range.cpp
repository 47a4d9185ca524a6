#include "frame_range.h"

#include "file_error.h"

#include <cctype>
#include <stdexcept>

namespace BACKMAP {

namespace {

long parse_frame_number(const std::string &text, const std::string &whole)
{
  if (text.empty() || text.size() > 12)
    throw std::invalid_argument("frame range '" + whole + "': expected FIRST-LAST, FIRST- or FRAME (frames counted from 1)");
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      throw std::invalid_argument("frame range '" + whole + "': expected FIRST-LAST, FIRST- or FRAME (frames counted from 1)");
  const long n = std::stol(text);
  if (n < 1) throw std::invalid_argument("frame range '" + whole + "': frames are counted from 1");
  return n;
}

class SelectedFrames : public FrameSource {
 public:
  SelectedFrames(std::unique_ptr<FrameSource> source, FrameRange range, std::string path)
      : source_(std::move(source)), range_(range), path_(std::move(path))
  {
  }
  bool next(Structure &frame) override
  {
    if (range_.last > 0 && read_ >= range_.last) return false;
    while (source_->next(frame)) {
      ++read_;
      if (range_.contains(read_)) return true;
    }
    if (range_.last > 0 || read_ < range_.first)
      throw FileError(path_ + ": has " + std::to_string(read_) + " frames; frames " + range_.text() +
                      " run past its end");
    return false;
  }
  long frames_expected() const override
  {
    const long all = source_->frames_expected();
    if (all < 0) return range_.last > 0 ? range_.last - range_.first + 1 : -1;
    const long end = range_.last > 0 ? std::min(range_.last, all) : all;
    return std::max(0L, end - range_.first + 1);
  }
  long step() const override { return source_->step(); }
  double time_ps() const override { return source_->time_ps(); }

 private:
  std::unique_ptr<FrameSource> source_;
  FrameRange range_;
  std::string path_;
  long read_ = 0;
};

}    // namespace

bool FrameRange::overlaps(const FrameRange &o) const
{
  const bool this_before = last > 0 && last < o.first, other_before = o.last > 0 && o.last < first;
  return !this_before && !other_before;
}

std::string FrameRange::text() const
{
  return std::to_string(first) + "-" + (last > 0 ? std::to_string(last) : std::string());
}

FrameRange parse_frame_range(const std::string &text)
{
  FrameRange r;
  const auto dash = text.find('-');
  if (dash == std::string::npos) {
    r.first = r.last = parse_frame_number(text, text);
    return r;
  }
  r.first = parse_frame_number(text.substr(0, dash), text);
  const std::string tail = text.substr(dash + 1);
  r.last = tail.empty() ? 0 : parse_frame_number(tail, text);
  if (r.last > 0 && r.last < r.first)
    throw std::invalid_argument("frame range '" + text + "': the last frame comes before the first");
  return r;
}

std::unique_ptr<FrameSource> select_frames(std::unique_ptr<FrameSource> source, FrameRange range,
                                           const std::string &path)
{
  return std::make_unique<SelectedFrames>(std::move(source), range, path);
}

}    // namespace BACKMAP
