#include "server/api_handler.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <thread>

#include "auth/jwt/testing/token_factory.h"
#include "base/timestamp.h"
#include "server/testing/openapi_validator.h"
#include "server/testing/api_test_env.h"
#include "server/testing/test_backends.h"

namespace trailbook::server {
namespace {

using testing::MintTestToken;
using testing::OpenApiSpec;
using testing::RecordingAuditLog;
using testing::Env;
using testing::kNowS;
using testing::kNowUs;

const OpenApiSpec& Spec() {
  static const OpenApiSpec* spec = [] {
    auto loaded = OpenApiSpec::Load("docs/api/openapi.yaml");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return new OpenApiSpec(std::move(loaded).value());
  }();
  return *spec;
}

std::string HeaderOf(const HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return "";
}

void ExpectSpec(const HttpResponse& r, std::string_view route, std::string_view method) {
  Status s = Spec().ValidateResponse(route, method, r.status, r.content_type, r.body);
  EXPECT_TRUE(s.ok()) << route << " " << r.status << ": " << s.ToString() << "\n" << r.body;
}

std::string Field(const HttpResponse& r) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(r.body).get(e) != simdjson::SUCCESS) return "<not json>";
  std::string_view field;
  if (e["field"].get(field) != simdjson::SUCCESS) return "";
  return std::string(field);
}

// Parses a JSON result page; returns the rows' eventID values and the next cursor.
std::pair<std::vector<std::string>, std::string> Rows(const HttpResponse& r) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  simdjson::dom::array rows;
  std::vector<std::string> ids;
  if (parser.parse(r.body).get(e) != simdjson::SUCCESS || e["rows"].get(rows) != simdjson::SUCCESS) {
    return {ids, ""};
  }
  for (simdjson::dom::element row : rows) {
    std::string_view id;
    if (row["eventID"].get(id) == simdjson::SUCCESS) ids.emplace_back(id);
  }
  std::string next;
  std::string_view n;
  if (e["next"].get(n) == simdjson::SUCCESS) next = std::string(n);
  return {ids, next};
}

int64_t CountResult(const HttpResponse& r) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  simdjson::dom::array rows;
  simdjson::dom::object first;
  if (parser.parse(r.body).get(e) != simdjson::SUCCESS || e["rows"].get(rows) != simdjson::SUCCESS ||
      rows.at(0).get(first) != simdjson::SUCCESS) {
    return -1;
  }
  for (auto [k, v] : first) {
    int64_t n = -1;
    if (v.get(n) == simdjson::SUCCESS) return n;
  }
  return -1;
}

TEST(ApiHandlerTest, HealthReadinessAndMetricsNeedNoToken) {
  Env env;
  env.handler->set_ready(false);
  HttpResponse health = env.Call("GET", "/healthz", "");
  EXPECT_EQ(health.status, 200);
  ExpectSpec(health, "/healthz", "get");
  HttpResponse not_ready = env.Call("GET", "/readyz", "");
  EXPECT_EQ(not_ready.status, 503);
  ExpectSpec(not_ready, "/readyz", "get");
  EXPECT_EQ(env.Call("GET", "/v1/runbooks", env.Token({})).status, 503);
  env.handler->set_ready(true);
  HttpResponse ready = env.Call("GET", "/readyz", "");
  EXPECT_EQ(ready.status, 200);
  ExpectSpec(ready, "/readyz", "get");
  HttpResponse metrics = env.Call("GET", "/metrics", "");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("trailbook_http_requests_total{route=\"/readyz\",status=\"503\",denial=\"\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("trailbook_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 1"),
            std::string::npos);
  EXPECT_EQ(env.Call("POST", "/healthz", "").status, 405);
}

TEST(ApiHandlerTest, MissingOrBadTokensAre401AndAudited) {
  Env env;
  std::string good = env.Token({"query:adhoc"});
  std::string tampered = auth::testing::TokenFactory::WithSignature(good, std::string(64, 'x'));
  struct Case {
    std::string authorization;
    std::string reason;
  } cases[] = {{"", "no Authorization"},
               {"Basic dXNlcjpwYXNz", "not a Bearer"},
               {"Bearer ", "empty"},
               {"Bearer " + tampered, "signature"},
               {"Bearer " + std::string(9000, 'a'), "exceeds"},
               {"Bearer not.a.jwt", "format"}};
  for (const Case& c : cases) {
    HttpRequest r;
    r.method = "GET";
    r.path = "/v1/runbooks";
    r.peer_address = "192.0.2.7";
    r.request_id = "req-x";
    if (!c.authorization.empty()) r.headers.emplace_back("Authorization", c.authorization);
    HttpResponse resp = env.handler->Handle(r);
    EXPECT_EQ(resp.status, 401) << c.reason;
    EXPECT_EQ(HeaderOf(resp, "WWW-Authenticate"), "Bearer error=\"invalid_token\"");
    EXPECT_EQ(resp.denial, "invalid_token");
    EXPECT_NE(resp.body.find("\"detail\":\"invalid token\""), std::string::npos) << resp.body;
    ExpectSpec(resp, "/v1/runbooks", "get");
  }
  auto events = env.audit.events();
  ASSERT_EQ(events.size(), std::size(cases));
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].event_name, "VerifyToken");
    EXPECT_EQ(events[i].error_code, "InvalidToken");
    EXPECT_EQ(events[i].source_ip, "192.0.2.7");
    EXPECT_EQ(events[i].request_id, "req-x");
    EXPECT_NE(events[i].error_message.find(cases[i].reason), std::string::npos)
        << events[i].error_message;
  }
  // The signature failure carries the verifier's ordered steps.
  EXPECT_NE(events[3].additional_event_data_json.find("\"step\":\"signature\",\"outcome\":\"fail\""),
            std::string::npos)
      << events[3].additional_event_data_json;
  // Two Authorization headers are refused.
  HttpRequest twice;
  twice.method = "GET";
  twice.path = "/v1/runbooks";
  twice.headers = {{"Authorization", "Bearer " + good}, {"authorization", "Bearer " + good}};
  EXPECT_EQ(env.handler->Handle(twice).status, 401);
}

TEST(ApiHandlerTest, ForwardedForIsHonouredOnlyFromTrustedProxies) {
  Env env;
  for (const char* peer : {"10.1.2.3", "198.51.100.9"}) {
    HttpRequest r;
    r.method = "GET";
    r.path = "/v1/runbooks";
    r.peer_address = peer;
    r.headers = {{"X-Forwarded-For", "203.0.113.50, 10.9.9.9"}};
    EXPECT_EQ(env.handler->Handle(r).status, 401);
  }
  auto events = env.audit.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].source_ip, "203.0.113.50");  // Via the trusted proxy chain.
  EXPECT_EQ(events[1].source_ip, "198.51.100.9");  // Forged header from an untrusted peer.
}

TEST(ApiHandlerTest, AdhocQueryNeedsScopeAndIsAudited) {
  Env env;
  std::string body = R"({"sql":"SELECT count(*) AS n FROM events"})";
  ASSERT_TRUE(Spec().ValidateRequest("/v1/query", "post", body).ok());
  HttpResponse denied = env.Call("POST", "/v1/query", env.Token({"runbook:run"}), body);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.denial, "scope");
  ExpectSpec(denied, "/v1/query", "post");
  EXPECT_EQ(env.audit.Count("QueryAdhoc", "AccessDenied"), 1u);

  HttpResponse ok = env.Call("POST", "/v1/query", env.Token({"query:adhoc"}), body);
  ASSERT_EQ(ok.status, 200) << ok.body;
  ExpectSpec(ok, "/v1/query", "post");
  EXPECT_EQ(CountResult(ok), 45);
  ASSERT_EQ(env.audit.Count("QueryAdhoc", ""), 1u);
  audit::AuditEvent event = env.audit.events().back();
  EXPECT_EQ(event.principal_id, "alice@example.com");
  EXPECT_NE(event.response_elements_json.find(HeaderOf(ok, "X-Result-Sha256")), std::string::npos);
  EXPECT_NE(event.request_parameters_json.find("SELECT count(*)"), std::string::npos);
  EXPECT_NE(event.additional_event_data_json.find("\"name\":\"signature\",\"outcome\":\"pass\""),
            std::string::npos)
      << event.additional_event_data_json;
  // The denial's reason is in the audit event, never in the response.
  EXPECT_EQ(denied.body.find("query:adhoc"), std::string::npos) << denied.body;
  EXPECT_NE(env.audit.events().front().error_message.find("query:adhoc"), std::string::npos);
}

TEST(ApiHandlerTest, TokenConstraintsNarrowEveryQuery) {
  Env env;
  auth::Constraints accounts;
  accounts.accounts = {"222222222222"};
  std::string body = R"({"sql":"SELECT count(*) AS n FROM events"})";
  HttpResponse r = env.Call("POST", "/v1/query", env.Token({"query:adhoc"}, {"ir.*"}, accounts), body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(CountResult(r), 12);
  // A subquery or UNION cannot lift the constraint either.
  std::string hostile =
      R"js({"sql":"SELECT count(*) AS n FROM (SELECT eventID FROM events UNION ALL SELECT eventID FROM events WHERE recipientAccountId = '111111111111')"})js";
  r = env.Call("POST", "/v1/query", env.Token({"query:adhoc"}, {"ir.*"}, accounts), hostile);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(CountResult(r), 12);
  // max_window without bounds keeps the query inside the last window before now.
  auth::Constraints window;
  window.max_window_us = 24 * 3600 * int64_t{1000000};
  r = env.Call("POST", "/v1/query", env.Token({"query:adhoc"}, {"ir.*"}, window),
               R"({"sql":"SELECT count(*) AS n FROM events WHERE eventTime < timestamp '2024-03-02 00:00:00'"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(CountResult(r), 0);
}

TEST(ApiHandlerTest, RunsPageWithCursorsUntilTheEnd) {
  Env env;
  std::string token = env.Token({"runbook:run"}, {"ir.all-events"});
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    std::string body = R"({"limit":20)" + (cursor.empty() ? std::string() : ",\"cursor\":\"" + cursor + "\"") + "}";
    HttpResponse r = env.Call("POST", "/v1/runbooks/ir.all-events/runs", token, body);
    ASSERT_EQ(r.status, 200) << r.body;
    ExpectSpec(r, "/v1/runbooks/{id}/runs", "post");
    auto [ids, next] = Rows(r);
    EXPECT_EQ(ids.size(), pages < 2 ? 20u : 5u);
    seen.insert(ids.begin(), ids.end());
    cursor = next;
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 45u);
  EXPECT_EQ(env.audit.Count("RunRunbook", ""), 3u);

  // A forged cursor and a cursor of another request are refused.
  HttpResponse first = env.Call("POST", "/v1/runbooks/ir.all-events/runs", token, R"({"limit":20})");
  std::string good = Rows(first).second;
  std::string forged = "5" + good.substr(good.find('.'));
  HttpResponse bad = env.Call("POST", "/v1/runbooks/ir.all-events/runs", token,
                              R"({"limit":20,"cursor":")" + forged + "\"}");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Field(bad), "cursor");
  HttpResponse other = env.Call("POST", "/v1/runbooks/ir.all-events/runs", token,
                                R"({"limit":20,"format":"ndjson","cursor":")" + good + "\"}");
  EXPECT_EQ(other.status, 400);
  EXPECT_EQ(Field(other), "cursor");
}

TEST(ApiHandlerTest, NdjsonAndCsvCarryTheCursorInAHeader) {
  Env env;
  std::string token = env.Token({"runbook:run"}, {"ir.all-events"});
  HttpResponse nd = env.Call("POST", "/v1/runbooks/ir.all-events/runs", token,
                             R"({"format":"ndjson","limit":10})");
  ASSERT_EQ(nd.status, 200) << nd.body;
  ExpectSpec(nd, "/v1/runbooks/{id}/runs", "post");
  EXPECT_EQ(nd.content_type, "application/x-ndjson");
  EXPECT_EQ(std::count(nd.body.begin(), nd.body.end(), '\n'), 10);
  EXPECT_FALSE(HeaderOf(nd, "X-Next-Cursor").empty());
  HttpResponse csv = env.Call("POST", "/v1/runbooks/ir.all-events/runs", token,
                              R"({"format":"csv","limit":100})");
  ASSERT_EQ(csv.status, 200) << csv.body;
  ExpectSpec(csv, "/v1/runbooks/{id}/runs", "post");
  EXPECT_EQ(csv.body.rfind("eventID,eventName,recipientAccountId\r\n", 0), 0u) << csv.body.substr(0, 80);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 46);
  EXPECT_TRUE(HeaderOf(csv, "X-Next-Cursor").empty());
  EXPECT_EQ(HeaderOf(csv, "X-Row-Count"), "45");
}

TEST(ApiHandlerTest, RunbookListingAndLookupFollowTheClaims) {
  Env env;
  HttpResponse all = env.Call("GET", "/v1/runbooks", env.Token({}, {"ir.*"}));
  ASSERT_EQ(all.status, 200);
  ExpectSpec(all, "/v1/runbooks", "get");
  EXPECT_NE(all.body.find("ir.all-events"), std::string::npos);
  EXPECT_NE(all.body.find("ir.user-activity"), std::string::npos);
  HttpResponse one = env.Call("GET", "/v1/runbooks", env.Token({}, {"ir.user-activity"}));
  EXPECT_EQ(one.body.find("ir.all-events"), std::string::npos);
  EXPECT_NE(one.body.find("ir.user-activity"), std::string::npos);

  HttpResponse get = env.Call("GET", "/v1/runbooks/ir.user-activity", env.Token({}, {"ir.*"}));
  ASSERT_EQ(get.status, 200);
  ExpectSpec(get, "/v1/runbooks/{id}", "get");
  EXPECT_NE(get.body.find("\"required\":[\"user\"]"), std::string::npos);
  HttpResponse forbidden = env.Call("GET", "/v1/runbooks/ir.all-events", env.Token({}, {"ir.user-activity"}));
  EXPECT_EQ(forbidden.status, 403);
  ExpectSpec(forbidden, "/v1/runbooks/{id}", "get");
  HttpResponse missing = env.Call("GET", "/v1/runbooks/ir.nope", env.Token({}, {"ir.*"}));
  EXPECT_EQ(missing.status, 404);
  ExpectSpec(missing, "/v1/runbooks/{id}", "get");
  for (const char* path : {"/v1/runbooks/..", "/v1/runbooks/ir..x", "/v1/runbooks/%2e%2e",
                           "/v1/runbooks/a b"}) {
    HttpResponse r = env.Call("GET", path, env.Token({}, {"ir.*"}));
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_EQ(Field(r), "id");
    ExpectSpec(r, "/v1/runbooks/{id}", "get");
  }
  EXPECT_EQ(env.Call("GET", "/v1/runbooks/../../etc/passwd", env.Token({})).status, 404);
  HttpResponse wrong_method = env.Call("DELETE", "/v1/runbooks/ir.all-events", env.Token({}));
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(HeaderOf(wrong_method, "Allow"), "GET");
}

TEST(ApiHandlerTest, RunsAreDeniedOutsideTheClaimsAndAudited) {
  Env env;
  HttpResponse no_scope = env.Call("POST", "/v1/runbooks/ir.all-events/runs", env.Token({}, {"ir.*"}), "{}");
  EXPECT_EQ(no_scope.status, 403);
  HttpResponse not_listed = env.Call("POST", "/v1/runbooks/ir.all-events/runs",
                                     env.Token({"runbook:run"}, {"ir.user-activity"}), "{}");
  EXPECT_EQ(not_listed.status, 403);
  EXPECT_EQ(not_listed.denial, "runbooks");
  EXPECT_EQ(not_listed.body.find("ir.user-activity"), std::string::npos) << not_listed.body;
  ExpectSpec(not_listed, "/v1/runbooks/{id}/runs", "post");
  // A parameter outside the token's accounts constraint is denied, not merely filtered.
  auth::Constraints accounts;
  accounts.accounts = {"222222222222"};
  HttpResponse outside = env.Call("POST", "/v1/runbooks/ir.account-window/runs",
                                  env.Token({"runbook:run"}, {"ir.*"}, accounts),
                                  R"({"params":{"account":"111111111111"}})");
  EXPECT_EQ(outside.status, 403);
  EXPECT_EQ(outside.denial, "constraints.accounts");
  EXPECT_EQ(env.audit.Count("RunRunbook", "AccessDenied"), 3u);
  // An audit runbook needs audit:read on top of runbook:run.
  HttpResponse audit = env.Call("POST", "/v1/runbooks/audit.events/runs",
                                env.Token({"runbook:run"}, {"audit.*"}), "{}");
  EXPECT_EQ(audit.status, 403);
  HttpResponse hidden = env.Call("GET", "/v1/runbooks", env.Token({"runbook:run"}, {"audit.*"}));
  EXPECT_EQ(hidden.body.find("audit.events"), std::string::npos) << hidden.body;
}

TEST(ApiHandlerTest, HostileParametersAreMatchedLiterally) {
  Env env;
  std::string token = env.Token({"runbook:run"}, {"ir.user-activity"});
  HttpResponse bob = env.Call("POST", "/v1/runbooks/ir.user-activity/runs", token, R"({"params":{"user":"bob"}})");
  ASSERT_EQ(bob.status, 200) << bob.body;
  EXPECT_EQ(Rows(bob).first.size(), 8u);
  HttpResponse hostile = env.Call("POST", "/v1/runbooks/ir.user-activity/runs", token,
                                  R"({"params":{"user":"bob' OR '1'='1' --"}})");
  ASSERT_EQ(hostile.status, 200) << hostile.body;
  EXPECT_EQ(Rows(hostile).first.size(), 0u);
  std::string any = env.Token({"runbook:run"}, {"ir.*"});
  HttpResponse wrong_type = env.Call("POST", "/v1/runbooks/ir.account-window/runs", any,
                                     R"({"params":{"account":"12345"}})");
  EXPECT_EQ(wrong_type.status, 400) << wrong_type.body;
  EXPECT_EQ(Field(wrong_type), "params.account");
  ExpectSpec(wrong_type, "/v1/runbooks/{id}/runs", "post");
  HttpResponse unknown = env.Call("POST", "/v1/runbooks/ir.account-window/runs", any,
                                  R"({"params":{"account":"111111111111","nope":1}})");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(Field(unknown), "params.nope");
  HttpResponse missing = env.Call("POST", "/v1/runbooks/ir.account-window/runs", any, "{}");
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(Field(missing), "params.account");
  EXPECT_EQ(env.audit.Count("RunRunbook", "InvalidParameter"), 3u);
  // Lists arrive as JSON arrays; numbers as their JSON text.
  HttpResponse list = env.Call("POST", "/v1/runbooks/ir.account-window/runs", any,
                               R"({"params":{"account":"111111111111","names":["GetObject","nope"]}})");
  ASSERT_EQ(list.status, 200) << list.body;
  HttpResponse no_runbook = env.Call("POST", "/v1/runbooks/ir.nope/runs", any, "{}");
  EXPECT_EQ(no_runbook.status, 404);
  EXPECT_EQ(Field(no_runbook), "id");
}

TEST(ApiHandlerTest, MalformedBodiesGetTheRight4xx) {
  ServerLimits limits;
  limits.max_param_bytes = 1024;
  limits.max_body_bytes = 64 * 1024;
  Env env(limits);
  std::string token = env.Token({"runbook:run", "query:adhoc"}, {"ir.*"});
  struct Case {
    std::string body;
    std::string content_type;
    int status;
    std::string field;
  } cases[] = {
      {"{not json", "application/json", 400, "body"},
      {"", "application/json", 400, "body"},
      {"[1,2]", "application/json", 400, "body"},
      {R"({"params":{"user":"bob"}})", "text/plain", 415, "Content-Type"},
      {R"({"params":{"user":"bob"}})", "application/json; charset=latin1", 415, "Content-Type"},
      {"{\"params\":{\"user\":\"\xff\xfe\"}}", "application/json", 400, "body"},
      {R"({"params":{"user":"a"},"params":{"user":"b"}})", "application/json", 400, "body"},
      {R"({"params":{"user":"bob"},"extra":1})", "application/json", 400, "extra"},
      {R"({"params":{"user":")" + std::string(2000, 'x') + "\"}}", "application/json", 400, "params.user"},
      {R"({"params":{"user":null}})", "application/json", 400, "params.user"},
      {R"({"params":{"bad-name":1}})", "application/json", 400, "params"},
      {R"({"params":[]})", "application/json", 400, "params"},
      {R"({"format":"xml"})", "application/json", 400, "format"},
      {R"({"limit":0})", "application/json", 400, "limit"},
      {R"({"limit":1e3})", "application/json", 400, "limit"},
      {R"({"snapshot":"yes"})", "application/json", 400, "snapshot"},
      {R"({"a":[[[[[[[[[[1]]]]]]]]]]})", "application/json", 400, "body"},
      {std::string(70 * 1024, ' '), "application/json", 413, "body"},
  };
  for (const Case& c : cases) {
    HttpResponse r = env.Call("POST", "/v1/runbooks/ir.user-activity/runs", token, c.body, c.content_type);
    EXPECT_EQ(r.status, c.status) << c.body.substr(0, 60) << " -> " << r.body;
    EXPECT_EQ(Field(r), c.field) << c.body.substr(0, 60);
    ExpectSpec(r, "/v1/runbooks/{id}/runs", "post");
  }
  HttpResponse no_sql = env.Call("POST", "/v1/query", token, R"({"reason":"x"})");
  EXPECT_EQ(no_sql.status, 400);
  EXPECT_EQ(Field(no_sql), "sql");
  HttpResponse bad_sql = env.Call("POST", "/v1/query", token, R"({"sql":"SELEC 1"})");
  EXPECT_EQ(bad_sql.status, 400);
  EXPECT_EQ(Field(bad_sql), "sql");
  ExpectSpec(bad_sql, "/v1/query", "post");
  HttpResponse adhoc_params = env.Call("POST", "/v1/query", token, R"({"sql":"SELECT 1","params":{"a":1}})");
  EXPECT_EQ(adhoc_params.status, 400);
  EXPECT_EQ(Field(adhoc_params), "params");

  // Oversized headers are refused before anything else.
  HttpRequest big;
  big.method = "GET";
  big.path = "/v1/runbooks";
  big.headers = {{"X-Junk", std::string(limits.max_header_bytes + 1, 'j')}};
  EXPECT_EQ(env.handler->Handle(big).status, 431);
  EXPECT_EQ(env.Call("GET", "/nope", "").status, 404);
  EXPECT_EQ(env.Call("GET", "/v1/nope", token).status, 404);
}

TEST(ApiHandlerTest, FailsClosedWhenTheAuditLogCannotWrite) {
  Env env;
  env.audit.set_fail(true);
  HttpResponse r = env.Call("POST", "/v1/query", env.Token({"query:adhoc"}),
                            R"({"sql":"SELECT eventID FROM events"})");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body.find("eventID"), std::string::npos) << r.body;
  ExpectSpec(r, "/v1/query", "post");
  EXPECT_EQ(r.denial, "audit_unavailable");
}

TEST(ApiHandlerTest, QueryTimeoutAndMemoryLimitCancelOnlyThatQuery) {
  ServerLimits limits;
  limits.query_timeout = std::chrono::milliseconds(1);
  Env slow(limits);
  std::string token = slow.Token({"query:adhoc"});
  std::string heavy =
      R"({"sql":"SELECT count(*) AS n FROM events a CROSS JOIN events b CROSS JOIN events c CROSS JOIN events d CROSS JOIN events e"})";
  HttpResponse timed_out = slow.Call("POST", "/v1/query", token, heavy);
  EXPECT_EQ(timed_out.status, 504) << timed_out.body;
  ExpectSpec(timed_out, "/v1/query", "post");
  EXPECT_EQ(slow.audit.Count("QueryAdhoc", "QueryFailed"), 1u);

  ServerLimits small;
  small.query_memory_bytes = 256 * 1024;
  Env tight(small);
  std::string sort =
      R"({"sql":"SELECT a.eventID, b.eventID, c.eventID FROM events a CROSS JOIN events b CROSS JOIN events c ORDER BY 1, 2, 3 DESC"})";
  HttpResponse oom = tight.Call("POST", "/v1/query", tight.Token({"query:adhoc"}), sort);
  EXPECT_EQ(oom.status, 422) << oom.body.substr(0, 300);
  ExpectSpec(oom, "/v1/query", "post");
  // The server keeps answering.
  HttpResponse after = tight.Call("POST", "/v1/query", tight.Token({"query:adhoc"}),
                                  R"({"sql":"SELECT count(*) AS n FROM events"})");
  EXPECT_EQ(after.status, 200);
}

// One query slot and no queue, with a timeout long enough that only a cancel ends a query.
ServerLimits OneSlotNoQueue() {
  ServerLimits limits;
  limits.max_concurrent_queries = 1;
  limits.max_queued_queries = 0;
  limits.query_timeout = std::chrono::milliseconds(20000);
  return limits;
}

// Holds one query slot with an ad-hoc query that runs until cancelled: the constructor
// returns once the slot is taken (or after ~2 s; callers check Counts()), Release cancels
// the server's queries and returns the held query's response.
class SlotHolder {
 public:
  SlotHolder(Env& env, const std::string& token) : env_(env) {
    runner_ = std::thread([this, token] {
      response_ = env_.Call(
          "POST", "/v1/query", token,
          R"({"sql":"SELECT count(*) AS n FROM events a CROSS JOIN events b CROSS JOIN events c CROSS JOIN events d CROSS JOIN events e CROSS JOIN events f"})");
    });
    for (int i = 0; i < 2000 && env_.handler->query_slots().Counts().first == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~SlotHolder() { Release(); }

  const HttpResponse& Release() {
    if (runner_.joinable()) {
      env_.handler->CancelQueries();
      runner_.join();
    }
    return response_;
  }

 private:
  Env& env_;
  HttpResponse response_;
  std::thread runner_;
};

TEST(ApiHandlerTest, QueriesBeyondTheQueueGet429) {
  Env env(OneSlotNoQueue());
  std::string token = env.Token({"query:adhoc"});
  SlotHolder holder(env, token);
  ASSERT_EQ(env.handler->query_slots().Counts().first, 1u);
  HttpResponse refused = env.Call("POST", "/v1/query", token, R"({"sql":"SELECT 1 AS x"})");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(HeaderOf(refused, "Retry-After"), "1");
  ExpectSpec(refused, "/v1/query", "post");
  EXPECT_EQ(holder.Release().status, 504);  // Cancelled as shutdown does past its deadline.
  EXPECT_EQ(env.audit.Count("QueryAdhoc", "Throttled"), 1u);
  EXPECT_EQ(env.Call("POST", "/v1/query", token, R"({"sql":"SELECT 1 AS x"})").status, 503);
}

// HandleInline answers what never waits and declines the rest before it audits or counts
// anything, so the transport can run the declined request on a handler thread instead.
TEST(ApiHandlerTest, InlineAnswersOnlyRequestsThatCannotWait) {
  Env env(OneSlotNoQueue());
  const std::string token = env.Token({"runbook:run", "query:adhoc"});
  const std::string run_body = R"({"params":{"event_id":"00000000-0000-4000-8000-000000000002"}})";
  auto inline_call = [&](const HttpRequest& r, uint64_t* ticket) {
    *ticket = 0;
    return env.handler->HandleInline(r, ticket);
  };
  uint64_t ticket = 0;
  ASSERT_TRUE(inline_call(Env::Request("GET", "/healthz", ""), &ticket));
  EXPECT_EQ(ticket, 0u);
  ASSERT_TRUE(inline_call(Env::Request("GET", "/v1/nope", ""), &ticket));

  // A token not yet in the verified-token cache: declined, nothing audited or counted.
  const HttpRequest run = Env::Request("POST", "/v1/runbooks/ir.event/runs", token, run_body);
  EXPECT_FALSE(inline_call(run, &ticket));
  EXPECT_EQ(env.audit.size(), 0u);
  EXPECT_EQ(env.metrics.RenderPrometheus().find("/v1/runbooks/{id}/runs"), std::string::npos);

  // Verified (and cached) on the worker path; the runbook's plan is now known to be a key
  // lookup, so the next run is answered inline, audited once with a ticket to wait for.
  HttpResponse first = env.handler->Handle(run);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(env.audit.Count("RunRunbook", ""), 1u);
  std::optional<HttpResponse> answered = inline_call(run, &ticket);
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->status, 200) << answered->body;
  EXPECT_NE(ticket, 0u);
  EXPECT_EQ(Rows(*answered).first,
            std::vector<std::string>{"00000000-0000-4000-8000-000000000002"});
  EXPECT_EQ(env.audit.Count("RunRunbook", ""), 2u);
  EXPECT_EQ(env.handler->query_slots().Counts(), (std::pair<size_t, size_t>{0, 0}));
  const std::string metrics = env.metrics.RenderPrometheus();  // The declined try counts nothing.
  EXPECT_NE(metrics.find("trailbook_token_verifications_total{cache=\"hit\"} 1\n"),
            std::string::npos) << metrics;
  EXPECT_NE(metrics.find("trailbook_token_verifications_total{cache=\"miss\"} 1\n"),
            std::string::npos) << metrics;

  // A denial of a cached token is answered inline (and audited).
  const std::string no_scope = env.Token({});
  ASSERT_EQ(env.Call("GET", "/v1/runbooks", no_scope).status, 200);  // Caches it.
  answered =
      inline_call(Env::Request("POST", "/v1/runbooks/ir.event/runs", no_scope, run_body), &ticket);
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->status, 403);
  EXPECT_EQ(env.audit.Count("RunRunbook", "AccessDenied"), 1u);
  // So is one of a runbook that never ran (its plan is unknown): the denial runs nothing.
  answered =
      inline_call(Env::Request("POST", "/v1/runbooks/ir.all-events/runs", no_scope, "{}"), &ticket);
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->status, 403);
  EXPECT_EQ(env.audit.Count("RunRunbook", "AccessDenied"), 2u);

  // Runbooks that scan, ad-hoc SQL and snapshot or audit reads go to a worker, even warm.
  const std::string scan_body = R"({"params":{"user":"alice"}})";
  ASSERT_EQ(env.Call("POST", "/v1/runbooks/ir.user-activity/runs", token, scan_body).status, 200);
  size_t audited = env.audit.size();
  EXPECT_FALSE(inline_call(Env::Request("POST", "/v1/runbooks/ir.user-activity/runs", token, scan_body),
                           &ticket));
  EXPECT_FALSE(inline_call(Env::Request("POST", "/v1/query", token, R"({"sql":"SELECT 1 AS x"})"),
                           &ticket));
  EXPECT_EQ(env.audit.size(), audited);

  // With every query slot taken, a key lookup is declined (it would have to queue).
  SlotHolder holder(env, token);
  ASSERT_EQ(env.handler->query_slots().Counts().first, 1u);
  audited = env.audit.size();
  EXPECT_FALSE(inline_call(run, &ticket));
  EXPECT_EQ(env.audit.size(), audited);
  EXPECT_EQ(holder.Release().status, 504);
}

TEST(ApiHandlerTest, SnapshotAndAuditRoutesCheckScopesFirst) {
  Env env;
  HttpResponse snap = env.Call("GET", "/v1/snapshots", env.Token({}));
  EXPECT_EQ(snap.status, 403);
  ExpectSpec(snap, "/v1/snapshots", "get");
  HttpResponse unconfigured = env.Call("GET", "/v1/snapshots/s-1", env.Token({"snapshot:read"}));
  EXPECT_EQ(unconfigured.status, 501);
  ExpectSpec(unconfigured, "/v1/snapshots/{id}", "get");
  HttpResponse traversal = env.Call("GET", "/v1/snapshots/..", env.Token({"snapshot:read"}));
  EXPECT_EQ(traversal.status, 400);
  HttpResponse audit = env.Call("GET", "/v1/audit/verify", env.Token({"query:adhoc"}));
  EXPECT_EQ(audit.status, 403);
  ExpectSpec(audit, "/v1/audit/verify", "get");
  EXPECT_EQ(env.Call("GET", "/v1/audit/verify", env.Token({"audit:read"})).status, 501);
  EXPECT_EQ(env.audit.Count("VerifyAudit", "AccessDenied"), 1u);
  EXPECT_EQ(env.audit.Count("ListSnapshots", "AccessDenied"), 1u);
}

}  // namespace
}  // namespace trailbook::server
