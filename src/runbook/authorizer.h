// File: runbook/authorizer.h
//
// Authorization of a verified Principal for one request, and the scan constraints its token
// imposes. A request is allowed only when every step passes (deny by default):
//   runbook      the runbook id matches the `runbooks` claim       (runbook actions only)
//   scope        the scope grants the action (audit.* runbooks also need audit:read)
//   constraints  the bound parameters fit the token's constraints: account_id and region
//                parameters lie inside `accounts`/`regions`; the start/end window lies inside
//                the event-time bounds and is no longer than `max_window`
// ConstraintsFor() then turns the token's constraints into sql::ScanConstraints that the
// engine applies to every row of every scan, so no query shape can see past them; callers
// without audit:read also never see eventSource "trailbook.audit" rows.
//
//   Decision d = Authorize(principal, Action::kRunRunbook, &runbook, &bound, now_us);
//   if (!d.allowed) ...;  options.constraints = ConstraintsFor(principal, window, now_us);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt/claims.h"
#include "auth/jwt/compact_jws.h"
#include "runbook/runbook.h"
#include "sql/exec/event_scan.h"

namespace trailbook::runbook {

enum class Action { kRunRunbook, kQueryAdhoc, kReadSnapshot, kReadAudit };

// The scope an action needs ("runbook:run", ...).
std::string_view ScopeFor(Action action);

// The eventTime window a runbook request asks for: its `start`/`end` timestamp parameters
// (docs/runbooks.md "Time window"). Absent when the runbook has no such pair.
struct TimeWindow {
  int64_t start_us = 0;
  int64_t end_us = 0;
};
std::optional<TimeWindow> WindowOf(const Runbook& runbook, const BoundParams& params);

struct Decision {
  bool allowed = false;
  // The claim that decided: for a denial the failing one ("runbooks", "scope",
  // "constraints.accounts", ...); for an allowance the claims that granted it.
  std::string claim;
  std::string detail;  // Why, for the audit record and dry runs.
  std::vector<auth::VerificationStep> steps;  // The authorization steps, in order.
};

// Decides whether `principal` may perform `action`. `runbook` and `params` are required
// for kRunRunbook (nullptr otherwise). Never fails: the decision says why.
Decision Authorize(const auth::Principal& principal, Action action, const Runbook* runbook,
                   const BoundParams* params, int64_t now_us);

// The row restrictions for a request of `principal`: accounts, regions, the event-time
// bounds (after inclusive, before exclusive), and with max_window the request's window (or,
// without one, the last max_window up to now); audit events hidden without audit:read.
sql::ScanConstraints ConstraintsFor(const auth::Principal& principal,
                                    const std::optional<TimeWindow>& window, int64_t now_us);

}  // namespace trailbook::runbook
