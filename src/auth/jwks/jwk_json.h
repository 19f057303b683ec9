// File: auth/jwks/jwk_json.h
//
// JSON (RFC 7517) form of verification keys: parsing a JWK or a JWK Set into the key model of
// auth/jwt (Jwk, JwkSet) with the key-set rules of RFC 8725bis, serializing keys back to
// JSON for `trailbook keygen`, and RFC 7638 thumbprints.
//
// Parsing rules (docs/tokens.md, "Key sets"):
//   - a public set must not contain private key material (d, p, q, dp, dq, qi, oth) or
//     symmetric keys; secret sets (HMAC, from local files only) contain only oct keys;
//   - every usable key is bound to exactly one JWS algorithm: its "alg", or for EC/OKP keys
//     without "alg" the one their curve implies; RSA keys without "alg" need a configured
//     default; unknown or mismatched algorithms reject the set;
//   - keys meant for encryption ("use":"enc", a JWE "alg", key_ops without "verify") are
//     skipped, not used, and reported;
//   - weak keys reject the set (see Jwk builders); duplicate kids reject the set.
//
//   TB_ASSIGN_OR_RETURN(ParsedJwks jwks, ParseJwks(body, JwkParseOptions{}));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt/jwk.h"
#include "auth/jwt/strict_json.h"
#include "base/status.h"

namespace trailbook::auth {

struct JwkParseOptions {
  // Accept "oct" (HMAC secret) keys. Only for secret key files, never for a fetched JWKS.
  bool allow_symmetric = false;
  // Algorithm for RSA keys that carry no "alg" (some IdPs omit it); nullopt rejects them.
  std::optional<JwsAlgorithm> default_rsa_alg;
};

inline constexpr size_t kMaxJwksBytes = 1 << 20;
inline constexpr size_t kMaxJwksKeys = 100;

struct ParsedJwks {
  JwkSet set;
  std::vector<std::string> skipped;  // One line per skipped key, with the reason.
};

// Parses one JWK object. Returns the key, or nullopt with *skip_reason set for a key that is
// not a signature-verification key. Returns kInvalidArgument naming the member for anything
// malformed, private, weak or ambiguous.
Result<std::optional<Jwk>> ParseJwk(const simdjson::dom::element& jwk,
                                    const JwkParseOptions& options, std::string* skip_reason);

// Parses a JWK Set document ({"keys":[...]}) of at most kMaxJwksBytes and kMaxJwksKeys.
// Errors name the key index ("keys[2]: ...").
Result<ParsedJwks> ParseJwks(std::string_view json, const JwkParseOptions& options);

// Parses a single JWK document (used for secret key files).
Result<Jwk> ParseJwkDocument(std::string_view json, const JwkParseOptions& options);

// Returns the JWK JSON of `key` with kty, use "sig", alg, kid and its public members; for an
// oct key the secret "k" is written only when `include_secret` is set.
std::string JwkToJson(const Jwk& key, bool include_secret);

// Returns {"keys":[...]} for `keys` (pretty-printed, one key per element).
std::string JwksToJson(const std::vector<const Jwk*>& keys, bool include_secret);

// Returns the RFC 7638 thumbprint: base64url(SHA-256(canonical required members)).
std::string JwkThumbprint(const Jwk& key);

}  // namespace trailbook::auth
