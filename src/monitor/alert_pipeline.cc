#include "monitor/alert_pipeline.h"

#include <algorithm>

#include "base/timestamp.h"
#include "io/file.h"
#include "json/json_writer.h"

namespace trailbook::monitor {

AlertPipeline::AlertPipeline(PipelineOptions options, std::vector<AlertRule> rules,
                             QuerySource& source, const Clock& clock,
                             std::vector<std::unique_ptr<AlertSink>> sinks)
    : options_(std::move(options)),
      engine_(std::move(rules), source, clock, options_.engine),
      clock_(clock) {
  for (auto& sink : sinks) {
    std::string name = sink->name();
    sinks_.emplace(std::move(name), std::move(sink));
  }
}

AlertPipeline::~AlertPipeline() = default;

Result<std::unique_ptr<AlertPipeline>> AlertPipeline::Open(
    PipelineOptions options, std::vector<AlertRule> rules, QuerySource& source,
    const Clock& clock, std::vector<std::unique_ptr<AlertSink>> sinks) {
  if (options.state_path.empty()) return InvalidArgument("monitor: state path is required");
  if (options.dead_letter_path.empty()) options.dead_letter_path = options.state_path + ".dead";
  std::map<std::string, std::vector<std::string>> rule_sinks;
  for (const AlertRule& rule : rules) {
    if (rule_sinks.count(rule.runbook_id) > 0) {
      return InvalidArgument("monitor: runbook " + rule.runbook_id + " is configured twice");
    }
    std::vector<std::string> names = rule.deliver.empty() ? options.default_sinks : rule.deliver;
    if (names.empty()) {
      return InvalidArgument("monitor: runbook " + rule.runbook_id +
                             " has no delivery (set alert.deliver or a default)");
    }
    for (const std::string& name : names) {
      bool known = std::any_of(sinks.begin(), sinks.end(),
                               [&](const auto& s) { return s->name() == name; });
      if (!known) {
        return InvalidArgument("monitor: runbook " + rule.runbook_id +
                               " delivers to unknown delivery '" + name + "'");
      }
    }
    rule_sinks[rule.runbook_id] = std::move(names);
  }
  TB_ASSIGN_OR_RETURN(MonitorState state, LoadMonitorState(options.state_path));
  // Record when each rule started being monitored, before any cycle: a monitor that dies
  // before its first cycle then still covers the time since it started when it comes back,
  // instead of looking back only `lookback` from whenever a cycle first completes.
  const int64_t now = clock.NowMicros();
  bool started = false;
  for (const AlertRule& rule : rules) {
    RuleState& rs = state.engine.rules[rule.runbook_id];
    if (rs.watermark_us == 0) {
      rs.watermark_us = now;
      started = true;
    }
  }
  if (started) TB_RETURN_IF_ERROR(SaveMonitorState(options.state_path, state));
  std::unique_ptr<AlertPipeline> pipeline(
      new AlertPipeline(std::move(options), std::move(rules), source, clock, std::move(sinks)));
  pipeline->rule_sinks_ = std::move(rule_sinks);
  pipeline->engine_.set_state(std::move(state.engine));
  state.engine = {};
  pipeline->state_ = std::move(state);
  return pipeline;
}

Status AlertPipeline::Enqueue(const Alert& alert) {
  std::string id = alert.id;
  if (alert.status == AlertStatus::kResolved) id += ":resolved";
  if (std::find(state_.delivered.begin(), state_.delivered.end(), id) != state_.delivered.end()) {
    return Status::OK();
  }
  for (const OutboxEntry& e : state_.outbox) {
    if (e.alert_id == id) return Status::OK();
  }
  OutboxEntry entry;
  entry.alert_id = std::move(id);
  entry.payload = AlertToJson(alert);
  auto sinks = rule_sinks_.find(alert.runbook_id);
  if (sinks == rule_sinks_.end()) return Internal("alert from unknown rule " + alert.runbook_id);
  entry.pending_sinks = sinks->second;
  entry.next_attempt_us = 0;
  state_.outbox.push_back(std::move(entry));
  return Status::OK();
}

Status AlertPipeline::AppendLine(const std::string& path, const std::string& line) {
  TB_ASSIGN_OR_RETURN(std::unique_ptr<io::AppendFile> file, io::AppendFile::Open(path, 0600));
  TB_RETURN_IF_ERROR(file->Append(line));
  return file->Sync();
}

Result<CycleReport> AlertPipeline::RunCycle() {
  CycleReport report;
  TickOutput out = engine_.RunOnce();
  report.rule_errors = std::move(out.rule_errors);
  report.rows_new = out.rows_new;
  report.keys_evicted = out.keys_evicted;
  report.rows_evicted = out.rows_evicted;
  report.evidence_dropped = out.evidence_dropped;
  report.candidates = out.candidates.size();
  for (const Alert& alert : out.alerts) {
    TB_RETURN_IF_ERROR(Enqueue(alert));
    if (alert.status == AlertStatus::kFiring) ++report.alerts_new;
  }
  // The candidate log is for tuning: written before the commit, so after a crash a
  // candidate may be logged twice, never lost.
  if (!options_.candidates_path.empty() && !out.candidates.empty()) {
    std::string lines;
    for (const CandidateRecord& c : out.candidates) {
      json::JsonWriter w;
      w.BeginObject();
      w.Key("candidate_id");
      w.String(c.id);
      w.Key("runbook_id");
      w.String(c.runbook_id);
      w.Key("dedup_key");
      w.String(c.dedup_key);
      w.Key("at");
      w.String(FormatTimestamp(c.at_us));
      w.Key("outcome");
      w.String(CandidateOutcomeName(c.outcome));
      w.Key("reason");
      w.String(c.reason);
      w.Key("row_count");
      w.UInt(c.row_count);
      w.EndObject();
      lines += std::move(w).Take();
      lines += '\n';
    }
    TB_RETURN_IF_ERROR(AppendLine(options_.candidates_path, lines));
  }
  ++state_.runs;
  TB_RETURN_IF_ERROR(Save());
  TB_RETURN_IF_ERROR(Deliver(&report));
  return report;
}

Result<CycleReport> AlertPipeline::DeliverDue() {
  CycleReport report;
  TB_RETURN_IF_ERROR(Deliver(&report));
  return report;
}

Status AlertPipeline::Deliver(CycleReport* report) {
  const int64_t now = clock_.NowMicros();
  bool changed = false;
  std::vector<OutboxEntry> remaining;
  for (OutboxEntry& entry : state_.outbox) {
    if (entry.next_attempt_us > now) {
      remaining.push_back(std::move(entry));
      continue;
    }
    std::vector<std::string> failed;
    Status last_error;
    for (const std::string& name : entry.pending_sinks) {
      auto sink = sinks_.find(name);
      Status s = sink == sinks_.end()
                     ? NotFound("delivery '" + name + "' is no longer configured")
                     : sink->second->Deliver(entry.alert_id, entry.payload);
      if (s.ok()) {
        ++report->deliveries;
      } else {
        ++report->delivery_failures;
        report->delivery_errors.push_back(s);
        failed.push_back(name);
        last_error = s;
      }
    }
    changed = true;
    if (failed.empty()) {
      state_.delivered.push_back(entry.alert_id);
      while (state_.delivered.size() > options_.delivered_ids_kept) state_.delivered.pop_front();
      continue;
    }
    entry.pending_sinks = std::move(failed);
    ++entry.attempts;
    if (entry.attempts >= options_.max_attempts) {
      json::JsonWriter w;
      w.BeginObject();
      w.Key("delivery_id");
      w.String(entry.alert_id);
      w.Key("failed_sinks");
      w.BeginArray();
      for (const std::string& s : entry.pending_sinks) w.String(s);
      w.EndArray();
      w.Key("attempts");
      w.UInt(entry.attempts);
      w.Key("last_error");
      w.String(last_error.ToString());
      w.Key("at");
      w.String(FormatTimestamp(now));
      w.Key("alert");
      w.Raw(entry.payload);
      w.EndObject();
      TB_RETURN_IF_ERROR(AppendLine(options_.dead_letter_path, std::move(w).Take() + "\n"));
      ++report->dead_letters;
      continue;
    }
    int64_t backoff = options_.backoff_initial_us;
    for (uint32_t i = 1; i < entry.attempts && backoff < options_.backoff_max_us; ++i) backoff *= 2;
    entry.next_attempt_us = now + std::min(backoff, options_.backoff_max_us);
    remaining.push_back(std::move(entry));
  }
  state_.outbox = std::move(remaining);
  if (changed) TB_RETURN_IF_ERROR(Save());
  return Status::OK();
}

Status AlertPipeline::Save() {
  state_.engine = engine_.TakeState();
  Status s = SaveMonitorState(options_.state_path, state_);
  engine_.set_state(std::move(state_.engine));
  state_.engine = {};
  return s;
}

}  // namespace trailbook::monitor
