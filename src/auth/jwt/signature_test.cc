#include "auth/jwt/signature.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/jwt/signer.h"

namespace trailbook::auth {
namespace {

constexpr std::string_view kInput = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0";

Signer Generate(JwsAlgorithm alg) {
  Result<Signer> s = Signer::Generate(alg, "k", 2048);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

class SignatureRoundTripTest : public ::testing::TestWithParam<JwsAlgorithm> {};

TEST_P(SignatureRoundTripTest, SignsAndVerifiesAndRejectsEveryBitFlip) {
  Signer signer = Generate(GetParam());
  Result<std::string> sig = signer.Sign(kInput);
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_EQ(sig->size(), signer.verification_key().signature_size());
  EXPECT_TRUE(VerifyJwsSignature(signer.verification_key(), GetParam(), kInput, *sig).ok());
  for (size_t i = 0; i < sig->size(); i += 7) {
    std::string bad = *sig;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    Status s = VerifyJwsSignature(signer.verification_key(), GetParam(), kInput, bad);
    EXPECT_EQ(s.code(), StatusCode::kUnauthenticated) << "byte " << i;
  }
  std::string input(kInput);
  input.back() = 'A';
  EXPECT_FALSE(VerifyJwsSignature(signer.verification_key(), GetParam(), input, *sig).ok());
  EXPECT_FALSE(VerifyJwsSignature(signer.verification_key(), GetParam(), kInput,
                                  sig->substr(0, sig->size() - 1)).ok());
  EXPECT_FALSE(VerifyJwsSignature(signer.verification_key(), GetParam(), kInput, *sig + '\0').ok());
  EXPECT_FALSE(VerifyJwsSignature(signer.verification_key(), GetParam(), kInput, "").ok());
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, SignatureRoundTripTest,
                         ::testing::Values(JwsAlgorithm::kHS256, JwsAlgorithm::kHS384,
                                           JwsAlgorithm::kHS512, JwsAlgorithm::kRS256,
                                           JwsAlgorithm::kRS384, JwsAlgorithm::kRS512,
                                           JwsAlgorithm::kPS256, JwsAlgorithm::kPS384,
                                           JwsAlgorithm::kPS512, JwsAlgorithm::kES256,
                                           JwsAlgorithm::kES384, JwsAlgorithm::kES512,
                                           JwsAlgorithm::kEdDSA),
                         [](const auto& param_info) { return std::string(JwsAlgorithmName(param_info.param)); });

TEST(SignatureTest, RejectsKeyBoundToAnotherAlgorithmBeforeCrypto) {
  Signer rs = Generate(JwsAlgorithm::kRS256);
  Result<std::string> sig = rs.Sign(kInput);
  ASSERT_TRUE(sig.ok());
  Status s = VerifyJwsSignature(rs.verification_key(), JwsAlgorithm::kPS256, kInput, *sig);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("bound to RS256"), std::string::npos);
}

TEST(SignatureTest, EcdsaRejectsDerAndOutOfRangeComponents) {
  Signer es = Generate(JwsAlgorithm::kES256);
  const Jwk& key = es.verification_key();
  Result<std::string> sig = es.Sign(kInput);
  ASSERT_TRUE(sig.ok());
  // r = s = 0 (CVE-2022-21449 "psychic signature").
  Status zero = VerifyJwsSignature(key, JwsAlgorithm::kES256, kInput, std::string(64, '\0'));
  EXPECT_NE(zero.message().find("outside [1, n-1]"), std::string::npos) << zero.message();
  // r = n (P-256 order), s valid.
  static constexpr char kOrder[] =
      "\xff\xff\xff\xff\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff"
      "\xbc\xe6\xfa\xad\xa7\x17\x9e\x84\xf3\xb9\xca\xc2\xfc\x63\x25\x51";
  const std::string n(kOrder, 32);
  EXPECT_FALSE(VerifyJwsSignature(key, JwsAlgorithm::kES256, kInput, n + sig->substr(32)).ok());
  EXPECT_FALSE(VerifyJwsSignature(key, JwsAlgorithm::kES256, kInput, sig->substr(0, 32) + n).ok());
  EXPECT_FALSE(VerifyJwsSignature(key, JwsAlgorithm::kES256, kInput, std::string(64, '\xff')).ok());
  // A DER encoding of a valid signature is not the JOSE form.
  std::string der = std::string("\x30\x44\x02\x20") + sig->substr(0, 32) + "\x02\x20" + sig->substr(32);
  Status s = VerifyJwsSignature(key, JwsAlgorithm::kES256, kInput, der);
  EXPECT_NE(s.message().find("requires exactly 64"), std::string::npos) << s.message();
}

TEST(SignatureTest, PssRequiresSaltOfHashLength) {
  Signer ps = Generate(JwsAlgorithm::kPS256);
  Result<std::string> pem = ps.PrivateKeyPem();
  ASSERT_TRUE(pem.ok());
  // Sign with salt length 0 through raw OpenSSL: a valid PSS signature, but not PS256.
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(pkey, nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  ASSERT_EQ(EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), nullptr, pkey), 1);
  EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 0);
  size_t len = 0;
  EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(kInput.data()), kInput.size());
  std::string sig(len, '\0');
  ASSERT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(kInput.data()), kInput.size()), 1);
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  EXPECT_FALSE(VerifyJwsSignature(ps.verification_key(), JwsAlgorithm::kPS256, kInput, sig).ok());
}

TEST(SignatureTest, HmacRejectsTruncatedTag) {
  Signer hs = Generate(JwsAlgorithm::kHS256);
  Result<std::string> tag = hs.Sign(kInput);
  ASSERT_TRUE(tag.ok());
  EXPECT_FALSE(VerifyJwsSignature(hs.verification_key(), JwsAlgorithm::kHS256, kInput,
                                  tag->substr(0, 16)).ok());
}

TEST(SignatureTest, Ed25519AndRsaAreDeterministic) {
  for (JwsAlgorithm alg : {JwsAlgorithm::kEdDSA, JwsAlgorithm::kRS256, JwsAlgorithm::kHS256}) {
    Signer s = Generate(alg);
    EXPECT_EQ(*s.Sign(kInput), *s.Sign(kInput)) << JwsAlgorithmName(alg);
  }
}

TEST(SignatureTest, SignerLoadsItsOwnPemAndRejectsMismatches) {
  Signer es = Generate(JwsAlgorithm::kES256);
  Result<std::string> pem = es.PrivateKeyPem();
  ASSERT_TRUE(pem.ok());
  Result<Signer> again = Signer::FromPrivateKeyPem(std::string("comment line\n") + *pem, JwsAlgorithm::kES256, "k");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->verification_key().x(), es.verification_key().x());
  EXPECT_FALSE(Signer::FromPrivateKeyPem(*pem, JwsAlgorithm::kES384, "k").ok());
  EXPECT_FALSE(Signer::FromPrivateKeyPem(*pem, JwsAlgorithm::kRS256, "k").ok());
  EXPECT_FALSE(Signer::FromPrivateKeyPem("not a pem", JwsAlgorithm::kES256, "k").ok());
  EXPECT_FALSE(Signer::Generate(JwsAlgorithm::kRS256, "k", 1024).ok());
}

// The verifier keeps prepared OpenSSL contexts per key and thread; a context must give the
// same verdicts however often it is reused, and valid and invalid signatures interleave.
TEST(SignatureTest, PreparedContextsGiveTheSameVerdictOnEveryReuse) {
  for (JwsAlgorithm alg : {JwsAlgorithm::kES256, JwsAlgorithm::kES384, JwsAlgorithm::kES512,
                           JwsAlgorithm::kEdDSA}) {
    Signer signer = Generate(alg);
    Result<std::string> sig = signer.Sign(kInput);
    ASSERT_TRUE(sig.ok());
    std::string bad = *sig;
    bad[bad.size() / 3] = static_cast<char>(bad[bad.size() / 3] ^ 0x20);
    for (int round = 0; round < 4; ++round) {
      EXPECT_TRUE(VerifyJwsSignature(signer.verification_key(), alg, kInput, *sig).ok())
          << JwsAlgorithmName(alg) << " round " << round;
      EXPECT_FALSE(VerifyJwsSignature(signer.verification_key(), alg, kInput, bad).ok())
          << JwsAlgorithmName(alg) << " round " << round;
      EXPECT_FALSE(VerifyJwsSignature(signer.verification_key(), alg, "x.y", *sig).ok())
          << JwsAlgorithmName(alg) << " round " << round;
    }
  }
}

// More keys than the per-thread table holds, used in turns, and keys destroyed and replaced
// (a new key may reuse the old one's address): each signature verifies only under its key.
TEST(SignatureTest, PreparedContextsNeverMixUpKeys) {
  std::vector<Signer> signers;
  std::vector<std::string> sigs;
  for (int i = 0; i < 12; ++i) {
    signers.push_back(Generate(i % 2 == 0 ? JwsAlgorithm::kES256 : JwsAlgorithm::kEdDSA));
    Result<std::string> sig = signers.back().Sign(kInput);
    ASSERT_TRUE(sig.ok());
    sigs.push_back(*sig);
  }
  for (int pass = 0; pass < 3; ++pass) {
    for (size_t i = 0; i < signers.size(); ++i) {
      const Jwk& key = signers[i].verification_key();
      EXPECT_TRUE(VerifyJwsSignature(key, key.alg(), kInput, sigs[i]).ok()) << i;
      size_t other = (i + 2) % signers.size();  // Same algorithm, another key.
      EXPECT_FALSE(VerifyJwsSignature(key, key.alg(), kInput, sigs[other]).ok()) << i;
    }
  }
  for (int replace = 0; replace < 6; ++replace) {
    JwsAlgorithm alg = replace % 2 == 0 ? JwsAlgorithm::kES256 : JwsAlgorithm::kEdDSA;
    std::string old_sig;
    {
      Signer old_signer = Generate(alg);
      old_sig = *old_signer.Sign(kInput);
      EXPECT_TRUE(VerifyJwsSignature(old_signer.verification_key(), alg, kInput, old_sig).ok());
    }
    Signer fresh = Generate(alg);
    EXPECT_FALSE(VerifyJwsSignature(fresh.verification_key(), alg, kInput, old_sig).ok());
    EXPECT_TRUE(VerifyJwsSignature(fresh.verification_key(), alg, kInput, *fresh.Sign(kInput)).ok());
  }
}

}  // namespace
}  // namespace trailbook::auth
