#include "sql/functions/like_pattern.h"

#include <gtest/gtest.h>

namespace trailbook::sql {
namespace {

bool Like(std::string_view s, std::string_view p) {
  Result<LikePattern> c = LikePattern::Compile(p, std::nullopt);
  EXPECT_TRUE(c.ok()) << p;
  return c.ok() && c->Matches(s);
}

TEST(LikePatternTest, Kinds) {
  EXPECT_EQ(LikePattern::Compile("abc", std::nullopt)->kind(), LikePattern::Kind::kExact);
  EXPECT_EQ(LikePattern::Compile("abc%", std::nullopt)->kind(), LikePattern::Kind::kPrefix);
  EXPECT_EQ(LikePattern::Compile("abc%%", std::nullopt)->literal(), "abc");
  EXPECT_EQ(LikePattern::Compile("%abc", std::nullopt)->kind(), LikePattern::Kind::kSuffix);
  EXPECT_EQ(LikePattern::Compile("%abc%", std::nullopt)->kind(), LikePattern::Kind::kContains);
  EXPECT_EQ(LikePattern::Compile("%", std::nullopt)->kind(), LikePattern::Kind::kAny);
  EXPECT_EQ(LikePattern::Compile("a_c", std::nullopt)->kind(), LikePattern::Kind::kGeneral);
  EXPECT_EQ(LikePattern::Compile("a\\%%", "\\")->kind(), LikePattern::Kind::kPrefix);
  EXPECT_EQ(LikePattern::Compile("a\\%%", "\\")->literal(), "a%");
}

TEST(LikePatternTest, GeneralMatching) {
  EXPECT_TRUE(Like("abcde", "a%c%e"));
  EXPECT_TRUE(Like("abcde", "%b%d%"));
  EXPECT_FALSE(Like("abcde", "%b%f%"));
  EXPECT_TRUE(Like("aaab", "%aab"));
  EXPECT_TRUE(Like("mississippi", "%iss%ppi"));
  EXPECT_FALSE(Like("mississippi", "%iss%ppx"));
  EXPECT_TRUE(Like("ab", "%_b"));
  EXPECT_FALSE(Like("b", "%_b"));
  EXPECT_TRUE(Like("xyz", "___"));
  EXPECT_FALSE(Like("xy", "___"));
  EXPECT_TRUE(Like("日本語", "_本_"));
  EXPECT_TRUE(Like("arn:aws:iam::123:role/x", "arn:aws:iam::%:role/%"));
  EXPECT_TRUE(Like("", ""));
  EXPECT_FALSE(Like("a", ""));
}

TEST(LikePatternTest, PathologicalPatternStaysFast) {
  std::string s(20000, 'a');
  std::string p;
  for (int i = 0; i < 50; ++i) p += "%a";
  p += "%b";
  EXPECT_FALSE(Like(s, p));
}

TEST(LikePatternTest, MultiByteEscape) {
  Result<LikePattern> p = LikePattern::Compile("50§%", "§");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->Matches("50%"));
  EXPECT_FALSE(p->Matches("500"));
}

}  // namespace
}  // namespace trailbook::sql
