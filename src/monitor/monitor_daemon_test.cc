#include "monitor/monitor_daemon.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <thread>

#include "auth/jwks/key_files.h"
#include "audit/audit_verifier.h"
#include "auth/jwt/token_builder.h"
#include "base/timestamp.h"
#include "io/file.h"
#include "monitor/runbook_query_source.h"
#include "snapshot/snapshot_verifier.h"
#include "snapshot/snapshot_writer.h"
#include "sql/exec/query_engine.h"
#include "sql/exec/result_writer.h"
#include "storage/audit_journal.h"
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

// Detection reads only the segments committed since the previous run (the range is in the
// audit event's injected constraints), yet a file delivered late, with events older than
// those already read, completes the burst. The evidence snapshot's creation is audited, and
// the monitor writes signed audit digests at its interval and on Close.
TEST(MonitorDaemonTest, IncrementalDetectionLateFileEvidenceAndDigests) {
  Fixture f;
  auto digest_key = auth::GenerateKeyFiles(f.dir + "/auditkeys", auth::JwsAlgorithm::kEdDSA, "aud1");
  ASSERT_TRUE(digest_key.ok()) << digest_key.status().ToString();
  std::string yaml = io::ReadFile(f.config_path).value();
  yaml += "audit_digest_key: " + digest_key->private_key_path + "\naudit_digest_interval: 30s\n";
  ASSERT_TRUE(io::WriteFileAtomic(f.config_path, yaml).ok());
  const int64_t t0 = ParseTimestamp("2024-05-01T12:00:00Z").value();
  FakeClock clock(t0 + 5 * 60'000'000LL);
  f.WriteToken(clock.NowMicros());
  MonitorConfig config = LoadMonitorConfig(f.config_path).value();
  EXPECT_EQ(config.audit_digest_interval_us, 30'000'000);
  std::string out;
  Result<std::unique_ptr<Monitor>> monitor = Monitor::Open(config, clock, Collect(&out));
  ASSERT_TRUE(monitor.ok()) << monitor.status().ToString();

  // 3 failures at t0 (below the threshold of 5), then 2 more stamped two minutes earlier,
  // delivered in a later file: 5 within the 10 minute window.
  WriteLogFile(f.dir + "/logs/a.json", "203.0.113.7", 3, t0, 0);
  Result<PassReport> pass = (*monitor)->RunPass(true);
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  ASSERT_TRUE(pass->cycle.rule_errors.empty()) << pass->cycle.rule_errors[0].ToString();
  EXPECT_EQ(pass->cycle.alerts_new, 0u);
  EXPECT_EQ(pass->cycle.rows_new, 3u);
  EXPECT_FALSE(pass->digest.has_value());
  WriteLogFile(f.dir + "/logs/late.json", "203.0.113.7", 2, t0 - 2 * 60'000'000LL, 50);
  clock.Advance(10'000'000);
  pass = (*monitor)->RunPass(false);
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  ASSERT_TRUE(pass->cycle.rule_errors.empty()) << pass->cycle.rule_errors[0].ToString();
  EXPECT_EQ(pass->cycle.rows_new, 2u);  // only the late file's rows were read
  EXPECT_EQ(pass->cycle.alerts_new, 1u);
  // Nothing ingested since: the detection query does not run at all.
  const uint64_t runs = (*monitor)->source().runs();
  clock.Advance(10'000'000);
  pass = (*monitor)->RunPass(false);
  ASSERT_TRUE(pass.ok());
  EXPECT_TRUE(pass->detected);
  EXPECT_EQ((*monitor)->source().runs(), runs);
  EXPECT_EQ(pass->cycle.alerts_new, 0u);

  // The interval has passed: a digest is written in this pass.
  clock.Advance(20'000'000);
  pass = (*monitor)->RunPass(false);
  ASSERT_TRUE(pass.ok());
  ASSERT_TRUE(pass->digest.has_value());
  ASSERT_TRUE(pass->digest->ok()) << pass->digest->status().ToString();
  EXPECT_TRUE((*pass->digest)->written);
  // More audited work, then shutdown: the final digest covers it.
  WriteLogFile(f.dir + "/logs/c.json", "198.51.100.30", 1, t0 + 60'000'000LL, 90);
  clock.Advance(10'000'000);
  pass = (*monitor)->RunPass(false);
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->cycle.rows_new, 1u);
  ASSERT_TRUE((*monitor)->Close().ok());
  monitor->reset();

  Result<audit::AuditVerifyReport> verified = audit::VerifyAuditTrail(f.dir + "/store", {});
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_TRUE(verified->ok()) << verified->problems[0].kind;
  EXPECT_EQ(verified->digests, 2u);
  EXPECT_EQ(verified->covered_through, verified->last_sequence);

  // Each detection run scanned only the segments committed since the previous one.
  auto store = storage::Store::Open(f.dir + "/store", storage::Store::Mode::kReadOnly);
  ASSERT_TRUE(store.ok());
  std::vector<uint64_t> ids;
  for (const storage::SegmentInfo& info : (*store)->Snapshot()->infos()) {
    if ((info.id & storage::kJournalSegmentIdBit) == 0) ids.push_back(info.id);
  }
  std::sort(ids.begin(), ids.end());
  ASSERT_EQ(ids.size(), 3u);  // a.json, late.json, c.json
  const std::string constraints_sql =
      "SELECT json_extract_scalar(eventJson, '$.additionalEventData.injectedConstraints') AS c "
      "FROM events WHERE eventSource = 'trailbook.audit' AND eventName = 'RunRunbook' AND "
      "json_extract_scalar(eventJson, '$.requestParameters.runbookId') = "
      "'detect.console-login-failures' AND json_extract_scalar(eventJson, "
      "'$.additionalEventData.injectedConstraints') LIKE '%segmentId%' ORDER BY eventTime";
  sql::QueryEngine engine(**store);
  auto result = engine.Execute(constraints_sql, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<std::string> ranges;
  sql::DataChunk chunk;
  for (Result<bool> more = (*result)->Next(&chunk); more.ok() && *more;
       more = (*result)->Next(&chunk)) {
    for (size_t r = 0; r < chunk.size; ++r) ranges.push_back(sql::ResultWriter::Text(chunk.columns[0], r));
  }
  ASSERT_EQ(ranges.size(), 3u);
  EXPECT_THAT(ranges[0], HasSubstr("segmentId > 0 AND segmentId <= " + std::to_string(ids[0])));
  EXPECT_THAT(ranges[1], HasSubstr("segmentId > " + std::to_string(ids[0]) +
                                   " AND segmentId <= " + std::to_string(ids[1])));
  EXPECT_THAT(ranges[2], HasSubstr("segmentId > " + std::to_string(ids[1]) +
                                   " AND segmentId <= " + std::to_string(ids[2])));

  // The scan constraint itself: only the segments in the range are read.
  sql::QueryOptions only_late;
  only_late.constraints.after_segment_id = ids[0];
  only_late.constraints.through_segment_id = ids[1];
  auto late_rows = engine.Execute(
      "SELECT count(*) FROM events WHERE eventSource = 'signin.amazonaws.com'", only_late);
  ASSERT_TRUE(late_rows.ok()) << late_rows.status().ToString();
  ASSERT_TRUE((*late_rows)->Next(&chunk).value());
  EXPECT_EQ(sql::ResultWriter::Text(chunk.columns[0], 0), "2");
  // Audit events still in the journal tail are never part of a segment range.
  sql::QueryOptions everything;
  everything.constraints.after_segment_id = 0;
  auto audit_rows = engine.Execute(
      "SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit'", everything);
  ASSERT_TRUE(audit_rows.ok()) << audit_rows.status().ToString();
  ASSERT_TRUE((*audit_rows)->Next(&chunk).value());
  EXPECT_EQ(sql::ResultWriter::Text(chunk.columns[0], 0), "0");
  EXPECT_NE(f.Scalar("SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit'"), "0");

  // The alert's evidence snapshot was created through SnapshotAccess: audited, and it is the
  // detection query over the alert's window (all 5 rows).
  std::string file = io::ReadFile(f.dir + "/alerts.ndjson").value();
  const std::string marker = R"("snapshot_id":")";
  size_t at = file.find(marker);
  ASSERT_NE(at, std::string::npos) << file;
  std::string snapshot_id =
      file.substr(at + marker.size(), file.find('"', at + marker.size()) - at - marker.size());
  EXPECT_EQ(f.Scalar("SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit' AND "
                     "eventName = 'CreateSnapshot' AND userAgent = 'trailbook-monitor' AND "
                     "json_extract_scalar(eventJson, '$.requestParameters.snapshotId') = '" +
                     snapshot_id + "'"),
            "1");
  auto trusted = snapshot::LoadTrustedSnapshotKeys(f.dir + "/snapkeys/jwks.json");
  ASSERT_TRUE(trusted.ok()) << trusted.status().ToString();
  snapshot::VerifyOptions verify;
  verify.expected_id = snapshot_id;
  snapshot::VerifyReport report = snapshot::VerifySnapshot(
      snapshot::SnapshotsDir(f.dir + "/store") + "/" + snapshot_id, *trusted, verify);
  ASSERT_TRUE(report.ok()) << report.first_failure()->name << ": " << report.first_failure()->detail;
  ASSERT_TRUE(report.manifest.has_value());
  EXPECT_EQ(report.manifest->rows, 5u);
}

TEST(MonitorDaemonTest, UnusableAuditDigestKeyFailsAtOpen) {
  Fixture f;
  std::string yaml = io::ReadFile(f.config_path).value();
  ASSERT_TRUE(io::WriteFileAtomic(f.config_path, yaml + "audit_digest_key: missing.key.pem\n").ok());
  MonitorConfig config = LoadMonitorConfig(f.config_path).value();
  FakeClock clock(ParseTimestamp("2024-05-01T12:00:00Z").value());
  Result<std::unique_ptr<Monitor>> monitor =
      Monitor::Open(config, clock, [](std::string_view) { return Status::OK(); });
  ASSERT_FALSE(monitor.ok());
  EXPECT_THAT(monitor.status().message(), HasSubstr("audit digest key"));
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

// Simulated time running `kSpeedup` times faster than the machine's monotonic clock from a
// fixed origin; shared by forked processes (CLOCK_MONOTONIC is system-wide), so a restarted
// monitor sees time continue rather than start over.
class ScaledClock : public Clock {
 public:
  static constexpr int64_t kSpeedup = 600;  // one real second = ten simulated minutes
  ScaledClock(int64_t sim_origin_us, int64_t real_origin_us)
      : sim_origin_us_(sim_origin_us), real_origin_us_(real_origin_us) {}
  int64_t NowMicros() const override {
    return sim_origin_us_ + (SystemClock().MonotonicMicros() - real_origin_us_) * kSpeedup;
  }
  int64_t MonotonicMicros() const override { return NowMicros(); }

 private:
  int64_t sim_origin_us_;
  int64_t real_origin_us_;
};

// One monitor process: runs until simulated time passes `end_us` with nothing left to
// deliver. Exits 0 on success, 3 on any error.
[[noreturn]] void MonitorProcess(const std::string& config_path, const Clock& clock,
                                 int64_t end_us) {
  Result<MonitorConfig> config = LoadMonitorConfig(config_path);
  if (!config.ok()) _exit(3);
  Result<std::unique_ptr<Monitor>> m =
      Monitor::Open(*config, clock, [](std::string_view) { return Status::OK(); });
  if (!m.ok()) _exit(3);
  std::atomic<bool> stop{false};
  Status s = (*m)->Run(stop, [&](const PassReport& pass) {
    if (pass.detected && clock.NowMicros() > end_us && (*m)->state().outbox.empty()) {
      stop = true;
    }
  });
  _exit(s.ok() ? 0 : 3);
}

// The daemon end to end under SIGKILL: log files arrive over simulated time (bursts from 8
// IPs, noise from 8 others) while the monitor process is killed at random points, restarted
// and finally left to finish. The alerts file must hold exactly the 8 bursts, once each.
TEST(MonitorDaemonTest, KilledAndRestartedDaemonDeliversEachAlertExactlyOnce) {
  Fixture f;
  const int64_t t0 = ParseTimestamp("2024-05-01T12:00:00Z").value();
  const ScaledClock clock(t0, SystemClock().MonotonicMicros());
  constexpr int kBursts = 8;
  const int64_t kStep = 2 * 60'000'000LL;  // a new file every 2 simulated minutes
  const int64_t end_us = t0 + (kBursts + 5) * kStep;
  std::mt19937 rng(11);
  int kills = 0;
  int dropped = 0;
  bool done = false;
  for (int restart = 0; restart < 500 && !done; ++restart) {
    f.WriteToken(clock.NowMicros());  // an agent keeps the short-lived token fresh
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) MonitorProcess(f.config_path, clock, end_us);
    const bool last = clock.NowMicros() > end_us;
    const auto kill_at = std::chrono::steady_clock::now() +
                         std::chrono::milliseconds(std::uniform_int_distribution<int>(5, 150)(rng));
    int status = 0;
    pid_t waited = 0;
    while (waited == 0) {
      while (dropped < kBursts && clock.NowMicros() >= t0 + dropped * kStep) {
        const int64_t at = t0 + dropped * kStep + 30'000'000LL;
        WriteLogFile(f.dir + "/logs/burst-" + std::to_string(dropped) + ".json",
                     "203.0.113." + std::to_string(dropped + 1), 6, at, 1000 * dropped);
        WriteLogFile(f.dir + "/logs/noise-" + std::to_string(dropped) + ".json",
                     "198.51.100." + std::to_string(dropped + 1), 4, at, 1000 * dropped + 500);
        ++dropped;
      }
      if (!last && std::chrono::steady_clock::now() >= kill_at) kill(pid, SIGKILL);
      if (last && clock.NowMicros() > end_us + 3600'000'000LL * 10) kill(pid, SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      waited = waitpid(pid, &status, WNOHANG);
      ASSERT_GE(waited, 0);
    }
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0) << "monitor process failed";
      done = true;
    } else {
      ASSERT_FALSE(last) << "the final monitor process did not finish";
      ++kills;
    }
  }
  ASSERT_TRUE(done);
  EXPECT_GE(kills, 5);
  RecordProperty("kills", kills);
  std::string file = io::ReadFile(f.dir + "/alerts.ndjson").value();
  std::multiset<std::string> keys;
  std::set<std::string> ids;
  const std::string key_marker = R"("dedup_key":")";
  const std::string id_marker = R"("delivery_id":")";
  for (size_t pos = 0; (pos = file.find(key_marker, pos)) != std::string::npos; ++pos) {
    size_t start = pos + key_marker.size();
    keys.insert(file.substr(start, file.find('"', start) - start));
  }
  for (size_t pos = 0; (pos = file.find(id_marker, pos)) != std::string::npos; ++pos) {
    size_t start = pos + id_marker.size();
    ids.insert(file.substr(start, file.find('"', start) - start));
  }
  std::multiset<std::string> expected;
  for (int i = 1; i <= kBursts; ++i) expected.insert("203.0.113." + std::to_string(i));
  EXPECT_EQ(keys, expected) << file;
  EXPECT_EQ(ids.size(), static_cast<size_t>(kBursts));
  EXPECT_EQ(std::count(file.begin(), file.end(), '\n'), kBursts);
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
  EXPECT_EQ(pass->cycle.rule_errors[0].code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(pass->cycle.rule_errors[0].message(), HasSubstr("monitor.token"));
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
      {base + "poll_interval: fast\n", "poll_interval: duration \"fast\" must be <n>s"},
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
      {base + "audit_digest_interval: 30s\n", "audit_digest_interval: needs audit_digest_key"},
      {base + "audit_digest_key: a.key\naudit_digest_interval: soon\n",
       "audit_digest_interval: duration \"soon\" must be"},
      {base + "dedup_keys: 10\n", "dedup_keys: must be an integer in [1000"},
      {base + "dedup_bucket: 7s\n", "dedup_bucket: must divide a day"},
      {base + "dedup_bucket: soon\n", "dedup_bucket: duration \"soon\" must be"},
      {base + "dictionary_cache_mb: 0\n", "dictionary_cache_mb: must be an integer"},
      {base + "max_keys_per_rule: 0\n", "max_keys_per_rule: must be an integer"},
      {base + "max_rows_per_rule: many\n", "max_rows_per_rule: must be an integer"},
      {base + "max_counts_per_rule: 0\n", "max_counts_per_rule: must be an integer"},
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
  EXPECT_EQ(ok->dedup_bucket_us, 60'000'000);  // the monitor's defaults
  EXPECT_EQ(ok->dedup_keys, 8u << 20);
  Result<MonitorConfig> bounds = ParseMonitorConfig(
      base + "dedup_keys: 2000000\ndedup_bucket: 5m\ndictionary_cache_mb: 16\n"
             "max_keys_per_rule: 500\nmax_rows_per_rule: 9000\nmax_counts_per_rule: 7000\n", "m.yaml", dir);
  ASSERT_TRUE(bounds.ok()) << bounds.status().ToString();
  EXPECT_EQ(bounds->dedup_keys, 2'000'000u);
  EXPECT_EQ(bounds->dedup_bucket_us, 300'000'000);
  EXPECT_EQ(bounds->dictionary_cache_mb, 16u);
  EXPECT_EQ(bounds->max_keys_per_rule, 500u);
  EXPECT_EQ(bounds->max_rows_per_rule, 9000u);
  EXPECT_EQ(bounds->max_counts_per_rule, 7000u);
  EXPECT_EQ(ok->max_counts_per_rule, 200'000u);
  EXPECT_EQ(ok->max_keys_per_rule, 20'000u);
  EXPECT_EQ(ok->max_rows_per_rule, 20'000u);
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
