// File: monitor/alert_pipeline.h
//
// AlertPipeline: one monitor cycle made crash-safe. It runs the alert engine, commits the
// engine state together with the new alerts (the outbox) to the state file, then delivers
// the outbox to the sinks, with retries and exponential backoff, and moves alerts that
// fail max_attempts times to a dead-letter file.
//
//   TB_ASSIGN_OR_RETURN(auto pipeline, AlertPipeline::Open(options, rules, source, clock,
//                                                          std::move(sinks)));
//   TB_ASSIGN_OR_RETURN(CycleReport report, pipeline->RunCycle());
//
// Crash safety: the state file is the commit point. A crash before it repeats the cycle
// (same data, same deterministic alert ids); a crash after it finds the alerts in the
// outbox. Deliveries are therefore at least once and idempotent by delivery id (alert id,
// plus ":resolved" for a resolution); the file sink drops repeats, so it is exactly once.
//
// Thread safety: not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "monitor/alert_engine.h"
#include "monitor/alert_sink.h"
#include "monitor/monitor_state.h"

namespace trailbook::io {
class AppendFile;
}  // namespace trailbook::io

namespace trailbook::monitor {

struct PipelineOptions {
  std::string state_path;        // Required: the crash-safe state file.
  std::string candidates_path;   // NDJSON log of every candidate ("" = none).
  std::string dead_letter_path;  // NDJSON of undeliverable alerts ("" = state dir default).
  std::vector<std::string> default_sinks;  // For rules without `deliver:`.
  uint32_t max_attempts = 8;               // Per sink, then dead letter.
  int64_t backoff_initial_us = 1'000'000;  // Doubles per failed attempt...
  int64_t backoff_max_us = 300'000'000;    // ...up to this.
  size_t delivered_ids_kept = 10'000;
  EngineOptions engine;
};

struct CycleReport {
  size_t alerts_new = 0;
  size_t deliveries = 0;       // Successful (sink, alert) deliveries in this cycle.
  size_t delivery_failures = 0;
  size_t dead_letters = 0;
  size_t candidates = 0;
  uint64_t rows_new = 0;
  // Group keys (and their rows) the rules forgot at EngineOptions::max_keys_per_rule.
  uint64_t keys_evicted = 0;
  uint64_t rows_evicted = 0;
  // Rows the rules kept as counts only at EngineOptions::max_cached_rows_per_rule (their
  // alerts stay exact; they carry fewer evidence rows).
  uint64_t evidence_dropped = 0;
  std::vector<Status> rule_errors;
  std::vector<Status> delivery_errors;
};

class AlertPipeline {
 public:
  // Loads the state (missing: fresh). `source` and `clock` must outlive the pipeline.
  // Errors: kInvalidArgument (a rule names an unknown sink, no sink for a rule),
  // kCorruption (bad state file), kIOError.
  static Result<std::unique_ptr<AlertPipeline>> Open(PipelineOptions options,
                                                     std::vector<AlertRule> rules,
                                                     QuerySource& source, const Clock& clock,
                                                     std::vector<std::unique_ptr<AlertSink>> sinks);
  ~AlertPipeline();

  // Runs every rule, commits, then delivers what is due. Rule and delivery failures are
  // reported, not returned; errors are only those of the state file (kIOError).
  Result<CycleReport> RunCycle();

  // Delivers the outbox entries that are due without running rules (a cycle does this too).
  Result<CycleReport> DeliverDue();

  // The outbox, delivered ids and run count; the rules' state is in engine().state() (its
  // `engine` member is empty).
  const MonitorState& state() const { return state_; }
  const AlertEngine& engine() const { return engine_; }

 private:
  AlertPipeline(PipelineOptions options, std::vector<AlertRule> rules, QuerySource& source,
                const Clock& clock, std::vector<std::unique_ptr<AlertSink>> sinks);
  Status Enqueue(const Alert& alert);
  Status Deliver(CycleReport* report);
  // Writes state_ with the engine's state (lent to it for the write, not copied: the rules'
  // remembered rows are most of it). Errors: kIOError.
  Status Save();
  Status AppendLine(const std::string& path, const std::string& line);

  PipelineOptions options_;
  std::map<std::string, std::vector<std::string>> rule_sinks_;  // By runbook id.
  AlertEngine engine_;
  const Clock& clock_;
  std::map<std::string, std::unique_ptr<AlertSink>> sinks_;
  MonitorState state_;
};

}  // namespace trailbook::monitor
