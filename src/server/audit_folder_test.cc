#include "server/audit_folder.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>

#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_log.h"
#include "audit/audit_verifier.h"
#include "base/clock.h"
#include "base/timestamp.h"
#include "sql/exec/query_engine.h"
#include "storage/audit_journal.h"
#include "storage/event_schema.h"
#include "storage/segment_compaction.h"
#include "storage/store.h"

namespace trailbook::server {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/tb_folder_XXXXXX";
  return ::mkdtemp(tmpl);
}

// A run by alice, as the folder tests append it.
audit::AuditEvent RunEvent() {
  audit::AuditEvent e;
  e.event_name = "RunRunbook";
  e.principal_id = "alice";
  e.token_sha256 = std::string(64, 'a');
  e.source_ip = "127.0.0.1";
  return e;
}

void Append(audit::AuditLog& log, int n) {
  for (int i = 0; i < n; ++i) {
    auto receipt = log.Append(RunEvent());
    ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  }
}

// The eventIDs a query over `store` returns, sorted; with audit:read or without.
std::vector<std::string> QueryEventIds(const storage::Store& store, bool audit_read) {
  sql::QueryEngine engine(store);
  sql::QueryOptions options;
  options.threads = 2;
  if (!audit_read) options.constraints.hidden_event_sources.push_back("trailbook.audit");
  auto result = engine.Execute("SELECT eventID FROM events ORDER BY eventID", options);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  std::vector<std::string> ids;
  if (!result.ok()) return ids;
  sql::DataChunk chunk;
  while (true) {
    auto more = (*result)->Next(&chunk);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    for (size_t r = 0; r < chunk.size; ++r) {
      ids.push_back(chunk.columns[0].GetValue(r).string_value());
    }
  }
  return ids;
}

// Whether one of `snapshot`'s segments (committed or journal tail) holds event `id`.
bool SnapshotHolds(const storage::StoreSnapshot& snapshot, const std::string& id) {
  const int column = storage::EventSchema::Get().event_id_column();
  for (const auto* list : {&snapshot.segments(), &snapshot.journal_segments()}) {
    for (const auto& seg : *list) {
      auto rows = seg->LookupRows(column, id);
      if (rows.ok() && !rows->empty()) return true;
    }
  }
  return false;
}

// Each test gets a fresh store directory with its audit log and the server's read-only store
// handle on it.
class AuditFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    auto log = audit::AuditLog::Open(dir_, {});
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    log_ = std::move(log).value();
    auto store = storage::Store::Open(dir_, storage::Store::Mode::kReadOnly);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  std::string dir_;
  std::unique_ptr<audit::AuditLog> log_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(AuditFolderTest, FoldsTheJournalTailIntoSegmentsWithoutLosingEvents) {
  Append(*log_, 3);
  EXPECT_EQ(store_->Snapshot()->journal_rows(), 3u);

  AuditFolder folder(*store_, std::chrono::seconds(60));
  auto round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_FALSE(round->writer_busy);
  EXPECT_EQ(round->events, 3u);
  auto snap = store_->Snapshot();
  EXPECT_EQ(snap->journal_rows(), 0u);
  EXPECT_EQ(snap->audit_folded_sequence(), 3u);
  EXPECT_EQ(snap->row_count(), 3u);

  // Later events show from the tail again, beside the folded ones, each exactly once.
  Append(*log_, 2);
  snap = store_->Snapshot();
  EXPECT_EQ(snap->journal_rows(), 2u);
  EXPECT_EQ(snap->row_count(), 5u);
  round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->events, 2u);
  EXPECT_EQ(store_->Snapshot()->row_count(), 5u);
  EXPECT_EQ(store_->Snapshot()->journal_rows(), 0u);

  // Nothing new: nothing folded.
  round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->events, 0u);
}

TEST_F(AuditFolderTest, SkipsTheFoldWhileAnotherWriterHoldsTheStore) {
  Append(*log_, 4);
  AuditFolder folder(*store_, std::chrono::seconds(60));
  {
    auto writer = storage::Store::Open(dir_, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    auto round = folder.FoldOnce();
    ASSERT_TRUE(round.ok()) << round.status().ToString();
    EXPECT_TRUE(round->writer_busy);
    EXPECT_EQ(round->events, 0u);
    EXPECT_EQ(store_->Snapshot()->journal_rows(), 4u);
  }
  auto round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_FALSE(round->writer_busy);
  EXPECT_EQ(round->events, 4u);
  EXPECT_EQ(store_->Snapshot()->row_count(), 4u);
}

TEST_F(AuditFolderTest, ReopensTheWriterOnlyWhenTheJournalGrowsPastAFoldWithNoEvent) {
  AuditFolder folder(*store_, std::chrono::seconds(60));
  // No journal yet: nothing to fold, and no writer is opened.
  {
    auto writer = storage::Store::Open(dir_, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    auto round = folder.FoldOnce();
    ASSERT_TRUE(round.ok()) << round.status().ToString();
    EXPECT_FALSE(round->writer_busy);
  }
  Append(*log_, 2);
  auto round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->events, 2u);
  // A torn frame past the fold point (a writer killed mid-record): one fold finds no event...
  std::string journal = dir_ + "/" + "audit/journal.log";
  FILE* f = std::fopen(journal.c_str(), "ab");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite("\x40\x00\x00", 1, 3, f), 3u);
  std::fclose(f);
  round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_FALSE(round->writer_busy);
  EXPECT_EQ(round->events, 0u);
  {
    // ...and later rounds do not try the writer again while the journal stays as it is.
    auto writer = storage::Store::Open(dir_, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    round = folder.FoldOnce();
    ASSERT_TRUE(round.ok()) << round.status().ToString();
    EXPECT_FALSE(round->writer_busy);
    // The next append (which drops the torn frame) makes the journal fold again.
    Append(*log_, 1);
    round = folder.FoldOnce();
    ASSERT_TRUE(round.ok()) << round.status().ToString();
    EXPECT_TRUE(round->writer_busy);
  }
  round = folder.FoldOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->events, 1u);
  EXPECT_EQ(store_->Snapshot()->row_count(), 3u);
  EXPECT_EQ(store_->Snapshot()->journal_rows(), 0u);
}

TEST_F(AuditFolderTest, BackgroundRoundsFoldUntilStopped) {
  AuditFoldPolicy every_round;
  every_round.max_age = std::chrono::seconds(0);
  AuditFolder folder(*store_, std::chrono::milliseconds(20), every_round);
  folder.Start();
  Append(*log_, 5);
  for (int i = 0; i < 500 && store_->Snapshot()->journal_rows() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(store_->Snapshot()->journal_rows(), 0u);  // Folded by a round, not by Stop.
  folder.Stop();
  EXPECT_EQ(store_->Snapshot()->row_count(), 5u);
}

// A policy that never folds on its own: each test lowers one threshold.
AuditFoldPolicy Never() {
  AuditFoldPolicy p;
  p.tail_bytes = uint64_t{1} << 40;
  p.tail_batches = uint64_t{1} << 40;
  p.max_age = std::chrono::hours(1000);
  p.compact_segments = 0;
  return p;
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

size_t AuditSegments(const storage::StoreSnapshot& snap) {
  size_t n = 0;
  for (const storage::SegmentInfo& info : snap.infos()) {
    n += (info.flags & storage::kSegmentAuditOnly) != 0 &&
                 (info.id & storage::kJournalSegmentIdBit) == 0
             ? 1
             : 0;
  }
  return n;
}

TEST_F(AuditFolderTest, DoesNotFoldBelowTheThresholdsAndFoldsOnceTheTailIsOldEnough) {
  FakeClock clock(1'000'000'000);
  AuditFoldPolicy policy = Never();
  policy.max_age = std::chrono::seconds(60);
  AuditFolder folder(*store_, std::chrono::seconds(1), policy, clock);
  auto round = folder.RunRound();  // No journal: nothing to do.
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_FALSE(round->folded);
  Append(*log_, 3);
  round = folder.RunRound();  // The tail is first seen now.
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_FALSE(round->folded);
  clock.Advance(59'000'000);
  Append(*log_, 1);
  round = folder.RunRound();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_FALSE(round->folded);
  EXPECT_EQ(store_->Snapshot()->journal_rows(), 4u);
  EXPECT_EQ(store_->Snapshot()->audit_folded_sequence(), 0u);
  clock.Advance(1'000'000);
  round = folder.RunRound();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_TRUE(round->folded);
  EXPECT_EQ(round->events, 4u);
  EXPECT_EQ(store_->Snapshot()->journal_rows(), 0u);
  // The age counts from the first round that sees the next tail, not from the last fold.
  clock.Advance(3600'000'000);
  Append(*log_, 1);
  round = folder.RunRound();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_FALSE(round->folded);
  clock.Advance(60'000'000);
  round = folder.RunRound();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->events, 1u);
}

TEST_F(AuditFolderTest, FoldsOnceTheTailHoldsEnoughBytes) {
  Append(*log_, 1);
  const uint64_t one = FileSize(dir_ + "/audit/journal.log");
  ASSERT_GT(one, 0u);
  FakeClock clock(1'000'000'000);
  AuditFoldPolicy policy = Never();
  policy.tail_bytes = one + 1;
  AuditFolder folder(*store_, std::chrono::seconds(1), policy, clock);
  auto round = folder.RunRound();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_FALSE(round->folded);
  Append(*log_, 1);
  round = folder.RunRound();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_TRUE(round->folded);
  EXPECT_EQ(round->events, 2u);
}

// The batch cap counts batch records, not the (coalesced) segments a snapshot shows.
TEST_F(AuditFolderTest, FoldsOnceTheTailHoldsEnoughBatchesThoughCoalesced) {
  FakeClock clock(1'000'000'000);
  AuditFoldPolicy policy = Never();
  policy.tail_batches = 10;
  AuditFolder folder(*store_, std::chrono::seconds(1), policy, clock);
  Append(*log_, 9);
  EXPECT_EQ(store_->Snapshot()->journal_batches(), 9u);
  EXPECT_LT(JournalSegments(*store_->Snapshot()), 9u);
  auto round = folder.RunRound();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_FALSE(round->folded);
  Append(*log_, 1);
  round = folder.RunRound();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_TRUE(round->folded);
  EXPECT_EQ(round->events, 10u);
  EXPECT_EQ(JournalSegments(*store_->Snapshot()), 0u);
}

TEST_F(AuditFolderTest, StopFoldsWhatIsLeft) {
  AuditFolder folder(*store_, std::chrono::hours(1), Never());
  folder.Start();
  Append(*log_, 4);
  EXPECT_EQ(store_->Snapshot()->journal_rows(), 4u);
  folder.Stop();
  EXPECT_EQ(store_->Snapshot()->journal_rows(), 0u);
  EXPECT_EQ(store_->Snapshot()->audit_folded_sequence(), 4u);
  EXPECT_EQ(store_->Snapshot()->row_count(), 4u);
}

TEST_F(AuditFolderTest, CompactionKeepsTheAuditSegmentCountBoundedUnderManySmallFolds) {
  AuditFoldPolicy policy = Never();
  policy.max_age = std::chrono::seconds(0);  // Fold every round that sees an event.
  policy.compact_segments = 8;
  AuditFolder folder(*store_, std::chrono::seconds(1), policy);
  constexpr int kFolds = 100;
  size_t most = 0;
  uint64_t compacted = 0;
  for (int i = 0; i < kFolds; ++i) {
    Append(*log_, 1);
    auto round = folder.RunRound();
    ASSERT_TRUE(round.ok()) << round.status().ToString();
    ASSERT_EQ(round->events, 1u);
    compacted += round->segments_compacted;
    most = std::max(most, AuditSegments(*store_->Snapshot()));
  }
  EXPECT_LT(most, 8u);  // Without compaction: 100 (one per fold).
  EXPECT_GE(compacted, 90u);
  auto snap = store_->Snapshot();
  EXPECT_EQ(snap->row_count(), static_cast<uint64_t>(kFolds));
  EXPECT_EQ(snap->journal_rows(), 0u);
  auto report = audit::VerifyAuditTrail(dir_, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->last_sequence, static_cast<uint64_t>(kFolds));
}

TEST_F(AuditFolderTest, CompactionSkipsTheWriterWhileItIsBusyAndNeverBlocksTheFold) {
  AuditFoldPolicy policy = Never();
  policy.compact_segments = 3;
  AuditFolder folder(*store_, std::chrono::seconds(1), policy);
  for (int i = 0; i < 2; ++i) {
    Append(*log_, 1);
    ASSERT_TRUE(folder.FoldOnce().ok());
  }
  EXPECT_EQ(AuditSegments(*store_->Snapshot()), 2u);
  // An unreadable snapshot manifest: compaction stops (it might pin these segments), the
  // fold goes on, and the round reports why.
  ASSERT_EQ(::system(("mkdir -p " + dir_ + "/snapshots/20260101T120000.000000Z-0123456789abcdef && echo '{' > " +
                      dir_ + "/snapshots/20260101T120000.000000Z-0123456789abcdef/manifest.json")
                         .c_str()),
            0);
  Append(*log_, 1);
  auto round = folder.FoldOnce();
  ASSERT_FALSE(round.ok());
  EXPECT_NE(round.status().message().find("compacting audit segments"), std::string::npos)
      << round.status().ToString();
  EXPECT_EQ(store_->Snapshot()->audit_folded_sequence(), 3u);
  EXPECT_EQ(AuditSegments(*store_->Snapshot()), 3u);
  ASSERT_EQ(::system(("rm -rf " + dir_ + "/snapshots").c_str()), 0);
  {
    auto writer = storage::Store::Open(dir_, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    round = folder.RunRound();
    ASSERT_TRUE(round.ok()) << round.status().ToString();
    EXPECT_TRUE(round->writer_busy);
    EXPECT_EQ(AuditSegments(*store_->Snapshot()), 3u);
  }
  round = folder.RunRound();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->segments_compacted, 3u);
  EXPECT_EQ(AuditSegments(*store_->Snapshot()), 1u);
  EXPECT_EQ(store_->Snapshot()->row_count(), 3u);
}

// Property: over random runs of appends (events on two UTC days, times out of order) and
// folds, a query with audit:read returns every audit event exactly once, whatever the tail
// length and wherever the folds fell (across coalesced tail runs); without audit:read it
// returns none; and a snapshot taken earlier keeps showing what it showed then.
TEST_F(AuditFolderTest, QueriesSeeEveryAuditEventOnceAcrossTailLengthsAndFolds) {
  AuditFolder folder(*store_, std::chrono::seconds(60));
  std::mt19937 rng(7);
  std::vector<std::string> appended;
  std::shared_ptr<const storage::StoreSnapshot> old_snapshot;
  size_t old_count = 0;
  const int64_t day = 20000 * kMicrosPerDay;
  for (int step = 0; step < 12; ++step) {
    const int n = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) {
      audit::AuditEvent e = RunEvent();
      e.event_time_us = day + static_cast<int64_t>(rng() % (2 * 86400)) * kMicrosPerSecond;
      auto receipt = log_->Append(e);
      ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
      appended.push_back(receipt->event_id);
    }
    if (rng() % 3 == 0) {
      auto round = folder.FoldOnce();
      ASSERT_TRUE(round.ok()) << round.status().ToString();
    }
    std::vector<std::string> expected = appended;
    std::sort(expected.begin(), expected.end());
    SCOPED_TRACE("step " + std::to_string(step));
    EXPECT_EQ(QueryEventIds(*store_, true), expected);
    EXPECT_TRUE(QueryEventIds(*store_, false).empty());
    auto snap = store_->Snapshot();
    EXPECT_EQ(snap->row_count(), appended.size());
    if (step == 3) {
      old_snapshot = snap;
      old_count = appended.size();
    }
  }
  ASSERT_NE(old_snapshot, nullptr);
  EXPECT_EQ(old_snapshot->row_count(), old_count);
  EXPECT_TRUE(SnapshotHolds(*old_snapshot, appended[old_count - 1]));
  EXPECT_FALSE(SnapshotHolds(*old_snapshot, appended[old_count]));
  EXPECT_FALSE(SnapshotHolds(*old_snapshot, appended.back()));
}

// A tail of many batches is coalesced: a query snapshot holds few journal segments, and a
// snapshot taken again without new batches is the same object (nothing recomposed).
TEST_F(AuditFolderTest, LongTailIsCoalescedIntoFewSegments) {
  Append(*log_, 300);
  auto snap = store_->Snapshot();
  EXPECT_EQ(snap->journal_rows(), 300u);
  EXPECT_LE(JournalSegments(*snap), 16u);  // One per batch before: 300.
  EXPECT_EQ(store_->Snapshot(), snap);
  Append(*log_, 1);
  auto next = store_->Snapshot();
  EXPECT_NE(next, snap);
  EXPECT_EQ(next->journal_rows(), 301u);
  EXPECT_EQ(snap->journal_rows(), 300u);
}

}  // namespace
}  // namespace trailbook::server
