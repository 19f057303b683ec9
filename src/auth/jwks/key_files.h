// File: auth/jwks/key_files.h
//
// The on-disk form of trailbook signing keys, used by `trailbook keygen` and `token mint`:
//   <dir>/<kid>.key.pem   private key, PKCS#8 PEM, mode 0600, preceded by the lines
//                         "kid: <kid>" and "alg: <alg>" (explanatory text, RFC 7468 5.2);
//   <dir>/jwks.json       the public JWK Set (mode 0644); a new key is added to an existing
//                         set, which is how keys are rotated;
// and for HMAC (HS256/384/512), where there is no public half:
//   <dir>/<kid>.key.jwk   the secret as a JWK (mode 0600);
//   <dir>/hmac-jwks.json  the secret JWK Set for the verifier (mode 0600).
//
//   TB_ASSIGN_OR_RETURN(KeyFiles files, GenerateKeyFiles("/etc/trailbook/keys", alg, "k1"));
//   TB_ASSIGN_OR_RETURN(Signer signer, LoadSigningKeyFile(files.private_key_path));
#pragma once

#include <string>

#include "auth/jwt/jose_header.h"
#include "auth/jwt/signer.h"
#include "base/status.h"

namespace trailbook::auth {

struct KeyFiles {
  std::string private_key_path;
  std::string jwks_path;
  std::string thumbprint;  // RFC 7638 thumbprint of the new key.
  size_t keys_in_set = 0;  // Keys in the JWKS after adding this one.
};

// Returns kInvalidArgument unless `kid` is 1..128 characters of [A-Za-z0-9._-] and does not
// start with '.' (it names files).
Status ValidateKeyId(std::string_view kid);

// Generates a key for `alg` and writes the files above under `dir` (created if missing).
// Returns kAlreadyExists when the private key file or the kid already exists in the set,
// kInvalidArgument for a bad kid or an existing set that fails validation, and kIOError.
Result<KeyFiles> GenerateKeyFiles(const std::string& dir, JwsAlgorithm alg, const std::string& kid,
                                  int rsa_bits = 3072);

// Loads a private key file written by GenerateKeyFiles (PEM with kid/alg lines, or a
// secret JWK). Refuses files whose mode grants any access to group or others
// (kInvalidArgument naming the mode and the fix). Returns kIOError when unreadable and
// kInvalidArgument when malformed.
Result<Signer> LoadSigningKeyFile(const std::string& path);

}  // namespace trailbook::auth
