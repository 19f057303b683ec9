#include "server/serve_config.h"

#include <gtest/gtest.h>

namespace trailbook::server {
namespace {

TEST(ServeConfigTest, ReadsEverySectionOfTrailbookYaml) {
  ServeConfig config;
  std::string yaml = R"(
store: /var/lib/trailbook
runbooks: /etc/trailbook/runbooks
jwks: keys/jwks.json
issuer: https://trailbook.example/
audience: [trailbook, trailbook-api]
algorithms: [ES256]
issuers:
  - {issuer: https://idp.example/, jwks: https://idp.example/jwks.json, audiences: [api], typ: [at+jwt]}
snapshot_key: keys/snap.key.pem
audit_digest_key: keys/audit.key.pem
audit_digest_interval_s: 60
audit_fold_interval_s: 0
server:
  listen: 0.0.0.0:9000
  limits: {max_body_bytes: 2048}
)";
  ASSERT_TRUE(ApplyServeYaml(yaml, "trailbook.yaml", &config).ok());
  EXPECT_EQ(config.store_dir, "/var/lib/trailbook");
  EXPECT_EQ(config.runbooks_dir, "/etc/trailbook/runbooks");
  ASSERT_EQ(config.issuers.size(), 2u);
  EXPECT_EQ(config.issuers[0].issuer, "https://trailbook.example/");
  EXPECT_EQ(config.issuers[0].audiences.size(), 2u);
  EXPECT_EQ(config.issuers[0].algorithms, std::vector<std::string>{"ES256"});
  EXPECT_EQ(config.issuers[1].jwks, "https://idp.example/jwks.json");
  EXPECT_EQ(config.issuers[1].typ, std::vector<std::string>{"at+jwt"});
  EXPECT_EQ(config.snapshot_key_file, "keys/snap.key.pem");
  EXPECT_EQ(config.audit_digest_interval.count(), 60);
  EXPECT_EQ(config.audit_fold_interval.count(), 0);  // 0: never fold
  EXPECT_EQ(config.server.port, 9000);
  EXPECT_EQ(config.server.limits.max_body_bytes, 2048u);
  EXPECT_TRUE(ValidateServeConfig(config).ok());
}

TEST(ServeConfigTest, RejectsTyposMissingKeysAndBadLimits) {
  struct Case {
    std::string yaml;
    std::string expect;
  } cases[] = {
      {"stor: x\n", "t.yaml:1: stor: unknown key"},
      {"jwks: k.json\n", "jwks and issuer go together"},
      {"issuers:\n  - {issuer: x}\n", "needs issuer and jwks"},
      {"issuers:\n  - {issuer: x, jwks: y, audiense: z}\n", "issuers[].audiense: unknown key"},
      {"audit_digest_interval_s: 0\n", "expected 1..86400 seconds"},
      {"audit_fold_interval_s: -1\n", "audit_fold_interval_s: expected 0..3600 seconds"},
      {"audit_fold_interval_s: 1s\n", "audit_fold_interval_s: expected 0..3600 seconds"},
      {"store: [a, b]\n", "store: expected text"},
      {"server:\n  limits:\n    max_body_bytes: -1\n", "non-negative integer"},
  };
  for (const Case& c : cases) {
    ServeConfig config;
    Status s = ApplyServeYaml(c.yaml, "t.yaml", &config);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.yaml;
    EXPECT_NE(s.message().find(c.expect), std::string::npos) << s.message();
  }
  ServeConfig empty;
  Status s = ValidateServeConfig(empty);
  EXPECT_NE(s.message().find("--jwks"), std::string::npos) << s.message();
}

TEST(ServeConfigTest, ReadsTheAuditFoldPolicyFromYamlAndFlags) {
  ServeConfig config;
  EXPECT_EQ(config.audit_fold.tail_bytes, 8u << 20);
  EXPECT_EQ(config.audit_fold.tail_batches, 256u);
  EXPECT_EQ(config.audit_fold.max_age.count(), 60);
  EXPECT_EQ(config.audit_fold.compact_segments, 32u);
  std::string yaml = R"(
audit_fold_interval_s: 2
audit_fold_tail_bytes: 65536
audit_fold_tail_batches: 100
audit_fold_max_age_s: 0
audit_compact_segments: 0
)";
  Status s = ApplyServeYaml(yaml, "t.yaml", &config);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(config.audit_fold_interval.count(), 2);
  EXPECT_EQ(config.audit_fold.tail_bytes, 65536u);
  EXPECT_EQ(config.audit_fold.tail_batches, 100u);
  EXPECT_EQ(config.audit_fold.max_age.count(), 0);
  EXPECT_EQ(config.audit_fold.compact_segments, 0u);
  ASSERT_TRUE(ApplyAuditFoldAssignment("audit_compact_segments=2", &config).ok());
  EXPECT_EQ(config.audit_fold.compact_segments, 2u);
  ASSERT_TRUE(ApplyAuditFoldAssignment("audit_fold_max_age_s=86400", &config).ok());
  EXPECT_EQ(config.audit_fold.max_age.count(), 86400);
}

TEST(ServeConfigTest, RejectsBadAuditFoldSettingsNamingTheLineAndKey) {
  struct Case {
    std::string yaml;
    std::string expect;
  } cases[] = {
      {"audit_fold_tail_bytes: 4095\n", "t.yaml:1: audit_fold_tail_bytes: expected 4096..1073741824 bytes, got '4095'"},
      {"audit_fold_tail_bytes: 8MiB\n", "audit_fold_tail_bytes: expected 4096..1073741824 bytes, got '8MiB'"},
      {"audit_fold_tail_bytes: 1073741825\n", "audit_fold_tail_bytes: expected"},
      {"audit_fold_tail_batches: 0\n", "audit_fold_tail_batches: expected 1..1000000 batch records"},
      {"audit_fold_max_age_s: -1\n", "audit_fold_max_age_s: expected 0..86400 seconds"},
      {"audit_fold_max_age_s: 86401\n", "audit_fold_max_age_s: expected 0..86400 seconds"},
      {"audit_compact_segments: 1\n", "audit_compact_segments: expected 0 (never) or 2..1000000"},
      {"audit_compact_segments: ''\n", "audit_compact_segments: expected"},
      {"store: x\naudit_fold_max_age: 5\n", "t.yaml:2: audit_fold_max_age: unknown key"},
      {"audit_fold_tail_bytes: [1]\n", "audit_fold_tail_bytes: expected text"},
  };
  for (const Case& c : cases) {
    ServeConfig config;
    Status s = ApplyServeYaml(c.yaml, "t.yaml", &config);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.yaml;
    EXPECT_NE(s.message().find(c.expect), std::string::npos) << s.message();
    // A rejected value leaves the default.
    EXPECT_EQ(config.audit_fold.tail_bytes, 8u << 20);
  }
  ServeConfig config;
  for (const char* bad : {"audit_fold_tail_bytes", "=3", "nope=1", "audit_fold_tail_batches=x",
                          "audit_fold_tail_batches=0", "store=/tmp"}) {
    Status s = ApplyAuditFoldAssignment(bad, &config);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("--audit-fold"), std::string::npos) << s.message();
  }
}

TEST(ServeConfigTest, LimitAssignmentsUseTheYamlNames) {
  ServerOptions options;
  ASSERT_TRUE(ApplyServerLimit("max_concurrent_queries=2", &options).ok());
  EXPECT_EQ(options.limits.max_concurrent_queries, 2u);
  ASSERT_TRUE(ApplyServerLimit("query_timeout_ms=1500", &options).ok());
  EXPECT_EQ(options.limits.query_timeout.count(), 1500);
  for (const char* bad : {"max_concurrent_queries", "=3", "nope=1", "max_body_bytes=1x",
                          "max_body_bytes=1\n  evil: 2", "max_concurrent_queries=0"}) {
    EXPECT_EQ(ApplyServerLimit(bad, &options).code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace trailbook::server
