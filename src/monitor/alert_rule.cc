#include "monitor/alert_rule.h"

#include <yaml-cpp/yaml.h>

#include <charconv>

#include "base/duration.h"
#include "io/file.h"

namespace trailbook::monitor {
namespace {

std::string Where(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return "";
  return " (line " + std::to_string(mark.line + 1) + ")";
}

Result<std::string> ScalarField(const YAML::Node& parent, const char* key, std::string_view path,
                                bool required) {
  YAML::Node node = parent[key];
  if (!node) {
    if (required) return InvalidArgument(std::string(path) + "." + key + ": missing");
    return std::string();
  }
  if (!node.IsScalar()) {
    return InvalidArgument(std::string(path) + "." + key + ": must be a scalar" + Where(node));
  }
  return node.Scalar();
}

Result<std::vector<std::string>> ListField(const YAML::Node& parent, const char* key,
                                           std::string_view path) {
  std::vector<std::string> out;
  YAML::Node node = parent[key];
  if (!node) return out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence()) {
    return InvalidArgument(std::string(path) + "." + key + ": must be a list of names" +
                           Where(node));
  }
  for (const YAML::Node& item : node) {
    if (!item.IsScalar() || item.Scalar().empty()) {
      return InvalidArgument(std::string(path) + "." + key + ": items must be names" +
                             Where(item));
    }
    out.push_back(item.Scalar());
  }
  return out;
}

Result<int64_t> DurationField(const YAML::Node& parent, const char* key, std::string_view path) {
  TB_ASSIGN_OR_RETURN(std::string text, ScalarField(parent, key, path, false));
  if (text.empty()) return int64_t{0};
  return ParseDurationField(text, std::string(path) + "." + key);
}

Status CheckKeys(const YAML::Node& node, std::string_view path,
                 std::initializer_list<std::string_view> allowed) {
  if (!node.IsMap()) return InvalidArgument(std::string(path) + ": must be a mapping" + Where(node));
  for (const auto& item : node) {
    const std::string key = item.first.Scalar();
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) {
      return InvalidArgument(std::string(path) + ": unknown field '" + key + "'" +
                             Where(item.first));
    }
  }
  return Status::OK();
}

Status ParseAlertNode(const YAML::Node& alert, AlertRule* rule) {
  TB_RETURN_IF_ERROR(CheckKeys(alert, "alert",
                               {"severity", "threshold", "confirm", "dedup_key", "suppress_for",
                                "resolve", "deliver", "link", "time_column", "row_id_column",
                                "lookback", "params"}));
  TB_ASSIGN_OR_RETURN(std::string severity, ScalarField(alert, "severity", "alert", false));
  if (!severity.empty()) {
    if (severity != "info" && severity != "low" && severity != "medium" && severity != "high" &&
        severity != "critical") {
      return InvalidArgument("alert.severity: must be info, low, medium, high or critical, got '" +
                             severity + "'");
    }
    rule->severity = severity;
  }
  TB_ASSIGN_OR_RETURN(std::string time_column, ScalarField(alert, "time_column", "alert", false));
  if (!time_column.empty()) rule->time_column = time_column;
  TB_ASSIGN_OR_RETURN(std::string row_id, ScalarField(alert, "row_id_column", "alert", false));
  if (!row_id.empty()) rule->row_id_column = row_id;
  if (YAML::Node t = alert["threshold"]) {
    TB_RETURN_IF_ERROR(CheckKeys(t, "alert.threshold", {"min_rows", "group_by", "window"}));
    TB_ASSIGN_OR_RETURN(std::string min_rows,
                        ScalarField(t, "min_rows", "alert.threshold", false));
    if (!min_rows.empty()) {
      uint64_t n = 0;
      auto [ptr, ec] = std::from_chars(min_rows.data(), min_rows.data() + min_rows.size(), n);
      if (ec != std::errc() || ptr != min_rows.data() + min_rows.size() || n == 0 ||
          n > 1000000) {
        return InvalidArgument("alert.threshold.min_rows: must be an integer in [1, 1000000], got '" +
                               min_rows + "'");
      }
      rule->threshold.min_rows = n;
    }
    TB_ASSIGN_OR_RETURN(rule->threshold.group_by, ListField(t, "group_by", "alert.threshold"));
    TB_ASSIGN_OR_RETURN(rule->threshold.window_us, DurationField(t, "window", "alert.threshold"));
  }
  if (YAML::Node c = alert["confirm"]) {
    TB_RETURN_IF_ERROR(
        CheckKeys(c, "alert.confirm", {"kind", "query", "delay", "baseline", "expect"}));
    TB_ASSIGN_OR_RETURN(std::string kind, ScalarField(c, "kind", "alert.confirm", true));
    TB_ASSIGN_OR_RETURN(rule->confirm.query, ScalarField(c, "query", "alert.confirm", false));
    TB_ASSIGN_OR_RETURN(rule->confirm.delay_us, DurationField(c, "delay", "alert.confirm"));
    TB_ASSIGN_OR_RETURN(rule->confirm.baseline_us, DurationField(c, "baseline", "alert.confirm"));
    TB_ASSIGN_OR_RETURN(std::string expect, ScalarField(c, "expect", "alert.confirm", false));
    if (expect == "none") {
      rule->confirm.expect_rows = false;
    } else if (!expect.empty() && expect != "rows") {
      return InvalidArgument("alert.confirm.expect: must be 'rows' or 'none', got '" + expect + "'");
    }
    if (kind == "query") {
      rule->confirm.kind = ConfirmKind::kQuery;
      if (rule->confirm.query.empty()) return InvalidArgument("alert.confirm.query: missing");
    } else if (kind == "still_true") {
      rule->confirm.kind = ConfirmKind::kStillTrue;
      if (rule->confirm.delay_us <= 0) {
        return InvalidArgument("alert.confirm.delay: still_true needs a delay > 0");
      }
    } else if (kind == "not_in_baseline") {
      rule->confirm.kind = ConfirmKind::kNotInBaseline;
      if (rule->confirm.query.empty()) return InvalidArgument("alert.confirm.query: missing");
      if (rule->confirm.baseline_us <= 0) {
        return InvalidArgument("alert.confirm.baseline: not_in_baseline needs a baseline > 0");
      }
      if (!expect.empty()) {
        return InvalidArgument("alert.confirm.expect: not allowed for not_in_baseline");
      }
    } else {
      return InvalidArgument(
          "alert.confirm.kind: must be query, still_true or not_in_baseline, got '" + kind + "'");
    }
  }
  TB_ASSIGN_OR_RETURN(rule->dedup_key, ListField(alert, "dedup_key", "alert"));
  if (rule->dedup_key.empty()) rule->dedup_key = rule->threshold.group_by;
  TB_ASSIGN_OR_RETURN(rule->suppress_for_us, DurationField(alert, "suppress_for", "alert"));
  TB_ASSIGN_OR_RETURN(rule->lookback_us, DurationField(alert, "lookback", "alert"));
  if (YAML::Node r = alert["resolve"]) {
    TB_RETURN_IF_ERROR(CheckKeys(r, "alert.resolve", {"quiet_for", "query"}));
    TB_ASSIGN_OR_RETURN(rule->resolve.quiet_for_us,
                        DurationField(r, "quiet_for", "alert.resolve"));
    TB_ASSIGN_OR_RETURN(rule->resolve.query, ScalarField(r, "query", "alert.resolve", false));
    if (rule->resolve.quiet_for_us == 0 && rule->resolve.query.empty()) {
      return InvalidArgument("alert.resolve: needs quiet_for or query");
    }
  }
  if (YAML::Node params = alert["params"]) {
    if (!params.IsMap()) {
      return InvalidArgument("alert.params: must be a mapping of name: type" + Where(params));
    }
    for (const auto& item : params) {
      const std::string name = item.first.Scalar();
      if (!item.second.IsScalar() || item.second.Scalar().empty()) {
        return InvalidArgument("alert.params." + name + ": must be a parameter type" +
                               Where(item.second));
      }
      rule->param_types.emplace_back(name, item.second.Scalar());
    }
  }
  TB_ASSIGN_OR_RETURN(rule->deliver, ListField(alert, "deliver", "alert"));
  TB_ASSIGN_OR_RETURN(rule->link_template, ScalarField(alert, "link", "alert", false));
  return Status::OK();
}

}  // namespace

Result<int64_t> ParseDurationField(std::string_view text, std::string_view field) {
  Result<int64_t> d = ParseDuration(text, ZeroDuration::kAllow);
  if (!d.ok()) return d.status().WithContext(field);
  return d;
}

Status ParseAlertSection(const YAML::Node& alert, AlertRule* rule) {
  try {
    return ParseAlertNode(alert, rule);
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string("alert: ") + e.what());
  }
}

Result<AlertRule> ParseAlertRule(std::string_view yaml_text, std::string_view source) {
  const std::string where(source);
  try {
    YAML::Node doc = YAML::Load(std::string(yaml_text));
    if (!doc.IsMap()) return InvalidArgument(where + ": runbook must be a YAML mapping");
    AlertRule rule;
    auto field = [&](const char* key, std::string* out) -> Status {
      Result<std::string> v = ScalarField(doc, key, "runbook", true);
      if (!v.ok()) return v.status().WithContext(where);
      *out = std::move(v).value();
      return Status::OK();
    };
    TB_RETURN_IF_ERROR(field("id", &rule.runbook_id));
    TB_RETURN_IF_ERROR(field("version", &rule.runbook_version));
    TB_RETURN_IF_ERROR(field("query", &rule.query));
    YAML::Node alert = doc["alert"];
    if (!alert) return NotFound(where + ": runbook " + rule.runbook_id + " has no alert section");
    Status s = ParseAlertNode(alert, &rule);
    if (!s.ok()) return s.WithContext(where);
    return rule;
  } catch (const YAML::Exception& e) {
    return InvalidArgument(where + ": bad YAML: " + e.what());
  }
}

Result<AlertRule> LoadAlertRuleFile(const std::string& path) {
  TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(path, size_t{1} << 20));
  return ParseAlertRule(text, path);
}

}  // namespace trailbook::monitor
