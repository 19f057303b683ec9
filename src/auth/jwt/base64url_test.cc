#include "auth/jwt/base64url.h"

#include <gtest/gtest.h>

#include <string>

namespace trailbook::auth {
namespace {

TEST(Base64UrlTest, RoundTripsEveryLengthAndByte) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    bytes.push_back(static_cast<char>((i * 37 + 11) & 0xFF));
    std::string encoded = Base64UrlEncode(bytes);
    EXPECT_EQ(encoded.find('='), std::string::npos);
    EXPECT_TRUE(IsBase64UrlAlphabet(encoded));
    Result<std::string> decoded = Base64UrlDecode(encoded);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, bytes);
  }
}

TEST(Base64UrlTest, KnownAnswers) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(*Base64UrlDecode("-_8"), "\xfb\xff");
  EXPECT_EQ(*Base64UrlDecode(""), "");
}

TEST(Base64UrlTest, RejectsPadding) {
  EXPECT_FALSE(Base64UrlDecode("Zg==").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm8=").ok());
}

TEST(Base64UrlTest, RejectsStandardAlphabetAndWhitespace) {
  EXPECT_FALSE(Base64UrlDecode("+/8").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm 9v").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm9v\n").ok());
  EXPECT_FALSE(Base64UrlDecode(std::string("Zm\0v", 4)).ok());
  Result<std::string> r = Base64UrlDecode("Zm9?");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("offset 3"), std::string::npos);
}

TEST(Base64UrlTest, RejectsImpossibleLength) {
  EXPECT_FALSE(Base64UrlDecode("Z").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm9vY").ok());
}

TEST(Base64UrlTest, RejectsNonZeroTrailingBits) {
  // "Zg" is canonical for "f"; "Zh".."Zv" decode to the same byte with stray low bits.
  EXPECT_TRUE(Base64UrlDecode("Zg").ok());
  EXPECT_FALSE(Base64UrlDecode("Zh").ok());
  EXPECT_FALSE(Base64UrlDecode("Zv").ok());
  EXPECT_TRUE(Base64UrlDecode("Zm8").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm9").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm-").ok());
}

TEST(Base64UrlTest, DecodeIntoReusesTheBufferAndGivesTheSameResult) {
  std::string buffer = "previous contents that are longer than the next value";
  ASSERT_TRUE(Base64UrlDecodeInto("aGk", &buffer).ok());
  EXPECT_EQ(buffer, "hi");
  ASSERT_TRUE(Base64UrlDecodeInto("", &buffer).ok());
  EXPECT_EQ(buffer, "");
  EXPECT_FALSE(Base64UrlDecodeInto("aGl", &buffer).ok());  // Non-zero trailing bits.
  EXPECT_FALSE(Base64UrlDecodeInto("a=", &buffer).ok());
  ASSERT_TRUE(Base64UrlDecodeInto("AAEC_-8", &buffer).ok());
  EXPECT_EQ(buffer, *Base64UrlDecode("AAEC_-8"));
}

}  // namespace
}  // namespace trailbook::auth
