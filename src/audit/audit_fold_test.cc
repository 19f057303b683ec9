// Fold, multi-process and kill tests of the audit journal.
#include "audit/audit_fold.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "audit/audit_log.h"
#include "audit/audit_verifier.h"
#include "audit/testing/audit_test_support.h"
#include "ingest/ingest_pipeline.h"
#include "io/file.h"
#include "sql/exec/query_engine.h"
#include "storage/manifest.h"
#include "storage/segment_compaction.h"
#include "storage/store.h"

namespace trailbook::audit {
namespace {

using testing::Both;
using testing::Counts;
using testing::Event;
using testing::KillLoop;
using testing::TempDir;

TEST(AuditFoldTest, FoldMovesEventsIntoSegmentsWithoutDuplicates) {
  std::string dir = TempDir();
  {
    auto log = AuditLog::Open(dir, {});
    ASSERT_TRUE(log.ok());
    for (int i = 1; i <= 5; ++i) ASSERT_TRUE((*log)->Append(Event(i)).ok());
  }
  {
    auto store = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok());
    auto folded = FoldAuditJournal(**store);
    ASSERT_TRUE(folded.ok()) << folded.status().ToString();
    EXPECT_EQ(folded->events, 5u);
    EXPECT_EQ(folded->folded_sequence, 5u);
    auto snap = (*store)->Snapshot();
    EXPECT_EQ(snap->row_count(), 5u);
    EXPECT_EQ(snap->journal_rows(), 0u);
    EXPECT_EQ(snap->audit_folded_sequence(), 5u);
    auto again = FoldAuditJournal(**store);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->events, 0u);
  }
  EXPECT_EQ(Counts(dir), Both(5));
  // The chain continues from the fold point, and a second fold takes only the new events.
  {
    auto log = AuditLog::Open(dir, {});
    ASSERT_TRUE(log.ok());
    auto r = (*log)->Append(Event(6));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->sequence, 6u);
    ASSERT_TRUE((*log)->Append(Event(7)).ok());
  }
  EXPECT_EQ(Counts(dir), Both(7));
  {
    auto store = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok());
    auto folded = FoldAuditJournal(**store);
    ASSERT_TRUE(folded.ok());
    EXPECT_EQ(folded->events, 2u);
  }
  EXPECT_EQ(Counts(dir), Both(7));
  auto report = VerifyAuditTrail(dir, {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->last_sequence, 7u);
}

// Runs `sql` and returns its first column as strings, with the query's stats.
std::vector<std::string> RunQuery(const storage::Store& store, const std::string& sql,
                             const sql::QueryOptions& options, sql::QueryStats* stats) {
  sql::QueryEngine engine(store);
  auto result = engine.Execute(sql, options);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return {};
  std::vector<std::string> out;
  sql::DataChunk chunk;
  while (true) {
    auto more = (*result)->Next(&chunk);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    for (size_t r = 0; r < chunk.size; ++r) out.push_back(chunk.columns[0].GetValue(r).ToString());
  }
  *stats = (*result)->stats();
  return out;
}

sql::QueryOptions HidingAudit() {
  sql::QueryOptions options;
  options.constraints.hidden_event_sources.push_back(kAuditEventSource);
  return options;
}

constexpr char kNeedleQuery[] =
    "SELECT eventID FROM events WHERE eventName = 'GetObject' ORDER BY eventID";

// A store with one ingested dataset and `folds` audit folds of one event each (a server's
// fold per busy second).
std::string StoreWithFolds(int folds, size_t* ingest_segments) {
  std::string dir = TempDir();
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
  EXPECT_TRUE(store.ok());
  if (!store.ok()) return dir;
  ingest::IngestProgress progress;
  std::vector<std::string> paths = {"tests/data/datasets/otrf-ec2-proxy-s3-exfil"};
  auto ingested = ingest::Ingest(**store, paths, {}, &progress);
  EXPECT_TRUE(ingested.ok()) << ingested.status().ToString();
  *ingest_segments = (*store)->Snapshot()->infos().size();
  auto log = AuditLog::Open(dir, {});
  EXPECT_TRUE(log.ok());
  if (!log.ok()) return dir;
  for (int i = 1; i <= folds; ++i) {
    EXPECT_TRUE((*log)->Append(Event(i)).ok());
    auto folded = FoldAuditJournal(**store);
    EXPECT_TRUE(folded.ok());
    if (folded.ok()) {
      EXPECT_EQ(folded->segments, 1u);
    }
  }
  return dir;
}

TEST(AuditFoldTest, FoldMarksItsSegmentsAuditOnlyAndIngestDoesNot) {
  constexpr int kFolds = 12;
  size_t ingest_segments = 0;
  std::string dir = StoreWithFolds(kFolds, &ingest_segments);
  ASSERT_GT(ingest_segments, 0u);
  // The flag survives a manifest replay (a fresh read-only handle).
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(store.ok());
  size_t flagged = 0, plain = 0;
  for (const storage::SegmentInfo& info : (*store)->Snapshot()->infos()) {
    ((info.flags & storage::kSegmentAuditOnly) != 0 ? flagged : plain) += 1;
  }
  EXPECT_EQ(flagged, static_cast<size_t>(kFolds));
  EXPECT_EQ(plain, ingest_segments);
  // Every flagged segment holds audit events only: hiding them loses no other row.
  sql::QueryStats stats;
  auto audit = RunQuery(**store, "SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit'",
                   {}, &stats);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0], std::to_string(kFolds));
  auto all = RunQuery(**store, "SELECT count(*) FROM events", {}, &stats);
  auto hidden = RunQuery(**store, "SELECT count(*) FROM events", HidingAudit(), &stats);
  ASSERT_EQ(all.size(), 1u);
  ASSERT_EQ(hidden.size(), 1u);
  EXPECT_EQ(std::stoll(all[0]) - std::stoll(hidden[0]), kFolds);
}

TEST(AuditFoldTest, HiddenAuditSegmentsArePrunedWithoutBeingOpened) {
  constexpr int kFolds = 40;
  size_t ingest_segments = 0;
  std::string dir = StoreWithFolds(kFolds, &ingest_segments);
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(store.ok());
  sql::QueryStats shown, hidden;
  auto seen = RunQuery(**store, kNeedleQuery, {}, &shown);
  auto rows = RunQuery(**store, kNeedleQuery, HidingAudit(), &hidden);
  EXPECT_FALSE(rows.empty());
  EXPECT_EQ(rows, seen);
  EXPECT_EQ(hidden.segments_total, ingest_segments + kFolds);
  // Only the ingested segments are prepared; the fold segments leave the list unread.
  EXPECT_LE(hidden.segments_prepared, ingest_segments);
  EXPECT_EQ(shown.segments_prepared, ingest_segments + kFolds);
  std::printf("needle query over %zu ingest + %d fold segments: prepared %llu (audit:read) vs "
              "%llu (audit hidden)\n",
              ingest_segments, kFolds, static_cast<unsigned long long>(shown.segments_prepared),
              static_cast<unsigned long long>(hidden.segments_prepared));

  // A store written before segment flags existed (types 2/3 only, flags 0) still opens and
  // answers identically; there the fold segments are pruned one by one in Prepare instead.
  std::string manifest = dir + "/MANIFEST";
  auto bytes = io::ReadFile(manifest);
  ASSERT_TRUE(bytes.ok());
  storage::ManifestState state;
  size_t valid = 0;
  ASSERT_TRUE(storage::ReplayManifest(*bytes, &state, &valid).ok());
  for (auto& [id, info] : state.segments) info.flags = 0;
  std::string header = storage::EncodeStoreCreated(state.store_id, state.created_us);
  std::string old_log = header + storage::EncodeSnapshot(state);
  ASSERT_EQ(static_cast<uint8_t>(old_log[header.size() + storage::kRecordHeaderSize]),
            storage::kRecordSnapshot);
  ASSERT_TRUE(io::WriteFileAtomic(manifest, old_log).ok());
  auto old_store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(old_store.ok()) << old_store.status().ToString();
  for (const storage::SegmentInfo& info : (*old_store)->Snapshot()->infos()) {
    EXPECT_EQ(info.flags, 0u);
  }
  sql::QueryStats old_shown, old_hidden;
  EXPECT_EQ(RunQuery(**old_store, kNeedleQuery, {}, &old_shown), seen);
  EXPECT_EQ(RunQuery(**old_store, kNeedleQuery, HidingAudit(), &old_hidden), rows);
  EXPECT_EQ(old_hidden.segments_prepared, hidden.segments_prepared + kFolds);
  std::printf("same store, manifest without flags: prepared %llu (audit hidden)\n",
              static_cast<unsigned long long>(old_hidden.segments_prepared));
}

TEST(AuditFoldTest, PinnedSegmentsRerunIdenticallyAndAuditVerifyIsUnchanged) {
  constexpr int kFolds = 5;
  size_t ingest_segments = 0;
  std::string dir = StoreWithFolds(kFolds, &ingest_segments);
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(store.ok());
  sql::QueryOptions pinned = HidingAudit();
  std::vector<uint64_t> ids;
  for (const storage::SegmentInfo& info : (*store)->Snapshot()->infos()) ids.push_back(info.id);
  std::sort(ids.begin(), ids.end());
  pinned.constraints.segment_ids = ids;
  sql::QueryStats first, second, all_stats;
  auto a = RunQuery(**store, "SELECT eventID FROM events ORDER BY eventID", pinned, &first);
  // More folds after the pin change nothing the pinned run reads.
  {
    auto writer = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok());
    auto log = AuditLog::Open(dir, {});
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE((*log)->Append(Event(100)).ok());
    ASSERT_TRUE(FoldAuditJournal(**writer).ok());
  }
  ASSERT_TRUE((*store)->Refresh().ok());
  auto b = RunQuery(**store, "SELECT eventID FROM events ORDER BY eventID", pinned, &second);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_EQ(second.segments_prepared, first.segments_prepared);
  sql::QueryOptions pinned_all;
  pinned_all.constraints.segment_ids = ids;
  auto c = RunQuery(**store, "SELECT eventID FROM events ORDER BY eventID", pinned_all, &all_stats);
  EXPECT_EQ(c.size(), a.size() + kFolds);
  auto report = VerifyAuditTrail(dir, {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->last_sequence, static_cast<uint64_t>(kFolds + 1));
}

TEST(AuditFoldTest, WriterSnapshotFollowsAppendsAndFolds) {
  std::string dir = TempDir();
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto log = AuditLog::Open(dir, {});  // Needs no store writer lock.
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_TRUE((*log)->Append(Event(1)).ok());
  ASSERT_TRUE((*log)->Append(Event(2)).ok());
  EXPECT_EQ((*store)->Snapshot()->row_count(), 2u);
  ASSERT_TRUE(FoldAuditJournal(**store).ok());
  EXPECT_EQ((*store)->Snapshot()->row_count(), 2u);
  ASSERT_TRUE((*log)->Append(Event(3)).ok());
  auto snap = (*store)->Snapshot();
  EXPECT_EQ(snap->row_count(), 3u);
  EXPECT_EQ(snap->journal_rows(), 1u);
}

TEST(AuditFoldTest, ProcessesAppendingAtOnceLoseNothing) {
  std::string dir = TempDir();
  { ASSERT_TRUE(AuditLog::Open(dir, {}).ok()); }
  constexpr int kProcesses = 3, kPerProcess = 60;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto log = AuditLog::Open(dir, {});
      if (!log.ok()) ::_exit(2);
      for (int i = 0; i < kPerProcess; ++i) {
        if (!(*log)->Append(Event(p * 1000 + i)).ok()) ::_exit(3);
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  // Meanwhile, this process appends from two threads.
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok());
  std::thread t1([&] {
    for (int i = 0; i < kPerProcess; ++i) EXPECT_TRUE((*log)->Append(Event(i)).ok());
  });
  for (int i = 0; i < kPerProcess; ++i) EXPECT_TRUE((*log)->Append(Event(i)).ok());
  t1.join();
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  uint64_t total = (kProcesses + 2) * kPerProcess;
  auto report = VerifyAuditTrail(dir, {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->events, total);
  EXPECT_EQ(report->last_sequence, total);
  EXPECT_EQ(Counts(dir), Both(total));
}

TEST(AuditFoldTest, KillDuringAppendKeepsTheChainVerifiable) { KillLoop(5, false, 42); }

TEST(AuditFoldTest, KillDuringFoldNeitherLosesNorDuplicates) { KillLoop(5, true, 43); }

TEST(AuditFoldTest, KillDuringCompactionNeitherLosesNorDuplicates) { KillLoop(8, true, 44, true); }

TEST(AuditFoldTest, CompactionKeepsEveryEventFieldAndTheChain) {
  constexpr int kFolds = 20;
  size_t ingest_segments = 0;
  std::string dir = StoreWithFolds(kFolds, &ingest_segments);
  const std::string all_json =
      "SELECT eventJson FROM events ORDER BY eventID";
  std::vector<std::string> before;
  size_t audit_segments_before = 0;
  uint64_t rows_before = 0;
  {
    auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
    ASSERT_TRUE(store.ok());
    sql::QueryStats stats;
    before = RunQuery(**store, all_json, {}, &stats);
    audit_segments_before = storage::CountSmallSegments(*(*store)->Snapshot(), {});
    rows_before = (*store)->Snapshot()->row_count();
  }
  EXPECT_EQ(audit_segments_before, static_cast<size_t>(kFolds));
  {
    auto store = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok());
    auto done = storage::CompactSegments(**store, {});
    ASSERT_TRUE(done.ok()) << done.status().ToString();
    EXPECT_EQ(done->segments_removed, static_cast<uint64_t>(kFolds));
    EXPECT_EQ(done->rows, static_cast<uint64_t>(kFolds));
  }
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(store.ok());
  auto snap = (*store)->Snapshot();
  EXPECT_EQ(snap->infos().size(), ingest_segments + 1);  // Ingest's untouched, one audit.
  EXPECT_EQ(snap->row_count(), rows_before);
  sql::QueryStats stats;
  EXPECT_EQ(RunQuery(**store, all_json, {}, &stats), before);
  EXPECT_EQ(Counts(dir), Both(kFolds));
  // Still audit-only: a caller without audit:read skips it unopened.
  sql::QueryStats hidden;
  auto visible = RunQuery(**store, "SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit'",
                          HidingAudit(), &hidden);
  ASSERT_EQ(visible.size(), 1u);
  EXPECT_EQ(visible[0], "0");
  EXPECT_LE(hidden.segments_prepared, ingest_segments);
  auto report = VerifyAuditTrail(dir, {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->last_sequence, static_cast<uint64_t>(kFolds));
  // The chain continues after compaction, and later folds and compactions keep it whole.
  {
    auto log = AuditLog::Open(dir, {});
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE((*log)->Append(Event(100)).ok());
    auto writer = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(FoldAuditJournal(**writer).ok());
    auto done = storage::CompactSegments(**writer, {});
    ASSERT_TRUE(done.ok());
    EXPECT_EQ(done->segments_removed, 2u);
  }
  EXPECT_EQ(Counts(dir), Both(kFolds + 1));
  report = VerifyAuditTrail(dir, {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

}  // namespace
}  // namespace trailbook::audit
