#include "ingest/dedup_index.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace trailbook::ingest {
namespace {

std::unique_ptr<storage::Store> OpenEmptyStore() {
  char tmpl[] = "/tmp/tb_dedup_test_XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadWrite);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(*store);
}

bool MustInsert(DedupIndex& index, int64_t day, uint64_t key, bool has_id) {
  Result<bool> fresh = index.Insert(day, key, has_id);
  EXPECT_TRUE(fresh.ok()) << fresh.status().ToString();
  return fresh.ok() && *fresh;
}

TEST(DedupIndexTest, KeySetHoldsZeroAndGrows) {
  KeySet set;
  EXPECT_TRUE(set.Insert(0));
  EXPECT_FALSE(set.Insert(0));
  for (uint64_t k = 1; k <= 1000; ++k) EXPECT_TRUE(set.Insert(k * 0x10001));
  for (uint64_t k = 1; k <= 1000; ++k) EXPECT_FALSE(set.Insert(k * 0x10001));
  EXPECT_TRUE(set.Contains(0));
  EXPECT_FALSE(set.Contains(7));
  EXPECT_EQ(set.size(), 1001u);
}

TEST(DedupIndexTest, PendingDaysAreNeverEvicted) {
  auto store = OpenEmptyStore();
  DedupIndex index(*store, DedupLimits{.max_resident_keys = 2, .max_text_keys = 100});
  for (uint64_t k = 1; k <= 3; ++k) EXPECT_TRUE(MustInsert(index, 10, k, true));
  for (uint64_t k = 1; k <= 3; ++k) EXPECT_TRUE(MustInsert(index, 11, k, true));
  // Both days hold uncommitted keys: over budget, but nothing may be dropped.
  EXPECT_EQ(index.loaded_buckets(), 2u);
  EXPECT_EQ(index.resident_keys(), 6u);
  EXPECT_EQ(index.evictions(), 0u);
  EXPECT_FALSE(MustInsert(index, 10, 2, true));
  EXPECT_FALSE(MustInsert(index, 11, 3, true));
  EXPECT_TRUE(index.Verify().ok()) << index.Verify().ToString();

  index.Committed(10, 3);
  // Day 10 is committed and least recently used: evicted down to the budget.
  EXPECT_EQ(index.evictions(), 1u);
  EXPECT_EQ(index.loaded_buckets(), 1u);
  EXPECT_EQ(index.resident_keys(), 3u);
  EXPECT_TRUE(index.Verify().ok()) << index.Verify().ToString();
  // Day 10 is reloaded from the store. These keys were marked committed without any segment
  // really holding them, so the reload cannot know them: it shows the keys come from the store.
  EXPECT_TRUE(MustInsert(index, 10, 1, true));
  EXPECT_EQ(index.bucket_loads(), 3u);
  EXPECT_EQ(index.peak_resident_keys(), 6u);
}

TEST(DedupIndexTest, TextKeysAreCappedPerDay) {
  auto store = OpenEmptyStore();
  DedupIndex index(*store, DedupLimits{.max_resident_keys = 100, .max_text_keys = 4});
  EXPECT_TRUE(MustInsert(index, 1, 100, false));
  EXPECT_TRUE(MustInsert(index, 1, 101, false));
  EXPECT_FALSE(MustInsert(index, 1, 100, false));
  EXPECT_TRUE(MustInsert(index, 2, 200, false));
  EXPECT_TRUE(MustInsert(index, 2, 201, false));
  EXPECT_EQ(index.text_keys(), 4u);
  EXPECT_EQ(index.text_keys_dropped(), 0u);
  // A third day goes over the cap: day 1's text keys (least recently used) are dropped.
  EXPECT_TRUE(MustInsert(index, 3, 300, false));
  EXPECT_EQ(index.text_keys_dropped(), 2u);
  EXPECT_EQ(index.text_keys(), 3u);
  EXPECT_FALSE(MustInsert(index, 2, 201, false));
  // The documented limit: a dropped id-less key is not recognised again.
  EXPECT_TRUE(MustInsert(index, 1, 100, false));
  // Id-less keys never count against, or load, the eventID days.
  EXPECT_EQ(index.loaded_buckets(), 0u);
  EXPECT_EQ(index.resident_keys(), 0u);
  EXPECT_TRUE(index.Verify().ok()) << index.Verify().ToString();
}

}  // namespace
}  // namespace trailbook::ingest
