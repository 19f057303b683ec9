#include "base/byte_lru_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace trailbook {
namespace {

using Cache = ByteLruCache<std::pair<uint64_t, int>, std::string>;

TEST(ByteLruCacheTest, EvictsLeastRecentlyUsedOverBudget) {
  Cache cache(100);
  cache.Insert({1, 0}, "a", 40, OnResident::kReplace);
  cache.Insert({2, 0}, "b", 40, OnResident::kReplace);
  EXPECT_EQ(cache.bytes(), 80u);
  EXPECT_TRUE(cache.Touch({1, 0}));  // {2, 0} is now the least recently used
  EXPECT_FALSE(cache.Touch({7, 0}));
  cache.Insert({3, 0}, "c", 40, OnResident::kReplace);  // 120 > 100: {2, 0} goes
  EXPECT_EQ(cache.entries(), 2u);
  EXPECT_EQ(cache.bytes(), 80u);
  EXPECT_EQ(cache.evictions(), 1u);
  EXPECT_FALSE(cache.Find({2, 0}).has_value());
  EXPECT_EQ(cache.Find({1, 0}), "a");
  // The column is part of the key.
  EXPECT_FALSE(cache.Find({1, 1}).has_value());
}

TEST(ByteLruCacheTest, FindMarksRecentlyUsed) {
  Cache cache(100);
  cache.Insert({1, 0}, "a", 50, OnResident::kReplace);
  cache.Insert({2, 0}, "b", 50, OnResident::kReplace);
  ASSERT_EQ(cache.Find({1, 0}), "a");                   // {2, 0} is now the oldest
  cache.Insert({3, 0}, "c", 50, OnResident::kReplace);  // evicts {2, 0}, not {1, 0}
  EXPECT_EQ(cache.Find({1, 0}), "a");
  EXPECT_FALSE(cache.Find({2, 0}).has_value());
}

TEST(ByteLruCacheTest, ReplaceSwapsValueAndCharge) {
  Cache cache(100);
  cache.Insert({3, 0}, "old", 40, OnResident::kReplace);
  EXPECT_EQ(cache.Insert({3, 0}, "new", 50, OnResident::kReplace), "new");
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(cache.bytes(), 50u);
  EXPECT_EQ(cache.Find({3, 0}), "new");
  EXPECT_EQ(cache.evictions(), 0u);  // a replacement is not an eviction
}

TEST(ByteLruCacheTest, KeepReturnsTheResidentValue) {
  Cache cache(100);
  cache.Insert({3, 0}, "first", 40, OnResident::kKeep);
  EXPECT_EQ(cache.Insert({3, 0}, "second", 50, OnResident::kKeep), "first");
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(cache.bytes(), 40u);
  EXPECT_EQ(cache.Find({3, 0}), "first");
}

TEST(ByteLruCacheTest, NewestEntryStaysEvenOverBudget) {
  Cache cache(100);
  cache.Insert({1, 0}, "a", 40, OnResident::kReplace);
  cache.Insert({2, 0}, "b", 40, OnResident::kReplace);
  EXPECT_EQ(cache.Insert({4, 1}, "huge", 500, OnResident::kReplace), "huge");
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(cache.bytes(), 500u);
  EXPECT_EQ(cache.evictions(), 2u);
  cache.set_capacity_bytes(0);  // still the one entry
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(cache.evictions(), 2u);
}

TEST(ByteLruCacheTest, ShrinkingTheBudgetEvictsAtOnce) {
  Cache cache(1000);
  for (uint64_t i = 0; i < 10; ++i) cache.Insert({i, 0}, "v", 100, OnResident::kReplace);
  EXPECT_EQ(cache.entries(), 10u);
  cache.set_capacity_bytes(350);
  EXPECT_EQ(cache.capacity_bytes(), 350u);
  EXPECT_EQ(cache.entries(), 3u);
  EXPECT_EQ(cache.bytes(), 300u);
  EXPECT_EQ(cache.evictions(), 7u);
  // The three most recent stay.
  EXPECT_TRUE(cache.Find({9, 0}).has_value());
  EXPECT_TRUE(cache.Find({7, 0}).has_value());
  EXPECT_FALSE(cache.Find({6, 0}).has_value());
}

TEST(ByteLruCacheTest, ConcurrentUseKeepsTheAccounting) {
  Cache cache(64 * 10);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (uint64_t i = 0; i < 2000; ++i) {
        const std::pair<uint64_t, int> key(i % 37, t % 2);
        if (!cache.Find(key)) cache.Insert(key, "x", 10 + (i % 7), OnResident::kKeep);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_LE(cache.bytes(), cache.capacity_bytes());
  EXPECT_GE(cache.entries(), 1u);
  EXPECT_LE(cache.entries(), 74u);
}

}  // namespace
}  // namespace trailbook
