#include "auth/jwt/strict_json.h"

#include <gtest/gtest.h>

#include <string>

namespace trailbook::auth {
namespace {

Status Parse(std::string_view text, size_t depth = 8) {
  StrictJsonParser parser;
  return parser.Parse(text, depth).status();
}

TEST(StrictJsonTest, AcceptsOrdinaryObjects) {
  EXPECT_TRUE(Parse(R"({"a":1,"b":[1,2,{"c":"d"}],"e":null})").ok());
  EXPECT_TRUE(Parse(" {\r\n \"a\" : true } ").ok());
  EXPECT_TRUE(Parse(R"({"a":{"a":{"a":1}}})").ok());  // Same name at different levels.
}

TEST(StrictJsonTest, RejectsDuplicateMembersAtAnyDepth) {
  Status s = Parse(R"({"exp":1,"exp":2})");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("duplicate JSON member name \"exp\""), std::string::npos);
  EXPECT_FALSE(Parse(R"({"a":{"b":1,"b":1}})").ok());
  EXPECT_FALSE(Parse(R"({"a":[{"x":1,"y":2,"x":3}]})").ok());
}

TEST(StrictJsonTest, RejectsDuplicatesHiddenByEscapes) {
  EXPECT_FALSE(Parse(R"({"exp":1,"\u0065xp":2})").ok());
}

TEST(StrictJsonTest, EnforcesDepthLimit) {
  EXPECT_TRUE(Parse(R"({"a":[1]})", 2).ok());
  Status s = Parse(R"({"a":[[1]]})", 2);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("deeper than 2"), std::string::npos);
  std::string deep(5000, '[');
  deep += std::string(5000, ']');
  EXPECT_FALSE(Parse(deep, 8).ok());
}

TEST(StrictJsonTest, RejectsMalformedAndTrailingContent) {
  EXPECT_FALSE(Parse("").ok());
  EXPECT_FALSE(Parse("{").ok());
  EXPECT_FALSE(Parse(R"({"a":1} {})").ok());
  EXPECT_FALSE(Parse(R"({"a":1,})").ok());
  EXPECT_FALSE(Parse(R"({'a':1})").ok());
  EXPECT_FALSE(Parse(R"({"a":01})").ok());
}

TEST(StrictJsonTest, RejectsInvalidUtf8) {
  EXPECT_FALSE(Parse("{\"a\":\"\xff\"}").ok());
  EXPECT_FALSE(Parse("{\"\xc3\x28\":1}").ok());
  EXPECT_FALSE(Parse("{\"a\":\"\xed\xa0\x80\"}").ok());  // Encoded surrogate.
}

TEST(StrictJsonTest, RejectsUnpairedSurrogateEscapes) {
  EXPECT_FALSE(Parse(R"({"a":"\ud800"})").ok());
  EXPECT_FALSE(Parse(R"({"a":"\udc00"})").ok());
  EXPECT_TRUE(Parse(R"({"a":"\ud83d\ude00"})").ok());
}

TEST(StrictJsonTest, QuoteForDetailCutsAndMasksControls) {
  EXPECT_EQ(QuoteForDetail("abc"), "\"abc\"");
  EXPECT_EQ(QuoteForDetail("a\nb"), "\"a?b\"");
  EXPECT_EQ(QuoteForDetail("abcdef", 3), "\"abc...\"");
}

}  // namespace
}  // namespace trailbook::auth
