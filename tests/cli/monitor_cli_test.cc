// End-to-end tests of `trailbook monitor --once` through the binary: a confirmed alert on
// stdout as one NDJSON line and exactly once across runs, exit codes for a bad config (2),
// a missing service token (3, no alert) and a token without the runbook (4), and the
// audit events every run leaves.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/timestamp.h"
#include "io/file.h"

#ifndef TB_CLI_PATH
#error "TB_CLI_PATH must point at the trailbook binary"
#endif

namespace trailbook {
namespace {

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout only
};

// Runs `trailbook <args>`, keeping stdout (stderr goes to `err_file`).
CliResult Cli(const std::string& args, const std::string& err_file = "/dev/null") {
  std::string command = std::string(TB_CLI_PATH) + " " + args + " 2>" + err_file;
  CliResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) result.out.append(buf.data(), n);
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

constexpr char kDetection[] = R"(id: detect.console-login-failures
version: "1.0.0"
title: Console login failures from one source IP
params:
  start: {type: timestamp, required: true}
  end: {type: timestamp, required: true}
query: |
  SELECT eventID, eventTime, sourceIPAddress AS source_ip
  FROM events
  WHERE eventName = 'ConsoleLogin' AND errorMessage = 'Failed authentication'
    AND eventTime BETWEEN :start AND :end
alert:
  severity: high
  threshold: {min_rows: 5, group_by: [source_ip], window: 10m}
  suppress_for: 1h
)";

// A log file of `n` failed console logins from `ip` in the last minute, event ids from
// `first_id` (real time: the
// binary runs on the system clock).
std::string Burst(const std::string& ip, int n, int first_id) {
  const int64_t now = SystemClock().NowMicros();
  std::string json = "{\"Records\":[";
  for (int i = 0; i < n; ++i) {
    if (i > 0) json += ",";
    json += R"({"eventVersion":"1.08","userIdentity":{"type":"IAMUser","userName":"alice","accountId":"111122223333"},"eventTime":")" +
            FormatTimestamp(now - (60 - i * 5) * 1'000'000LL) +
            R"(","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":")" +
            ip + R"(","errorMessage":"Failed authentication","eventID":"00000000-0000-4000-8000-)" +
            std::to_string(100000000000 + first_id + i) +
            R"(","eventType":"AwsConsoleSignIn","recipientAccountId":"111122223333"})";
  }
  return json + "]}";
}

class MonitorCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tb_monitor_cli_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ASSERT_TRUE(io::CreateDirectories(dir_ + "/logs").ok());
    ASSERT_TRUE(io::CreateDirectories(dir_ + "/detections").ok());
    ASSERT_TRUE(io::WriteFileAtomic(dir_ + "/detections/burst.yaml", kDetection).ok());
    ASSERT_EQ(Cli("keygen --alg ES256 --kid svc1 --out " + dir_ + "/keys").exit_code, 0);
    ASSERT_TRUE(io::WriteFileAtomic(dir_ + "/monitor.yaml", R"(store: store
state_dir: state
watch: [logs]
runbooks: [detections]
token_file: monitor.token
auth: {jwks: keys/jwks.json, issuer: 'https://tb.test/'}
)").ok());
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  // Mints a 10-minute token for `sub` with the given extra `token mint` flags; "" on failure.
  std::string Mint(const std::string& sub, const std::string& flags) {
    CliResult token = Cli("token mint --key " + dir_ + "/keys/svc1.key.pem --iss https://tb.test/ "
                          "--sub " + sub + " --ttl 10m " + flags);
    EXPECT_EQ(token.exit_code, 0);
    if (token.exit_code != 0) return "";
    return token.out.substr(0, token.out.find_last_not_of('\n') + 1);
  }

  void MintToken(const std::string& runbooks) {
    std::string token = Mint("svc:monitor", "--runbooks '" + runbooks + "'");
    ASSERT_FALSE(token.empty());
    ASSERT_TRUE(io::WriteFileAtomic(dir_ + "/monitor.token", token + "\n", 0600).ok());
  }

  std::string Once() { return "monitor --once --config " + dir_ + "/monitor.yaml"; }

  std::string dir_;
};

TEST_F(MonitorCliTest, OnceDeliversAConfirmedAlertExactlyOnce) {
  MintToken("detect.*");
  ASSERT_TRUE(io::WriteFileAtomic(dir_ + "/logs/noise.json", Burst("198.51.100.4", 4, 0)).ok());
  CliResult first = Cli(Once());
  EXPECT_EQ(first.exit_code, 0);
  EXPECT_EQ(first.out, "");
  ASSERT_TRUE(io::WriteFileAtomic(dir_ + "/logs/burst.json", Burst("203.0.113.9", 6, 100)).ok());
  CliResult second = Cli(Once());
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_EQ(std::count(second.out.begin(), second.out.end(), '\n'), 1) << second.out;
  EXPECT_NE(second.out.find(R"("dedup_key":"203.0.113.9")"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find(R"("runbook":{"id":"detect.console-login-failures","version":"1.0.0"})"),
            std::string::npos);
  CliResult third = Cli(Once());
  EXPECT_EQ(third.exit_code, 0);
  EXPECT_EQ(third.out, "");  // suppressed: the same incident pages once
  // Three runs, two audited detection runs: detection is incremental, so the third run,
  // with nothing ingested since the second, runs no query.
  // Reading the audit trail takes an investigator's token with query:adhoc and audit:read.
  std::string reader_token = Mint("investigator", "--runbooks 'audit.*' --scope 'query:adhoc audit:read'");
  ASSERT_FALSE(reader_token.empty());
  CliResult audit = Cli("query --jwks " + dir_ + "/keys/jwks.json --issuer https://tb.test/ --token " +
                        reader_token + " --store " + dir_ + "/store --format csv \"SELECT count(*) FROM events "
                        "WHERE eventSource = 'trailbook.audit' AND userAgent = 'trailbook-monitor' "
                        "AND errorCode IS NULL\"");
  EXPECT_EQ(audit.exit_code, 0);
  EXPECT_NE(audit.out.find("\n2"), std::string::npos) << audit.out;
}

// With audit_digest_key, `--once` ends with a signed digest covering its audit events.
TEST_F(MonitorCliTest, OnceWritesTheFinalAuditDigest) {
  MintToken("detect.*");
  ASSERT_EQ(Cli("keygen --alg EdDSA --kid aud1 --out " + dir_ + "/auditkeys").exit_code, 0);
  std::string yaml = io::ReadFile(dir_ + "/monitor.yaml").value();
  ASSERT_TRUE(io::WriteFileAtomic(dir_ + "/monitor.yaml",
                                  yaml + "audit_digest_key: auditkeys/aud1.key.pem\n").ok());
  ASSERT_TRUE(io::WriteFileAtomic(dir_ + "/logs/noise.json", Burst("198.51.100.4", 4, 0)).ok());
  EXPECT_EQ(Cli(Once()).exit_code, 0);
  Result<std::vector<std::string>> digests = io::ListFilesRecursive(dir_ + "/store/audit/digests");
  ASSERT_TRUE(digests.ok()) << digests.status().ToString();
  ASSERT_EQ(digests->size(), 1u);
  EXPECT_NE((*digests)[0].find("digest-00000000000000000001.json"), std::string::npos)
      << (*digests)[0];
  // A key that does not exist: the monitor refuses to start.
  ASSERT_TRUE(io::WriteFileAtomic(dir_ + "/monitor.yaml",
                                  yaml + "audit_digest_key: auditkeys/none.key.pem\n").ok());
  EXPECT_NE(Cli(Once()).exit_code, 0);
}

TEST_F(MonitorCliTest, ExitCodesForBadConfigMissingTokenAndDeniedRunbook) {
  ASSERT_TRUE(io::WriteFileAtomic(dir_ + "/bad.yaml", "store: s\nstate_dir: st\nrunbook: [r]\n").ok());
  const std::string err = dir_ + "/stderr.txt";
  CliResult bad = Cli("monitor --once --config " + dir_ + "/bad.yaml", err);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(io::ReadFile(err).value().find("runbook: unknown field"), std::string::npos)
      << io::ReadFile(err).value();

  ASSERT_TRUE(io::WriteFileAtomic(dir_ + "/logs/burst.json", Burst("203.0.113.9", 6, 100)).ok());
  CliResult no_token = Cli(Once(), err);
  EXPECT_EQ(no_token.exit_code, 3);  // no usable service token: unauthenticated
  EXPECT_EQ(no_token.out, "");
  EXPECT_NE(io::ReadFile(err).value().find("service token"), std::string::npos);

  MintToken("ir.*");
  CliResult denied = Cli(Once(), err);
  EXPECT_EQ(denied.exit_code, 4);
  EXPECT_EQ(denied.out, "");
  EXPECT_NE(io::ReadFile(err).value().find("not allowed"), std::string::npos)
      << io::ReadFile(err).value();
}

}  // namespace
}  // namespace trailbook
