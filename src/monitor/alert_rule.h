// File: monitor/alert_rule.h
//
// AlertRule: a detection runbook's `alert:` section (threshold, confirmation, dedup,
// suppression, resolve, deliveries) plus the runbook fields the monitor needs (id, version,
// query). Parsed from YAML here so the runbook loader can stay ignorant of alerting: it
// hands over the `alert:` node, or the monitor reads the runbook file itself.
//
//   TB_ASSIGN_OR_RETURN(AlertRule rule, LoadAlertRuleFile("detections/stop-logging.yaml"));
//
// The format is documented in docs/monitor.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace YAML {
class Node;
}  // namespace YAML

namespace trailbook::monitor {

// "At least min_rows rows per group_by key within window".
struct ThresholdSpec {
  uint64_t min_rows = 1;
  std::vector<std::string> group_by;  // Empty: one group for the whole rule.
  int64_t window_us = 0;              // 0: no time limit between the rows (any min_rows rows).
};

enum class ConfirmKind : uint8_t {
  kNone,           // Every candidate is confirmed.
  kQuery,          // Run `query` with the candidate's row values as parameters.
  kStillTrue,      // After `delay`, re-run `query` (default: the detection query); the group
                   // must still have min_rows rows.
  kNotInBaseline,  // Run `query` over the baseline period; confirmed only when it is empty.
};

struct ConfirmSpec {
  ConfirmKind kind = ConfirmKind::kNone;
  std::string query;        // SQL with :parameters.
  int64_t delay_us = 0;     // Wait this long after the candidate before confirming.
  int64_t baseline_us = 0;  // kNotInBaseline: the period looked back on (e.g. 30 days).
  bool expect_rows = true;  // kQuery: confirmed when the query returns rows (or none).
};

// An open alert resolves when its dedup key has had no candidate for quiet_for, or when
// `query` (run with the alert's last row as parameters) returns rows. Neither set: the alert
// closes silently when its suppression ends.
struct ResolveSpec {
  int64_t quiet_for_us = 0;
  std::string query;
};

struct AlertRule {
  std::string runbook_id;
  std::string runbook_version;
  std::string query;  // The detection query; gets :start and :end (timestamps).
  std::string severity = "medium";
  std::string time_column = "eventTime";  // A timestamp column of the query's output.
  std::string row_id_column = "eventID";  // Identifies a row across overlapping runs.
  ThresholdSpec threshold;
  ConfirmSpec confirm;
  std::vector<std::string> dedup_key;  // Columns; empty: threshold.group_by (engine default).
  int64_t suppress_for_us = 0;
  ResolveSpec resolve;
  std::vector<std::string> deliver;  // Delivery names; empty: the global default.
  std::string link_template;          // {alert_id}, {runbook_id}, {dedup_key} are replaced.
  int64_t lookback_us = 0;            // Per-rule override of the monitor's lookback (0: none).
  // Declared types ("int", "ip", "timestamp", ... as runbook parameter types) of the
  // :names of confirm/resolve queries that come from row columns; undeclared ones bind as
  // strings, and the engine-provided times (:start, :end, :window_start, ...) and the time
  // column as timestamps. Used by the daemon, which runs those queries as runbooks.
  std::vector<std::pair<std::string, std::string>> param_types;
};

// Parses a duration ("90s", "10m", "24h", "30d"; "0s" allowed) with base/duration.h's
// ParseDuration. Errors: kInvalidArgument naming `field` and the text.
Result<int64_t> ParseDurationField(std::string_view text, std::string_view field);

// Parses an `alert:` node into `rule` (whose runbook fields are already set). Errors:
// kInvalidArgument naming the field, e.g. "alert.threshold.min_rows: must be >= 1".
Status ParseAlertSection(const YAML::Node& alert, AlertRule* rule);

// Parses a runbook YAML text (id, version, query, alert) into a rule; `source` names the
// file in errors. Errors: kInvalidArgument (bad YAML with line, missing or bad field), and
// kNotFound when the runbook has no `alert:` section (it is not a detection).
Result<AlertRule> ParseAlertRule(std::string_view yaml_text, std::string_view source);

// Reads and parses a runbook file. Errors as ParseAlertRule, plus kIOError.
Result<AlertRule> LoadAlertRuleFile(const std::string& path);

}  // namespace trailbook::monitor
