#include "storage/string_interner.h"

#include <gtest/gtest.h>

#include <string>

#include "storage/bytes_equal.h"

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
  // Clear keeps the grown table: ids start again at 1 and lookups still work.
  EXPECT_EQ(in.Intern("k5"), 1u);
  EXPECT_EQ(in.Intern("k6"), 2u);
  EXPECT_EQ(in.Intern("k5"), 1u);
  EXPECT_EQ(in.Find("k6"), 2u);
  EXPECT_EQ(in.Find("k7"), 0u);
  EXPECT_EQ(in.Get(2), "k6");
}

TEST(StringInternerTest, RepeatMemoAnswersOnlyTheSameBytes) {
  StringInterner in;
  uint32_t a = in.Intern("us-east-1");
  EXPECT_EQ(in.Intern("us-east-1"), a);
  // Same length, different bytes; a prefix; an extension; empty: none may hit the memo.
  uint32_t b = in.Intern("us-east-2");
  EXPECT_NE(b, a);
  EXPECT_EQ(in.Intern("us-east-1"), a);  // a hit in the table after a memo miss
  uint32_t c = in.Intern("us-east-");
  uint32_t d = in.Intern("us-east-12");
  uint32_t e = in.Intern("");
  EXPECT_EQ(in.size(), 5u);
  EXPECT_EQ(in.Get(c), "us-east-");
  EXPECT_EQ(in.Get(d), "us-east-12");
  EXPECT_EQ(in.Get(e), "");
  EXPECT_EQ(in.Intern(""), e);
  // Clear forgets the memo: the same bytes get a fresh id in the new generation.
  in.Clear();
  EXPECT_EQ(in.Intern("other"), 1u);
  EXPECT_EQ(in.Intern(""), 2u);
  EXPECT_EQ(in.Intern(""), 2u);
  EXPECT_EQ(in.size(), 2u);
}

TEST(StringInternerTest, BytesEqualFindsADifferenceAtEveryPositionAndLength) {
  for (size_t n = 0; n <= 80; ++n) {
    std::string a(n, 'x');
    for (size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + i % 26);
    std::string b = a;
    EXPECT_TRUE(BytesEqual(a.data(), b.data(), n)) << n;
    for (size_t i = 0; i < n; ++i) {
      b[i] ^= 1;
      EXPECT_FALSE(BytesEqual(a.data(), b.data(), n)) << n << " at " << i;
      b[i] ^= 1;
    }
  }
  // Interning relies on it: values that differ only in their middle byte stay distinct.
  StringInterner in;
  uint32_t x = in.Intern("arn:aws:iam::1:user/alice-0");
  uint32_t y = in.Intern("arn:aws:iam::1:user/alicX-0");
  EXPECT_NE(x, y);
  EXPECT_EQ(in.Intern("arn:aws:iam::1:user/alice-0"), x);
}

}  // namespace
}  // namespace trailbook::storage
