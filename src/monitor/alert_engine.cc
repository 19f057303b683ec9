#include "monitor/alert_engine.h"

#include <algorithm>

#include "base/timestamp.h"
#include "crypto/digest.h"

namespace trailbook::monitor {
namespace {

constexpr char kKeySeparator = '\x1f';

std::string JoinColumns(const DetectionRow& row, const std::vector<std::string>& columns) {
  std::string key;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) key += kKeySeparator;
    const Cell* cell = row.Find(columns[i]);
    if (cell != nullptr) key += cell->ToString();
  }
  return key;
}

// Returns a display form of a dedup value: the column values joined by ", ".
std::string DisplayKey(std::string_view value) {
  std::string out(value);
  std::replace(out.begin(), out.end(), kKeySeparator, ',');
  return out;
}

// Returns a stable id for the row: its row-id column, else a hash of its cells.
std::string RowId(const AlertRule& rule, const DetectionRow& row) {
  const Cell* id = row.Find(rule.row_id_column);
  if (id != nullptr && id->type != CellType::kNull) return id->ToString();
  crypto::Sha256Hasher hasher;
  for (const auto& [name, cell] : row.fields) {
    hasher.Update(name);
    hasher.Update(std::string_view("\0", 1));
    hasher.Update(cell.ToString());
    hasher.Update(std::string_view("\0", 1));
  }
  return "sha256:" + crypto::ToHex(hasher.Finish());
}

QueryParams RowParams(const DetectionRow& row) {
  QueryParams params;
  for (const auto& [name, cell] : row.fields) params.emplace_back(name, cell);
  return params;
}

std::string CandidateId(const AlertRule& rule, const std::string& dedup_value,
                        const std::string& first_row_id, int64_t first_time) {
  std::string material = rule.runbook_id;
  material += '\0';
  material += dedup_value;
  material += '\0';
  material += first_row_id;
  material += '\0';
  material += std::to_string(first_time);
  return crypto::ToHex(crypto::Sha256(material)).substr(0, 32);
}

}  // namespace

std::string_view CandidateOutcomeName(CandidateOutcome outcome) {
  switch (outcome) {
    case CandidateOutcome::kAlerted: return "alerted";
    case CandidateOutcome::kPending: return "pending";
    case CandidateOutcome::kSuppressed: return "suppressed";
    case CandidateOutcome::kUnconfirmed: return "unconfirmed";
  }
  return "unknown";
}

std::string ExpandLink(std::string_view link_template, const Alert& alert) {
  std::string out;
  size_t i = 0;
  while (i < link_template.size()) {
    if (link_template[i] == '{') {
      size_t close = link_template.find('}', i);
      if (close != std::string_view::npos) {
        std::string_view name = link_template.substr(i + 1, close - i - 1);
        if (name == "alert_id") {
          out += alert.id;
          i = close + 1;
          continue;
        }
        if (name == "runbook_id") {
          out += alert.runbook_id;
          i = close + 1;
          continue;
        }
        if (name == "dedup_key") {
          out += alert.dedup_key;
          i = close + 1;
          continue;
        }
      }
    }
    out += link_template[i++];
  }
  return out;
}

AlertEngine::AlertEngine(std::vector<AlertRule> rules, QuerySource& source, const Clock& clock,
                         EngineOptions options)
    : rules_(std::move(rules)), source_(source), clock_(clock), options_(options) {}

// Invariant: every row in `consumed` was unconsumed before the run; rows are not pruned
// until every step that can fail has passed.
struct AlertEngine::RowChanges {
  std::vector<std::string> inserted;  // Row ids added.
  std::vector<CachedRow*> consumed;   // Rows marked consumed (pointers into the map).
};

TickOutput AlertEngine::RunOnce() {
  TickOutput out;
  for (const AlertRule& rule : rules_) {
    Status s = RunRule(rule.runbook_id, &out);
    if (!s.ok()) out.rule_errors.push_back(s.WithContext("rule " + rule.runbook_id));
  }
  return out;
}

Status AlertEngine::RunRule(const std::string& runbook_id, TickOutput* out) {
  const AlertRule* rule = nullptr;
  for (const AlertRule& r : rules_) {
    if (r.runbook_id == runbook_id) rule = &r;
  }
  if (rule == nullptr) return NotFound("no alert rule for runbook " + runbook_id);
  // A failed run leaves the state (and the output) untouched. The remembered rows, the bulk
  // of the state, are not copied (that would make every run O(rows remembered)): the run logs
  // what it changed in them, and that is undone. The rest is small and copied.
  RuleState& live = state_.rules[runbook_id];
  RuleState saved;
  saved.watermark_us = live.watermark_us;
  saved.ingest_position = live.ingest_position;
  saved.pending = live.pending;
  saved.open = live.open;
  saved.suppress_until = live.suppress_until;
  RowChanges changes;
  TickOutput local;
  if (Status s = RunRuleAt(*rule, clock_.NowMicros(), &live, &local, &changes); !s.ok()) {
    for (CachedRow* row : changes.consumed) row->consumed = false;
    for (const std::string& id : changes.inserted) live.rows.erase(id);
    saved.rows = std::move(live.rows);
    live = std::move(saved);
    return s;
  }
  for (Alert& a : local.alerts) out->alerts.push_back(std::move(a));
  for (CandidateRecord& c : local.candidates) out->candidates.push_back(std::move(c));
  out->rows_new += local.rows_new;
  out->rows_seen += local.rows_seen;
  return Status::OK();
}

Status AlertEngine::RunRuleAt(const AlertRule& rule, int64_t now, RuleState* rs,
                              TickOutput* out, RowChanges* changes) {
  const int64_t lookback = rule.lookback_us > 0 ? rule.lookback_us : options_.lookback_us;
  const int64_t reach = lookback + rule.threshold.window_us;
  const int64_t start = (rs->watermark_us == 0 ? now : rs->watermark_us) - reach;

  // 1. New rows: incrementally, what was ingested since the last run; else the whole reach.
  TB_ASSIGN_OR_RETURN(std::optional<uint64_t> position, source_.IngestPosition());
  std::vector<DetectionRow> rows;
  if (position) {
    if (*position < rs->ingest_position) {
      return InvalidArgument("the store's ingestion position " + std::to_string(*position) +
                             " is behind the monitor state's " +
                             std::to_string(rs->ingest_position) +
                             ": the store was replaced; start with a new state directory");
    }
    if (*position > rs->ingest_position) {
      QueryParams params = {{"start", Cell::Timestamp(start)},
                            {"end", Cell::Timestamp(now + lookback)}};
      TB_ASSIGN_OR_RETURN(rows,
                          source_.RunIngested(rule, params, rs->ingest_position, *position));
    }
  } else {
    QueryParams params = {{"start", Cell::Timestamp(start)}, {"end", Cell::Timestamp(now)}};
    TB_ASSIGN_OR_RETURN(rows, source_.Run(rule, rule.query, params));
  }
  out->rows_seen += rows.size();
  std::vector<std::string> touched_groups;
  for (DetectionRow& row : rows) {
    const Cell* t = row.Find(rule.time_column);
    if (t == nullptr) {
      return InvalidArgument("detection query output has no time column '" + rule.time_column +
                             "'");
    }
    int64_t time_us = 0;
    if (t->type == CellType::kTimestamp) {
      time_us = t->int_value;
    } else if (std::optional<int64_t> parsed =
                   t->type == CellType::kString ? ParseTimestamp(t->text) : std::nullopt) {
      time_us = *parsed;
    } else {
      return InvalidArgument("detection query column '" + rule.time_column +
                             "' is not a timestamp: '" + t->ToString() + "'");
    }
    std::string id = RowId(rule, row);
    if (rs->rows.count(id) > 0) continue;
    if (time_us < start) continue;  // Outside the reach; an earlier run already judged it.
    if (rs->rows.size() >= options_.max_cached_rows_per_rule) {
      return ResourceExhausted("more than " + std::to_string(options_.max_cached_rows_per_rule) +
                               " detection rows within window + lookback; narrow the query");
    }
    CachedRow cached;
    cached.time_us = time_us;
    cached.group_key = JoinColumns(row, rule.threshold.group_by);
    cached.row = std::move(row);
    touched_groups.push_back(cached.group_key);
    changes->inserted.push_back(id);
    rs->rows.emplace(std::move(id), std::move(cached));
    ++out->rows_new;
  }
  std::sort(touched_groups.begin(), touched_groups.end());
  touched_groups.erase(std::unique(touched_groups.begin(), touched_groups.end()),
                       touched_groups.end());

  // 2. Threshold, per touched group, over unconsumed rows in time order.
  const std::vector<std::string>& dedup_columns =
      rule.dedup_key.empty() ? rule.threshold.group_by : rule.dedup_key;
  std::vector<PendingCandidate> fresh;
  std::map<std::string_view, std::vector<std::pair<std::string_view, CachedRow*>>> by_group;
  for (const std::string& group : touched_groups) by_group[group];
  for (auto& [id, cached] : rs->rows) {
    if (cached.consumed) continue;
    auto group = by_group.find(cached.group_key);
    if (group != by_group.end()) group->second.emplace_back(id, &cached);
  }
  for (auto& [group_view, members] : by_group) {
    const std::string group(group_view);
    std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
      return a.second->time_us != b.second->time_us ? a.second->time_us < b.second->time_us
                                                     : a.first < b.first;
    });
    size_t first = 0;
    for (size_t j = 0; j < members.size(); ++j) {
      while (rule.threshold.window_us > 0 &&
             members[j].second->time_us - members[first].second->time_us >
                 rule.threshold.window_us) {
        ++first;
      }
      if (j + 1 - first < rule.threshold.min_rows) continue;
      PendingCandidate c;
      c.group_key = group;
      c.dedup_value = JoinColumns(members[j].second->row, dedup_columns);
      c.id = CandidateId(rule, c.dedup_value, std::string(members[first].first),
                         members[first].second->time_us);
      c.created_us = now;
      c.due_us = now + rule.confirm.delay_us;
      c.window_start_us = members[first].second->time_us;
      c.window_end_us = members[j].second->time_us;
      c.row_count = j + 1 - first;
      for (size_t k = first; k <= j; ++k) {
        members[k].second->consumed = true;
        changes->consumed.push_back(members[k].second);
        if (c.rows.size() < options_.max_rows_per_alert) c.rows.push_back(members[k].second->row);
      }
      fresh.push_back(std::move(c));
      first = j + 1;
    }
  }

  // 3. Dedup and suppression; survivors wait for confirmation.
  auto record = [&](const PendingCandidate& c, CandidateOutcome outcome, std::string reason) {
    out->candidates.push_back(CandidateRecord{c.id, rule.runbook_id, DisplayKey(c.dedup_value),
                                              now, outcome, std::move(reason), c.row_count});
  };
  for (PendingCandidate& c : fresh) {
    auto open = rs->open.find(c.dedup_value);
    if (open != rs->open.end()) {
      ++open->second.suppressed;
      open->second.last_candidate_us = now;
      open->second.last_row = c.rows.back();
      record(c, CandidateOutcome::kSuppressed, "open alert " + open->second.alert_id);
      continue;
    }
    auto closed = rs->suppress_until.find(c.dedup_value);
    if (closed != rs->suppress_until.end() && closed->second > now) {
      record(c, CandidateOutcome::kSuppressed,
             "suppressed until " + FormatTimestamp(closed->second));
      continue;
    }
    bool already_pending = std::any_of(rs->pending.begin(), rs->pending.end(), [&](const auto& p) {
      return p.dedup_value == c.dedup_value;
    });
    if (already_pending) {
      record(c, CandidateOutcome::kSuppressed, "a candidate with this key awaits confirmation");
      continue;
    }
    if (c.due_us > now) record(c, CandidateOutcome::kPending, "confirmation due " +
                                                                   FormatTimestamp(c.due_us));
    rs->pending.push_back(std::move(c));
  }

  // 4. Confirm the candidates that are due.
  std::vector<PendingCandidate> still_pending;
  for (PendingCandidate& c : rs->pending) {
    if (c.due_us > now) {
      still_pending.push_back(std::move(c));
      continue;
    }
    std::vector<DetectionRow> confirm_rows;
    TB_ASSIGN_OR_RETURN(bool confirmed, Confirm(rule, c, now, &confirm_rows));
    if (!confirmed) {
      record(c, CandidateOutcome::kUnconfirmed, "confirmation did not hold");
      continue;
    }
    QueryParams window = {{"start", Cell::Timestamp(c.window_start_us)},
                          {"end", Cell::Timestamp(c.window_end_us)}};
    TB_ASSIGN_OR_RETURN(std::string snapshot_id, source_.SnapshotEvidence(rule, window));
    record(c, CandidateOutcome::kAlerted, "");
    Alert alert = MakeAlert(rule, c, now, std::move(confirm_rows));
    alert.snapshot_id = std::move(snapshot_id);
    const bool stays_open = !rule.resolve.query.empty() || rule.resolve.quiet_for_us > 0 ||
                            rule.suppress_for_us > 0;
    if (stays_open) {
      OpenAlert open;
      open.alert_id = alert.id;
      open.created_us = now;
      open.last_candidate_us = now;
      open.suppress_until_us = now + rule.suppress_for_us;
      open.last_row = c.rows.back();
      rs->open.emplace(c.dedup_value, std::move(open));
    }
    out->alerts.push_back(std::move(alert));
  }
  rs->pending = std::move(still_pending);

  // 5. Resolve.
  for (auto it = rs->open.begin(); it != rs->open.end();) {
    TB_ASSIGN_OR_RETURN(bool resolve, ShouldResolve(rule, it->second, now));
    if (!resolve) {
      ++it;
      continue;
    }
    if (!rule.resolve.query.empty() || rule.resolve.quiet_for_us > 0) {
      Alert resolved;
      resolved.id = it->second.alert_id;
      resolved.status = AlertStatus::kResolved;
      resolved.runbook_id = rule.runbook_id;
      resolved.runbook_version = rule.runbook_version;
      resolved.severity = rule.severity;
      resolved.dedup_key = DisplayKey(it->first);
      resolved.created_us = now;
      resolved.window_start_us = it->second.created_us;
      resolved.window_end_us = now;
      resolved.suppressed = it->second.suppressed;
      resolved.link = ExpandLink(rule.link_template, resolved);
      out->alerts.push_back(std::move(resolved));
    }
    if (it->second.suppress_until_us > now) {
      rs->suppress_until[it->first] = it->second.suppress_until_us;
    }
    it = rs->open.erase(it);
  }
  for (auto it = rs->suppress_until.begin(); it != rs->suppress_until.end();) {
    it = it->second <= now ? rs->suppress_until.erase(it) : std::next(it);
  }

  // 6. Forget rows no later run can return (older than the next run's reach) and no row
  // the next run accepts can share a window with (older than that by one window).
  const int64_t horizon = now - reach - rule.threshold.window_us;
  for (auto it = rs->rows.begin(); it != rs->rows.end();) {
    it = it->second.time_us < horizon ? rs->rows.erase(it) : std::next(it);
  }
  rs->watermark_us = now;
  if (position) rs->ingest_position = *position;
  return Status::OK();
}

Result<bool> AlertEngine::Confirm(const AlertRule& rule, const PendingCandidate& c, int64_t now,
                                  std::vector<DetectionRow>* confirm_rows) {
  QueryParams params = RowParams(c.rows.back());
  params.emplace_back("window_start", Cell::Timestamp(c.window_start_us));
  params.emplace_back("window_end", Cell::Timestamp(c.window_end_us));
  params.emplace_back("candidate_time", Cell::Timestamp(c.created_us));
  switch (rule.confirm.kind) {
    case ConfirmKind::kNone:
      return true;
    case ConfirmKind::kQuery: {
      TB_ASSIGN_OR_RETURN(*confirm_rows, source_.Run(rule, rule.confirm.query, params));
      return confirm_rows->empty() != rule.confirm.expect_rows;
    }
    case ConfirmKind::kStillTrue: {
      params.emplace_back("start", Cell::Timestamp(c.window_start_us));
      params.emplace_back("end", Cell::Timestamp(now));
      if (!rule.confirm.query.empty()) {
        TB_ASSIGN_OR_RETURN(*confirm_rows, source_.Run(rule, rule.confirm.query, params));
        return confirm_rows->empty() != rule.confirm.expect_rows;
      }
      TB_ASSIGN_OR_RETURN(std::vector<DetectionRow> rows, source_.Run(rule, rule.query, params));
      uint64_t in_group = 0;
      for (DetectionRow& row : rows) {
        if (JoinColumns(row, rule.threshold.group_by) != c.group_key) continue;
        ++in_group;
        if (confirm_rows->size() < options_.max_rows_per_alert) {
          confirm_rows->push_back(std::move(row));
        }
      }
      return in_group >= rule.threshold.min_rows;
    }
    case ConfirmKind::kNotInBaseline: {
      params.emplace_back("baseline_start",
                          Cell::Timestamp(c.window_start_us - rule.confirm.baseline_us));
      params.emplace_back("baseline_end", Cell::Timestamp(c.window_start_us));
      TB_ASSIGN_OR_RETURN(std::vector<DetectionRow> rows,
                          source_.Run(rule, rule.confirm.query, params));
      return rows.empty();
    }
  }
  return Internal("unknown confirm kind");
}

Result<bool> AlertEngine::ShouldResolve(const AlertRule& rule, const OpenAlert& open,
                                        int64_t now) {
  if (rule.resolve.quiet_for_us > 0 && now - open.last_candidate_us >= rule.resolve.quiet_for_us) {
    return true;
  }
  if (!rule.resolve.query.empty()) {
    QueryParams params = RowParams(open.last_row);
    params.emplace_back("alert_time", Cell::Timestamp(open.created_us));
    params.emplace_back("end", Cell::Timestamp(now));
    TB_ASSIGN_OR_RETURN(std::vector<DetectionRow> rows,
                        source_.Run(rule, rule.resolve.query, params));
    return !rows.empty();
  }
  if (rule.resolve.quiet_for_us == 0) return open.suppress_until_us <= now;
  return false;
}

Alert AlertEngine::MakeAlert(const AlertRule& rule, const PendingCandidate& c, int64_t now,
                             std::vector<DetectionRow> confirm_rows) const {
  Alert alert;
  alert.id = c.id;
  alert.runbook_id = rule.runbook_id;
  alert.runbook_version = rule.runbook_version;
  alert.severity = rule.severity;
  alert.dedup_key = DisplayKey(c.dedup_value);
  alert.created_us = now;
  alert.window_start_us = c.window_start_us;
  alert.window_end_us = c.window_end_us;
  alert.row_count = c.row_count;
  alert.rows = c.rows;
  if (confirm_rows.size() > options_.max_rows_per_alert) {
    confirm_rows.resize(options_.max_rows_per_alert);
  }
  alert.confirm_rows = std::move(confirm_rows);
  alert.link = ExpandLink(rule.link_template, alert);
  return alert;
}

}  // namespace trailbook::monitor
