// File: audit/testing/audit_test_support.h
//
// Test-only helpers shared by the audit tests: temporary stores, sample events, SQL counts
// of audit events, and the kill loop (a child process appending, or appending and folding,
// or appending, folding and compacting, is SIGKILLed at random moments; the trail must
// still verify and show each event once).
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <utility>

#include "audit/audit_fold.h"
#include "audit/audit_log.h"
#include "audit/audit_verifier.h"
#include "sql/exec/query_engine.h"
#include "storage/segment_compaction.h"
#include "storage/store.h"

namespace trailbook::audit::testing {

inline std::string TempDir() {
  char tmpl[] = "/tmp/tb_auditf_XXXXXX";
  return ::mkdtemp(tmpl);
}

inline AuditEvent Event(int i) {
  AuditEvent e;
  e.event_name = "RunRunbook";
  e.principal_id = "user" + std::to_string(i);
  e.request_parameters_json = R"({"i":)" + std::to_string(i) + "}";
  return e;
}

// Returns count(*) and count(DISTINCT eventID) of audit events through SQL.
inline std::pair<std::string, std::string> Counts(const std::string& dir) {
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return {};
  sql::QueryEngine engine(**store);
  auto result = engine.Execute(
      "SELECT count(*), count(DISTINCT eventID) FROM events WHERE eventSource = "
      "'trailbook.audit'",
      {});
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return {};
  sql::DataChunk chunk;
  auto more = (*result)->Next(&chunk);
  EXPECT_TRUE(more.ok() && *more);
  if (!more.ok() || !*more) return {};
  return {chunk.columns[0].GetValue(0).ToString(), chunk.columns[1].GetValue(0).ToString()};
}

inline std::pair<std::string, std::string> Both(uint64_t n) {
  return {std::to_string(n), std::to_string(n)};
}

// Kills a child process at a random moment while it appends (or folds; with `compact`, also
// merges the folded segments after every fold), then checks that the trail verifies, a new
// append continues the chain, and queries show each event once.
inline void KillLoop(int rounds, bool fold, unsigned seed, bool compact = false) {
  std::string dir = TempDir();
  { ASSERT_TRUE(AuditLog::Open(dir, {}).ok()); }
  std::mt19937 rng(seed);
  for (int round = 0; round < rounds; ++round) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto log = AuditLog::Open(dir, {});
      if (!log.ok()) ::_exit(2);
      for (int i = 0;; ++i) {
        if (!(*log)->Append(Event(i)).ok()) ::_exit(3);
        if (fold && i % (compact ? 2 : 7) == 0) {
          auto store = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
          if (!store.ok() || !FoldAuditJournal(**store).ok()) ::_exit(4);
          if (compact && !storage::CompactSegments(**store, {}).ok()) ::_exit(5);
        }
      }
    }
    std::this_thread::sleep_for(std::chrono::microseconds(2000 + rng() % 20000));
    ::kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child failed with " << status;
    auto log = AuditLog::Open(dir, {});
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    auto r = (*log)->Append(Event(-1));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    auto report = VerifyAuditTrail(dir, {});
    ASSERT_TRUE(report.ok());
    ASSERT_TRUE(report->ok()) << report->problems[0].detail;
    ASSERT_EQ(report->last_sequence, r->sequence);
    ASSERT_EQ(Counts(dir), Both(r->sequence));
  }
  if (compact) {
    // Whatever the kills left (how far a child got depends on the machine's load), one more
    // fold and compaction merges it all, and every event is still there once.
    auto counts = Counts(dir);
    {
      auto store = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
      ASSERT_TRUE(store.ok());
      ASSERT_TRUE(FoldAuditJournal(**store).ok());
      ASSERT_TRUE(storage::CompactSegments(**store, {}).ok());
      EXPECT_EQ(storage::CountSmallSegments(*(*store)->Snapshot(), {}), 0u);
    }
    EXPECT_EQ(Counts(dir), counts);
    auto report = VerifyAuditTrail(dir, {});
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok());
  }
}

}  // namespace trailbook::audit::testing
