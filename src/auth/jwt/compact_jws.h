// File: auth/jwt/compact_jws.h
//
// The JWS layer of token verification, as building blocks the token verifier composes and
// as one function for raw JWS (VerifyCompactJws, used for the JOSE test vectors and by any
// component that verifies detached signed blobs):
//   format    the token is exactly three base64url segments (header and signature non-empty) over [A-Za-z0-9_-],
//             at most max_token_bytes, checked before any parsing; each segment decodes
//             strictly (no padding, no non-zero trailing bits);
//   header    strict JSON object (ParseJoseHeader);
//   alg       case-sensitive member of the allow-list; HMAC only when explicitly allowed;
//   key       opaque kid lookup; the key's single algorithm must equal alg (before crypto);
//   signature VerifyJwsSignature.
// Every step is recorded as a VerificationStep for the audit log.
//
//   std::vector<VerificationStep> steps;
//   Result<VerifiedJws> jws = VerifyCompactJws(token, resolver, policy, clock, parser, &steps);
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt/jose_header.h"
#include "auth/jwt/jwk.h"
#include "auth/jwt/strict_json.h"
#include "base/clock.h"
#include "base/status.h"
#include "json/json_writer.h"

namespace trailbook::auth {

// One verification step. Names are stable identifiers recorded verbatim in audit events
// (DO NOT CHANGE them; see docs/tokens.md); details never contain the signature or the token.
struct VerificationStep {
  enum class Outcome { kPass, kFail, kSkipped };
  std::string name;
  Outcome outcome = Outcome::kSkipped;
  std::string detail;
};

// Returns "pass", "fail" or "skipped".
std::string_view OutcomeName(VerificationStep::Outcome outcome);

// Writes `steps` as a JSON array of {"name", "outcome"[, "detail" when non-empty]}: the
// form audit events record (runbook and snapshot access events alike).
void WriteStepsJson(std::span<const VerificationStep> steps, json::JsonWriter* w);

inline constexpr size_t kMaxTokenBytes = 8192;

// A compact JWS split into its segments. The views point into the token passed to
// ParseCompactJws, which must outlive this object.
struct CompactJws {
  std::string_view signing_input;  // BASE64URL(header) '.' BASE64URL(payload), as received.
  std::string header_json;         // Decoded protected header.
  std::string payload;             // Decoded payload.
  std::string signature;           // Decoded signature bytes.
};

// Checks the format and decodes the three segments. Returns kInvalidArgument with the
// reason: empty or oversized token, wrong segment count (5 segments is named as a JWE; a
// JSON serialization is named as such), empty header or signature segment, character
// outside the alphabet (with segment and offset), or non-canonical base64url. An empty
// payload segment is a valid JWS (a JWT verifier then rejects the empty claim set).
Result<CompactJws> ParseCompactJws(std::string_view token, size_t max_token_bytes);

// Parses like ParseCompactJws into *out, reusing the capacity of its strings (the verifier
// keeps one CompactJws per thread). On error *out is unspecified.
Status ParseCompactJwsInto(std::string_view token, size_t max_token_bytes, CompactJws* out);

// What algorithms and key kinds a verifier accepts.
struct JwsPolicy {
  std::vector<JwsAlgorithm> allowed_algs;  // Compared exactly; must not be empty.
  bool allow_hmac = false;                 // HS* needs this AND an HS* entry in allowed_algs.
  size_t max_token_bytes = kMaxTokenBytes;
};

// Returns the algorithm named by header "alg" when `policy` allows it. Returns
// kInvalidArgument for "none" (in any case), an unknown name, a name not in the allow-list
// or an HMAC algorithm while HMAC is not allowed.
Result<JwsAlgorithm> CheckAlgorithm(std::string_view alg, const JwsPolicy& policy);

// Finds the key for `header` and checks that it is bound to `alg` and is symmetric only when
// HMAC is allowed. Returns the lookup (which keeps the key alive) or kInvalidArgument.
Result<KeyLookup> SelectKey(const KeyResolver& keys, const JoseHeader& header, JwsAlgorithm alg,
                            const JwsPolicy& policy, const Clock& clock);

// A JWS whose signature verified.
struct VerifiedJws {
  JoseHeader header;
  JwsAlgorithm alg = JwsAlgorithm::kES256;
  std::string payload;
  std::string key_description;
};

// Runs format, header, alg, key and signature in order, appending one step each to *steps
// (steps after a failure are appended as skipped). Returns kUnauthenticated("invalid
// signature") on any failure; the reason is in the failing step's detail.
Result<VerifiedJws> VerifyCompactJws(std::string_view token, const KeyResolver& keys,
                                     const JwsPolicy& policy, const Clock& clock,
                                     StrictJsonParser& parser,
                                     std::vector<VerificationStep>* steps);

}  // namespace trailbook::auth
