#include "storage/string_interner.h"

#include <gtest/gtest.h>

#include <string>

namespace trailbook::storage {
namespace {

TEST(StringInternerTest, SameBytesSameId) {
  StringInterner in;
  uint32_t a = in.Intern("ConsoleLogin");
  uint32_t b = in.Intern("AssumeRole");
  EXPECT_EQ(in.Intern("ConsoleLogin"), a);
  EXPECT_NE(a, b);
  EXPECT_GE(a, 1u);
  EXPECT_EQ(in.Get(a), "ConsoleLogin");
  EXPECT_EQ(in.Find("AssumeRole"), b);
  EXPECT_EQ(in.Find("missing"), 0u);
  EXPECT_EQ(in.Intern(""), in.Intern(""));
}

TEST(StringInternerTest, SurvivesGrowth) {
  StringInterner in;
  for (int i = 0; i < 10000; ++i) EXPECT_EQ(in.Intern("k" + std::to_string(i)), uint32_t(i + 1));
  EXPECT_EQ(in.size(), 10000u);
  for (int i = 0; i < 10000; i += 333) {
    EXPECT_EQ(in.Get(in.Find("k" + std::to_string(i))), "k" + std::to_string(i));
  }
  in.Clear();
  EXPECT_EQ(in.size(), 0u);
  EXPECT_EQ(in.Find("k1"), 0u);
}

}  // namespace
}  // namespace trailbook::storage
