#include "report.h"

#include <map>

namespace BACKMAP::tool {

void print_skipped(std::ostream &os, const std::vector<SkippedResidue> &skipped)
{
  std::map<std::string, std::vector<std::string>> by_reason;
  for (const auto &s : skipped) by_reason[s.reason].push_back(s.label);
  for (const auto &[reason, labels] : by_reason) {
    os << "  skipped " << labels.size() << " residue(s): " << reason << ":";
    for (std::size_t i = 0; i < labels.size() && i < 8; ++i) os << " " << labels[i];
    if (labels.size() > 8) os << " ...";
    os << "\n";
  }
}

nlohmann::json skipped_json(const std::vector<SkippedResidue> &skipped)
{
  nlohmann::json out = nlohmann::json::array();
  for (const auto &s : skipped) out.push_back({{"residue", s.label}, {"reason", s.reason}});
  return out;
}

}    // namespace BACKMAP::tool
