// query_bench: runs the benchmark queries (bench/queries/q*.sql) in-process against a warm
// store and prints per-query latency (wall and process CPU time; the first run warms the
// caches and is not counted). With --out it also writes each query's result as NDJSON
// (NAME.ndjson, one object per row, in result order) for bench/queries/compare.mjs; with
// --json it prints one JSON line per query instead of the table.
//
//   query_bench --store /tmp/store1m [--queries bench/queries] [--runs 20] [--threads 2]
//               [--out /tmp/results] [--json] [--explain]
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/file.h"
#include "sql/exec/query_engine.h"
#include "sql/exec/result_writer.h"
#include "storage/store.h"

namespace {

using trailbook::sql::DataChunk;
using trailbook::sql::QueryEngine;
using trailbook::sql::QueryOptions;
using trailbook::sql::ResultFormat;
using trailbook::sql::ResultWriter;

double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

int Usage() {
  std::fprintf(stderr,
               "usage: query_bench --store DIR [--queries DIR] [--runs N] [--threads N] "
               "[--out DIR] [--json] [--explain] [--text-cache-mb N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string store_dir, queries_dir = "bench/queries", out_dir;
  int runs = 20;
  unsigned threads = 0;
  bool explain = false;
  bool json = false;
  long text_cache_mb = -1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--store") {
      store_dir = next();
    } else if (a == "--queries") {
      queries_dir = next();
    } else if (a == "--runs") {
      runs = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--threads") {
      threads = static_cast<unsigned>(std::atoi(next().c_str()));
    } else if (a == "--out") {
      out_dir = next();
    } else if (a == "--json") {
      json = true;
    } else if (a == "--explain") {
      explain = true;
    } else if (a == "--text-cache-mb") {
      text_cache_mb = std::atol(next().c_str());
      if (text_cache_mb < 0) return Usage();
    } else {
      return Usage();
    }
  }
  if (store_dir.empty()) return Usage();
  auto store = trailbook::storage::Store::Open(store_dir, trailbook::storage::Store::Mode::kReadOnly);
  if (!store.ok()) {
    std::fprintf(stderr, "query_bench: %s\n", store.status().message().c_str());
    return 1;
  }
  trailbook::sql::EngineOptions engine_options;
  if (text_cache_mb >= 0) {
    engine_options.text_block_cache_bytes = static_cast<size_t>(text_cache_mb) << 20;
  }
  QueryEngine engine(**store, engine_options);
  QueryOptions options;
  options.threads = threads;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(queries_dir)) {
    std::string name = e.path().filename().string();
    if (e.path().extension() == ".sql" && name[0] == 'q' &&
        name.find(".duckdb.") == std::string::npos) {
      files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  if (!out_dir.empty()) std::filesystem::create_directories(out_dir);
  if (!json) {
    std::printf("%-34s %8s %10s %10s %10s %10s\n", "query", "rows", "min ms", "median ms", "p90 ms",
                "cpu ms");
  }
  for (const std::string& file : files) {
    auto sql = trailbook::io::ReadFile(file);
    if (!sql.ok()) {
      std::fprintf(stderr, "query_bench: %s\n", sql.status().message().c_str());
      return 1;
    }
    std::vector<double> ms, cpu_ms;
    size_t rows = 0;
    std::string ndjson, plan;
    for (int r = 0; r < runs + 1; ++r) {  // the first run warms the caches and is not counted
      auto start = std::chrono::steady_clock::now();
      double cpu_start = CpuMs();
      auto result = engine.Execute(*sql, options);
      if (!result.ok()) {
        std::fprintf(stderr, "query_bench: %s: %s\n", file.c_str(), result.status().message().c_str());
        return 1;
      }
      DataChunk chunk;
      rows = 0;
      ResultWriter writer(ResultFormat::kNdjson, (*result)->column_names(),
                          (*result)->column_types());
      while (true) {
        auto more = (*result)->Next(&chunk);
        if (!more.ok()) {
          std::fprintf(stderr, "query_bench: %s: %s\n", file.c_str(), more.status().message().c_str());
          return 1;
        }
        if (!*more) break;
        rows += chunk.size;
        if (r == 0) writer.Write(chunk, &ndjson);
      }
      double elapsed =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      double cpu = CpuMs() - cpu_start;
      if (r == 0) {
        plan = (*result)->Explain();
      } else {
        ms.push_back(elapsed);
        cpu_ms.push_back(cpu);
      }
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu_ms.begin(), cpu_ms.end());
    std::string name = std::filesystem::path(file).stem().string();
    double median = ms[ms.size() / 2], cpu_median = cpu_ms[cpu_ms.size() / 2];
    if (json) {
      std::printf("{\"query\":\"%s\",\"rows\":%zu,\"min_ms\":%.3f,\"median_ms\":%.3f,"
                  "\"cpu_median_ms\":%.3f}\n",
                  name.c_str(), rows, ms.front(), median, cpu_median);
    } else {
      std::printf("%-34s %8zu %10.3f %10.3f %10.3f %10.3f\n", name.c_str(), rows, ms.front(), median,
                  ms[std::min(ms.size() - 1, ms.size() * 9 / 10)], cpu_median);
    }
    if (explain) std::printf("%s\n", plan.c_str());
    if (!out_dir.empty()) {
      std::ofstream out(out_dir + "/" + name + ".ndjson");
      out << ndjson;
    }
  }
  return 0;
}
