#include "auth/jwt/signature.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>
#include <string>

namespace trailbook::auth {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct EcdsaSigDeleter {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
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
  if (FamilyOf(alg) == JwsAlgorithmFamily::kRsaPss) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EvpDigestFor(alg)) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
      ERR_clear_error();
      return Internal("OpenSSL: cannot configure RSASSA-PSS");
    }
  } else if (FamilyOf(alg) == JwsAlgorithmFamily::kRsaPkcs1) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
      ERR_clear_error();
      return Internal("OpenSSL: cannot configure RSASSA-PKCS1-v1_5");
    }
  }
  int rc = EVP_DigestVerify(ctx.get(), Bytes(sig), sig.size(), Bytes(signing_input),
                            signing_input.size());
  if (rc != 1) return Invalid("signature does not verify");
  return Status::OK();
}

// Converts a P1363 r||s signature to DER after checking 1 <= r, s < n.
Result<std::string> EcdsaToDer(const Jwk& key, std::string_view sig) {
  const size_t half = sig.size() / 2;
  BIGNUM* r = BN_bin2bn(Bytes(sig), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(Bytes(sig) + half, static_cast<int>(half), nullptr);
  std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> ecdsa(ECDSA_SIG_new());
  if (r == nullptr || s == nullptr || !ecdsa) {
    BN_free(r);
    BN_free(s);
    return Internal("OpenSSL: cannot allocate ECDSA signature");
  }
  const BIGNUM* order = key.ec_order();
  bool r_ok = !BN_is_zero(r) && !BN_is_negative(r) && BN_cmp(r, order) < 0;
  bool s_ok = !BN_is_zero(s) && !BN_is_negative(s) && BN_cmp(s, order) < 0;
  if (!r_ok || !s_ok) {
    BN_free(r);
    BN_free(s);
    return Invalid(std::string("ECDSA ") + (r_ok ? "s" : "r") +
                   " is outside [1, n-1] (CVE-2022-21449 class)");
  }
  ECDSA_SIG_set0(ecdsa.get(), r, s);  // Takes ownership of r and s.
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(ecdsa.get(), &der);
  if (der_len <= 0) return Internal("OpenSSL: i2d_ECDSA_SIG failed");
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(der_len));
  OPENSSL_free(der);
  return out;
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
