/* Tests of the GROMACS topology preprocessor (forcefield layer): comments, continuations,
   #define/#ifdef, #include search and errors that name the file and line. */

#include "parameter_lookup.h"
#include "topology_file.h"
#include "topology_preprocessor.h"

#include "file_error.h"
#include "gromacs_test_support.h"
#include "structure_io.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>
#include "topology_test_support.h"

namespace fs = std::filesystem;
using namespace BACKMAP;
using namespace BACKMAP::test;

// ---------------------------------------------------------------------------------------------
// Preprocessor

TEST(TopologyPreprocessor, StripsCommentsJoinsContinuationsAndKeepsFileAndLine)
{
  const std::string path = write_file("pp_basic/main.top",
                                      "; a comment line\n"                   // 1
                                      "[ Defaults ]   ; trailing comment\n"  // 2
                                      "1 2 yes 0.5 0.8333 ; more\n"          // 3
                                      "\n"                                   // 4
                                      "[ cmaptypes ]\n"                      // 5
                                      "A B C D E 1 2 2\\\n"                  // 6
                                      "1.0 2.0 \\\n"                         // 7
                                      "3.0 4.0\n"                            // 8
                                      "  x y\n");                            // 9
  const auto lines = preprocess_topology(path);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_TRUE(lines[0].header);
  EXPECT_EQ(lines[0].section, "defaults");
  EXPECT_EQ(lines[0].line, 2);
  EXPECT_EQ(lines[1].tokens, tokens("1 2 yes 0.5 0.8333"));
  EXPECT_EQ(lines[1].line, 3);
  EXPECT_EQ(lines[1].path, path);
  EXPECT_EQ(lines[2].section, "cmaptypes");
  EXPECT_EQ(lines[3].tokens, tokens("A B C D E 1 2 2 1.0 2.0 3.0 4.0"));
  EXPECT_EQ(lines[3].line, 6);
  EXPECT_EQ(lines[4].tokens, tokens("x y"));
  EXPECT_EQ(lines[4].line, 9);
  EXPECT_EQ(lines[4].section, "cmaptypes");
}

TEST(TopologyPreprocessor, ReplacesDefinedNamesAsWholeWords)
{
  PreprocessorOptions options;
  add_define_option(options, "-DPOSRES");
  add_define_option(options, "-DVAL=3.5");
  const std::string path = write_file("pp_define/main.top",
                                      "#define gb_1 0.1000 1.5700e+07 ; comment in the value\n"
                                      "#define K gb_2\n"
                                      "#define gb_2 5.0\n"
                                      "[ bonds ]\n"
                                      "1 2 2 gb_1\n"         // replaced
                                      "1 2 2 gb_10 xgb_1\n"  // not whole words
                                      "1 2 1 K VAL\n"        // K -> gb_2 -> 5.0; VAL from the options
                                      "#undef gb_1\n"
                                      "1 2 2 gb_1 POSRES\n");  // undefined; POSRES has no value
  const auto lines = data_lines(preprocess_topology(path, options));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].tokens, tokens("1 2 2 0.1000 1.5700e+07"));
  EXPECT_EQ(lines[1].tokens, tokens("1 2 2 gb_10 xgb_1"));
  EXPECT_EQ(lines[2].tokens, tokens("1 2 1 5.0 3.5"));
  EXPECT_EQ(lines[3].tokens, tokens("1 2 2 gb_1 POSRES"));
  EXPECT_EQ(lines[3].line, 9);
}

TEST(TopologyPreprocessor, NestedConditionalsFollowTheDefines)
{
  const std::string path = write_file("pp_if/main.top",
                                      "[ x ]\n"
                                      "#ifdef A\n"
                                      "  #ifndef B\n"
                                      "  x1\n"
                                      "  #else\n"
                                      "  x2\n"
                                      "  #endif\n"
                                      "#else\n"
                                      "  #ifdef B\n"
                                      "  x3\n"
                                      "  #endif\n"
                                      "  x4\n"
                                      "#endif\n"
                                      "#ifdef NEVER\n"
                                      "#error not read\n"
                                      "#if 1\n"
                                      "#include \"nowhere.itp\"\n"
                                      "#endif\n"
                                      "end\n");
  const auto words = [&](PreprocessorOptions o) {
    std::string s;
    for (const TopologyLine &l : data_lines(preprocess_topology(path, o))) s += l.tokens[0] + " ";
    return s;
  };
  PreprocessorOptions a, ab, none;
  a.defines["A"] = "";
  ab.defines = {{"A", ""}, {"B", ""}};
  EXPECT_EQ(words(a), "x1 end ");
  EXPECT_EQ(words(ab), "x2 end ");
  EXPECT_EQ(words(none), "x4 end ");
  none.defines["B"] = "";
  EXPECT_EQ(words(none), "x3 x4 end ");
}

TEST(TopologyPreprocessor, IncludesSearchTheIncludingFolderThenTheGivenFolders)
{
  write_file("pp_inc/top/local.itp", "from_top_folder\n");
  write_file("pp_inc/extra/local.itp", "from_extra_folder\n");
  write_file("pp_inc/extra/only_extra.itp", "only_in_extra\n");
  write_file("pp_inc/top/sub/deeper.itp", "#include \"sibling.itp\"\ndeeper\n");
  write_file("pp_inc/top/sub/sibling.itp", "sibling\n");
  const std::string path = write_file("pp_inc/top/main.top",
                                      "[ s ]\n#include \"local.itp\"\n#include <only_extra.itp>\n"
                                      "#include \"sub/deeper.itp\"\nlast\n");
  PreprocessorOptions options;
  options.include_folders = {(scratch_folder() / "pp_inc/extra").string()};
  const auto lines = data_lines(preprocess_topology(path, options));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0].tokens[0], "from_top_folder");
  EXPECT_EQ(lines[1].tokens[0], "only_in_extra");
  EXPECT_EQ(lines[1].path, (scratch_folder() / "pp_inc/extra/only_extra.itp").string());
  EXPECT_EQ(lines[2].tokens[0], "sibling");
  EXPECT_EQ(lines[2].path, (scratch_folder() / "pp_inc/top/sub/sibling.itp").string());
  EXPECT_EQ(lines[3].tokens[0], "deeper");
  EXPECT_EQ(lines[3].line, 2);
  EXPECT_EQ(lines[4].tokens[0], "last");
  EXPECT_EQ(lines[4].line, 5);
  for (const TopologyLine &l : lines) EXPECT_EQ(l.section, "s");    // sections carry into includes
}

TEST(TopologyPreprocessor, ErrorsNameFileAndLine)
{
  const std::string missing = write_file("pp_err/missing.top", "[ a ]\n\n#include \"nothere.itp\"\n");
  expect_error_at([&] { preprocess_topology(missing); }, missing, 3, "cannot find include file \"nothere.itp\"");

  const std::string open_itp = write_file("pp_err/open.itp", "x\n#ifdef FOO\ny\n");
  const std::string includes_open = write_file("pp_err/includes_open.top", "#include \"open.itp\"\n#endif\n");
  expect_error_at([&] { preprocess_topology(includes_open); }, open_itp, 2, "#ifdef/#ifndef without #endif");

  const std::string nested = write_file("pp_err/nested.top", "#ifdef A\n#else\n#ifndef B\n#endif\n");
  expect_error_at([&] { preprocess_topology(nested); }, nested, 1, "without #endif");

  const std::string stray_else = write_file("pp_err/else.top", "x\n#else\n");
  expect_error_at([&] { preprocess_topology(stray_else); }, stray_else, 2, "#else without #ifdef");
  const std::string stray_endif = write_file("pp_err/endif.top", "x\ny\n#endif\n");
  expect_error_at([&] { preprocess_topology(stray_endif); }, stray_endif, 3, "#endif without #ifdef");

  const std::string unknown = write_file("pp_err/unknown.top", "[ a ]\n#if 1\n");
  expect_error_at([&] { preprocess_topology(unknown); }, unknown, 2, "unknown directive #if");

  write_file("pp_err/loop_a.itp", "a\n#include \"loop_b.itp\"\n");
  const std::string loop_b = write_file("pp_err/loop_b.itp", "#include \"loop_a.itp\"\n");
  const std::string loop_top = write_file("pp_err/loop.top", "#include \"loop_a.itp\"\n");
  expect_error_at([&] { preprocess_topology(loop_top); }, loop_b, 1, "makes a loop");

  const std::string hash_error = write_file("pp_err/error.top", "#define X\n#ifdef X\n#error X is not allowed\n#endif\n");
  expect_error_at([&] { preprocess_topology(hash_error); }, hash_error, 3, "#error X is not allowed");

  const std::string header = write_file("pp_err/header.top", "[ atoms\n");
  expect_error_at([&] { preprocess_topology(header); }, header, 1, "without ']'");

  const std::string none = (scratch_folder() / "pp_err/does_not_exist.top").string();
  EXPECT_NE(error_of([&] { preprocess_topology(none); }).find("does_not_exist.top"), std::string::npos);
}

