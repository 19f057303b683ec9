#include "auth/jwks/jwks_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "auth/jwt/signer.h"
#include "io/file.h"

namespace trailbook::auth {
namespace {

// A fetcher whose answers the test controls; counts calls and can be slowed down.
struct FakeSource {
  std::mutex mu;
  std::string body;
  Status error;
  std::atomic<int> calls{0};
  std::atomic<int> delay_ms{0};
};

class FakeFetcher : public JwksFetcher {
 public:
  explicit FakeFetcher(std::shared_ptr<FakeSource> source) : source_(std::move(source)) {}
  Result<std::string> Fetch() override {
    ++source_->calls;
    if (int d = source_->delay_ms.load()) std::this_thread::sleep_for(std::chrono::milliseconds(d));
    std::lock_guard<std::mutex> lock(source_->mu);
    if (!source_->error.ok()) return source_->error;
    return source_->body;
  }
  std::string Describe() const override { return "fake://jwks"; }

 private:
  std::shared_ptr<FakeSource> source_;
};

std::string JwksOf(const std::vector<const Signer*>& signers) {
  std::vector<const Jwk*> keys;
  for (const Signer* s : signers) keys.push_back(&s->verification_key());
  return JwksToJson(keys, false);
}

class JwksCacheTest : public ::testing::Test {
 protected:
  JwksCacheTest()
      : k1_(std::move(Signer::Generate(JwsAlgorithm::kES256, "k1")).value()),
        k2_(std::move(Signer::Generate(JwsAlgorithm::kES256, "k2")).value()),
        source_(std::make_shared<FakeSource>()),
        clock_(1'000'000 * kMicrosPerSecond) {
    source_->body = JwksOf({&k1_});
  }

  std::shared_ptr<JwksCache> Make() {
    JwksCacheOptions options;
    options.background_refresh = false;
    options.refresh_interval_us = 600 * kMicrosPerSecond;
    options.unknown_kid_cooldown_us = 30 * kMicrosPerSecond;
    options.max_staleness_us = 3600 * kMicrosPerSecond;
    auto cache = JwksCache::Create(std::make_unique<FakeFetcher>(source_), options, clock_);
    EXPECT_TRUE(cache.ok()) << cache.status().ToString();
    return std::move(cache).value();
  }

  void Serve(std::string body) {
    std::lock_guard<std::mutex> lock(source_->mu);
    source_->body = std::move(body);
    source_->error = Status::OK();
  }
  void Fail(Status error) {
    std::lock_guard<std::mutex> lock(source_->mu);
    source_->error = std::move(error);
  }

  Signer k1_, k2_;
  std::shared_ptr<FakeSource> source_;
  FakeClock clock_;
};

TEST_F(JwksCacheTest, CreateRequiresAUsableFirstSet) {
  Fail(IOError("fake://jwks: HTTP 503"));
  JwksCacheOptions options;
  options.background_refresh = false;
  auto cache = JwksCache::Create(std::make_unique<FakeFetcher>(source_), options, clock_);
  ASSERT_FALSE(cache.ok());
  EXPECT_NE(cache.status().message().find("HTTP 503"), std::string::npos);
  Serve(R"({"keys":[]})");
  EXPECT_FALSE(JwksCache::Create(std::make_unique<FakeFetcher>(source_), options, clock_).ok());
  options.max_staleness_us = 1;  // Shorter than the refresh interval.
  Serve(JwksOf({&k1_}));
  EXPECT_FALSE(JwksCache::Create(std::make_unique<FakeFetcher>(source_), options, clock_).ok());
}

TEST_F(JwksCacheTest, FindsKnownKidWithoutFetching) {
  auto cache = Make();
  KeyLookup l = cache->Find("k1", clock_);
  ASSERT_NE(l.key, nullptr);
  EXPECT_NE(l.set, nullptr);
  EXPECT_EQ(source_->calls.load(), 1);
}

TEST_F(JwksCacheTest, UnknownKidRefreshesOnceThenCoolsDown) {
  auto cache = Make();
  Serve(JwksOf({&k1_, &k2_}));  // The issuer rotated in k2.
  KeyLookup l = cache->Find("k2", clock_);
  ASSERT_NE(l.key, nullptr) << l.detail;
  EXPECT_EQ(source_->calls.load(), 2);
  EXPECT_EQ(cache->stats().unknown_kid_refreshes, 1u);
  // A kid that is still unknown: no new fetch within the cooldown.
  l = cache->Find("k3", clock_);
  EXPECT_EQ(l.key, nullptr);
  EXPECT_EQ(source_->calls.load(), 2);
  EXPECT_NE(cache->Find("k1", clock_).key, nullptr);  // Known kids are unaffected.
}

TEST_F(JwksCacheTest, CooldownLimitsUnknownKidFetches) {
  auto cache = Make();
  EXPECT_EQ(cache->Find("nope-1", clock_).key, nullptr);
  EXPECT_EQ(source_->calls.load(), 2);
  for (int i = 0; i < 50; ++i) {
    KeyLookup l = cache->Find(std::string("nope-") + std::to_string(i), clock_);
    EXPECT_EQ(l.key, nullptr);
  }
  EXPECT_EQ(source_->calls.load(), 2);
  EXPECT_NE(cache->Find("nope-x", clock_).detail.find("cooldown"), std::string::npos);
  clock_.Advance(31 * kMicrosPerSecond);
  EXPECT_EQ(cache->Find("nope-y", clock_).key, nullptr);
  EXPECT_EQ(source_->calls.load(), 3);
}

TEST_F(JwksCacheTest, UnknownKidRefreshIsSingleFlight) {
  auto cache = Make();
  Serve(JwksOf({&k1_, &k2_}));
  source_->delay_ms = 200;
  std::vector<std::thread> threads;
  std::atomic<int> found{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (cache->Find("k2", clock_).key != nullptr) ++found;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(found.load(), 8);
  EXPECT_EQ(source_->calls.load(), 2);  // The initial fetch plus exactly one refresh.
}

TEST_F(JwksCacheTest, FailedOrInvalidRefreshKeepsLastGoodSet) {
  auto cache = Make();
  Fail(IOError("fake://jwks: timeout"));
  EXPECT_FALSE(cache->Refresh().ok());
  EXPECT_NE(cache->Find("k1", clock_).key, nullptr);
  Serve(R"({"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"}]})");
  Status bad = cache->Refresh();
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("private key member"), std::string::npos);
  Serve(JwksOf({&k1_, &k1_}));  // Duplicate kid.
  EXPECT_FALSE(cache->Refresh().ok());
  EXPECT_NE(cache->Find("k1", clock_).key, nullptr);
  JwksCache::Stats stats = cache->stats();
  EXPECT_EQ(stats.failures, 3u);
  EXPECT_FALSE(stats.last_error.empty());
}

TEST_F(JwksCacheTest, FailsClosedWhenStale) {
  auto cache = Make();
  Fail(IOError("fake://jwks: down"));
  clock_.Advance(3601 * kMicrosPerSecond);
  KeyLookup l = cache->Find("k1", clock_);
  EXPECT_EQ(l.key, nullptr);
  EXPECT_NE(l.detail.find("stale"), std::string::npos);
  Serve(JwksOf({&k1_}));
  EXPECT_TRUE(cache->Refresh().ok());
  EXPECT_NE(cache->Find("k1", clock_).key, nullptr);
}

TEST_F(JwksCacheTest, TickRefreshesOnlyAfterTheInterval) {
  auto cache = Make();
  cache->Tick();
  EXPECT_EQ(source_->calls.load(), 1);
  clock_.Advance(601 * kMicrosPerSecond);
  Serve(JwksOf({&k2_}));
  cache->Tick();
  EXPECT_EQ(source_->calls.load(), 2);
  EXPECT_EQ(cache->Find("k1", clock_).key, nullptr);  // k1 was rotated out.
  EXPECT_NE(cache->Find("k2", clock_).key, nullptr);
}

TEST_F(JwksCacheTest, BackgroundThreadRefreshesAndStops) {
  JwksCacheOptions options;
  options.refresh_interval_us = 20'000;  // 20 ms on the real clock.
  options.max_staleness_us = 3600 * kMicrosPerSecond;
  {
    auto cache = JwksCache::Create(std::make_unique<FakeFetcher>(source_), options, SystemClock());
    ASSERT_TRUE(cache.ok());
    for (int i = 0; i < 200 && source_->calls.load() < 3; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }  // The destructor stops and joins the timer thread.
  int calls = source_->calls.load();
  EXPECT_GE(calls, 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_EQ(source_->calls.load(), calls);
}

TEST(JwksCacheOpenTest, ValidatesSourceConfiguration) {
  KeySourceConfig none;
  EXPECT_FALSE(JwksCache::Open(none, SystemClock()).ok());
  KeySourceConfig both;
  both.jwks_file = "/x";
  both.jwks_url = "https://x";
  EXPECT_FALSE(JwksCache::Open(both, SystemClock()).ok());
  KeySourceConfig http;
  http.jwks_url = "http://idp.example/jwks";
  Result<std::shared_ptr<JwksCache>> r = JwksCache::Open(http, SystemClock());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("https://"), std::string::npos);
  KeySourceConfig secret_url;
  secret_url.jwks_url = "https://idp.example/jwks";
  secret_url.cache.parse.allow_symmetric = true;
  EXPECT_FALSE(JwksCache::Open(secret_url, SystemClock()).ok());
  KeySourceConfig missing;
  missing.jwks_file = "/nonexistent/jwks.json";
  Result<std::shared_ptr<JwksCache>> m = JwksCache::Open(missing, SystemClock());
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("/nonexistent/jwks.json"), std::string::npos);
}

TEST(JwksCacheOpenTest, SecretFileMustBeOwnerOnly) {
  std::string dir = ::testing::TempDir() + "/jwks_cache_secret";
  std::filesystem::create_directories(dir);
  Signer hs = std::move(Signer::Generate(JwsAlgorithm::kHS256, "h")).value();
  std::string path = dir + "/hmac-jwks.json";
  ASSERT_TRUE(io::WriteFileAtomic(path, JwksToJson({&hs.verification_key()}, true), 0644).ok());
  KeySourceConfig config;
  config.jwks_file = path;
  config.cache.parse.allow_symmetric = true;
  config.cache.background_refresh = false;
  Result<std::shared_ptr<JwksCache>> loose = JwksCache::Open(config, SystemClock());
  ASSERT_FALSE(loose.ok());
  EXPECT_NE(loose.status().message().find("chmod 600"), std::string::npos);
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_TRUE(JwksCache::Open(config, SystemClock()).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace trailbook::auth
