#include "snapshot/snapshot_key.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <utility>

#include "auth/jwks/key_files.h"
#include "base/status.h"
#include "crypto/digest.h"

namespace trailbook::snapshot {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct EcdsaSigDeleter {
  void operator()(ECDSA_SIG* sig) const { ECDSA_SIG_free(sig); }
};
struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

constexpr size_t kP256FieldBytes = 32;

// Converts a JOSE ECDSA signature (r || s, fixed width) into DER (what openssl emits).
Result<std::string> JoseToDer(std::string_view jose) {
  if (jose.size() != 2 * kP256FieldBytes) return Internal("unexpected ES256 signature length");
  std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(jose.data()),
                        static_cast<int>(kP256FieldBytes), nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(jose.data() + kP256FieldBytes),
                        static_cast<int>(kP256FieldBytes), nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return Internal("OpenSSL could not build an ECDSA signature");
  }
  int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) return Internal("OpenSSL could not encode an ECDSA signature");
  std::string der(static_cast<size_t>(len), '\0');
  unsigned char* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &out) != len) {
    return Internal("OpenSSL could not encode an ECDSA signature");
  }
  return der;
}

Status CheckAlgorithmAndKid(const auth::Signer& signer) {
  if (!IsSnapshotAlgorithm(signer.alg())) {
    return InvalidArgument("snapshot signing keys must be EdDSA (Ed25519) or ES256, not " +
                           std::string(auth::JwsAlgorithmName(signer.alg())));
  }
  if (!signer.kid() || signer.kid()->empty()) {
    return InvalidArgument("snapshot signing key has no kid (generate it with trailbook keygen --kid)");
  }
  return Status::OK();
}

}  // namespace

std::string_view SignatureAlgorithmName(auth::JwsAlgorithm alg) {
  switch (alg) {
    case auth::JwsAlgorithm::kEdDSA: return "Ed25519";
    case auth::JwsAlgorithm::kES256: return "ECDSA-P256-SHA256";
    default: return "";
  }
}

bool IsSnapshotAlgorithm(auth::JwsAlgorithm alg) {
  return alg == auth::JwsAlgorithm::kEdDSA || alg == auth::JwsAlgorithm::kES256;
}

Result<std::string> PublicKeySha256(const auth::Jwk& key) {
  if (key.pkey() == nullptr) return InvalidArgument("a symmetric key has no public key");
  int len = i2d_PUBKEY(key.pkey(), nullptr);
  if (len <= 0) return Internal("OpenSSL could not encode the public key");
  std::string der(static_cast<size_t>(len), '\0');
  unsigned char* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_PUBKEY(key.pkey(), &out) != len) return Internal("OpenSSL could not encode the public key");
  return crypto::ToHex(crypto::Sha256(der));
}

Result<std::string> PublicKeyPem(const auth::Jwk& key) {
  if (key.pkey() == nullptr) return InvalidArgument("a symmetric key has no public key");
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio.get(), key.pkey()) != 1) {
    return Internal("OpenSSL could not write the public key PEM");
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || data == nullptr) return Internal("OpenSSL wrote an empty public key PEM");
  return std::string(data, static_cast<size_t>(len));
}

Status VerifySnapshotSignature(const auth::Jwk& key, std::string_view message,
                               std::string_view signature) {
  const EVP_MD* md = nullptr;
  if (key.alg() == auth::JwsAlgorithm::kES256) {
    md = EVP_sha256();
  } else if (key.alg() != auth::JwsAlgorithm::kEdDSA) {
    return InvalidArgument("snapshot keys are EdDSA or ES256, not " +
                           std::string(auth::JwsAlgorithmName(key.alg())));
  }
  if (key.pkey() == nullptr) return InvalidArgument("the verification key has no public key");
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key.pkey()) != 1) {
    return Internal("OpenSSL could not set up signature verification");
  }
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size());
  if (rc != 1) return Unauthenticated("signature does not verify");
  return Status::OK();
}

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return InvalidArgument("base64 length is not a multiple of 4");
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || (c == '=' && i + 2 >= text.size());
    if (!ok) return InvalidArgument("invalid base64 character at offset " + std::to_string(i));
  }
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return InvalidArgument("invalid base64");
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  if (Base64Encode(out) != text) return InvalidArgument("non-canonical base64");
  return out;
}

Result<SnapshotSigningKey> SnapshotSigningKey::LoadFile(const std::string& path) {
  TB_ASSIGN_OR_RETURN(auth::Signer signer, auth::LoadSigningKeyFile(path));
  Result<SnapshotSigningKey> key = FromSigner(std::move(signer));
  if (!key.ok()) return key.status().WithContext(path);
  return key;
}

Result<SnapshotSigningKey> SnapshotSigningKey::FromSigner(auth::Signer signer) {
  TB_RETURN_IF_ERROR(CheckAlgorithmAndKid(signer));
  SnapshotSigningKey key(std::move(signer));
  key.key_id_ = *key.signer_.kid();
  TB_ASSIGN_OR_RETURN(key.public_key_pem_, PublicKeyPem(key.public_jwk()));
  TB_ASSIGN_OR_RETURN(key.public_key_sha256_, PublicKeySha256(key.public_jwk()));
  return key;
}

Result<std::string> SnapshotSigningKey::Sign(std::string_view message) const {
  TB_ASSIGN_OR_RETURN(std::string jose, signer_.Sign(message));
  if (alg() == auth::JwsAlgorithm::kES256) return JoseToDer(jose);
  return jose;
}

Status SnapshotSigningKey::CheckNotIssuerKey(const auth::JwkSet& issuer_keys) const {
  for (const auth::Jwk& issuer_key : issuer_keys.keys()) {
    if (issuer_key.pkey() == nullptr) continue;
    Result<std::string> fingerprint = PublicKeySha256(issuer_key);
    if (fingerprint.ok() && crypto::ConstantTimeEquals(*fingerprint, public_key_sha256_)) {
      return PermissionDenied("the snapshot signing key (kid \"" + key_id_ +
                              "\") is a token issuer's key; snapshots must be signed with the "
                              "runner's own key");
    }
  }
  return Status::OK();
}

}  // namespace trailbook::snapshot
