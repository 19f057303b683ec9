#include "auth/jwt/jose_header.h"

#include <gtest/gtest.h>

#include <string>

namespace trailbook::auth {
namespace {

Result<JoseHeader> Parse(std::string_view json) {
  static StrictJsonParser parser;
  return ParseJoseHeader(json, parser);
}

TEST(JoseHeaderTest, AlgorithmNamesAreCaseSensitive) {
  EXPECT_EQ(ParseJwsAlgorithm("ES256"), JwsAlgorithm::kES256);
  EXPECT_EQ(ParseJwsAlgorithm("EdDSA"), JwsAlgorithm::kEdDSA);
  EXPECT_FALSE(ParseJwsAlgorithm("es256"));
  EXPECT_FALSE(ParseJwsAlgorithm("EDDSA"));
  EXPECT_FALSE(ParseJwsAlgorithm("none"));
  EXPECT_FALSE(ParseJwsAlgorithm("ES521"));
  EXPECT_FALSE(ParseJwsAlgorithm(""));
  for (int i = 0; i <= static_cast<int>(JwsAlgorithm::kEdDSA); ++i) {
    auto alg = static_cast<JwsAlgorithm>(i);
    EXPECT_EQ(ParseJwsAlgorithm(JwsAlgorithmName(alg)), alg);
  }
}

TEST(JoseHeaderTest, ParsesAlgKidTyp) {
  Result<JoseHeader> h = Parse(R"({"alg":"ES256","kid":"k1","typ":"trailbook+jwt","x5t":"y"})");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->alg, "ES256");
  EXPECT_EQ(h->kid, "k1");
  EXPECT_EQ(h->typ, "trailbook+jwt");
}

TEST(JoseHeaderTest, RejectsMissingOrMistypedMembers) {
  EXPECT_FALSE(Parse(R"({"typ":"JWT"})").ok());
  EXPECT_FALSE(Parse(R"({"alg":256})").ok());
  EXPECT_FALSE(Parse(R"({"alg":"ES256","kid":1})").ok());
  EXPECT_FALSE(Parse(R"({"alg":"ES256","typ":null})").ok());
  EXPECT_FALSE(Parse(R"(["alg","ES256"])").ok());
  EXPECT_FALSE(Parse(std::string("{\"alg\":\"ES256\",\"kid\":\"") + std::string(300, 'k') + "\"}").ok());
}

TEST(JoseHeaderTest, RejectsKeyCarryingAndUnsupportedParameters) {
  for (const char* member : {"jku", "jwk", "x5u", "x5c", "crit", "cty", "b64", "enc", "zip"}) {
    std::string json = std::string(R"({"alg":"ES256","kid":"k",")") + member + R"(":"x"})";
    Result<JoseHeader> h = Parse(json);
    ASSERT_FALSE(h.ok()) << member;
    EXPECT_NE(h.status().message().find(member), std::string::npos) << h.status().message();
  }
}

TEST(JoseHeaderTest, RejectsDuplicateAlg) {
  EXPECT_FALSE(Parse(R"({"alg":"ES256","alg":"none"})").ok());
}

TEST(JoseHeaderTest, TypComparisonFollowsRfc7515) {
  EXPECT_TRUE(TypMatches("trailbook+jwt", "trailbook+jwt"));
  EXPECT_TRUE(TypMatches("application/at+jwt", "at+jwt"));
  EXPECT_TRUE(TypMatches("AT+JWT", "at+jwt"));
  EXPECT_FALSE(TypMatches("JWT", "trailbook+jwt"));
  EXPECT_FALSE(TypMatches("trailbook+jwt ", "trailbook+jwt"));
  EXPECT_FALSE(TypMatches("application/", "at+jwt"));
}

}  // namespace
}  // namespace trailbook::auth
