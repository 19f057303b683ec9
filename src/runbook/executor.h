// File: runbook/executor.h
//
// Executor: the one entry point through which the CLI (`run`, `query`), the HTTP server and
// the monitor run runbooks and ad-hoc SQL on behalf of a token holder. Each request is
//   verify token -> authorize (runbooks claim, scope, reason, bind params, constraints)
//   -> execute with the token's constraints injected (or plan only, for a dry run)
//   -> append one audit event -> return results.
// Every request (allowed, denied, dry run, failed) appends exactly one audit event. Fail
// closed: when the append fails, the outcome carries the audit error and no rows.
//
//   Executor executor(library, verifier, engine, audit_log, {});
//   RunRequest req;  req.token = token;  req.runbook_id = "ir.principal-activity";
//   req.params = {{"principal_arn", "arn:aws:iam::123456789012:user/alice"}};
//   RunOutcome out = executor.Run(req);
//   if (!out.status.ok()) return out.status;        // generic: "invalid token", "not allowed"
//   for (const sql::DataChunk& chunk : out.chunks) ...
//
// The caller sees a generic status; the precise reason (`decision`, verification steps) is in
// the outcome for dry runs and in the audit event, never in the status message.
//
// Thread safety: Run and Query are const and may be called concurrently if the audit log
// and engine allow it (both do).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/jwt/token_verifier.h"
#include "base/clock.h"
#include "base/status.h"
#include "runbook/authorizer.h"
#include "runbook/runbook.h"
#include "runbook/runbook_loader.h"
#include "sql/exec/query_engine.h"

namespace trailbook::runbook {

// The audit eventName of each request kind (stable; stored in audit events).
inline constexpr char kEventRunRunbook[] = "RunRunbook";
inline constexpr char kEventDryRunRunbook[] = "DryRunRunbook";
inline constexpr char kEventQueryAdhoc[] = "QueryAdhoc";
inline constexpr char kEventDryRunQuery[] = "DryRunQueryAdhoc";

// Admission control around query execution (e.g. the server's limit on queries running at
// once). Only the engine work is admitted: token verification, authorization and the audit
// append happen outside it, so denied requests never wait behind running queries and the
// audit log's group commit can batch every request in flight, not just the admitted ones.
class QueryAdmission {
 public:
  virtual ~QueryAdmission() = default;
  // Waits for a place. Errors: kResourceExhausted (no place; the message is for the caller).
  virtual Status Enter() = 0;
  // Gives back the place Enter took. REQUIRES: Enter returned OK.
  virtual void Leave() = 0;
};

// Who is asking and from where; recorded in the audit event.
struct RequestOrigin {
  std::string source_ip = "local";
  std::string user_agent = "trailbook";
  std::string request_id;  // "" = a new random UUID
  // When set, the audit event is appended with AuditLog::AppendPending: the outcome's
  // receipt may carry only a ticket (the event queued, maybe not yet written or durable),
  // and the caller must not release the outcome until AuditLog::WhenDurable(receipt->ticket)
  // reports OK.
  bool defer_audit_durability = false;
};

struct RunRequest {
  std::string token;  // compact JWT
  // Nullable: the caller's own verification of exactly `token` for this request, made with
  // the executor's verifier (the server's Authenticate). When set, the executor takes the
  // principal and steps from it instead of verifying the token a second time (one
  // verified-token cache lookup and Principal copy less per request); authorization, the
  // runbook's parameters and the token's constraints are still checked and applied here on
  // every request. A verification without a principal is a denial ("invalid token"), never
  // a reason to verify again. Must outlive the call.
  const auth::Verification* verification = nullptr;
  std::string runbook_id;
  std::map<std::string, std::string> params;  // name -> raw text (lists: "a,b" or JSON array)
  std::string reason;                         // "" = the token's reason claim, if any
  bool dry_run = false;
  RequestOrigin origin;
  // Nullable: admits the query execution; a refusal is the outcome "Throttled". Must
  // outlive the call.
  QueryAdmission* admission = nullptr;
  // Incremental reads (the monitor): scan only regular segments with after < id <= through
  // (sql::ScanConstraints::after_segment_id / through_segment_id). Added to the token's
  // constraints, never replacing them, and recorded in the audit event's
  // injectedConstraints. Unset: every segment.
  std::optional<uint64_t> after_segment_id;
  std::optional<uint64_t> through_segment_id;
  // Segment pinning (sql::ScanConstraints::segment_ids): when set, the run reads only these
  // committed segments, as a snapshot re-run must. It only narrows what the token allows;
  // it is recorded with the other injected constraints in the audit event.
  std::optional<std::vector<uint64_t>> segment_ids;
};

struct QueryRequest {
  std::string token;
  const auth::Verification* verification = nullptr;  // As RunRequest::verification.
  std::string sql;
  std::string reason;
  bool dry_run = false;
  RequestOrigin origin;
  std::vector<std::string> eds_ids;  // QueryOptions::eds_ids
  // Values for :name placeholders in `sql`, typed by the caller; bound, never spliced.
  std::map<std::string, sql::Value> parameters;
  QueryAdmission* admission = nullptr;  // As RunRequest::admission.
};

struct RunOutcome {
  // OK, or what the caller may be told: kUnauthenticated "invalid token", kPermissionDenied
  // "not allowed", kInvalidArgument (parameters, reason, SQL), kNotFound (runbook), engine
  // errors, kResourceExhausted when the admission refused the query (error_code
  // "Throttled"), or the audit log's error when the audit event could not be written.
  Status status;
  std::string error_code;  // As recorded in the audit event ("" when OK).
  std::string event_name;
  std::string request_id;

  bool token_verified = false;
  std::vector<auth::VerificationStep> token_steps;
  std::optional<auth::Principal> principal;
  Decision decision;  // Authorization steps; empty when the token did not verify.

  std::string runbook_id, runbook_version, runbook_hash;
  BoundParams params;
  std::string reason;
  sql::ScanConstraints constraints;  // What was injected.

  // The engine's plan (after execution: with scan statistics); empty for executed requests
  // when ExecutorOptions::plan_for_runs is off.
  std::string plan;
  std::vector<std::string> column_names;
  std::vector<sql::LogicalType> column_types;
  std::vector<sql::DataChunk> chunks;  // The whole result (empty on error and for dry runs).
  uint64_t rows = 0;
  sql::QueryStats stats;
  int64_t duration_us = 0;
  std::string result_sha256;  // Hex SHA-256 of the result as NDJSON ("" when not executed).

  // Set when the audit event was appended (deferred: maybe only queued, see RequestOrigin).
  std::optional<audit::AuditReceipt> receipt;
};

struct ExecutorOptions {
  const Clock* clock = nullptr;  // nullptr: the system clock; also the queries' now()
  size_t max_result_bytes = size_t{512} << 20;  // Larger results fail (kResourceExhausted).
  size_t memory_limit_bytes = size_t{2} << 30;
  std::chrono::milliseconds timeout{0};
  const std::atomic<bool>* cancel = nullptr;  // Nullable; when set, running queries stop.
  unsigned threads = 0;
  size_t max_sql_bytes = 1 << 20;
  // Fills RunOutcome::plan for executed requests (dry runs always get it). A caller that
  // never shows the plan of a run (the HTTP server) turns it off: rendering it costs about
  // as much as a needle lookup.
  bool plan_for_runs = true;
};

class Executor {
 public:
  // `library`, `verifier`, `engine` and `audit_log` must outlive the Executor.
  Executor(const RunbookLibrary& library, const auth::TokenVerifier& verifier,
           const sql::QueryEngine& engine, audit::AuditLog& audit_log, ExecutorOptions options);

  // Runs (or with dry_run, plans) a runbook. Never fails as a call: see RunOutcome::status.
  RunOutcome Run(const RunRequest& request) const;

  // Runs ad-hoc SQL; needs the query:adhoc scope. Same contract as Run.
  RunOutcome Query(const QueryRequest& request) const;

  // Whether runs of runbook `runbook_id` are key lookups: its query, as last executed,
  // read only rows found through key needles (sql::QueryEngine::IsKeyLookup), so a run costs
  // about the same however large the store is. False for an unknown runbook, before its
  // first executed run, and with ExecutorOptions::plan_for_runs (those runs bypass the plan
  // cache). A hint for where to run a request; it authorizes nothing.
  bool IsKeyLookup(std::string_view runbook_id) const;

  const RunbookLibrary& library() const { return library_; }

 private:
  // Verifies the token (or takes `verified`, nullable: the caller's verification of it) and
  // fills the outcome's token fields; false when it did not verify.
  bool VerifyToken(const std::string& token, const auth::Verification* verified,
                   const RequestOrigin& origin, RunOutcome* out) const;
  // Executes (or plans) `sql` with the outcome's params and constraints.
  void Execute(std::string_view sql, bool dry_run, const std::vector<std::string>& eds_ids,
               QueryAdmission* admission, RunOutcome* out) const;
  // Appends the audit event; on failure replaces the status and drops the results.
  void Audit(const RequestOrigin& origin, const std::string& query_text, RunOutcome* out) const;

  const RunbookLibrary& library_;
  const auth::TokenVerifier& verifier_;
  const sql::QueryEngine& engine_;
  audit::AuditLog& audit_log_;
  ExecutorOptions options_;
  const Clock& clock_;
};

}  // namespace trailbook::runbook
