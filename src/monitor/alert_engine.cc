#include "monitor/alert_engine.h"

#include <algorithm>
#include <limits>

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

uint64_t IdHash(std::string_view id) { return std::hash<std::string_view>()(id); }

// Splits a group key into its group_by values; empty when a value holds the separator (then
// no value is derived from the key).
std::vector<std::string_view> SplitKey(std::string_view key) {
  std::vector<std::string_view> parts;
  size_t begin = 0;
  while (true) {
    size_t end = key.find(kKeySeparator, begin);
    parts.push_back(key.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
  return parts;
}

std::vector<std::string_view> KeyParts(std::string_view key, size_t group_columns) {
  if (group_columns == 0) return {};
  std::vector<std::string_view> parts = SplitKey(key);
  if (parts.size() != group_columns) parts.clear();
  return parts;
}

// Returns the row of `group` with this time and id, or nullptr. REQUIRES: group sorted.
const RememberedRow* FindSorted(const RowGroup& group, int64_t time_us, const std::string& id) {
  RememberedRow probe;
  probe.time_us = time_us;
  probe.id = id;
  auto it = std::lower_bound(group.rows.begin(), group.rows.end(), probe, RememberedRowLess);
  return it != group.rows.end() && it->time_us == time_us && it->id == id ? &*it : nullptr;
}

// Builds the compact form of `row` (group `group_key`), adding its schema to `rs` if new.
RememberedRow Remember(const AlertRule& rule, RuleState* rs, const std::string& group_key,
                       std::string id, int64_t time_us, DetectionRow row) {
  RowSchema schema;
  schema.columns.reserve(row.fields.size());
  for (const auto& [name, cell] : row.fields) {
    uint8_t role = static_cast<uint8_t>(ColumnRole::kStored);
    if (name == rule.row_id_column) {
      role = static_cast<uint8_t>(ColumnRole::kRowId);
    } else if (name == rule.time_column) {
      role = static_cast<uint8_t>(ColumnRole::kTime);
    } else {
      const auto& group_by = rule.threshold.group_by;
      for (size_t k = 0; k < group_by.size() && k < 200; ++k) {
        if (group_by[k] == name) {
          role = static_cast<uint8_t>(static_cast<size_t>(ColumnRole::kGroupPart) + k);
          break;
        }
      }
    }
    schema.columns.emplace_back(name, role);
  }
  RememberedRow out;
  out.schema = rs->SchemaIndex(std::move(schema));
  const RowSchema& columns = rs->schemas[out.schema];
  const std::vector<std::string_view> parts = KeyParts(group_key, rule.threshold.group_by.size());
  for (size_t i = 0; i < row.fields.size(); ++i) {
    Cell& cell = row.fields[i].second;
    const uint8_t role = columns.columns[i].second;
    bool derived = false;
    if (i < 32) {
      if (role == static_cast<uint8_t>(ColumnRole::kRowId)) {
        derived = cell.type == CellType::kString && cell.text == id;
      } else if (role == static_cast<uint8_t>(ColumnRole::kTime)) {
        derived = cell.type == CellType::kTimestamp && cell.int_value == time_us;
      } else if (role >= static_cast<uint8_t>(ColumnRole::kGroupPart)) {
        const size_t k = role - static_cast<size_t>(ColumnRole::kGroupPart);
        derived = cell.type == CellType::kString && k < parts.size() && cell.text == parts[k];
      }
    }
    if (derived) {
      out.derived |= uint32_t{1} << i;
    } else {
      out.cells.push_back(std::move(cell));
    }
  }
  out.time_us = time_us;
  out.id = std::move(id);
  return out;
}

}  // namespace

DetectionRow ParamRow(const AlertRule& rule, const PendingCandidate& c) {
  if (!c.rows.empty()) return c.rows.back();
  DetectionRow row;
  const std::vector<std::string_view> parts = KeyParts(c.group_key, rule.threshold.group_by.size());
  for (size_t k = 0; k < rule.threshold.group_by.size(); ++k) {
    row.Set(rule.threshold.group_by[k],
            k < parts.size() ? Cell::String(std::string(parts[k])) : Cell::Null());
  }
  row.Set(rule.time_column, Cell::Timestamp(c.window_end_us));
  return row;
}

namespace {

QueryParams RowParams(const DetectionRow& row) {
  QueryParams params;
  for (const auto& [name, cell] : row.fields) params.emplace_back(name, cell);
  return params;
}

// The id of a candidate: its rule, dedup value, first and last row times and `ordinal`, the
// rows of its group at its first time consumed before it. Row ids are not used, so a row the
// row budget kept as a count (TimeTally) gives the same id as one kept whole.
std::string CandidateId(const AlertRule& rule, const std::string& dedup_value, int64_t first_time,
                        uint64_t ordinal, int64_t last_time) {
  std::string material = rule.runbook_id;
  material += '\0';
  material += dedup_value;
  material += '\0';
  material += std::to_string(first_time);
  material += '\0';
  material += std::to_string(ordinal);
  material += '\0';
  material += std::to_string(last_time);
  return crypto::ToHex(crypto::Sha256(material)).substr(0, 32);
}

// Returns the tally of `tallies` at `time_us`, or nullptr. REQUIRES: tallies sorted.
TimeTally* FindTally(std::vector<TimeTally>& tallies, int64_t time_us) {
  auto it = std::lower_bound(tallies.begin(), tallies.end(), time_us,
                             [](const TimeTally& t, int64_t v) { return t.time_us < v; });
  return it != tallies.end() && it->time_us == time_us ? &*it : nullptr;
}

// Adds `unconsumed` and `consumed` rows at `time_us` to `tallies`, keeping them sorted.
void AddTally(std::vector<TimeTally>& tallies, int64_t time_us, uint32_t unconsumed,
              uint32_t consumed) {
  auto it = std::lower_bound(tallies.begin(), tallies.end(), time_us,
                             [](const TimeTally& t, int64_t v) { return t.time_us < v; });
  if (it == tallies.end() || it->time_us != time_us) {
    it = tallies.insert(it, TimeTally{time_us, 0, 0});
  }
  it->unconsumed += unconsumed;
  it->consumed += consumed;
}

// Returns the rows of `rows` at `time_us` that are consumed. REQUIRES: rows sorted.
uint64_t ConsumedAt(const std::vector<RememberedRow>& rows, int64_t time_us) {
  auto it = std::lower_bound(rows.begin(), rows.end(), time_us,
                             [](const RememberedRow& r, int64_t v) { return r.time_us < v; });
  uint64_t n = 0;
  for (; it != rows.end() && it->time_us == time_us; ++it) n += it->consumed ? 1u : 0u;
  return n;
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

bool RememberedRowLess(const RememberedRow& a, const RememberedRow& b) {
  return a.time_us != b.time_us ? a.time_us < b.time_us : a.id < b.id;
}

uint16_t RuleState::SchemaIndex(RowSchema schema) {
  auto known = std::find(schemas.begin(), schemas.end(), schema);
  const auto index = static_cast<uint16_t>(known - schemas.begin());
  if (known == schemas.end()) schemas.push_back(std::move(schema));
  return index;
}

size_t RuleState::row_count() const {
  size_t n = 0;
  for (const auto& [key, group] : groups) n += group.rows.size();
  return n;
}

size_t RuleState::tallied_row_count() const {
  size_t n = 0;
  for (const auto& [key, group] : groups) {
    for (const TimeTally& t : group.tallies) n += size_t{t.unconsumed} + t.consumed;
  }
  return n;
}

DetectionRow RuleState::Expand(const std::string& group_key, const RememberedRow& row) const {
  const RowSchema& schema = schemas[row.schema];
  std::vector<std::string_view> parts;
  DetectionRow out;
  out.fields.reserve(schema.columns.size());
  size_t next = 0;
  for (size_t i = 0; i < schema.columns.size(); ++i) {
    const auto& [name, role] = schema.columns[i];
    if (i < 32 && ((row.derived >> i) & 1u) != 0) {
      if (role == static_cast<uint8_t>(ColumnRole::kRowId)) {
        out.fields.emplace_back(name, Cell::String(row.id));
      } else if (role == static_cast<uint8_t>(ColumnRole::kTime)) {
        out.fields.emplace_back(name, Cell::Timestamp(row.time_us));
      } else {
        const size_t k = role - static_cast<size_t>(ColumnRole::kGroupPart);
        if (parts.empty()) parts = SplitKey(group_key);
        out.fields.emplace_back(name, Cell::String(std::string(k < parts.size() ? parts[k] : "")));
      }
    } else {
      out.fields.emplace_back(name, next < row.cells.size() ? row.cells[next] : Cell::Null());
      ++next;
    }
  }
  return out;
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

// What a run changes in the remembered rows, so that a failed run leaves them as they were:
// new rows are staged here and merged into RuleState::groups only once every step that can
// fail has passed. Invariant: every row in `consumed` was unconsumed before the run.
struct AlertEngine::RowChanges {
  std::map<std::string, std::vector<RememberedRow>> staged;  // New rows by group key.
  std::unordered_set<std::string> staged_ids;
  std::vector<RememberedRow*> consumed;  // Rows marked consumed (live or staged).
  std::vector<std::pair<TimeTally*, uint32_t>> tallied;  // Tally rows marked consumed.
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
  saved.keys_evicted = live.keys_evicted;
  saved.rows_evicted = live.rows_evicted;
  saved.evidence_dropped = live.evidence_dropped;
  RowChanges changes;
  TickOutput local;
  if (Status s = RunRuleAt(*rule, clock_.NowMicros(), &live, &local, &changes); !s.ok()) {
    for (RememberedRow* row : changes.consumed) row->consumed = false;
    for (auto [tally, n] : changes.tallied) {
      tally->unconsumed += n;
      tally->consumed -= n;
    }
    saved.groups = std::move(live.groups);
    saved.schemas = std::move(live.schemas);
    saved.id_hashes = std::move(live.id_hashes);
    live = std::move(saved);
    return s;
  }
  for (Alert& a : local.alerts) out->alerts.push_back(std::move(a));
  for (CandidateRecord& c : local.candidates) out->candidates.push_back(std::move(c));
  out->rows_new += local.rows_new;
  out->rows_seen += local.rows_seen;
  out->keys_evicted += local.keys_evicted;
  out->rows_evicted += local.rows_evicted;
  out->evidence_dropped += local.evidence_dropped;
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
  size_t remembered = rs->row_count();
  if (rs->id_hashes.size() != remembered) {  // A state just loaded: rebuild the index.
    rs->id_hashes.clear();
    rs->id_hashes.reserve(remembered);
    for (const auto& [key, group] : rs->groups) {
      for (const RememberedRow& r : group.rows) rs->id_hashes.insert(IdHash(r.id));
    }
  }
  // Returns whether a row with this id is remembered (or staged by this run).
  auto known = [&](const std::string& group_key, const std::string& id, int64_t time_us) {
    if (changes->staged_ids.count(id) > 0) return true;
    if (rs->id_hashes.count(IdHash(id)) == 0) return false;
    auto group = rs->groups.find(group_key);
    if (group != rs->groups.end() && FindSorted(group->second, time_us, id) != nullptr) {
      return true;
    }
    // Not where the same event would be: a hash collision or the same id on another
    // event; look everywhere (rare).
    for (const auto& [key, g] : rs->groups) {
      for (const RememberedRow& r : g.rows) {
        if (r.id == id) return true;
      }
    }
    return false;
  };
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
    std::string group_key = JoinColumns(row, rule.threshold.group_by);
    if (known(group_key, id, time_us)) continue;
    if (time_us < start) continue;  // Outside the reach; an earlier run already judged it.
    if (!position && remembered >= options_.max_cached_rows_per_rule) {
      return ResourceExhausted("more than " + std::to_string(options_.max_cached_rows_per_rule) +
                               " detection rows within window + lookback; narrow the query");
    }
    changes->staged_ids.insert(id);
    changes->staged[group_key].push_back(
        Remember(rule, rs, group_key, std::move(id), time_us, std::move(row)));
    ++remembered;
    ++out->rows_new;
  }

  // 2. Threshold, per touched group, over its unconsumed rows in time order: remembered
  // rows one by one, tallied rows (TimeTally) as runs of equal time, first at their time.
  // Rows of one time are interchangeable for the count, so a run is taken in part when a
  // candidate ends inside it; the result equals that of taking the rows one by one.
  const std::vector<std::string>& dedup_columns =
      rule.dedup_key.empty() ? rule.threshold.group_by : rule.dedup_key;
  std::vector<PendingCandidate> fresh;
  struct Unit {
    int64_t time_us;
    uint32_t rows;        // Unconsumed rows in the unit.
    RememberedRow* row;   // A remembered row (rows == 1), or nullptr ...
    TimeTally* tally;     // ... a run of tallied rows.
  };
  const uint64_t min_rows = std::max<uint64_t>(rule.threshold.min_rows, 1);
  for (auto& [group, staged] : changes->staged) {
    std::sort(staged.begin(), staged.end(), RememberedRowLess);
    std::vector<Unit> units;
    auto live = rs->groups.find(group);
    if (live != rs->groups.end()) {
      for (TimeTally& t : live->second.tallies) {
        if (t.unconsumed > 0) units.push_back(Unit{t.time_us, t.unconsumed, nullptr, &t});
      }
      for (RememberedRow& r : live->second.rows) {
        if (!r.consumed) units.push_back(Unit{r.time_us, 1, &r, nullptr});
      }
    }
    for (RememberedRow& r : staged) units.push_back(Unit{r.time_us, 1, &r, nullptr});
    std::sort(units.begin(), units.end(), [](const Unit& x, const Unit& y) {
      if (x.time_us != y.time_us) return x.time_us < y.time_us;
      if ((x.row == nullptr) != (y.row == nullptr)) return x.row == nullptr;
      return x.row != nullptr && x.row->id < y.row->id;
    });
    // The consumed rows of this group at `time_us` so far (a candidate id's ordinal).
    auto consumed_at = [&](int64_t time_us) {
      uint64_t n = ConsumedAt(staged, time_us);
      if (live != rs->groups.end()) {
        n += ConsumedAt(live->second.rows, time_us);
        if (TimeTally* t = FindTally(live->second.tallies, time_us)) n += t->consumed;
      }
      return n;
    };
    // Window: units [first, j], less the `skip` rows of unit `first` taken by the previous
    // candidate; `count` rows in it.
    size_t first = 0;
    uint64_t skip = 0;
    uint64_t count = 0;
    for (size_t j = 0; j < units.size(); ++j) {
      count += units[j].rows;
      while (rule.threshold.window_us > 0 &&
             units[j].time_us - units[first].time_us > rule.threshold.window_us) {
        count -= units[first].rows - skip;
        skip = 0;
        ++first;
      }
      while (count >= min_rows) {
        PendingCandidate c;
        c.group_key = group;
        c.created_us = now;
        c.due_us = now + rule.confirm.delay_us;
        c.window_start_us = units[first].time_us;
        c.window_end_us = units[j].time_us;
        c.row_count = min_rows;
        const uint64_t ordinal = consumed_at(c.window_start_us);
        // Take min_rows rows from `first` on; the last is in unit j (count was below
        // min_rows before it).
        const RememberedRow* last_evidence = nullptr;
        uint64_t need = min_rows;
        while (need > 0) {
          Unit& u = units[first];
          const uint64_t take = std::min<uint64_t>(need, u.rows - skip);
          if (u.row != nullptr) {
            u.row->consumed = true;
            changes->consumed.push_back(u.row);
            last_evidence = u.row;
            if (c.rows.size() < options_.max_rows_per_alert) {
              c.rows.push_back(rs->Expand(group, *u.row));
            }
          } else {
            const auto n = static_cast<uint32_t>(take);
            u.tally->unconsumed -= n;
            u.tally->consumed += n;
            changes->tallied.emplace_back(u.tally, n);
            c.rows_without_evidence += take;
          }
          need -= take;
          skip += take;
          if (skip == u.rows) {
            skip = 0;
            ++first;
          }
        }
        count -= min_rows;
        // The dedup value: from the candidate's last row with evidence (the last row when
        // the budget did not bite), else from the group key (ParamRow).
        c.dedup_value = JoinColumns(
            last_evidence != nullptr ? rs->Expand(group, *last_evidence) : ParamRow(rule, c),
            dedup_columns);
        c.id = CandidateId(rule, c.dedup_value, c.window_start_us, ordinal, c.window_end_us);
        fresh.push_back(std::move(c));
      }
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
      open->second.last_row = ParamRow(rule, c);
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
      open.last_row = ParamRow(rule, c);
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

  // 6. Nothing fails from here. A row consumed now never joins a candidate again, so only its
  // time and id (which recognise it when read again) are still needed.
  if (options_.compact_consumed_rows) {
    for (RememberedRow* r : changes->consumed) {
      r->schema = kNoEvidence;
      r->derived = 0;
      std::vector<Cell>().swap(r->cells);
    }
  }
  // Keep the new rows. Then forget rows no later run can return
  // (older than the next run's reach) and no row the next run accepts can share a window
  // with (older than that by one window).
  for (auto& [key, staged] : changes->staged) {
    std::vector<RememberedRow>& kept = rs->groups[key].rows;
    const size_t old_size = kept.size();
    for (RememberedRow& r : staged) {
      rs->id_hashes.insert(IdHash(r.id));
      kept.push_back(std::move(r));
    }
    std::inplace_merge(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(old_size),
                       kept.end(), RememberedRowLess);
  }
  changes->staged.clear();
  changes->consumed.clear();
  auto forget = [&](const RememberedRow& r) {
    auto hash = rs->id_hashes.find(IdHash(r.id));
    if (hash != rs->id_hashes.end()) rs->id_hashes.erase(hash);
  };
  // A consumed row only recognises itself when read again, and no later run accepts a row
  // older than its reach, so consumed rows go one window earlier.
  const int64_t horizon = now - reach - rule.threshold.window_us;
  const int64_t consumed_horizon = options_.compact_consumed_rows ? now - reach : horizon;
  for (auto it = rs->groups.begin(); it != rs->groups.end();) {
    std::vector<RememberedRow>& group_rows = it->second.rows;
    std::vector<TimeTally>& tallies = it->second.tallies;
    auto keep = std::find_if(group_rows.begin(), group_rows.end(),
                             [&](const RememberedRow& r) { return r.time_us >= horizon; });
    std::for_each(group_rows.begin(), keep, forget);
    group_rows.erase(group_rows.begin(), keep);
    tallies.erase(tallies.begin(),
                  std::find_if(tallies.begin(), tallies.end(),
                               [&](const TimeTally& t) { return t.time_us >= horizon; }));
    // A consumed row older than the next run's reach is kept as a count only: its id
    // recognises nothing any more, its count still numbers the candidates that start at
    // its time (CandidateId's ordinal) until the horizon.
    auto stale = std::find_if(group_rows.begin(), group_rows.end(), [&](const RememberedRow& r) {
      return r.consumed && r.time_us < consumed_horizon;
    });
    if (stale != group_rows.end()) {
      auto last = std::remove_if(stale, group_rows.end(), [&](const RememberedRow& r) {
        if (!r.consumed || r.time_us >= consumed_horizon) return false;
        forget(r);
        AddTally(tallies, r.time_us, 0, 1);
        return true;
      });
      group_rows.erase(last, group_rows.end());
    }
    it = group_rows.empty() && tallies.empty() ? rs->groups.erase(it) : std::next(it);
  }
  // 7. The key bound: forget the coldest keys, those least likely to reach the threshold,
  // while `over()` says the rule holds too much. A source that re-reads its reach would bring
  // a forgotten consumed row back unconsumed (counting it twice), so there keys holding
  // consumed rows go last.
  size_t tally_count = 0;  // (key, time) counts the rule holds; kept by 9's bound.
  auto forget_coldest_keys = [&](auto over) {
    if (!over()) return;
    const bool rereads = !position.has_value();
    struct Heat {
      bool keep_longer;
      size_t unconsumed;
      int64_t newest;
      std::map<std::string, RowGroup>::iterator group;
    };
    std::vector<Heat> heat;
    heat.reserve(rs->groups.size());
    for (auto it = rs->groups.begin(); it != rs->groups.end(); ++it) {
      const std::vector<RememberedRow>& group_rows = it->second.rows;
      const std::vector<TimeTally>& tallies = it->second.tallies;
      size_t unconsumed = static_cast<size_t>(std::count_if(
          group_rows.begin(), group_rows.end(), [](const RememberedRow& r) { return !r.consumed; }));
      bool has_consumed = unconsumed < group_rows.size();
      int64_t newest = group_rows.empty() ? std::numeric_limits<int64_t>::min() : group_rows.back().time_us;
      for (const TimeTally& t : tallies) {
        unconsumed += t.unconsumed;
        has_consumed = has_consumed || t.consumed > 0;
      }
      if (!tallies.empty()) newest = std::max(newest, tallies.back().time_us);
      heat.push_back(Heat{rereads && has_consumed, unconsumed, newest, it});
    }
    std::sort(heat.begin(), heat.end(), [](const Heat& x, const Heat& y) {
      if (x.keep_longer != y.keep_longer) return y.keep_longer;
      if (x.unconsumed != y.unconsumed) return x.unconsumed < y.unconsumed;
      if (x.newest != y.newest) return x.newest < y.newest;
      return x.group->first < y.group->first;
    });
    uint64_t keys = 0;
    for (size_t i = 0; i < heat.size() && over(); ++i) {
      const RowGroup& group = heat[i].group->second;
      std::for_each(group.rows.begin(), group.rows.end(), forget);
      uint64_t evicted = group.rows.size();
      for (const TimeTally& t : group.tallies) evicted += uint64_t{t.unconsumed} + t.consumed;
      out->rows_evicted += evicted;
      rs->rows_evicted += evicted;
      tally_count -= group.tallies.size();
      rs->groups.erase(heat[i].group);
      ++keys;
    }
    out->keys_evicted += keys;
    rs->keys_evicted += keys;
  };
  for (const auto& [key, group] : rs->groups) tally_count += group.tallies.size();
  forget_coldest_keys([&] { return rs->groups.size() > options_.max_keys_per_rule; });
  // 8. The row budget (incremental sources: nothing is read twice, so no row id is needed to
  // recognise a row): above it, the oldest rows keep only their counts. Each group's rows are
  // sorted by time, so what goes is a prefix of each group.
  const size_t evidence_rows = rs->row_count();
  if (position && evidence_rows > options_.max_cached_rows_per_rule) {
    const size_t excess = evidence_rows - options_.max_cached_rows_per_rule;
    std::vector<int64_t> times;
    times.reserve(evidence_rows);
    for (const auto& [key, group] : rs->groups) {
      for (const RememberedRow& r : group.rows) times.push_back(r.time_us);
    }
    std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(excess - 1),
                     times.end());
    const int64_t cutoff = times[excess - 1];
    size_t at_cutoff = excess - static_cast<size_t>(std::count_if(
                                    times.begin(), times.end(),
                                    [&](int64_t t) { return t < cutoff; }));
    for (auto& [key, group] : rs->groups) {
      size_t n = 0;
      while (n < group.rows.size() &&
             (group.rows[n].time_us < cutoff || (group.rows[n].time_us == cutoff && at_cutoff > 0))) {
        const RememberedRow& r = group.rows[n];
        if (r.time_us == cutoff) --at_cutoff;
        forget(r);
        AddTally(group.tallies, r.time_us, r.consumed ? 0 : 1, r.consumed ? 1 : 0);
        ++n;
      }
      group.rows.erase(group.rows.begin(), group.rows.begin() + static_cast<std::ptrdiff_t>(n));
    }
    out->evidence_dropped += excess;
    rs->evidence_dropped += excess;
  }
  // 9. The count bound: counts per (key, time) grow with the distinct times of each key
  // within the horizon; above max_time_counts_per_rule the coldest keys are forgotten as in 7.
  // Step 8 turned rows into counts, so count again.
  tally_count = 0;
  for (const auto& [key, group] : rs->groups) tally_count += group.tallies.size();
  forget_coldest_keys([&] { return tally_count > options_.max_time_counts_per_rule; });
  rs->watermark_us = now;
  if (position) rs->ingest_position = *position;
  return Status::OK();
}

Result<bool> AlertEngine::Confirm(const AlertRule& rule, const PendingCandidate& c, int64_t now,
                                  std::vector<DetectionRow>* confirm_rows) {
  QueryParams params = RowParams(ParamRow(rule, c));
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
  alert.rows_without_evidence = c.rows_without_evidence;
  if (confirm_rows.size() > options_.max_rows_per_alert) {
    confirm_rows.resize(options_.max_rows_per_alert);
  }
  alert.confirm_rows = std::move(confirm_rows);
  alert.link = ExpandLink(rule.link_template, alert);
  return alert;
}

}  // namespace trailbook::monitor
