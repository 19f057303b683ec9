// File: snapshot/snapshot_key.h
//
// The runner's snapshot-signing key and the matching verification primitives. Snapshots are
// signed with the runner's own key (Ed25519 or ES256), never with a token issuer's key, and
// verified against a published JWKS selected by kid, so old snapshots stay verifiable after
// a key rotation. Signatures are in the encoding the `openssl` command line produces and
// accepts (raw 64 bytes for Ed25519, DER ECDSA-Sig-Value for ES256), so a third party can
// check them with openssl alone (docs/format/snapshot.md).
//
//   TB_ASSIGN_OR_RETURN(SnapshotSigningKey key, SnapshotSigningKey::LoadFile(path));
//   TB_ASSIGN_OR_RETURN(std::string sig, key.Sign(manifest_bytes));
//   TB_RETURN_IF_ERROR(VerifySnapshotSignature(key.public_jwk(), manifest_bytes, sig));
//
// All cryptography goes through OpenSSL 3 (via auth::Signer and EVP).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/jwt/jwk.h"
#include "auth/jwt/signer.h"
#include "base/status.h"

namespace trailbook::snapshot {

// Returns the signature algorithm name written to result_sign.json for `alg`:
// "Ed25519" for EdDSA, "ECDSA-P256-SHA256" for ES256, "" for anything else.
// DO NOT CHANGE: stored in result_sign.json (docs/format/snapshot.md).
std::string_view SignatureAlgorithmName(auth::JwsAlgorithm alg);

// Returns true for the algorithms snapshots may be signed with (EdDSA, ES256).
bool IsSnapshotAlgorithm(auth::JwsAlgorithm alg);

// Returns the lower-case hex SHA-256 of the DER SubjectPublicKeyInfo of `key` (what
// `openssl pkey -pubin -outform DER | sha256sum` prints). Returns kInvalidArgument for
// symmetric keys.
Result<std::string> PublicKeySha256(const auth::Jwk& key);

// Returns the SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----") of `key`.
Result<std::string> PublicKeyPem(const auth::Jwk& key);

// Verifies an openssl-encoded `signature` of `message` with `key`. Returns kUnauthenticated
// ("signature does not verify") when it does not, kInvalidArgument when `key` is not an
// Ed25519 or ES256 key.
Status VerifySnapshotSignature(const auth::Jwk& key, std::string_view message,
                               std::string_view signature);

// Standard base64 (RFC 4648 section 4, with padding, no line breaks), as `openssl base64 -A`.
std::string Base64Encode(std::string_view bytes);
// Returns kInvalidArgument for anything but canonical padded base64 without whitespace.
Result<std::string> Base64Decode(std::string_view text);

// SnapshotSigningKey: a private Ed25519 or ES256 key with a kid.
//
// Thread safety: immutable after construction; Sign is safe to call concurrently.
class SnapshotSigningKey {
 public:
  // Loads a key file in the `trailbook keygen` format (auth/jwks/key_files.h). Refuses a
  // file readable or writable by group or others (kInvalidArgument naming the file, its mode
  // and the fix), a key without a kid, and any algorithm but EdDSA and ES256
  // (kInvalidArgument naming the file). Returns kIOError when the file cannot be read.
  static Result<SnapshotSigningKey> LoadFile(const std::string& path);

  // Wraps `signer` (tests, or keys held elsewhere). Same algorithm and kid rules as LoadFile.
  static Result<SnapshotSigningKey> FromSigner(auth::Signer signer);

  SnapshotSigningKey(SnapshotSigningKey&&) noexcept = default;
  SnapshotSigningKey& operator=(SnapshotSigningKey&&) noexcept = default;

  // Returns the openssl-encoded signature of `message`. Returns kInternal when OpenSSL fails.
  Result<std::string> Sign(std::string_view message) const;

  // Returns kPermissionDenied when this key's public half is one of `issuer_keys` (a token
  // issuer's key set): a snapshot must be signed by the runner, not by whoever mints tokens.
  Status CheckNotIssuerKey(const auth::JwkSet& issuer_keys) const;

  const std::string& key_id() const { return key_id_; }
  auth::JwsAlgorithm alg() const { return signer_.alg(); }
  const auth::Jwk& public_jwk() const { return signer_.verification_key(); }
  const std::string& public_key_pem() const { return public_key_pem_; }
  const std::string& public_key_sha256() const { return public_key_sha256_; }

 private:
  explicit SnapshotSigningKey(auth::Signer signer) : signer_(std::move(signer)) {}

  auth::Signer signer_;
  std::string key_id_;
  std::string public_key_pem_;
  std::string public_key_sha256_;
};

}  // namespace trailbook::snapshot
