// Per-request CPU of the HTTP API without sockets, on the SQL fixture store: a run of a
// key-lookup runbook with a cached token (the request bench/http sends) answered inline as
// the event loop answers it, and a cached token's denial. Fixed iteration counts, so
// `valgrind --tool=callgrind` gives comparable instructions per request:
//   cd <repo> && valgrind --tool=callgrind build/src/server/api_handler_benchmark
#include <benchmark/benchmark.h>

#include "server/testing/api_test_env.h"

namespace trailbook::server {
namespace {

HttpRequest RunRequest(const std::string& token) {
  HttpRequest r;
  r.method = "POST";
  r.path = "/v1/runbooks/ir.event/runs";
  r.peer_address = "127.0.0.1";
  r.request_id = "00000000-0000-8000-8000-000000000001";
  r.headers = {{"Host", "127.0.0.1:8080"},
               {"Authorization", "Bearer " + token},
               {"Content-Type", "application/json"},
               {"User-Agent", "wrk"},
               {"Content-Length", "64"}};
  r.body = R"({"params":{"event_id":"00000000-0000-4000-8000-000000000002"}})";
  return r;
}

void Serve(benchmark::State& state, const std::vector<std::string>& scopes, int want_status) {
  testing::Env env;
  env.audit.set_retain(false);
  const HttpRequest request = RunRequest(env.Token(scopes));
  // Verifies and caches the token and plans the runbook once, as the first request does.
  (void)env.handler->Handle(request);
  for (auto _ : state) {
    uint64_t ticket = 0;
    std::optional<HttpResponse> response = env.handler->HandleInline(request, &ticket);
    if (!response || response->status != want_status) {
      state.SkipWithError("unexpected response");
      break;
    }
    benchmark::DoNotOptimize(response);
  }
}

void BM_KeyLookupRun(benchmark::State& state) { Serve(state, {"runbook:run"}, 200); }
void BM_Denial(benchmark::State& state) { Serve(state, {"snapshot:read"}, 403); }

BENCHMARK(BM_KeyLookupRun)->Iterations(2000);
BENCHMARK(BM_Denial)->Iterations(2000);

}  // namespace
}  // namespace trailbook::server

BENCHMARK_MAIN();
