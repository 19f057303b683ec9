// File: auth/jwt/base64url.h
//
// Strict base64url (RFC 4648 section 5) as JOSE requires it (RFC 7515 section 2): the
// alphabet [A-Za-z0-9_-] only, no padding, no whitespace, and no non-zero trailing bits, so
// every byte string has exactly one accepted encoding. Token segments, JWK members and
// signatures all go through these two functions.
//
//   TB_ASSIGN_OR_RETURN(std::string header_json, Base64UrlDecode(segment));
//   std::string segment = Base64UrlEncode(header_json);
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace trailbook::auth {

// Returns true when every character of `text` is in [A-Za-z0-9_-].
bool IsBase64UrlAlphabet(std::string_view text);

// Decodes unpadded base64url. The empty string decodes to the empty string.
// Returns kInvalidArgument naming the first offending character position for characters
// outside the alphabet (including '=' and whitespace), for an impossible length (4k+1),
// and for a last character whose unused low bits are not zero (non-canonical encoding).
Result<std::string> Base64UrlDecode(std::string_view text);

// Decodes like Base64UrlDecode into *out, reusing its capacity (the verifier's hot path
// decodes into per-thread buffers). On error *out is unspecified.
Status Base64UrlDecodeInto(std::string_view text, std::string* out);

// Encodes `bytes` as unpadded base64url.
std::string Base64UrlEncode(std::string_view bytes);

}  // namespace trailbook::auth
