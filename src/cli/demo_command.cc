// trailbook demo [--dir DIR] [--events N]
//
// The README's "main job": generates a realistic CloudTrail data set in the S3 delivery
// layout, ingests it into a store, shows what the store holds, re-runs the ingest to show
// that nothing is read twice, and prints an event back losslessly.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "base/timestamp.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/store_flags.h"
#include "gen/dataset_writer.h"
#include "gen/generator.h"
#include "ingest/ingest_pipeline.h"
#include "io/file.h"
#include "json/json_writer.h"
#include "storage/event_json.h"
#include "storage/store.h"
#include "storage/store_stats.h"

namespace trailbook::cli {
namespace {

struct DemoFlags {
  std::string dir = "trailbook-demo";
  uint64_t events = 200'000;
};

int Fail(const Status& s) {
  PrintError(s.message());
  return ToInt(ExitCodeFor(s));
}

void Step(const char* title) { std::printf("\n== %s\n", title); }

int RunDemo(const DemoFlags& flags) {
  const std::string logs = flags.dir + "/logs";
  const std::string store_dir = flags.dir + "/store";
  Step("1. Generate CloudTrail logs (S3 delivery layout, deterministic)");
  if (io::Exists(logs)) {
    std::printf("reusing %s (delete %s to start over)\n", logs.c_str(), flags.dir.c_str());
  } else {
    gen::GeneratorOptions options;
    options.events = flags.events;
    options.seed = 1;
    options.threads = 2;
    Result<gen::GenerationSummary> g = gen::WriteDataset(options, logs);
    if (!g.ok()) return Fail(g.status());
    std::printf("wrote %llu events in %llu files (%.1f MB gzipped) under %s/AWSLogs/\n",
                static_cast<unsigned long long>(g->records),
                static_cast<unsigned long long>(g->files),
                static_cast<double>(g->gzip_bytes) / 1e6, logs.c_str());
  }

  auto store = storage::Store::Open(store_dir, storage::Store::Mode::kReadWrite);
  if (!store.ok()) return Fail(store.status());
  ingest::IngestOptions options;
  std::vector<std::string> paths{logs};
  for (int run = 1; run <= 2; ++run) {
    Step(run == 1 ? "2. Ingest them into the event store"
                  : "3. Ingest again: the ledger skips what is already stored");
    Result<ingest::IngestSummary> s = ingest::Ingest(**store, paths, options, nullptr);
    if (!s.ok()) return Fail(s.status());
    std::printf("$ trailbook ingest --store %s %s\n", store_dir.c_str(), logs.c_str());
    std::printf("files: %llu read, %llu unchanged, %llu digest files skipped; events added: %llu, "
                "duplicates: %llu, rejected: %llu; %.2f s\n",
                static_cast<unsigned long long>(s->files_read),
                static_cast<unsigned long long>(s->files_unchanged),
                static_cast<unsigned long long>(s->files_skipped),
                static_cast<unsigned long long>(s->events_added),
                static_cast<unsigned long long>(s->duplicates),
                static_cast<unsigned long long>(s->records_rejected), s->seconds);
  }

  Step("4. What the store holds");
  auto snapshot = (*store)->Snapshot();
  Result<storage::StoreStats> stats = storage::ComputeStoreStats(*snapshot);
  if (!stats.ok()) return Fail(stats.status());
  std::printf("$ trailbook stats --store %s\n", store_dir.c_str());
  std::printf("eds id      %s\nevents      %llu\ntime range  %s .. %s\naccounts    %zu\n"
              "regions     %zu\nsegments    %llu (%.1f MB)\n",
              stats->eds_id.c_str(), static_cast<unsigned long long>(stats->events),
              FormatTimestamp(stats->first_event_time).c_str(),
              FormatTimestamp(stats->last_event_time).c_str(), stats->accounts.size(),
              stats->regions.size(), static_cast<unsigned long long>(stats->segments),
              static_cast<double>(stats->bytes) / 1e6);

  Step("5. Any event comes back exactly as ingested");
  if (!snapshot->segments().empty()) {
    const auto& seg = snapshot->segments().front();
    storage::SegmentRowValues values(*seg, 0);
    std::string json;
    Status s = storage::RebuildEventJson(values, &json);
    if (!s.ok()) return Fail(s);
    auto id = seg->StringAt(storage::EventSchema::Get().event_id_column(), 0);
    if (!id.ok()) return Fail(id.status());
    std::printf("$ trailbook cat --store %s --event-id %s --pretty\n%s\n", store_dir.c_str(),
                id->value_or("?").c_str(), json::Prettify(json).c_str());
  }
  std::printf("\nNext: trailbook stats --store %s --columns\n", store_dir.c_str());
  return 0;
}

}  // namespace

void AddDemoCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<DemoFlags>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Generate CloudTrail logs, ingest them and show the store (built-in demo data)");
  cmd->add_option("--dir", flags->dir, "Working directory (default ./trailbook-demo)");
  cmd->add_option("--events", flags->events, "Events to generate (default 200000)")
      ->check(CLI::Range(uint64_t{1000}, uint64_t{100'000'000}));
  cmd->callback([flags, &action] { action = [flags] { return RunDemo(*flags); }; });
}

}  // namespace trailbook::cli
