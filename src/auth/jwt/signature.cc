#include "auth/jwt/signature.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>

namespace trailbook::auth {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Status Invalid(std::string why) {
  ERR_clear_error();
  return Unauthenticated(std::move(why));
}

// Runs EVP_DigestVerify over `der_or_raw` and maps every result but 1 to a failure.
Status EvpVerify(const Jwk& key, JwsAlgorithm alg, std::string_view signing_input,
                 std::string_view sig) {
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx) return Internal("OpenSSL: EVP_MD_CTX_new failed");
  EVP_PKEY_CTX* pctx = nullptr;
  if (EVP_DigestVerifyInit(ctx.get(), &pctx, EvpDigestFor(alg), nullptr, key.pkey()) != 1) {
    ERR_clear_error();
    return Internal(std::string("OpenSSL: EVP_DigestVerifyInit failed for ") +
                    std::string(JwsAlgorithmName(alg)));
  }
  // RSA keys default to PKCS#1 v1.5 padding, and PSS defaults MGF1 to the signature hash
  // (EVP_PKEY_CTX_set_rsa_mgf1_md(3)); only PSS needs configuring. The salt length must
  // equal the hash length (RFC 7518 3.5): RSA_PSS_SALTLEN_DIGEST makes OpenSSL enforce it.
  if (FamilyOf(alg) == JwsAlgorithmFamily::kRsaPss) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
      ERR_clear_error();
      return Internal("OpenSSL: cannot configure RSASSA-PSS");
    }
  }
  int rc = EVP_DigestVerify(ctx.get(), Bytes(sig), sig.size(), Bytes(signing_input),
                            signing_input.size());
  if (rc != 1) return Invalid("signature does not verify");
  return Status::OK();
}

// Returns true when the fixed-width big-endian `value` is in [1, n-1] for the same-width
// big-endian group order `order`.
bool InOpenRange(std::string_view value, std::string_view order) {
  bool zero = std::all_of(value.begin(), value.end(), [](char c) { return c == 0; });
  return !zero && std::memcmp(value.data(), order.data(), value.size()) < 0;
}

// The largest DER ECDSA signature: P-521, two 66-byte integers each with a sign pad.
constexpr size_t kMaxDerSignature = 3 + 2 * (3 + 67);

// Writes `length` as a DER length at out[*at]. Lengths here are < 256.
void PutDerLength(unsigned char* out, size_t* at, size_t length) {
  if (length >= 128) out[(*at)++] = 0x81;
  out[(*at)++] = static_cast<unsigned char>(length);
}

// Returns the size of `value` (unsigned big-endian) as a minimal DER INTEGER's content.
std::string_view MinimalInteger(std::string_view value) {
  size_t skip = 0;
  while (skip + 1 < value.size() && value[skip] == 0) ++skip;
  return value.substr(skip);
}

// Writes `value` (already minimal) as a DER INTEGER at out[*at].
void PutDerInteger(unsigned char* out, size_t* at, std::string_view value) {
  const bool sign_pad = (static_cast<unsigned char>(value.front()) & 0x80) != 0;
  out[(*at)++] = 0x02;
  PutDerLength(out, at, value.size() + (sign_pad ? 1 : 0));
  if (sign_pad) out[(*at)++] = 0;
  std::memcpy(out + *at, value.data(), value.size());
  *at += value.size();
}

// Re-encodes a P1363 r||s signature as the DER SEQUENCE OpenSSL verifies into `der` (no
// allocation), after checking 1 <= r, s < n. This is encoding only: every arithmetic check
// is OpenSSL's. Returns the DER length.
// REQUIRES: sig.size() == 2 * key.ec_order().size() <= 132.
Result<size_t> EcdsaToDer(const Jwk& key, std::string_view sig,
                          std::array<unsigned char, kMaxDerSignature>& der) {
  const size_t half = sig.size() / 2;
  std::string_view r = sig.substr(0, half);
  std::string_view s = sig.substr(half);
  bool r_ok = InOpenRange(r, key.ec_order());
  if (!r_ok || !InOpenRange(s, key.ec_order())) {
    return Invalid(std::string("ECDSA ") + (r_ok ? "s" : "r") +
                   " is outside [1, n-1] (CVE-2022-21449 class)");
  }
  r = MinimalInteger(r);
  s = MinimalInteger(s);
  auto integer_size = [](std::string_view v) {
    size_t content = v.size() + ((static_cast<unsigned char>(v.front()) & 0x80) != 0 ? 1 : 0);
    return 1 + (content >= 128 ? 2 : 1) + content;
  };
  const size_t body = integer_size(r) + integer_size(s);
  size_t at = 0;
  der[at++] = 0x30;
  PutDerLength(der.data(), &at, body);
  PutDerInteger(der.data(), &at, r);
  PutDerInteger(der.data(), &at, s);
  return at;
}

struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

// Verification contexts prepared once per (key, algorithm) and thread, so that a token
// costs one digest and one verify rather than a fresh EVP_DigestVerifyInit (a provider
// fetch, context allocation and key reference per call: ~10 us for ES256 on OpenSSL 3.0).
// ECDSA keeps an EVP_PKEY_CTX after EVP_PKEY_verify_init, which EVP_PKEY_verify(3)
// allows to be used for several operations with the same parameters; Ed25519 keeps an
// EVP_MD_CTX after EVP_DigestVerifyInit for the one-shot EVP_DigestVerify.
//
// An entry holds its own reference to the EVP_PKEY, so the key object outlives the entry
// and its address cannot be reused by another key while the entry exists: the address is
// a safe lookup key even after a key set is rotated away. Entries are per thread because
// OpenSSL contexts are not thread-safe; the table is small and evicts round-robin.
class PreparedVerifiers {
 public:
  struct Entry {
    EVP_PKEY* pkey = nullptr;  // Owned reference (EVP_PKEY_up_ref), or nullptr when unused.
    JwsAlgorithm alg = JwsAlgorithm::kES256;
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> pkey_ctx;  // ECDSA.
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> md_ctx;         // Ed25519.
  };

  PreparedVerifiers() = default;
  PreparedVerifiers(const PreparedVerifiers&) = delete;
  PreparedVerifiers& operator=(const PreparedVerifiers&) = delete;
  ~PreparedVerifiers() {
    for (Entry& e : entries_) Reset(&e);
  }

  // Returns the prepared entry for (key, alg), preparing it on first use; nullptr when
  // OpenSSL cannot set it up (the caller reports kInternal).
  // REQUIRES: key.pkey() != nullptr and alg is ES* or EdDSA.
  Entry* Get(const Jwk& key, JwsAlgorithm alg) {
    for (Entry& e : entries_) {
      if (e.pkey == key.pkey() && e.alg == alg) return &e;
    }
    Entry& e = entries_[next_];
    next_ = (next_ + 1) % entries_.size();
    Reset(&e);
    if (FamilyOf(alg) == JwsAlgorithmFamily::kEdDSA) {
      e.md_ctx.reset(EVP_MD_CTX_new());
      if (!e.md_ctx ||
          EVP_DigestVerifyInit(e.md_ctx.get(), nullptr, nullptr, nullptr, key.pkey()) != 1) {
        Reset(&e);
        return nullptr;
      }
    } else {
      e.pkey_ctx.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, key.pkey(), nullptr));
      if (!e.pkey_ctx || EVP_PKEY_verify_init(e.pkey_ctx.get()) != 1) {
        Reset(&e);
        return nullptr;
      }
    }
    if (EVP_PKEY_up_ref(key.pkey()) != 1) {
      Reset(&e);
      return nullptr;
    }
    e.pkey = key.pkey();
    e.alg = alg;
    return &e;
  }

  // Drops `entry` (after an OpenSSL error, so a context in an unknown state is not reused).
  static void Reset(Entry* entry) {
    entry->pkey_ctx.reset();
    entry->md_ctx.reset();
    if (entry->pkey != nullptr) EVP_PKEY_free(entry->pkey);
    entry->pkey = nullptr;
  }

 private:
  std::array<Entry, 8> entries_;
  size_t next_ = 0;
};

PreparedVerifiers& ThreadVerifiers() {
  thread_local PreparedVerifiers verifiers;
  return verifiers;
}

// The digests of ES256/384/512, fetched once: EVP_sha256() and friends make OpenSSL 3 look
// the implementation up again on every use. Immutable and shared by all threads.
const EVP_MD* FetchedDigest(JwsAlgorithm alg) {
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static EVP_MD* const kSha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  static EVP_MD* const kSha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  switch (DigestSize(alg)) {
    case 32: return kSha256;
    case 48: return kSha384;
    default: return kSha512;
  }
}

// Verifies an ECDSA DER signature: the hash of `signing_input` with the algorithm's digest,
// then EVP_PKEY_verify with the prepared context (what EVP_DigestVerify does internally).
Status VerifyEcdsa(const Jwk& key, JwsAlgorithm alg, std::string_view signing_input,
                   const unsigned char* der, size_t der_size) {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> md_ctx(EVP_MD_CTX_new());
  const EVP_MD* md = FetchedDigest(alg);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (md == nullptr || !md_ctx || EVP_DigestInit_ex2(md_ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(md_ctx.get(), signing_input.data(), signing_input.size()) != 1 ||
      EVP_DigestFinal_ex(md_ctx.get(), digest, &digest_size) != 1 ||
      digest_size != DigestSize(alg)) {
    ERR_clear_error();
    return Internal(std::string("OpenSSL: digest failed for ") + std::string(JwsAlgorithmName(alg)));
  }
  PreparedVerifiers::Entry* prepared = ThreadVerifiers().Get(key, alg);
  if (prepared == nullptr) {
    ERR_clear_error();
    return Internal(std::string("OpenSSL: cannot prepare verification for ") +
                    std::string(JwsAlgorithmName(alg)));
  }
  int rc = EVP_PKEY_verify(prepared->pkey_ctx.get(), der, der_size, digest, digest_size);
  if (rc < 0) PreparedVerifiers::Reset(prepared);
  if (rc != 1) return Invalid("signature does not verify");
  return Status::OK();
}

// Verifies an Ed25519 signature with the prepared one-shot EVP_DigestVerify context.
Status VerifyEd25519(const Jwk& key, std::string_view signing_input, std::string_view sig) {
  PreparedVerifiers::Entry* prepared = ThreadVerifiers().Get(key, JwsAlgorithm::kEdDSA);
  if (prepared == nullptr) {
    ERR_clear_error();
    return Internal("OpenSSL: cannot prepare verification for EdDSA");
  }
  int rc = EVP_DigestVerify(prepared->md_ctx.get(), Bytes(sig), sig.size(), Bytes(signing_input),
                            signing_input.size());
  if (rc < 0) PreparedVerifiers::Reset(prepared);
  if (rc != 1) return Invalid("signature does not verify");
  return Status::OK();
}

}  // namespace

const EVP_MD* EvpDigestFor(JwsAlgorithm alg) {
  if (alg == JwsAlgorithm::kEdDSA) return nullptr;
  switch (DigestSize(alg)) {
    case 32: return EVP_sha256();
    case 48: return EVP_sha384();
    default: return EVP_sha512();
  }
}

Status VerifyJwsSignature(const Jwk& key, JwsAlgorithm alg, std::string_view signing_input,
                          std::string_view signature) {
  if (key.alg() != alg) {
    return Invalid(std::string("key is bound to ") + std::string(JwsAlgorithmName(key.alg())) +
                   ", token says " + std::string(JwsAlgorithmName(alg)));
  }
  if (signature.size() != key.signature_size()) {
    return Invalid(std::string("signature is ") + std::to_string(signature.size()) + " bytes; " +
                   std::string(JwsAlgorithmName(alg)) + " with this key requires exactly " +
                   std::to_string(key.signature_size()));
  }
  switch (FamilyOf(alg)) {
    case JwsAlgorithmFamily::kHmac: {
      unsigned char mac[EVP_MAX_MD_SIZE];
      size_t mac_len = 0;
      if (EVP_Q_mac(nullptr, "HMAC", nullptr, DigestName(alg), nullptr, Bytes(key.k()),
                    key.k().size(), Bytes(signing_input), signing_input.size(), mac,
                    sizeof(mac), &mac_len) == nullptr) {
        ERR_clear_error();
        return Internal("OpenSSL: HMAC failed");
      }
      if (mac_len != signature.size() ||
          CRYPTO_memcmp(mac, signature.data(), signature.size()) != 0) {
        return Invalid("signature does not verify");
      }
      return Status::OK();
    }
    case JwsAlgorithmFamily::kEcdsa: {
      std::array<unsigned char, kMaxDerSignature> der;
      TB_ASSIGN_OR_RETURN(size_t der_size, EcdsaToDer(key, signature, der));
      return VerifyEcdsa(key, alg, signing_input, der.data(), der_size);
    }
    case JwsAlgorithmFamily::kEdDSA:
      return VerifyEd25519(key, signing_input, signature);
    case JwsAlgorithmFamily::kRsaPkcs1:
    case JwsAlgorithmFamily::kRsaPss:
      return EvpVerify(key, alg, signing_input, signature);
  }
  return Internal("unreachable algorithm family");
}

}  // namespace trailbook::auth
