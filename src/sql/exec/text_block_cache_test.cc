// Tests of TextFrame and TextBlockCache over an in-memory segment with small frames: frame
// selection, sparse entries and their growth, budgets, scan resistance and the invariants.
#include "sql/exec/text_block_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "base/timestamp.h"
#include "storage/event_schema.h"
#include "storage/row_batch.h"
#include "storage/segment_reader.h"
#include "storage/segment_writer.h"
#include "storage/zstd_codec.h"

namespace trailbook::sql {
namespace {

constexpr uint32_t kBlockRows = 1024;
constexpr uint32_t kFrameRows = 128;
constexpr int kRows = 4096;  // 4 blocks of 8 frames

// requestParameters of row i: distinct per row, NULL every fifth row.
std::optional<std::string> Params(int i) {
  if (i % 5 == 0) return std::nullopt;
  return "{\"bucketName\":\"bucket-" + std::to_string(i) + "\",\"pad\":\"" +
         std::string(static_cast<size_t>(i % 50), 'x') + "\"}";
}

std::shared_ptr<const storage::SegmentReader> MakeSegment(uint64_t id) {
  const storage::EventSchema& s = storage::EventSchema::Get();
  storage::RowBatch batch;
  for (int i = 0; i < kRows; ++i) {
    batch.SetTimestamp(s.event_time_column(),
                       int64_t{1'700'000'000} * kMicrosPerSecond + int64_t{i} * kMicrosPerSecond);
    batch.SetString(s.ColumnByPath("eventName"), "GetObject");
    std::string shape{static_cast<char>(31), static_cast<char>(33)};
    if (std::optional<std::string> p = Params(i)) {
      batch.SetString(s.ColumnByPath("requestParameters"), *p);
      shape.push_back(39);
    }
    batch.SetString(s.shape_column(), shape);
    batch.EndRow(static_cast<uint64_t>(i));
  }
  std::vector<uint32_t> rows(batch.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  storage::ZstdCodec codec;
  storage::SegmentWriteOptions options;
  options.block_rows = kBlockRows;
  options.frame_rows = kFrameRows;
  auto seg = storage::SegmentReader::OpenBytes(
      storage::EncodeSegment(id, 19675, batch, rows, options, codec), "test segment");
  EXPECT_TRUE(seg.ok()) << seg.status().ToString();
  return seg.ok() ? *seg : nullptr;
}

int ParamsColumn() { return storage::EventSchema::Get().ColumnByPath("requestParameters"); }

// Checks that `frame` holds `rows` of frame `f` of block `b` with the values written.
void ExpectRows(const TextFrame& frame, uint32_t b, uint32_t f, const std::vector<uint32_t>& rows) {
  ASSERT_TRUE(frame.HasAll(rows));
  for (uint32_t r : rows) {
    int i = static_cast<int>(b * kBlockRows + f * kFrameRows + r);
    std::optional<std::string_view> v = frame.Value(r);
    std::optional<std::string> want = Params(i);
    ASSERT_EQ(v.has_value(), want.has_value()) << "row " << i;
    if (want) {
      EXPECT_EQ(*v, *want) << "row " << i;
    }
  }
}

class TextBlockCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    segment_ = MakeSegment(7);
    ASSERT_NE(segment_, nullptr);
    auto frame_rows = segment_->StringFrameRows(ParamsColumn(), 0);
    ASSERT_TRUE(frame_rows.ok());
    ASSERT_EQ(*frame_rows, kFrameRows);
  }
  std::shared_ptr<const storage::SegmentReader> segment_;
  ScanCounters counters_;
};

TEST_F(TextBlockCacheTest, FewRowsAreKeptSparseAndHitAfterwards) {
  TextBlockCache cache(size_t{64} << 20);
  const uint64_t q = cache.NewQueryId();
  const std::vector<uint32_t> rows{0, 3, 77};
  auto a = cache.Get(*segment_, ParamsColumn(), 1, 2, rows, q, &counters_);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_FALSE((*a)->dense());
  EXPECT_EQ((*a)->held_rows(), 3u);
  ExpectRows(**a, 1, 2, rows);
  EXPECT_EQ(counters_.text_frames_read.load(), 1u);
  EXPECT_GT(counters_.bytes_read.load(), 0u);
  // A subset of the held rows hits, from another query too.
  auto b = cache.Get(*segment_, ParamsColumn(), 1, 2, std::vector<uint32_t>{3}, cache.NewQueryId(),
                     &counters_);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->get(), a->get());
  EXPECT_EQ(counters_.text_frames_read.load(), 1u);
  EXPECT_EQ(counters_.text_frames_cached.load(), 1u);
  // The sparse frame holds only its rows.
  EXPECT_FALSE((*a)->HasAll(std::vector<uint32_t>{4}));
  EXPECT_TRUE(cache.Verify().ok());
}

TEST_F(TextBlockCacheTest, SparseEntryGrowsByUnionThenTurnsDense) {
  TextBlockCache cache(size_t{64} << 20);
  const uint64_t q = cache.NewQueryId();
  ASSERT_TRUE(cache.Get(*segment_, ParamsColumn(), 0, 0, std::vector<uint32_t>{1, 9}, q,
                        &counters_).ok());
  auto grown = cache.Get(*segment_, ParamsColumn(), 0, 0, std::vector<uint32_t>{5, 9, 20}, q,
                         &counters_);
  ASSERT_TRUE(grown.ok());
  EXPECT_FALSE((*grown)->dense());
  ExpectRows(**grown, 0, 0, {1, 5, 9, 20});  // what both asked for
  EXPECT_EQ((*grown)->held_rows(), 4u);
  // Past 1/kSparseFraction of the frame's rows the whole frame is kept.
  std::vector<uint32_t> many(kFrameRows / TextBlockCache::kSparseFraction + 1);
  std::iota(many.begin(), many.end(), 30u);
  auto dense = cache.Get(*segment_, ParamsColumn(), 0, 0, many, q, &counters_);
  ASSERT_TRUE(dense.ok());
  EXPECT_TRUE((*dense)->dense());
  std::vector<uint32_t> all(kFrameRows);
  std::iota(all.begin(), all.end(), 0u);
  ExpectRows(**dense, 0, 0, all);
  EXPECT_EQ(counters_.text_frames_read.load(), 3u);
  EXPECT_TRUE(cache.Verify().ok());
}

TEST_F(TextBlockCacheTest, ZeroBudgetDecodesEveryTime) {
  TextBlockCache cache(0);
  const uint64_t q = cache.NewQueryId();
  for (int i = 0; i < 3; ++i) {
    auto f = cache.Get(*segment_, ParamsColumn(), 3, 7, std::vector<uint32_t>{0, 127}, q,
                       &counters_);
    ASSERT_TRUE(f.ok());
    ExpectRows(**f, 3, 7, {0, 127});
  }
  EXPECT_EQ(counters_.text_frames_read.load(), 3u);
  EXPECT_EQ(counters_.text_frames_cached.load(), 0u);
  EXPECT_EQ(cache.used_bytes(), 0u);
}

TEST_F(TextBlockCacheTest, BadFramesAndRowsAreErrors) {
  TextBlockCache cache(size_t{1} << 20);
  const uint64_t q = cache.NewQueryId();
  auto past_block = cache.Get(*segment_, ParamsColumn(), 0, 8, std::vector<uint32_t>{0}, q,
                              &counters_);
  EXPECT_EQ(past_block.status().code(), StatusCode::kInvalidArgument);
  auto past_frame = cache.Get(*segment_, ParamsColumn(), 0, 0,
                              std::vector<uint32_t>{kFrameRows}, q, &counters_);
  EXPECT_EQ(past_frame.status().code(), StatusCode::kInternal);
  EXPECT_TRUE(cache.Verify().ok());
}

// Reads every frame of every block, as a full scan of the column does.
void Scan(TextBlockCache& cache, const storage::SegmentReader& seg, uint64_t query,
          ScanCounters* counters) {
  std::vector<uint32_t> all(kFrameRows);
  std::iota(all.begin(), all.end(), 0u);
  for (uint32_t b = 0; b < seg.num_blocks(); ++b) {
    for (uint32_t f = 0; f < kBlockRows / kFrameRows; ++f) {
      auto frame = cache.Get(seg, ParamsColumn(), b, f, all, query, counters);
      ASSERT_TRUE(frame.ok()) << frame.status().ToString();
    }
  }
}

TEST_F(TextBlockCacheTest, RepeatedScanLargerThanTheBudgetKeepsHittingWhatFits) {
  // Size the budget at about a third of the scan's frames.
  TextBlockCache probe(size_t{64} << 20);
  ScanCounters ignored;
  Scan(probe, *segment_, probe.NewQueryId(), &ignored);
  const size_t footprint = probe.used_bytes();
  ASSERT_GT(footprint, 0u);
  TextBlockCache cache(footprint / 3);

  Scan(cache, *segment_, cache.NewQueryId(), &counters_);
  EXPECT_EQ(counters_.text_frames_cached.load(), 0u);
  EXPECT_TRUE(cache.Verify().ok());
  // Plain LRU would hit nothing here: each miss would evict the frame needed next.
  for (int run = 0; run < 3; ++run) {
    ScanCounters again;
    Scan(cache, *segment_, cache.NewQueryId(), &again);
    EXPECT_GE(again.text_frames_cached.load(), 6u) << "run " << run;  // about a third of 32
    EXPECT_EQ(again.text_frames_cached.load() + again.text_frames_read.load(), 32u);
    EXPECT_TRUE(cache.Verify().ok());
  }
  // Another query's frames still get in: the scan's entries are not pinned against others.
  auto other = MakeSegment(8);
  ASSERT_NE(other, nullptr);
  const uint64_t q = cache.NewQueryId();
  ASSERT_TRUE(cache.Get(*other, ParamsColumn(), 0, 0, std::vector<uint32_t>{1}, q, &counters_).ok());
  ScanCounters hit;
  ASSERT_TRUE(cache.Get(*other, ParamsColumn(), 0, 0, std::vector<uint32_t>{1}, q, &hit).ok());
  EXPECT_EQ(hit.text_frames_cached.load(), 1u);
  EXPECT_TRUE(cache.Verify().ok());
}

}  // namespace
}  // namespace trailbook::sql
