// File: server/testing/test_backends.h
//
// Test support for the server: RecordingAuditLog (an in-memory AuditLog that can be told to
// fail, to test fail-closed behaviour), fixture runbooks, the SQL fixture store and tokens.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/jwt/testing/token_factory.h"
#include "runbook/runbook_loader.h"
#include "storage/store.h"

namespace trailbook::server::testing {

// Thread-safe; keeps every appended event. Its events are durable at once unless
// durability is held (set_hold_durability): then WhenDurable keeps the callbacks until
// ReleaseDurability completes them, as a slow or failing disk would.
class RecordingAuditLog : public audit::AuditLog {
 public:
  Result<audit::AuditReceipt> Append(const audit::AuditEvent& event) override;
  void WhenDurable(uint64_t sequence, DurableCallback done) override;
  std::vector<audit::AuditEvent> events() const;
  size_t size() const;
  // Counts events with this name and error code ("" = success).
  size_t Count(std::string_view event_name, std::string_view error_code) const;
  void set_fail(bool fail) { fail_.store(fail); }
  // When false, Append only counts (for fuzzing, where events would pile up).
  void set_retain(bool retain) { retain_.store(retain); }
  void set_hold_durability(bool hold);
  // Completes every held WhenDurable callback with `status`; returns how many.
  size_t ReleaseDurability(const Status& status);
  // WhenDurable callbacks held now.
  size_t held() const;
  // The first error ReleaseDurability completed callbacks with (sticky, as a failed
  // fdatasync is for the journal log); OK before.
  Status Health() const override;

 private:
  bool hold_ = false;                       // Guarded by mu_.
  std::vector<DurableCallback> held_;       // Guarded by mu_.
  Status health_;                           // Guarded by mu_.
  std::atomic<bool> retain_{true};
  uint64_t appended_ = 0;  // Guarded by mu_.
  mutable std::mutex mu_;
  std::vector<audit::AuditEvent> events_;  // Guarded by mu_.
  std::atomic<bool> fail_{false};
};

// The fixture runbooks (real runbook YAML through the runbook loader):
//   ir.user-activity (user: string, required), ir.all-events (no parameters),
//   ir.account-window (account: account_id, start/end: timestamp, names: list<string>),
//   audit.events (needs audit:read).
const runbook::RunbookLibrary& FixtureRunbooks();

// Ingests tests/data/sql_fixture/events.json into a fresh store under the temp directory
// (once per process) and returns it opened read-only.
const storage::Store& FixtureStore();

// Mints an ES256 token from `factory` for kTestIssuer/kTestAudience at `now_s`.
std::string MintTestToken(const auth::testing::TokenFactory& factory, int64_t now_s,
                          const std::vector<std::string>& scopes,
                          const std::vector<std::string>& runbooks,
                          const auth::Constraints& constraints = {},
                          const std::string& subject = "alice@example.com");

}  // namespace trailbook::server::testing
