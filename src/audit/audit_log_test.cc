#include "audit/audit_log.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "audit/audit_event_json.h"
#include "audit/audit_fold.h"
#include "audit/audit_verifier.h"
#include "base/clock.h"
#include "crypto/digest.h"
#include "io/file.h"
#include "sql/exec/query_engine.h"
#include "storage/audit_journal.h"
#include "storage/store.h"

namespace trailbook::audit {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/tb_audit_XXXXXX";
  return ::mkdtemp(tmpl);
}

AuditEvent Event(std::string name, std::string sub = "alice") {
  AuditEvent e;
  e.event_name = std::move(name);
  e.principal_id = std::move(sub);
  e.issuer = "https://idp.example";
  e.token_id = "jti-1";
  e.token_sha256 = std::string(64, 'a');
  e.source_ip = "127.0.0.1";
  e.user_agent = "trailbook-test";
  e.request_parameters_json = R"({"runbook":"ir.principal-activity","params":{"n":1}})";
  e.response_elements_json = R"({"rows":3})";
  e.additional_event_data_json = R"({"steps":[{"step":"signature","outcome":"ok"}]})";
  return e;
}

// Runs `sql` on a fresh read-only store handle and returns the first column of every row.
std::vector<std::string> Query(const std::string& dir, const std::string& sql) {
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return {};
  sql::QueryEngine engine(**store);
  auto result = engine.Execute(sql, {});
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
  return out;
}

// True for a lower-case RFC 4122 version-4 UUID (8-4-4-4-12 hex, version 4, variant 10xx).
bool IsUuidV4(std::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = id[i];
    if (dash != (c == '-')) return false;
    if (!dash && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return id[14] == '4' && (id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
}

TEST(AuditLogTest, AppendIsChainedAndVisibleToQueries) {
  std::string dir = TempDir();
  FakeClock clock(1'700'000'000'000'000);
  AuditLogOptions options;
  options.clock = &clock;
  auto log = AuditLog::Open(dir, options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto r1 = (*log)->Append(Event("RunRunbook"));
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  AuditEvent denied = Event("RunRunbook", "mallory");
  denied.error_code = "AccessDenied";
  denied.error_message = "runbook not in the token's runbooks claim";
  auto r2 = (*log)->Append(denied);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r1->sequence, 1u);
  EXPECT_EQ(r2->sequence, 2u);
  EXPECT_EQ(r1->event_hash.size(), 64u);
  EXPECT_NE(r1->event_id, r2->event_id);

  EXPECT_EQ(Query(dir, "SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit'"),
            std::vector<std::string>{"2"});
  EXPECT_EQ(Query(dir, "SELECT userIdentity.principalId FROM events WHERE errorCode = "
                       "'AccessDenied'"),
            std::vector<std::string>{"mallory"});
  EXPECT_EQ(Query(dir, "SELECT eventID FROM events WHERE eventSource = 'trailbook.audit' "
                       "AND element_at(additionalEventData, 'auditSequence') = '2'"),
            std::vector<std::string>{r2->event_id});

  // A reopened log continues the chain.
  log->reset();
  auto again = AuditLog::Open(dir, options);
  ASSERT_TRUE(again.ok());
  auto r3 = (*again)->Append(Event("QueryAdhoc"));
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ(r3->sequence, 3u);
  EXPECT_EQ(Query(dir, "SELECT count(*) FROM events"), std::vector<std::string>{"3"});
}

TEST(AuditLogTest, LongLivedStoreHandleSeesNewEvents) {
  std::string dir = TempDir();
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok());
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->Snapshot()->row_count(), 0u);
  ASSERT_TRUE((*log)->Append(Event("VerifyToken")).ok());
  auto snap = (*store)->Snapshot();
  EXPECT_EQ(snap->row_count(), 1u);
  EXPECT_EQ(snap->journal_rows(), 1u);
  EXPECT_EQ((*store)->Snapshot(), snap);  // Cached while nothing changes.
  // The committed state alone leaves the unfolded journal out.
  EXPECT_EQ((*store)->CommittedSnapshot()->row_count(), 0u);
  EXPECT_EQ((*store)->CommittedSnapshot()->journal_segments().size(), 0u);
  ASSERT_TRUE((*log)->Append(Event("VerifyToken")).ok());
  EXPECT_EQ((*store)->Snapshot()->row_count(), 2u);
  EXPECT_EQ(snap->row_count(), 1u);  // An old snapshot never changes.
}

// The store keeps the journal open between snapshots once it exists; a store opened before
// the first audit event (no journal file yet) must still pick the journal up later.
TEST(AuditLogTest, StoreOpenedBeforeTheJournalExistsSeesLaterEvents) {
  std::string dir = TempDir();
  {
    auto writer = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().message();
  }
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(store.ok());
  ASSERT_FALSE(io::Exists(dir + "/" + storage::kAuditJournalName));
  EXPECT_EQ((*store)->Snapshot()->row_count(), 0u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), 0u);
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status().message();
  for (uint64_t n = 1; n <= 3; ++n) {
    ASSERT_TRUE((*log)->Append(Event("VerifyToken")).ok());
    auto snap = (*store)->Snapshot();
    EXPECT_EQ(snap->row_count(), n);
    EXPECT_EQ(snap->journal_last_sequence(), n);
  }
}

TEST(AuditLogTest, RejectsBadCallerJsonWithoutBreakingTheChain) {
  std::string dir = TempDir();
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok());
  AuditEvent bad = Event("RunRunbook");
  bad.request_parameters_json = "{not json";
  auto r = (*log)->Append(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("requestParameters"), std::string::npos);

  AuditEvent array = Event("RunRunbook");
  array.response_elements_json = "[1,2]";
  EXPECT_FALSE((*log)->Append(array).ok());

  AuditEvent reserved = Event("RunRunbook");
  reserved.additional_event_data_json = R"({"auditSequence":99})";
  auto rr = (*log)->Append(reserved);
  ASSERT_FALSE(rr.ok());
  EXPECT_NE(rr.status().message().find("reserved"), std::string::npos);
  reserved.additional_event_data_json = R"({"steps":[],"previousEventHash":"00"})";
  rr = (*log)->Append(reserved);
  ASSERT_FALSE(rr.ok());
  EXPECT_NE(rr.status().message().find("previousEventHash is reserved"), std::string::npos);

  AuditEvent unnamed = Event("");
  EXPECT_FALSE((*log)->Append(unnamed).ok());

  auto ok = (*log)->Append(Event("RunRunbook"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->sequence, 1u);

  // The reserved names are only reserved at the top of additionalEventData.
  AuditEvent nested = Event("RunRunbook");
  nested.additional_event_data_json = R"({"steps":[{"previousEventHash":"x"}]})";
  auto rn = (*log)->Append(nested);
  ASSERT_TRUE(rn.ok()) << rn.status().ToString();
  EXPECT_EQ(rn->sequence, 2u);
}

TEST(AuditLogTest, ConcurrentThreadsGetDenseUniqueSequences) {
  std::string dir = TempDir();
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok());
  constexpr int kThreads = 8, kPerThread = 50;
  std::vector<std::vector<uint64_t>> seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = (*log)->Append(Event("RunRunbook", "user" + std::to_string(t)));
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        seqs[static_cast<size_t>(t)].push_back(r->sequence);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<uint64_t> all;
  for (const auto& v : seqs) all.insert(v.begin(), v.end());
  ASSERT_EQ(all.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(*all.begin(), 1u);
  EXPECT_EQ(*all.rbegin(), uint64_t{kThreads * kPerThread});
  EXPECT_EQ(Query(dir, "SELECT count(DISTINCT eventID) FROM events"),
            std::vector<std::string>{std::to_string(kThreads * kPerThread)});
}

// AppendPending returns a ticket before the event is durable; WhenDurable completes every
// ticket (from several threads at once) with OK, Append mixed in still works (its receipt
// has a ticket too, in the same order), and the events are visible with dense sequences.
TEST(AuditLogTest, PendingAppendsCompleteTheirDurabilityTickets) {
  std::string dir = TempDir();
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  constexpr int kThreads = 4, kPerThread = 50;
  std::atomic<int> durable{0}, failed{0};
  std::vector<std::vector<uint64_t>> seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Result<AuditReceipt> r = (i % 5 == 0) ? (*log)->Append(Event("RunRunbook"))
                                              : (*log)->AppendPending(Event("RunRunbook"));
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        seqs[static_cast<size_t>(t)].push_back(r->ticket);
        (*log)->WhenDurable(r->ticket, [&](const Status& s) {
          if (s.ok()) ++durable;
          else ++failed;
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int i = 0; i < 10000 && durable.load() + failed.load() < kThreads * kPerThread; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(durable.load(), kThreads * kPerThread);
  EXPECT_EQ(failed.load(), 0);
  std::set<uint64_t> all;
  for (const auto& v : seqs) {
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));  // One thread's events stay in order.
    all.insert(v.begin(), v.end());
  }
  ASSERT_EQ(all.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(*all.rbegin(), uint64_t{kThreads * kPerThread});
  EXPECT_EQ(Query(dir, "SELECT count(DISTINCT eventID) FROM events"),
            std::vector<std::string>{std::to_string(kThreads * kPerThread)});
}

// AppendPending does not wait for the event to be written: with the journal lock held by
// another writer (as a second process holding it through a slow commit), it still returns
// at once with a ticket, and the ticket completes once the lock is released.
TEST(AuditLogTest, PendingAppendReturnsWithoutWaitingForTheWrite) {
  std::string dir = TempDir();
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto held = io::FileLock::Acquire(dir + "/" + storage::kAuditJournalLockName, /*wait=*/true);
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  std::atomic<bool> returned{false};
  Result<AuditReceipt> r = Status(StatusCode::kInternal, "not returned");
  std::thread appender([&] {
    r = (*log)->AppendPending(Event("RunRunbook"));
    returned.store(true);
  });
  for (int i = 0; i < 2000 && !returned.load(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const bool returned_early = returned.load();
  EXPECT_TRUE(returned_early) << "AppendPending waited for the journal lock";
  std::atomic<int> completed{0};
  Status outcome = Status(StatusCode::kInternal, "not completed");
  if (returned_early) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->ticket, 1u);
    (*log)->WhenDurable(r->ticket, [&](const Status& s) {
      outcome = s;
      completed.store(1);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(completed.load(), 0) << "durable while the journal lock was held elsewhere";
  }
  held->reset();  // Lets the writer commit.
  appender.join();
  if (returned_early && r.ok()) {
    for (int i = 0; i < 5000 && completed.load() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_EQ(completed.load(), 1);
    EXPECT_TRUE(outcome.ok()) << outcome.ToString();
  }
  EXPECT_EQ(Query(dir, "SELECT count(*) FROM events"), std::vector<std::string>{"1"});
}

// A pending event the log cannot record (bad caller JSON) fails through its ticket, not
// at AppendPending; the events queued with it and after it are still recorded and
// durable, with dense sequences.
TEST(AuditLogTest, PendingEventThatCannotBeWrittenFailsItsTicketOnly) {
  std::string dir = TempDir();
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  AuditEvent bad = Event("RunRunbook");
  bad.request_parameters_json = "{not json";
  std::vector<uint64_t> tickets;
  for (const AuditEvent& e : {Event("RunRunbook"), bad, Event("RunRunbook")}) {
    auto r = (*log)->AppendPending(e);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    tickets.push_back(r->ticket);
  }
  std::mutex mu;
  std::vector<Status> outcomes(tickets.size(), Status(StatusCode::kInternal, "not completed"));
  std::atomic<int> completed{0};
  for (size_t i = 0; i < tickets.size(); ++i) {
    (*log)->WhenDurable(tickets[i], [&, i](const Status& s) {
      std::lock_guard<std::mutex> lock(mu);
      outcomes[i] = s;
      ++completed;
    });
  }
  for (int i = 0; i < 5000 && completed.load() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(completed.load(), 3);
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_TRUE(outcomes[0].ok()) << outcomes[0].ToString();
  EXPECT_EQ(outcomes[1].code(), StatusCode::kInvalidArgument) << outcomes[1].ToString();
  EXPECT_NE(outcomes[1].message().find("requestParameters"), std::string::npos);
  EXPECT_TRUE(outcomes[2].ok()) << outcomes[2].ToString();
  auto next = (*log)->Append(Event("RunRunbook"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->sequence, 3u);
  EXPECT_EQ(Query(dir, "SELECT count(*) FROM events"), std::vector<std::string>{"3"});
}

// Closing the log completes the tickets still pending (the sync thread syncs first), so a
// server that destroys its log last never leaves a response waiting forever.
TEST(AuditLogTest, ClosingTheLogCompletesPendingTickets) {
  std::string dir = TempDir();
  std::vector<Status> outcomes;
  std::mutex mu;
  {
    auto log = AuditLog::Open(dir, {});
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    for (int i = 0; i < 20; ++i) {
      auto r = (*log)->AppendPending(Event("RunRunbook"));
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      (*log)->WhenDurable(r->ticket, [&](const Status& s) {
        std::lock_guard<std::mutex> lock(mu);
        outcomes.push_back(s);
      });
    }
  }
  ASSERT_EQ(outcomes.size(), 20u);
  for (const Status& s : outcomes) EXPECT_TRUE(s.ok()) << s.ToString();
  auto reopened = AuditLog::Open(dir, {});
  ASSERT_TRUE(reopened.ok());
  auto next = (*reopened)->Append(Event("RunRunbook"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->sequence, 21u);
}

// Group commit under contention: every caller gets the receipt of its own event (matched
// through the request id it passed), sequences are dense in journal order, batches really
// hold several events (one write and one fdatasync each), and the chain verifies.
TEST(AuditLogTest, GroupCommitReceiptsMatchTheirStoredEvents) {
  std::string dir = TempDir();
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  constexpr size_t kThreads = 16, kPerThread = 100;
  std::vector<std::vector<std::pair<std::string, AuditReceipt>>> got(kThreads);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < kPerThread; ++i) {
        AuditEvent e = Event("RunRunbook", "user" + std::to_string(t));
        e.request_id = "req-" + std::to_string(t) + "-" + std::to_string(i);
        auto r = (*log)->Append(e);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        got[t].emplace_back(e.request_id, *r);
      }
    });
  }
  for (auto& th : threads) th.join();

  auto bytes = io::ReadFile(dir + "/" + storage::kAuditJournalName);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  storage::JournalScan scan = storage::ScanJournal(*bytes, 0);
  ASSERT_EQ(scan.end, storage::JournalEnd::kClean);
  std::vector<std::string_view> stored;  // index = sequence - 1
  size_t batches = 0;
  for (const storage::JournalRecord& r : scan.records) {
    if (r.kind != storage::kJournalRecordBatch) continue;
    ASSERT_EQ(r.first_sequence, stored.size() + 1) << "sequences are not contiguous";
    stored.insert(stored.end(), r.events.begin(), r.events.end());
    ++batches;
  }
  ASSERT_EQ(stored.size(), kThreads * kPerThread);
  EXPECT_LT(batches, stored.size()) << "no append shared a commit";

  std::set<uint64_t> sequences;
  for (size_t t = 0; t < kThreads; ++t) {
    uint64_t previous = 0;
    for (const auto& [request_id, receipt] : got[t]) {
      ASSERT_GE(receipt.sequence, 1u);
      ASSERT_LE(receipt.sequence, stored.size());
      EXPECT_GT(receipt.sequence, previous) << "one thread's appends are ordered";
      previous = receipt.sequence;
      EXPECT_TRUE(sequences.insert(receipt.sequence).second) << "duplicate " << receipt.sequence;
      std::string_view json = stored[receipt.sequence - 1];
      auto fields = ReadAuditChainFields(json);
      ASSERT_TRUE(fields.ok()) << fields.status().ToString();
      EXPECT_EQ(fields->sequence, receipt.sequence);
      EXPECT_EQ(fields->event_id, receipt.event_id);
      EXPECT_EQ(crypto::ToHex(crypto::Sha256(json)), receipt.event_hash);
      EXPECT_NE(json.find("\"requestID\":\"" + request_id + "\""), std::string_view::npos)
          << "receipt " << receipt.sequence << " is not the event of " << request_id;
    }
  }
  EXPECT_EQ(sequences.size(), stored.size());
  // Ids are drawn per batch: each is a well-formed UUID and none repeats.
  std::set<std::string> event_ids;
  for (const auto& thread : got) {
    for (const auto& [request_id, receipt] : thread) {
      EXPECT_TRUE(IsUuidV4(receipt.event_id)) << receipt.event_id;
      EXPECT_TRUE(event_ids.insert(receipt.event_id).second) << "duplicate " << receipt.event_id;
    }
  }

  auto report = VerifyAuditTrail(dir, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->events, stored.size());
}

// A batch limit smaller than the number of waiting callers: the leader commits only the
// first max_batch_events and hands leadership to the next queued caller, which must wake
// and commit the rest (a caller left waiting would hang this test).
TEST(AuditLogTest, BatchLimitSplitsTheQueueIntoSeveralCommits) {
  std::string dir = TempDir();
  AuditLogOptions options;
  options.max_batch_events = 3;
  auto log = AuditLog::Open(dir, options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  constexpr size_t kThreads = 16, kPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<size_t> ok{0};
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (size_t i = 0; i < kPerThread; ++i) {
        auto r = (*log)->Append(Event("RunRunbook"));
        if (r.ok()) ok.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  auto bytes = io::ReadFile(dir + "/" + storage::kAuditJournalName);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  storage::JournalScan scan = storage::ScanJournal(*bytes, 0);
  ASSERT_EQ(scan.end, storage::JournalEnd::kClean);
  size_t events = 0;
  size_t largest = 0;
  for (const storage::JournalRecord& r : scan.records) {
    if (r.kind != storage::kJournalRecordBatch) continue;
    ASSERT_EQ(r.first_sequence, events + 1) << "sequences are not contiguous";
    events += r.events.size();
    largest = std::max(largest, r.events.size());
  }
  EXPECT_EQ(events, kThreads * kPerThread);
  EXPECT_LE(largest, 3u);
}

// A caller without audit:read has the audit source hidden; segments holding only audit
// events are then pruned whole, not searched and filtered row by row.
TEST(AuditLogTest, AuditOnlySegmentsArePrunedWhenTheAuditSourceIsHidden) {
  std::string dir = TempDir();
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE((*log)->Append(Event("RunRunbook")).ok());
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  sql::QueryEngine engine(**store);
  auto count = [&](bool hide, sql::QueryStats* stats) -> int64_t {
    sql::QueryOptions options;
    if (hide) options.constraints.hidden_event_sources.push_back(kAuditEventSource);
    auto result = engine.Execute("SELECT count(*) FROM events", options);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return -1;
    sql::DataChunk chunk;
    int64_t n = -1;
    while (true) {
      auto more = (*result)->Next(&chunk);
      EXPECT_TRUE(more.ok());
      if (!more.ok() || !*more) break;
      if (chunk.size > 0) n = chunk.columns[0].GetValue(0).int_value();
    }
    *stats = (*result)->stats();
    return n;
  };
  sql::QueryStats shown, hidden;
  EXPECT_EQ(count(false, &shown), 5);
  EXPECT_EQ(shown.rows_examined, 5u);
  EXPECT_GT(shown.segments_total, 0u);
  EXPECT_EQ(count(true, &hidden), 0);
  // A scan that hides audit events reads the committed snapshot alone: the journal's tail
  // is neither read nor listed (Store::CommittedSnapshot).
  EXPECT_EQ(hidden.segments_total, 0u);
  EXPECT_EQ(hidden.rows_examined, 0u);

  // Folded, the events are in committed audit-only segments: listed, and pruned unread.
  auto writer = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE(FoldAuditJournal(**writer).ok());
  writer->reset();
  ASSERT_TRUE((*store)->Refresh().ok());
  EXPECT_EQ(count(true, &hidden), 0);
  EXPECT_GT(hidden.segments_total, 0u);
  EXPECT_EQ(hidden.segments_pruned, hidden.segments_total);
  EXPECT_EQ(hidden.rows_examined, 0u);
  EXPECT_EQ(count(false, &shown), 5);
}

// An event keeps the request id it was given; one without gets a fresh UUID of its own.
TEST(AuditLogTest, RequestIdIsTheCallersOrAFreshUuid) {
  std::string dir = TempDir();
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  AuditEvent given = Event("RunRunbook");
  given.request_id = "req-given-1";
  ASSERT_TRUE((*log)->Append(given).ok());
  ASSERT_TRUE((*log)->Append(Event("RunRunbook")).ok());
  ASSERT_TRUE((*log)->Append(Event("RunRunbook")).ok());
  auto bytes = io::ReadFile(dir + "/" + storage::kAuditJournalName);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  std::vector<std::string> ids;
  for (const storage::JournalRecord& r : storage::ScanJournal(*bytes, 0).records) {
    for (std::string_view json : r.events) {
      constexpr std::string_view kKey = "\"requestID\":\"";
      size_t at = json.find(kKey);
      ASSERT_NE(at, std::string_view::npos);
      size_t end = json.find('"', at + kKey.size());
      ids.emplace_back(json.substr(at + kKey.size(), end - at - kKey.size()));
    }
  }
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], "req-given-1");
  EXPECT_TRUE(IsUuidV4(ids[1])) << ids[1];
  EXPECT_TRUE(IsUuidV4(ids[2])) << ids[2];
  EXPECT_NE(ids[1], ids[2]);
}

TEST(AuditLogTest, TornTailIsDroppedOnTheNextAppend) {
  std::string dir = TempDir();
  {
    auto log = AuditLog::Open(dir, {});
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE((*log)->Append(Event("RunRunbook")).ok());
  }
  std::string journal = dir + "/" + storage::kAuditJournalName;
  auto bytes = io::ReadFile(journal);
  ASSERT_TRUE(bytes.ok());
  size_t good = bytes->size();
  // A second record cut short, as a kill mid-write leaves it.
  auto file = io::AppendFile::Open(journal);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append(bytes->substr(0, good / 2)).ok());
  EXPECT_EQ(Query(dir, "SELECT count(*) FROM events"), std::vector<std::string>{"1"});
  auto log = AuditLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto r = (*log)->Append(Event("RunRunbook"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->sequence, 2u);
  EXPECT_EQ(Query(dir, "SELECT count(*) FROM events"), std::vector<std::string>{"2"});
}

TEST(AuditLogTest, CorruptJournalFailsClosed) {
  std::string dir = TempDir();
  {
    auto log = AuditLog::Open(dir, {});
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE((*log)->Append(Event("RunRunbook")).ok());
    ASSERT_TRUE((*log)->Append(Event("RunRunbook")).ok());
  }
  std::string journal = dir + "/" + storage::kAuditJournalName;
  auto bytes = io::ReadFile(journal);
  ASSERT_TRUE(bytes.ok());
  std::string damaged = *bytes;
  damaged[20] = static_cast<char>(damaged[20] ^ 1);  // Inside the first record.
  ASSERT_TRUE(io::WriteFileAtomic(journal, damaged).ok());
  auto log = AuditLog::Open(dir, {});
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kCorruption);
  EXPECT_NE(log.status().message().find("audit verify"), std::string::npos);
}

}  // namespace
}  // namespace trailbook::audit
