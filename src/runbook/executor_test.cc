#include "runbook/executor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "auth/jwt/testing/token_factory.h"
#include "base/timestamp.h"
#include "runbook/fixture_runner.h"
#include "runbook/runbook_loader.h"
#include "sql/exec/result_writer.h"
#include "storage/store.h"

namespace trailbook::runbook {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The real AuditLog of the test's store, recording what callers appended so tests can check
// the event as the executor built it; `fail` makes Append fail before reaching the log.
class RecordingAuditLog : public audit::AuditLog {
 public:
  explicit RecordingAuditLog(std::unique_ptr<audit::AuditLog> log) : log_(std::move(log)) {}
  Result<audit::AuditReceipt> Append(const audit::AuditEvent& event) override {
    if (fail) return IOError("disk full");
    TB_ASSIGN_OR_RETURN(audit::AuditReceipt receipt, log_->Append(event));
    std::lock_guard<std::mutex> lock(mu_);
    events.push_back(event);
    return receipt;
  }
  bool fail = false;
  std::vector<audit::AuditEvent> events;

 private:
  std::unique_ptr<audit::AuditLog> log_;
  std::mutex mu_;
};

std::string Event(int n, const std::string& time, const std::string& account, const std::string& region,
                  const std::string& source, const std::string& name, const std::string& user,
                  const std::string& ip) {
  char id[64];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
  return std::string(R"({"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::)") +
         account + ":user/" + user + R"(","accountId":")" + account + R"(","userName":")" + user +
         R"(","accessKeyId":"AKIA)" + user + R"("},"eventTime":")" + time + R"(","eventSource":")" +
         source + R"(","eventName":")" + name + R"(","awsRegion":")" + region +
         R"(","sourceIPAddress":")" + ip + R"(","userAgent":"test","eventID":")" + id +
         R"(","eventType":"AwsApiCall","recipientAccountId":")" + account + R"("})";
}

constexpr char kA[] = "111111111111";
constexpr char kB[] = "222222222222";

constexpr char kPrincipalRunbook[] = R"(
id: ir.principal-activity
version: 1.0.0
title: Principal activity
params:
  principal_arn: {type: arn, required: true}
  start: {type: timestamp, default: -24h}
  end: {type: timestamp, default: now}
query: |
  SELECT eventID, eventName, recipientAccountId FROM events
  WHERE userIdentity.arn = :principal_arn AND eventTime >= :start AND eventTime <= :end
  ORDER BY eventTime
)";

constexpr char kUserRunbook[] = R"(
id: ir.by-user
version: 1
title: By user name
params:
  user: {type: string, required: true, max: 2000000}
  n: {type: int, default: "10", min: 1, max: 100}
  account: {type: account_id}
query: |
  SELECT count(*) FROM events WHERE userIdentity.userName = :user
    AND (:account IS NULL OR recipientAccountId = :account) LIMIT :n
)";

constexpr char kAuditRunbook[] = R"(
id: audit.who-ran-what
version: 1
title: Who ran what
query: SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit'
)";

constexpr char kReasonRunbook[] = R"(
id: ir.needs-reason
version: 1
title: Needs a reason
require_reason: true
query: SELECT count(*) FROM events
)";

// Hostile runbooks: each tries to read rows outside the token's constraints.
const std::vector<std::pair<std::string, std::string>>& HostileQueries() {
  static const std::vector<std::pair<std::string, std::string>> q = {
      {"hostile.union", "SELECT count(*) FROM (SELECT eventID FROM events UNION ALL SELECT eventID FROM events WHERE recipientAccountId = '222222222222')"},
      {"hostile.subquery", "SELECT count(*) FROM events WHERE eventID IN (SELECT eventID FROM events WHERE recipientAccountId <> '111111111111') OR recipientAccountId = '222222222222'"},
      {"hostile.join", "SELECT count(*) FROM events a JOIN events b ON a.eventID = b.eventID WHERE b.awsRegion = 'eu-west-1'"},
      {"hostile.cte", "WITH x AS (SELECT * FROM events WHERE recipientAccountId = '222222222222') SELECT count(*) FROM x"},
      {"hostile.eventjson", "SELECT count(*) FROM events WHERE json_extract_scalar(eventJson, '$.recipientAccountId') = '222222222222'"},
      {"hostile.audit", "SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit'"},
  };
  return q;
}

class ExecutorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char templ[] = "/tmp/trailbook-executor-test-XXXXXX";
    ASSERT_NE(mkdtemp(templ), nullptr);
    dir_ = new std::string(templ);
    std::vector<std::string> events = {
        Event(1, "2026-01-10T01:00:00Z", kA, "us-east-1", "iam.amazonaws.com", "CreateUser", "alice", "203.0.113.5"),
        Event(2, "2026-01-10T02:00:00Z", kA, "us-east-1", "s3.amazonaws.com", "GetObject", "alice", "203.0.113.5"),
        Event(3, "2026-01-10T03:00:00Z", kB, "eu-west-1", "iam.amazonaws.com", "DeleteUser", "alice", "198.51.100.7"),
        Event(4, "2026-01-10T04:00:00Z", kB, "eu-west-1", "ec2.amazonaws.com", "RunInstances", "bob", "198.51.100.7"),
        Event(5, "2026-01-10T05:00:00Z", kA, "us-east-1", "trailbook.audit", "RunRunbook", "carol", "127.0.0.1"),
        Event(6, "2026-01-01T05:00:00Z", kA, "us-east-1", "iam.amazonaws.com", "CreateUser", "alice", "203.0.113.5"),
    };
    ASSERT_TRUE(BuildStoreFromEvents(*dir_ + "/template", events).ok());
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    std::filesystem::remove_all(*dir_, ec);
    delete dir_;
  }

  // Each test gets its own copy of the store, so the audit events it writes are its own.
  void SetUp() override {
    store_dir_ = *dir_ + "/" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::copy(*dir_ + "/template", store_dir_, std::filesystem::copy_options::recursive);
    auto store = storage::Store::Open(store_dir_, storage::Store::Mode::kReadOnly);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    engine_ = std::make_unique<sql::QueryEngine>(*store_);
    audit::AuditLogOptions audit_options;
    audit_options.clock = &clock_;
    auto log = audit::AuditLog::Open(store_dir_, audit_options);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    audit_ = std::make_unique<RecordingAuditLog>(std::move(log).value());
    for (const char* text : {kPrincipalRunbook, kUserRunbook, kAuditRunbook, kReasonRunbook}) {
      auto rb = ParseRunbookYaml(text, "test.yaml");
      ASSERT_TRUE(rb.ok()) << rb.status().ToString();
      ASSERT_TRUE(library_.Add(std::move(rb).value()).ok());
    }
    for (const auto& [id, sql] : HostileQueries()) {
      Runbook rb;
      rb.id = id;
      rb.version = "1";
      rb.title = id;
      rb.query = sql;
      ASSERT_TRUE(rb.Finalize().ok());
      ASSERT_TRUE(library_.Add(std::move(rb)).ok());
    }
    auth::VerifierConfig config;
    config.issuers.push_back(auth::testing::TestIssuerConfig(factory_.resolver(), auth::JwsAlgorithm::kES256));
    auto verifier = auth::TokenVerifier::Create(config);
    ASSERT_TRUE(verifier.ok());
    verifier_ = std::move(verifier).value();
    ExecutorOptions options;
    options.clock = &clock_;
    options.threads = 1;
    executor_ = std::make_unique<Executor>(library_, *verifier_, *engine_, *audit_, options);
  }

  std::string Token(const std::string& runbooks, const std::string& scope,
                    const std::string& constraints = "", int64_t iat_offset_s = 0) {
    auto claims = auth::testing::ClaimSet::Valid(clock_.NowMicros() / kMicrosPerSecond + iat_offset_s);
    claims.Set("runbooks", runbooks);
    claims.Set("scope", "\"" + scope + "\"");
    if (!constraints.empty()) claims.Set("constraints", constraints);
    return factory_.Sign(factory_.Header(), claims.ToJson());
  }

  RunOutcome Run(const std::string& token, const std::string& id,
                 std::map<std::string, std::string> params = {}, bool dry_run = false) {
    RunRequest req;
    req.token = token;
    req.runbook_id = id;
    req.params = std::move(params);
    req.dry_run = dry_run;
    req.origin.source_ip = "192.0.2.1";
    req.origin.user_agent = "executor-test";
    return executor_->Run(req);
  }

  RunOutcome Query(const std::string& token, const std::string& sql) {
    QueryRequest req;
    req.token = token;
    req.sql = sql;
    return executor_->Query(req);
  }

  static int64_t Count(const RunOutcome& out) {
    EXPECT_EQ(out.rows, 1u);
    if (out.chunks.empty()) return -1;
    return std::stoll(sql::ResultWriter::Text(out.chunks[0].columns[0], 0));
  }

  // The audit event of `request_id` as the store shows it to an unconstrained query: name,
  // principal, errorCode, runbookId, rows, sourceIPAddress (cells as text; "NULL").
  std::vector<std::string> AuditRow(const std::string& request_id) {
    sql::QueryOptions options;
    options.threads = 1;
    options.parameters["id"] = sql::Value::Varchar(request_id);
    auto result = engine_->Execute(
        "SELECT eventName, userIdentity.principalId, errorCode, "
        "element_at(requestParameters, 'runbookId'), element_at(responseElements, 'rows'), "
        "sourceIPAddress FROM events WHERE eventSource = 'trailbook.audit' AND requestID = :id",
        options);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return {};
    std::vector<std::string> row;
    sql::DataChunk chunk;
    size_t rows = 0;
    while (true) {
      Result<bool> more = (*result)->Next(&chunk);
      EXPECT_TRUE(more.ok());
      if (!more.ok() || !*more) break;
      for (size_t r = 0; r < chunk.size; ++r, ++rows) {
        for (const sql::Vector& v : chunk.columns) row.push_back(sql::ResultWriter::Text(v, r));
      }
    }
    EXPECT_EQ(rows, 1u) << "audit events with requestID " << request_id;
    return row;
  }

  static std::string* dir_;
  std::string store_dir_;
  FakeClock clock_{*ParseTimestamp("2026-01-10T12:00:00Z")};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<sql::QueryEngine> engine_;
  RunbookLibrary library_;
  auth::testing::TokenFactory factory_;
  std::unique_ptr<auth::TokenVerifier> verifier_;
  std::unique_ptr<RecordingAuditLog> audit_;
  std::unique_ptr<Executor> executor_;
};

std::string* ExecutorTest::dir_ = nullptr;

constexpr char kAliceArn[] = "arn:aws:iam::111111111111:user/alice";

TEST_F(ExecutorTest, AllowedRunReturnsRowsAndAuditsThem) {
  RunOutcome out = Run(Token(R"(["ir.*"])", "runbook:run"), "ir.principal-activity",
                       {{"principal_arn", kAliceArn}});
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.rows, 2u);  // events 1 and 2 (event 6 is older than 24 h)
  EXPECT_EQ(out.result_sha256.size(), 64u);
  EXPECT_EQ(out.decision.claim, "runbooks+scope");
  ASSERT_TRUE(out.receipt.has_value());
  ASSERT_EQ(audit_->events.size(), 1u);
  const audit::AuditEvent& e = audit_->events[0];
  EXPECT_EQ(e.event_name, "RunRunbook");
  EXPECT_EQ(e.principal_id, "alice@example.com");
  EXPECT_EQ(e.source_ip, "192.0.2.1");
  EXPECT_EQ(e.user_agent, "executor-test");
  EXPECT_EQ(e.error_code, "");
  EXPECT_THAT(e.request_parameters_json, HasSubstr("\"runbookId\":\"ir.principal-activity\""));
  EXPECT_THAT(e.request_parameters_json, HasSubstr(library_.Find("ir.principal-activity")->hash));
  EXPECT_THAT(e.request_parameters_json, HasSubstr("\"start\":\"2026-01-09T12:00:00Z\""));
  EXPECT_THAT(e.response_elements_json, HasSubstr("\"rows\":2"));
  EXPECT_THAT(e.response_elements_json, HasSubstr(out.result_sha256));
  EXPECT_THAT(e.additional_event_data_json, HasSubstr("{\"name\":\"signature\",\"outcome\":\"pass\""));
  EXPECT_THAT(e.additional_event_data_json, HasSubstr("{\"name\":\"runbook\",\"outcome\":\"pass\""));
  EXPECT_EQ(out.receipt->sequence, 1u);
  EXPECT_THAT(AuditRow(out.request_id), ElementsAre("RunRunbook", "alice@example.com", "NULL",
                                                    "ir.principal-activity", "2", "192.0.2.1"));
}

TEST_F(ExecutorTest, SameResultSameHash) {
  std::string token = Token(R"(["ir.*"])", "runbook:run");
  RunOutcome a = Run(token, "ir.principal-activity", {{"principal_arn", kAliceArn}});
  RunOutcome b = Run(token, "ir.principal-activity", {{"principal_arn", kAliceArn}});
  RunOutcome c = Run(token, "ir.principal-activity",
                     {{"principal_arn", "arn:aws:iam::222222222222:user/alice"}});
  EXPECT_EQ(a.result_sha256, b.result_sha256);
  EXPECT_NE(a.result_sha256, c.result_sha256);
}

// The engine binds the runbook's query once; each later run reuses that plan with its own
// parameter values and its own token's constraints (never the first run's).
TEST_F(ExecutorTest, CachedPlanAppliesEachRunsParametersAndConstraints) {
  ExecutorOptions options;  // As the server runs: executed runs render no plan, so they
  options.clock = &clock_;  // use the engine's plan cache.
  options.threads = 1;
  options.plan_for_runs = false;
  executor_ = std::make_unique<Executor>(library_, *verifier_, *engine_, *audit_, options);
  const std::string alice_b = "arn:aws:iam::222222222222:user/alice";
  std::string any = Token(R"(["ir.*"])", "runbook:run");
  std::string only_a = Token(R"(["ir.*"])", "runbook:run", R"({"accounts":["111111111111"]})");
  std::string only_b = Token(R"(["ir.*"])", "runbook:run", R"({"accounts":["222222222222"]})");
  auto ids = [](const RunOutcome& out) {
    std::vector<std::string> v;
    for (const sql::DataChunk& c : out.chunks) {
      for (size_t r = 0; r < c.size; ++r) v.push_back(sql::ResultWriter::Text(c.columns[0], r));
    }
    return v;
  };
  RunOutcome first = Run(any, "ir.principal-activity", {{"principal_arn", kAliceArn}});
  ASSERT_TRUE(first.status.ok()) << first.status.ToString();
  EXPECT_FALSE(first.stats.plan_cached);
  EXPECT_THAT(ids(first), ElementsAre("00000000-0000-4000-8000-000000000001",
                                      "00000000-0000-4000-8000-000000000002"));

  RunOutcome other_param = Run(any, "ir.principal-activity", {{"principal_arn", alice_b}});
  ASSERT_TRUE(other_param.status.ok()) << other_param.status.ToString();
  EXPECT_TRUE(other_param.stats.plan_cached);
  EXPECT_THAT(ids(other_param), ElementsAre("00000000-0000-4000-8000-000000000003"));

  RunOutcome outside = Run(only_a, "ir.principal-activity", {{"principal_arn", alice_b}});
  ASSERT_TRUE(outside.status.ok()) << outside.status.ToString();
  EXPECT_TRUE(outside.stats.plan_cached);
  EXPECT_THAT(ids(outside), ElementsAre());
  EXPECT_THAT(audit_->events.back().additional_event_data_json, HasSubstr("111111111111"));

  RunOutcome inside = Run(only_b, "ir.principal-activity", {{"principal_arn", alice_b}});
  EXPECT_TRUE(inside.stats.plan_cached);
  EXPECT_THAT(ids(inside), ElementsAre("00000000-0000-4000-8000-000000000003"));
  RunOutcome first_under_b = Run(only_b, "ir.principal-activity", {{"principal_arn", kAliceArn}});
  EXPECT_TRUE(first_under_b.stats.plan_cached);
  EXPECT_THAT(ids(first_under_b), ElementsAre());

  // The time window (start defaults to now - 24h) follows the clock, run by run.
  clock_.Advance(int64_t{24} * 3600 * 1000000);
  RunOutcome later = Run(Token(R"(["ir.*"])", "runbook:run"), "ir.principal-activity",
                         {{"principal_arn", kAliceArn}});
  ASSERT_TRUE(later.status.ok()) << later.status.ToString();
  EXPECT_TRUE(later.stats.plan_cached);
  EXPECT_THAT(ids(later), ElementsAre());
}

// With plan_for_runs off (the server), executed runs carry no plan; dry runs still do.
TEST_F(ExecutorTest, PlanForRunsOffLeavesRunsWithoutPlanButDryRunsKeepIt) {
  ExecutorOptions options;
  options.clock = &clock_;
  options.threads = 1;
  options.plan_for_runs = false;
  Executor quiet(library_, *verifier_, *engine_, *audit_, options);
  RunRequest req;
  req.token = Token(R"(["ir.*"])", "runbook:run", R"({"accounts":["111111111111"]})");
  req.runbook_id = "ir.principal-activity";
  req.params = {{"principal_arn", kAliceArn}};
  RunOutcome run = quiet.Run(req);
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.rows, 2u);
  EXPECT_EQ(run.plan, "");
  EXPECT_EQ(run.result_sha256.size(), 64u);
  req.dry_run = true;
  RunOutcome dry = quiet.Run(req);
  ASSERT_TRUE(dry.status.ok()) << dry.status.ToString();
  EXPECT_THAT(dry.plan, HasSubstr("constraints: recipientAccountId IN ('111111111111')"));
  // The default still renders the plan of an executed run.
  RunOutcome loud = Run(req.token, "ir.principal-activity", {{"principal_arn", kAliceArn}});
  EXPECT_THAT(loud.plan, HasSubstr("rows: "));
}

TEST_F(ExecutorTest, RunbookNotInClaimsIsDenied) {
  RunOutcome out = Run(Token(R"(["detect.*"])", "runbook:run"), "ir.principal-activity",
                       {{"principal_arn", kAliceArn}});
  EXPECT_EQ(out.status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(out.status.message(), "not allowed");
  EXPECT_TRUE(out.chunks.empty());
  EXPECT_EQ(out.decision.claim, "runbooks");
  ASSERT_EQ(audit_->events.size(), 1u);
  EXPECT_EQ(audit_->events[0].error_code, "AccessDenied");
  EXPECT_THAT(audit_->events[0].error_message, HasSubstr("not in the token's runbooks claim"));
  EXPECT_THAT(audit_->events[0].additional_event_data_json, HasSubstr("{\"name\":\"runbook\",\"outcome\":\"fail\""));
  EXPECT_THAT(AuditRow(out.request_id), ElementsAre("RunRunbook", "alice@example.com", "AccessDenied",
                                                    "ir.principal-activity", "NULL", "192.0.2.1"));
}

TEST_F(ExecutorTest, UnknownRunbookInsideClaimsIsNotFoundButUnclaimedIsDenied) {
  EXPECT_EQ(Run(Token(R"(["ir.*"])", "runbook:run"), "ir.nope").status.code(), StatusCode::kNotFound);
  EXPECT_EQ(Run(Token(R"(["detect.*"])", "runbook:run"), "ir.nope").status.code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(audit_->events.size(), 2u);
}

TEST_F(ExecutorTest, ExpiredTokenIsUnauthenticated) {
  RunOutcome out = Run(Token(R"(["ir.*"])", "runbook:run", "", -3600), "ir.principal-activity",
                       {{"principal_arn", kAliceArn}});
  EXPECT_EQ(out.status.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(out.status.message(), "invalid token");
  EXPECT_TRUE(out.chunks.empty());
  ASSERT_EQ(audit_->events.size(), 1u);
  EXPECT_EQ(audit_->events[0].error_code, "InvalidToken");
  EXPECT_THAT(audit_->events[0].error_message, HasSubstr("exp"));
  EXPECT_THAT(audit_->events[0].additional_event_data_json, HasSubstr("{\"name\":\"exp\",\"outcome\":\"fail\""));
  EXPECT_THAT(AuditRow(out.request_id), ElementsAre("RunRunbook", "", "InvalidToken",
                                                    "ir.principal-activity", "NULL", "192.0.2.1"));
}

TEST_F(ExecutorTest, GarbageTokenIsUnauthenticated) {
  RunOutcome out = Run("not.a.token", "ir.principal-activity", {{"principal_arn", kAliceArn}});
  EXPECT_EQ(out.status.code(), StatusCode::kUnauthenticated);
  ASSERT_EQ(audit_->events.size(), 1u);
  EXPECT_EQ(audit_->events[0].principal_id, "");
}

// A caller that verified the token itself (the server's Authenticate) hands the verification
// over; the executor takes the principal from it rather than verifying the token again.
TEST_F(ExecutorTest, CallersVerificationIsUsedInsteadOfVerifyingAgain) {
  auth::Verification verified =
      verifier_->Verify(Token(R"(["ir.*"])", "runbook:run"), auth::RequestContext{&clock_, ""});
  ASSERT_TRUE(verified.principal.has_value());
  RunRequest req;
  req.token = "not.a.token";  // Would not verify: the handed-over verification decides.
  req.verification = &verified;
  req.runbook_id = "ir.principal-activity";
  req.params = {{"principal_arn", kAliceArn}};
  RunOutcome out = executor_->Run(req);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.rows, 2u);
  EXPECT_EQ(out.principal->token_sha256, verified.principal->token_sha256);
  // The outcome keeps the token's steps (for `run --dry-run` output) after auditing them.
  ASSERT_EQ(out.token_steps.size(), verified.steps.size());
  EXPECT_EQ(out.token_steps.back().name, verified.steps.back().name);
  ASSERT_EQ(audit_->events.size(), 1u);
  EXPECT_EQ(audit_->events[0].token_sha256, verified.principal->token_sha256);
  EXPECT_THAT(audit_->events[0].additional_event_data_json,
              HasSubstr("{\"name\":\"signature\",\"outcome\":\"pass\""));
}

// A handed-over verification that failed denies the request, even when the token itself
// would verify now: the executor never verifies again to overturn it.
TEST_F(ExecutorTest, FailedCallersVerificationIsUnauthenticated) {
  auth::Verification expired = verifier_->Verify(Token(R"(["ir.*"])", "runbook:run", "", -3600),
                                                 auth::RequestContext{&clock_, ""});
  ASSERT_FALSE(expired.principal.has_value());
  RunRequest req;
  req.token = Token(R"(["ir.*"])", "runbook:run");
  req.verification = &expired;
  req.runbook_id = "ir.principal-activity";
  req.params = {{"principal_arn", kAliceArn}};
  RunOutcome out = executor_->Run(req);
  EXPECT_EQ(out.status.code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(out.chunks.empty());
  ASSERT_EQ(audit_->events.size(), 1u);
  EXPECT_EQ(audit_->events[0].error_code, "InvalidToken");
  EXPECT_THAT(audit_->events[0].error_message, HasSubstr("exp"));

  QueryRequest query;
  query.token = Token(R"(["ir.*"])", "query:adhoc");
  query.verification = &expired;
  query.sql = "SELECT count(*) FROM events";
  EXPECT_EQ(executor_->Query(query).status.code(), StatusCode::kUnauthenticated);
}

// With a handed-over verification, authorization and the token's constraints still apply
// to every request, through the plan cache too.
TEST_F(ExecutorTest, CallersVerificationStillGetsScopeAndConstraintChecks) {
  auth::RequestContext rc{&clock_, ""};
  auth::Verification wrong_scope = verifier_->Verify(Token(R"(["ir.*"])", "snapshot:read"), rc);
  auth::Verification only_a = verifier_->Verify(
      Token(R"(["ir.*"])", "runbook:run", R"({"accounts":["111111111111"]})"), rc);
  auth::Verification any = verifier_->Verify(Token(R"(["ir.*"])", "runbook:run"), rc);
  auto run = [&](const auth::Verification& v, const std::string& account) {
    RunRequest req;
    req.token = "not.a.token";
    req.verification = &v;
    req.runbook_id = "ir.by-user";
    req.params = {{"user", "alice"}, {"account", account}};
    return executor_->Run(req);
  };
  RunOutcome denied = run(wrong_scope, kA);
  EXPECT_EQ(denied.status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.decision.claim, "scope");
  RunOutcome outside = run(only_a, kB);
  EXPECT_EQ(outside.status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(outside.decision.claim, "constraints.accounts");
  RunOutcome all = run(any, kB);
  ASSERT_TRUE(all.status.ok()) << all.status.ToString();
  EXPECT_EQ(Count(all), 1);  // event 3
  RunOutcome inside = run(only_a, kA);
  ASSERT_TRUE(inside.status.ok()) << inside.status.ToString();
  EXPECT_EQ(Count(inside), 3);  // events 1, 2, 6
  EXPECT_THAT(audit_->events.back().additional_event_data_json, HasSubstr("111111111111"));
  // The accounts constraint also filters the scan of a runbook without an account parameter.
  RunRequest req;
  req.token = "not.a.token";
  req.verification = &only_a;
  req.runbook_id = "ir.principal-activity";
  req.params = {{"principal_arn", "arn:aws:iam::222222222222:user/alice"}};
  RunOutcome filtered = executor_->Run(req);
  ASSERT_TRUE(filtered.status.ok()) << filtered.status.ToString();
  EXPECT_EQ(filtered.rows, 0u);
  req.verification = &any;
  EXPECT_EQ(executor_->Run(req).rows, 1u);  // event 3
}

TEST_F(ExecutorTest, WrongScopeIsDenied) {
  RunOutcome out = Run(Token(R"(["ir.*"])", "snapshot:read"), "ir.principal-activity",
                       {{"principal_arn", kAliceArn}});
  EXPECT_EQ(out.status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(out.decision.claim, "scope");
  EXPECT_THAT(audit_->events.at(0).error_message, HasSubstr("runbook:run"));
  EXPECT_THAT(AuditRow(out.request_id), ElementsAre("RunRunbook", "alice@example.com", "AccessDenied",
                                                    "ir.principal-activity", "NULL", "192.0.2.1"));
}

TEST_F(ExecutorTest, AccountParameterOutsideConstraintsIsDenied) {
  std::string token = Token(R"(["ir.*"])", "runbook:run", R"({"accounts":["111111111111"]})");
  RunOutcome out = Run(token, "ir.by-user", {{"user", "alice"}, {"account", kB}});
  EXPECT_EQ(out.status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(out.decision.claim, "constraints.accounts");
  EXPECT_EQ(audit_->events.at(0).error_code, "AccessDenied");
  EXPECT_THAT(audit_->events.at(0).error_message, HasSubstr("222222222222"));
  EXPECT_THAT(AuditRow(out.request_id), ElementsAre("RunRunbook", "alice@example.com", "AccessDenied",
                                                    "ir.by-user", "NULL", "192.0.2.1"));
  RunOutcome ok = Run(token, "ir.by-user", {{"user", "alice"}, {"account", kA}});
  ASSERT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(Count(ok), 3);  // events 1, 2, 6
}

TEST_F(ExecutorTest, WindowLongerThanMaxWindowIsDenied) {
  std::string token = Token(R"(["ir.*"])", "runbook:run", R"({"max_window":"1h"})");
  RunOutcome out = Run(token, "ir.principal-activity", {{"principal_arn", kAliceArn}});
  EXPECT_EQ(out.status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(out.decision.claim, "constraints.max_window");
  EXPECT_THAT(out.decision.detail, HasSubstr("longer than the token's max_window 1h"));
  RunOutcome ok = Run(token, "ir.principal-activity",
                      {{"principal_arn", kAliceArn}, {"start", "2026-01-10T00:30:00Z"},
                       {"end", "2026-01-10T01:30:00Z"}});
  ASSERT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(ok.rows, 1u);
}

TEST_F(ExecutorTest, StartBeforeEventTimeAfterIsDenied) {
  std::string token =
      Token(R"(["ir.*"])", "runbook:run", R"({"event_time_after":"2026-01-10T00:00:00Z"})");
  RunOutcome out = Run(token, "ir.principal-activity", {{"principal_arn", kAliceArn}});
  EXPECT_EQ(out.decision.claim, "constraints.event_time_after");
  EXPECT_EQ(out.status.code(), StatusCode::kPermissionDenied);
}

TEST_F(ExecutorTest, HostileParameterValuesAreLiteralOrRejected) {
  std::string token = Token(R"(["ir.*"])", "runbook:run");
  RunOutcome inject = Run(token, "ir.by-user", {{"user", "' OR 1=1 --"}});
  ASSERT_TRUE(inject.status.ok()) << inject.status.ToString();
  EXPECT_EQ(Count(inject), 0);
  RunOutcome inject2 = Run(token, "ir.by-user", {{"user", "alice' OR '1'='1"}});
  EXPECT_EQ(Count(inject2), 0);

  RunOutcome huge = Run(token, "ir.by-user", {{"user", std::string(1 << 20, 'a')}});
  EXPECT_EQ(huge.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(huge.status.message(), HasSubstr("parameter 'user': value is 1048576 bytes"));
  EXPECT_EQ(audit_->events.back().error_code, "InvalidParameter");
  EXPECT_THAT(AuditRow(huge.request_id), ElementsAre("RunRunbook", "alice@example.com",
                                                     "InvalidParameter", "ir.by-user", "NULL",
                                                     "192.0.2.1"));
  EXPECT_LT(audit_->events.back().request_parameters_json.size(), 4096u);

  RunOutcome wrong_type = Run(token, "ir.by-user", {{"user", "alice"}, {"n", "1; DROP TABLE events"}});
  EXPECT_EQ(wrong_type.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(wrong_type.status.message(), HasSubstr("parameter 'n': not an integer"));

  RunOutcome bad_arn = Run(token, "ir.principal-activity", {{"principal_arn", "x' OR 1=1"}});
  EXPECT_EQ(bad_arn.status.code(), StatusCode::kInvalidArgument);

  RunOutcome unknown = Run(token, "ir.by-user", {{"user", "alice"}, {"evil", "1"}});
  EXPECT_THAT(unknown.status.message(), HasSubstr("has no such parameter"));

  RunOutcome missing = Run(token, "ir.by-user", {});
  EXPECT_THAT(missing.status.message(), HasSubstr("parameter 'user': required"));
  EXPECT_EQ(audit_->events.size(), 7u);
}

TEST_F(ExecutorTest, ParameterErrorsOfUnclaimedRunbookAreDenials) {
  RunOutcome out = Run(Token(R"(["detect.*"])", "runbook:run"), "ir.by-user", {{"n", "abc"}});
  EXPECT_EQ(out.status.code(), StatusCode::kPermissionDenied);
}

TEST_F(ExecutorTest, HostileRunbooksCannotEscapeConstraints) {
  std::string token = Token(R"(["hostile.*"])", "runbook:run",
                            R"({"accounts":["111111111111"],"regions":["us-east-1"]})");
  for (const auto& [id, sql] : HostileQueries()) {
    RunOutcome out = Run(token, id);
    ASSERT_TRUE(out.status.ok()) << id << ": " << out.status.ToString();
    if (id == "hostile.union") {
      EXPECT_EQ(Count(out), 3) << id;  // account A's 3 non-audit events; the UNION arm sees none
    } else {
      EXPECT_EQ(Count(out), 0) << id;
    }
    EXPECT_THAT(audit_->events.back().additional_event_data_json,
                HasSubstr("recipientAccountId IN ('111111111111')"));
    EXPECT_THAT(AuditRow(out.request_id),
                ElementsAre("RunRunbook", "alice@example.com", "NULL", id, "1", "192.0.2.1"));
  }
}

TEST_F(ExecutorTest, AuditEventsNeedAuditRead) {
  // Ad-hoc SQL without audit:read sees no audit events; with it, it does.
  RunOutcome hidden = Query(Token(R"(["ir.*"])", "query:adhoc"),
                            "SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit'");
  ASSERT_TRUE(hidden.status.ok()) << hidden.status.ToString();
  EXPECT_EQ(Count(hidden), 0);
  RunOutcome all = Query(Token(R"(["ir.*"])", "query:adhoc"), "SELECT count(*) FROM events");
  EXPECT_EQ(Count(all), 5);
  RunOutcome shown = Query(Token(R"(["ir.*"])", "query:adhoc audit:read"),
                           "SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit'");
  EXPECT_EQ(Count(shown), 3);  // the fixture's one, and the audit events of the two queries above
  // audit.* runbooks need audit:read on top of runbook:run.
  RunOutcome denied = Run(Token(R"(["audit.*"])", "runbook:run"), "audit.who-ran-what");
  EXPECT_EQ(denied.status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.decision.claim, "scope");
  RunOutcome allowed = Run(Token(R"(["audit.*"])", "runbook:run audit:read"), "audit.who-ran-what");
  ASSERT_TRUE(allowed.status.ok());
  EXPECT_EQ(Count(allowed), 5);  // the fixture's one and four requests of this test
  EXPECT_THAT(AuditRow(denied.request_id), ElementsAre("RunRunbook", "alice@example.com",
                                                       "AccessDenied", "audit.who-ran-what", "NULL",
                                                       "192.0.2.1"));
}

TEST_F(ExecutorTest, AdhocQueryNeedsScope) {
  RunOutcome out = Query(Token(R"(["ir.*"])", "runbook:run"), "SELECT count(*) FROM events");
  EXPECT_EQ(out.status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(out.decision.claim, "scope");
  ASSERT_EQ(audit_->events.size(), 1u);
  EXPECT_EQ(audit_->events[0].event_name, "QueryAdhoc");
  EXPECT_THAT(audit_->events[0].request_parameters_json, HasSubstr("SELECT count(*) FROM events"));
  EXPECT_THAT(AuditRow(out.request_id),
              ElementsAre("QueryAdhoc", "alice@example.com", "AccessDenied", "NULL", "NULL", "local"));
}

TEST_F(ExecutorTest, AdhocQueryErrorIsReportedAndAudited) {
  RunOutcome out = Query(Token(R"(["ir.*"])", "query:adhoc"), "SELEC 1");
  EXPECT_EQ(out.status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(audit_->events.at(0).error_code, "QueryFailed");
  EXPECT_THAT(AuditRow(out.request_id),
              ElementsAre("QueryAdhoc", "alice@example.com", "QueryFailed", "NULL", "NULL", "local"));
}

TEST_F(ExecutorTest, AuditFailureFailsClosed) {
  audit_->fail = true;
  RunOutcome out = Run(Token(R"(["ir.*"])", "runbook:run"), "ir.principal-activity",
                       {{"principal_arn", kAliceArn}});
  EXPECT_EQ(out.status.code(), StatusCode::kIOError);
  EXPECT_THAT(out.status.message(), HasSubstr("audit log write failed"));
  EXPECT_TRUE(out.chunks.empty());
  EXPECT_EQ(out.rows, 0u);
  EXPECT_FALSE(out.receipt.has_value());
}

TEST_F(ExecutorTest, DryRunPlansButReturnsNothing) {
  std::string token = Token(R"(["ir.*"])", "runbook:run", R"({"accounts":["111111111111"]})");
  RunOutcome out = Run(token, "ir.principal-activity", {{"principal_arn", kAliceArn}}, true);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_TRUE(out.chunks.empty());
  EXPECT_THAT(out.plan, HasSubstr("constraints"));
  EXPECT_THAT(out.constraints.ToString(), HasSubstr("111111111111"));
  EXPECT_EQ(out.params.display.at("principal_arn"), kAliceArn);
  ASSERT_EQ(audit_->events.size(), 1u);
  EXPECT_EQ(audit_->events[0].event_name, "DryRunRunbook");
  EXPECT_THAT(audit_->events[0].request_parameters_json, HasSubstr("\"dryRun\":true"));
  EXPECT_THAT(AuditRow(out.request_id), ElementsAre("DryRunRunbook", "alice@example.com", "NULL",
                                                    "ir.principal-activity", "0", "192.0.2.1"));
  // A denied dry run is audited too and says which claim denied it.
  RunOutcome denied = Run(Token(R"(["x.y"])", "runbook:run"), "ir.principal-activity",
                          {{"principal_arn", kAliceArn}}, true);
  EXPECT_EQ(denied.decision.claim, "runbooks");
  EXPECT_EQ(audit_->events.size(), 2u);
  EXPECT_THAT(AuditRow(denied.request_id), ElementsAre("DryRunRunbook", "alice@example.com",
                                                       "AccessDenied", "ir.principal-activity",
                                                       "NULL", "192.0.2.1"));
}

TEST_F(ExecutorTest, ConcurrentRunsEachLeaveOneIntactAuditEvent) {
  std::string token = Token(R"(["ir.*"])", "runbook:run");
  constexpr int kThreads = 4, kRunsPerThread = 5;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRunsPerThread; ++i) {
        RunOutcome out = Run(token, "ir.principal-activity", {{"principal_arn", kAliceArn}});
        EXPECT_TRUE(out.status.ok()) << out.status.ToString();
        ids[static_cast<size_t>(t)].push_back(out.request_id);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> distinct;
  for (const auto& per_thread : ids) {
    for (const std::string& id : per_thread) {
      distinct.insert(id);
      EXPECT_THAT(AuditRow(id), ElementsAre("RunRunbook", "alice@example.com", "NULL",
                                            "ir.principal-activity", "2", "192.0.2.1"));
    }
  }
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kRunsPerThread));
}

// Counts Enter/Leave; refuses every Enter when `refuse` is set.
class CountingAdmission : public QueryAdmission {
 public:
  Status Enter() override {
    ++entered;
    if (refuse) return ResourceExhausted("too many queries; retry later");
    ++inside;
    return Status::OK();
  }
  void Leave() override {
    ++left;
    --inside;
  }
  bool refuse = false;
  int entered = 0, left = 0, inside = 0;
};

TEST_F(ExecutorTest, AdmissionCoversOnlyTheQueryAndARefusalIsAudited) {
  CountingAdmission admission;
  RunRequest req;
  req.token = Token(R"(["ir.*"])", "runbook:run");
  req.runbook_id = "ir.principal-activity";
  req.params = {{"principal_arn", kAliceArn}};
  req.admission = &admission;
  RunOutcome ok = executor_->Run(req);
  ASSERT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(ok.rows, 2u);
  EXPECT_EQ(admission.entered, 1);
  EXPECT_EQ(admission.left, 1);
  EXPECT_EQ(admission.inside, 0);

  // A denied request never asks for admission.
  RunRequest denied = req;
  denied.token = Token(R"(["detect.*"])", "runbook:run");
  EXPECT_EQ(executor_->Run(denied).status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(admission.entered, 1);

  admission.refuse = true;
  RunOutcome refused = executor_->Run(req);
  EXPECT_EQ(refused.status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.error_code, "Throttled");
  EXPECT_TRUE(refused.chunks.empty());
  EXPECT_EQ(admission.entered, 2);
  EXPECT_EQ(admission.left, 1);  // Leave only after a successful Enter.
  ASSERT_EQ(audit_->events.size(), 3u);
  EXPECT_EQ(audit_->events[2].error_code, "Throttled");
  EXPECT_EQ(audit_->events[2].event_name, "RunRunbook");

  QueryRequest query;
  query.token = Token(R"(["ir.*"])", "query:adhoc");
  query.sql = "SELECT count(*) FROM events";
  query.admission = &admission;
  RunOutcome q = executor_->Query(query);
  EXPECT_EQ(q.error_code, "Throttled");
  EXPECT_EQ(admission.entered, 3);
  EXPECT_EQ(audit_->events.size(), 4u);
}

TEST_F(ExecutorTest, RequireReason) {
  std::string token = Token(R"(["ir.*"])", "runbook:run");
  RunOutcome out = Run(token, "ir.needs-reason");
  EXPECT_EQ(out.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status.message(), HasSubstr("requires a reason"));
  RunRequest req;
  req.token = token;
  req.runbook_id = "ir.needs-reason";
  req.reason = "INC-1234: suspicious login";
  RunOutcome ok = executor_->Run(req);
  ASSERT_TRUE(ok.status.ok());
  EXPECT_THAT(audit_->events.back().request_parameters_json, HasSubstr("\"reason\":\"INC-1234: suspicious login\""));
  req.reason = "bad\nreason";
  EXPECT_EQ(executor_->Run(req).status.code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace trailbook::runbook
