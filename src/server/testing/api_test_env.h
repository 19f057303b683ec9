// File: server/testing/api_test_env.h
//
// Test-only: an ApiHandler wired to the SQL fixture store through a real runbook::Executor,
// a real ES256 TokenVerifier, a RecordingAuditLog and the fixture runbooks, at a fake "now"
// just after the fixture's last event. Shared by the handler tests, the socket tests and
// the fuzz target.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "auth/jwt/testing/token_factory.h"
#include "base/timestamp.h"
#include "server/api_handler.h"
#include "server/testing/test_backends.h"

namespace trailbook::server::testing {

// 2024-03-03T00:00:00Z: just after the fixture's last event.
inline const int64_t kNowUs = *ParseTimestamp("2024-03-03T00:00:00Z");
inline const int64_t kNowS = kNowUs / 1000000;

struct Env {
  explicit Env(ServerLimits limits = {}) : clock(kNowUs) {
    auth::VerifierConfig config;
    config.issuers = {auth::testing::TestIssuerConfig(factory.resolver(), auth::JwsAlgorithm::kES256)};
    config.cache_capacity = 100;
    verifier = std::move(auth::TokenVerifier::Create(std::move(config))).value();
    engine = std::make_unique<sql::QueryEngine>(testing::FixtureStore());
    runbook::ExecutorOptions executor_options;
    executor_options.clock = &clock;
    executor_options.timeout = limits.query_timeout;
    executor_options.memory_limit_bytes = limits.query_memory_bytes;
    executor_options.max_result_bytes = limits.query_memory_bytes;
    executor_options.threads = 1;
    executor_options.cancel = &cancel;
    executor_options.plan_for_runs = false;  // As the server runs (service.cc).
    executor = std::make_unique<runbook::Executor>(FixtureRunbooks(), *verifier, *engine, audit,
                                                   executor_options);
    ApiOptions options;
    options.limits = limits;
    options.limits.query_threads = 1;
    options.trusted_proxies = std::move(AddressSet::Parse({"10.0.0.0/8"})).value();
    ApiBackends backends;
    backends.verifier = verifier.get();
    backends.audit = &audit;
    backends.metrics = &metrics;
    backends.clock = &clock;
    backends.executor = executor.get();
    backends.cancel = &cancel;
    handler = std::make_unique<ApiHandler>(std::move(options), backends);
    handler->set_ready(true);
  }

  std::string Token(const std::vector<std::string>& scopes,
                    const std::vector<std::string>& runbooks = {"ir.*"},
                    const auth::Constraints& constraints = {}) const {
    return MintTestToken(factory, kNowS, scopes, runbooks, constraints);
  }

  HttpResponse Call(const std::string& method, const std::string& path, const std::string& token,
                    const std::string& body = "",
                    const std::string& content_type = "application/json") const {
    return handler->Handle(Request(method, path, token, body, content_type));
  }

  // The request Call sends (for callers of other ApiHandler entry points).
  static HttpRequest Request(const std::string& method, const std::string& path,
                             const std::string& token, const std::string& body = "",
                             const std::string& content_type = "application/json") {
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.peer_address = "127.0.0.1";
    r.request_id = "req-1";
    if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty() || method == "POST") r.headers.emplace_back("Content-Type", content_type);
    r.headers.emplace_back("User-Agent", "server-test");
    r.body = body;
    return r;
  }

  auth::testing::TokenFactory factory;
  FakeClock clock;
  std::unique_ptr<auth::TokenVerifier> verifier;
  RecordingAuditLog audit;
  ServerMetrics metrics;
  std::atomic<bool> cancel{false};
  std::unique_ptr<sql::QueryEngine> engine;
  std::unique_ptr<runbook::Executor> executor;
  std::unique_ptr<ApiHandler> handler;
};

}  // namespace trailbook::server::testing
