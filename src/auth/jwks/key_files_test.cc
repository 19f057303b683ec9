#include "auth/jwks/key_files.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "auth/jwks/jwks_cache.h"
#include "auth/jwt/testing/token_factory.h"
#include "auth/jwt/token_builder.h"
#include "auth/jwt/token_verifier.h"
#include "io/file.h"

namespace trailbook::auth {
namespace {

class KeyFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/key_files_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  uint32_t Mode(const std::string& path) { return *io::FileMode(path); }
  std::string dir_;
};

// Mints a token with `signer` and verifies it against the key set at `jwks_path`.
Verification MintAndVerify(const Signer& signer, const std::string& jwks_path, bool secret) {
  KeySourceConfig source;
  source.jwks_file = jwks_path;
  source.cache.background_refresh = false;
  source.cache.parse.allow_symmetric = secret;
  auto cache = JwksCache::Open(source, SystemClock());
  EXPECT_TRUE(cache.ok()) << cache.status().ToString();
  VerifierConfig config;
  config.issuers.push_back(testing::TestIssuerConfig(*cache, signer.alg()));
  auto verifier = std::move(TokenVerifier::Create(config)).value();
  TokenSpec spec;
  spec.issuer = std::string(testing::kTestIssuer);
  spec.audiences = {"trailbook"};
  spec.subject = "alice@example.com";
  spec.runbooks = {"ir.principal-activity"};
  spec.issued_at_us = SystemClock().NowMicros();
  spec.ttl_us = 900 * kMicrosPerSecond;
  Result<std::string> token = MintToken(spec, signer);
  EXPECT_TRUE(token.ok()) << token.status().ToString();
  return verifier->Verify(*token, RequestContext{});
}

TEST_F(KeyFilesTest, GeneratesLoadableKeysWithStrictModes) {
  for (JwsAlgorithm alg : {JwsAlgorithm::kES256, JwsAlgorithm::kEdDSA, JwsAlgorithm::kPS256}) {
    std::string kid = std::string("key-") + std::string(JwsAlgorithmName(alg));
    Result<KeyFiles> files = GenerateKeyFiles(dir_ + "/" + kid, alg, kid, 2048);
    ASSERT_TRUE(files.ok()) << files.status().ToString();
    EXPECT_EQ(Mode(files->private_key_path), 0600u);
    EXPECT_EQ(Mode(files->jwks_path), 0644u);
    EXPECT_EQ(files->thumbprint.size(), 43u);
    std::string pem = *io::ReadFile(files->private_key_path);
    EXPECT_NE(pem.find(std::string("kid: ") + kid + "\n"), std::string::npos);
    EXPECT_NE(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
    Result<Signer> signer = LoadSigningKeyFile(files->private_key_path);
    ASSERT_TRUE(signer.ok()) << signer.status().ToString();
    EXPECT_EQ(signer->alg(), alg);
    EXPECT_EQ(signer->kid(), kid);
    Verification v = MintAndVerify(*signer, files->jwks_path, false);
    EXPECT_TRUE(v.principal) << v.deny_reason;
  }
}

TEST_F(KeyFilesTest, RotationAppendsToTheSetAndRefusesDuplicates) {
  ASSERT_TRUE(GenerateKeyFiles(dir_, JwsAlgorithm::kES256, "2024-01").ok());
  Result<KeyFiles> second = GenerateKeyFiles(dir_, JwsAlgorithm::kEdDSA, "2024-02");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->keys_in_set, 2u);
  Result<ParsedJwks> set = ParseJwks(*io::ReadFile(second->jwks_path), {});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->set.size(), 2u);
  // Tokens from the old key still verify against the rotated set.
  Result<Signer> old_key = LoadSigningKeyFile(dir_ + "/2024-01.key.pem");
  ASSERT_TRUE(old_key.ok());
  Verification v = MintAndVerify(*old_key, second->jwks_path, false);
  EXPECT_TRUE(v.principal) << v.deny_reason;
  EXPECT_EQ(GenerateKeyFiles(dir_, JwsAlgorithm::kES256, "2024-01").status().code(),
            StatusCode::kAlreadyExists);
  std::filesystem::remove(dir_ + "/2024-01.key.pem");
  EXPECT_EQ(GenerateKeyFiles(dir_, JwsAlgorithm::kES256, "2024-01").status().code(),
            StatusCode::kAlreadyExists);  // Still in jwks.json.
}

TEST_F(KeyFilesTest, HmacKeysStaySecret) {
  Result<KeyFiles> files = GenerateKeyFiles(dir_, JwsAlgorithm::kHS256, "shared");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->private_key_path, dir_ + "/shared.key.jwk");
  EXPECT_EQ(files->jwks_path, dir_ + "/hmac-jwks.json");
  EXPECT_EQ(Mode(files->private_key_path), 0600u);
  EXPECT_EQ(Mode(files->jwks_path), 0600u);
  Result<Signer> signer = LoadSigningKeyFile(files->private_key_path);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ(signer->alg(), JwsAlgorithm::kHS256);
  Verification v = MintAndVerify(*signer, files->jwks_path, true);
  EXPECT_TRUE(v.principal) << v.deny_reason;
  // A public JWKS loader refuses the secret set.
  EXPECT_FALSE(ParseJwks(*io::ReadFile(files->jwks_path), {}).ok());
}

TEST_F(KeyFilesTest, RefusesLooseModesAndMalformedFiles) {
  Result<KeyFiles> files = GenerateKeyFiles(dir_, JwsAlgorithm::kES256, "k");
  ASSERT_TRUE(files.ok());
  for (mode_t mode : {mode_t{0640}, mode_t{0604}, mode_t{0660}, mode_t{0644}}) {
    ASSERT_EQ(::chmod(files->private_key_path.c_str(), mode), 0);
    Result<Signer> s = LoadSigningKeyFile(files->private_key_path);
    ASSERT_FALSE(s.ok()) << mode;
    EXPECT_NE(s.status().message().find("chmod 600"), std::string::npos) << s.status().message();
  }
  ASSERT_EQ(::chmod(files->private_key_path.c_str(), 0400), 0);
  EXPECT_TRUE(LoadSigningKeyFile(files->private_key_path).ok());
  auto write = [&](const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    EXPECT_TRUE(io::WriteFileAtomic(path, text, 0600).ok());
    return path;
  };
  std::string pem = *io::ReadFile(files->private_key_path);
  std::string no_alg = pem.substr(pem.find("-----BEGIN"));
  EXPECT_FALSE(LoadSigningKeyFile(write("noalg.pem", no_alg)).ok());
  EXPECT_FALSE(LoadSigningKeyFile(write("wrongalg.pem", std::string("alg: ES384\n") + no_alg)).ok());
  EXPECT_FALSE(LoadSigningKeyFile(write("none.pem", std::string("alg: none\n") + no_alg)).ok());
  EXPECT_FALSE(LoadSigningKeyFile(write("empty.pem", "")).ok());
  EXPECT_FALSE(LoadSigningKeyFile(write("pub.jwk", R"({"kty":"EC","crv":"P-256","x":"AA","y":"AA"})")).ok());
  Result<Signer> missing = LoadSigningKeyFile(dir_ + "/missing.pem");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("missing.pem"), std::string::npos);
}

TEST_F(KeyFilesTest, ValidatesKeyIds) {
  EXPECT_TRUE(ValidateKeyId("prod-2024.01_a").ok());
  for (const char* bad : {"", ".hidden", "a/b", "../x", "a b", "k\n"}) {
    EXPECT_FALSE(ValidateKeyId(bad).ok()) << bad;
    EXPECT_FALSE(GenerateKeyFiles(dir_, JwsAlgorithm::kES256, bad).ok()) << bad;
  }
  EXPECT_FALSE(ValidateKeyId(std::string(129, 'k')).ok());
}

}  // namespace
}  // namespace trailbook::auth
