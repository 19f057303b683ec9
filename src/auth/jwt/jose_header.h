// File: auth/jwt/jose_header.h
//
// The JOSE vocabulary of trailbook tokens: the JWS algorithms we implement (JwsAlgorithm, a
// closed enum, so "none" cannot even be named) and the parsed protected header of a compact
// JWS (JoseHeader), with the header rules of RFC 7515, RFC 8725 and 8725bis applied.
//
//   std::optional<JwsAlgorithm> alg = ParseJwsAlgorithm("ES256");   // case-sensitive
//   TB_ASSIGN_OR_RETURN(JoseHeader header, ParseJoseHeader(header_json, parser));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt/strict_json.h"
#include "base/status.h"

namespace trailbook::auth {

// JWS "alg" values (RFC 7518 section 3, RFC 8037). DO NOT CHANGE the names: they are the
// wire values. There is deliberately no kNone.
enum class JwsAlgorithm {
  kHS256,
  kHS384,
  kHS512,
  kRS256,
  kRS384,
  kRS512,
  kPS256,
  kPS384,
  kPS512,
  kES256,
  kES384,
  kES512,
  kEdDSA,
};

enum class JwsAlgorithmFamily { kHmac, kRsaPkcs1, kRsaPss, kEcdsa, kEdDSA };

// Returns the algorithm whose wire name equals `name` exactly (no case folding), or nullopt
// ("none", "NONE", "es256", "ES521", "RSA-OAEP" and every other string).
std::optional<JwsAlgorithm> ParseJwsAlgorithm(std::string_view name);

// Returns the wire name, e.g. "ES256".
std::string_view JwsAlgorithmName(JwsAlgorithm alg);

JwsAlgorithmFamily FamilyOf(JwsAlgorithm alg);
inline bool IsHmac(JwsAlgorithm alg) { return FamilyOf(alg) == JwsAlgorithmFamily::kHmac; }

// Returns the digest output size in bytes for HS*/RS*/PS*/ES* (32, 48 or 64); 64 for EdDSA
// (which hashes internally with SHA-512).
size_t DigestSize(JwsAlgorithm alg);

// Returns the OpenSSL digest name ("SHA256", ...), or nullptr for EdDSA.
const char* DigestName(JwsAlgorithm alg);

// Returns the comma-separated wire names of `algs` ("ES256, EdDSA").
std::string JoinAlgorithmNames(const std::vector<JwsAlgorithm>& algs);

// The protected header of a compact JWS.
struct JoseHeader {
  std::string alg;                 // As received (may name an algorithm we do not support).
  std::optional<std::string> kid;  // Opaque key id; never interpreted.
  std::optional<std::string> typ;  // As received.
};

inline constexpr size_t kMaxHeaderDepth = 4;
inline constexpr size_t kMaxKidBytes = 256;

// Parses the decoded header JSON. Returns kInvalidArgument when it is not a strict JSON
// object (see StrictJsonParser), when "alg" is missing or not a string, when "kid", "typ"
// are not strings or "kid" is longer than kMaxKidBytes, and (deny by default) when it
// carries "jku", "jwk", "x5u" or "x5c" (keys are never taken from the token), "crit" (no JWS
// extension is understood, RFC 7515 section 4.1.11), "cty" (nested JWTs are not accepted),
// "b64" (RFC 7797), or "enc"/"zip" (a JWE header). Other members are ignored.
Result<JoseHeader> ParseJoseHeader(std::string_view header_json, StrictJsonParser& parser);

// Returns true when the header "typ" value `typ` names media type `expected` per RFC 7515
// section 4.1.9: compared ASCII case-insensitively, with an optional "application/" prefix.
bool TypMatches(std::string_view typ, std::string_view expected);

}  // namespace trailbook::auth
