#include "auth/jwt/verified_token_cache.h"

#include <gtest/gtest.h>

namespace trailbook::auth {
namespace {

std::shared_ptr<const VerifiedTokenCache::Entry> Entry(int64_t until, std::string sub = "s") {
  auto e = std::make_shared<VerifiedTokenCache::Entry>();
  e->principal.subject = std::move(sub);
  e->valid_from_us = 0;
  e->valid_until_us = until;
  return e;
}

TEST(VerifiedTokenCacheTest, HitsUntilExpiry) {
  VerifiedTokenCache cache(4);
  auto d = crypto::Sha256("token");
  cache.Insert(d, Entry(100), 0);
  EXPECT_NE(cache.Lookup(d, 99), nullptr);
  EXPECT_EQ(cache.Lookup(d, 100), nullptr);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.Lookup(crypto::Sha256("other"), 0), nullptr);
}

TEST(VerifiedTokenCacheTest, NotBeforeIsRespected) {
  VerifiedTokenCache cache(4);
  auto e = std::make_shared<VerifiedTokenCache::Entry>();
  e->valid_from_us = 50;
  e->valid_until_us = 100;
  auto d = crypto::Sha256("t");
  cache.Insert(d, e, 0);
  EXPECT_EQ(cache.Lookup(d, 10), nullptr);
  EXPECT_NE(cache.Lookup(d, 60), nullptr);
}

TEST(VerifiedTokenCacheTest, BoundedEvictsExpiredThenOldest) {
  VerifiedTokenCache cache(3);
  cache.Insert(crypto::Sha256("a"), Entry(1000), 0);
  cache.Insert(crypto::Sha256("b"), Entry(10), 0);
  cache.Insert(crypto::Sha256("c"), Entry(1000), 0);
  cache.Insert(crypto::Sha256("d"), Entry(1000), 20);  // "b" expired: swept.
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_NE(cache.Lookup(crypto::Sha256("a"), 20), nullptr);
  cache.Insert(crypto::Sha256("e"), Entry(1000), 20);  // Full: evicts the oldest ("a").
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.Lookup(crypto::Sha256("a"), 20), nullptr);
  EXPECT_NE(cache.Lookup(crypto::Sha256("e"), 20), nullptr);
  for (int i = 0; i < 1000; ++i) cache.Insert(crypto::Sha256("e"), Entry(1000), 20);
  EXPECT_EQ(cache.size(), 3u);
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace trailbook::auth
