// File: auth/jwt/signer.h
//
// Signer: produces JWS signatures in JOSE form (ECDSA as P1363 r||s, RSA PKCS#1 v1.5 or PSS
// with salt = hash length, Ed25519, HMAC) through OpenSSL 3 EVP. Used by `trailbook token
// mint`, and reusable by any component that signs (snapshots, audit checkpoints). Also
// generates new keys for `trailbook keygen`.
//
//   TB_ASSIGN_OR_RETURN(Signer signer, Signer::Generate(JwsAlgorithm::kES256, "k1"));
//   TB_ASSIGN_OR_RETURN(std::string sig, signer.Sign(signing_input));
//
// Thread safety: Sign is const and safe to call concurrently.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/jwt/jose_header.h"
#include "auth/jwt/jwk.h"
#include "base/status.h"

namespace trailbook::auth {

class Signer {
 public:
  // Loads an unencrypted PEM private key (PKCS#8 or traditional). Returns kInvalidArgument
  // when the PEM does not parse, is encrypted, or is not a key for `alg` (wrong type or
  // curve, RSA below 2048 bits, ...). Text outside the PEM boundaries is ignored.
  static Result<Signer> FromPrivateKeyPem(std::string_view pem, JwsAlgorithm alg,
                                          std::optional<std::string> kid);

  // Uses `secret` as an HMAC key for HS* (at least the hash length).
  static Result<Signer> FromHmacSecret(std::string_view secret, JwsAlgorithm alg,
                                       std::optional<std::string> kid);

  // Generates a fresh key: P-256/384/521 for ES*, Ed25519 for EdDSA, RSA of `rsa_bits`
  // (2048..8192) for RS*/PS*, and a random secret of the hash length for HS*.
  static Result<Signer> Generate(JwsAlgorithm alg, std::optional<std::string> kid,
                                 int rsa_bits = 3072);

  Signer(Signer&&) noexcept;
  Signer& operator=(Signer&&) noexcept;
  ~Signer();

  // Returns the JWS signature of `signing_input` in JOSE form. Returns kInternal when
  // OpenSSL fails.
  Result<std::string> Sign(std::string_view signing_input) const;

  // Returns the private key as unencrypted PKCS#8 PEM. Returns kInvalidArgument for HMAC.
  Result<std::string> PrivateKeyPem() const;

  // The key that verifies this signer's signatures (the public key; for HMAC, the secret).
  const Jwk& verification_key() const { return verification_key_; }
  JwsAlgorithm alg() const { return verification_key_.alg(); }
  const std::optional<std::string>& kid() const { return verification_key_.kid(); }

 private:
  Signer(EvpPkeyPtr private_key, Jwk verification_key);

  EvpPkeyPtr private_key_;  // nullptr for HMAC (the secret lives in verification_key_).
  Jwk verification_key_;
};

}  // namespace trailbook::auth
