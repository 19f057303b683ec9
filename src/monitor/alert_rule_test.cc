#include "monitor/alert_rule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace trailbook::monitor {
namespace {

using ::testing::HasSubstr;

constexpr char kRunbook[] = R"(id: detect.console-login-burst
version: "4"
title: Console login failures from one IP
query: |
  SELECT eventID, eventTime, sourceIPAddress FROM events
  WHERE eventName = 'ConsoleLogin' AND eventTime BETWEEN :start AND :end
alert:
  severity: high
  threshold: {min_rows: 5, group_by: [sourceIPAddress], window: 10m}
  confirm:
    kind: query
    query: SELECT eventID FROM events WHERE sourceIPAddress = :sourceIPAddress
    expect: rows
    delay: 2m
  suppress_for: 1h
  resolve: {quiet_for: 30m}
  deliver: [slack, pager]
  link: https://tb.example/a/{alert_id}
)";

TEST(AlertRuleTest, ParsesAFullAlertSection) {
  Result<AlertRule> rule = ParseAlertRule(kRunbook, "burst.yaml");
  ASSERT_TRUE(rule.ok()) << rule.status().ToString();
  EXPECT_EQ(rule->runbook_id, "detect.console-login-burst");
  EXPECT_EQ(rule->runbook_version, "4");
  EXPECT_THAT(rule->query, HasSubstr(":start"));
  EXPECT_EQ(rule->severity, "high");
  EXPECT_EQ(rule->threshold.min_rows, 5u);
  EXPECT_THAT(rule->threshold.group_by, ::testing::ElementsAre("sourceIPAddress"));
  EXPECT_EQ(rule->threshold.window_us, 600'000'000);
  EXPECT_EQ(rule->confirm.kind, ConfirmKind::kQuery);
  EXPECT_EQ(rule->confirm.delay_us, 120'000'000);
  EXPECT_TRUE(rule->confirm.expect_rows);
  EXPECT_THAT(rule->dedup_key, ::testing::ElementsAre("sourceIPAddress"));
  EXPECT_EQ(rule->suppress_for_us, 3'600'000'000);
  EXPECT_EQ(rule->resolve.quiet_for_us, 1'800'000'000);
  EXPECT_THAT(rule->deliver, ::testing::ElementsAre("slack", "pager"));
  EXPECT_EQ(rule->link_template, "https://tb.example/a/{alert_id}");
}

TEST(AlertRuleTest, ParsesDurations) {
  EXPECT_EQ(ParseDurationField("90s", "f").value(), 90'000'000);
  EXPECT_EQ(ParseDurationField("30d", "f").value(), 30LL * 86'400'000'000);
  for (const char* bad : {"", "5", "m", "-5m", "5w", "1.5h", "99999999999999999d", " 5m"}) {
    Result<int64_t> r = ParseDurationField(bad, "alert.suppress_for");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("alert.suppress_for"));
  }
}

struct BadCase {
  const char* alert_yaml;
  const char* expected;
};

TEST(AlertRuleTest, RejectsBadAlertSectionsNamingTheField) {
  const BadCase cases[] = {
      {"severity: urgent", "alert.severity"},
      {"threshold: {min_rows: 0}", "alert.threshold.min_rows"},
      {"threshold: {min_rows: many}", "alert.threshold.min_rows"},
      {"threshold: {window: soon}", "alert.threshold.window"},
      {"threshold: {group_by: {a: b}}", "alert.threshold.group_by"},
      {"threshold: {minrows: 3}", "unknown field 'minrows'"},
      {"confirm: {kind: maybe}", "alert.confirm.kind"},
      {"confirm: {query: SELECT 1}", "alert.confirm.kind: missing"},
      {"confirm: {kind: query}", "alert.confirm.query: missing"},
      {"confirm: {kind: still_true}", "still_true needs a delay"},
      {"confirm: {kind: not_in_baseline, query: SELECT 1}", "needs a baseline"},
      {"confirm: {kind: not_in_baseline, query: q, baseline: 30d, expect: rows}",
       "not allowed for not_in_baseline"},
      {"confirm: {kind: query, query: q, expect: some}", "alert.confirm.expect"},
      {"resolve: {}", "alert.resolve: needs quiet_for or query"},
      {"suppress_for: [1h]", "alert.suppress_for: must be a scalar"},
      {"page_everyone: true", "unknown field 'page_everyone'"},
      {"[1, 2]", "alert: must be a mapping"},
  };
  for (const BadCase& c : cases) {
    std::string yaml = "id: x\nversion: 1\nquery: SELECT 1\nalert:\n  " + std::string(c.alert_yaml);
    Result<AlertRule> rule = ParseAlertRule(yaml, "bad.yaml");
    ASSERT_FALSE(rule.ok()) << c.alert_yaml;
    EXPECT_EQ(rule.status().code(), StatusCode::kInvalidArgument) << c.alert_yaml;
    EXPECT_THAT(rule.status().message(), HasSubstr(c.expected)) << c.alert_yaml;
    EXPECT_THAT(rule.status().message(), HasSubstr("bad.yaml")) << c.alert_yaml;
  }
}

TEST(AlertRuleTest, RejectsBadRunbooks) {
  Result<AlertRule> r = ParseAlertRule("id: [unclosed", "a.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("a.yaml: bad YAML"));
  r = ParseAlertRule("version: 1\nquery: q\nalert: {}", "b.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("runbook.id: missing"));
  r = ParseAlertRule("id: a\nversion: 1\nquery: q\n", "c.yaml");
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  r = ParseAlertRule("- a\n- b\n", "d.yaml");
  EXPECT_THAT(r.status().message(), HasSubstr("must be a YAML mapping"));
  EXPECT_EQ(LoadAlertRuleFile("/nonexistent/rule.yaml").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace trailbook::monitor
