#include "storage/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <numeric>
#include <thread>

#include "base/timestamp.h"
#include "io/file.h"
#include "storage/event_schema.h"

namespace trailbook::storage {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/tb_store_test_XXXXXX";
  return ::mkdtemp(tmpl);
}

RowBatch OneDayBatch(int n, int64_t day) {
  const EventSchema& s = EventSchema::Get();
  RowBatch b;
  for (int i = 0; i < n; ++i) {
    b.SetTimestamp(s.event_time_column(), day * kMicrosPerDay + i * kMicrosPerSecond);
    b.SetString(s.ColumnByPath("eventName"), "E" + std::to_string(i % 3));
    b.SetString(s.shape_column(), std::string("\x1f\x21", 2));
    b.EndRow(static_cast<uint64_t>(i));
  }
  return b;
}

Result<SegmentInfo> AddSegment(Store& store, const RowBatch& batch, int64_t day) {
  std::vector<uint32_t> rows(batch.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  ZstdCodec codec;
  TB_ASSIGN_OR_RETURN(std::string dir, store.SegmentDirectory(day));
  return WriteSegment(dir, store.AllocateSegmentId(), day, batch, rows, {}, codec);
}

// Writes a segment of `rows` rows of `day` and commits it alone.
void CommitOneDaySegment(Store& writer, int rows, int64_t day) {
  auto info = AddSegment(writer, OneDayBatch(rows, day), day);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  Commit c;
  c.added.push_back(*info);
  Status s = writer.Commit(c);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

TEST(StoreTest, CommitIsVisibleAndDurable) {
  std::string dir = TempDir();
  std::string id;
  {
    auto store = Store::Open(dir, Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    id = (*store)->store_id();
    EXPECT_EQ(id.size(), 36u);
    EXPECT_EQ((*store)->Snapshot()->row_count(), 0u);
    auto info = AddSegment(**store, OneDayBatch(100, 19000), 19000);
    ASSERT_TRUE(info.ok());
    Commit c;
    c.added.push_back(*info);
    c.ledger.push_back(LedgerEntry{"/x.json", 1, 2, "hash", 100, 100, 0, 0, 0});
    c.properties.emplace_back("audit.head", "abc");
    ASSERT_TRUE((*store)->Commit(c).ok());
    EXPECT_EQ((*store)->Snapshot()->row_count(), 100u);
    EXPECT_NE((*store)->LedgerByHash("hash"), nullptr);
  }
  auto ro = Store::Open(dir, Store::Mode::kReadOnly);
  ASSERT_TRUE(ro.ok());
  EXPECT_EQ((*ro)->store_id(), id);
  auto snap = (*ro)->Snapshot();
  EXPECT_EQ(snap->row_count(), 100u);
  EXPECT_EQ(snap->segments().size(), 1u);
  EXPECT_EQ(snap->min_time(), 19000 * kMicrosPerDay);
  EXPECT_EQ((*ro)->Property("audit.head"), "abc");
}

TEST(StoreTest, SecondWriterIsRefused) {
  std::string dir = TempDir();
  auto a = Store::Open(dir, Store::Mode::kReadWrite);
  ASSERT_TRUE(a.ok());
  auto b = Store::Open(dir, Store::Mode::kReadWrite);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Store::Open(dir, Store::Mode::kReadOnly).ok());
}

TEST(StoreTest, WriterWaitsForAShortLivedLockHolder) {
  std::string dir = TempDir();
  auto a = Store::Open(dir, Store::Mode::kReadWrite);
  ASSERT_TRUE(a.ok());
  // Held for the whole wait: refused after it.
  auto t0 = std::chrono::steady_clock::now();
  auto refused = Store::Open(dir, Store::Mode::kReadWrite, SystemClock(),
                             std::chrono::milliseconds(100));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(100));
  // Released within the wait: the second writer gets the store.
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    a->reset();
  });
  auto b = Store::Open(dir, Store::Mode::kReadWrite, SystemClock(), std::chrono::seconds(10));
  release.join();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_TRUE((*b)->writable());
}

TEST(StoreTest, ReadOnlyOpenOfMissingStoreIsNotFound) {
  auto s = Store::Open(TempDir() + "/nothing", Store::Mode::kReadOnly);
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
}

// A read-only handle refreshed while a writer appends: commits appear (read incrementally),
// a record still being written is not shown until complete, and a MANIFEST replaced whole
// (a writer's rewrite: a new file) is read again from its start.
TEST(StoreTest, ReadOnlyRefreshFollowsAppendsTornRecordsAndARewrittenManifest) {
  std::string dir = TempDir();
  {
    auto writer = Store::Open(dir, Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    CommitOneDaySegment(**writer, 10, 19001);
  }
  auto ro = Store::Open(dir, Store::Mode::kReadOnly);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  EXPECT_EQ((*ro)->Snapshot()->row_count(), 10u);
  ASSERT_TRUE((*ro)->Refresh().ok());  // Nothing new.
  EXPECT_EQ((*ro)->Snapshot()->row_count(), 10u);
  {
    auto writer = Store::Open(dir, Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    CommitOneDaySegment(**writer, 5, 19002);
    ASSERT_TRUE((*ro)->Refresh().ok());
    EXPECT_EQ((*ro)->Snapshot()->row_count(), 15u);
    CommitOneDaySegment(**writer, 7, 19002);
    ASSERT_TRUE((*ro)->Refresh().ok());
    EXPECT_EQ((*ro)->Snapshot()->row_count(), 22u);
    EXPECT_EQ((*ro)->Snapshot()->segments().size(), 3u);
  }
  // A commit record arriving in two writes: the first half shows nothing, the whole does.
  Commit props;
  props.sequence = (*ro)->Snapshot()->sequence() + 1;
  props.properties.emplace_back("audit.head", "half-then-whole");
  std::string rec = EncodeCommit(props);
  std::string manifest_path = dir + "/MANIFEST";
  FILE* f = std::fopen(manifest_path.c_str(), "ab");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(rec.data(), 1, rec.size() / 2, f), rec.size() / 2);
  ASSERT_EQ(std::fflush(f), 0);
  ASSERT_TRUE((*ro)->Refresh().ok());
  EXPECT_EQ((*ro)->Property("audit.head"), "");
  ASSERT_EQ(std::fwrite(rec.data() + rec.size() / 2, 1, rec.size() - rec.size() / 2, f),
            rec.size() - rec.size() / 2);
  std::fclose(f);
  ASSERT_TRUE((*ro)->Refresh().ok());
  EXPECT_EQ((*ro)->Property("audit.head"), "half-then-whole");
  EXPECT_EQ((*ro)->Snapshot()->row_count(), 22u);

  // Replaced whole by a shorter file holding the first commit only (a new inode): the
  // handle must not read it from its old offset, but from the start.
  {
    std::string whole = *io::ReadFile(manifest_path);
    ManifestState state;
    size_t valid = 0;
    ASSERT_TRUE(ReplayManifest(whole, &state, &valid).ok());
    ManifestState first_only;
    first_only.store_id = state.store_id;
    first_only.created_us = state.created_us;
    first_only.format_version = state.format_version;
    first_only.last_sequence = 1;
    first_only.next_segment_id = state.next_segment_id;
    for (const auto& [id, info] : state.segments) {
      if (info.day == 19001) first_only.segments[id] = info;
    }
    first_only.properties["audit.head"] = "rewritten";
    ASSERT_TRUE(io::WriteFileAtomic(manifest_path, EncodeSnapshot(first_only)).ok());
  }
  ASSERT_TRUE((*ro)->Refresh().ok());
  EXPECT_EQ((*ro)->Property("audit.head"), "rewritten");
  EXPECT_EQ((*ro)->Snapshot()->row_count(), 10u);
}

// A read-only handle's write session (the server's audit folder): it catches up with other
// writers' commits and drops a dead writer's torn record before committing, its commits
// are durable and visible through the same handle, other writers are refused only during
// the session, and the handle keeps following the MANIFEST after it.
TEST(StoreTest, WriteSessionOnAReadOnlyHandleCommitsAndReleasesTheLock) {
  std::string dir = TempDir();
  {
    auto writer = Store::Open(dir, Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    CommitOneDaySegment(**writer, 10, 19001);
  }
  auto ro = Store::Open(dir, Store::Mode::kReadOnly);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  EXPECT_FALSE((*ro)->writable());
  {
    // Another writer holds the lock: refused, and the handle stays read-only.
    auto writer = Store::Open(dir, Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    Status busy = (*ro)->BeginWrite();
    EXPECT_EQ(busy.code(), StatusCode::kResourceExhausted) << busy.ToString();
    EXPECT_FALSE((*ro)->writable());
    CommitOneDaySegment(**writer, 5, 19002);  // Not yet read by the handle.
  }
  // A writer died mid-record after that commit.
  Commit torn;
  torn.sequence = 99;
  std::string rec = EncodeCommit(torn);
  std::string manifest_path = dir + "/MANIFEST";
  FILE* f = std::fopen(manifest_path.c_str(), "ab");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(rec.data(), 1, rec.size() / 2, f), rec.size() / 2);
  std::fclose(f);

  Status began = (*ro)->BeginWrite();
  ASSERT_TRUE(began.ok()) << began.ToString();
  EXPECT_TRUE((*ro)->writable());
  EXPECT_EQ((*ro)->Snapshot()->row_count(), 15u);  // Caught up with the other writer.
  auto refused = Store::Open(dir, Store::Mode::kReadWrite, SystemClock(),
                             std::chrono::milliseconds(0));
  EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  CommitOneDaySegment(**ro, 7, 19003);
  EXPECT_EQ((*ro)->Snapshot()->row_count(), 22u);
  (*ro)->EndWrite();
  EXPECT_FALSE((*ro)->writable());
  EXPECT_TRUE((*ro)->Refresh().ok());
  EXPECT_EQ((*ro)->Snapshot()->row_count(), 22u);

  // The torn half record is gone and the session's commit is durable for a new reader.
  {
    auto fresh = Store::Open(dir, Store::Mode::kReadOnly);
    ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
    EXPECT_EQ((*fresh)->Snapshot()->row_count(), 22u);
    EXPECT_EQ((*fresh)->Snapshot()->segments().size(), 3u);
  }
  // The lock is free again, and the handle follows later writers incrementally.
  {
    auto writer = Store::Open(dir, Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    CommitOneDaySegment(**writer, 3, 19004);
  }
  ASSERT_TRUE((*ro)->Refresh().ok());
  EXPECT_EQ((*ro)->Snapshot()->row_count(), 25u);
  // A second session reuses the handle.
  ASSERT_TRUE((*ro)->BeginWrite().ok());
  CommitOneDaySegment(**ro, 2, 19004);
  (*ro)->EndWrite();
  auto fresh = Store::Open(dir, Store::Mode::kReadOnly);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_EQ((*fresh)->Snapshot()->row_count(), 27u);
}

TEST(StoreTest, UncommittedSegmentsAndTornTailAreDiscarded) {
  std::string dir = TempDir();
  {
    auto store = Store::Open(dir, Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok());
    auto info = AddSegment(**store, OneDayBatch(10, 19001), 19001);
    ASSERT_TRUE(info.ok());
    Commit c;
    c.added.push_back(*info);
    ASSERT_TRUE((*store)->Commit(c).ok());
    // A segment written but never committed (crash before the commit record).
    ASSERT_TRUE(AddSegment(**store, OneDayBatch(5, 19002), 19002).ok());
  }
  // Simulate a torn commit record at the tail of the MANIFEST.
  std::string manifest = *io::ReadFile(dir + "/MANIFEST");
  Commit torn;
  torn.sequence = 99;
  std::string rec = EncodeCommit(torn);
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/MANIFEST", manifest + rec.substr(0, rec.size() / 2)).ok());
  auto store = Store::Open(dir, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->Snapshot()->row_count(), 10u);
  EXPECT_EQ(*io::FileSize(dir + "/MANIFEST"), manifest.size());
  auto files = io::ListFilesRecursive(dir + "/segments");
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 1u);  // the orphan was removed
}

TEST(StoreTest, InterruptedCreationIsRepaired) {
  // A writer killed while creating the store (an empty or torn MANIFEST header) must not leave a store that neither readers nor writers can open.
  std::string dir = TempDir();
  ASSERT_TRUE(io::CreateDirectories(dir).ok());
  std::string header = EncodeStoreCreated("00000000-0000-4000-8000-000000000000", 1);
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/MANIFEST", header.substr(0, header.size() / 2)).ok());
  EXPECT_FALSE(Store::Open(dir, Store::Mode::kReadOnly).ok());
  {
    auto store = Store::Open(dir, Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_FALSE((*store)->store_id().empty());
  }
  auto reader = Store::Open(dir, Store::Mode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->Snapshot()->row_count(), 0u);
}

TEST(StoreTest, NewStoreManifestAlwaysHasHeader) {
  std::string dir = TempDir();
  { ASSERT_TRUE(Store::Open(dir, Store::Mode::kReadWrite).ok()); }
  std::string manifest = *io::ReadFile(dir + "/MANIFEST");
  ManifestState state;
  size_t valid = 0;
  ASSERT_TRUE(ReplayManifest(manifest, &state, &valid).ok());
  EXPECT_FALSE(state.store_id.empty());
  EXPECT_EQ(valid, manifest.size());
}

TEST(StoreTest, RemovedSegmentsAreDeleted) {
  std::string dir = TempDir();
  auto store = Store::Open(dir, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto a = AddSegment(**store, OneDayBatch(10, 19003), 19003);
  ASSERT_TRUE(a.ok());
  Commit c1;
  c1.added.push_back(*a);
  ASSERT_TRUE((*store)->Commit(c1).ok());
  auto old_snapshot = (*store)->Snapshot();
  auto b = AddSegment(**store, OneDayBatch(20, 19003), 19003);
  ASSERT_TRUE(b.ok());
  Commit c2;
  c2.added.push_back(*b);
  c2.removed.push_back(a->id);
  ASSERT_TRUE((*store)->Commit(c2).ok());
  EXPECT_EQ((*store)->Snapshot()->row_count(), 20u);
  EXPECT_FALSE(io::Exists((*store)->SegmentPath(*a)));
  // The old snapshot still reads its mapped segment.
  EXPECT_EQ(old_snapshot->segments()[0]->row_count(), 10u);
  std::vector<uint32_t> codes(10);
  EXPECT_TRUE(old_snapshot->segments()[0]
                  ->ReadCodes(EventSchema::Get().ColumnByPath("eventName"), 0, codes.data())
                  .ok());
}

}  // namespace
}  // namespace trailbook::storage

namespace trailbook::storage {
namespace {

long RssFileKb() {
  Result<std::string> status = io::ReadFile("/proc/self/status");
  if (!status.ok()) return -1;
  size_t at = status->find("RssFile:");
  return at == std::string::npos ? -1 : std::atol(status->c_str() + at + 8);
}

TEST(StoreTest, ReleasedSegmentPagesLeaveTheRssAndReadTheSameAgain) {
  std::string dir = TempDir();
  auto store = Store::Open(dir, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const EventSchema& s = EventSchema::Get();
  const int params = s.ColumnByPath("requestParameters");
  RowBatch b;
  for (int i = 0; i < 60000; ++i) {
    b.SetTimestamp(s.event_time_column(), 19000 * kMicrosPerDay + i);
    // Incompressible text, so the column's pages are many.
    b.SetString(params, "{\"k\":\"" + std::to_string(static_cast<uint64_t>(i) * uint64_t{0x9E3779B97F4A7C15}) +
                            std::to_string(static_cast<uint64_t>(i) * uint64_t{0xC2B2AE3D27D4EB4F}) + "\"}");
    b.EndRow(static_cast<uint64_t>(i));
  }
  auto info = AddSegment(**store, b, 19000);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  Commit c;
  c.added.push_back(*info);
  ASSERT_TRUE((*store)->Commit(c).ok());
  auto snap = (*store)->Snapshot();
  const SegmentReader& seg = *snap->segments()[0];
  auto read_all = [&] {
    std::string all;
    for (uint32_t blk = 0; blk < seg.num_blocks(); ++blk) {
      StringBlock text;
      EXPECT_TRUE(seg.ReadStrings(params, blk, &text).ok());
      for (size_t i = 0; i < text.size(); ++i) all += text.view(i);
    }
    return all;
  };
  const std::string first = read_all();
  const long before = RssFileKb();
  (*store)->ReleaseSegmentPages(info->id);
  const long after = RssFileKb();
  EXPECT_GT(info->bytes, uint64_t{1} << 20);
  EXPECT_LT(after, before - 512) << "RssFile " << before << " kB -> " << after << " kB";
  EXPECT_EQ(read_all(), first);
  // A second call with the same bound releases nothing new; reads still work.
  (*store)->ReleaseSegmentPages(info->id);
  EXPECT_EQ(read_all(), first);
}

}  // namespace
}  // namespace trailbook::storage
