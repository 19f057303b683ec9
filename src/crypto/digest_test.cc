#include "crypto/digest.h"

#include <gtest/gtest.h>

namespace trailbook::crypto {
namespace {

TEST(DigestTest, Sha256KnownAnswers) {
  EXPECT_EQ(ToHex(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(DigestTest, StreamingMatchesOneShot) {
  Sha256Hasher h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.Finish(), Sha256("abc"));
  h.Update("abc");
  EXPECT_EQ(h.Finish(), Sha256("abc"));  // reset after Finish
}

TEST(DigestTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(DigestTest, RandomUuidShape) {
  Result<std::string> a = RandomUuid();
  Result<std::string> b = RandomUuid();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 36u);
  EXPECT_EQ((*a)[14], '4');
  EXPECT_NE(*a, *b);
}

}  // namespace
}  // namespace trailbook::crypto
