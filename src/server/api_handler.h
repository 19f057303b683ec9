// File: server/api_handler.h
//
// ApiHandler: the whole HTTP API as a function from HttpRequest to HttpResponse, without
// sockets (the transport in http_server.h calls it; tests and the fuzz target call
// it directly). It routes, authenticates every /v1 request with the TokenVerifier, checks
// scopes and runbook claims (deny by default), applies the request limits, runs queries
// behind QuerySlots admission control, audits every execution and every denial before
// answering (fail closed), renders results in pages, and counts everything in ServerMetrics.
//
//   ApiHandler api(options, backends);
//   api.set_ready(true);
//   HttpResponse r = api.Handle(request);
//
// A transport that must not hold a thread while the audit log syncs calls HandlePending,
// then WhenAuditDurable, and sends the response (or AuditFailure's) only from its callback.
//
// Routes (docs/api/openapi.yaml is the contract):
//   GET  /healthz  /readyz  /metrics                     no token
//   GET  /v1/runbooks  /v1/runbooks/{id}                 any valid token (filtered by claims)
//   POST /v1/runbooks/{id}/runs                          scope runbook:run + runbooks claim
//   POST /v1/query                                       scope query:adhoc
// Runs and queries go through runbook::Executor, which writes their one audit event; the
// handler audits what never reaches it (invalid tokens, other denials, throttling).
//   GET  /v1/snapshots  /v1/snapshots/{id}[/verify]      scope snapshot:read
//   GET  /v1/audit/verify                                scope audit:read
//
// Thread safety: Handle is safe to call concurrently; backends must be too.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_log.h"
#include "auth/jwt/token_verifier.h"
#include "base/clock.h"
#include "server/backends.h"
#include "server/client_address.h"
#include "server/http_exchange.h"
#include "server/query_slots.h"
#include "server/result_pages.h"
#include "server/server_metrics.h"
#include "server/server_options.h"
#include "runbook/executor.h"

namespace trailbook::server {

struct ApiOptions {
  ServerLimits limits;
  AddressSet trusted_proxies;
  std::string user_agent_fallback = "unknown";
};

// What the handler uses. Required members must be non-null and outlive the handler;
// nullable ones make their routes answer 503 (not ready) or 501 (not configured).
struct ApiBackends {
  const auth::TokenVerifier* verifier = nullptr;   // Required.
  audit::AuditLog* audit = nullptr;                // Required: no audit, no answers.
  ServerMetrics* metrics = nullptr;                // Required.
  const Clock* clock = nullptr;                    // Required.
  // Runs runbooks and ad-hoc SQL (it re-verifies the token, authorizes, injects the token's
  // constraints and writes the audit event). Nullable: 503 until the store is open. Its
  // ExecutorOptions::cancel must be `cancel` below, so CancelQueries reaches its queries.
  const runbook::Executor* executor = nullptr;
  std::atomic<bool>* cancel = nullptr;             // Required with `executor`.
  const SnapshotCatalog* snapshots = nullptr;      // Nullable: 501.
  const AuditChainVerifier* audit_verifier = nullptr;  // Nullable: 501.
};

class ApiHandler {
 public:
  // REQUIRES: the required backends are set. The backends must outlive the handler.
  ApiHandler(ApiOptions options, ApiBackends backends);
  ApiHandler(const ApiHandler&) = delete;
  ApiHandler& operator=(const ApiHandler&) = delete;

  // Answers one request once its audit events are durable. Never fails: errors become
  // problem responses.
  HttpResponse Handle(const HttpRequest& request) const;

  // Answers one request like Handle, except that its first audit event is only queued
  // (AuditLog::AppendPending), not yet durable: *audit_ticket is its ticket (0 when the
  // response depends on none), and the caller must send the response only after
  // WhenAuditDurable reports OK.
  HttpResponse HandlePending(const HttpRequest& request, uint64_t* audit_ticket) const;

  // HandlePending for a caller that must never wait (the transport's event-loop thread):
  // answers the requests that cannot block (health, metrics, routing errors, denials of
  // tokens in the verified-token cache, runbook metadata, and runs of key-lookup runbooks
  // (runbook::Executor::IsKeyLookup) while a query slot is free, which are admitted and
  // timed like any run). For any other request it returns nullopt, having appended no
  // audit event and recorded no metric: the caller then calls HandlePending elsewhere.
  std::optional<HttpResponse> HandleInline(const HttpRequest& request,
                                           uint64_t* audit_ticket) const;

  // Calls `done` once the audit event of `audit_ticket` is durable (OK) or cannot be (the
  // error; the caller then answers AuditFailure instead). `done` may run before this returns
  // or on the audit log's writer thread: it must be quick. REQUIRES: audit_ticket > 0, from
  // HandlePending.
  void WhenAuditDurable(uint64_t audit_ticket,
                        std::function<void(const Status&)> done) const;

  // The fail-closed answer for `request` when its audit events could not be made durable:
  // 503, no results, denial "audit_unavailable".
  HttpResponse AuditFailure(const HttpRequest& request, std::string_view route) const;

  // Records a response HandlePending returned with a ticket in the request metrics, as it
  // is sent (the handler's response, or AuditFailure's): HandlePending records only the
  // responses it returns without one. `seconds`: from the request's arrival until now.
  void RecordHeldResponse(const HttpResponse& response, double seconds) const;

  // Counts a request the transport refused before it reached Handle (400 malformed, 413,
  // 431, 503 while shutting down) in the metrics: route "unmatched", denial "transport".
  void RecordTransportRefusal(int http_status, double seconds) const {
    backends_.metrics->RecordRequest("unmatched", http_status, "transport", seconds);
  }

  // /readyz and every /v1 route answer 503 until ready (store open, keys loaded).
  void set_ready(bool ready) { ready_.store(ready); }
  bool ready() const { return ready_.load(); }

  // Cancels every running query (graceful shutdown past its deadline) and refuses new ones.
  void CancelQueries() {
    cancel_.store(true);
    if (backends_.cancel != nullptr) backends_.cancel->store(true);
  }

  const QuerySlots& query_slots() const { return slots_; }

 private:
  struct Context;  // One request's state (api_handler.cc).

  HttpResponse HandleWith(Context& ctx) const;
  HttpResponse Route(Context& ctx) const;
  bool Authenticate(Context& ctx, HttpResponse* denial) const;
  HttpResponse Deny(Context& ctx, int http_status, std::string_view action,
                    std::string_view denial, std::string_view detail) const;
  HttpResponse ListRunbooks(Context& ctx) const;
  HttpResponse GetRunbook(Context& ctx, std::string_view id) const;
  HttpResponse Snapshots(Context& ctx, std::string_view id, bool verify) const;
  HttpResponse VerifyAudit(Context& ctx) const;
  // execution_routes.cc
  HttpResponse RunRunbook(Context& ctx, std::string_view id) const;
  HttpResponse Query(Context& ctx) const;
  static runbook::RequestOrigin Origin(const Context& ctx);
  // The request's paging fingerprint (binds cursors to the request), computed only when a
  // cursor is read or written: most requests (denials, one-page results) never need it.
  using FingerprintFn = std::function<std::string()>;
  // Fills *page from the request's limit, cursor and format; false (with *problem) for a
  // cursor that is malformed or belongs to another request.
  bool PreparePage(Context& ctx, const std::optional<uint64_t>& limit, const std::string& cursor,
                   PageFormat format, const FingerprintFn& fingerprint, PageRequest* page,
                   HttpResponse* problem) const;
  // Renders the executor's outcome: the requested page, or the problem for its status.
  HttpResponse Respond(Context& ctx, runbook::RunOutcome& outcome, const PageRequest& page,
                       const FingerprintFn& fingerprint, const std::string& snapshot_id) const;
  // Appends the audit event for this request; returns false (and fills *failure with a
  // 503) when it could not be written.
  bool Audit(Context& ctx, std::string_view action, std::string request_parameters_json,
             std::string response_elements_json, std::string_view error_code,
             std::string_view error_message, HttpResponse* failure, bool read_only = true) const;

  ApiOptions options_;
  ApiBackends backends_;
  // The executor's admission for runs and ad-hoc queries: only query execution holds a
  // slot (a refusal is audited by the executor and answered 429).
  mutable QuerySlots slots_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> cancel_{false};
};

}  // namespace trailbook::server
