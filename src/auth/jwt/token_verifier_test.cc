#include "auth/jwt/token_verifier.h"

#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "auth/jwt/base64url.h"
#include "auth/jwt/testing/token_factory.h"
#include "auth/jwt/token_builder.h"

namespace trailbook::auth {
namespace {

using testing::ClaimSet;
using testing::FailedStep;
using testing::TestIssuerConfig;
using testing::TokenFactory;

constexpr int64_t kNow = 1'700'000'000;  // 2023-11-14T22:13:20Z

// Keys are generated once per process; RSA generation is slow.
const TokenFactory& Es256() {
  static const TokenFactory* f = new TokenFactory(JwsAlgorithm::kES256, "test-key");
  return *f;
}
const TokenFactory& OtherEs256SameKid() {
  static const TokenFactory* f = new TokenFactory(JwsAlgorithm::kES256, "test-key");
  return *f;
}
const TokenFactory& Es384() {
  static const TokenFactory* f = new TokenFactory(JwsAlgorithm::kES384, "test-key");
  return *f;
}
const TokenFactory& Rs256() {
  static const TokenFactory* f = new TokenFactory(JwsAlgorithm::kRS256, "test-key");
  return *f;
}

std::unique_ptr<TokenVerifier> MakeVerifier(bool hmac_too = false, size_t cache = 0) {
  IssuerConfig issuer = TestIssuerConfig(Es256().resolver(), JwsAlgorithm::kES256);
  if (hmac_too) {
    issuer.allowed_algs.push_back(JwsAlgorithm::kHS256);
    issuer.allow_hmac = true;
  }
  VerifierConfig config;
  config.issuers.push_back(issuer);
  config.cache_capacity = cache;
  Result<std::unique_ptr<TokenVerifier>> v = TokenVerifier::Create(std::move(config));
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return std::move(v).value();
}

Verification VerifyAt(const TokenVerifier& verifier, std::string_view token, int64_t now_s = kNow) {
  FakeClock clock(now_s * kMicrosPerSecond);
  RequestContext ctx;
  ctx.clock = &clock;
  return verifier.Verify(token, ctx);
}

std::string Raw(std::string_view header, std::string_view payload, std::string_view sig) {
  return Base64UrlEncode(header) + "." + Base64UrlEncode(payload) + "." + Base64UrlEncode(sig);
}

std::string Valid() { return ClaimSet::Valid(kNow).ToJson(); }
std::string With(std::string_view name, std::string_view value) {
  return ClaimSet::Valid(kNow).Set(name, value).ToJson();
}
std::string Without(std::string_view name) { return ClaimSet::Valid(kNow).Remove(name).ToJson(); }
std::string SignEs(std::string_view payload) { return Es256().Sign(Es256().Header(), payload); }
std::string HeaderWith(std::string_view extra) {
  std::string h = Es256().Header();
  h.pop_back();
  return h + "," + std::string(extra) + "}";
}
std::string HeaderAlg(std::string_view alg) {
  return R"({"alg":")" + std::string(alg) + R"(","typ":"trailbook+jwt","kid":"test-key"})";
}

// Replaces the last character of segment `index` so that its unused low bits are non-zero,
// then signs the resulting (non-canonical) text, so only strict decoding can reject it.
std::string NonCanonicalSegment(size_t index) {
  // Pad the header so its encoding ends in a partial group (length % 4 == 2 or 3).
  std::string header = Es256().Header();
  while (Base64UrlEncode(header).size() % 4 == 0) header.push_back(' ');  // JSON whitespace.
  std::string token = Es256().Sign(header, Valid());
  size_t start = 0;
  for (size_t i = 0; i < index; ++i) start = token.find('.', start) + 1;
  size_t end = token.find('.', start);
  if (end == std::string::npos) end = token.size();
  char& last = token[end - 1];
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  size_t value = kAlphabet.find(last);
  last = kAlphabet[value + 1];
  if (index == 2) return token;
  size_t sig_dot = token.rfind('.');
  Result<std::string> sig = Es256().signer().Sign(std::string_view(token).substr(0, sig_dot));
  return TokenFactory::WithSignature(token, *sig);
}

// The order n of P-256, big-endian.
std::string P256Order() {
  static constexpr char kOrder[] =
      "\xff\xff\xff\xff\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff"
      "\xbc\xe6\xfa\xad\xa7\x17\x9e\x84\xf3\xb9\xca\xc2\xfc\x63\x25\x51";
  return std::string(kOrder, 32);
}

struct RejectCase {
  std::string name;
  std::function<std::string()> token;
  std::string step;  // The step expected to fail first.
  bool hmac_verifier = false;
};

std::vector<RejectCase> RejectCases() {
  const std::string p = Valid();
  std::vector<RejectCase> c = {
      // --- alg
      {"alg_none_lowercase", [p] { return Raw(HeaderAlg("none"), p, "x"); }, "alg"},
      {"alg_none_capitalized", [p] { return Raw(HeaderAlg("None"), p, "x"); }, "alg"},
      {"alg_none_uppercase", [p] { return Raw(HeaderAlg("NONE"), p, "x"); }, "alg"},
      {"alg_none_mixed_case", [p] { return Raw(HeaderAlg("nOnE"), p, "x"); }, "alg"},
      {"alg_none_empty_signature",
       [p] { return Base64UrlEncode(HeaderAlg("none")) + "." + Base64UrlEncode(p) + "."; },
       "format"},
      {"alg_lowercase_es256", [p] { return Es256().Sign(HeaderAlg("es256"), p); }, "alg"},
      {"alg_unknown_es521", [p] { return Es256().Sign(HeaderAlg("ES521"), p); }, "alg"},
      {"alg_not_in_allow_list_es384", [p] { return Es384().Sign(Es384().Header(), p); }, "alg"},
      {"alg_rs256_not_in_allow_list", [p] { return Rs256().Sign(Rs256().Header(), p); }, "alg"},
      {"hs256_key_confusion_with_ec_public_key_bytes",
       [p] {
         const Jwk& k = Es256().signer().verification_key();
         Result<Signer> hs = Signer::FromHmacSecret(std::string("\x04") + k.x() + k.y(), JwsAlgorithm::kHS256,
                                                    "test-key");
         std::string input = Base64UrlEncode(HeaderAlg("HS256")) + "." + Base64UrlEncode(p);
         return input + "." + Base64UrlEncode(*hs->Sign(input));
       },
       "alg"},
      {"hs256_key_confusion_when_hmac_enabled",
       [p] {
         const Jwk& k = Es256().signer().verification_key();
         Result<Signer> hs = Signer::FromHmacSecret(std::string("\x04") + k.x() + k.y(), JwsAlgorithm::kHS256,
                                                    "test-key");
         std::string input = Base64UrlEncode(HeaderAlg("HS256")) + "." + Base64UrlEncode(p);
         return input + "." + Base64UrlEncode(*hs->Sign(input));
       },
       "key", /*hmac_verifier=*/true},
      // --- key selection
      {"kid_injection_path_traversal",
       [p] { return Es256().Sign(HeaderWith(R"("kid":"../../../../dev/null")").replace(
                                     Es256().Header().find("\"kid\""), 17, "\"x\":\"test-key\""),
                                 p); },
       "key"},
      {"kid_injection_sql",
       [p] { return Es256().Sign(R"({"alg":"ES256","typ":"trailbook+jwt","kid":"x' UNION SELECT 'k"})", p); },
       "key"},
      {"kid_injection_url",
       [p] { return Es256().Sign(R"({"alg":"ES256","typ":"trailbook+jwt","kid":"https://evil.example/jwks.json"})", p); },
       "key"},
      {"kid_unknown",
       [p] { return Es256().Sign(R"({"alg":"ES256","typ":"trailbook+jwt","kid":"other"})", p); },
       "key"},
      {"kid_case_folded",
       [p] { return Es256().Sign(R"({"alg":"ES256","typ":"trailbook+jwt","kid":"TEST-KEY"})", p); },
       "key"},
      // --- header parameters that must never select or fetch a key
      {"header_jku", [p] { return SignEs(p).replace(0, SignEs(p).find('.'), Base64UrlEncode(HeaderWith(R"("jku":"https://evil.example/jwks")"))); }, "header"},
      {"header_x5u", [p] { return Es256().Sign(HeaderWith(R"("x5u":"https://evil.example/c.pem")"), p); }, "header"},
      {"header_embedded_jwk", [p] { return Es256().Sign(HeaderWith(R"("jwk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"})"), p); }, "header"},
      {"header_x5c", [p] { return Es256().Sign(HeaderWith(R"("x5c":["MIIB"])"), p); }, "header"},
      {"header_crit_unknown", [p] { return Es256().Sign(HeaderWith(R"("crit":["exp"],"exp":1)"), p); }, "header"},
      {"header_cty_nested_jwt", [p] { return Es256().Sign(HeaderWith(R"("cty":"JWT")"), p); }, "header"},
      {"header_b64_false", [p] { return Es256().Sign(HeaderWith(R"("b64":false)"), p); }, "header"},
      {"header_duplicate_alg", [p] { return Es256().Sign(HeaderWith(R"("alg":"none")"), p); }, "header"},
      {"header_not_an_object", [p] { return Es256().Sign(R"(["ES256"])", p); }, "header"},
      {"header_missing_alg", [p] { return Es256().Sign(R"({"typ":"trailbook+jwt","kid":"test-key"})", p); }, "header"},
      // --- typ
      {"typ_missing", [p] { return Es256().Sign(R"({"alg":"ES256","kid":"test-key"})", p); }, "typ"},
      {"typ_plain_jwt", [p] { return Es256().Sign(R"({"alg":"ES256","typ":"JWT","kid":"test-key"})", p); }, "typ"},
      {"typ_at_jwt_not_configured", [p] { return Es256().Sign(R"({"alg":"ES256","typ":"at+jwt","kid":"test-key"})", p); }, "typ"},
      // --- time claims
      {"expired", [] { return SignEs(With("exp", std::to_string(kNow - 3600))); }, "exp"},
      {"expired_at_leeway_boundary", [] { return SignEs(With("iat", std::to_string(kNow - 100)).replace(0, 0, "")); }, ""},
      {"missing_exp", [] { return SignEs(Without("exp")); }, "exp"},
      {"exp_as_float", [] { return SignEs(With("exp", std::to_string(kNow + 60) + ".5")); }, "exp"},
      {"exp_as_string", [] { return SignEs(With("exp", std::string("\"") + std::to_string(kNow + 60) + "\"")); }, "exp"},
      {"exp_negative", [] { return SignEs(With("exp", "-1")); }, "exp"},
      {"exp_beyond_year_9999", [] { return SignEs(With("exp", "99999999999999")); }, "exp"},
      {"nbf_in_future", [] { return SignEs(With("nbf", std::to_string(kNow + 120))); }, "nbf"},
      {"iat_in_future", [] { return SignEs(ClaimSet::Valid(kNow).Set("iat", std::to_string(kNow + 120)).Set("exp", std::to_string(kNow + 600)).ToJson()); }, "iat"},
      {"missing_iat", [] { return SignEs(Without("iat")); }, "iat"},
      {"lifetime_over_cap", [] { return SignEs(With("exp", std::to_string(kNow + 3601))); }, "lifetime"},
      {"exp_not_after_iat", [] { return SignEs(ClaimSet::Valid(kNow).Set("iat", std::to_string(kNow + 20)).Set("exp", std::to_string(kNow + 10)).ToJson()); }, "lifetime"},
      // --- aud / iss / sub / jti
      {"missing_aud", [] { return SignEs(Without("aud")); }, "aud"},
      {"wrong_aud", [] { return SignEs(With("aud", "\"other-service\"")); }, "aud"},
      {"aud_case_differs", [] { return SignEs(With("aud", "\"Trailbook\"")); }, "aud"},
      {"aud_empty_array", [] { return SignEs(With("aud", "[]")); }, "aud"},
      {"aud_array_without_ours", [] { return SignEs(With("aud", R"(["a","b"])")); }, "aud"},
      {"missing_iss", [] { return SignEs(Without("iss")); }, "issuer"},
      {"unknown_iss", [] { return SignEs(With("iss", "\"https://evil.example/\"")); }, "issuer"},
      {"iss_case_differs", [] { return SignEs(With("iss", "\"HTTPS://IDP.TEST/\"")); }, "issuer"},
      {"iss_missing_trailing_slash", [] { return SignEs(With("iss", "\"https://idp.test\"")); }, "issuer"},
      {"iss_not_a_string", [] { return SignEs(With("iss", "[\"https://idp.test/\"]")); }, "issuer"},
      {"missing_sub", [] { return SignEs(Without("sub")); }, "sub"},
      {"empty_sub", [] { return SignEs(With("sub", "\"\"")); }, "sub"},
      {"sub_with_control_character", [] { return SignEs(With("sub", "\"alice\\u0000\"")); }, "sub"},
      {"missing_jti", [] { return SignEs(Without("jti")); }, "jti"},
      // --- trailbook claims
      {"missing_runbooks", [] { return SignEs(Without("runbooks")); }, "runbooks"},
      {"empty_runbooks", [] { return SignEs(With("runbooks", "[]")); }, "runbooks"},
      {"runbooks_bare_star", [] { return SignEs(With("runbooks", "[\"*\"]")); }, "runbooks"},
      {"runbooks_inner_glob", [] { return SignEs(With("runbooks", "[\"ir.*.x\"]")); }, "runbooks"},
      {"runbooks_prefix_glob", [] { return SignEs(With("runbooks", "[\"ir*\"]")); }, "runbooks"},
      {"runbooks_not_an_array", [] { return SignEs(With("runbooks", "\"ir.x\"")); }, "runbooks"},
      {"scope_double_space", [] { return SignEs(With("scope", "\"runbook:run  audit:read\"")); }, "scope"},
      {"scope_not_a_string", [] { return SignEs(With("scope", "[\"runbook:run\"]")); }, "scope"},
      {"constraint_unknown_member", [] { return SignEs(With("constraints", R"({"tenant":"x"})")); }, "constraints"},
      {"constraint_account_not_12_digits", [] { return SignEs(With("constraints", R"({"accounts":["12345"]})")); }, "constraints"},
      {"constraint_region_invalid", [] { return SignEs(With("constraints", R"({"regions":["us_east_1"]})")); }, "constraints"},
      {"constraint_max_window_invalid", [] { return SignEs(With("constraints", R"({"max_window":"1w"})")); }, "constraints"},
      {"constraint_time_window_inverted", [] { return SignEs(With("constraints", R"({"event_time_after":"2024-02-01T00:00:00Z","event_time_before":"2024-01-01T00:00:00Z"})")); }, "constraints"},
      {"reason_not_a_string", [] { return SignEs(With("reason", "42")); }, "reason"},
      // --- payload strictness
      {"duplicate_claim_exp", [] { return SignEs(ClaimSet::Valid(kNow).Append("exp", std::to_string(kNow + 3000)).ToJson()); }, "payload"},
      {"duplicate_claim_hidden_by_escape", [] { return SignEs(ClaimSet::Valid(kNow).Append("\\u0073ub", "\"root\"").ToJson()); }, "payload"},
      {"payload_not_json", [] { return SignEs("not json"); }, "payload"},
      {"payload_json_array", [] { return SignEs("[1,2]"); }, "payload"},
      {"payload_nesting_too_deep", [] { return SignEs(With("x", "[[[[[[[[[1]]]]]]]]]")); }, "payload"},
      {"payload_invalid_utf8", [] { return SignEs(With("sub", "\"\xc3\x28\"")); }, "payload"},
      {"payload_lone_surrogate_escape", [] { return SignEs(With("sub", "\"\\ud800\"")); }, "payload"},
      // --- signature
      {"signature_bit_flip",
       [] {
         std::string t = SignEs(Valid());
         t[t.size() - 5] = t[t.size() - 5] == 'A' ? 'B' : 'A';
         return t;
       },
       "signature"},
      {"payload_modified_after_signing",
       [] {
         std::string t = SignEs(Valid());
         std::string other = Base64UrlEncode(With("sub", "\"root@example.com\""));
         size_t a = t.find('.') + 1, b = t.rfind('.');
         return t.replace(a, b - a, other);
       },
       "signature"},
      {"signed_by_other_key_with_same_kid",
       [] { return OtherEs256SameKid().Sign(OtherEs256SameKid().Header(), Valid()); }, "signature"},
      {"ecdsa_signature_der_encoded",
       [] {
         std::string t = SignEs(Valid());
         std::string sig = *Base64UrlDecode(t.substr(t.rfind('.') + 1));
         return TokenFactory::WithSignature(t, std::string("\x30\x44\x02\x20") + sig.substr(0, 32) + "\x02\x20" + sig.substr(32));
       },
       "signature"},
      {"ecdsa_signature_63_bytes",
       [] { std::string t = SignEs(Valid()); return TokenFactory::WithSignature(t, std::string(*Base64UrlDecode(t.substr(t.rfind('.') + 1))).substr(0, 63)); },
       "signature"},
      {"ecdsa_signature_65_bytes",
       [] { std::string t = SignEs(Valid()); return TokenFactory::WithSignature(t, *Base64UrlDecode(t.substr(t.rfind('.') + 1)) + std::string(1, '\0')); },
       "signature"},
      {"ecdsa_r_and_s_zero", [] { return TokenFactory::WithSignature(SignEs(Valid()), std::string(64, '\0')); }, "signature"},
      {"ecdsa_r_and_s_equal_n",
       [] {
         std::string n = P256Order();
         return TokenFactory::WithSignature(SignEs(Valid()), n + n);
       },
       "signature"},
      // --- format
      {"noncanonical_base64_header", [] { return NonCanonicalSegment(0); }, "format"},
      {"noncanonical_base64_signature", [] { return NonCanonicalSegment(2); }, "format"},
      {"base64_padding", [] { std::string t = SignEs(Valid()); size_t d = t.find('.'); return t.substr(0, d) + "=" + t.substr(d); }, "format"},
      {"base64_standard_alphabet", [] { std::string t = SignEs(Valid()); t[3] = '+'; return t; }, "format"},
      {"whitespace_in_token", [] { std::string t = SignEs(Valid()); return t.substr(0, 10) + " " + t.substr(10); }, "format"},
      {"oversized_token", [] { return SignEs(With("pad", std::string("\"") + std::string(7000, 'x') + "\"")); }, "format"},
      {"jwe_five_segments", [] { return SignEs(Valid()) + ".AAAA.BBBB"; }, "format"},
      {"jws_json_serialization", [] { return std::string(R"({"payload":"e30","signatures":[]})"); }, "format"},
      {"two_segments", [] { std::string t = SignEs(Valid()); return t.substr(0, t.rfind('.')); }, "format"},
      {"four_segments", [] { return SignEs(Valid()) + ".AAAA"; }, "format"},
      {"empty_token", [] { return std::string(); }, "format"},
      {"detached_empty_payload", [] { std::string t = SignEs(Valid()); size_t a = t.find('.') + 1; return t.erase(a, t.rfind('.') - a); }, "payload"},
  };
  // Fix up the two entries that need computed tokens.
  for (RejectCase& rc : c) {
    if (rc.name == "header_jku") {
      rc.token = [] { return Es256().Sign(HeaderWith(R"("jku":"https://evil.example/jwks")"), Valid()); };
    } else if (rc.name == "kid_injection_path_traversal") {
      rc.token = [] { return Es256().Sign(R"({"alg":"ES256","typ":"trailbook+jwt","kid":"../../../../dev/null"})", Valid()); };
    } else if (rc.name == "expired_at_leeway_boundary") {
      // exp + leeway (30 s) == now: rejected (exp is exclusive).
      rc.token = [] { return SignEs(ClaimSet::Valid(kNow).Set("iat", std::to_string(kNow - 100)).Set("exp", std::to_string(kNow - 30)).ToJson()); };
      rc.step = "exp";
    }
  }
  return c;
}

class TokenRejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(TokenRejectTest, IsRejectedAtTheNamedStep) {
  const RejectCase& rc = GetParam();
  static std::unique_ptr<TokenVerifier> strict = MakeVerifier();
  static std::unique_ptr<TokenVerifier> with_hmac = MakeVerifier(/*hmac_too=*/true);
  Verification v = VerifyAt(rc.hmac_verifier ? *with_hmac : *strict, rc.token());
  RecordProperty("deny_reason", v.deny_reason);
  EXPECT_FALSE(v.principal.has_value());
  EXPECT_EQ(v.status.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(v.status.message(), "invalid token");  // Generic for the caller.
  EXPECT_EQ(FailedStep(v), rc.step) << v.deny_reason;
  EXPECT_EQ(v.deny_reason.rfind(rc.step + ": ", 0), 0u) << v.deny_reason;
  EXPECT_EQ(v.steps.size(), 19u);
}

INSTANTIATE_TEST_SUITE_P(MustReject, TokenRejectTest, ::testing::ValuesIn(RejectCases()),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(TokenVerifierTest, HasAtLeastFortyNamedRejectCases) { EXPECT_GE(RejectCases().size(), 40u); }

TEST(TokenVerifierTest, AcceptsValidTokenAndBuildsPrincipal) {
  auto verifier = MakeVerifier();
  std::string payload = ClaimSet::Valid(kNow)
                            .Set("nbf", std::to_string(kNow - 5))
                            .Set("reason", "\"INC-1234\"")
                            .Set("scope", "\"runbook:run openid\"")
                            .Set("constraints", R"({"accounts":["111122223333"],"regions":["us-east-1"],"max_window":"7d"})")
                            .Set("extra", R"({"nested":{"ok":[1,2]}})")
                            .ToJson();
  Verification v = VerifyAt(*verifier, SignEs(payload));
  ASSERT_TRUE(v.principal.has_value()) << v.deny_reason;
  EXPECT_TRUE(v.status.ok());
  EXPECT_TRUE(v.deny_reason.empty());
  const Principal& p = *v.principal;
  EXPECT_EQ(p.subject, "alice@example.com");
  EXPECT_EQ(p.issuer, testing::kTestIssuer);
  EXPECT_EQ(p.token_id, "0f8fad5b-d9cb-469f-a165-70867728950e");
  EXPECT_EQ(p.expires_at_us, (kNow + 600) * kMicrosPerSecond);
  EXPECT_EQ(p.issued_at_us, kNow * kMicrosPerSecond);
  EXPECT_EQ(p.not_before_us, (kNow - 5) * kMicrosPerSecond);
  EXPECT_EQ(p.reason, "INC-1234");
  EXPECT_EQ(p.key_id, "test-key");
  EXPECT_EQ(p.alg, "ES256");
  EXPECT_EQ(p.token_sha256.size(), 64u);
  EXPECT_EQ(p.token_sha256, v.token_sha256);
  EXPECT_TRUE(p.HasScope(kScopeRunbookRun));
  EXPECT_FALSE(p.HasScope("openid"));
  EXPECT_TRUE(p.AllowsRunbook("detect.x"));
  EXPECT_EQ(p.constraints.accounts, std::vector<std::string>{"111122223333"});
  EXPECT_EQ(p.constraints.max_window_us, 7 * kMicrosPerDay);
  ASSERT_EQ(v.steps.size(), 19u);
  for (const VerificationStep& s : v.steps) {
    EXPECT_EQ(s.outcome, VerificationStep::Outcome::kPass) << s.name << ": " << s.detail;
  }
  EXPECT_EQ(v.steps.front().name, "format");
  EXPECT_EQ(v.steps[7].name, "signature");
}

TEST(TokenVerifierTest, AcceptsLeewayAndTypVariantsAndMissingKidWithOneKey) {
  auto verifier = MakeVerifier();
  EXPECT_TRUE(VerifyAt(*verifier, SignEs(ClaimSet::Valid(kNow).Set("iat", std::to_string(kNow - 100))
                                             .Set("exp", std::to_string(kNow - 29)).ToJson())).principal);
  EXPECT_TRUE(VerifyAt(*verifier, SignEs(ClaimSet::Valid(kNow).Set("iat", std::to_string(kNow + 20)).ToJson())).principal);
  EXPECT_TRUE(VerifyAt(*verifier, SignEs(With("nbf", std::to_string(kNow + 20)))).principal);
  for (const char* typ : {"application/trailbook+jwt", "TRAILBOOK+JWT"}) {
    std::string header = R"({"alg":"ES256","kid":"test-key","typ":")" + std::string(typ) + "\"}";
    EXPECT_TRUE(VerifyAt(*verifier, Es256().Sign(header, Valid())).principal) << typ;
  }
  EXPECT_TRUE(VerifyAt(*verifier, Es256().Sign(R"({"alg":"ES256","typ":"trailbook+jwt"})", Valid())).principal);
  EXPECT_TRUE(VerifyAt(*verifier, SignEs(With("aud", R"(["x","trailbook"])"))).principal);
}

TEST(TokenVerifierTest, ClaimFailuresAfterTheSignatureAreAllReported) {
  auto verifier = MakeVerifier();
  Verification v = VerifyAt(*verifier, SignEs(ClaimSet::Valid(kNow).Set("exp", std::to_string(kNow - 900))
                                                  .Set("iat", std::to_string(kNow - 1000))
                                                  .Set("aud", "\"x\"").Remove("jti").ToJson()));
  EXPECT_FALSE(v.principal);
  std::vector<std::string> failed;
  for (const auto& s : v.steps) {
    if (s.outcome == VerificationStep::Outcome::kFail) failed.push_back(s.name);
  }
  EXPECT_EQ(failed, (std::vector<std::string>{"exp", "aud", "jti"}));
  EXPECT_EQ(v.deny_reason.rfind("exp: expired at", 0), 0u) << v.deny_reason;
}

TEST(TokenVerifierTest, DetailsNeverContainTheTokenOrSignature) {
  auto verifier = MakeVerifier();
  std::string token = TokenFactory::WithSignature(SignEs(Valid()), std::string(64, '\x01'));
  Verification v = VerifyAt(*verifier, token);
  std::string sig_b64 = token.substr(token.rfind('.') + 1);
  for (const auto& s : v.steps) {
    EXPECT_EQ(s.detail.find(sig_b64), std::string::npos);
    EXPECT_EQ(s.detail.find(token.substr(0, 40)), std::string::npos);
  }
}

TEST(TokenVerifierTest, ChangingAnySingleByteOfAMintedTokenFails) {
  auto verifier = MakeVerifier();
  TokenSpec spec;
  spec.issuer = std::string(testing::kTestIssuer);
  spec.audiences = {"trailbook"};
  spec.subject = "alice@example.com";
  spec.runbooks = {"ir.principal-activity", "detect.*"};
  spec.scopes = {"runbook:run"};
  spec.constraints.accounts = {"111122223333"};
  spec.issued_at_us = kNow * kMicrosPerSecond;
  spec.ttl_us = 900 * kMicrosPerSecond;
  Result<std::string> token = MintToken(spec, Es256().signer());
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  ASSERT_TRUE(VerifyAt(*verifier, *token).principal);
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  size_t checked = 0;
  for (size_t i = 0; i < token->size(); ++i) {
    char original = (*token)[i];
    size_t pos = kAlphabet.find(original);
    std::vector<char> replacements = {'.', '=', static_cast<char>(original ^ 0x20)};
    if (pos != std::string_view::npos) {
      replacements.push_back(kAlphabet[(pos + 1) % 64]);
      replacements.push_back(kAlphabet[(pos + 32) % 64]);
    } else {
      replacements.push_back('A');
    }
    for (char r : replacements) {
      if (r == original) continue;
      std::string mutated = *token;
      mutated[i] = r;
      Verification v = VerifyAt(*verifier, mutated);
      EXPECT_FALSE(v.principal) << "byte " << i << " -> '" << r << "' still verifies";
      ++checked;
    }
  }
  EXPECT_GT(checked, 3 * token->size());
}

// Renders every step as "name outcome detail" lines, the text the audit log records.
std::string RenderSteps(const Verification& v) {
  std::string out;
  for (const VerificationStep& s : v.steps) {
    out += s.name + " " + std::string(OutcomeName(s.outcome)) + " " + s.detail + "\n";
  }
  return out;
}

// Pins the exact step text (audit events store it): the trail is recorded compactly and
// formatted when read, and must read exactly as when it was formatted during verification.
TEST(TokenVerifierTest, StepTextIsStableForAcceptedToken) {
  auto verifier = MakeVerifier(false, /*cache=*/4);
  std::string token = SignEs(
      ClaimSet::Valid(kNow)
          .Set("nbf", std::to_string(kNow - 5))
          .Set("reason", "\"INC-1234\"")
          .Set("scope", "\"snapshot:read runbook:run openid\"")
          .Set("constraints",
               R"({"accounts":["111122223333","444455556666"],"regions":["us-east-1"],"max_window":"90m",)"
               R"("event_time_after":"2023-11-01T00:00:00Z","event_time_before":"2023-11-14T00:00:00.5Z"})")
          .ToJson());
  Verification v = VerifyAt(*verifier, token, kNow + 10);
  ASSERT_TRUE(v.principal) << v.deny_reason;
  EXPECT_EQ(RenderSteps(v), R"(format pass 783 bytes
header pass kid present
payload pass 467 bytes
issuer pass configured
typ pass "trailbook+jwt"
alg pass ES256
key pass EC P-256 ES256 kid="test-key"
signature pass valid
exp pass in 590s
nbf pass 15s ago
iat pass 10s ago
lifetime pass 600s <= 3600s
aud pass "trailbook"
sub pass present
jti pass present
runbooks pass 2 entries
scope pass granted [runbook:run snapshot:read]; ignored unknown ["openid"]
constraints pass accounts=2; regions=1; max_window=90m; after=2023-11-01T00:00:00Z; before=2023-11-14T00:00:00.500Z
reason pass present
)");
  Verification cached = VerifyAt(*verifier, token, kNow + 20);
  ASSERT_TRUE(cached.from_cache);
  EXPECT_EQ(RenderSteps(cached), R"(cache pass verified at 2023-11-14T22:13:30Z; still within nbf/exp at 2023-11-14T22:13:40Z
format pass 783 bytes
header pass kid present
payload pass 467 bytes
issuer pass configured
typ pass "trailbook+jwt"
alg pass ES256
key pass EC P-256 ES256 kid="test-key"
signature pass valid
exp pass in 590s
nbf pass 15s ago
iat pass 10s ago
lifetime pass 600s <= 3600s
aud pass "trailbook"
sub pass present
jti pass present
runbooks pass 2 entries
scope pass granted [runbook:run snapshot:read]; ignored unknown ["openid"]
constraints pass accounts=2; regions=1; max_window=90m; after=2023-11-01T00:00:00Z; before=2023-11-14T00:00:00.500Z
reason pass present
)");
}

TEST(TokenVerifierTest, StepTextIsStableForDeniedTokens) {
  auto verifier = MakeVerifier();
  std::string late = SignEs(ClaimSet::Valid(kNow)
                                .Set("exp", std::to_string(kNow + 7200))
                                .Set("aud", R"(["other","x"])")
                                .Set("nbf", std::to_string(kNow + 3600))
                                .Remove("jti")
                                .ToJson());
  Verification v = VerifyAt(*verifier, late, kNow + 7300);
  EXPECT_FALSE(v.principal);
  EXPECT_EQ(v.deny_reason, R"(exp: expired at 2023-11-15T00:13:20Z (now 2023-11-15T00:15:00Z, leeway 30s))");
  EXPECT_EQ(RenderSteps(v), R"(format pass 438 bytes
header pass kid present
payload pass 208 bytes
issuer pass configured
typ pass "trailbook+jwt"
alg pass ES256
key pass EC P-256 ES256 kid="test-key"
signature pass valid
exp fail expired at 2023-11-15T00:13:20Z (now 2023-11-15T00:15:00Z, leeway 30s)
nbf pass 3700s ago
iat pass 7300s ago
lifetime fail lifetime 7200s exceeds the cap of 3600s
aud fail aud ["other", "x"] contains none of ["trailbook"]
sub pass present
jti fail missing required claim "jti"
runbooks pass 2 entries
scope pass granted [runbook:run snapshot:read]
constraints pass absent: no restriction
reason pass absent
)");
  Verification malformed = VerifyAt(*verifier, SignEs(Valid()) + "x");
  EXPECT_EQ(RenderSteps(malformed), R"(format fail signature segment: base64url: non-zero trailing bits (non-canonical encoding)
header skipped not evaluated
payload skipped not evaluated
issuer skipped not evaluated
typ skipped not evaluated
alg skipped not evaluated
key skipped not evaluated
signature skipped not evaluated
exp skipped not evaluated
nbf skipped not evaluated
iat skipped not evaluated
lifetime skipped not evaluated
aud skipped not evaluated
sub skipped not evaluated
jti skipped not evaluated
runbooks skipped not evaluated
scope skipped not evaluated
constraints skipped not evaluated
reason skipped not evaluated
)");
  Verification bad_typ = VerifyAt(
      *verifier, Es256().Sign(R"({"alg":"ES256","typ":"JWT","kid":"test-key"})", Valid()));
  EXPECT_EQ(RenderSteps(bad_typ), R"(format pass 459 bytes
header pass kid present
payload pass 234 bytes
issuer pass configured
typ fail typ "JWT" is not accepted; accepted: "trailbook+jwt"
alg skipped not evaluated
key skipped not evaluated
signature skipped not evaluated
exp skipped not evaluated
nbf skipped not evaluated
iat skipped not evaluated
lifetime skipped not evaluated
aud skipped not evaluated
sub skipped not evaluated
jti skipped not evaluated
runbooks skipped not evaluated
scope skipped not evaluated
constraints skipped not evaluated
reason skipped not evaluated
)");
  Verification no_scope = VerifyAt(
      *verifier,
      SignEs(ClaimSet::Valid(kNow).Remove("scope").Set("constraints", R"({"accounts":["1"]})").ToJson()));
  EXPECT_EQ(RenderSteps(no_scope), R"(format pass 468 bytes
header pass kid present
payload pass 231 bytes
issuer pass configured
typ pass "trailbook+jwt"
alg pass ES256
key pass EC P-256 ES256 kid="test-key"
signature pass valid
exp pass in 600s
nbf pass absent
iat pass in 0s
lifetime pass 600s <= 3600s
aud pass "trailbook"
sub pass present
jti pass present
runbooks pass 2 entries
scope pass absent: no scope granted
constraints fail account "1" is not 12 digits
reason pass absent
)");
}

TEST(TokenVerifierTest, CacheServesRepeatsUntilExpiry) {
  auto verifier = MakeVerifier(false, /*cache=*/16);
  std::string token = SignEs(Valid());
  Verification first = VerifyAt(*verifier, token);
  ASSERT_TRUE(first.principal);
  EXPECT_FALSE(first.from_cache);
  Verification second = VerifyAt(*verifier, token, kNow + 10);
  ASSERT_TRUE(second.principal);
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.steps.front().name, "cache");
  EXPECT_EQ(second.principal->subject, "alice@example.com");
  Verification expired = VerifyAt(*verifier, token, kNow + 600 + 30);
  EXPECT_FALSE(expired.principal);
  EXPECT_FALSE(expired.from_cache);
  EXPECT_EQ(FailedStep(expired), "exp");
  // Failures are never cached.
  std::string bad = TokenFactory::WithSignature(token, std::string(64, '\x01'));
  EXPECT_FALSE(VerifyAt(*verifier, bad).principal);
  EXPECT_FALSE(VerifyAt(*verifier, bad).from_cache);
  verifier->ClearCache();
  EXPECT_FALSE(VerifyAt(*verifier, token).from_cache);
}

// VerifyCached answers only from the cache (a caller that must not wait tries it first).
TEST(TokenVerifierTest, VerifyCachedAnswersOnlyFromTheCache) {
  auto verifier = MakeVerifier(false, /*cache=*/16);
  std::string token = SignEs(Valid());
  FakeClock clock(kNow * kMicrosPerSecond);
  RequestContext ctx;
  ctx.clock = &clock;
  EXPECT_FALSE(verifier->VerifyCached(token, ctx));  // Never verified: not cached.
  ASSERT_TRUE(verifier->Verify(token, ctx).principal);
  std::optional<Verification> hit = verifier->VerifyCached(token, ctx);
  ASSERT_TRUE(hit);
  ASSERT_TRUE(hit->principal);
  EXPECT_TRUE(hit->from_cache);
  EXPECT_EQ(hit->principal->subject, "alice@example.com");
  EXPECT_EQ(hit->token_sha256, verifier->Verify(token, ctx).token_sha256);
  EXPECT_EQ(hit->steps.front().name, "cache");
  FakeClock later((kNow + 600 + 30) * kMicrosPerSecond);
  ctx.clock = &later;
  EXPECT_FALSE(verifier->VerifyCached(token, ctx));  // Expired entries are not served.
  ctx.clock = &clock;
  std::string bad = TokenFactory::WithSignature(token, std::string(64, '\x01'));
  EXPECT_FALSE(verifier->Verify(bad, ctx).principal);
  EXPECT_FALSE(verifier->VerifyCached(bad, ctx));  // Failures are never cached.
  EXPECT_FALSE(MakeVerifier(false, /*cache=*/0)->VerifyCached(token, ctx));
}

TEST(TokenVerifierTest, HmacIssuerVerifiesOnlyWhenEnabled) {
  TokenFactory hs(JwsAlgorithm::kHS256, "hk");
  VerifierConfig config;
  config.issuers.push_back(TestIssuerConfig(hs.resolver(), JwsAlgorithm::kHS256));
  auto verifier = TokenVerifier::Create(config);
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  EXPECT_TRUE(VerifyAt(**verifier, hs.Sign(hs.Header(), Valid())).principal);
  config.issuers[0].allow_hmac = false;
  EXPECT_FALSE(TokenVerifier::Create(config).ok());
}

TEST(TokenVerifierTest, RoutesByIssuerAndKeepsKeySetsApart) {
  TokenFactory other(JwsAlgorithm::kEdDSA, "b-key");
  VerifierConfig config;
  config.issuers.push_back(TestIssuerConfig(Es256().resolver(), JwsAlgorithm::kES256));
  IssuerConfig b = TestIssuerConfig(other.resolver(), JwsAlgorithm::kEdDSA);
  b.issuer = "https://b.test/";
  b.accepted_typ = {"at+jwt"};
  config.issuers.push_back(b);
  auto verifier = std::move(TokenVerifier::Create(config)).value();
  std::string b_claims = With("iss", "\"https://b.test/\"");
  EXPECT_TRUE(VerifyAt(*verifier, other.Sign(R"({"alg":"EdDSA","typ":"at+jwt","kid":"b-key"})", b_claims)).principal);
  // Issuer A's key cannot vouch for issuer B and vice versa.
  Verification v = VerifyAt(*verifier, Es256().Sign(R"({"alg":"ES256","typ":"at+jwt","kid":"test-key"})", b_claims));
  EXPECT_EQ(FailedStep(v), "alg");
  v = VerifyAt(*verifier, other.Sign(R"({"alg":"EdDSA","typ":"trailbook+jwt","kid":"b-key"})", Valid()));
  EXPECT_EQ(FailedStep(v), "alg");
}

TEST(TokenVerifierTest, RejectsBadConfigurations) {
  auto base = [] {
    VerifierConfig c;
    c.issuers.push_back(TestIssuerConfig(Es256().resolver(), JwsAlgorithm::kES256));
    return c;
  };
  EXPECT_TRUE(TokenVerifier::Create(base()).ok());
  EXPECT_FALSE(TokenVerifier::Create(VerifierConfig{}).ok());
  std::vector<std::function<void(VerifierConfig&)>> breakers = {
      [](VerifierConfig& c) { c.issuers[0].issuer.clear(); },
      [](VerifierConfig& c) { c.issuers.push_back(c.issuers[0]); },
      [](VerifierConfig& c) { c.issuers[0].audiences.clear(); },
      [](VerifierConfig& c) { c.issuers[0].accepted_typ.clear(); },
      [](VerifierConfig& c) { c.issuers[0].allowed_algs.clear(); },
      [](VerifierConfig& c) { c.issuers[0].allowed_algs.push_back(JwsAlgorithm::kHS256); },
      [](VerifierConfig& c) { c.issuers[0].leeway_us = 61 * kMicrosPerSecond; },
      [](VerifierConfig& c) { c.issuers[0].leeway_us = -1; },
      [](VerifierConfig& c) { c.issuers[0].max_lifetime_us = 0; },
      [](VerifierConfig& c) { c.issuers[0].keys = nullptr; },
      [](VerifierConfig& c) { c.max_token_bytes = 0; },
  };
  for (size_t i = 0; i < breakers.size(); ++i) {
    VerifierConfig c = base();
    breakers[i](c);
    EXPECT_FALSE(TokenVerifier::Create(c).ok()) << "breaker " << i;
  }
}

TEST(TokenVerifierTest, IsSafeToShareAcrossThreads) {
  auto verifier = MakeVerifier(false, /*cache=*/8);
  std::string good = SignEs(Valid());
  std::string bad = SignEs(With("aud", "\"x\""));
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (!VerifyAt(*verifier, good).principal) ++wrong;
        if (VerifyAt(*verifier, bad).principal) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(TokenVerifierTest, MintRejectsInvalidSpecs) {
  TokenSpec spec;
  spec.issuer = "https://idp.test/";
  spec.audiences = {"trailbook"};
  spec.subject = "alice";
  spec.runbooks = {"ir.x"};
  spec.issued_at_us = kNow * kMicrosPerSecond;
  spec.ttl_us = 60 * kMicrosPerSecond;
  EXPECT_TRUE(MintToken(spec, Es256().signer()).ok());
  std::vector<std::function<void(TokenSpec&)>> breakers = {
      [](TokenSpec& s) { s.issuer.clear(); },
      [](TokenSpec& s) { s.audiences.clear(); },
      [](TokenSpec& s) { s.subject.clear(); },
      [](TokenSpec& s) { s.runbooks.clear(); },
      [](TokenSpec& s) { s.runbooks = {"*"}; },
      [](TokenSpec& s) { s.scopes = {"admin"}; },
      [](TokenSpec& s) { s.constraints.accounts = {"1"}; },
      [](TokenSpec& s) { s.constraints.regions = {"moon-1"}; },
      [](TokenSpec& s) { s.ttl_us = 0; },
      [](TokenSpec& s) { s.reason = ""; },
      [](TokenSpec& s) {
        s.constraints.event_time_after_us = 10;
        s.constraints.event_time_before_us = 5;
      },
  };
  for (size_t i = 0; i < breakers.size(); ++i) {
    TokenSpec s = spec;
    breakers[i](s);
    EXPECT_FALSE(MintToken(s, Es256().signer()).ok()) << "breaker " << i;
  }
}

// The usual token takes the one-pass plain-JSON reader and the known-scopes path; the same
// claims written outside the plain subset (escapes, an unknown scope) take the general
// path. Both must give the same Principal and the same step text.
TEST(TokenVerifierTest, FastAndGeneralPathsAgree) {
  auto verifier = MakeVerifier();
  std::string plain = SignEs(ClaimSet::Valid(kNow)
                                 .Set("sub", R"("alice@example.com")")
                                 .Set("scope", R"("snapshot:read audit:read query:adhoc runbook:run runbook:run")")
                                 .ToJson());
  std::string general = SignEs(ClaimSet::Valid(kNow)
                                   .Set("sub", R"("alice\u0040example.com")")
                                   .Set("scope", R"("snapshot:read audit:read query:adhoc runbook:run openid")")
                                   .ToJson());
  Verification a = VerifyAt(*verifier, plain, kNow + 10);
  Verification b = VerifyAt(*verifier, general, kNow + 10);
  ASSERT_TRUE(a.principal) << a.deny_reason;
  ASSERT_TRUE(b.principal) << b.deny_reason;
  EXPECT_EQ(a.principal->subject, "alice@example.com");
  EXPECT_EQ(b.principal->subject, "alice@example.com");
  EXPECT_EQ(a.principal->scopes, b.principal->scopes);
  EXPECT_EQ(a.principal->scopes.size(), 4u);
  EXPECT_EQ(a.principal->runbooks, b.principal->runbooks);
  EXPECT_EQ(a.principal->audiences, b.principal->audiences);
  EXPECT_EQ(a.steps[16].detail, "granted [audit:read query:adhoc runbook:run snapshot:read]");
  EXPECT_EQ(b.steps[16].detail,
            "granted [audit:read query:adhoc runbook:run snapshot:read]; ignored unknown [\"openid\"]");
  // A duplicate claim is plain JSON but not strict: the fast path must not accept it.
  Verification dup = VerifyAt(*verifier, SignEs(ClaimSet::Valid(kNow).Append("sub", R"("bob")").ToJson()),
                              kNow + 10);
  EXPECT_FALSE(dup.principal);
  EXPECT_EQ(testing::FailedStep(dup), "payload");
  EXPECT_NE(dup.deny_reason.find("duplicate JSON member name \"sub\""), std::string::npos) << dup.deny_reason;
}

}  // namespace
}  // namespace trailbook::auth
