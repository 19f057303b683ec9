// Snapshot creation overhead for a 10,000-row runbook result (issue 6), in CPU time.
//
// A store of generated CloudTrail events is built once; the result is the 10,000 latest
// events with nine columns (requestParameters included, so rows are realistically wide).
//   QueryOnly           execute the query and drain its chunks (what `run` costs)
//   QueryAndSnapshot    execute and stream every chunk into a signed snapshot
//   SnapshotFromChunks  freeze already materialised chunks (what `run --snapshot` adds,
//                       since the executor returns the whole result)
//   VerifySnapshot      `snapshot verify` of that snapshot
// The summary prints the overhead (QueryAndSnapshot - QueryOnly) / QueryOnly in CPU time and
// the snapshot's size. Wall time also includes the fsyncs (disk-dependent; CPU time is not).
//
//   build/bench/snapshot/snapshot_benchmark --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "auth/jwt/jwk.h"
#include "base/status.h"
#include "gen/generator.h"
#include "runbook/fixture_runner.h"
#include "snapshot/snapshot_catalog.h"
#include "snapshot/snapshot_verifier.h"
#include "snapshot/snapshot_writer.h"
#include "snapshot/testing/snapshot_testing.h"
#include "sql/exec/query_engine.h"
#include "storage/store.h"

namespace trailbook::snapshot {
namespace {

constexpr uint64_t kEvents = 30'000;
constexpr char kQuery[] =
    "SELECT eventTime, eventSource, eventName, userIdentity.arn AS principal, sourceIPAddress, "
    "awsRegion, recipientAccountId, errorCode, requestParameters FROM events "
    "ORDER BY eventTime DESC, eventID LIMIT 10000";

struct Fixture {
  testing::ScratchDir scratch;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<sql::QueryEngine> engine;
  std::optional<SnapshotSigningKey> key;
  std::optional<auth::JwkSet> trusted;
  std::string snapshot_dir;  // one snapshot for VerifySnapshot
  bool ok = false;

  Fixture() {
    Status built = Build();
    if (!built.ok()) std::fprintf(stderr, "fixture: %s\n", built.ToString().c_str());
    ok = built.ok();
  }

  Status Build() {
    gen::GeneratorOptions options;
    options.events = kEvents;
    options.days = 3;
    TB_ASSIGN_OR_RETURN(std::unique_ptr<gen::EventGenerator> generator,
                        gen::EventGenerator::Create(options));
    std::vector<std::string> events;
    while (const gen::GeneratedEvent* e = generator->Next()) events.emplace_back(e->json);
    std::string store_dir = scratch.path() + "/store";
    TB_RETURN_IF_ERROR(runbook::BuildStoreFromEvents(store_dir, events));
    TB_ASSIGN_OR_RETURN(store, storage::Store::Open(store_dir, storage::Store::Mode::kReadOnly));
    engine = std::make_unique<sql::QueryEngine>(*store);
    TB_ASSIGN_OR_RETURN(testing::TestKeys keys,
                        testing::MakeKeyFiles(scratch.path() + "/keys", auth::JwsAlgorithm::kEdDSA,
                                              "k1"));
    TB_ASSIGN_OR_RETURN(SnapshotSigningKey loaded, SnapshotSigningKey::LoadFile(keys.private_key_path));
    key.emplace(std::move(loaded));
    TB_ASSIGN_OR_RETURN(auth::JwkSet jwks, LoadTrustedSnapshotKeys(keys.jwks_path));
    trusted.emplace(std::move(jwks));
    return Status::OK();
  }

  Result<std::unique_ptr<sql::QueryResult>> Execute() const {
    sql::QueryOptions options;
    options.threads = 1;
    return engine->Execute(kQuery, options);
  }
};

Fixture& GetFixture() {
  static Fixture fixture;  // built on first use; its scratch directory goes at exit
  return fixture;
}

SnapshotRequest Request(const Fixture& f) {
  SnapshotRequest req = testing::TestRequest();
  req.store = StoreState::From(*f.store->Snapshot());
  return req;
}

void BM_QueryOnly(benchmark::State& state) {
  Fixture& f = GetFixture();
  if (!f.ok) return state.SkipWithError("fixture failed");
  uint64_t rows = 0;
  for (auto _ : state) {
    auto result = f.Execute();
    if (!result.ok()) return state.SkipWithError(result.status().ToString().c_str());
    sql::DataChunk chunk;
    rows = 0;
    while (true) {
      auto more = (*result)->Next(&chunk);
      if (!more.ok()) return state.SkipWithError(more.status().ToString().c_str());
      if (!*more) break;
      rows += chunk.size;
    }
  }
  state.counters["rows"] = static_cast<double>(rows);
}

void BM_QueryAndSnapshot(benchmark::State& state) {
  Fixture& f = GetFixture();
  if (!f.ok) return state.SkipWithError("fixture failed");
  std::string dir = f.scratch.path() + "/snapshots-stream";
  uint64_t bytes = 0;
  for (auto _ : state) {
    auto result = f.Execute();
    if (!result.ok()) return state.SkipWithError(result.status().ToString().c_str());
    auto info = WriteSnapshot(dir, Request(f), **result, *f.key, {});
    if (!info.ok()) return state.SkipWithError(info.status().ToString().c_str());
    state.PauseTiming();
    bytes = 0;
    for (const auto& e : std::filesystem::directory_iterator(info->dir)) bytes += e.file_size();
    if (f.snapshot_dir.empty()) {
      f.snapshot_dir = info->dir;
    } else {
      std::error_code ec;
      std::filesystem::remove_all(info->dir, ec);
    }
    state.ResumeTiming();
  }
  state.counters["snapshot_bytes"] = static_cast<double>(bytes);
}

void BM_SnapshotFromChunks(benchmark::State& state) {
  Fixture& f = GetFixture();
  if (!f.ok) return state.SkipWithError("fixture failed");
  auto result = f.Execute();
  if (!result.ok()) return state.SkipWithError(result.status().ToString().c_str());
  std::vector<sql::DataChunk> chunks;
  while (true) {
    sql::DataChunk chunk;
    auto more = (*result)->Next(&chunk);
    if (!more.ok()) return state.SkipWithError(more.status().ToString().c_str());
    if (!*more) break;
    chunks.push_back(std::move(chunk));
  }
  std::string dir = f.scratch.path() + "/snapshots-chunks";
  SnapshotWriterOptions options;
  options.compression_level = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto writer = SnapshotWriter::Create(dir, Request(f), (*result)->column_names(),
                                         (*result)->column_types(), *f.key, options);
    if (!writer.ok()) return state.SkipWithError(writer.status().ToString().c_str());
    for (const sql::DataChunk& c : chunks) {
      if (Status s = (*writer)->Append(c); !s.ok()) return state.SkipWithError(s.ToString().c_str());
    }
    auto info = (*writer)->Commit();
    if (!info.ok()) return state.SkipWithError(info.status().ToString().c_str());
    state.PauseTiming();
    uint64_t bytes = 0;
    for (const auto& e : std::filesystem::directory_iterator(info->dir)) bytes += e.file_size();
    state.counters["snapshot_bytes"] = static_cast<double>(bytes);
    std::error_code ec;
    std::filesystem::remove_all(info->dir, ec);
    state.ResumeTiming();
  }
}

void BM_VerifySnapshot(benchmark::State& state) {
  Fixture& f = GetFixture();
  if (!f.ok || f.snapshot_dir.empty()) return state.SkipWithError("no snapshot to verify");
  for (auto _ : state) {
    VerifyReport report = VerifySnapshot(f.snapshot_dir, *f.trusted, {});
    if (!report.ok()) return state.SkipWithError(report.first_failure()->detail.c_str());
  }
}

BENCHMARK(BM_QueryOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueryAndSnapshot)->Unit(benchmark::kMillisecond);
// Arg: the gzip level (libdeflate 1..12); the writer's default is 6.
BENCHMARK(BM_SnapshotFromChunks)->Arg(6)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VerifySnapshot)->Unit(benchmark::kMillisecond);

// Prints the overhead summary from the per-benchmark CPU times (medians when repeated).
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      bool aggregate = run.run_type == Run::RT_Aggregate;
      if (aggregate && run.aggregate_name != "median") continue;
      std::string name = run.run_name.function_name + (run.run_name.args.empty()
                                                            ? ""
                                                            : "/" + run.run_name.args);
      if (!aggregate && cpu_ms_.count(name) > 0 && repeated_.count(name) > 0) continue;
      if (aggregate) repeated_.insert(name);
      cpu_ms_[name] = run.GetAdjustedCPUTime();
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    auto get = [&](const char* n) { return cpu_ms_.count(n) > 0 ? cpu_ms_[n] : 0.0; };
    double query = get("BM_QueryOnly");
    double both = get("BM_QueryAndSnapshot");
    if (query > 0 && both > 0) {
      std::printf(
          "\nsnapshot of a 10,000-row result: query %.1f ms CPU, query+snapshot %.1f ms CPU: "
          "overhead %.1f ms (%.0f%%); freezing materialised chunks %.1f ms; verify %.1f ms\n",
          query, both, both - query, 100.0 * (both - query) / query, get("BM_SnapshotFromChunks/6"),
          get("BM_VerifySnapshot"));
    }
  }

 private:
  std::map<std::string, double> cpu_ms_;
  std::set<std::string> repeated_;
};

}  // namespace
}  // namespace trailbook::snapshot

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  trailbook::snapshot::SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
