#include "auth/jwt/plain_json.h"

#include <gtest/gtest.h>

#include <string>

#include "auth/jwt/strict_json.h"
#include "base/timestamp.h"

namespace trailbook::auth {
namespace {

constexpr std::string_view kHeader = R"({"alg":"ES256","typ":"trailbook+jwt","kid":"k1"})";
constexpr std::string_view kClaims =
    R"({"iss":"https://idp.test/","aud":"trailbook","sub":"alice@example.com",)"
    R"("jti":"dc9f568e-a052-4b11-8bff-0961bd6104b3","iat":1795533213,"exp":1795534113,)"
    R"("nbf":1795533200,"runbooks":["ir.principal-activity","detect.*"],)"
    R"("scope":"runbook:run snapshot:read","reason":"INC-1234",)"
    R"("constraints":{"accounts":["111122223333","444455556666"],"regions":["us-east-1"],)"
    R"("max_window":"7d","event_time_after":"2026-01-01T00:00:00Z",)"
    R"("event_time_before":"2026-02-01T00:00:00Z"}})";

template <typename T>
void ExpectSameClaim(const Claim<T>& fast, const Claim<T>& general, const char* name) {
  EXPECT_EQ(fast.present, general.present) << name;
  EXPECT_EQ(fast.problem, general.problem) << name;
  EXPECT_EQ(fast.value, general.value) << name;
}

void ExpectSameConstraints(const Claim<RawConstraints>& fast,
                           const Claim<RawConstraints>& general) {
  EXPECT_EQ(fast.present, general.present);
  EXPECT_EQ(fast.problem, general.problem);
  EXPECT_EQ(fast.value.accounts, general.value.accounts);
  EXPECT_EQ(fast.value.regions, general.value.regions);
  EXPECT_EQ(fast.value.max_window_us, general.value.max_window_us);
  EXPECT_EQ(fast.value.event_time_after_us, general.value.event_time_after_us);
  EXPECT_EQ(fast.value.event_time_before_us, general.value.event_time_before_us);
}

// Runs both paths on `json`. When the plain reader accepts, the general path must accept
// with no claim problem and identical values. Returns the plain reader's answer.
bool ClaimsAgree(std::string_view json) {
  RawClaims fast;
  const bool plain = ReadPlainClaims(json, &fast);
  if (!plain) return false;
  StrictJsonParser parser;
  Result<simdjson::dom::element> root = parser.Parse(json, kMaxPayloadDepth);
  EXPECT_TRUE(root.ok()) << json << ": " << root.status().message();
  if (!root.ok()) return plain;
  simdjson::dom::object object;
  EXPECT_EQ(root->get_object().get(object), simdjson::SUCCESS) << json;
  RawClaims general = ExtractClaims(object);
  ExpectSameClaim(fast.iss, general.iss, "iss");
  ExpectSameClaim(fast.sub, general.sub, "sub");
  ExpectSameClaim(fast.jti, general.jti, "jti");
  ExpectSameClaim(fast.scope, general.scope, "scope");
  ExpectSameClaim(fast.reason, general.reason, "reason");
  ExpectSameClaim(fast.aud, general.aud, "aud");
  ExpectSameClaim(fast.exp, general.exp, "exp");
  ExpectSameClaim(fast.nbf, general.nbf, "nbf");
  ExpectSameClaim(fast.iat, general.iat, "iat");
  ExpectSameClaim(fast.runbooks, general.runbooks, "runbooks");
  ExpectSameConstraints(fast.constraints, general.constraints);
  return plain;
}

// As ClaimsAgree, for a header.
bool HeaderAgrees(std::string_view json) {
  JoseHeader fast;
  const bool plain = ReadPlainJoseHeader(json, &fast);
  if (!plain) return false;
  StrictJsonParser parser;
  Result<JoseHeader> general = ParseJoseHeader(json, parser);
  EXPECT_TRUE(general.ok()) << json << ": " << general.status().message();
  if (!general.ok()) return plain;
  EXPECT_EQ(fast.alg, general->alg);
  EXPECT_EQ(fast.kid, general->kid);
  EXPECT_EQ(fast.typ, general->typ);
  return plain;
}

std::string WithClaim(std::string_view member) {
  std::string json(kClaims);
  json.pop_back();  // The closing brace.
  return json + "," + std::string(member) + "}";
}

TEST(PlainJsonTest, ReadsTheUsualClaimSetLikeTheGeneralPath) {
  ASSERT_TRUE(ClaimsAgree(kClaims));
  RawClaims c;
  ASSERT_TRUE(ReadPlainClaims(kClaims, &c));
  EXPECT_EQ(c.iss.value, "https://idp.test/");
  EXPECT_EQ(c.exp.value, 1795534113);
  EXPECT_EQ(c.runbooks.value.size(), 2u);
  EXPECT_EQ(c.constraints.value.accounts.size(), 2u);
  EXPECT_EQ(*c.constraints.value.max_window_us, 7 * kMicrosPerDay);
  // Whitespace, unknown claims of every plain type, an array audience, nesting up to 8.
  EXPECT_TRUE(ClaimsAgree(
      " {\n\t\"sub\" : \"a\" , \"aud\":[\"x\",\"y\"], \"n\":-0, \"m\":[true,false,null,{},[]],"
      " \"d\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":1}}}}}}, \"exp\":0 }\r\n"));
  EXPECT_TRUE(ClaimsAgree("{}"));
  EXPECT_TRUE(ClaimsAgree(R"({"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":1}}}}}}}})"));  // Depth 8.
}

TEST(PlainJsonTest, ReadsTheUsualHeaderLikeTheGeneralPath) {
  EXPECT_TRUE(HeaderAgrees(kHeader));
  EXPECT_TRUE(HeaderAgrees(R"({"alg":"none"})"));  // The alg step rejects it, not the parser.
  EXPECT_TRUE(HeaderAgrees(R"({"typ":"at+jwt","x":{"y":[1]},"alg":"EdDSA"})"));
  JoseHeader h;
  ASSERT_TRUE(ReadPlainJoseHeader(R"({"alg":"ES256"})", &h));
  EXPECT_FALSE(h.kid.has_value());
  EXPECT_FALSE(h.typ.has_value());
}

// Valid JSON outside the plain subset: the general path decides (and accepts these).
TEST(PlainJsonTest, LeavesJsonOutsideThePlainSubsetToTheGeneralPath) {
  for (std::string member : {
           R"("x":"a\/b")",                 // An escape.
           R"("x":"\u0041")",               // A \u escape.
           "\"x\":\"\xC3\xA9\"",            // Non-ASCII UTF-8.
           R"("x":1.5)",                    // A fraction.
           R"("x":1e3)",                    // An exponent.
           R"("x":1234567890123456789)",    // 19 digits.
       }) {
    std::string json = WithClaim(member);
    EXPECT_FALSE(ClaimsAgree(json)) << json;
    StrictJsonParser parser;
    EXPECT_TRUE(parser.Parse(json, kMaxPayloadDepth).ok()) << json;
  }
  std::string many = "{";
  for (int i = 0; i < 17; ++i) many += (i ? ",\"m" : "\"m") + std::to_string(i) + "\":1";
  many += "}";
  EXPECT_FALSE(ClaimsAgree(many));
  EXPECT_FALSE(HeaderAgrees(R"({"alg":"ES\u0032256"})"));
}

// Input the general path rejects: the plain reader never accepts it.
TEST(PlainJsonTest, RejectsMalformedAndNonStrictJson) {
  for (std::string_view json : std::initializer_list<std::string_view>{
           "", " ", "[]", "\"x\"", "1", "{", "}", "{}}", "{} x", "{}{}", R"({"a":1,})",
           R"({"a" 1})", R"({"a":1 "b":2})", R"({,"a":1})", R"({"a":01})", R"({"a":-})",
           R"({"a":tru})", R"({"a":truex})", R"({"a":nul})", R"({"a":"x)", R"({"a":[1,]})",
           R"({"a":[1 2]})", "{\"a\":\"\x01\"}", std::string_view("{\"a\":1}\0", 8), R"({'a':1})", R"({a:1})",
           R"({"a":1,"a":2})", R"({"a":{"b":1,"b":2}})", R"({"a":[{"b":1,"b":1}]})",
           R"({"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":[1]}}}}}}}})",  // Depth 9.
           R"({"a":+1})", R"({"a":0x10})", R"({"a":.5})", R"({"a":1.})",
       }) {
    EXPECT_FALSE(ClaimsAgree(json)) << json;
  }
  for (std::string_view json : {
           "", "[]", R"({"alg":"ES256","alg":"ES256"})", R"({"alg":"ES256"} x)",
           R"({"alg":"ES256","x":{"a":{"b":{"c":{}}}}})",  // Depth 5 > 4.
       }) {
    EXPECT_FALSE(HeaderAgrees(json)) << json;
  }
}

// Claims with a problem (each reported by its own step after the signature check) are
// left to the general path, which records the problem.
TEST(PlainJsonTest, LeavesEveryClaimProblemToTheGeneralPath) {
  for (std::string_view member : {
           R"("exp":-1)", R"("exp":253402300800)", R"("exp":"1")", R"("iat":1.0)",
           R"("nbf":null)", R"("sub":"")", "\"sub\":\"a\x7F\"", R"("iss":1)", R"("jti":[])",
           R"("aud":[])", R"("aud":[1])", R"("aud":"")", R"("runbooks":[])",
           R"("runbooks":"ir.x")", R"("runbooks":["ir x"])", R"("runbooks":["*"])",
           R"("scope":"")", R"("reason":{})", R"("constraints":[])",
           R"("constraints":{"accounts":["1"]})", R"("constraints":{"accounts":[]})",
           R"("constraints":{"accounts":["111122223333","111122223333"]})",
           R"("constraints":{"regions":["US-EAST-1"]})", R"("constraints":{"tenant":"x"})",
           R"("constraints":{"max_window":"7w"})", R"("constraints":{"max_window":7})",
           R"("constraints":{"event_time_after":"2026-01-01"})",
           R"("constraints":{"event_time_after":"2026-02-01T00:00:00Z","event_time_before":"2026-01-01T00:00:00Z"})",
       }) {
    std::string json = std::string("{") + std::string(member) + "}";
    EXPECT_FALSE(ClaimsAgree(json)) << json;
    StrictJsonParser parser;
    Result<simdjson::dom::element> root = parser.Parse(json, kMaxPayloadDepth);
    ASSERT_TRUE(root.ok()) << json;
    RawClaims general = ExtractClaims(root->get_object().value_unsafe());
    bool any_problem = false;
    for (const std::string* p :
         {&general.iss.problem, &general.sub.problem, &general.jti.problem, &general.scope.problem,
          &general.reason.problem, &general.aud.problem, &general.exp.problem, &general.nbf.problem,
          &general.iat.problem, &general.runbooks.problem, &general.constraints.problem}) {
      any_problem |= !p->empty();
    }
    EXPECT_TRUE(any_problem) << json;
  }
}

TEST(PlainJsonTest, LeavesEveryHeaderRejectionToTheGeneralPath) {
  for (std::string_view json : {
           R"({"typ":"trailbook+jwt"})", R"({"alg":1})", R"({"alg":"ES256","kid":7})",
           R"({"alg":"ES256","typ":null})", R"({"alg":"ES256","crit":["exp"]})",
           R"({"alg":"ES256","jku":"https://x"})", R"({"alg":"ES256","jwk":{}})",
           R"({"alg":"ES256","x5u":"https://x"})", R"({"alg":"ES256","x5c":[]})",
           R"({"alg":"ES256","cty":"JWT"})", R"({"alg":"ES256","b64":false})",
           R"({"alg":"ES256","enc":"A128GCM"})", R"({"alg":"ES256","zip":"DEF"})",
       }) {
    EXPECT_FALSE(HeaderAgrees(json)) << json;
    StrictJsonParser parser;
    EXPECT_FALSE(ParseJoseHeader(json, parser).ok()) << json;
  }
  std::string long_kid = R"({"alg":"ES256","kid":")" + std::string(kMaxKidBytes + 1, 'k') + "\"}";
  EXPECT_FALSE(HeaderAgrees(long_kid));
  std::string max_kid = R"({"alg":"ES256","kid":")" + std::string(kMaxKidBytes, 'k') + "\"}";
  EXPECT_TRUE(HeaderAgrees(max_kid));
}

TEST(PlainJsonTest, ReusedClaimsAreClearedBetweenReads) {
  RawClaims c;
  ASSERT_TRUE(ReadPlainClaims(kClaims, &c));
  ASSERT_TRUE(ReadPlainClaims(R"({"sub":"bob"})", &c));
  EXPECT_EQ(c.sub.value, "bob");
  EXPECT_FALSE(c.iss.present);
  EXPECT_FALSE(c.runbooks.present);
  EXPECT_TRUE(c.runbooks.value.empty());
  EXPECT_FALSE(c.constraints.present);
  EXPECT_TRUE(c.constraints.value.accounts.empty());
  EXPECT_FALSE(c.constraints.value.max_window_us.has_value());
}

}  // namespace
}  // namespace trailbook::auth
