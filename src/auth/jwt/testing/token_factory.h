// File: auth/jwt/testing/token_factory.h
//
// Test-only helpers for building tokens, including malformed ones, with real keys:
//   ClaimSet      an ordered list of claim name -> raw JSON value, edited per test;
//   TokenFactory  a generated signing key plus its one-key resolver, which signs arbitrary
//                 header/payload bytes so tests can produce any token the verifier may see.
//
//   TokenFactory f(JwsAlgorithm::kES256, "k1");
//   ClaimSet claims = ClaimSet::Valid(now_s);
//   claims.Set("exp", "1");
//   std::string token = f.Sign(f.Header(), claims.ToJson());
//
// Thread safety: not thread-safe. Aborts (TB_CHECK) on OpenSSL failures, which are test bugs.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/jwt/jwk.h"
#include "auth/jwt/signer.h"
#include "auth/jwt/token_verifier.h"

namespace trailbook::auth::testing {

inline constexpr std::string_view kTestIssuer = "https://idp.test/";
inline constexpr std::string_view kTestAudience = "trailbook";

class ClaimSet {
 public:
  // A claim set the default TestIssuerConfig accepts at `now_s` (iat = now, exp = now+600).
  static ClaimSet Valid(int64_t now_s);

  // Sets `name` to the raw JSON `value` (replacing an existing member in place).
  ClaimSet& Set(std::string_view name, std::string_view raw_json);
  // Appends a member even when one of that name exists (for duplicate-member tests).
  ClaimSet& Append(std::string_view name, std::string_view raw_json);
  ClaimSet& Remove(std::string_view name);
  std::string ToJson() const;

 private:
  std::vector<std::pair<std::string, std::string>> members_;
};

class TokenFactory {
 public:
  explicit TokenFactory(JwsAlgorithm alg = JwsAlgorithm::kES256, std::string kid = "test-key");

  const Signer& signer() const { return signer_; }
  std::shared_ptr<const KeyResolver> resolver() const { return resolver_; }

  // {"alg":"<alg>","typ":"trailbook+jwt","kid":"<kid>"}
  std::string Header() const;

  // Returns base64url(header) "." base64url(payload) "." base64url(signature) where the
  // signature is computed over the encoded header and payload.
  std::string Sign(std::string_view header_json, std::string_view payload_json) const;

  // Returns the token with the signature segment replaced by base64url(`signature`).
  static std::string WithSignature(std::string_view token, std::string_view signature);

 private:
  Signer signer_;
  std::shared_ptr<const KeyResolver> resolver_;
};

// An issuer configuration for kTestIssuer/kTestAudience that trusts `keys` for `alg`.
IssuerConfig TestIssuerConfig(std::shared_ptr<const KeyResolver> keys, JwsAlgorithm alg);

// Returns the name of the first failed step, or "" when none failed.
std::string FailedStep(const Verification& v);

}  // namespace trailbook::auth::testing
