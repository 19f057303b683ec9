// File: auth/jwt/plain_json.h
//
// The fast path of token parsing: one pass over a token header or claim set written in
// "plain JSON", the subset every issuer we know of emits, that checks the strict-JSON rules
// (duplicate member names at every depth, the nesting limit, nothing after the root) and
// extracts the members in the same walk. It exists because the verifier runs between two
// signature verifications that evict the parsing code from the instruction cache: the
// general path (StrictJsonParser, i.e. simdjson's two stages plus a checking walk, then an
// extraction walk) is several times more code than this reader.
//
// Plain JSON: ASCII only; strings of printable ASCII (0x20-0x7E) without escapes; numbers
// that are integers of at most 18 digits (no fraction or exponent); at most 16 members per
// object. Whitespace, nesting, arrays, true/false/null are as in RFC 8259.
//
// The readers decide only what they are sure of: they return true when the input is plain
// JSON AND the general path would accept it with no problem in any claim, and then give
// exactly the result of the general path. In every other case (not plain, malformed, a
// duplicate, a bad claim value, ...) they return false and the caller must run the general
// path, which gives the verdict and its reason. So they never accept what the general path
// rejects; plain_json_fuzzer checks this against the general path.
//
//   if (!ReadPlainClaims(payload_json, &claims)) { /* StrictJsonParser + ExtractClaims */ }
#pragma once

#include <string_view>

#include "auth/jwt/claims.h"
#include "auth/jwt/jose_header.h"

namespace trailbook::auth {

// Returns true when `json` is plain JSON that ParseJoseHeader accepts, with *out set to
// what ParseJoseHeader returns. Returns false otherwise (*out is then unspecified).
bool ReadPlainJoseHeader(std::string_view json, JoseHeader* out);

// Returns true when `json` is a plain JSON object of nesting depth <= kMaxPayloadDepth in
// which every claim ExtractClaims knows is absent or well-formed (no Claim::problem), with
// *out set to what ExtractClaims gives. The string views in *out point into `json`, which
// must outlive their use. Returns false otherwise (*out is then unspecified).
bool ReadPlainClaims(std::string_view json, RawClaims* out);

}  // namespace trailbook::auth
