#include "auth/jwks/jwk_json.h"

#include <gtest/gtest.h>

#include <string>

#include "auth/jwt/base64url.h"
#include "auth/jwt/signer.h"

namespace trailbook::auth {
namespace {

Signer Generate(JwsAlgorithm alg, std::string kid) {
  return std::move(Signer::Generate(alg, std::move(kid), 2048)).value();
}

std::string Set(const std::string& key_json) { return std::string("{\"keys\":[") + key_json + "]}"; }

// The public JWK of a fresh P-256 key with `extra` members inserted.
std::string EcJwk(std::string_view extra = "") {
  static const Signer* s = new Signer(Generate(JwsAlgorithm::kES256, "ec-1"));
  std::string json = JwkToJson(s->verification_key(), false);
  if (!extra.empty()) json = json.substr(0, json.size() - 1) + "," + std::string(extra) + "}";
  return json;
}

TEST(JwkJsonTest, RoundTripsEveryKeyType) {
  for (JwsAlgorithm alg : {JwsAlgorithm::kES256, JwsAlgorithm::kES512, JwsAlgorithm::kEdDSA,
                           JwsAlgorithm::kRS256, JwsAlgorithm::kPS384}) {
    Signer s = Generate(alg, "k");
    Result<ParsedJwks> parsed = ParseJwks(Set(JwkToJson(s.verification_key(), false)), {});
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    const Jwk& k = parsed->set.keys().front();
    EXPECT_EQ(k.alg(), alg);
    EXPECT_EQ(k.kid(), "k");
    EXPECT_EQ(JwkThumbprint(k), JwkThumbprint(s.verification_key()));
  }
}

TEST(JwkJsonTest, RejectsPrivateMembers) {
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth"}) {
    std::string extra = std::string("\"") + member + "\":\"AQAB\"";
    Result<ParsedJwks> r = ParseJwks(Set(EcJwk(extra)), {});
    ASSERT_FALSE(r.ok()) << member;
    EXPECT_NE(r.status().message().find("keys[0]"), std::string::npos);
    EXPECT_NE(r.status().message().find("private key member"), std::string::npos);
  }
}

TEST(JwkJsonTest, SymmetricKeysOnlyInSecretSets) {
  std::string oct = R"({"kty":"oct","kid":"h","alg":"HS256","k":")" +
                    Base64UrlEncode(std::string(32, 'k')) + "\"}";
  EXPECT_FALSE(ParseJwks(Set(oct), {}).ok());
  JwkParseOptions secret;
  secret.allow_symmetric = true;
  EXPECT_TRUE(ParseJwks(Set(oct), secret).ok());
  // Mixed secret and public keys are refused even in a secret set.
  EXPECT_FALSE(ParseJwks(Set(oct + "," + EcJwk()), secret).ok());
  std::string short_key = R"({"kty":"oct","kid":"h","alg":"HS256","k":")" +
                          Base64UrlEncode(std::string(31, 'k')) + "\"}";
  EXPECT_FALSE(ParseJwks(Set(short_key), secret).ok());
}

TEST(JwkJsonTest, SkipsEncryptionKeysAndRejectsUnknownUses) {
  Signer ed = Generate(JwsAlgorithm::kEdDSA, "ed");
  std::string usable = JwkToJson(ed.verification_key(), false);
  std::string enc_use = EcJwk().replace(EcJwk().find("\"use\":\"sig\""), 11, "\"use\":\"enc\"");
  Result<ParsedJwks> r = ParseJwks(Set(usable + "," + enc_use), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->set.size(), 1u);
  ASSERT_EQ(r->skipped.size(), 1u);
  EXPECT_NE(r->skipped[0].find("keys[1]"), std::string::npos);
  // A JWE algorithm marks an encryption key: skipped before its members are even read.
  EXPECT_EQ(ParseJwks(Set(usable + "," + R"({"kty":"RSA","alg":"RSA-OAEP","n":"AQAB","e":"AQAB"})"), {})->skipped.size(), 1u);
  Result<ParsedJwks> only_enc = ParseJwks(Set(enc_use), {});
  EXPECT_FALSE(only_enc.ok());  // No usable key left.
  EXPECT_FALSE(ParseJwks(Set(EcJwk().replace(EcJwk().find("\"use\":\"sig\""), 11, "\"use\":\"xyz\"")), {}).ok());
}

TEST(JwkJsonTest, KeyOpsRules) {
  Signer ed = Generate(JwsAlgorithm::kEdDSA, "ed");
  std::string base = JwkToJson(ed.verification_key(), false);
  base.pop_back();
  EXPECT_TRUE(ParseJwks(Set(base + R"(,"key_ops":["verify"]})"), {}).ok());
  EXPECT_FALSE(ParseJwks(Set(base + R"(,"key_ops":["encrypt"]})"), {}).ok());  // Skipped: empty.
  EXPECT_FALSE(ParseJwks(Set(base + R"(,"key_ops":["verify","encrypt"]})"), {}).ok());
  EXPECT_FALSE(ParseJwks(Set(base + R"(,"key_ops":["verify","verify"]})"), {}).ok());
  EXPECT_FALSE(ParseJwks(Set(base + R"(,"key_ops":"verify"})"), {}).ok());
}

TEST(JwkJsonTest, AlgorithmBinding) {
  // EC and OKP keys without "alg" take the algorithm their curve implies.
  std::string ec = EcJwk();
  std::string no_alg = ec.replace(ec.find("\"alg\":\"ES256\","), 14, "");
  Result<ParsedJwks> r = ParseJwks(Set(no_alg), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->set.keys().front().alg(), JwsAlgorithm::kES256);
  // An alg that does not fit the curve, an unregistered name, or a lowercase name is refused.
  for (const char* alg : {"ES384", "ES521", "ES224", "es256", "none", "HS256"}) {
    std::string k = EcJwk();
    k.replace(k.find("\"alg\":\"ES256\""), 13, std::string("\"alg\":\"") + alg + "\"");
    EXPECT_FALSE(ParseJwks(Set(k), {}).ok()) << alg;
  }
  // RSA keys without "alg" need a configured default.
  Signer rs = Generate(JwsAlgorithm::kRS256, "r");
  std::string rsa = JwkToJson(rs.verification_key(), false);
  rsa.replace(rsa.find("\"alg\":\"RS256\","), 14, "");
  EXPECT_FALSE(ParseJwks(Set(rsa), {}).ok());
  JwkParseOptions with_default;
  with_default.default_rsa_alg = JwsAlgorithm::kPS256;
  Result<ParsedJwks> defaulted = ParseJwks(Set(rsa), with_default);
  ASSERT_TRUE(defaulted.ok());
  EXPECT_EQ(defaulted->set.keys().front().alg(), JwsAlgorithm::kPS256);
}

TEST(JwkJsonTest, RejectsMalformedDocuments) {
  EXPECT_FALSE(ParseJwks("", {}).ok());
  EXPECT_FALSE(ParseJwks("[]", {}).ok());
  EXPECT_FALSE(ParseJwks(R"({"keys":{}})", {}).ok());
  EXPECT_FALSE(ParseJwks(R"({"keys":[]})", {}).ok());
  EXPECT_FALSE(ParseJwks(R"({"keys":[1]})", {}).ok());
  EXPECT_FALSE(ParseJwks(R"({"keys":[],"keys":[]})", {}).ok());
  EXPECT_FALSE(ParseJwks(Set(EcJwk(R"("crv":"P-256")")), {}).ok());  // Duplicate member.
  EXPECT_FALSE(ParseJwks(Set(EcJwk(R"("x5c":[[[["deep"]]]])")), {}).ok());  // Too deep.
  EXPECT_FALSE(ParseJwks(Set(R"({"kty":"EC","crv":"P-256","x":"AA=="})"), {}).ok());
  EXPECT_FALSE(ParseJwks(Set(R"({"kty":"XYZ"})"), {}).ok());
  EXPECT_FALSE(ParseJwks(Set(R"({"crv":"P-256"})"), {}).ok());
  std::string many = "{\"keys\":[";
  for (int i = 0; i < 101; ++i) many += std::string(i ? "," : "") + "{}";
  EXPECT_FALSE(ParseJwks(many + "]}", {}).ok());
  EXPECT_FALSE(ParseJwks(std::string(kMaxJwksBytes + 1, ' '), {}).ok());
}

TEST(JwkJsonTest, RejectsDuplicateKidsAndAmbiguousSets) {
  Signer a = Generate(JwsAlgorithm::kES256, "same");
  Signer b = Generate(JwsAlgorithm::kES256, "same");
  std::string ja = JwkToJson(a.verification_key(), false);
  std::string jb = JwkToJson(b.verification_key(), false);
  Result<ParsedJwks> r = ParseJwks(Set(ja + "," + jb), {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("duplicate kid"), std::string::npos);
  std::string no_kid = jb;
  no_kid.replace(no_kid.find("\"kid\":\"same\","), 13, "");
  EXPECT_FALSE(ParseJwks(Set(ja + "," + no_kid), {}).ok());
  EXPECT_TRUE(ParseJwks(Set(no_kid), {}).ok());
}

}  // namespace
}  // namespace trailbook::auth
