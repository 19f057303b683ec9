#include "auth/jwt/signer.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

#include "auth/jwt/signature.h"
#include "crypto/digest.h"

namespace trailbook::auth {
namespace {

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct EcdsaSigDeleter {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Refuses passphrase prompts: encrypted PEM keys fail to load instead of reading a tty.
int NoPassphrase(char*, int, int, void*) { return -1; }

}  // namespace

Signer::Signer(EvpPkeyPtr private_key, Jwk verification_key)
    : private_key_(std::move(private_key)), verification_key_(std::move(verification_key)) {}
Signer::Signer(Signer&&) noexcept = default;
Signer& Signer::operator=(Signer&&) noexcept = default;
Signer::~Signer() = default;

Result<Signer> Signer::FromPrivateKeyPem(std::string_view pem, JwsAlgorithm alg,
                                         std::optional<std::string> kid) {
  if (IsHmac(alg)) return InvalidArgument("HMAC keys are not PEM; use a secret JWK");
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Internal("OpenSSL: BIO_new_mem_buf failed");
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr);
  if (raw == nullptr) {
    ERR_clear_error();
    return InvalidArgument("not an unencrypted PEM private key");
  }
  EvpPkeyPtr key(raw);
  Result<Jwk> public_key = Jwk::FromEvpPublicKey(key.get(), alg, std::move(kid));
  if (!public_key.ok()) {
    return public_key.status().WithContext(std::string("private key does not fit ") +
                                           std::string(JwsAlgorithmName(alg)));
  }
  return Signer(std::move(key), std::move(public_key).value());
}

Result<Signer> Signer::FromHmacSecret(std::string_view secret, JwsAlgorithm alg,
                                      std::optional<std::string> kid) {
  TB_ASSIGN_OR_RETURN(Jwk key, Jwk::FromOct(secret, alg, std::move(kid)));
  return Signer(nullptr, std::move(key));
}

Result<Signer> Signer::Generate(JwsAlgorithm alg, std::optional<std::string> kid, int rsa_bits) {
  EVP_PKEY* raw = nullptr;
  switch (FamilyOf(alg)) {
    case JwsAlgorithmFamily::kHmac: {
      std::string secret;
      TB_RETURN_IF_ERROR(crypto::RandomBytes(DigestSize(alg), &secret));
      return FromHmacSecret(secret, alg, std::move(kid));
    }
    case JwsAlgorithmFamily::kRsaPkcs1:
    case JwsAlgorithmFamily::kRsaPss:
      if (rsa_bits < kMinRsaBits || rsa_bits > kMaxRsaBits) {
        return InvalidArgument(std::string("RSA key size must be in [") + std::to_string(kMinRsaBits) + ", " +
                               std::to_string(kMaxRsaBits) + "]");
      }
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(rsa_bits));
      break;
    case JwsAlgorithmFamily::kEcdsa: {
      const char* curve = alg == JwsAlgorithm::kES256   ? "P-256"
                          : alg == JwsAlgorithm::kES384 ? "P-384"
                                                        : "P-521";
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
      break;
    }
    case JwsAlgorithmFamily::kEdDSA:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  if (raw == nullptr) {
    ERR_clear_error();
    return Internal(std::string("OpenSSL: key generation failed for ") + std::string(JwsAlgorithmName(alg)));
  }
  EvpPkeyPtr key(raw);
  TB_ASSIGN_OR_RETURN(Jwk public_key, Jwk::FromEvpPublicKey(key.get(), alg, std::move(kid)));
  return Signer(std::move(key), std::move(public_key));
}

Result<std::string> Signer::Sign(std::string_view signing_input) const {
  const JwsAlgorithm algorithm = alg();
  if (IsHmac(algorithm)) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t mac_len = 0;
    const std::string& k = verification_key_.k();
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, DigestName(algorithm), nullptr, Bytes(k), k.size(),
                  Bytes(signing_input), signing_input.size(), mac, sizeof(mac),
                  &mac_len) == nullptr) {
      ERR_clear_error();
      return Internal("OpenSSL: HMAC failed");
    }
    return std::string(reinterpret_cast<const char*>(mac), mac_len);
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, EvpDigestFor(algorithm), nullptr,
                                 private_key_.get()) != 1) {
    ERR_clear_error();
    return Internal("OpenSSL: EVP_DigestSignInit failed");
  }
  if (FamilyOf(algorithm) == JwsAlgorithmFamily::kRsaPss) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EvpDigestFor(algorithm)) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
      ERR_clear_error();
      return Internal("OpenSSL: cannot configure RSASSA-PSS");
    }
  }
  size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, Bytes(signing_input), signing_input.size()) != 1) {
    ERR_clear_error();
    return Internal("OpenSSL: EVP_DigestSign (size) failed");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     Bytes(signing_input), signing_input.size()) != 1) {
    ERR_clear_error();
    return Internal("OpenSSL: EVP_DigestSign failed");
  }
  sig.resize(len);
  if (FamilyOf(algorithm) != JwsAlgorithmFamily::kEcdsa) return sig;
  // ECDSA: DER -> P1363 r||s, each padded to the field size.
  const unsigned char* p = Bytes(sig);
  std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> ecdsa(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())));
  if (!ecdsa) return Internal("OpenSSL: d2i_ECDSA_SIG failed");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(ecdsa.get(), &r, &s);
  const size_t half = verification_key_.signature_size() / 2;
  std::string out(2 * half, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(r, dst, static_cast<int>(half)) < 0 ||
      BN_bn2binpad(s, dst + half, static_cast<int>(half)) < 0) {
    return Internal("OpenSSL: ECDSA component does not fit the field size");
  }
  return out;
}

Result<std::string> Signer::PrivateKeyPem() const {
  if (!private_key_) return InvalidArgument("HMAC secrets have no PEM form");
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), private_key_.get(), nullptr, nullptr, 0,
                                       nullptr, nullptr) != 1) {
    ERR_clear_error();
    return Internal("OpenSSL: PEM_write_bio_PrivateKey failed");
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<size_t>(len));
  return pem;
}

}  // namespace trailbook::auth
