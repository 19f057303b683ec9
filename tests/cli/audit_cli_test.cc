// End-to-end tests of `trailbook audit verify|digest|export` through the binary: exit codes
// (0, 2 usage, 9 verify failed), the named first bad sequence, key-file mode refusal, and
// an export that `trailbook ingest` reads back into a fresh store.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>
#include <utility>

#include "audit/audit_log.h"
#include "audit/testing/audit_test_support.h"
#include "io/file.h"

#ifndef TB_CLI_PATH
#error "TB_CLI_PATH must point at the trailbook binary"
#endif

namespace trailbook {
namespace {

using audit::testing::Counts;
using audit::testing::TempDir;

struct CliResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs `command` through the shell and returns its exit code and output.
CliResult Shell(const std::string& shell_command) {
  std::string command = "(" + shell_command + ") 2>&1";
  CliResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// Runs `trailbook <args>`.
CliResult Cli(const std::string& args) { return Shell(std::string(TB_CLI_PATH) + " " + args); }

// A store with `n` audit events, a digest key at `<store>/../keys/d1.key.pem`, and a digest
// after every 3 events (written through the CLI).
struct Trail {
  std::string store;
  std::string key;
};

Trail MakeTrail(int n) {
  Trail t;
  std::string root = TempDir();
  t.store = root + "/store";
  t.key = root + "/keys/d1.key.pem";
  CliResult keygen = Cli("keygen --alg EdDSA --kid d1 --out " + root + "/keys");
  EXPECT_EQ(keygen.exit_code, 0) << keygen.output;
  auto log = audit::AuditLog::Open(t.store, {});
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  if (!log.ok()) return t;
  for (int i = 1; i <= n; ++i) {
    EXPECT_TRUE((*log)->Append(audit::testing::Event(i)).ok());
    if (i % 3 == 0) {
      CliResult digest = Cli("audit digest --store " + t.store + " --key " + t.key);
      EXPECT_EQ(digest.exit_code, 0) << digest.output;
    }
  }
  return t;
}

TEST(AuditCliTest, VerifyPassesOnAnIntactTrail) {
  Trail t = MakeTrail(7);
  CliResult r = Cli("audit verify --store " + t.store);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("audit events: 7"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("sequences 7..7 are not covered"), std::string::npos) << r.output;
  CliResult json = Cli("audit verify --json --store " + t.store);
  EXPECT_EQ(json.exit_code, 0) << json.output;
  EXPECT_NE(json.output.find("\"ok\": true"), std::string::npos) << json.output;
}

TEST(AuditCliTest, VerifyExitsNineAndNamesTheFirstBadSequence) {
  Trail t = MakeTrail(9);
  // Deleting the middle digest (sequences 4..6) breaks the digest chain at sequence 4.
  ASSERT_EQ(::unlink((t.store + "/audit/digests/digest-00000000000000000006.json").c_str()), 0);
  CliResult r = Cli("audit verify --store " + t.store);
  EXPECT_EQ(r.exit_code, 9) << r.output;
  EXPECT_NE(r.output.find("first bad sequence: 4"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("digest-missing"), std::string::npos) << r.output;
  CliResult json = Cli("audit verify --json --store " + t.store);
  EXPECT_EQ(json.exit_code, 9);
  EXPECT_NE(json.output.find("\"first_bad_sequence\": 4"), std::string::npos) << json.output;
}

TEST(AuditCliTest, BadTimeIsAUsageError) {
  Trail t = MakeTrail(1);
  CliResult r = Cli("audit verify --from yesterday --store " + t.store);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("not a timestamp: yesterday"), std::string::npos) << r.output;
  r = Cli("audit export --to soon --store " + t.store + " " + TempDir());
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

TEST(AuditCliTest, DigestRefusesAKeyReadableByOthers) {
  Trail t = MakeTrail(2);
  ASSERT_EQ(::chmod(t.key.c_str(), 0644), 0);
  CliResult r = Cli("audit digest --store " + t.store + " --key " + t.key);
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("0600"), std::string::npos) << r.output;
  EXPECT_FALSE(io::Exists(t.store + "/audit/digests/digest-00000000000000000002.json"));
}

TEST(AuditCliTest, ExportIsReingestible) {
  Trail t = MakeTrail(6);
  std::string out = TempDir();
  CliResult r = Cli("audit export --store " + t.store + " " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("exported 6 audit events"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("2 digests"), std::string::npos) << r.output;
  std::string copy = TempDir() + "/copy";
  CliResult ingest = Cli("ingest --no-progress --store " + copy + " " + out);
  ASSERT_EQ(ingest.exit_code, 0) << ingest.output;
  EXPECT_EQ(Counts(copy), audit::testing::Both(6));
}

// The recipe in docs/format/audit.md (bash, coreutils, gzip, sed, grep, openssl; no
// trailbook code) verifies an export, and fails on a modified event or a forged digest.
TEST(AuditCliTest, ThirdPartyRecipeVerifiesAnExport) {
  Trail t = MakeTrail(7);
  ASSERT_EQ(Cli("audit digest --store " + t.store + " --key " + t.key).exit_code, 0);
  std::string jwks = t.key.substr(0, t.key.rfind('/')) + "/jwks.json";
  std::string recipe = "bash docs/format/audit_verify.sh ";
  auto export_to = [&](const std::string& out) {
    CliResult r = Cli("audit export --store " + t.store + " " + out);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  };
  std::string out = TempDir();
  export_to(out);
  CliResult ok = Shell(recipe + out + " " + jwks);
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("chain: 7 events linked"), std::string::npos) << ok.output;
  EXPECT_NE(ok.output.find("digests: 3 verified, events signed through sequence 7"),
            std::string::npos)
      << ok.output;

  // Event 2 edited in the exported file: the link from event 3 breaks.
  CliResult edit = Shell("cd " + out + " && f=$(find . -path '*/CloudTrail/*' -name '*.gz') && "
                         "gzip -dc $f | sed 's/\"user2\"/\"userZ\"/' | gzip > x && mv x $f");
  ASSERT_EQ(edit.exit_code, 0) << edit.output;
  CliResult bad = Shell(recipe + out + " " + jwks);
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("FAIL: sequence 3: previousEventHash"), std::string::npos)
      << bad.output;

  // A digest re-signed with a key the verifier does not trust.
  std::string forged_out = TempDir();
  export_to(forged_out);
  std::string root = TempDir();
  ASSERT_EQ(Cli("keygen --alg EdDSA --kid d1 --out " + root).exit_code, 0);
  CliResult other = Shell(recipe + forged_out + " " + root + "/jwks.json");
  EXPECT_EQ(other.exit_code, 1) << other.output;
  EXPECT_NE(other.output.find("FAIL: digest 1..3: signature does not verify"), std::string::npos)
      << other.output;
}

TEST(AuditCliTest, ExportWithoutAuditEventsIsNotFound) {
  std::string store = TempDir();
  CliResult r = Cli("audit export --store " + store + " " + TempDir());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("no audit journal"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace trailbook
