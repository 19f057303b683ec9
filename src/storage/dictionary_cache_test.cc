#include "storage/dictionary_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <numeric>
#include <string>
#include <vector>

#include "base/timestamp.h"
#include "storage/event_schema.h"
#include "storage/row_batch.h"
#include "storage/segment_reader.h"
#include "storage/segment_writer.h"

namespace trailbook::storage {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/tb_dictionary_cache_test_XXXXXX";
  return ::mkdtemp(tmpl);
}

// A segment whose sourceIPAddress dictionary has `n` entries.
std::string WriteIpSegment(const std::string& dir, uint64_t id, int n) {
  const EventSchema& s = EventSchema::Get();
  RowBatch b;
  for (int i = 0; i < n; ++i) {
    b.SetTimestamp(s.event_time_column(), int64_t{1'700'000'000} * kMicrosPerSecond + i);
    b.SetString(s.ColumnByPath("sourceIPAddress"), "10.0." + std::to_string(i / 250) + "." +
                                                       std::to_string(i % 250));
    b.EndRow(static_cast<uint64_t>(i));
  }
  std::vector<uint32_t> rows(b.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  ZstdCodec codec;
  EXPECT_TRUE(WriteSegment(dir, id, 0, b, rows, {}, codec).ok());
  return dir + "/" + SegmentFileName(id);
}

TEST(SegmentDictionaryCacheTest, ReadersKeepOnlyWhatTheCacheOrACallerHolds) {
  const std::string dir = TempDir();
  const int ip = EventSchema::Get().ColumnByPath("sourceIPAddress");
  auto cache = std::make_shared<SegmentDictionaryCache>(size_t{1} << 20);
  auto a = SegmentReader::Open(WriteIpSegment(dir, 1, 2000), cache);
  auto b = SegmentReader::Open(WriteIpSegment(dir, 2, 2000), cache);
  ASSERT_TRUE(a.ok() && b.ok());
  std::shared_ptr<const Dictionary> da;
  {
    Result<std::shared_ptr<const Dictionary>> got = (*a)->GetDictionary(ip);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    da = *got;
  }
  EXPECT_EQ(da->size(), 2000u);
  EXPECT_EQ(cache->entries(), 1u);
  EXPECT_EQ(cache->bytes(), da->memory_bytes());
  // Resident: the same decoded copy is returned.
  EXPECT_EQ(da.get(), (*a)->GetDictionary(ip)->get());

  // A budget below one dictionary: b's evicts a's from the cache, but the caller still holds
  // a's, so the reader hands out that copy again rather than decoding a second one.
  cache->set_capacity_bytes(1);
  ASSERT_TRUE((*b)->GetDictionary(ip).ok());
  EXPECT_EQ(cache->entries(), 1u);
  EXPECT_EQ(da.get(), (*a)->GetDictionary(ip)->get());
  // Nobody holds a's any more: it is freed, and decoded again (same content) when needed.
  const std::weak_ptr<const Dictionary> gone = da;
  da.reset();
  cache->Insert({99, 0}, nullptr, 1, OnResident::kReplace);  // push a's entry out if it came back in
  EXPECT_TRUE(gone.expired());
  Result<std::shared_ptr<const Dictionary>> again = (*a)->GetDictionary(ip);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->size(), 2000u);
  EXPECT_EQ((*again)->entry(1), "10.0.0.0");

  // Without a cache a reader keeps its dictionaries for its lifetime.
  auto plain = SegmentReader::Open(dir + "/" + SegmentFileName(1));
  ASSERT_TRUE(plain.ok());
  const Dictionary* first = (*plain)->GetDictionary(ip)->get();
  EXPECT_EQ(first, (*plain)->GetDictionary(ip)->get());
}

}  // namespace
}  // namespace trailbook::storage
