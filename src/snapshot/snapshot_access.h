// File: snapshot/snapshot_access.h
//
// SnapshotAccess: the authorised and audited way in to a store's snapshots, shared by the
// CLI and the HTTP server. Reading (list, show, export, verify) needs a token with scope
// `snapshot:read`; freezing a runbook run needs a successful, audited run. Every request,
// allowed or denied, appends one audit event (eventSource trailbook.audit):
//   CreateSnapshot   a run frozen as a snapshot (readOnly false)
//   ListSnapshots    the catalog listed
//   ReadSnapshot     one snapshot shown, exported or verified (requestParameters.action)
// Fail closed: when the audit event cannot be written, the caller gets the audit error and
// no data (an export's copied files and a new snapshot are removed again).
//
//   SnapshotAccess access(SnapshotsDir(store_dir), verifier, *audit_log, {});
//   AccessRequest req;  req.token = token;
//   TB_ASSIGN_OR_RETURN(std::vector<SnapshotSummary> all, access.List(req));
//
// Callers see generic statuses (kUnauthenticated "invalid token", kPermissionDenied "not
// allowed"); the precise reason and the token verification steps go to the audit event only.
//
// Thread safety: all methods are const and may be called concurrently (the verifier and the
// audit log are thread-safe).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "auth/jwt/token_verifier.h"
#include "base/clock.h"
#include "base/status.h"
#include "runbook/executor.h"
#include "snapshot/snapshot_catalog.h"
#include "snapshot/snapshot_key.h"
#include "snapshot/snapshot_manifest.h"
#include "snapshot/snapshot_verifier.h"
#include "snapshot/snapshot_writer.h"

namespace trailbook::snapshot {

// The audit eventName of each request kind. DO NOT CHANGE: stored in audit events.
inline constexpr char kEventCreateSnapshot[] = "CreateSnapshot";
inline constexpr char kEventListSnapshots[] = "ListSnapshots";
inline constexpr char kEventReadSnapshot[] = "ReadSnapshot";

struct AccessRequest {
  std::string token;  // compact JWT
  runbook::RequestOrigin origin;
};

// A snapshot's manifest as stored (unverified) and parsed.
struct ManifestView {
  std::string dir;
  std::string json;  // manifest.json bytes
  SnapshotManifest manifest;
};

struct SnapshotAccessOptions {
  const Clock* clock = nullptr;  // nullptr: the system clock (token times)
};

class SnapshotAccess {
 public:
  // `verifier` and `audit_log` must outlive the SnapshotAccess.
  SnapshotAccess(std::string snapshots_dir, const auth::TokenVerifier& verifier,
                 audit::AuditLog& audit_log, SnapshotAccessOptions options);

  const std::string& snapshots_dir() const { return snapshots_dir_; }

  // Lists the snapshots (ListSnapshots). Errors: kUnauthenticated, kPermissionDenied (no
  // snapshot:read), kIOError, and the audit log's errors.
  Result<std::vector<SnapshotSummary>> List(const AccessRequest& request) const;

  // Reads snapshot `id`'s manifest (ReadSnapshot, action "show"). Errors: as List, plus
  // kInvalidArgument (malformed id), kNotFound, kCorruption (unreadable manifest).
  Result<ManifestView> Show(const AccessRequest& request, const std::string& id) const;

  // Copies snapshot `id` into `dest_dir` (ReadSnapshot, action "export"). Errors: as Show,
  // plus ExportSnapshot's.
  Status Export(const AccessRequest& request, const std::string& id,
                const std::string& dest_dir) const;

  // Verifies snapshot `id` against `trusted_keys` (ReadSnapshot, action "verify"); the
  // report's outcome is recorded in the audit event. options.expected_id is set to `id`.
  // Errors: as Show (a snapshot that does not verify is an OK result with a failed report).
  Result<VerifyReport> Verify(const AccessRequest& request, const std::string& id,
                              const auth::JwkSet& trusted_keys, VerifyOptions options) const;

  // Freezes the result of `run` (an executed, successful, audited runbook run made for
  // `origin`) over store state `store` (captured right before the run) as a snapshot signed
  // by `key`. The snapshot is sealed, then CreateSnapshot is appended (same request id as
  // the run's event), then the snapshot is published: none is ever visible without its
  // audit event. Errors: kInvalidArgument (the run failed, was a dry run or has no
  // principal), the writer's errors, and the audit log's (nothing is then published).
  Result<SnapshotInfo> Create(const runbook::RunOutcome& run, const runbook::RequestOrigin& origin,
                              const StoreState& store,
                              const SnapshotSigningKey& key,
                              const SnapshotWriterOptions& options) const;

 private:
  struct Grant;
  // Verifies the token and the snapshot:read scope. On denial, appends the denied event and
  // returns the generic status (or the audit error).
  Result<Grant> Authorize(const AccessRequest& request, const std::string& event_name,
                          const std::string& action, const std::string& id) const;
  // Appends the event of an authorised request that ended with `outcome`.
  Status Record(const Grant& grant, const Status& outcome, const std::string& response_json) const;

  std::string snapshots_dir_;
  const auth::TokenVerifier& verifier_;
  audit::AuditLog& audit_log_;
  const Clock& clock_;
};

// Returns the caller text that re-binds each parameter of a manifest's parameters JSON to
// the same value (timestamps as RFC 3339, durations as "<n>s", lists as JSON arrays). NULL
// parameters are left out (they bind NULL again, having no default). Errors: kCorruption
// naming the parameter when a value cannot be turned back into text.
Result<std::map<std::string, std::string>> RerunParameters(std::string_view parameters_json);

// Re-runs the verified snapshot in `report` through `executor` with `request`'s token,
// reason and origin (runbook id and parameters from the manifest), and appends the checks
// "rerun runbook" (same version and content hash), "rerun run" (the run succeeded),
// "rerun constraints" (the token injected the same constraints), "rerun store" (the same
// store still holds every segment the snapshot ran over) and "rerun digest". The re-run is
// pinned to the snapshot's segments (RunRequest::segment_ids), so events ingested since the
// snapshot do not change its answer. Audit events the snapshot's query read from the journal
// tail (not yet folded into segments) are not in the pin: a runbook over the audit trail
// re-runs without them.
// `current` is the store state right before the re-run. Does nothing but add a failed
// "rerun" check when the report has no manifest or has already failed.
void AppendRerunChecks(const runbook::Executor& executor, const runbook::RunRequest& request,
                       const StoreState& current, VerifyReport* report);

}  // namespace trailbook::snapshot
