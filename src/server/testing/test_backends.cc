#include "server/testing/test_backends.h"

#include <unistd.h>

#include <filesystem>

#include "auth/jwt/token_builder.h"
#include "base/check.h"
#include "ingest/ingest_pipeline.h"

namespace trailbook::server::testing {

Result<audit::AuditReceipt> RecordingAuditLog::Append(const audit::AuditEvent& event) {
  if (fail_.load()) return IOError("audit log unavailable (test)");
  std::lock_guard<std::mutex> lock(mu_);
  if (retain_.load()) events_.push_back(event);
  audit::AuditReceipt receipt;
  receipt.sequence = ++appended_;
  receipt.event_id = "test-" + std::to_string(receipt.sequence);
  return receipt;
}

void RecordingAuditLog::WhenDurable(uint64_t sequence, DurableCallback done) {
  (void)sequence;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (hold_) {
      held_.push_back(std::move(done));
      return;
    }
  }
  done(Status::OK());
}

void RecordingAuditLog::set_hold_durability(bool hold) {
  std::lock_guard<std::mutex> lock(mu_);
  hold_ = hold;
}

size_t RecordingAuditLog::ReleaseDurability(const Status& status) {
  std::vector<DurableCallback> held;
  {
    std::lock_guard<std::mutex> lock(mu_);
    held.swap(held_);
    if (health_.ok()) health_ = status;
  }
  for (DurableCallback& done : held) done(status);
  return held.size();
}

Status RecordingAuditLog::Health() const {
  std::lock_guard<std::mutex> lock(mu_);
  return health_;
}

size_t RecordingAuditLog::held() const {
  std::lock_guard<std::mutex> lock(mu_);
  return held_.size();
}

std::vector<audit::AuditEvent> RecordingAuditLog::events() const {
  std::lock_guard<std::mutex> lock(mu_);
  return events_;
}

size_t RecordingAuditLog::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return events_.size();
}

size_t RecordingAuditLog::Count(std::string_view event_name, std::string_view error_code) const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& e : events_) {
    if (e.event_name == event_name && e.error_code == error_code) ++n;
  }
  return n;
}

namespace {

constexpr char kUserActivity[] = R"(
id: ir.user-activity
version: 1.0.0
title: Activity of one IAM user
description: Events whose userIdentity.userName is the given user, oldest first.
tags: [T1078]
params:
  user: {type: string, required: true, max: 128, description: IAM user name}
query: |
  SELECT eventID, eventName, eventTime FROM events
  WHERE userIdentity.userName = :user ORDER BY eventTime, eventID
)";

constexpr char kAllEvents[] = R"(
id: ir.all-events
version: 2.0.0
title: Every event
description: All events, oldest first.
query: SELECT eventID, eventName, recipientAccountId FROM events ORDER BY eventTime, eventID
)";

constexpr char kAccountWindow[] = R"(
id: ir.account-window
version: 1.0.0
title: Events of one account in a window
params:
  account: {type: account_id, required: true}
  start: {type: timestamp, default: -30d}
  end: {type: timestamp, default: now}
  names: {type: list<string>}
query: |
  SELECT eventID, eventName FROM events
  WHERE recipientAccountId = :account AND eventTime >= :start AND eventTime <= :end
    AND (:names IS NULL OR contains(:names, eventName))
  ORDER BY eventTime, eventID
)";

constexpr char kEventById[] = R"(
id: ir.event
version: 1.0.0
title: One event by id
params:
  event_id: {type: string, required: true, max: 64}
query: SELECT eventID, eventName, eventTime FROM events WHERE eventID = :event_id
)";

constexpr char kAuditEvents[] = R"(
id: audit.events
version: 1.0.0
title: Audit events
query: SELECT count(*) AS n FROM events WHERE eventSource = 'trailbook.audit'
)";

}  // namespace

const runbook::RunbookLibrary& FixtureRunbooks() {
  static const runbook::RunbookLibrary* library = [] {
    auto* lib = new runbook::RunbookLibrary();
    for (const char* yaml : {kUserActivity, kAllEvents, kAccountWindow, kEventById, kAuditEvents}) {
      Result<runbook::Runbook> rb = runbook::ParseRunbookYaml(yaml, "fixture.yaml");
      TB_CHECK(rb.ok()) << rb.status().ToString();
      Status added = lib->Add(std::move(rb).value());
      TB_CHECK(added.ok()) << added.ToString();
    }
    return lib;
  }();
  return *library;
}

const storage::Store& FixtureStore() {
  static const storage::Store* store = [] {
    std::string dir = (std::filesystem::temp_directory_path() /
                       ("tb_server_fixture_" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(dir);
    {
      auto writer = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
      TB_CHECK(writer.ok()) << writer.status().ToString();
      ingest::IngestOptions options;
      options.threads = 1;
      options.segment_options.sync = false;
      // Tests run from the repository root; libFuzzer binaries from the build directory.
      std::string input = "tests/data/sql_fixture/events.json";
      for (const char* prefix : {"../", "../../"}) {
        if (!std::filesystem::exists(input) && std::filesystem::exists(prefix + input)) {
          input = prefix + input;
        }
      }
      std::vector<std::string> paths{input};
      auto summary = ingest::Ingest(**writer, paths, options, nullptr);
      TB_CHECK(summary.ok()) << summary.status().ToString();
    }
    auto opened = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
    TB_CHECK(opened.ok()) << opened.status().ToString();
    return opened->release();
  }();
  return *store;
}

std::string MintTestToken(const auth::testing::TokenFactory& factory, int64_t now_s,
                          const std::vector<std::string>& scopes,
                          const std::vector<std::string>& runbooks,
                          const auth::Constraints& constraints, const std::string& subject) {
  auth::TokenSpec spec;
  spec.issuer = std::string(auth::testing::kTestIssuer);
  spec.audiences = {std::string(auth::testing::kTestAudience)};
  spec.subject = subject;
  spec.runbooks = runbooks.empty() ? std::vector<std::string>{"none.placeholder"} : runbooks;
  spec.scopes = scopes;
  spec.constraints = constraints;
  spec.issued_at_us = now_s * 1000000;
  spec.ttl_us = 600 * int64_t{1000000};
  auto token = auth::MintToken(spec, factory.signer());
  TB_CHECK(token.ok()) << token.status().ToString();
  return *token;
}

}  // namespace trailbook::server::testing
