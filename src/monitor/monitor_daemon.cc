#include "monitor/monitor_daemon.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "io/file.h"
#include "sql/types/data_chunk.h"
#include "sql/types/value.h"
#include "storage/store.h"

namespace trailbook::monitor {
namespace {

sql::Value ToValue(const Cell& cell) {
  switch (cell.type) {
    case CellType::kNull: return sql::Value::Null();
    case CellType::kBool: return sql::Value::Boolean(cell.int_value != 0);
    case CellType::kInt: return sql::Value::Bigint(cell.int_value);
    case CellType::kDouble: return sql::Value::Double(cell.double_value);
    case CellType::kString: return sql::Value::Varchar(cell.text);
    case CellType::kTimestamp: return sql::Value::Timestamp(cell.int_value);
  }
  return sql::Value::Null();
}

Cell ToCell(const sql::Value& v) {
  if (v.is_null()) return Cell::Null();
  switch (v.type().id()) {
    case sql::TypeId::kBoolean: return Cell::Bool(v.bool_value());
    case sql::TypeId::kBigint:
    case sql::TypeId::kDate:
    case sql::TypeId::kIntervalDayTime:
    case sql::TypeId::kIntervalYearMonth: return Cell::Int(v.int_value());
    case sql::TypeId::kDouble: return Cell::Double(v.double_value());
    case sql::TypeId::kTimestamp: return Cell::Timestamp(v.int_value());
    case sql::TypeId::kVarchar: return Cell::String(v.string_value());
    default: return Cell::String(v.ToString());
  }
}

bool IsRunbookFile(const std::string& path) {
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with(".yaml") || ends_with(".yml");
}

}  // namespace

Result<std::vector<DetectionRow>> StoreQuerySource::Run(const AlertRule& rule,
                                                        std::string_view sql,
                                                        const QueryParams& params) {
  sql::QueryOptions options;
  options.clock = &clock_;
  options.threads = 1;
  for (const auto& [name, cell] : params) options.parameters[name] = ToValue(cell);
  if (sql == rule.query) {
    for (const auto& [name, cell] : params) {
      if (name == "start" && cell.type == CellType::kTimestamp) {
        options.constraints.min_time = cell.int_value;
      }
      if (name == "end" && cell.type == CellType::kTimestamp) {
        options.constraints.max_time = cell.int_value;
      }
    }
  }
  auto context = [&](const Status& s) {
    return s.WithContext("runbook " + rule.runbook_id + (sql == rule.query ? " detection query"
                                                                            : " confirm/resolve query"));
  };
  Result<std::unique_ptr<sql::QueryResult>> result = engine_.Execute(sql, options);
  if (!result.ok()) return context(result.status());
  const std::vector<std::string>& names = (*result)->column_names();
  std::vector<DetectionRow> rows;
  sql::DataChunk chunk;
  while (true) {
    Result<bool> more = (*result)->Next(&chunk);
    if (!more.ok()) return context(more.status());
    if (!*more) break;
    for (size_t r = 0; r < chunk.size; ++r) {
      if (rows.size() >= max_rows_) {
        return context(ResourceExhausted("more than " + std::to_string(max_rows_) + " rows"));
      }
      DetectionRow row;
      row.fields.reserve(names.size());
      for (size_t c = 0; c < names.size(); ++c) {
        row.fields.emplace_back(names[c], ToCell(chunk.columns[c].GetValue(r)));
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

Result<std::vector<AlertRule>> LoadDetectionRules(const std::vector<std::string>& paths,
                                                  const std::string& link_template) {
  std::vector<AlertRule> rules;
  std::set<std::string> ids;
  for (const std::string& root : paths) {
    TB_ASSIGN_OR_RETURN(std::vector<std::string> files, io::ListFilesRecursive(root));
    for (const std::string& file : files) {
      if (!IsRunbookFile(file)) continue;
      Result<AlertRule> rule = LoadAlertRuleFile(file);
      if (!rule.ok()) {
        if (rule.status().code() == StatusCode::kNotFound && io::Exists(file)) continue;
        return rule.status();
      }
      if (!ids.insert(rule->runbook_id).second) {
        return InvalidArgument(file + ": runbook id " + rule->runbook_id + " is defined twice");
      }
      if (rule->link_template.empty()) rule->link_template = link_template;
      rules.push_back(std::move(rule).value());
    }
  }
  if (rules.empty()) return NotFound("no detection runbook (with an alert: section) found");
  return rules;
}

Monitor::~Monitor() = default;

Result<std::unique_ptr<Monitor>> Monitor::Open(const MonitorConfig& config, const Clock& clock,
                                               StreamSink::Writer stdout_writer) {
  std::unique_ptr<Monitor> m(new Monitor(config, clock));
  TB_RETURN_IF_ERROR(io::CreateDirectories(config.state_dir));
  Result<std::unique_ptr<io::FileLock>> lock =
      io::FileLock::Acquire(config.state_dir + "/LOCK", /*wait=*/false);
  if (!lock.ok()) {
    return lock.status().WithContext("monitor state " + config.state_dir +
                                     " is in use by another monitor");
  }
  m->lock_ = std::move(lock).value();
  TB_ASSIGN_OR_RETURN(std::vector<AlertRule> rules,
                      LoadDetectionRules(config.runbooks, config.link_template));
  m->rule_count_ = rules.size();
  TB_ASSIGN_OR_RETURN(m->store_,
                      storage::Store::Open(config.store, storage::Store::Mode::kReadWrite, clock));
  m->engine_ = std::make_unique<sql::QueryEngine>(*m->store_);
  m->source_ = std::make_unique<StoreQuerySource>(*m->engine_, clock, 1'000'000);
  if (!config.token_file.empty()) {
    m->token_ = std::make_unique<ServiceTokenFile>(config.token_file);
  }
  std::vector<std::unique_ptr<AlertSink>> sinks;
  for (const DeliveryConfig& d : config.deliveries) {
    switch (d.type) {
      case DeliveryType::kStdout:
        sinks.push_back(std::make_unique<StreamSink>(d.name, stdout_writer));
        break;
      case DeliveryType::kFile: {
        TB_ASSIGN_OR_RETURN(std::unique_ptr<FileSink> sink, FileSink::Open(d.name, d.path));
        sinks.push_back(std::move(sink));
        break;
      }
      case DeliveryType::kWebhook: {
        TB_ASSIGN_OR_RETURN(std::unique_ptr<WebhookSink> sink,
                            WebhookSink::Create(d.name, d.webhook, clock));
        sinks.push_back(std::move(sink));
        break;
      }
    }
  }
  PipelineOptions options;
  options.state_path = config.state_dir + "/state.json";
  options.candidates_path = config.state_dir + "/candidates.ndjson";
  options.dead_letter_path = config.state_dir + "/dead-letter.ndjson";
  options.default_sinks = config.default_deliver;
  options.max_attempts = config.max_attempts;
  options.engine.lookback_us = config.lookback_us;
  TB_ASSIGN_OR_RETURN(m->pipeline_, AlertPipeline::Open(options, std::move(rules), *m->source_,
                                                        clock, std::move(sinks)));
  return m;
}

int64_t Monitor::NextDetection(int64_t after) const {
  if (config_.cron) return config_.cron->NextAfter(after);
  return after + config_.detect_interval_us;
}

Result<PassReport> Monitor::RunPass(bool force_detect) {
  PassReport report;
  if (!config_.watch.empty()) {
    ingest::IngestOptions options;
    options.threads = config_.ingest_threads;
    options.batch_bytes = size_t{64} << 20;
    std::vector<std::string> present;
    for (const std::string& p : config_.watch) {
      if (io::Exists(p)) present.push_back(p);
    }
    if (!present.empty()) {
      TB_ASSIGN_OR_RETURN(report.ingest, ingest::Ingest(*store_, present, options, nullptr));
      report.ingested = true;
    }
  }
  const int64_t now = clock_.NowMicros();
  if (next_detection_us_ == 0) next_detection_us_ = now;  // detect on the first pass
  if (force_detect || now >= next_detection_us_) {
    if (token_ != nullptr) {
      Result<std::string> token = token_->Current();
      if (!token.ok()) {
        // Deny by default: no valid service token, no detection run.
        report.cycle.rule_errors.push_back(token.status().WithContext("service token"));
        TB_ASSIGN_OR_RETURN(CycleReport delivered, pipeline_->DeliverDue());
        report.cycle.deliveries = delivered.deliveries;
        return report;
      }
    }
    TB_ASSIGN_OR_RETURN(report.cycle, pipeline_->RunCycle());
    report.detected = true;
    next_detection_us_ = NextDetection(now);
    if (next_detection_us_ < 0) next_detection_us_ = INT64_MAX;
  } else {
    TB_ASSIGN_OR_RETURN(report.cycle, pipeline_->DeliverDue());
  }
  return report;
}

Status Monitor::Run(const std::atomic<bool>& stop,
                    const std::function<void(const PassReport&)>& on_pass) {
  while (!stop.load()) {
    const int64_t started = clock_.MonotonicMicros();
    TB_ASSIGN_OR_RETURN(PassReport report, RunPass(false));
    if (on_pass) on_pass(report);
    const int64_t deadline = started + config_.poll_interval_us;
    while (!stop.load() && clock_.MonotonicMicros() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(
          std::clamp<int64_t>((deadline - clock_.MonotonicMicros()) / 1000, 1, 50)));
    }
  }
  return Status::OK();
}

}  // namespace trailbook::monitor
