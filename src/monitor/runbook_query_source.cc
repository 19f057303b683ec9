#include "monitor/runbook_query_source.h"

#include <algorithm>
#include <set>

#include "io/file.h"
#include "runbook/param.h"
#include "snapshot/snapshot_writer.h"
#include "storage/audit_journal.h"
#include "sql/types/data_chunk.h"
#include "sql/types/value.h"
#include "storage/store.h"

namespace trailbook::monitor {
namespace {

// The timestamps the alert engine itself binds (see alert_engine.cc).
constexpr std::string_view kEngineTimes[] = {"start",          "end",          "window_start",
                                             "window_end",     "candidate_time", "baseline_start",
                                             "baseline_end",   "alert_time"};

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

// Who runs the monitor's queries, as recorded in their audit events.
runbook::RequestOrigin Origin() {
  runbook::RequestOrigin origin;
  origin.source_ip = "local";
  origin.user_agent = "trailbook-monitor";
  return origin;
}

bool IsRunbookFile(const std::string& path) {
  return path.ends_with(".yaml") || path.ends_with(".yml");
}

// Makes the runbook "<rule>.<role>" for an inline confirm or resolve query.
Result<runbook::Runbook> DerivedRunbook(const AlertRule& rule, const runbook::Runbook& detection,
                                        std::string_view role, const std::string& sql) {
  runbook::Runbook rb;
  rb.id = rule.runbook_id + "." + std::string(role);
  rb.version = detection.version;
  rb.title = detection.title + " (alert " + std::string(role) + ")";
  rb.description = "The alert." + std::string(role) + " query of detection runbook " +
                   detection.id + "; run by trailbook monitor.";
  rb.tags = detection.tags;
  rb.query = sql;
  rb.source_path = detection.source_path;
  std::set<std::string> seen;
  for (const std::string& name : runbook::QueryParameterNames(sql)) {
    if (!seen.insert(name).second) continue;
    runbook::ParamSpec spec;
    spec.name = name;
    std::string type = "string";
    bool engine_time = std::find(std::begin(kEngineTimes), std::end(kEngineTimes), name) !=
                       std::end(kEngineTimes);
    if (engine_time || name == rule.time_column) type = "timestamp";
    for (const auto& [declared, declared_type] : rule.param_types) {
      if (declared != name) continue;
      if (engine_time) {
        return InvalidArgument("alert.params." + name +
                               ": is bound by the monitor (a timestamp) and cannot be declared");
      }
      type = declared_type;
    }
    Result<runbook::ParamType> parsed = runbook::ParseParamType(type);
    if (!parsed.ok()) {
      return parsed.status().WithContext("alert.params." + name);
    }
    spec.type = *parsed;
    if (spec.type.kind == runbook::ParamKind::kString && !spec.type.list) {
      spec.max = static_cast<int64_t>(runbook::kMaxRawValueBytes);
    }
    rb.params.push_back(std::move(spec));
  }
  Status s = rb.Finalize();
  if (!s.ok()) return s.WithContext("alert." + std::string(role) + ".query");
  return rb;
}

Status CheckWindowParams(const runbook::Runbook& rb) {
  for (const char* name : {"start", "end"}) {
    const runbook::ParamSpec* p = rb.FindParam(name);
    if (p == nullptr || p->type.kind != runbook::ParamKind::kTimestamp || p->type.list) {
      return InvalidArgument(std::string("params.") + name +
                             ": a detection runbook must declare timestamp parameters start and "
                             "end (the monitor binds its detection window to them)");
    }
  }
  return Status::OK();
}

}  // namespace

std::string WithoutAlertSection(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_alert = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    size_t end = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = text.substr(pos, end - pos);
    const bool top_level = !line.empty() && line[0] != ' ' && line[0] != '\t' &&
                           line[0] != '#' && line[0] != '\n' && line[0] != '\r';
    if (top_level) {
      in_alert = line.starts_with("alert:") || line.starts_with("\"alert\":") ||
                 line.starts_with("'alert':");
    }
    if (in_alert) {
      if (eol != std::string_view::npos) out += '\n';
    } else {
      out.append(line);
    }
    pos = end;
  }
  return out;
}

Result<DetectionSet> LoadDetectionRunbooks(const std::vector<std::string>& paths,
                                           const std::string& link_template) {
  DetectionSet set;
  std::set<std::string> ids;
  for (const std::string& root : paths) {
    TB_ASSIGN_OR_RETURN(std::vector<std::string> files, io::ListFilesRecursive(root));
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      if (!IsRunbookFile(file)) continue;
      TB_ASSIGN_OR_RETURN(std::string text,
                          io::ReadFile(file, runbook::kMaxRunbookFileBytes));
      Result<AlertRule> rule = ParseAlertRule(text, file);
      if (!rule.ok()) {
        if (rule.status().code() == StatusCode::kNotFound) continue;  // not a detection
        return rule.status();
      }
      TB_ASSIGN_OR_RETURN(runbook::Runbook rb,
                          runbook::ParseRunbookYaml(WithoutAlertSection(text), file));
      if (Status s = CheckWindowParams(rb); !s.ok()) return s.WithContext(file);
      if (!ids.insert(rule->runbook_id).second) {
        return InvalidArgument(file + ": runbook id " + rule->runbook_id + " is defined twice");
      }
      rule->runbook_version = rb.version;
      if (rule->link_template.empty()) rule->link_template = link_template;
      for (const auto& [role, sql] : {std::pair<std::string_view, const std::string*>{
                                          "confirm", &rule->confirm.query},
                                      {"resolve", &rule->resolve.query}}) {
        if (sql->empty()) continue;
        Result<runbook::Runbook> derived = DerivedRunbook(*rule, rb, role, *sql);
        if (!derived.ok()) return derived.status().WithContext(file);
        if (Status s = set.library.Add(std::move(derived).value()); !s.ok()) {
          return s.WithContext(file);
        }
      }
      if (Status s = set.library.Add(std::move(rb)); !s.ok()) return s.WithContext(file);
      set.rules.push_back(std::move(rule).value());
    }
  }
  if (set.rules.empty()) {
    return NotFound("no detection runbook (a runbook with an alert: section) found");
  }
  return set;
}

RunbookQuerySource::RunbookQuerySource(const runbook::Executor& executor,
                                       const std::vector<AlertRule>& rules,
                                       ServiceTokenFile& token, const storage::Store& store,
                                       EvidenceOptions evidence, const Clock& clock,
                                       size_t max_rows)
    : executor_(executor),
      token_(token),
      store_(store),
      evidence_options_(std::move(evidence)),
      clock_(clock),
      max_rows_(max_rows) {
  for (const AlertRule& rule : rules) {
    auto& by_sql = runbook_of_[rule.runbook_id];
    if (!rule.confirm.query.empty()) by_sql[rule.confirm.query] = rule.runbook_id + ".confirm";
    if (!rule.resolve.query.empty()) by_sql[rule.resolve.query] = rule.runbook_id + ".resolve";
    by_sql[rule.query] = rule.runbook_id;  // wins if a confirm query repeats the detection
  }
}

Result<std::vector<DetectionRow>> RunbookQuerySource::Run(const AlertRule& rule,
                                                          std::string_view sql,
                                                          const QueryParams& params) {
  auto rule_it = runbook_of_.find(rule.runbook_id);
  if (rule_it == runbook_of_.end()) return NotFound("no runbook for rule " + rule.runbook_id);
  auto sql_it = rule_it->second.find(sql);
  if (sql_it == rule_it->second.end()) {
    return NotFound("rule " + rule.runbook_id + " asked for a query that is not a runbook");
  }
  runbook::RunOutcome outcome;
  TB_RETURN_IF_ERROR(Execute(rule, sql_it->second, params, std::nullopt, &outcome));
  return Rows(sql_it->second, outcome);
}

Result<std::optional<uint64_t>> RunbookQuerySource::IngestPosition() {
  uint64_t newest = 0;
  for (const storage::SegmentInfo& info : store_.Snapshot()->infos()) {
    if ((info.id & storage::kJournalSegmentIdBit) == 0) newest = std::max(newest, info.id);
  }
  return std::optional<uint64_t>(newest);
}

Result<std::vector<DetectionRow>> RunbookQuerySource::RunIngested(const AlertRule& rule,
                                                                  const QueryParams& params,
                                                                  uint64_t after,
                                                                  uint64_t through) {
  runbook::RunOutcome outcome;
  TB_RETURN_IF_ERROR(
      Execute(rule, rule.runbook_id, params, std::make_pair(after, through), &outcome));
  detection_segments_read_ += outcome.stats.segments_total - outcome.stats.segments_pruned;
  detection_rows_examined_ += outcome.stats.rows_examined;
  return Rows(rule.runbook_id, outcome);
}

Status RunbookQuerySource::Execute(const AlertRule& rule, const std::string& runbook_id,
                                   const QueryParams& params,
                                   std::optional<std::pair<uint64_t, uint64_t>> segments,
                                   runbook::RunOutcome* outcome) {
  const runbook::Runbook* rb = executor_.library().Find(runbook_id);
  if (rb == nullptr) return NotFound("runbook " + runbook_id + " is not loaded");

  Result<std::string> token = token_.Current();
  if (!token.ok()) return token.status().WithContext("service token " + token_.path());

  runbook::RunRequest request;
  request.token = std::move(token).value();
  request.runbook_id = runbook_id;
  request.reason = "trailbook monitor: detection " + rule.runbook_id;
  request.origin = Origin();
  if (segments) {
    request.after_segment_id = segments->first;
    request.through_segment_id = segments->second;
  }
  for (const runbook::ParamSpec& spec : rb->params) {
    const Cell* value = nullptr;
    for (const auto& [name, cell] : params) {
      if (name == spec.name) value = &cell;  // the last one: engine values follow row values
    }
    if (value != nullptr && value->type != CellType::kNull) {
      request.params[spec.name] = value->ToString();
    }
  }
  *outcome = executor_.Run(request);
  ++runs_;
  if (!outcome->status.ok()) {
    if (outcome->status.code() == StatusCode::kUnauthenticated ||
        outcome->status.code() == StatusCode::kPermissionDenied) {
      ++denials_;
    }
    return outcome->status.WithContext("runbook " + runbook_id + " (audit request " +
                                       outcome->request_id + ")");
  }
  return Status::OK();
}

Result<std::vector<DetectionRow>> RunbookQuerySource::Rows(
    const std::string& runbook_id, const runbook::RunOutcome& outcome) const {
  std::vector<DetectionRow> rows;
  for (const sql::DataChunk& chunk : outcome.chunks) {
    for (size_t r = 0; r < chunk.size; ++r) {
      if (rows.size() >= max_rows_) {
        return ResourceExhausted("runbook " + runbook_id + ": more than " +
                                 std::to_string(max_rows_) + " rows");
      }
      DetectionRow row;
      row.fields.reserve(outcome.column_names.size());
      for (size_t c = 0; c < outcome.column_names.size(); ++c) {
        row.fields.emplace_back(outcome.column_names[c], ToCell(chunk.columns[c].GetValue(r)));
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

Result<std::string> RunbookQuerySource::SnapshotEvidence(const AlertRule& rule,
                                                         const QueryParams& params) {
  if (evidence_options_.key == nullptr) return std::string();
  if (evidence_options_.access == nullptr) {
    return Internal("evidence snapshots need a SnapshotAccess");
  }
  // The store state right before the run: the snapshot names the segments it read.
  const snapshot::StoreState store_state = snapshot::StoreState::From(*store_.Snapshot());
  runbook::RunOutcome outcome;
  TB_RETURN_IF_ERROR(Execute(rule, rule.runbook_id, params, std::nullopt, &outcome));
  snapshot::SnapshotWriterOptions options;
  options.clock = &clock_;
  TB_ASSIGN_OR_RETURN(snapshot::SnapshotInfo info,
                      evidence_options_.access->Create(outcome, Origin(), store_state,
                                                       *evidence_options_.key, options));
  return info.id;
}

}  // namespace trailbook::monitor
