// File: monitor/alert_engine.h
//
// AlertEngine: turns detection query results into confirmed, deduplicated alerts. Pure
// logic over a QuerySource and a Clock: no files, no threads, deterministic, so the tests
// drive it with generated event streams and a FakeClock.
//
//   AlertEngine engine(rules, source, clock, EngineOptions{});
//   engine.set_state(loaded_state);                    // resume after a restart
//   TB_ASSIGN_OR_RETURN(TickOutput out, engine.RunOnce());
//   ... persist engine.state() and out.alerts (outbox) together, then deliver ...
//
// One run of a rule:
//   1. Read the new detection rows. With an incremental source (IngestPosition() has a
//      value, e.g. the store's newest segment id), the detection query reads only what was
//      ingested since the rule's last run: ingestion positions (after, through], with
//      :start = watermark - lookback - window and :end = now + lookback. Each ingested event
//      is read by exactly one run however late or out of order it arrives, so a run costs
//      O(new events). Otherwise it re-reads [watermark - lookback - window, now] and rows
//      seen by an earlier, overlapping run are recognised by their row id (eventID).
//      Either way an event more than `lookback` late (or, incrementally, stamped more than
//      `lookback` in the future) takes no part: its window has been forgotten.
//   2. Threshold: per group_by key, min_rows unconsumed rows within `window` form a
//      candidate; its rows are consumed so they never form another candidate.
//   3. Dedup: a candidate whose dedup key has an open alert, a pending candidate or a
//      running suppression is recorded as suppressed.
//   4. Confirm (now, or when its delay has passed); an unconfirmed candidate is recorded
//      for tuning and never becomes an alert.
//   5. Resolve open alerts whose resolve condition holds (a "resolved" notice is emitted).
// A rule's run is all or nothing: when a query fails, that rule's state is left as it was,
// so the next run repeats the same work. Alert ids are derived from the rule, dedup key,
// window times and the group's rows consumed before at the first time (not row ids), so a
// repeated run produces the same ids (deliveries are idempotent by id).
// Memory: EngineOptions bounds the keys and the rows with evidence; beyond the row budget
// rows are kept as counts per time (TimeTally), which keeps every alert exact.
//
// Thread safety: not thread-safe; one thread drives an engine.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "monitor/alert_rule.h"
#include "monitor/detection_row.h"

namespace trailbook::monitor {

using QueryParams = std::vector<std::pair<std::string, Cell>>;

// Runs a rule's queries. The daemon implements it over the SQL engine (authorised and
// audited); tests implement it over generated events.
class QuerySource {
 public:
  virtual ~QuerySource() = default;
  // Runs `sql` (the rule's detection query or one of its confirm/resolve queries) with the
  // named parameters and returns every row. Parameters the SQL does not mention are unused.
  virtual Result<std::vector<DetectionRow>> Run(const AlertRule& rule, std::string_view sql,
                                                const QueryParams& params) = 0;

  // Returns the current ingestion position: every event ingested so far is at or below it,
  // and events ingested later are above it (the store's newest regular segment id). nullopt:
  // the source cannot read by position, and the engine re-reads the window on every run.
  virtual Result<std::optional<uint64_t>> IngestPosition() { return std::optional<uint64_t>(); }

  // Runs the rule's detection query with `params` over the events ingested at positions in
  // (after, through] only. Called only when IngestPosition() returned a value.
  virtual Result<std::vector<DetectionRow>> RunIngested(const AlertRule& rule,
                                                        const QueryParams& params,
                                                        uint64_t after, uint64_t through) {
    (void)rule, (void)params, (void)after, (void)through;
    return Unimplemented("this query source cannot read by ingestion position");
  }

  // Freezes the evidence of a new alert of `rule` (e.g. as a signed snapshot of the
  // detection query run over the candidate's window: `params` binds :start and :end to the
  // window's first and last row times) and returns its id, or "" when the source keeps no
  // evidence. Called once per new alert, inside the rule's run: an error fails the run,
  // which is then repeated.
  virtual Result<std::string> SnapshotEvidence(const AlertRule& rule, const QueryParams& params) {
    (void)rule, (void)params;
    return std::string();
  }
};


struct EngineOptions {
  int64_t lookback_us = 15LL * 60 * 1'000'000;  // How late an event may arrive and still count.
  size_t max_rows_per_alert = 100;              // Rows carried by one alert (the rest counted).
  // Memory bound: the rows a rule keeps with their evidence (row id and cells). Above it, at
  // the end of a run of an incremental source, the oldest rows lose their evidence and are
  // kept only as counts per time (TimeTally), which keeps every threshold, count, time and
  // alert id exact; their alerts carry fewer evidence rows (Alert::rows_without_evidence).
  // The rows dropped are counted in TickOutput / RuleState::evidence_dropped. A source that
  // re-reads its reach (IngestPosition() is nullopt) needs every row id to recognise rows
  // read again: above the bound its runs fail with kResourceExhausted.
  size_t max_cached_rows_per_rule = 20'000;
  // Memory bound: the group_by keys a rule remembers rows for. Above it, at the end of a run,
  // the coldest keys are forgotten (fewest unconsumed rows first, then least recently seen)
  // and counted in TickOutput::keys_evicted / rows_evicted and RuleState::keys_evicted; a
  // later candidate of a forgotten key is judged without the forgotten rows.
  size_t max_keys_per_rule = 20'000;
  // Memory bound: the counts per (key, time) a rule keeps for rows without evidence (16 B
  // each; a key holds one per distinct event time within lookback + 2 x window). Above it,
  // at the end of a run, the coldest keys are forgotten as at max_keys_per_rule (counted the
  // same way), so rows kept as counts cannot grow with the horizon unbounded.
  size_t max_time_counts_per_rule = 200'000;
  // Memory: a consumed row is kept only as what recognises it when read again (time and id,
  // its evidence cells dropped, see kNoEvidence) and only while a later run can still return
  // it (lookback + window), not for the extra window an unconsumed row is kept. Neither
  // changes an alert: consumed rows never join a candidate again. false keeps every row
  // whole until the common horizon (for comparison in tests).
  bool compact_consumed_rows = true;
};

// RememberedRow::schema of a consumed row whose cells were dropped: it holds no cells and
// derives none (Expand is never called on it). DO NOT CHANGE: stored in the monitor state
// file (docs/monitor.md).
inline constexpr uint16_t kNoEvidence = 0xFFFF;

// The role of a detection query column in a remembered row: a cell whose value equals what
// its role derives is not stored (the row id, the time, the group_by values).
// DO NOT CHANGE the numeric values: stored in the monitor state file (docs/monitor.md).
enum class ColumnRole : uint8_t {
  kStored = 0,   // Always stored.
  kRowId = 1,    // A string equal to the row id.
  kTime = 2,     // A timestamp equal to the row time.
  kGroupPart = 3,  // kGroupPart + k: a string equal to the k-th group_by value.
};

// The column names (and roles) of detection rows; rows refer to one by index.
struct RowSchema {
  std::vector<std::pair<std::string, uint8_t>> columns;  // Name, ColumnRole value.
  bool operator==(const RowSchema& other) const = default;
};

// A row remembered between runs, compactly: the cells its schema can derive (bit i of
// `derived` set: column i equals what its role derives) are not stored.
// Invariant: time_us >= the rule's prune horizon; cells.size() == columns - popcount(derived),
// or schema == kNoEvidence, consumed, derived == 0 and no cells.
struct RememberedRow {
  int64_t time_us = 0;
  std::string id;
  uint32_t derived = 0;
  uint16_t schema = 0;  // Index into RuleState::schemas.
  bool consumed = false;
  std::vector<Cell> cells;  // The columns not derived, in order.
};

// The order of a group's rows: by time, then id.
bool RememberedRowLess(const RememberedRow& a, const RememberedRow& b);

// Rows of one group_by key at one time whose evidence (row id and cells) the row budget
// dropped (EngineOptions::max_cached_rows_per_rule): only their counts are kept, which is
// all a threshold needs (window membership depends on time alone). Unconsumed rows of a
// tally sort before the remembered rows of the same time.
struct TimeTally {
  int64_t time_us = 0;
  uint32_t unconsumed = 0;
  uint32_t consumed = 0;
  bool operator==(const TimeTally& other) const = default;
};

// The rows of one group_by key.
// Invariants: rows sorted by (time_us, id), ids unique; tallies sorted by time_us, times
// unique, no tally with both counts 0; rows and tallies not both empty.
struct RowGroup {
  std::vector<RememberedRow> rows;
  std::vector<TimeTally> tallies;
};

// A candidate waiting for its confirmation delay.
struct PendingCandidate {
  std::string id;
  std::string dedup_value;
  std::string group_key;
  int64_t created_us = 0;
  int64_t due_us = 0;
  int64_t window_start_us = 0;
  int64_t window_end_us = 0;
  uint64_t row_count = 0;
  std::vector<DetectionRow> rows;      // Evidence rows (at most max_rows_per_alert); may be empty.
  uint64_t rows_without_evidence = 0;  // Rows of the candidate the row budget kept as counts.
};

// An alert that fired and has not resolved yet.
struct OpenAlert {
  std::string alert_id;
  int64_t created_us = 0;
  int64_t last_candidate_us = 0;  // Last time a candidate with this dedup key was seen.
  int64_t suppress_until_us = 0;
  uint64_t suppressed = 0;        // Candidates folded into this alert.
  DetectionRow last_row;
};

struct RuleState {
  int64_t watermark_us = 0;  // End of the last successful run; 0: never ran.
  // Incremental sources: the ingestion position read up to by the last successful run
  // (0: nothing read yet). The next run reads positions above it.
  uint64_t ingest_position = 0;
  // The remembered rows by group key (the group_by values joined by '\x1f'), at most
  // EngineOptions::max_keys_per_rule keys after a run, and the row schemas they use.
  std::map<std::string, RowGroup> groups;
  std::vector<RowSchema> schemas;
  uint64_t keys_evicted = 0;  // Keys forgotten at the key bound, ever (with their rows).
  uint64_t rows_evicted = 0;
  uint64_t evidence_dropped = 0;  // Rows kept as counts at the row budget, ever.
  // Derived, not persisted: hashes of the remembered row ids (finds rows read again).
  // Rebuilt by the engine when its size differs from the row count.
  std::unordered_multiset<uint64_t> id_hashes;

  // Returns the rows kept with their evidence (the row budget's measure).
  size_t row_count() const;
  // Returns the rows kept as counts only (TimeTally), consumed or not.
  size_t tallied_row_count() const;
  // Returns the index of `schema` in `schemas`, appending it when it is new.
  uint16_t SchemaIndex(RowSchema schema);
  // Returns the remembered row as the detection query returned it.
  DetectionRow Expand(const std::string& group_key, const RememberedRow& row) const;
  std::vector<PendingCandidate> pending;
  std::map<std::string, OpenAlert> open;          // By dedup value.
  std::map<std::string, int64_t> suppress_until;  // Closed alerts still suppressing, by dedup value.
};

// Everything the engine must keep across restarts, by runbook id.
struct EngineState {
  std::map<std::string, RuleState> rules;
};

enum class AlertStatus : uint8_t { kFiring, kResolved };

struct Alert {
  std::string id;
  AlertStatus status = AlertStatus::kFiring;
  std::string runbook_id;
  std::string runbook_version;
  std::string severity;
  std::string dedup_key;
  int64_t created_us = 0;
  int64_t window_start_us = 0;
  int64_t window_end_us = 0;
  uint64_t row_count = 0;                   // Rows in the triggering window.
  std::vector<DetectionRow> rows;           // The triggering rows (capped).
  uint64_t rows_without_evidence = 0;       // Of row_count, rows the row budget kept as counts.
  std::vector<DetectionRow> confirm_rows;   // Rows of the confirming query (capped).
  uint64_t suppressed = 0;                  // kResolved: candidates folded into the alert.
  std::string snapshot_id;                  // Evidence snapshot; "" when none was taken.
  std::string link;
};

enum class CandidateOutcome : uint8_t { kAlerted, kPending, kSuppressed, kUnconfirmed };

// Every candidate, whatever became of it, for tuning.
struct CandidateRecord {
  std::string id;
  std::string runbook_id;
  std::string dedup_key;
  int64_t at_us = 0;
  CandidateOutcome outcome = CandidateOutcome::kAlerted;
  std::string reason;
  uint64_t row_count = 0;
};

struct TickOutput {
  std::vector<Alert> alerts;  // New alerts and resolutions, to be delivered.
  std::vector<CandidateRecord> candidates;
  uint64_t rows_new = 0;      // Rows not seen by an earlier run.
  uint64_t rows_seen = 0;     // Rows the detection queries returned.
  uint64_t keys_evicted = 0;  // Group keys forgotten at the key bound (with rows_evicted rows).
  uint64_t rows_evicted = 0;
  uint64_t evidence_dropped = 0;  // Rows kept as counts only at the row budget.
  std::vector<Status> rule_errors;  // Rules whose run failed (their state is unchanged).
};

// Returns the name of an outcome ("alerted", "pending", "suppressed", "unconfirmed").
std::string_view CandidateOutcomeName(CandidateOutcome outcome);

class AlertEngine {
 public:
  // `source` and `clock` must outlive the engine. REQUIRES: runbook ids are unique.
  AlertEngine(std::vector<AlertRule> rules, QuerySource& source, const Clock& clock,
              EngineOptions options);

  // Runs every rule once at clock.NowMicros(). A failing rule is reported in
  // out.rule_errors and left unchanged; the others proceed.
  TickOutput RunOnce();

  // Runs the rule `runbook_id` once. Errors: kNotFound (no such rule), the query's error,
  // kInvalidArgument when the query output lacks the time column or it is not a timestamp,
  // kResourceExhausted when a source that re-reads its reach exceeds the row bound.
  Status RunRule(const std::string& runbook_id, TickOutput* out);

  const EngineState& state() const { return state_; }
  void set_state(EngineState state) { state_ = std::move(state); }
  // Moves the state out (to persist it without a copy); the engine holds an empty state
  // until set_state gives it back.
  EngineState TakeState() { return std::exchange(state_, EngineState{}); }
  const std::vector<AlertRule>& rules() const { return rules_; }

 private:
  struct RowChanges;  // What a run changed in RuleState::rows, undone when the run fails.
  Status RunRuleAt(const AlertRule& rule, int64_t now, RuleState* rs, TickOutput* out,
                   RowChanges* changes);
  Result<bool> Confirm(const AlertRule& rule, const PendingCandidate& c, int64_t now,
                       std::vector<DetectionRow>* confirm_rows);
  Result<bool> ShouldResolve(const AlertRule& rule, const OpenAlert& open, int64_t now);
  Alert MakeAlert(const AlertRule& rule, const PendingCandidate& c, int64_t now,
                  std::vector<DetectionRow> confirm_rows) const;

  std::vector<AlertRule> rules_;
  QuerySource& source_;
  const Clock& clock_;
  EngineOptions options_;
  EngineState state_;
};

// Returns the row whose columns parameterise the candidate's confirm query and its alert's
// resolve query: its last evidence row (Alert::rows is capped, so at most the
// max_rows_per_alert-th), else, when the row budget kept all its rows as counts, a row of its
// group_by values and the time column (= window end).
DetectionRow ParamRow(const AlertRule& rule, const PendingCandidate& c);

// Replaces {alert_id}, {runbook_id} and {dedup_key} in `link_template`.
std::string ExpandLink(std::string_view link_template, const Alert& alert);

}  // namespace trailbook::monitor
