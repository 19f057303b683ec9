#include "monitor/monitor_daemon.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "auth/jwks/key_files.h"
#include "auth/jwt/token_builder.h"
#include "base/timestamp.h"
#include "io/file.h"
#include "monitor/runbook_query_source.h"
#include "snapshot/snapshot_verifier.h"
#include "snapshot/snapshot_writer.h"
#include "sql/exec/query_engine.h"
#include "sql/exec/result_writer.h"
#include "storage/store.h"

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
params:
  start: {type: timestamp, required: true}
  end: {type: timestamp, required: true}
query: |
  SELECT eventID, eventTime, sourceIPAddress AS source_ip, userIdentity.userName AS user_name
  FROM events
  WHERE eventName = 'ConsoleLogin' AND errorMessage = 'Failed authentication'
    AND eventTime BETWEEN :start AND :end
alert:
  severity: high
  threshold: {min_rows: 5, group_by: [source_ip], window: 10m}
  confirm:
    kind: query
    query: |
      SELECT eventID FROM events
      WHERE sourceIPAddress = :source_ip AND eventName = 'ConsoleLogin'
        AND eventTime BETWEEN :window_start AND :window_end
  params: {source_ip: ip}
  suppress_for: 1h
  link: https://tb.example/alerts/{alert_id}
output:
  - {name: eventID}
)";

constexpr char kIssuer[] = "https://tb.test/";

// A monitor directory: detections, a key set with a service token signing key, a snapshot
// key, and monitor.yaml.
struct Fixture {
  std::string dir = TempDir();
  std::string config_path = dir + "/monitor.yaml";
  std::string token_path = dir + "/monitor.token";
  std::unique_ptr<auth::Signer> signer;

  Fixture() {
    EXPECT_TRUE(io::CreateDirectories(dir + "/logs").ok());
    EXPECT_TRUE(io::CreateDirectories(dir + "/detections").ok());
    EXPECT_TRUE(io::WriteFileAtomic(dir + "/detections/burst.yaml", kRunbook).ok());
    EXPECT_TRUE(io::WriteFileAtomic(dir + "/detections/not-a-detection.yaml",
                                    "id: ir.x\nversion: 1\nquery: SELECT 1\n")
                    .ok());
    auto keys = auth::GenerateKeyFiles(dir + "/keys", auth::JwsAlgorithm::kES256, "svc1");
    EXPECT_TRUE(keys.ok()) << keys.status().ToString();
    auto loaded = auth::LoadSigningKeyFile(keys->private_key_path);
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    signer = std::make_unique<auth::Signer>(std::move(loaded).value());
    auto snap = auth::GenerateKeyFiles(dir + "/snapkeys", auth::JwsAlgorithm::kEdDSA, "snap1");
    EXPECT_TRUE(snap.ok()) << snap.status().ToString();
    EXPECT_TRUE(io::WriteFileAtomic(config_path, std::string(R"(store: store
state_dir: state
watch: [logs]
poll_interval: 1s
schedule: 10s
lookback: 15m
runbooks: [detections]
token_file: monitor.token
auth: {jwks: keys/jwks.json, issuer: 'https://tb.test/', algorithms: [ES256]}
snapshot_key: )") + snap->private_key_path + R"(
deliveries:
  file: {type: file, path: alerts.ndjson}
  out: {type: stdout}
deliver: [file, out]
)").ok());
  }
  ~Fixture() { std::system(("rm -rf " + dir).c_str()); }

  // Writes a service token valid at `now_us` for `runbooks`.
  void WriteToken(int64_t now_us, std::vector<std::string> runbooks = {"detect.*"}) {
    auth::TokenSpec spec;
    spec.issuer = kIssuer;
    spec.audiences = {"trailbook"};
    spec.subject = "svc:monitor";
    spec.runbooks = std::move(runbooks);
    spec.scopes = {"runbook:run"};
    spec.issued_at_us = now_us;
    spec.ttl_us = 3600LL * 1'000'000;
    Result<std::string> token = auth::MintToken(spec, *signer);
    ASSERT_TRUE(token.ok()) << token.status().ToString();
    ASSERT_TRUE(io::WriteFileAtomic(token_path, *token + "\n", 0600).ok());
  }

  // Runs `sql` on the store (after the monitor closed it) and returns the first cell.
  std::string Scalar(const std::string& sql) {
    auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadOnly);
    if (!store.ok()) return "open: " + store.status().ToString();
    sql::QueryEngine engine(**store);
    auto result = engine.Execute(sql, {});
    if (!result.ok()) return "query: " + result.status().ToString();
    sql::DataChunk chunk;
    Result<bool> more = (*result)->Next(&chunk);
    if (!more.ok() || !*more || chunk.size == 0) return "no rows";
    return sql::ResultWriter::Text(chunk.columns[0], 0);
  }
};

std::function<Status(std::string_view)> Collect(std::string* out) {
  return [out](std::string_view s) {
    out->append(s);
    return Status::OK();
  };
}

TEST(MonitorDaemonTest, IngestsNewFilesAndDeliversConfirmedAlertsOnce) {
  Fixture f;
  const int64_t t0 = ParseTimestamp("2024-05-01T12:00:00Z").value();
  FakeClock clock(t0 + 5 * 60'000'000LL);
  f.WriteToken(clock.NowMicros());
  Result<MonitorConfig> config = LoadMonitorConfig(f.config_path);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  std::string out;
  Result<std::unique_ptr<Monitor>> monitor = Monitor::Open(*config, clock, Collect(&out));
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
  ASSERT_TRUE(pass->cycle.rule_errors.empty()) << pass->cycle.rule_errors[0].ToString();
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
  // Detection runs: 3 passes; one confirm run.
  EXPECT_EQ((*monitor)->source().runs(), 4u);
  EXPECT_EQ((*monitor)->source().denials(), 0u);

  std::string file = io::ReadFile(f.dir + "/alerts.ndjson").value();
  EXPECT_EQ(std::count(file.begin(), file.end(), '\n'), 1);
  EXPECT_THAT(file, HasSubstr(R"("runbook":{"id":"detect.console-login-failures","version":"1"})"));
  EXPECT_THAT(file, HasSubstr(R"("dedup_key":"203.0.113.9")"));
  EXPECT_THAT(file, HasSubstr(R"("row_count":5)"));
  EXPECT_THAT(file, HasSubstr("https://tb.example/alerts/"));
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  EXPECT_THAT(out, HasSubstr(R"("severity":"high")"));
  EXPECT_THAT(out, HasSubstr(R"("confirm_rows":[{"eventID":)"));

  // The alert carries the id of a signed snapshot of the detection result, which verifies.
  const std::string marker = R"("snapshot_id":")";
  size_t at = file.find(marker);
  ASSERT_NE(at, std::string::npos) << file;
  std::string snapshot_id = file.substr(at + marker.size(), file.find('"', at + marker.size()) -
                                                                 at - marker.size());
  auto trusted = snapshot::LoadTrustedSnapshotKeys(f.dir + "/snapkeys/jwks.json");
  ASSERT_TRUE(trusted.ok()) << trusted.status().ToString();
  snapshot::VerifyOptions verify;
  verify.expected_id = snapshot_id;
  snapshot::VerifyReport report = snapshot::VerifySnapshot(
      snapshot::SnapshotsDir(f.dir + "/store") + "/" + snapshot_id, *trusted, verify);
  ASSERT_TRUE(report.ok()) << report.first_failure()->name << ": " << report.first_failure()->detail;
  ASSERT_TRUE(report.manifest.has_value());

  // A second monitor on the same state is refused while this one runs.
  Result<std::unique_ptr<Monitor>> second = Monitor::Open(*config, clock, Collect(&out));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kResourceExhausted);
  monitor->reset();

  // Every query ran as the service principal and left an audit event in the store.
  EXPECT_EQ(f.Scalar("SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit' AND "
                     "eventName = 'RunRunbook' AND errorCode IS NULL"),
            "4");
  EXPECT_EQ(f.Scalar("SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit' AND "
                     "json_extract_scalar(eventJson, '$.requestParameters.runbookId') = "
                     "'detect.console-login-failures.confirm'"),
            "1");
}

TEST(MonitorDaemonTest, RestartDeliversTheAlertExactlyOnce) {
  Fixture f;
  const int64_t t0 = ParseTimestamp("2024-05-01T12:00:00Z").value();
  FakeClock clock(t0 + 5 * 60'000'000LL);
  f.WriteToken(clock.NowMicros());
  MonitorConfig config = LoadMonitorConfig(f.config_path).value();
  std::string out;
  {
    auto monitor = Monitor::Open(config, clock, Collect(&out));
    ASSERT_TRUE(monitor.ok()) << monitor.status().ToString();
    ASSERT_TRUE((*monitor)->RunPass(true).ok());  // first detection on an empty store
    // The burst is ingested, but the monitor stops before the next detection is due.
    WriteLogFile(f.dir + "/logs/b.json", "203.0.113.9", 6, t0 + 60'000'000LL, 100);
    clock.Advance(1'000'000);
    Result<PassReport> pass = (*monitor)->RunPass(false);
    ASSERT_TRUE(pass.ok());
    EXPECT_EQ(pass->ingest.events_added, 6u);
    EXPECT_FALSE(pass->detected);
  }
  for (int restart = 0; restart < 3; ++restart) {
    clock.Advance(10'000'000);
    auto monitor = Monitor::Open(config, clock, Collect(&out));
    ASSERT_TRUE(monitor.ok()) << monitor.status().ToString();
    Result<PassReport> pass = (*monitor)->RunPass(false);
    ASSERT_TRUE(pass.ok()) << pass.status().ToString();
    ASSERT_TRUE(pass->cycle.rule_errors.empty()) << pass->cycle.rule_errors[0].ToString();
    EXPECT_EQ(pass->ingest.events_added, 0u);  // the ledger remembers b.json
    EXPECT_TRUE(pass->detected);
    EXPECT_EQ(pass->cycle.alerts_new, restart == 0 ? 1u : 0u) << restart;
  }
  std::string file = io::ReadFile(f.dir + "/alerts.ndjson").value();
  EXPECT_EQ(std::count(file.begin(), file.end(), '\n'), 1);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
}

TEST(MonitorDaemonTest, TokenWithoutTheRunbookIsDeniedAndAudited) {
  Fixture f;
  const int64_t t0 = ParseTimestamp("2024-05-01T12:00:00Z").value();
  FakeClock clock(t0 + 5 * 60'000'000LL);
  f.WriteToken(clock.NowMicros(), {"ir.*"});
  MonitorConfig config = LoadMonitorConfig(f.config_path).value();
  std::string out;
  auto monitor = Monitor::Open(config, clock, Collect(&out));
  ASSERT_TRUE(monitor.ok()) << monitor.status().ToString();
  WriteLogFile(f.dir + "/logs/b.json", "203.0.113.9", 6, t0 + 60'000'000LL, 100);
  Result<PassReport> pass = (*monitor)->RunPass(true);
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  ASSERT_EQ(pass->cycle.rule_errors.size(), 1u);
  EXPECT_EQ(pass->cycle.rule_errors[0].code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(pass->cycle.alerts_new, 0u);
  EXPECT_EQ((*monitor)->source().denials(), 1u);
  // A token signed by another key is not accepted either.
  auto other = auth::Signer::Generate(auth::JwsAlgorithm::kES256, std::string("svc1"));
  ASSERT_TRUE(other.ok());
  *f.signer = std::move(other).value();
  f.WriteToken(clock.NowMicros());
  clock.Advance(1'000'000);  // a new mtime for the token file
  pass = (*monitor)->RunPass(true);
  ASSERT_TRUE(pass.ok());
  ASSERT_EQ(pass->cycle.rule_errors.size(), 1u);
  EXPECT_EQ(pass->cycle.rule_errors[0].code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(out, "");
  monitor->reset();
  EXPECT_EQ(f.Scalar("SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit' AND "
                     "eventName = 'RunRunbook' AND errorCode IS NOT NULL"),
            "2");
}

TEST(MonitorDaemonTest, MissingServiceTokenDeniesDetection) {
  Fixture f;
  FakeClock clock(ParseTimestamp("2024-05-01T12:00:00Z").value());
  MonitorConfig config = LoadMonitorConfig(f.config_path).value();
  Result<std::unique_ptr<Monitor>> monitor =
      Monitor::Open(config, clock, [](std::string_view) { return Status::OK(); });
  ASSERT_TRUE(monitor.ok()) << monitor.status().ToString();
  Result<PassReport> pass = (*monitor)->RunPass(true);
  ASSERT_TRUE(pass.ok());
  EXPECT_FALSE(pass->detected);
  ASSERT_EQ(pass->cycle.rule_errors.size(), 1u);
  EXPECT_EQ(pass->cycle.rule_errors[0].code(), StatusCode::kNotFound);
  f.WriteToken(clock.NowMicros());
  pass = (*monitor)->RunPass(true);
  ASSERT_TRUE(pass.ok());
  EXPECT_TRUE(pass->detected);
  EXPECT_TRUE(pass->cycle.rule_errors.empty()) << pass->cycle.rule_errors[0].ToString();
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
  const std::string base =
      "store: s\nstate_dir: st\nrunbooks: [r]\ntoken_file: t\nauth: {jwks: k.json, issuer: i}\n";
  struct Case {
    std::string yaml;
    std::string expected;
  } cases[] = {
      {"state_dir: st\nrunbooks: [r]\n", "store: missing"},
      {"store: s\nstate_dir: st\n", "runbooks: at least one detection runbook"},
      {"store: s\nstate_dir: st\nrunbooks: [r]\nauth: {jwks: k, issuer: i}\n", "token_file: missing"},
      {"store: s\nstate_dir: st\nrunbooks: [r]\ntoken_file: t\n", "auth: missing"},
      {"store: s\nstate_dir: st\nrunbooks: [r]\ntoken_file: t\nauth: {jwks: k}\n",
       "auth.issuer: missing"},
      {"store: s\nstate_dir: st\nrunbooks: [r]\ntoken_file: t\nauth: {jwks: k, issuer: i, aud: x}\n",
       "auth.aud: unknown field"},
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
  Result<DetectionSet> set = LoadDetectionRunbooks({dir}, "https://x/{alert_id}");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->rules.size(), 1u);
  EXPECT_EQ(set->rules[0].link_template, "https://tb.example/alerts/{alert_id}");
  const runbook::Runbook* confirm =
      set->library.Find("detect.console-login-failures.confirm");
  ASSERT_NE(confirm, nullptr);
  EXPECT_EQ(confirm->version, "1");
  ASSERT_NE(confirm->FindParam("source_ip"), nullptr);
  EXPECT_EQ(confirm->FindParam("source_ip")->type.kind, runbook::ParamKind::kIp);
  EXPECT_EQ(confirm->FindParam("window_start")->type.kind, runbook::ParamKind::kTimestamp);

  auto expect_error = [&](const std::string& text, const std::string& expected) {
    ASSERT_TRUE(io::WriteFileAtomic(dir + "/b.yaml", text).ok());
    Result<DetectionSet> bad = LoadDetectionRunbooks({dir}, "");
    ASSERT_FALSE(bad.ok()) << text;
    EXPECT_THAT(bad.status().message(), HasSubstr(dir + "/b.yaml")) << text;
    EXPECT_THAT(bad.status().message(), HasSubstr(expected)) << text;
  };
  expect_error(kRunbook, "defined twice");
  expect_error("id: x\nversion: 1\nquery: q\nalert: {severity: loud}\n", "alert.severity");
  std::string no_window = kRunbook;
  no_window.replace(no_window.find("detect.console"), 6, "other1");
  no_window.replace(no_window.find("end: {type: timestamp"), 21, "end: {type: string");
  expect_error(no_window, "params.end: a detection runbook must declare");
  std::string bad_type = kRunbook;
  bad_type.replace(bad_type.find("detect.console"), 6, "other2");
  bad_type.replace(bad_type.find("{source_ip: ip}"), 15, "{source_ip: ipv9}");
  expect_error(bad_type, "alert.params.source_ip");
  std::string runbook_typo = kRunbook;
  runbook_typo.replace(runbook_typo.find("detect.console"), 6, "other3");
  runbook_typo.replace(runbook_typo.find("title:"), 6, "titel:");
  expect_error(runbook_typo, ":3: titel");  // the runbook loader's line numbers still hold
  EXPECT_EQ(LoadDetectionRunbooks({dir + "/none"}, "").status().code(), StatusCode::kNotFound);
  std::system(("rm -rf " + dir).c_str());
}

TEST(MonitorDaemonTest, WithoutAlertSectionKeepsLineNumbers) {
  EXPECT_EQ(WithoutAlertSection("id: a\nalert:\n  severity: high\n  # note\n\nquery: q\n"),
            "id: a\n\n\n\n\nquery: q\n");
  EXPECT_EQ(WithoutAlertSection("alert: {severity: high}\nid: a"), "\nid: a");
  EXPECT_EQ(WithoutAlertSection("id: a\nalerts: x\n"), "id: a\nalerts: x\n");
}

}  // namespace
}  // namespace trailbook::monitor
