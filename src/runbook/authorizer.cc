#include "runbook/authorizer.h"

#include <algorithm>

#include "audit/audit_log.h"
#include "base/timestamp.h"

namespace trailbook::runbook {
namespace {

using Outcome = auth::VerificationStep::Outcome;

void AddStep(Decision* d, std::string name, bool passed, std::string detail) {
  d->steps.push_back({std::move(name), passed ? Outcome::kPass : Outcome::kFail, std::move(detail)});
}

Decision Deny(Decision d, std::string step, std::string claim, std::string detail) {
  AddStep(&d, std::move(step), false, detail);
  d.allowed = false;
  d.claim = std::move(claim);
  d.detail = std::move(detail);
  return d;
}

bool Contains(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// The scalar values of a string-typed bound parameter (a list binds a JSON array of strings).
std::vector<std::string> TextValues(const ParamSpec& spec, const sql::Value& v) {
  if (v.is_null()) return {};
  if (!spec.type.list) return {v.string_value()};
  // ParseParamValue wrote the array with JsonWriter; account ids and regions never need
  // escaping (validated to [0-9a-z-]), so splitting on the quotes is exact.
  std::vector<std::string> out;
  const std::string& s = v.string_value();
  for (size_t i = s.find('"'); i != std::string::npos; i = s.find('"', i)) {
    size_t end = s.find('"', i + 1);
    if (end == std::string::npos) break;
    out.push_back(s.substr(i + 1, end - i - 1));
    i = end + 1;
  }
  return out;
}

}  // namespace

std::string_view ScopeFor(Action action) {
  switch (action) {
    case Action::kRunRunbook: return auth::kScopeRunbookRun;
    case Action::kQueryAdhoc: return auth::kScopeQueryAdhoc;
    case Action::kReadSnapshot: return auth::kScopeSnapshotRead;
    case Action::kReadAudit: return auth::kScopeAuditRead;
  }
  return auth::kScopeRunbookRun;
}

std::optional<TimeWindow> WindowOf(const Runbook& runbook, const BoundParams& params) {
  const ParamSpec* start = runbook.FindParam("start");
  const ParamSpec* end = runbook.FindParam("end");
  if (!start || !end || start->type.kind != ParamKind::kTimestamp || start->type.list ||
      end->type.kind != ParamKind::kTimestamp || end->type.list) {
    return std::nullopt;
  }
  auto s = params.values.find("start");
  auto e = params.values.find("end");
  if (s == params.values.end() || e == params.values.end() || s->second.is_null() ||
      e->second.is_null()) {
    return std::nullopt;
  }
  return TimeWindow{s->second.int_value(), e->second.int_value()};
}

Decision Authorize(const auth::Principal& principal, Action action, const Runbook* runbook,
                   const BoundParams* params, int64_t now_us) {
  Decision d;
  std::vector<std::string> granted;
  if (action == Action::kRunRunbook) {
    if (runbook == nullptr || params == nullptr) {
      return Deny(std::move(d), "runbook", "runbooks", "no runbook given");
    }
    if (!principal.AllowsRunbook(runbook->id)) {
      std::string claim;
      for (const std::string& r : principal.runbooks) claim += (claim.empty() ? "" : ", ") + r;
      return Deny(std::move(d), "runbook", "runbooks",
                  "runbook " + runbook->id + " is not in the token's runbooks claim [" + claim + "]");
    }
    AddStep(&d, "runbook", true, runbook->id + " matches the runbooks claim");
    granted.push_back("runbooks");
  }
  std::string_view scope = ScopeFor(action);
  if (!principal.HasScope(scope)) {
    return Deny(std::move(d), "scope", "scope",
                "the token's scope does not grant " + std::string(scope));
  }
  if (action == Action::kRunRunbook && runbook->is_audit() && !principal.HasScope(auth::kScopeAuditRead)) {
    return Deny(std::move(d), "scope", "scope",
                "audit runbook " + runbook->id + " needs the audit:read scope");
  }
  AddStep(&d, "scope", true,
          std::string(scope) + (action == Action::kRunRunbook && runbook->is_audit() ? " audit:read" : "") +
              " granted");
  granted.push_back("scope");

  const auth::Constraints& c = principal.constraints;
  std::string fit;
  if (action == Action::kRunRunbook) {
    for (const ParamSpec& spec : runbook->params) {
      auto it = params->values.find(spec.name);
      if (it == params->values.end()) continue;
      const bool account = spec.type.kind == ParamKind::kAccountId;
      const bool region = spec.type.kind == ParamKind::kRegion;
      if ((account && !c.accounts.empty()) || (region && !c.regions.empty())) {
        const std::vector<std::string>& allowed = account ? c.accounts : c.regions;
        for (const std::string& v : TextValues(spec, it->second)) {
          if (!Contains(allowed, v)) {
            return Deny(std::move(d), "constraints",
                        account ? "constraints.accounts" : "constraints.regions",
                        "parameter '" + spec.name + "' value " + v + " is outside the token's " +
                            (account ? "accounts" : "regions"));
          }
        }
      }
    }
    if (std::optional<TimeWindow> w = WindowOf(*runbook, *params)) {
      if (w->end_us < w->start_us) {
        return Deny(std::move(d), "constraints", "params",
                    "end " + FormatTimestamp(w->end_us) + " is before start " + FormatTimestamp(w->start_us));
      }
      if (c.event_time_after_us && w->start_us < *c.event_time_after_us) {
        return Deny(std::move(d), "constraints", "constraints.event_time_after",
                    "start " + FormatTimestamp(w->start_us) + " is before the token's event_time_after " +
                        FormatTimestamp(*c.event_time_after_us));
      }
      if (c.event_time_before_us && w->end_us > *c.event_time_before_us) {
        return Deny(std::move(d), "constraints", "constraints.event_time_before",
                    "end " + FormatTimestamp(w->end_us) + " is after the token's event_time_before " +
                        FormatTimestamp(*c.event_time_before_us));
      }
      if (c.max_window_us && w->end_us - w->start_us > *c.max_window_us) {
        return Deny(std::move(d), "constraints", "constraints.max_window",
                    "window " + FormatDuration(w->end_us - w->start_us) +
                        " is longer than the token's max_window " + FormatDuration(*c.max_window_us));
      }
    }
  }
  sql::ScanConstraints injected = ConstraintsFor(
      principal, runbook && params ? WindowOf(*runbook, *params) : std::nullopt, now_us);
  AddStep(&d, "constraints", true,
          injected.any() ? "injected: " + injected.ToString() : "none (token is unrestricted)");
  if (!c.empty()) granted.push_back("constraints");
  d.allowed = true;
  for (const std::string& g : granted) d.claim += (d.claim.empty() ? "" : "+") + g;
  d.detail = "allowed";
  return d;
}

sql::ScanConstraints ConstraintsFor(const auth::Principal& principal,
                                    const std::optional<TimeWindow>& window, int64_t now_us) {
  const auth::Constraints& c = principal.constraints;
  sql::ScanConstraints s;
  if (!c.accounts.empty()) s.accounts = c.accounts;
  if (!c.regions.empty()) s.regions = c.regions;
  if (c.event_time_after_us) s.min_time = *c.event_time_after_us;
  if (c.event_time_before_us) s.max_time = *c.event_time_before_us - 1;  // before is exclusive
  if (c.max_window_us) {
    int64_t lo = window ? window->start_us : now_us - *c.max_window_us;
    int64_t hi = window ? window->end_us : now_us;
    s.min_time = std::max(s.min_time.value_or(lo), lo);
    s.max_time = std::min(s.max_time.value_or(hi), hi);
  }
  if (!principal.HasScope(auth::kScopeAuditRead)) {
    s.hidden_event_sources.push_back(audit::kAuditEventSource);
  }
  return s;
}

}  // namespace trailbook::runbook
