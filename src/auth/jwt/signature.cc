#include "auth/jwt/signature.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
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

void AppendDerLength(std::string* out, size_t length) {
  if (length >= 128) out->push_back(static_cast<char>(0x81));  // Lengths here are < 256.
  out->push_back(static_cast<char>(length));
}

// Appends `value` (unsigned big-endian) as a minimal DER INTEGER.
void AppendDerInteger(std::string* out, std::string_view value) {
  size_t skip = 0;
  while (skip + 1 < value.size() && value[skip] == 0) ++skip;
  value.remove_prefix(skip);
  const bool sign_pad = (static_cast<unsigned char>(value.front()) & 0x80) != 0;
  out->push_back(0x02);
  AppendDerLength(out, value.size() + (sign_pad ? 1 : 0));
  if (sign_pad) out->push_back('\0');
  out->append(value);
}

// Re-encodes a P1363 r||s signature as the DER SEQUENCE OpenSSL verifies, after checking
// 1 <= r, s < n. This is encoding only: every arithmetic check is OpenSSL's.
// REQUIRES: sig.size() == 2 * key.ec_order().size().
Result<std::string> EcdsaToDer(const Jwk& key, std::string_view sig) {
  const size_t half = sig.size() / 2;
  std::string_view r = sig.substr(0, half);
  std::string_view s = sig.substr(half);
  bool r_ok = InOpenRange(r, key.ec_order());
  if (!r_ok || !InOpenRange(s, key.ec_order())) {
    return Invalid(std::string("ECDSA ") + (r_ok ? "s" : "r") +
                   " is outside [1, n-1] (CVE-2022-21449 class)");
  }
  std::string integers;
  integers.reserve(2 * half + 6);
  AppendDerInteger(&integers, r);
  AppendDerInteger(&integers, s);
  std::string der;
  der.reserve(integers.size() + 3);
  der.push_back(0x30);
  AppendDerLength(&der, integers.size());
  der.append(integers);
  return der;
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
      TB_ASSIGN_OR_RETURN(std::string der, EcdsaToDer(key, signature));
      return EvpVerify(key, alg, signing_input, der);
    }
    case JwsAlgorithmFamily::kRsaPkcs1:
    case JwsAlgorithmFamily::kRsaPss:
    case JwsAlgorithmFamily::kEdDSA:
      return EvpVerify(key, alg, signing_input, signature);
  }
  return Internal("unreachable algorithm family");
}

}  // namespace trailbook::auth
