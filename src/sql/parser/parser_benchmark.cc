// Parser speed: a typical 10-line incident-response query, printing it back, a large
// generated filter, and the worst case the limits allow (deep nesting, 1 MiB of tokens).

#include <benchmark/benchmark.h>

#include <string>

#include "sql/parser/ast_printer.h"
#include "sql/parser/parser.h"

namespace trailbook::sql {
namespace {

constexpr std::string_view kTypicalQuery = R"(SELECT userIdentity.arn AS principal,
       sourceIPAddress,
       count(*) AS calls,
       count(DISTINCT eventName) AS actions,
       max(eventTime) AS last_seen
FROM $EDS_ID
WHERE eventTime > '2026-01-01 00:00:00'
  AND element_at(additionalEventData, 'MFAUsed') = 'No'
  AND eventName IN ('ConsoleLogin', 'GetSessionToken', 'AssumeRole')
GROUP BY 1, 2 HAVING count(*) > 5 ORDER BY calls DESC LIMIT 100)";

void BM_ParseTypicalQuery(benchmark::State& state) {
  for (auto _ : state) {
    auto r = Parse(kTypicalQuery);
    if (!r.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kTypicalQuery.size()));
}
BENCHMARK(BM_ParseTypicalQuery);

void BM_PrintTypicalQuery(benchmark::State& state) {
  auto r = Parse(kTypicalQuery);
  if (!r.ok()) {
    state.SkipWithError("parse failed");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(PrintStatement(**r));
}
BENCHMARK(BM_PrintTypicalQuery);

void BM_ParseLargeInList(benchmark::State& state) {
  std::string sql = "SELECT * FROM events WHERE sourceIPAddress IN ('10.0.0.0'";
  for (int64_t i = 0; i < state.range(0); ++i) sql += ", '10.0.0." + std::to_string(i) + "'";
  sql += ")";
  for (auto _ : state) {
    auto r = Parse(sql);
    if (!r.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(sql.size()));
}
BENCHMARK(BM_ParseLargeInList)->Arg(1000)->Arg(50000);

// Rejected inputs: nested too deep, and a 1 MiB run of parentheses.
void BM_RejectDeepNesting(benchmark::State& state) {
  std::string sql = "SELECT " + std::string(static_cast<size_t>(state.range(0)), '(') + "1";
  for (auto _ : state) {
    auto r = Parse(sql);
    if (r.ok()) state.SkipWithError("unexpectedly parsed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_RejectDeepNesting)->Arg(300)->Arg((1 << 20) - 16);

}  // namespace
}  // namespace trailbook::sql

BENCHMARK_MAIN();
