// File: monitor/monitor_daemon.h
//
// Monitor: the `trailbook monitor` daemon. Each pass it ingests new files from the watched
// directories into the store (the crash-safe ingest path; the ledger skips files already
// read), runs the detection runbooks when the schedule says so (interval or cron) through
// an AlertPipeline, and delivers what is due. Every query runs through runbook::Executor with
// the service token (verified, authorized, audited in the store's audit log); see
// monitor/runbook_query_source.h. Evidence snapshots are made through
// snapshot::SnapshotAccess (audited). With audit_digest_key, the monitor also writes a
// signed audit digest every audit_digest_interval and on shutdown (Close).
//
//   TB_ASSIGN_OR_RETURN(auto monitor, Monitor::Open(config, SystemClock(), stdout_writer));
//   TB_ASSIGN_OR_RETURN(PassReport pass, monitor->RunPass(/*force_detect=*/true));  // --once
//   TB_RETURN_IF_ERROR(monitor->Close());                                            // --once
//   TB_RETURN_IF_ERROR(monitor->Run(stop_flag, on_pass));                            // daemon
//
// Thread safety: one thread drives a Monitor; `stop` may be set from a signal handler.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "audit/audit_log.h"
#include "auth/jwks/jwks_cache.h"
#include "auth/jwt/token_verifier.h"
#include "ingest/ingest_pipeline.h"
#include "monitor/alert_pipeline.h"
#include "monitor/monitor_config.h"
#include "monitor/runbook_query_source.h"
#include "monitor/service_token.h"
#include "runbook/executor.h"
#include "snapshot/snapshot_access.h"
#include "snapshot/snapshot_key.h"
#include "sql/exec/query_engine.h"

namespace trailbook::io {
class FileLock;
}  // namespace trailbook::io
namespace trailbook::storage {
class Store;
}  // namespace trailbook::storage

namespace trailbook::monitor {

struct PassReport {
  bool ingested = false;  // Watched paths were scanned.
  ingest::IngestSummary ingest;
  bool detected = false;  // The rules ran in this pass.
  CycleReport cycle;      // Detection (when detected) and deliveries.
  // An audit digest was due in this pass: what it wrote, or why it failed.
  std::optional<Result<audit::DigestReceipt>> digest;
};

class Monitor {
 public:
  // Opens the store (read-write: the monitor ingests) and its audit log, locks the state
  // directory (one monitor per state), loads the detection runbooks, the token verifier
  // (config.auth), the snapshot key and the state, and builds the deliveries.
  // `stdout_writer` serves `type: stdout` deliveries; `clock` must outlive the monitor (it is
  // also the verifier's and the queries' now). Errors: kResourceExhausted (store or state
  // locked by another process), kInvalidArgument (auth settings, runbooks), the key set's,
  // snapshot key's, audit log's and state's errors.
  static Result<std::unique_ptr<Monitor>> Open(const MonitorConfig& config, const Clock& clock,
                                               StreamSink::Writer stdout_writer);
  ~Monitor();

  // Ingests the watched paths, runs the rules when due (always when `force_detect`), and
  // delivers what is due. Without a usable service token file no rule runs and the report
  // carries one kUnauthenticated rule error. Errors: store and state-file failures; rule, ingest-record and
  // delivery failures are in the report.
  Result<PassReport> RunPass(bool force_detect);

  // Runs passes every poll interval until `stop` is set; calls `on_pass` after each; then
  // Close(). Errors: RunPass's, then Close's.
  Status Run(const std::atomic<bool>& stop, const std::function<void(const PassReport&)>& on_pass);

  // Writes the final audit digest, covering every audit event this monitor appended (when
  // audit_digest_key is set; otherwise does nothing). Call on shutdown. Errors: the audit
  // log's WriteDigest errors (kIOError, kCorruption, kInvalidArgument).
  Status Close();

  size_t rule_count() const { return detections_->rules.size(); }
  const MonitorState& state() const { return pipeline_->state(); }
  const RunbookQuerySource& source() const { return *source_; }

 private:
  Monitor(const MonitorConfig& config, const Clock& clock) : config_(config), clock_(clock) {}
  int64_t NextDetection(int64_t after) const;

  MonitorConfig config_;
  const Clock& clock_;
  std::unique_ptr<io::FileLock> lock_;
  std::unique_ptr<storage::Store> store_;
  // The duplicate filter, kept across polls: the monitor is the store's only writer, so the
  // days it holds stay valid and are not re-read from the store on every poll.
  std::unique_ptr<ingest::DedupIndex> dedup_;
  std::unique_ptr<sql::QueryEngine> engine_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::shared_ptr<auth::JwksCache> keys_;  // Shared with the verifier's issuer config.
  std::unique_ptr<auth::TokenVerifier> verifier_;
  std::unique_ptr<DetectionSet> detections_;  // The executor borrows its library.
  std::unique_ptr<runbook::Executor> executor_;
  std::unique_ptr<ServiceTokenFile> token_;
  std::optional<snapshot::SnapshotSigningKey> snapshot_key_;
  std::unique_ptr<snapshot::SnapshotAccess> snapshot_access_;
  std::unique_ptr<RunbookQuerySource> source_;
  std::unique_ptr<AlertPipeline> pipeline_;
  int64_t next_detection_us_ = 0;
  int64_t next_digest_us_ = 0;  // 0: no digests (no audit_digest_key).
};

}  // namespace trailbook::monitor
