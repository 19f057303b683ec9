// End to end through a real socket: `trailbook serve`'s Service over a real store, real
// AuditLog (journal, hash chain, digests), real runbook library from YAML files, real
// ES256 keys in a JWKS file and an Ed25519 snapshot key, as a deployment would have them.
#include "server/service.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "audit/audit_verifier.h"
#include "auth/jwks/key_files.h"
#include "auth/jwt/token_builder.h"
#include "base/check.h"
#include "ingest/ingest_pipeline.h"
#include "sql/exec/query_engine.h"
#include "storage/store.h"

namespace trailbook::server {
namespace {

namespace fs = std::filesystem;

constexpr char kIssuer[] = "https://idp.test/";

constexpr char kRunbook[] = R"(id: ir.user-activity
version: 1.0.0
title: Activity of one IAM user
params:
  user: {type: string, required: true, max: 128}
query: |
  SELECT eventID, eventName FROM events
  WHERE userIdentity.userName = :user ORDER BY eventTime, eventID
)";

struct Deployment {
  Deployment() {
    root = (fs::temp_directory_path() / ("tb_service_test_" + std::to_string(::getpid()))).string();
    fs::remove_all(root);
    fs::create_directories(root + "/runbooks");
    std::ofstream(root + "/runbooks/user-activity.yaml") << kRunbook;
    auto issuer_key = auth::GenerateKeyFiles(root + "/idp", auth::JwsAlgorithm::kES256, "idp-1");
    TB_CHECK(issuer_key.ok()) << issuer_key.status().ToString();
    auto signer = auth::LoadSigningKeyFile(issuer_key->private_key_path);
    TB_CHECK(signer.ok()) << signer.status().ToString();
    idp = std::make_unique<auth::Signer>(std::move(signer).value());
    auto snapshot_key = auth::GenerateKeyFiles(root + "/snap", auth::JwsAlgorithm::kEdDSA, "snap-1");
    TB_CHECK(snapshot_key.ok()) << snapshot_key.status().ToString();
    auto digest_key = auth::GenerateKeyFiles(root + "/audit", auth::JwsAlgorithm::kEdDSA, "audit-1");
    TB_CHECK(digest_key.ok()) << digest_key.status().ToString();
    {
      auto writer = storage::Store::Open(root + "/store", storage::Store::Mode::kReadWrite);
      TB_CHECK(writer.ok()) << writer.status().ToString();
      ingest::IngestOptions options;
      options.threads = 1;
      options.segment_options.sync = false;
      std::vector<std::string> paths{"tests/data/sql_fixture/events.json"};
      auto summary = ingest::Ingest(**writer, paths, options, nullptr);
      TB_CHECK(summary.ok()) << summary.status().ToString();
    }
    config.store_dir = root + "/store";
    config.runbooks_dir = root + "/runbooks";
    config.issuers.push_back({kIssuer, issuer_key->jwks_path, {"trailbook"}, {}, {}});
    config.snapshot_key_file = snapshot_key->private_key_path;
    config.audit_digest_key_file = digest_key->private_key_path;
    config.server.port = 0;
    config.server.access_log = false;
    config.server.shutdown_deadline = std::chrono::milliseconds(2000);
  }
  ~Deployment() {
    if (std::getenv("TB_KEEP") == nullptr) fs::remove_all(root);
  }

  std::string Token(const std::vector<std::string>& scopes) const {
    auth::TokenSpec spec;
    spec.issuer = kIssuer;
    spec.audiences = {"trailbook"};
    spec.subject = "responder@example.com";
    spec.runbooks = {"ir.*"};
    spec.scopes = scopes;
    spec.issued_at_us = SystemClock().NowMicros();
    spec.ttl_us = int64_t{600} * 1000000;
    auto token = auth::MintToken(spec, *idp);
    TB_CHECK(token.ok()) << token.status().ToString();
    return *token;
  }

  std::string root;
  std::unique_ptr<auth::Signer> idp;
  ServeConfig config;
};

httplib::Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

std::string StringField(const std::string& json, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  std::string_view v;
  if (parser.parse(json).get(e) != simdjson::SUCCESS || e[key].get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}

// Counts audit events of the store by "eventName/errorCode" (errorCode "" when absent).
std::map<std::string, int64_t> AuditCounts(const std::string& store_dir) {
  std::map<std::string, int64_t> out;
  auto store = storage::Store::Open(store_dir, storage::Store::Mode::kReadOnly);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return out;
  sql::QueryEngine engine(**store);
  auto result = engine.Execute(
      "SELECT eventName, coalesce(errorCode, '') AS code, count(*) AS n FROM events "
      "WHERE eventSource = 'trailbook.audit' GROUP BY 1, 2",
      {});
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return out;
  sql::DataChunk chunk;
  while (true) {
    auto more = (*result)->Next(&chunk);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    for (size_t i = 0; i < chunk.size; ++i) {
      out[chunk.columns[0].GetValue(i).ToString() + "/" + chunk.columns[1].GetValue(i).ToString()] =
          chunk.columns[2].GetValue(i).int_value();
    }
  }
  return out;
}

TEST(ServiceTest, ServesRunsSnapshotsAndDenialsOverASocketWithARealAuditTrail) {
  Deployment d;
  auto service = Service::Open(d.config);
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  auto port = (*service)->Bind();
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  Status served;
  std::thread serving([&] { served = (*service)->Serve(); });
  httplib::Client client("127.0.0.1", *port);
  for (int i = 0; i < 200; ++i) {
    auto ready = client.Get("/readyz");
    if (ready && ready->status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  std::string all = d.Token({"runbook:run", "snapshot:read", "audit:read"});
  auto run = client.Post("/v1/runbooks/ir.user-activity/runs", Bearer(all),
                         R"({"params":{"user":"bob"},"snapshot":true})", "application/json");
  ASSERT_TRUE(run);
  ASSERT_EQ(run->status, 200) << run->body;
  EXPECT_EQ(run->get_header_value("X-Row-Count"), "8");
  std::string snapshot_id = StringField(run->body, "snapshot_id");
  ASSERT_FALSE(snapshot_id.empty()) << run->body;
  EXPECT_EQ(run->get_header_value("X-Snapshot-Id"), snapshot_id);

  auto verify = client.Get("/v1/snapshots/" + snapshot_id + "/verify", Bearer(all));
  ASSERT_TRUE(verify);
  ASSERT_EQ(verify->status, 200) << verify->body;
  EXPECT_NE(verify->body.find("\"ok\":true"), std::string::npos) << verify->body;
  auto list = client.Get("/v1/snapshots", Bearer(all));
  ASSERT_TRUE(list);
  EXPECT_NE(list->body.find(snapshot_id), std::string::npos) << list->body;

  // Denials: no scope (403), a token from nobody we trust (401), an unknown runbook (404).
  auto denied = client.Post("/v1/runbooks/ir.user-activity/runs", Bearer(d.Token({"snapshot:read"})),
                            R"({"params":{"user":"bob"}})", "application/json");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);
  EXPECT_EQ(denied->body.find("scope"), std::string::npos) << denied->body;
  auto forged = client.Post("/v1/query", Bearer(all.substr(0, all.size() - 4) + "AAAA"),
                            R"({"sql":"SELECT 1"})", "application/json");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 401);
  EXPECT_EQ(forged->get_header_value("WWW-Authenticate"), "Bearer error=\"invalid_token\"");
  auto missing = client.Post("/v1/runbooks/ir.nope/runs", Bearer(all), "{}", "application/json");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  auto chain = client.Get("/v1/audit/verify", Bearer(all));
  ASSERT_TRUE(chain);
  ASSERT_EQ(chain->status, 200) << chain->body;
  EXPECT_NE(chain->body.find("\"ok\":true"), std::string::npos) << chain->body;

  (*service)->Shutdown();
  serving.join();
  EXPECT_TRUE(served.ok()) << served.ToString();
  service->reset();

  std::map<std::string, int64_t> counts = AuditCounts(d.config.store_dir);
  std::string seen;
  for (const auto& [k, v] : counts) seen += k + "=" + std::to_string(v) + " ";
  SCOPED_TRACE(seen);
  EXPECT_EQ(counts["RunRunbook/"], 1);
  EXPECT_EQ(counts["CreateSnapshot/"], 1);
  EXPECT_EQ(counts["RunRunbook/AccessDenied"], 1);
  EXPECT_EQ(counts["RunRunbook/RunbookNotFound"], 1);
  EXPECT_EQ(counts["VerifyToken/InvalidToken"], 1);
  EXPECT_EQ(counts["VerifySnapshot/"], 1);
  EXPECT_EQ(counts["ListSnapshots/"], 1);
  EXPECT_EQ(counts["VerifyAudit/"], 1);
  // The chain verifies and the shutdown digest covers every event.
  auto report = audit::VerifyAuditTrail(d.config.store_dir, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0].detail);
  EXPECT_EQ(report->events, 8u);
  EXPECT_GE(report->digests, 1u);
  EXPECT_EQ(report->covered_through, report->last_sequence);
}

TEST(ServiceTest, RefusesToStartWithoutKeysOrWithBadRunbooks) {
  Deployment d;
  ServeConfig no_issuer = d.config;
  no_issuer.issuers.clear();
  EXPECT_EQ(Service::Open(no_issuer).status().code(), StatusCode::kInvalidArgument);
  ServeConfig bad_store = d.config;
  bad_store.store_dir = d.root + "/nowhere";
  EXPECT_FALSE(Service::Open(bad_store).ok());
  std::ofstream(d.root + "/runbooks/broken.yaml") << "id: ir.broken\nversion: 1\nquery: SELECT :x FROM events\n";
  auto broken = Service::Open(d.config);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("broken.yaml"), std::string::npos) << broken.status().ToString();
}

}  // namespace
}  // namespace trailbook::server
