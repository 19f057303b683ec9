// needle_bench: CPU per execution of the HTTP benchmark's needle runbook query
// (`SELECT eventID, eventName, eventTime FROM events WHERE eventID = :event_id`, bench/http)
// in-process against a warm store, the way runbook::Executor runs it: one engine thread, the
// audit events hidden (a caller without audit:read), the result drained and Explain()
// rendered. Needles are eventIDs sampled evenly from the store and used round robin, so
// every execution looks up a different event, as a stream of HTTP requests would.
//
//   needle_bench --store DIR [--queries N] [--needles N] [--rounds N] [--no-explain]
//
// Prints CPU µs per query for each round (process CPU time over N queries; the first round
// warms the caches and is printed but flagged), then the median of the counted rounds, and
// the scan counters of one query. Single-threaded, so CPU time is what the query costs
// whatever else runs on the machine.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "sql/exec/query_engine.h"
#include "storage/store.h"

namespace {

using trailbook::sql::DataChunk;
using trailbook::sql::QueryEngine;
using trailbook::sql::QueryOptions;
using trailbook::sql::Value;

constexpr char kNeedleQuery[] =
    "SELECT eventID, eventName, eventTime FROM events WHERE eventID = :event_id";

double CpuMicros() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

int Usage() {
  std::fprintf(stderr,
               "usage: needle_bench --store DIR [--queries N] [--needles N] [--rounds N] "
               "[--no-explain]\n");
  return 2;
}

// Runs `sql` and returns its rows in `out` (nullable); false on error (printed).
bool Run(const QueryEngine& engine, const char* sql, const QueryOptions& options, bool explain,
         size_t* rows, std::vector<std::string>* first_column,
         trailbook::sql::QueryStats* stats = nullptr) {
  auto result = engine.Execute(sql, options);
  if (!result.ok()) {
    std::fprintf(stderr, "needle_bench: %s\n", result.status().message().c_str());
    return false;
  }
  DataChunk chunk;
  *rows = 0;
  while (true) {
    auto more = (*result)->Next(&chunk);
    if (!more.ok()) {
      std::fprintf(stderr, "needle_bench: %s\n", more.status().message().c_str());
      return false;
    }
    if (!*more) break;
    *rows += chunk.size;
    if (first_column != nullptr) {
      for (size_t i = 0; i < chunk.size; ++i) {
        first_column->push_back(chunk.columns[0].GetValue(i).ToString());
      }
    }
  }
  if (explain) {
    std::string plan = (*result)->Explain();
    if (plan.empty()) return false;
  }
  if (stats != nullptr) *stats = (*result)->stats();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string store_dir;
  int queries = 2000, needles = 1000, rounds = 5;
  bool explain = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--store") {
      store_dir = next();
    } else if (a == "--queries") {
      queries = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--needles") {
      needles = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--rounds") {
      rounds = std::max(2, std::atoi(next().c_str()));
    } else if (a == "--no-explain") {
      explain = false;
    } else {
      return Usage();
    }
  }
  if (store_dir.empty()) return Usage();
  auto store = trailbook::storage::Store::Open(store_dir, trailbook::storage::Store::Mode::kReadOnly);
  if (!store.ok()) {
    std::fprintf(stderr, "needle_bench: %s\n", store.status().message().c_str());
    return 1;
  }
  QueryEngine engine(**store);
  QueryOptions options;
  options.threads = 1;
  options.constraints.hidden_event_sources = {"trailbook.audit"};

  // Sample needles evenly over the store.
  std::vector<std::string> ids;
  size_t rows = 0;
  if (!Run(engine, "SELECT eventID FROM events", options, false, &rows,
           &ids)) {
    return 1;
  }
  if (ids.empty()) {
    std::fprintf(stderr, "needle_bench: the store has no eventIDs\n");
    return 1;
  }
  std::vector<std::string> sample;
  const size_t step = std::max<size_t>(1, ids.size() / static_cast<size_t>(needles));
  for (size_t i = 0; i < ids.size() && sample.size() < static_cast<size_t>(needles); i += step) {
    if (ids[i] != "NULL") sample.push_back(ids[i]);
  }
  std::printf("store: %zu events; %zu needles; %d queries per round\n", ids.size(), sample.size(),
              queries);
  std::fflush(stdout);

  std::vector<double> per_query;
  size_t next_needle = 0, total_rows = 0;
  for (int r = 0; r < rounds; ++r) {
    double start = CpuMicros();
    for (int q = 0; q < queries; ++q) {
      options.parameters["event_id"] = Value::Varchar(sample[next_needle]);
      next_needle = (next_needle + 1) % sample.size();
      if (!Run(engine, kNeedleQuery, options, explain, &rows, nullptr)) return 1;
      if (rows == 0) {
        std::fprintf(stderr, "needle_bench: no row for needle %s\n",
                     sample[next_needle].c_str());
        return 1;
      }
      total_rows += rows;
    }
    double us = (CpuMicros() - start) / queries;
    std::printf("round %d: %.1f us CPU per query%s\n", r, us, r == 0 ? " (warm-up, not counted)" : "");
    if (r > 0) per_query.push_back(us);
  }
  std::sort(per_query.begin(), per_query.end());
  std::printf("median: %.1f us CPU per query (%zu rows returned)\n",
              per_query[per_query.size() / 2], total_rows);
  trailbook::sql::QueryStats stats;
  options.parameters["event_id"] = Value::Varchar(sample[0]);
  if (!Run(engine, kNeedleQuery, options, false, &rows, nullptr, &stats)) return 1;
  std::printf("one query: segments %llu total, %llu pruned, %llu prepared; blocks %llu read; "
              "rows %llu examined, %llu matched; %llu bytes decoded\n",
              static_cast<unsigned long long>(stats.segments_total),
              static_cast<unsigned long long>(stats.segments_pruned),
              static_cast<unsigned long long>(stats.segments_prepared),
              static_cast<unsigned long long>(stats.blocks_read),
              static_cast<unsigned long long>(stats.rows_examined),
              static_cast<unsigned long long>(stats.rows_matched),
              static_cast<unsigned long long>(stats.bytes_read));
  return 0;
}
