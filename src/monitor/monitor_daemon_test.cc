#include "monitor/monitor_daemon.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "base/timestamp.h"
#include "io/file.h"

namespace trailbook::monitor {
namespace {

using ::testing::HasSubstr;

std::string TempDir() {
  char tmpl[] = "/tmp/tb_monitor_daemon_XXXXXX";
  return mkdtemp(tmpl) == nullptr ? "" : tmpl;
}

// Writes a CloudTrail S3-delivery style file with `n` ConsoleLogin failures from `ip`.
void WriteLogFile(const std::string& path, const std::string& ip, int n, int64_t start_us,
                  int first_id) {
  std::string json = "{\"Records\":[";
  for (int i = 0; i < n; ++i) {
    if (i > 0) json += ",";
    char id[64];
    std::snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012d", first_id + i);
    json += R"({"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},"eventTime":")" +
            FormatTimestamp(start_us + i * 10'000'000LL) +
            R"(","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":")" +
            ip +
            R"(","userAgent":"Mozilla/5.0","errorMessage":"Failed authentication","responseElements":{"ConsoleLogin":"Failure"},"eventID":")" +
            id +
            R"(","readOnly":false,"eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"})";
  }
  json += "]}";
  ASSERT_TRUE(io::WriteFileAtomic(path, json).ok());
}

constexpr char kRunbook[] = R"(id: detect.console-login-failures
version: "1"
title: Console login failures from one source IP
query: |
  SELECT eventID, eventTime, sourceIPAddress, userIdentity.userName AS userName
  FROM events
  WHERE eventName = 'ConsoleLogin' AND errorMessage = 'Failed authentication'
    AND eventTime BETWEEN :start AND :end
alert:
  severity: high
  threshold: {min_rows: 5, group_by: [sourceIPAddress], window: 10m}
  confirm:
    kind: query
    query: |
      SELECT eventID FROM events
      WHERE sourceIPAddress = :sourceIPAddress AND eventName = 'ConsoleLogin'
        AND eventTime BETWEEN :window_start AND :window_end
  suppress_for: 1h
  link: https://tb.example/alerts/{alert_id}
)";

struct Fixture {
  std::string dir = TempDir();
  std::string config_path = dir + "/monitor.yaml";
  Fixture() {
    EXPECT_TRUE(io::CreateDirectories(dir + "/logs").ok());
    EXPECT_TRUE(io::CreateDirectories(dir + "/detections").ok());
    EXPECT_TRUE(io::WriteFileAtomic(dir + "/detections/burst.yaml", kRunbook).ok());
    EXPECT_TRUE(io::WriteFileAtomic(dir + "/detections/not-a-detection.yaml",
                                    "id: ir.x\nversion: 1\nquery: SELECT 1\n")
                    .ok());
    EXPECT_TRUE(io::WriteFileAtomic(config_path, R"(store: store
state_dir: state
watch: [logs]
poll_interval: 1s
schedule: 10s
lookback: 15m
runbooks: [detections]
deliveries:
  file: {type: file, path: alerts.ndjson}
  out: {type: stdout}
deliver: [file, out]
)").ok());
  }
  ~Fixture() { std::system(("rm -rf " + dir).c_str()); }
};

TEST(MonitorDaemonTest, IngestsNewFilesAndDeliversConfirmedAlertsOnce) {
  Fixture f;
  const int64_t t0 = ParseTimestamp("2024-05-01T12:00:00Z").value();
  FakeClock clock(t0 + 5 * 60'000'000LL);
  Result<MonitorConfig> config = LoadMonitorConfig(f.config_path);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  std::string out;
  auto writer = [&](std::string_view s) {
    out += s;
    return Status::OK();
  };
  Result<std::unique_ptr<Monitor>> monitor = Monitor::Open(*config, clock, writer);
  ASSERT_TRUE(monitor.ok()) << monitor.status().ToString();
  EXPECT_EQ((*monitor)->rule_count(), 1u);

  // Noise: 4 failures from one IP.
  WriteLogFile(f.dir + "/logs/a.json", "198.51.100.4", 4, t0, 0);
  Result<PassReport> pass = (*monitor)->RunPass(true);
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  EXPECT_EQ(pass->ingest.events_added, 4u);
  EXPECT_TRUE(pass->detected);
  EXPECT_EQ(pass->cycle.alerts_new, 0u);
  ASSERT_TRUE(pass->cycle.rule_errors.empty()) << pass->cycle.rule_errors[0].ToString();

  // A burst arrives in a new file: one alert.
  WriteLogFile(f.dir + "/logs/b.json", "203.0.113.9", 6, t0 + 60'000'000LL, 100);
  clock.Advance(10'000'000);
  pass = (*monitor)->RunPass(false);
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  EXPECT_EQ(pass->ingest.events_added, 6u);
  EXPECT_EQ(pass->ingest.files_unchanged, 1u);  // a.json is not read again
  EXPECT_EQ(pass->cycle.alerts_new, 1u);
  EXPECT_EQ(pass->cycle.deliveries, 2u);

  // Nothing new: no second alert, and not due yet.
  clock.Advance(1'000'000);
  pass = (*monitor)->RunPass(false);
  ASSERT_TRUE(pass.ok());
  EXPECT_FALSE(pass->detected);
  clock.Advance(10'000'000);
  pass = (*monitor)->RunPass(false);
  ASSERT_TRUE(pass.ok());
  EXPECT_TRUE(pass->detected);
  EXPECT_EQ(pass->cycle.alerts_new, 0u);

  std::string file = io::ReadFile(f.dir + "/alerts.ndjson").value();
  EXPECT_EQ(std::count(file.begin(), file.end(), '\n'), 1);
  EXPECT_THAT(file, HasSubstr(R"("runbook":{"id":"detect.console-login-failures","version":"1"})"));
  EXPECT_THAT(file, HasSubstr(R"("dedup_key":"203.0.113.9")"));
  EXPECT_THAT(file, HasSubstr(R"("row_count":5)"));
  EXPECT_THAT(file, HasSubstr("https://tb.example/alerts/"));
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  EXPECT_THAT(out, HasSubstr(R"("severity":"high")"));
  EXPECT_THAT(out, HasSubstr(R"("confirm_rows":[{"eventID":)"));

  // A second monitor on the same state is refused while this one runs.
  Result<std::unique_ptr<Monitor>> second = Monitor::Open(*config, clock, writer);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kResourceExhausted);
}

TEST(MonitorDaemonTest, MissingServiceTokenDeniesDetection) {
  Fixture f;
  FakeClock clock(ParseTimestamp("2024-05-01T12:00:00Z").value());
  MonitorConfig config = LoadMonitorConfig(f.config_path).value();
  config.token_file = f.dir + "/token";
  Result<std::unique_ptr<Monitor>> monitor =
      Monitor::Open(config, clock, [](std::string_view) { return Status::OK(); });
  ASSERT_TRUE(monitor.ok()) << monitor.status().ToString();
  Result<PassReport> pass = (*monitor)->RunPass(true);
  ASSERT_TRUE(pass.ok());
  EXPECT_FALSE(pass->detected);
  ASSERT_EQ(pass->cycle.rule_errors.size(), 1u);
  EXPECT_EQ(pass->cycle.rule_errors[0].code(), StatusCode::kNotFound);
  ASSERT_TRUE(io::WriteFileAtomic(config.token_file, "eyJ.token.x\n", 0600).ok());
  pass = (*monitor)->RunPass(true);
  ASSERT_TRUE(pass.ok());
  EXPECT_TRUE(pass->detected);
}

TEST(MonitorDaemonTest, ServiceTokenIsReReadWhenItChanges) {
  std::string dir = TempDir();
  std::string path = dir + "/token";
  ServiceTokenFile token(path);
  EXPECT_EQ(token.Current().status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(io::WriteFileAtomic(path, "  first-token\n", 0644).ok());
  EXPECT_EQ(token.Current().status().code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(io::WriteFileAtomic(path, "  first-token\n", 0600).ok());
  EXPECT_EQ(token.Current().value(), "first-token");
  EXPECT_EQ(token.Current().value(), "first-token");
  EXPECT_EQ(token.loads(), 1u);
  ASSERT_TRUE(io::WriteFileAtomic(path, "second-token", 0600).ok());  // rotated by rename
  EXPECT_EQ(token.Current().value(), "second-token");
  EXPECT_EQ(token.loads(), 2u);
  ASSERT_TRUE(io::WriteFileAtomic(path, "\n", 0600).ok());
  EXPECT_EQ(token.Current().status().code(), StatusCode::kUnauthenticated);
  ASSERT_TRUE(io::WriteFileAtomic(path, std::string(20000, 'a'), 0600).ok());
  EXPECT_EQ(token.Current().status().code(), StatusCode::kUnauthenticated);
  std::system(("rm -rf " + dir).c_str());
}

TEST(MonitorDaemonTest, RejectsBadConfigsNamingTheField) {
  std::string dir = TempDir();
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/loose.secret", "0123456789abcdef0123", 0644).ok());
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/short.secret", "short", 0600).ok());
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/good.secret", "0123456789abcdef0123", 0600).ok());
  const std::string base = "store: s\nstate_dir: st\nrunbooks: [r]\n";
  struct Case {
    std::string yaml;
    std::string expected;
  } cases[] = {
      {"state_dir: st\nrunbooks: [r]\n", "store: missing"},
      {"store: s\nstate_dir: st\n", "runbooks: at least one detection runbook"},
      {base + "poll_interval: fast\n", "poll_interval: bad duration"},
      {base + "schedule: 0s\n", "schedule: must be > 0"},
      {base + "cron: '61 * * * *'\n", "cron minute"},
      {base + "cron: '* * * * *'\nschedule: 10s\n", "set schedule or cron"},
      {base + "max_attempts: 0\n", "max_attempts: must be an integer"},
      {base + "deliver: [pager]\n", "unknown delivery 'pager'"},
      {base + "deliveries: {x: {type: email}}\n", "deliveries.x.type: must be stdout"},
      {base + "deliveries: {x: {type: file}}\n", "deliveries.x.path: missing"},
      {base + "deliveries: {x: {type: webhook, url: 'https://h.example/x'}}\n",
       "deliveries.x.secret_file: missing"},
      {base + "deliveries: {x: {type: webhook, url: 'https://h.example/x', secret_file: loose.secret}}\n",
       "must not be readable by group or others"},
      {base + "deliveries: {x: {type: webhook, url: 'https://h.example/x', secret_file: short.secret}}\n",
       "at least 16 bytes"},
      {base + "deliveries: {x: {type: webhook, url: 'http://h.example/x', secret_file: good.secret}}\n",
       "must be https://"},
      {base + "watchdirs: [a]\n", "watchdirs: unknown field"},
      {"[1]", "must be a YAML mapping"},
      {"store: [unclosed", "bad YAML"},
  };
  for (const Case& c : cases) {
    Result<MonitorConfig> config = ParseMonitorConfig(c.yaml, "m.yaml", dir);
    ASSERT_FALSE(config.ok()) << c.yaml;
    EXPECT_THAT(config.status().message(), HasSubstr(c.expected)) << c.yaml;
    EXPECT_THAT(config.status().message(), HasSubstr("m.yaml")) << c.yaml;
  }
  Result<MonitorConfig> ok = ParseMonitorConfig(
      base + "cron: '*/5 * * * *'\ndeliveries: {x: {type: slack, url: 'https://h.example/x', "
             "secret_file: good.secret}}\n",
      "m.yaml", dir);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->store, dir + "/s");
  EXPECT_EQ(ok->deliveries[0].webhook.format, WebhookFormat::kSlack);
  EXPECT_EQ(ok->default_deliver, std::vector<std::string>{"x"});
  EXPECT_TRUE(ok->cron.has_value());
  std::system(("rm -rf " + dir).c_str());
}

TEST(MonitorDaemonTest, BadDetectionRunbooksAreReportedWithTheirFile) {
  std::string dir = TempDir();
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/a.yaml", kRunbook).ok());
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/b.yaml", kRunbook).ok());
  Result<std::vector<AlertRule>> rules = LoadDetectionRules({dir}, "");
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(rules.status().message(), HasSubstr("defined twice"));
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/b.yaml", "id: x\nversion: 1\nquery: q\nalert: {severity: loud}\n").ok());
  rules = LoadDetectionRules({dir}, "");
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(rules.status().message(), HasSubstr(dir + "/b.yaml"));
  EXPECT_EQ(LoadDetectionRules({dir + "/none"}, "").status().code(), StatusCode::kNotFound);
  std::system(("rm -rf " + dir).c_str());
}

}  // namespace
}  // namespace trailbook::monitor
