#include "auth/jwt/compact_jws.h"

#include <gtest/gtest.h>

#include <string>

#include "auth/jwt/testing/token_factory.h"
#include "base/clock.h"

namespace trailbook::auth {
namespace {

std::string FormatMessage(std::string_view token, size_t max_bytes = kMaxTokenBytes) {
  Result<CompactJws> jws = ParseCompactJws(token, max_bytes);
  return jws.ok() ? std::string("ok") : jws.status().message();
}

// Pins the format step's reasons (the audit log records them) for each malformed shape.
TEST(CompactJwsTest, FormatReasons) {
  EXPECT_EQ(FormatMessage(""), "empty token");
  EXPECT_EQ(FormatMessage("eyJh.eyJh.c2ln", 10), "token is 14 bytes; limit 10");
  EXPECT_EQ(FormatMessage("{\"payload\":\"x\"}"), "JWS JSON serialization is not accepted; compact form only");
  EXPECT_EQ(FormatMessage("{a.b.c"), "JWS JSON serialization is not accepted; compact form only");
  EXPECT_EQ(FormatMessage("a.b.c.d.e"), "5 segments: a JWE (encrypted token) is not accepted");
  EXPECT_EQ(FormatMessage("abc"), "1 segments; a compact JWS has exactly 3");
  EXPECT_EQ(FormatMessage("ab.cd"), "2 segments; a compact JWS has exactly 3");
  EXPECT_EQ(FormatMessage("ab.cd.ef."), "4 segments; a compact JWS has exactly 3");
  EXPECT_EQ(FormatMessage(".cd.ef"), "empty header segment");
  EXPECT_EQ(FormatMessage("..ef"), "empty header segment");
  EXPECT_EQ(FormatMessage("ab.cd."), "empty signature segment");
  EXPECT_EQ(FormatMessage(".."), "empty header segment");
  EXPECT_EQ(FormatMessage("AA..AA"), "ok");  // An empty payload is a valid JWS payload.
  EXPECT_EQ(FormatMessage("a*.cd.ef"),
            "header segment: base64url: character outside [A-Za-z0-9_-] at offset 1");
  EXPECT_EQ(FormatMessage("AA.c.AA"), "payload segment: base64url: impossible length 1");
  EXPECT_EQ(FormatMessage("AA.AA.AF"),
            "signature segment: base64url: non-zero trailing bits (non-canonical encoding)");
}

TEST(CompactJwsTest, SplitsAndDecodes) {
  Result<CompactJws> jws = ParseCompactJws("eyJhIjoxfQ.e30.AQID", kMaxTokenBytes);
  ASSERT_TRUE(jws.ok()) << jws.status().message();
  EXPECT_EQ(jws->signing_input, "eyJhIjoxfQ.e30");
  EXPECT_EQ(jws->header_json, R"({"a":1})");
  EXPECT_EQ(jws->payload, "{}");
  EXPECT_EQ(jws->signature, std::string("\x01\x02\x03"));
  EXPECT_EQ(FormatMessage("eyJhIjoxfQ.e30.AQID", 19), "ok");  // Exactly at the limit.
  EXPECT_EQ(FormatMessage("eyJhIjoxfQ.e30.AQID", 18), "token is 19 bytes; limit 18");
}


std::string AlgMessage(std::string_view alg, std::vector<JwsAlgorithm> allowed, bool hmac) {
  JwsPolicy policy;
  policy.allowed_algs = std::move(allowed);
  policy.allow_hmac = hmac;
  Result<JwsAlgorithm> r = CheckAlgorithm(alg, policy);
  return r.ok() ? std::string(JwsAlgorithmName(*r)) : r.status().message();
}

TEST(CompactJwsTest, AlgorithmReasons) {
  EXPECT_EQ(AlgMessage("ES256", {JwsAlgorithm::kES256}, false), "ES256");
  EXPECT_EQ(AlgMessage("none", {JwsAlgorithm::kES256}, false),
            "alg \"none\" (unsecured JWS) is never accepted");
  EXPECT_EQ(AlgMessage("nOnE", {JwsAlgorithm::kES256}, false),
            "alg \"nOnE\" (unsecured JWS) is never accepted");
  EXPECT_EQ(AlgMessage("es256", {JwsAlgorithm::kES256}, false),
            "alg \"es256\" is not a supported JWS algorithm (names are case-sensitive)");
  EXPECT_EQ(AlgMessage("RS256", {JwsAlgorithm::kES256, JwsAlgorithm::kEdDSA}, false),
            "alg RS256 is not in the allow-list [ES256, EdDSA]");
  EXPECT_EQ(AlgMessage("HS256", {JwsAlgorithm::kHS256}, false),
            "alg HS256 (HMAC) is not enabled for this issuer");
  EXPECT_EQ(AlgMessage("HS256", {JwsAlgorithm::kHS256}, true), "HS256");
}

TEST(CompactJwsTest, KeyReasons) {
  FakeClock clock(0);
  JoseHeader header;
  header.kid = "k1";
  JwsPolicy policy;
  testing::TokenFactory es(JwsAlgorithm::kES256, "k1");
  Result<KeyLookup> ok = SelectKey(*es.resolver(), header, JwsAlgorithm::kES256, policy, clock);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  const std::string es_key = ok->key->Describe();
  Result<KeyLookup> other = SelectKey(*es.resolver(), header, JwsAlgorithm::kEdDSA, policy, clock);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().message(), "key " + es_key + " is bound to ES256, token says EdDSA");

  testing::TokenFactory hs(JwsAlgorithm::kHS256, "k1");
  // Symmetric while HMAC is off is reported first, even with a matching algorithm.
  for (JwsAlgorithm alg : {JwsAlgorithm::kHS256, JwsAlgorithm::kES256}) {
    Result<KeyLookup> sym = SelectKey(*hs.resolver(), header, alg, policy, clock);
    ASSERT_FALSE(sym.ok());
    EXPECT_EQ(sym.status().message().substr(0, 4), "key ");
    EXPECT_NE(sym.status().message().find(" is symmetric; HMAC not enabled"), std::string::npos)
        << sym.status().message();
  }
  policy.allow_hmac = true;
  EXPECT_TRUE(SelectKey(*hs.resolver(), header, JwsAlgorithm::kHS256, policy, clock).ok());
  Result<KeyLookup> hs_es = SelectKey(*hs.resolver(), header, JwsAlgorithm::kES256, policy, clock);
  ASSERT_FALSE(hs_es.ok());
  EXPECT_NE(hs_es.status().message().find(" is bound to HS256, token says ES256"), std::string::npos)
      << hs_es.status().message();
}

}  // namespace
}  // namespace trailbook::auth
