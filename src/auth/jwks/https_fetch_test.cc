// Tests the HTTPS key source against a real TLS server on 127.0.0.1 (cpp-httplib with
// OpenSSL) using a self-signed certificate generated for the test; no external network.
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "auth/jwks/jwks_cache.h"
#include "auth/jwks/jwks_fetcher.h"
#include "auth/jwt/testing/token_factory.h"
#include "auth/jwt/token_builder.h"
#include "auth/jwt/token_verifier.h"

namespace trailbook::auth {
namespace {

// Writes a self-signed P-256 certificate for IP 127.0.0.1 and its key to `dir`.
void WriteSelfSignedCert(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(key, nullptr);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("trailbook test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    ASSERT_NE(ext, nullptr);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  ASSERT_GT(X509_sign(cert, key, EVP_sha256()), 0);
  FILE* f = std::fopen(cert_path.c_str(), "w");
  PEM_write_X509(f, cert);
  std::fclose(f);
  f = std::fopen(key_path.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(cert);
  EVP_PKEY_free(key);
}

class HttpsFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/jwks_https_" + std::to_string(::getpid());
    std::filesystem::create_directories(dir_);
    cert_ = dir_ + "/cert.pem";
    std::string key = dir_ + "/key.pem";
    WriteSelfSignedCert(cert_, key);
    server_ = std::make_unique<httplib::SSLServer>(cert_.c_str(), key.c_str());
    ASSERT_TRUE(server_->is_valid());
    server_->Get("/jwks.json", [this](const httplib::Request&, httplib::Response& res) {
      ++hits_;
      std::lock_guard<std::mutex> lock(mu_);
      res.set_content(jwks_, "application/json");
    });
    server_->Get("/redirect", [](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("/jwks.json");
    });
    server_->Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(2 << 20, ' '), "application/json");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    for (int i = 0; i < 200 && !server_->is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  void TearDown() override {
    server_->stop();
    if (thread_.joinable()) thread_.join();
    std::filesystem::remove_all(dir_);
  }

  std::string Url(const std::string& path) {
    return std::string("https://127.0.0.1:") + std::to_string(port_) + path;
  }
  void SetJwks(std::string jwks) {
    std::lock_guard<std::mutex> lock(mu_);
    jwks_ = std::move(jwks);
  }
  Result<std::string> Fetch(const std::string& path, std::string ca_file, size_t max = 1 << 20) {
    HttpsFetchOptions options;
    options.ca_file = std::move(ca_file);
    options.max_bytes = max;
    auto fetcher = HttpsJwksFetcher::Create(Url(path), options);
    if (!fetcher.ok()) return fetcher.status();
    return (*fetcher)->Fetch();
  }

  std::string dir_, cert_;
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::string jwks_ = R"({"keys":[]})";
  std::atomic<int> hits_{0};
};

TEST_F(HttpsFetchTest, FetchesOverVerifiedTls) {
  SetJwks(R"({"keys":[1]})");
  Result<std::string> body = Fetch("/jwks.json", cert_);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body, R"({"keys":[1]})");
}

TEST_F(HttpsFetchTest, RejectsUntrustedCertificate) {
  Result<std::string> body = Fetch("/jwks.json", "");  // System trust store only.
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), StatusCode::kIOError);
  EXPECT_NE(body.status().message().find(Url("/jwks.json")), std::string::npos);
  EXPECT_EQ(hits_.load(), 0);
}

TEST_F(HttpsFetchTest, DoesNotFollowRedirects) {
  Result<std::string> body = Fetch("/redirect", cert_);
  ASSERT_FALSE(body.ok());
  EXPECT_NE(body.status().message().find("HTTP 302"), std::string::npos) << body.status().ToString();
  EXPECT_EQ(hits_.load(), 0);
}

TEST_F(HttpsFetchTest, ReportsHttpErrorsAndOversizedBodies) {
  Result<std::string> missing = Fetch("/missing", cert_);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("HTTP 404"), std::string::npos);
  Result<std::string> big = Fetch("/big", cert_);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), StatusCode::kResourceExhausted);
}

TEST_F(HttpsFetchTest, CacheOverHttpsVerifiesTokensAndPicksUpRotatedKeys) {
  testing::TokenFactory first(JwsAlgorithm::kES256, "k1");
  testing::TokenFactory second(JwsAlgorithm::kES256, "k2");
  SetJwks(JwksToJson({&first.signer().verification_key()}, false));
  KeySourceConfig source;
  source.jwks_url = Url("/jwks.json");
  source.https.ca_file = cert_;
  source.cache.background_refresh = false;
  source.cache.unknown_kid_cooldown_us = 0;
  Result<std::shared_ptr<JwksCache>> cache = JwksCache::Open(source, SystemClock());
  ASSERT_TRUE(cache.ok()) << cache.status().ToString();
  VerifierConfig config;
  config.issuers.push_back(testing::TestIssuerConfig(*cache, JwsAlgorithm::kES256));
  auto verifier = std::move(TokenVerifier::Create(config)).value();
  const int64_t now = SystemClock().NowMicros() / kMicrosPerSecond;
  std::string claims = testing::ClaimSet::Valid(now).ToJson();
  EXPECT_TRUE(verifier->Verify(first.Sign(first.Header(), claims), RequestContext{}).principal);
  // The IdP rotates in k2; a token signed with k2 makes the cache refresh once.
  SetJwks(JwksToJson({&first.signer().verification_key(), &second.signer().verification_key()}, false));
  int before = hits_.load();
  Verification v = verifier->Verify(second.Sign(second.Header(), claims), RequestContext{});
  EXPECT_TRUE(v.principal) << v.deny_reason;
  EXPECT_EQ(hits_.load(), before + 1);
}

TEST(HttpsFetcherTest, RequiresHttpsUrl) {
  EXPECT_FALSE(HttpsJwksFetcher::Create("http://127.0.0.1/jwks", {}).ok());
  EXPECT_FALSE(HttpsJwksFetcher::Create("file:///etc/passwd", {}).ok());
  EXPECT_FALSE(HttpsJwksFetcher::Create("HTTPS://x", {}).ok());
  EXPECT_TRUE(HttpsJwksFetcher::Create("https://idp.example/jwks", {}).ok());
}

}  // namespace
}  // namespace trailbook::auth
