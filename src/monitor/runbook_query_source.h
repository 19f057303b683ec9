// File: monitor/runbook_query_source.h
//
// The monitor's bridge to the runbook layer. Detection runbooks are ordinary runbooks
// (docs/runbooks.md) with an `alert:` section; LoadDetectionRunbooks reads them into the
// alert rules and a runbook::RunbookLibrary, where each inline confirm/resolve query becomes
// a runbook of its own ("<id>.confirm", "<id>.resolve"). RunbookQuerySource then runs every
// query the alert engine asks for through runbook::Executor with the service token: verified,
// authorized (the token's runbooks claim, scope and constraints), constrained and audited,
// exactly like `trailbook run`. Detection queries read incrementally: only the segments
// committed since the rule's last run (a segment-id range added to the token's
// constraints, and audited with them). With a snapshot key it freezes the evidence of each
// new alert (the detection runbook run over the alert's window) as a signed snapshot through
// snapshot::SnapshotAccess, which audits its creation (CreateSnapshot).
//
//   TB_ASSIGN_OR_RETURN(DetectionSet set, LoadDetectionRunbooks({"detections"}, ""));
//   runbook::Executor executor(set.library, verifier, engine, audit_log, {});
//   RunbookQuerySource source(executor, set.rules, token_file, store, {}, clock);
//
// Thread safety: not thread-safe; the monitor's one thread drives it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "monitor/alert_engine.h"
#include "monitor/alert_rule.h"
#include "monitor/service_token.h"
#include "runbook/executor.h"
#include "runbook/runbook_loader.h"
#include "snapshot/snapshot_access.h"
#include "snapshot/snapshot_key.h"
#include "snapshot/snapshot_manifest.h"

namespace trailbook::storage {
class Store;
}  // namespace trailbook::storage

namespace trailbook::monitor {

// The detection runbooks of a monitor.
struct DetectionSet {
  std::vector<AlertRule> rules;
  // The detection runbooks plus the "<id>.confirm" / "<id>.resolve" runbooks made from
  // their inline queries (same version as their detection runbook).
  runbook::RunbookLibrary library;
};

// Returns `text` with its top-level `alert:` block replaced by empty lines, so the runbook
// loader (which rejects unknown fields) reads the rest with unchanged line numbers.
std::string WithoutAlertSection(std::string_view text);

// Loads every detection runbook (a runbook with an `alert:` section) from files and
// directories (*.yaml, *.yml); runbooks without `alert:` are skipped. Each is parsed by the
// runbook loader (its params, output and tests validated as for `trailbook run`) and must
// declare timestamp parameters `start` and `end` (the monitor binds the detection window).
// `link_template` fills rules without alert.link. Errors: kInvalidArgument naming the file
// (bad runbook or alert section, missing start/end, bad alert.params type, duplicate id),
// kNotFound (no detection runbook at all), kIOError.
Result<DetectionSet> LoadDetectionRunbooks(const std::vector<std::string>& paths,
                                           const std::string& link_template);

struct EvidenceOptions {
  const snapshot::SnapshotSigningKey* key = nullptr;  // nullptr: no snapshots
  // Writes and audits the snapshots (over <store>/snapshots); required with `key`.
  const snapshot::SnapshotAccess* access = nullptr;
};

class RunbookQuerySource : public QuerySource {
 public:
  // `executor`, `token`, `store`, `clock`, evidence.key and evidence.access must outlive the
  // source; `rules`
  // are the DetectionSet's rules whose library the executor uses. `max_rows` bounds the rows
  // of one query.
  RunbookQuerySource(const runbook::Executor& executor, const std::vector<AlertRule>& rules,
                     ServiceTokenFile& token, const storage::Store& store,
                     EvidenceOptions evidence, const Clock& clock, size_t max_rows = 1'000'000);

  // Runs the runbook behind `sql` (the rule's detection query, or its confirm or resolve
  // query) with the service token. Of `params`, only the runbook's declared parameters are
  // passed (as text, parsed by the runbook's types; NULL cells are left unset). Errors: the
  // token file's (kNotFound, kPermissionDenied, kUnauthenticated), the executor's generic
  // denial (kUnauthenticated "invalid token", kPermissionDenied "not allowed"; the reason
  // is in the audit event), parameter and engine errors, kResourceExhausted past max_rows.
  Result<std::vector<DetectionRow>> Run(const AlertRule& rule, std::string_view sql,
                                        const QueryParams& params) override;

  // Returns the store's newest regular segment id (0 for an empty store). Audit events still
  // in the journal tail are not counted: they are read once folded into regular segments.
  // Exact because the monitor is the store's only writer (it holds the writer lock) and its
  // ingest commits every segment id it allocated before detection runs, so no segment with
  // a smaller id can appear later.
  Result<std::optional<uint64_t>> IngestPosition() override;

  // Runs the rule's detection runbook as Run does, scanning only the regular segments with
  // after < id <= through. Errors: as Run.
  Result<std::vector<DetectionRow>> RunIngested(const AlertRule& rule, const QueryParams& params,
                                                uint64_t after, uint64_t through) override;

  // Runs the rule's detection runbook with `params` (the alert's window; audited) and
  // freezes its result as a signed snapshot through SnapshotAccess::Create (audited as
  // CreateSnapshot, same request id) and returns its id; "" without a key. Errors: as Run,
  // plus the snapshot writer's and the audit log's.
  Result<std::string> SnapshotEvidence(const AlertRule& rule, const QueryParams& params) override;

  // Executor runs made and denied so far (denials include bad tokens).
  uint64_t runs() const { return runs_; }
  uint64_t denials() const { return denials_; }
  // Totals over the incremental detection runs (RunIngested): segments scanned (not pruned)
  // and rows the scans examined.
  uint64_t detection_segments_read() const { return detection_segments_read_; }
  uint64_t detection_rows_examined() const { return detection_rows_examined_; }

 private:
  // Runs runbook `runbook_id` of `rule` with `params` (only its declared ones) and, when
  // set, the segment range; fills `outcome`.
  Status Execute(const AlertRule& rule, const std::string& runbook_id, const QueryParams& params,
                 std::optional<std::pair<uint64_t, uint64_t>> segments,
                 runbook::RunOutcome* outcome);
  Result<std::vector<DetectionRow>> Rows(const std::string& runbook_id,
                                         const runbook::RunOutcome& outcome) const;

  const runbook::Executor& executor_;
  ServiceTokenFile& token_;
  const storage::Store& store_;
  EvidenceOptions evidence_options_;
  const Clock& clock_;
  size_t max_rows_;
  std::map<std::string, std::map<std::string, std::string, std::less<>>> runbook_of_;  // rule -> sql -> id
  uint64_t runs_ = 0;
  uint64_t denials_ = 0;
  uint64_t detection_segments_read_ = 0;
  uint64_t detection_rows_examined_ = 0;
};

}  // namespace trailbook::monitor
