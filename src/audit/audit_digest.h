// File: audit/audit_digest.h
//
// Signed audit digests, in the spirit of CloudTrail digest files (docs/format/audit.md): a
// digest covers a dense range of audit sequences, names the chain head hash at its last
// sequence, and is chained to the previous digest by previousDigestSignature. The
// signature is over the canonical JSON of the digest without digestSignature, made with
// the runner's own key (never the token issuer's); public keys are published in a JWKS so
// old digests stay verifiable after rotation by kid.
//
//   AuditDigest d = ...;
//   TB_RETURN_IF_ERROR(SignDigest(signer, &d));
//   std::string file = DigestToJson(d);
//   TB_ASSIGN_OR_RETURN(AuditDigest back, ParseDigestJson(file));
//   TB_RETURN_IF_ERROR(VerifyDigestSignature(back, keys));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/jwt/jwk.h"
#include "auth/jwt/signer.h"
#include "base/status.h"

namespace trailbook::audit {

// DO NOT CHANGE: stored in digest files (docs/format/audit.md).
inline constexpr char kDigestVersion[] = "1";
inline constexpr char kDigestDirName[] = "audit/digests";
inline constexpr char kDigestKeysName[] = "audit/digest-keys.jwks";

struct AuditDigest {
  std::string store_id;
  std::string account_id;
  std::string region;
  int64_t start_time_us = 0;  // previous digest's end, or the first covered event's time
  int64_t end_time_us = 0;    // when the digest was written
  uint64_t first_sequence = 0;
  uint64_t last_sequence = 0;
  std::string first_previous_hash;  // previousEventHash of first_sequence
  std::string head_hash;            // hash of last_sequence: the chain head
  uint64_t previous_last_sequence = 0;      // 0 for the first digest
  std::string previous_digest_signature;    // hex; "" for the first digest
  std::string signature_algorithm;  // JWS name, e.g. "EdDSA", "ES256"
  std::string key_id;
  std::string signature;            // hex of the JOSE-form signature
};

// Returns the bytes that are signed: the canonical JSON of every field but the signature.
std::string DigestSigningInput(const AuditDigest& digest);

// Returns the digest file's JSON (canonical, with digestSignature).
std::string DigestToJson(const AuditDigest& digest);

// Parses a digest file. Errors: kInvalidArgument naming the missing or mistyped field.
Result<AuditDigest> ParseDigestJson(std::string_view json);

// Returns OK when `signer` can sign digests: a public-key algorithm and a kid. Errors:
// kInvalidArgument naming the problem.
Status ValidateDigestSigner(const auth::Signer& signer);

// Fills signature_algorithm, key_id and signature. Errors: kInvalidArgument when the
// signer has no kid or is an HMAC key (digests need a public-key signature); kInternal.
Status SignDigest(const auth::Signer& signer, AuditDigest* digest);

// Checks the signature with the key of the digest's kid in `keys`. Errors:
// kUnauthenticated (unknown kid, algorithm mismatch, bad signature), with the reason.
Status VerifyDigestSignature(const AuditDigest& digest, const auth::JwkSet& keys);

// "digest-<20-digit last sequence>.json": names sort in sequence order.
std::string DigestFileName(uint64_t last_sequence);

// Returns the newest digest in `dir` (a store's kDigestDirName), or nullopt when there is
// none. Errors: kCorruption naming the file when it does not parse, kIOError.
Result<std::optional<AuditDigest>> ReadLatestDigest(const std::string& dir);

}  // namespace trailbook::audit
