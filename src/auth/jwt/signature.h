// File: auth/jwt/signature.h
//
// JWS signature verification (RFC 7515 / RFC 7518 / RFC 8037) through OpenSSL 3 EVP, with
// the encoding checks done before any crypto: the signature must be exactly the length the
// key produces (RSA: modulus length; ECDSA: P1363 r||s of 64/96/132 bytes, never DER;
// Ed25519: 64; HMAC: the full hash length), ECDSA requires 1 <= r, s < n (CVE-2022-21449),
// PSS uses MGF1 with the same hash and a salt of exactly the hash length, and the key must
// be bound to the algorithm asked for. Only an OpenSSL "valid" result passes.
//
//   Status s = VerifyJwsSignature(key, JwsAlgorithm::kES256, signing_input, signature);
#pragma once

#include <string_view>

#include "auth/jwt/jose_header.h"
#include "auth/jwt/jwk.h"
#include "base/status.h"

namespace trailbook::auth {

// Verifies `signature` (raw bytes in JOSE form) over `signing_input` with `key` for `alg`.
// Returns OK only when the signature is valid. Returns kUnauthenticated with a precise
// reason (wrong key algorithm, wrong length, r or s out of range, signature invalid) and
// kInternal when OpenSSL cannot set up the operation. The message never contains the
// signature or the signing input.
Status VerifyJwsSignature(const Jwk& key, JwsAlgorithm alg, std::string_view signing_input,
                          std::string_view signature);

// Returns the OpenSSL digest for HS*/RS*/PS*/ES* (nullptr for EdDSA).
const EVP_MD* EvpDigestFor(JwsAlgorithm alg);

}  // namespace trailbook::auth
