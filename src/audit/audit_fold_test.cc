// Fold, multi-process and kill tests of the audit journal.
#include "audit/audit_fold.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "audit/audit_log.h"
#include "audit/audit_verifier.h"
#include "audit/testing/audit_test_support.h"
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

}  // namespace
}  // namespace trailbook::audit
