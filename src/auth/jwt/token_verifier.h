// File: auth/jwt/token_verifier.h
//
// TokenVerifier: the front door of trailbook. It verifies a compact JWT statelessly (no
// session database) against one or more configured issuers and returns either a verified
// Principal or a denial, always with the ordered list of verification steps that the audit
// log records. Callers see one generic status (kUnauthenticated "invalid token"); the
// precise reason is only in `deny_reason` and the steps, which go to audit, never to the
// client. The rules are RFC 8725 and draft-ietf-oauth-rfc8725bis; docs/tokens.md is the
// user-facing description.
//
//   IssuerConfig issuer;
//   issuer.issuer = "https://idp.example.com/";
//   issuer.audiences = {"trailbook"};
//   issuer.allowed_algs = {JwsAlgorithm::kES256};
//   issuer.keys = jwks_cache;                    // std::shared_ptr<const KeyResolver>
//   TB_ASSIGN_OR_RETURN(auto verifier, TokenVerifier::Create({.issuers = {issuer}}));
//   Verification v = verifier->Verify(token, RequestContext{});
//   if (!v.principal) return v.status;           // audit.Record(v.steps, v.deny_reason)
//
// Step names, in order (stable; DO NOT CHANGE, they are stored in audit events):
//   format, header, payload, issuer, typ, alg, key, signature,
//   exp, nbf, iat, lifetime, aud, sub, jti, runbooks, scope, constraints, reason
// A step after a failure before "signature" is "skipped"; once the signature verified,
// every claim step is evaluated and reported. A cache hit adds a leading "cache" step.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt/claims.h"
#include "auth/jwt/compact_jws.h"
#include "auth/jwt/jose_header.h"
#include "auth/jwt/jwk.h"
#include "auth/jwt/verification_steps.h"
#include "auth/jwt/verified_token_cache.h"
#include "base/clock.h"
#include "base/status.h"
#include "base/timestamp.h"

namespace trailbook::auth {

inline constexpr std::string_view kTrailbookTyp = "trailbook+jwt";
inline constexpr int64_t kDefaultMaxLifetimeUs = 3600 * kMicrosPerSecond;
inline constexpr int64_t kDefaultLeewayUs = 30 * kMicrosPerSecond;
inline constexpr int64_t kMaxLeewayUs = 60 * kMicrosPerSecond;

// How tokens of one issuer are verified. A key set is always bound to one issuer.
struct IssuerConfig {
  std::string issuer;                  // Exact "iss" value (case-sensitive).
  std::vector<std::string> audiences;  // The token's "aud" must contain one of these.
  // Accepted header "typ" values (RFC 7515 4.1.9 comparison). A token without "typ" is
  // rejected. Add "at+jwt" for RFC 9068 access tokens from an IdP.
  std::vector<std::string> accepted_typ = {std::string(kTrailbookTyp)};
  std::vector<JwsAlgorithm> allowed_algs;   // Must not be empty.
  int64_t max_lifetime_us = kDefaultMaxLifetimeUs;  // Cap on exp - iat.
  int64_t leeway_us = kDefaultLeewayUs;             // Clock skew allowance, <= 60 s.
  bool allow_hmac = false;                          // Required for any HS* algorithm.
  // Where keys come from. Shared with the owner that refreshes it (a JwksCache) and with
  // any other verifier configured for the same issuer.
  std::shared_ptr<const KeyResolver> keys;
};

struct VerifierConfig {
  std::vector<IssuerConfig> issuers;
  size_t max_token_bytes = kMaxTokenBytes;
  // Capacity of the verified-token cache (keyed by the token's SHA-256, valid until exp);
  // 0 disables it.
  size_t cache_capacity = 0;
};

// What the verifier needs from the request.
struct RequestContext {
  const Clock* clock = &SystemClock();  // Source of "now"; must not be null.
  std::string caller_address;           // For the audit record only.
};

// The outcome of one verification.
struct Verification {
  std::optional<Principal> principal;  // Set only when every step passed.
  Status status;                       // OK, or kUnauthenticated "invalid token".
  std::string deny_reason;             // "<step>: <detail>" of the first failure (audit only).
  VerificationSteps steps;            // Formatted when first read.
  std::string token_sha256;            // Hex; empty when the token exceeds the size limit.
  std::string key_id;                  // Header kid as received (may be empty).
  std::string alg;                     // Header alg as received (truncated to 32 bytes).
  std::string issuer;                  // Unverified "iss" used to pick the issuer config.
  bool from_cache = false;
};

// Thread safety: Verify is const and safe to call concurrently (shared by HTTP requests).
class TokenVerifier {
 public:
  // Validates `config`. Returns kInvalidArgument for: no issuers, duplicate or empty issuer,
  // no audiences, no accepted typ, empty allowed_algs, an HS* algorithm without allow_hmac,
  // leeway outside [0, 60 s], max lifetime <= 0, or a null key resolver.
  static Result<std::unique_ptr<TokenVerifier>> Create(VerifierConfig config);

  TokenVerifier(const TokenVerifier&) = delete;
  TokenVerifier& operator=(const TokenVerifier&) = delete;

  // Verifies `token` at ctx.clock's now. Never fails for a bad token: the result says why.
  Verification Verify(std::string_view token, const RequestContext& ctx) const;

  // Returns what Verify would return when the verified-token cache holds `token` (valid
  // at ctx.clock's now), else nullopt: never parses, fetches keys or checks a signature, so
  // it never blocks (a caller that must not wait, e.g. an event-loop thread, tries this
  // first and otherwise verifies elsewhere).
  std::optional<Verification> VerifyCached(std::string_view token,
                                           const RequestContext& ctx) const;

  // Drops every cached verification (call after revoking a key).
  void ClearCache() const;

 private:
  struct Issuer {
    IssuerConfig config;
    JwsPolicy policy;
  };
  explicit TokenVerifier(VerifierConfig config);

  const Issuer* FindIssuer(std::string_view iss) const;
  // Fills *v from the cache when it holds `token` at `now` (true); sets *digest and
  // v->token_sha256 whenever the token is hashable.
  bool FromCache(std::string_view token, int64_t now, crypto::Sha256Digest* digest,
                 Verification* v) const;

  std::vector<Issuer> issuers_;
  size_t max_token_bytes_;
  std::unique_ptr<VerifiedTokenCache> cache_;  // nullptr when disabled.
};

}  // namespace trailbook::auth
