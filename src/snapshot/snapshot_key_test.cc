#include "snapshot/snapshot_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "snapshot/snapshot_verifier.h"
#include "snapshot/testing/snapshot_testing.h"

namespace trailbook::snapshot {
namespace {

using testing::MakeKeyFiles;
using testing::ScratchDir;

TEST(SnapshotKeyTest, SignsAndVerifiesWithEd25519AndEs256) {
  for (auth::JwsAlgorithm alg : {auth::JwsAlgorithm::kEdDSA, auth::JwsAlgorithm::kES256}) {
    ScratchDir dir;
    Result<testing::TestKeys> keys = MakeKeyFiles(dir.path(), alg, "runner-1");
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    Result<SnapshotSigningKey> key = SnapshotSigningKey::LoadFile(keys->private_key_path);
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(key->key_id(), "runner-1");
    EXPECT_EQ(key->public_key_sha256().size(), 64u);
    EXPECT_NE(key->public_key_pem().find("BEGIN PUBLIC KEY"), std::string::npos);
    Result<std::string> sig = key->Sign("manifest bytes");
    ASSERT_TRUE(sig.ok());
    if (alg == auth::JwsAlgorithm::kES256) {
      EXPECT_EQ(static_cast<unsigned char>((*sig)[0]), 0x30);  // DER SEQUENCE, not r||s
    } else {
      EXPECT_EQ(sig->size(), 64u);
    }
    EXPECT_TRUE(VerifySnapshotSignature(key->public_jwk(), "manifest bytes", *sig).ok());
    Status bad = VerifySnapshotSignature(key->public_jwk(), "manifest bytez", *sig);
    EXPECT_EQ(bad.code(), StatusCode::kUnauthenticated);
    std::string flipped = *sig;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 1);
    EXPECT_FALSE(VerifySnapshotSignature(key->public_jwk(), "manifest bytes", flipped).ok());
  }
}

TEST(SnapshotKeyTest, RefusesKeyFileReadableByOthers) {
  ScratchDir dir;
  Result<testing::TestKeys> keys = MakeKeyFiles(dir.path(), auth::JwsAlgorithm::kEdDSA, "k1");
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(chmod(keys->private_key_path.c_str(), 0644), 0);
  Result<SnapshotSigningKey> key = SnapshotSigningKey::LoadFile(keys->private_key_path);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(key.status().message().find(keys->private_key_path), std::string::npos)
      << key.status().message();
  EXPECT_NE(key.status().message().find("0644"), std::string::npos) << key.status().message();
  ASSERT_EQ(chmod(keys->private_key_path.c_str(), 0640), 0);
  EXPECT_FALSE(SnapshotSigningKey::LoadFile(keys->private_key_path).ok());
  ASSERT_EQ(chmod(keys->private_key_path.c_str(), 0600), 0);
  EXPECT_TRUE(SnapshotSigningKey::LoadFile(keys->private_key_path).ok());
}

TEST(SnapshotKeyTest, RefusesOtherAlgorithms) {
  for (auth::JwsAlgorithm alg : {auth::JwsAlgorithm::kES384, auth::JwsAlgorithm::kRS256,
                                 auth::JwsAlgorithm::kHS256}) {
    ScratchDir dir;
    Result<testing::TestKeys> keys = MakeKeyFiles(dir.path(), alg, "k1");
    ASSERT_TRUE(keys.ok());
    Result<SnapshotSigningKey> key = SnapshotSigningKey::LoadFile(keys->private_key_path);
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(key.status().message().find("EdDSA (Ed25519) or ES256"), std::string::npos)
        << key.status().message();
  }
}

TEST(SnapshotKeyTest, RefusesKeyWithoutKid) {
  Result<auth::Signer> signer = auth::Signer::Generate(auth::JwsAlgorithm::kEdDSA, std::nullopt);
  ASSERT_TRUE(signer.ok());
  Result<SnapshotSigningKey> key = SnapshotSigningKey::FromSigner(std::move(*signer));
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.status().message().find("kid"), std::string::npos);
}

TEST(SnapshotKeyTest, RefusesTokenIssuerKey) {
  ScratchDir dir;
  // The runner's key and the issuer's key live in the same directory here; only the issuer's
  // JWKS is handed to CheckNotIssuerKey.
  Result<testing::TestKeys> issuer = MakeKeyFiles(dir.path() + "/issuer", auth::JwsAlgorithm::kEdDSA, "iss-1");
  Result<testing::TestKeys> runner = MakeKeyFiles(dir.path() + "/runner", auth::JwsAlgorithm::kEdDSA, "run-1");
  ASSERT_TRUE(issuer.ok() && runner.ok());
  Result<auth::JwkSet> issuer_set = LoadTrustedSnapshotKeys(issuer->jwks_path);
  ASSERT_TRUE(issuer_set.ok()) << issuer_set.status().ToString();
  Result<SnapshotSigningKey> runner_key = SnapshotSigningKey::LoadFile(runner->private_key_path);
  Result<SnapshotSigningKey> issuer_key = SnapshotSigningKey::LoadFile(issuer->private_key_path);
  ASSERT_TRUE(runner_key.ok() && issuer_key.ok());
  EXPECT_TRUE(runner_key->CheckNotIssuerKey(*issuer_set).ok());
  Status refused = issuer_key->CheckNotIssuerKey(*issuer_set);
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("iss-1"), std::string::npos);
}

TEST(SnapshotKeyTest, Base64RoundTripsAndRejectsNonCanonical) {
  for (std::string s : {std::string(), std::string("f"), std::string("fo"), std::string("foo"),
                        std::string("\x00\xff\x10\x80", 4)}) {
    Result<std::string> back = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_FALSE(Base64Decode("Zm8").ok());        // no padding
  EXPECT_FALSE(Base64Decode("Zm9=").ok());       // non-zero trailing bits
  EXPECT_FALSE(Base64Decode("Zm 8").ok());       // whitespace
  EXPECT_FALSE(Base64Decode("Z=8=").ok());       // padding inside
  EXPECT_FALSE(Base64Decode("Zm8_").ok());       // base64url alphabet
}

}  // namespace
}  // namespace trailbook::snapshot
