// File: monitor/monitor_daemon.h
//
// Monitor: the `trailbook monitor` daemon. Each pass it ingests new files from the watched
// directories into the store (the crash-safe ingest path; the ledger skips files already
// read), runs the detection runbooks when the schedule says so (interval or cron) through
// an AlertPipeline, and delivers what is due. StoreQuerySource is the SQL adapter.
//
//   TB_ASSIGN_OR_RETURN(auto monitor, Monitor::Open(config, SystemClock(), stdout_writer));
//   TB_ASSIGN_OR_RETURN(PassReport pass, monitor->RunPass(/*force_detect=*/true));  // --once
//   TB_RETURN_IF_ERROR(monitor->Run(stop_flag, on_pass));                            // daemon
//
// Thread safety: one thread drives a Monitor; `stop` may be set from a signal handler.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "ingest/ingest_pipeline.h"
#include "monitor/alert_pipeline.h"
#include "monitor/monitor_config.h"
#include "monitor/service_token.h"
#include "sql/exec/query_engine.h"

namespace trailbook::io {
class FileLock;
}  // namespace trailbook::io
namespace trailbook::storage {
class Store;
}  // namespace trailbook::storage

namespace trailbook::monitor {

// Runs rule queries on the SQL engine. Cell parameters are bound as typed values; the
// detection query (rule.query) also gets its [:start, :end] range injected as a scan
// constraint, so every run reads only the recent segments whatever the SQL says.
class StoreQuerySource : public QuerySource {
 public:
  // `engine` and `clock` must outlive the source.
  StoreQuerySource(const sql::QueryEngine& engine, const Clock& clock, size_t max_rows)
      : engine_(engine), clock_(clock), max_rows_(max_rows) {}

  // Errors: the engine's, and kResourceExhausted past max_rows rows.
  Result<std::vector<DetectionRow>> Run(const AlertRule& rule, std::string_view sql,
                                        const QueryParams& params) override;

 private:
  const sql::QueryEngine& engine_;
  const Clock& clock_;
  size_t max_rows_;
};

// Loads every detection runbook (a runbook with an `alert:` section) from files and
// directories (*.yaml, *.yml); runbooks without `alert:` are skipped. `link_template`
// fills rules without alert.link. Errors: kInvalidArgument (bad runbook, duplicate id),
// kNotFound (no detection runbook at all), kIOError.
Result<std::vector<AlertRule>> LoadDetectionRules(const std::vector<std::string>& paths,
                                                  const std::string& link_template);

struct PassReport {
  bool ingested = false;  // Watched paths were scanned.
  ingest::IngestSummary ingest;
  bool detected = false;  // The rules ran in this pass.
  CycleReport cycle;      // Detection (when detected) and deliveries.
};

class Monitor {
 public:
  // Opens the store (read-write: the monitor ingests), locks the state directory (one
  // monitor per state), loads the rules and the state, and builds the deliveries.
  // `stdout_writer` serves `type: stdout` deliveries; `clock` must outlive the monitor.
  // Errors: kResourceExhausted (store or state locked by another process), the config's,
  // rules' and state's errors.
  static Result<std::unique_ptr<Monitor>> Open(const MonitorConfig& config, const Clock& clock,
                                               StreamSink::Writer stdout_writer);
  ~Monitor();

  // Ingests the watched paths, runs the rules when due (always when `force_detect`), and
  // delivers what is due. Errors: store and state-file failures; rule, ingest-record and
  // delivery failures are in the report.
  Result<PassReport> RunPass(bool force_detect);

  // Runs passes every poll interval until `stop` is set; calls `on_pass` after each.
  Status Run(const std::atomic<bool>& stop, const std::function<void(const PassReport&)>& on_pass);

  size_t rule_count() const { return rule_count_; }
  const MonitorState& state() const { return pipeline_->state(); }

 private:
  Monitor(const MonitorConfig& config, const Clock& clock) : config_(config), clock_(clock) {}
  int64_t NextDetection(int64_t after) const;

  MonitorConfig config_;
  const Clock& clock_;
  std::unique_ptr<io::FileLock> lock_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<sql::QueryEngine> engine_;
  std::unique_ptr<StoreQuerySource> source_;
  std::unique_ptr<AlertPipeline> pipeline_;
  std::unique_ptr<ServiceTokenFile> token_;
  size_t rule_count_ = 0;
  int64_t next_detection_us_ = 0;
};

}  // namespace trailbook::monitor
