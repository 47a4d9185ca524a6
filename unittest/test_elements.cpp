#include "elements.h"

#include <gtest/gtest.h>

using namespace BACKMAP;

TEST(Elements, MassesAreCharmmValues)
{
  EXPECT_DOUBLE_EQ(element_mass("C"), 12.011);
  EXPECT_DOUBLE_EQ(element_mass("h"), 1.008);
  EXPECT_THROW(element_mass("Xx"), std::invalid_argument);
}

TEST(Elements, GuessFromNameKeepsIonsApart)
{
  EXPECT_EQ(guess_element("CA", "ALA"), "C");
  EXPECT_EQ(guess_element("CA", "CA"), "CA");
  EXPECT_EQ(guess_element("NA", "NA"), "NA");
  EXPECT_EQ(guess_element("1HB", "ALA"), "H");
  EXPECT_EQ(guess_element("O31", "POPC"), "O");
}
