// File: auth/jwt/jwk.h
//
// The verification-key model shared by the token verifier and the key-set loader (auth/jwks):
//   Jwk          one public (or, for HMAC, secret) key bound to exactly one JWS algorithm, with
//                its OpenSSL EVP_PKEY handle, built from JWK components and checked for
//                strength when built (RSA >= 2048 bits and FIPS 186-5 exponent, ROCA
//                fingerprint, EC point on the named curve, Ed25519 only, HMAC key >= hash size);
//   JwkSet       an immutable set of keys with the selection rules of RFC 8725bis (kid is an
//                opaque exact lookup; kid required when the set has several keys);
//   KeyResolver  the interface the verifier asks for a key (JwksCache implements it with
//                refresh; StaticKeyResolver serves a fixed set).
//
//   TB_ASSIGN_OR_RETURN(Jwk key, Jwk::FromEc("P-256", x, y, JwsAlgorithm::kES256, "k1"));
//   TB_ASSIGN_OR_RETURN(JwkSet set, JwkSet::Create(std::move(keys)));
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt/jose_header.h"
#include "base/clock.h"
#include "base/status.h"

namespace trailbook::auth {

struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* key) const;
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;

struct BignumDeleter {
  void operator()(BIGNUM* bn) const;
};
using BignumPtr = std::unique_ptr<BIGNUM, BignumDeleter>;

enum class KeyType { kRsa, kEc, kOkp, kOct };

// Returns "RSA", "EC", "OKP" or "oct" (the JWK "kty" values).
std::string_view KeyTypeName(KeyType kty);

// Key-size bounds. RSA moduli above kMaxRsaBits are refused to bound verification cost.
inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 8192;

// Jwk: one verification key bound to one algorithm.
//
// Component members hold the raw big-endian bytes (already base64url-decoded). For kOct the
// secret is wiped from memory on destruction.
// Thread safety: immutable after construction; safe to share across threads.
class Jwk {
 public:
  // Builds an RSA key for RS*/PS*. Returns kInvalidArgument when `alg` is not RS*/PS*, when
  // n or e has a leading zero octet (RFC 7518 section 6.3.1), when the modulus is outside
  // [kMinRsaBits, kMaxRsaBits], when e is even or outside (2^16, 2^256) (FIPS 186-5), or when
  // the modulus has the ROCA fingerprint (CVE-2017-15361).
  static Result<Jwk> FromRsa(std::string_view n, std::string_view e, JwsAlgorithm alg,
                             std::optional<std::string> kid);

  // Builds an EC key for ES256/ES384/ES512 on P-256/P-384/P-521 respectively. Returns
  // kInvalidArgument for another curve, a curve that does not match `alg`, coordinates that
  // are not exactly the field size, or a point not on the curve.
  static Result<Jwk> FromEc(std::string_view crv, std::string_view x, std::string_view y,
                            JwsAlgorithm alg, std::optional<std::string> kid);

  // Builds an Ed25519 key for EdDSA. Returns kInvalidArgument for another curve (Ed448 is
  // not supported), an `alg` other than EdDSA, or `x` not exactly 32 bytes.
  static Result<Jwk> FromOkp(std::string_view crv, std::string_view x, JwsAlgorithm alg,
                             std::optional<std::string> kid);

  // Builds an HMAC secret key for HS*. Returns kInvalidArgument when `alg` is not HS* or
  // the secret is shorter than the hash output (RFC 7518 section 3.2).
  static Result<Jwk> FromOct(std::string_view k, JwsAlgorithm alg, std::optional<std::string> kid);

  // Builds the verification key matching the public half of `key` (an OpenSSL key from
  // PEM or key generation), applying the same checks as the component builders.
  static Result<Jwk> FromEvpPublicKey(EVP_PKEY* key, JwsAlgorithm alg,
                                      std::optional<std::string> kid);

  Jwk(Jwk&&) noexcept;
  Jwk& operator=(Jwk&&) noexcept;
  ~Jwk();

  KeyType kty() const { return kty_; }
  JwsAlgorithm alg() const { return alg_; }
  const std::optional<std::string>& kid() const { return kid_; }
  bool is_symmetric() const { return kty_ == KeyType::kOct; }

  // "P-256", "P-384", "P-521", "Ed25519", or empty for RSA and oct.
  const std::string& crv() const { return crv_; }
  // RSA modulus and exponent; EC coordinates; OKP public key; oct secret (raw bytes).
  const std::string& n() const { return n_; }
  const std::string& e() const { return e_; }
  const std::string& x() const { return x_; }
  const std::string& y() const { return y_; }
  const std::string& k() const { return k_; }

  // The OpenSSL key (nullptr for kOct).
  EVP_PKEY* pkey() const { return pkey_.get(); }
  // The group order n of an EC key, big-endian, exactly half the signature size (empty
  // for other key types).
  const std::string& ec_order() const { return ec_order_; }

  // Returns the exact signature length in bytes this key produces in JOSE form:
  // the modulus length (RSA), 2 * field size (ECDSA), 64 (Ed25519) or the hash size (HMAC).
  size_t signature_size() const { return signature_size_; }

  // Returns a one-line description for audit details, e.g. "EC P-256 ES256 kid=\"k1\"".
  std::string Describe() const;

 private:
  Jwk() = default;

  KeyType kty_ = KeyType::kOct;
  JwsAlgorithm alg_ = JwsAlgorithm::kHS256;
  std::optional<std::string> kid_;
  std::string crv_;
  std::string n_, e_, x_, y_, k_;
  EvpPkeyPtr pkey_;
  std::string ec_order_;
  size_t signature_size_ = 0;
  int rsa_bits_ = 0;
};

// Returns true when the RSA modulus (big-endian bytes) has the ROCA fingerprint: for each
// small prime p of the published detector, n mod p lies in the subgroup generated by 65537.
bool HasRocaFingerprint(std::string_view modulus);

// JwkSet: an immutable set of verification keys of one issuer.
//
// Invariants: at least one key; no two keys share a kid; when there is more than one key,
// every key has a kid; symmetric (oct) and asymmetric keys are never mixed.
// Thread safety: immutable; safe to share.
class JwkSet {
 public:
  // Returns kInvalidArgument when `keys` breaks an invariant (naming the kid).
  static Result<JwkSet> Create(std::vector<Jwk> keys);

  JwkSet(JwkSet&&) noexcept = default;
  JwkSet& operator=(JwkSet&&) noexcept = default;

  // Selects the key for a token whose header has `kid` (nullopt when absent). The kid is an
  // opaque, exact, case-sensitive lookup. Without a kid, only a one-key set yields a key.
  // Returns nullptr and sets *why when there is no key.
  const Jwk* Find(std::optional<std::string_view> kid, std::string* why) const;

  const std::vector<Jwk>& keys() const { return keys_; }
  size_t size() const { return keys_.size(); }
  bool symmetric() const { return !keys_.empty() && keys_.front().is_symmetric(); }

 private:
  explicit JwkSet(std::vector<Jwk> keys) : keys_(std::move(keys)) {}
  std::vector<Jwk> keys_;
};

// The result of asking a KeyResolver for a key: `key` points into `set`, which keeps it
// alive for as long as the lookup is held.
struct KeyLookup {
  std::shared_ptr<const JwkSet> set;
  const Jwk* key = nullptr;
  std::string detail;  // Why no key was found, or where the key came from.
};

// KeyResolver: where the verifier gets keys. Implementations must be thread-safe.
class KeyResolver {
 public:
  virtual ~KeyResolver() = default;
  // Returns the key for `kid` (nullopt when the token has none). An implementation may
  // refresh its set on an unknown kid. `clock` is the caller's notion of now.
  virtual KeyLookup Find(std::optional<std::string_view> kid, const Clock& clock) const = 0;
};

// StaticKeyResolver: serves one fixed JwkSet (local files, tests, fuzzers).
class StaticKeyResolver : public KeyResolver {
 public:
  explicit StaticKeyResolver(JwkSet set) : set_(std::make_shared<const JwkSet>(std::move(set))) {}
  KeyLookup Find(std::optional<std::string_view> kid, const Clock& clock) const override;

 private:
  std::shared_ptr<const JwkSet> set_;
};

}  // namespace trailbook::auth
