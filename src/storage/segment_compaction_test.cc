#include "storage/segment_compaction.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "base/timestamp.h"
#include "io/file.h"
#include "storage/event_schema.h"

namespace trailbook::storage {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/tb_compact_test_XXXXXX";
  return ::mkdtemp(tmpl);
}

// Rows that touch every schema column, each kind with values and NULLs: row `first + i`
// sets column c unless (first + i + c) % 5 == 0.
RowBatch VariedBatch(int first, int n, int64_t day) {
  const EventSchema& schema = EventSchema::Get();
  RowBatch b;
  for (int i = first; i < first + n; ++i) {
    for (size_t c = 0; c < schema.columns().size(); ++c) {
      const int column = static_cast<int>(c);
      if (column == schema.event_time_column()) {
        // Not in row order, so the merge has to sort.
        b.SetTimestamp(column, day * kMicrosPerDay + ((i * 7919) % 86400) * kMicrosPerSecond);
        continue;
      }
      if ((i + static_cast<int>(c)) % 5 == 0) continue;  // NULL
      switch (BuilderKindFor(schema.columns()[c])) {
        case BuilderKind::kTimestamp:
          b.SetTimestamp(column, day * kMicrosPerDay + i);
          break;
        case BuilderKind::kBool:
          b.SetBool(column, (i + static_cast<int>(c)) % 2 == 0);
          break;
        case BuilderKind::kInterned:
          b.SetString(column, "v" + std::to_string((i + static_cast<int>(c)) % 4));
          break;
        case BuilderKind::kRaw:
          b.SetString(column, schema.columns()[c].type == ColumnType::kJson
                                  ? R"({"i":)" + std::to_string(i) + "}"
                                  : (i % 7 == 0 ? std::string() : "raw-" + std::to_string(i)));
          break;
      }
    }
    b.EndRow(static_cast<uint64_t>(i));
  }
  return b;
}

void CommitSegment(Store& store, const RowBatch& batch, int64_t day, uint64_t flags) {
  std::vector<uint32_t> rows(batch.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  std::stable_sort(rows.begin(), rows.end(),
                   [&](uint32_t a, uint32_t b) { return batch.event_time(a) < batch.event_time(b); });
  ZstdCodec codec;
  auto dir = store.SegmentDirectory(day);
  ASSERT_TRUE(dir.ok());
  auto info = WriteSegment(*dir, store.AllocateSegmentId(), day, batch, rows, {}, codec);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  info->flags = flags;
  Commit c;
  c.added.push_back(*info);
  Status s = store.Commit(c);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

// Every row of the snapshot's segments with `flags`, each as the text of all its columns
// (NULL distinct from empty), sorted: equal lists mean the same rows, field by field.
std::vector<std::string> AllRows(const StoreSnapshot& snap, uint64_t flags) {
  const EventSchema& schema = EventSchema::Get();
  std::vector<std::string> out;
  for (size_t s = 0; s < snap.segments().size(); ++s) {
    if (snap.infos()[s].flags != flags) continue;
    const SegmentReader& seg = *snap.segments()[s];
    for (uint64_t r = 0; r < seg.row_count(); ++r) {
      std::string row;
      for (size_t c = 0; c < schema.columns().size(); ++c) {
        const int column = static_cast<int>(c);
        switch (BuilderKindFor(schema.columns()[c])) {
          case BuilderKind::kTimestamp: {
            auto t = seg.TimestampAt(column, r);
            EXPECT_TRUE(t.ok());
            row += t.ok() ? std::to_string(*t) : "?";
            break;
          }
          case BuilderKind::kBool: {
            auto code = seg.CodeAt(column, r);
            EXPECT_TRUE(code.ok());
            row += code.ok() ? std::to_string(*code) : "?";
            break;
          }
          case BuilderKind::kInterned:
          case BuilderKind::kRaw: {
            auto v = seg.StringAt(column, r);
            EXPECT_TRUE(v.ok());
            row += !v.ok() ? "?" : v->has_value() ? "'" + **v + "'" : "NULL";
            break;
          }
        }
        row += '|';
      }
      out.push_back(std::move(row));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

size_t SegmentsWithFlags(const StoreSnapshot& snap, uint64_t flags) {
  return static_cast<size_t>(std::count_if(snap.infos().begin(), snap.infos().end(),
                                           [&](const SegmentInfo& i) { return i.flags == flags; }));
}

TEST(SegmentCompactionTest, MergesSmallAuditSegmentsOfADayLosslesslyInOneCommit) {
  std::string dir = TempDir();
  auto store = Store::Open(dir, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const int64_t day = 20000;
  for (int f = 0; f < 12; ++f) CommitSegment(**store, VariedBatch(f * 10, 10, day), day, kSegmentAuditOnly);
  for (int f = 0; f < 3; ++f) CommitSegment(**store, VariedBatch(500 + f * 5, 5, day + 1), day + 1, kSegmentAuditOnly);
  // Ordinary ingest segments are never merged with audit ones, nor by an audit compaction.
  CommitSegment(**store, VariedBatch(900, 4, day), day, 0);
  CommitSegment(**store, VariedBatch(950, 4, day), day, 0);

  auto before = (*store)->Snapshot();
  std::vector<std::string> audit_rows = AllRows(*before, kSegmentAuditOnly);
  std::vector<std::string> other_rows = AllRows(*before, 0);
  ASSERT_EQ(audit_rows.size(), 135u);
  EXPECT_EQ(CountSmallSegments(*before, {}), 15u);
  uint64_t sequence = before->sequence();

  auto done = CompactSegments(**store, {});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->segments_removed, 15u);
  EXPECT_EQ(done->segments_added, 2u);  // one per day
  EXPECT_EQ(done->rows, 135u);

  auto after = (*store)->Snapshot();
  EXPECT_EQ(after->sequence(), sequence + 1);  // one commit
  EXPECT_EQ(SegmentsWithFlags(*after, kSegmentAuditOnly), 2u);
  EXPECT_EQ(SegmentsWithFlags(*after, 0), 2u);
  EXPECT_EQ(after->row_count(), before->row_count());
  EXPECT_EQ(AllRows(*after, kSegmentAuditOnly), audit_rows);
  EXPECT_EQ(AllRows(*after, 0), other_rows);
  for (size_t s = 0; s < after->segments().size(); ++s) {
    const SegmentReader& seg = *after->segments()[s];
    EXPECT_TRUE(seg.VerifyAll().ok());
    auto t = seg.TimestampAt(EventSchema::Get().event_time_column(), 0);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(DayOf(*t), after->infos()[s].day);
  }
  // The inputs' files are gone; a reopened store reads the same rows.
  auto files = io::ListFilesRecursive(dir + "/segments");
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 4u);
  store->reset();
  auto reopened = Store::Open(dir, Store::Mode::kReadOnly);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(AllRows(*(*reopened)->Snapshot(), kSegmentAuditOnly), audit_rows);
}

TEST(SegmentCompactionTest, LeavesLargeSegmentsAndDaysBelowTheThresholdAlone) {
  std::string dir = TempDir();
  auto store = Store::Open(dir, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const int64_t day = 20000;
  for (int f = 0; f < 3; ++f) CommitSegment(**store, VariedBatch(f * 10, 10, day), day, kSegmentAuditOnly);
  SegmentCompactionOptions options;
  options.min_segments = 4;
  uint64_t sequence = (*store)->Snapshot()->sequence();
  auto done = CompactSegments(**store, options);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->segments_added, 0u);
  EXPECT_EQ((*store)->Snapshot()->sequence(), sequence);  // nothing committed

  EXPECT_EQ(CountSmallSegments(*(*store)->Snapshot(), options), 0u);  // below min_segments
  // One small segment in each of other days: nothing to merge there, nothing counted.
  CommitSegment(**store, VariedBatch(100, 3, day + 1), day + 1, kSegmentAuditOnly);
  CommitSegment(**store, VariedBatch(200, 3, day + 2), day + 2, kSegmentAuditOnly);
  EXPECT_EQ(CountSmallSegments(*(*store)->Snapshot(), {}), 3u);
  done = CompactSegments(**store, {});
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->segments_removed, 3u);
  EXPECT_EQ(CountSmallSegments(*(*store)->Snapshot(), {}), 0u);
  EXPECT_EQ((*store)->Snapshot()->segments().size(), 3u);  // one per day

  // Segments at or over small_segment_bytes are not small.
  options.min_segments = 2;
  options.small_segment_bytes = 1;
  EXPECT_EQ(CountSmallSegments(*(*store)->Snapshot(), options), 0u);
  done = CompactSegments(**store, options);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->segments_added, 0u);

  // max_segment_rows cuts a day into several merged segments.
  for (int f = 0; f < 3; ++f) CommitSegment(**store, VariedBatch(300 + f * 10, 10, day + 3), day + 3, kSegmentAuditOnly);
  options.small_segment_bytes = 16u << 20;
  options.max_segment_rows = 20;
  done = CompactSegments(**store, options);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->segments_removed, 2u);  // 10+10; the third would pass 20 rows
  EXPECT_EQ(done->segments_added, 1u);
  EXPECT_EQ((*store)->Snapshot()->segments().size(), 5u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), 66u);
}

TEST(SegmentCompactionTest, KeepsTheSegmentsItIsToldToKeep) {
  std::string dir = TempDir();
  auto store = Store::Open(dir, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  const int64_t day = 20000;
  for (int f = 0; f < 4; ++f) CommitSegment(**store, VariedBatch(f * 10, 10, day), day, kSegmentAuditOnly);
  std::vector<uint64_t> ids;
  for (const SegmentInfo& info : (*store)->Snapshot()->infos()) ids.push_back(info.id);
  std::sort(ids.begin(), ids.end());
  SegmentCompactionOptions options;
  options.keep = {ids[1], ids[2]};  // e.g. pinned by a snapshot
  EXPECT_EQ(CountSmallSegments(*(*store)->Snapshot(), options), 2u);
  auto done = CompactSegments(**store, options);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->segments_removed, 2u);
  std::vector<uint64_t> after;
  for (const SegmentInfo& info : (*store)->Snapshot()->infos()) after.push_back(info.id);
  std::sort(after.begin(), after.end());
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[0], ids[1]);
  EXPECT_EQ(after[1], ids[2]);
  EXPECT_GT(after[2], ids[3]);
  EXPECT_EQ((*store)->Snapshot()->row_count(), 40u);
  options.keep = {ids[2], ids[1]};
  EXPECT_EQ(CompactSegments(**store, options).status().code(), StatusCode::kInvalidArgument);
}

TEST(SegmentCompactionTest, RejectsBadOptionsAndReadOnlyStores) {
  std::string dir = TempDir();
  {
    auto store = Store::Open(dir, Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok());
    SegmentCompactionOptions options;
    options.min_segments = 1;
    EXPECT_EQ(CompactSegments(**store, options).status().code(), StatusCode::kInvalidArgument);
    options.min_segments = 2;
    options.max_segment_rows = 0;
    EXPECT_EQ(CompactSegments(**store, options).status().code(), StatusCode::kInvalidArgument);
  }
  auto reader = Store::Open(dir, Store::Mode::kReadOnly);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(CompactSegments(**reader, {}).status().code(), StatusCode::kInternal);
}

TEST(SegmentCompactionTest, ADamagedInputCommitsNothing) {
  std::string dir = TempDir();
  auto store = Store::Open(dir, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  const int64_t day = 20000;
  for (int f = 0; f < 3; ++f) CommitSegment(**store, VariedBatch(f * 10, 10, day), day, kSegmentAuditOnly);
  auto snap = (*store)->Snapshot();
  uint64_t sequence = snap->sequence();
  // Damage the middle of one input's column data (the reader maps the file).
  std::string path = (*store)->SegmentPath(snap->infos()[1]);
  auto bytes = io::ReadFile(path);
  ASSERT_TRUE(bytes.ok());
  for (size_t i = 16; i < bytes->size() / 2; ++i) (*bytes)[i] = static_cast<char>(0x5a);
  FILE* f = std::fopen(path.c_str(), "r+b");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(bytes->data(), 1, bytes->size(), f), bytes->size());
  std::fclose(f);
  auto done = CompactSegments(**store, {});
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.status().code(), StatusCode::kCorruption) << done.status().ToString();
  EXPECT_NE(done.status().message().find("compacting segment"), std::string::npos);
  EXPECT_EQ((*store)->Snapshot()->sequence(), sequence);
  EXPECT_EQ((*store)->Snapshot()->segments().size(), 3u);
}

}  // namespace
}  // namespace trailbook::storage
