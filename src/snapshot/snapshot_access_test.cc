#include "snapshot/snapshot_access.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>

#include "auth/jwt/testing/token_factory.h"
#include "base/timestamp.h"
#include "ingest/ingest_pipeline.h"
#include "io/file.h"
#include "runbook/fixture_runner.h"
#include "runbook/runbook_loader.h"
#include "snapshot/testing/snapshot_testing.h"
#include "sql/exec/query_engine.h"
#include "sql/exec/result_writer.h"
#include "storage/store.h"

namespace trailbook::snapshot {
namespace {

using ::testing::HasSubstr;

// Delegates to a real audit log until `fail` is set.
class SwitchableAuditLog : public audit::AuditLog {
 public:
  explicit SwitchableAuditLog(audit::AuditLog& real) : real_(real) {}
  Result<audit::AuditReceipt> Append(const audit::AuditEvent& event) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (on_append) on_append(event);
    if (fail) return IOError("audit disk full");
    return real_.Append(event);
  }
  bool fail = false;
  std::function<void(const audit::AuditEvent&)> on_append;  // called before each append

 private:
  audit::AuditLog& real_;
  std::mutex mu_;
};

std::string Event(int n, const std::string& time, const std::string& account,
                  const std::string& name, const std::string& user) {
  char id[64];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
  return std::string(R"({"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::)") +
         account + ":user/" + user + R"(","accountId":")" + account + R"(","userName":")" + user +
         R"("},"eventTime":")" + time + R"(","eventSource":"iam.amazonaws.com","eventName":")" +
         name + R"(","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","userAgent":"t, \"q\"",)" +
         R"("eventID":")" + id + R"(","eventType":"AwsApiCall","recipientAccountId":")" + account +
         R"("})";
}

// Parameters of every kind the manifest must carry back into a re-run: a list, a relative
// timestamp default (which must not drift on a later re-run), a duration and an int.
constexpr char kUsersRunbook[] = R"(
id: ir.users
version: 2
title: Users activity
params:
  users: {type: "list<string>", required: true}
  start: {type: timestamp, default: -30d}
  lookback: {type: duration, default: 1d}
  n: {type: int, default: "100"}
  note: {type: string}
query: |
  SELECT eventID, eventName, userIdentity.userName AS user_name, recipientAccountId, eventTime
  FROM events
  WHERE contains(:users, userIdentity.userName) AND eventTime >= :start - :lookback
    AND (:note IS NULL OR eventName <> :note)
  ORDER BY eventID LIMIT :n
)";

class SnapshotAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_dir_ = scratch_.path() + "/store";
    ASSERT_TRUE(runbook::BuildStoreFromEvents(
                    store_dir_,
                    {Event(1, "2026-01-09T01:00:00Z", "111111111111", "CreateUser", "alice"),
                     Event(2, "2026-01-09T02:00:00Z", "222222222222", "DeleteUser", "alice"),
                     Event(3, "2026-01-09T03:00:00Z", "111111111111", "AttachUserPolicy", "bob"),
                     Event(4, "2026-01-09T04:00:00Z", "111111111111", "CreateUser", "carol")})
                    .ok());
    audit::AuditLogOptions audit_options;
    audit_options.clock = &clock_;
    auto log = audit::AuditLog::Open(store_dir_, audit_options);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    real_audit_ = std::move(log).value();
    audit_ = std::make_unique<SwitchableAuditLog>(*real_audit_);
    auto store = storage::Store::Open(store_dir_, storage::Store::Mode::kReadOnly);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    engine_ = std::make_unique<sql::QueryEngine>(*store_);
    auto rb = runbook::ParseRunbookYaml(kUsersRunbook, "users.yaml");
    ASSERT_TRUE(rb.ok()) << rb.status().ToString();
    ASSERT_TRUE(library_.Add(std::move(rb).value()).ok());

    auth::VerifierConfig config;
    config.issuers.push_back(
        auth::testing::TestIssuerConfig(factory_.resolver(), auth::JwsAlgorithm::kES256));
    auto verifier = auth::TokenVerifier::Create(config);
    ASSERT_TRUE(verifier.ok());
    verifier_ = std::move(verifier).value();
    runbook::ExecutorOptions options;
    options.clock = &clock_;
    options.threads = 1;
    executor_ = std::make_unique<runbook::Executor>(library_, *verifier_, *engine_, *audit_, options);
    access_ = std::make_unique<SnapshotAccess>(SnapshotsDir(store_dir_), *verifier_, *audit_,
                                               SnapshotAccessOptions{&clock_});

    auto keys = testing::MakeKeyFiles(scratch_.path() + "/keys", auth::JwsAlgorithm::kEdDSA,
                                      "runner-1");
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    auto key = SnapshotSigningKey::LoadFile(keys->private_key_path);
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    key_ = std::make_unique<SnapshotSigningKey>(std::move(key).value());
    auto trusted = LoadTrustedSnapshotKeys(keys->jwks_path);
    ASSERT_TRUE(trusted.ok());
    trusted_.emplace(std::move(trusted).value());
  }

  std::string Token(const std::string& scope, const std::string& constraints = "") {
    auto claims = auth::testing::ClaimSet::Valid(clock_.NowMicros() / kMicrosPerSecond);
    claims.Set("runbooks", "[\"ir.*\"]");
    claims.Set("scope", "\"" + scope + "\"");
    if (!constraints.empty()) claims.Set("constraints", constraints);
    return factory_.Sign(factory_.Header(), claims.ToJson());
  }

  AccessRequest Reader(const std::string& scope = "snapshot:read") {
    AccessRequest req;
    req.token = Token(scope);
    req.origin.source_ip = "192.0.2.7";
    req.origin.user_agent = "access-test";
    return req;
  }

  runbook::RunOutcome Run(const std::string& token) {
    runbook::RunRequest req;
    req.token = token;
    req.runbook_id = "ir.users";
    req.params = {{"users", "alice,bob"}};
    return executor_->Run(req);
  }

  // Runs the runbook and freezes the result.
  Result<SnapshotInfo> RunAndSnapshot(const std::string& token) {
    StoreState state = StoreState::From(*store_->Snapshot());
    runbook::RunOutcome out = Run(token);
    if (!out.status.ok()) return out.status;
    return access_->Create(out, runbook::RequestOrigin{}, state, *key_, {});
  }

  // Returns "eventName errorCode" of every audit event, oldest first, via SQL.
  std::vector<std::string> AuditTrail() {
    auto store = storage::Store::Open(store_dir_, storage::Store::Mode::kReadOnly);
    EXPECT_TRUE(store.ok());
    if (!store.ok()) return {};
    sql::QueryEngine engine(**store);
    auto result = engine.Execute(
        "SELECT eventName || ' ' || coalesce(errorCode, '-') FROM events "
        "WHERE eventSource = 'trailbook.audit' "
        "ORDER BY CAST(json_extract_scalar(additionalEventData, '$.auditSequence') AS bigint)",
        {});
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return {};
    std::vector<std::string> rows;
    sql::DataChunk chunk;
    while (true) {
      auto more = (*result)->Next(&chunk);
      EXPECT_TRUE(more.ok());
      if (!more.ok() || !*more) break;
      for (size_t r = 0; r < chunk.size; ++r) {
        rows.push_back(sql::ResultWriter::Text(chunk.columns[0], r));
      }
    }
    return rows;
  }

  testing::ScratchDir scratch_;
  std::string store_dir_;
  FakeClock clock_{*ParseTimestamp("2026-01-10T12:00:00Z")};
  std::unique_ptr<audit::AuditLog> real_audit_;
  std::unique_ptr<SwitchableAuditLog> audit_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<sql::QueryEngine> engine_;
  runbook::RunbookLibrary library_;
  auth::testing::TokenFactory factory_{auth::JwsAlgorithm::kES256, "idp-1"};
  std::unique_ptr<auth::TokenVerifier> verifier_;
  std::unique_ptr<runbook::Executor> executor_;
  std::unique_ptr<SnapshotAccess> access_;
  std::unique_ptr<SnapshotSigningKey> key_;
  std::optional<auth::JwkSet> trusted_;
};

TEST_F(SnapshotAccessTest, FreezesARunThatVerifiesAndRerunsToTheSameDigest) {
  auto info = RunAndSnapshot(Token("runbook:run"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->rows, 3u);  // alice twice, bob once

  auto report = access_->Verify(Reader(), info->id, *trusted_, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_TRUE(report->ok()) << report->first_failure()->name;
  EXPECT_EQ(report->manifest->runbook.id, "ir.users");
  EXPECT_EQ(report->manifest->principal.subject, "alice@example.com");
  EXPECT_THAT(report->manifest->parameters_json, HasSubstr("\"lookback\""));

  // A day later the default "-30d" means something else; the re-run must use the bound value.
  clock_.Advance(kMicrosPerDay);
  runbook::RunRequest rerun;
  rerun.token = Token("runbook:run");
  AppendRerunChecks(*executor_, rerun, StoreState::From(*store_->Snapshot()), &*report);
  for (const VerifyCheck& c : report->checks) EXPECT_TRUE(c.ok) << c.name << ": " << c.detail;
  EXPECT_EQ(report->checks.back().name, "rerun digest");

  EXPECT_THAT(AuditTrail(), ::testing::ElementsAre("RunRunbook -", "CreateSnapshot -",
                                                   "ReadSnapshot -", "RunRunbook -"));
}

TEST_F(SnapshotAccessTest, RerunCatchesOtherConstraintsAndAChangedStore) {
  auto info = RunAndSnapshot(Token("runbook:run"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  auto report = access_->Verify(Reader(), info->id, *trusted_, {});
  ASSERT_TRUE(report.ok() && report->ok());

  VerifyReport narrowed = *report;
  runbook::RunRequest rerun;
  rerun.token = Token("runbook:run", R"({"accounts":["111111111111"]})");
  AppendRerunChecks(*executor_, rerun, StoreState::From(*store_->Snapshot()), &narrowed);
  ASSERT_FALSE(narrowed.ok());
  EXPECT_EQ(narrowed.first_failure()->name, "rerun constraints");
  EXPECT_EQ(narrowed.checks.back().name, "rerun digest");
  EXPECT_FALSE(narrowed.checks.back().ok);
  EXPECT_THAT(narrowed.checks.back().detail, HasSubstr("(2 rows) differs"));

  // A store that lost one of the snapshot's segments (or another store) cannot re-run it.
  VerifyReport moved = *report;
  StoreState shrunk = StoreState::From(*store_->Snapshot());
  ASSERT_FALSE(shrunk.segment_ids.empty());
  uint64_t lost = shrunk.segment_ids.front();
  shrunk.segment_ids.erase(shrunk.segment_ids.begin());
  rerun.token = Token("runbook:run");
  AppendRerunChecks(*executor_, rerun, shrunk, &moved);
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.first_failure()->name, "rerun store");
  EXPECT_THAT(moved.first_failure()->detail, HasSubstr("are gone (" + std::to_string(lost) + ")"));

  VerifyReport other = *report;
  StoreState elsewhere = StoreState::From(*store_->Snapshot());
  elsewhere.store_id = "00000000-0000-4000-8000-000000000000";
  AppendRerunChecks(*executor_, rerun, elsewhere, &other);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.first_failure()->name, "rerun store");
  EXPECT_THAT(other.first_failure()->detail, HasSubstr("a different store"));

  VerifyReport broken = *report;
  broken.checks.push_back(VerifyCheck{"signature", false, "forged"});
  AppendRerunChecks(*executor_, rerun, shrunk, &broken);
  EXPECT_EQ(broken.checks.back().name, "rerun");  // no re-run of an unverified manifest
}

TEST_F(SnapshotAccessTest, RerunReadsOnlyTheSnapshotsSegmentsAfterNewIngests) {
  auto info = RunAndSnapshot(Token("runbook:run"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_EQ(info->rows, 3u);

  // New matching events arrive after the snapshot: one on the snapshot's day, one later.
  std::string input = scratch_.path() + "/more.json";
  ASSERT_TRUE(io::WriteFileAtomic(
                  input,
                  "{\"Records\":[" +
                      Event(5, "2026-01-09T05:00:00Z", "111111111111", "CreateUser", "alice") +
                      "," +
                      Event(6, "2026-01-10T01:00:00Z", "111111111111", "CreateUser", "bob") +
                      "]}",
                  0600)
                  .ok());
  {
    auto writer = storage::Store::Open(store_dir_, storage::Store::Mode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ingest::IngestOptions options;
    options.threads = 1;
    std::vector<std::string> paths{input};
    auto summary = ingest::Ingest(**writer, paths, options, nullptr);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    ASSERT_EQ(summary->events_added, 2u);
  }
  ASSERT_TRUE(store_->Refresh().ok());
  // Unpinned, the runbook now sees them.
  runbook::RunOutcome now = Run(Token("runbook:run"));
  ASSERT_TRUE(now.status.ok()) << now.status.ToString();
  EXPECT_EQ(now.rows, 5u);

  auto report = access_->Verify(Reader(), info->id, *trusted_, {});
  ASSERT_TRUE(report.ok() && report->ok());
  runbook::RunRequest rerun;
  rerun.token = Token("runbook:run");
  AppendRerunChecks(*executor_, rerun, StoreState::From(*store_->Snapshot()), &*report);
  for (const VerifyCheck& c : report->checks) EXPECT_TRUE(c.ok) << c.name << ": " << c.detail;
  const VerifyCheck* store_check = nullptr;
  for (const VerifyCheck& c : report->checks) {
    if (c.name == "rerun store") store_check = &c;
  }
  ASSERT_NE(store_check, nullptr);
  EXPECT_THAT(store_check->detail, HasSubstr("ingested since are not read"));
  EXPECT_EQ(report->checks.back().name, "rerun digest");
  EXPECT_THAT(report->checks[report->checks.size() - 3].detail, HasSubstr("3 row(s)"));
}

TEST_F(SnapshotAccessTest, ReadingNeedsAValidTokenWithSnapshotRead) {
  auto info = RunAndSnapshot(Token("runbook:run"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();

  AccessRequest no_scope = Reader("runbook:run");
  EXPECT_EQ(access_->List(no_scope).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(access_->Show(no_scope, info->id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(access_->Export(no_scope, info->id, scratch_.path() + "/out").code(),
            StatusCode::kPermissionDenied);
  EXPECT_FALSE(io::Exists(scratch_.path() + "/out/manifest.json"));
  EXPECT_EQ(access_->Verify(no_scope, info->id, *trusted_, {}).status().code(),
            StatusCode::kPermissionDenied);

  AccessRequest forged = Reader();
  forged.token = auth::testing::TokenFactory::WithSignature(forged.token, std::string(64, 'x'));
  Result<std::vector<SnapshotSummary>> denied = access_->List(forged);
  EXPECT_EQ(denied.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(denied.status().message(), "invalid token");  // nothing more for the caller
  AccessRequest empty;
  EXPECT_EQ(access_->Show(empty, info->id).status().code(), StatusCode::kUnauthenticated);

  auto list = access_->List(Reader());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, info->id);
  auto shown = access_->Show(Reader(), info->id);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->manifest.snapshot_id, info->id);
  ASSERT_TRUE(access_->Export(Reader(), info->id, scratch_.path() + "/out").ok());
  EXPECT_TRUE(VerifySnapshot(scratch_.path() + "/out", *trusted_, {}).ok());

  EXPECT_THAT(AuditTrail(),
              ::testing::ElementsAre("RunRunbook -", "CreateSnapshot -",
                                     "ListSnapshots AccessDenied", "ReadSnapshot AccessDenied",
                                     "ReadSnapshot AccessDenied", "ReadSnapshot AccessDenied",
                                     "ListSnapshots InvalidToken", "ReadSnapshot InvalidToken",
                                     "ListSnapshots -", "ReadSnapshot -", "ReadSnapshot -"));
}

TEST_F(SnapshotAccessTest, MissingAndMalformedIdsAreAuditedErrors) {
  Result<ManifestView> missing = access_->Show(Reader(), "20260101T000000.000000Z-0123456789abcdef");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(access_->Verify(Reader(), "../../etc", *trusted_, {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_THAT(AuditTrail(), ::testing::ElementsAre("ReadSnapshot SnapshotNotFound",
                                                   "ReadSnapshot SnapshotError"));
}

TEST_F(SnapshotAccessTest, CreateSnapshotIsAuditedBeforeTheSnapshotIsVisible) {
  StoreState state = StoreState::From(*store_->Snapshot());
  runbook::RunOutcome run = Run(Token("runbook:run"));
  ASSERT_TRUE(run.status.ok());
  int create_events = 0;
  size_t visible_at_audit = 99;
  audit_->on_append = [&](const audit::AuditEvent& event) {
    if (event.event_name != "CreateSnapshot") return;
    ++create_events;
    auto list = ListSnapshots(SnapshotsDir(store_dir_));
    visible_at_audit = list.ok() ? list->size() : 98;
  };
  auto created = access_->Create(run, {}, state, *key_, {});
  audit_->on_append = nullptr;
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(create_events, 1);
  EXPECT_EQ(visible_at_audit, 0u);  // sealed, not yet published, when the event was written
  auto list = ListSnapshots(SnapshotsDir(store_dir_));
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  auto report = access_->Verify(Reader(), created->id, *trusted_, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());
}

TEST_F(SnapshotAccessTest, FailsClosedWhenTheAuditLogCannotBeWritten) {
  auto info = RunAndSnapshot(Token("runbook:run"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  audit_->fail = true;
  EXPECT_EQ(access_->List(Reader()).status().code(), StatusCode::kIOError);
  EXPECT_EQ(access_->Show(Reader(), info->id).status().code(), StatusCode::kIOError);
  EXPECT_EQ(access_->List(Reader("runbook:run")).status().code(), StatusCode::kIOError);
  std::string out = scratch_.path() + "/out";
  EXPECT_EQ(access_->Export(Reader(), info->id, out).code(), StatusCode::kIOError);
  EXPECT_FALSE(io::Exists(out + "/manifest.json"));
  EXPECT_FALSE(io::Exists(out + "/result.ndjson.gz"));

  // A run whose CreateSnapshot event cannot be written leaves no snapshot behind.
  audit_->fail = false;
  StoreState state = StoreState::From(*store_->Snapshot());
  runbook::RunOutcome run = Run(Token("runbook:run"));
  ASSERT_TRUE(run.status.ok());
  audit_->fail = true;
  auto created = access_->Create(run, {}, state, *key_, {});
  EXPECT_EQ(created.status().code(), StatusCode::kIOError);
  auto list = ListSnapshots(SnapshotsDir(store_dir_));
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);  // only the first one
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(SnapshotsDir(store_dir_))) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);  // no leftover temporary directory either
}

TEST_F(SnapshotAccessTest, OnlySuccessfulAuditedRunsAreFrozen) {
  StoreState state = StoreState::From(*store_->Snapshot());
  runbook::RunRequest dry;
  dry.token = Token("runbook:run");
  dry.runbook_id = "ir.users";
  dry.params = {{"users", "alice"}};
  dry.dry_run = true;
  runbook::RunOutcome planned = executor_->Run(dry);
  ASSERT_TRUE(planned.status.ok());
  EXPECT_EQ(access_->Create(planned, {}, state, *key_, {}).status().code(),
            StatusCode::kInvalidArgument);
  runbook::RunOutcome denied = Run(Token("snapshot:read"));
  ASSERT_FALSE(denied.status.ok());
  EXPECT_EQ(access_->Create(denied, {}, state, *key_, {}).status().code(),
            StatusCode::kInvalidArgument);
  auto list = ListSnapshots(SnapshotsDir(store_dir_));
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST(SnapshotRerunTest, ParametersTurnBackIntoCallerText) {
  auto raw = RerunParameters(
      R"J({"b":{"type":"boolean","value":true},"d":{"type":"interval day to second",)J"
      R"J("value":"1 02:00:00.000"},"l":{"type":"array(varchar)","value":"[\"a\",\"b,c\"]"},)J"
      R"J("n":{"type":"bigint","value":-5},"none":{"type":"varchar","value":null},)J"
      R"J("t":{"type":"timestamp(6)","value":"2026-01-01T00:00:00.000000Z"}})J");
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_EQ(*raw, (std::map<std::string, std::string>{{"b", "true"},
                                                      {"d", "93600s"},
                                                      {"l", "[\"a\",\"b,c\"]"},
                                                      {"n", "-5"},
                                                      {"t", "2026-01-01T00:00:00.000000Z"}}));
  EXPECT_EQ(RerunParameters(R"({"x":{"type":"varchar"}})").status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(RerunParameters(R"({"x":{"type":"interval day to second","value":"soon"}})")
                .status()
                .code(),
            StatusCode::kCorruption);
  EXPECT_EQ(RerunParameters("[1]").status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace trailbook::snapshot
