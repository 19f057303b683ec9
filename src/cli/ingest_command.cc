// trailbook ingest [--store DIR] [--json] [--threads N] [--batch-mb N] [--dedup-keys N] PATH...
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/store_flags.h"
#include "ingest/ingest_pipeline.h"
#include "json/json_writer.h"
#include "storage/store.h"

namespace trailbook::cli {
namespace {

struct IngestFlags {
  std::string store;
  std::vector<std::string> paths;
  bool json = false;
  bool no_progress = false;
  unsigned threads = 0;
  size_t batch_mb = 128;
  size_t dedup_keys = ingest::DedupLimits{}.max_resident_keys;
};

// Draws a one-line progress bar on stderr until stopped.
class ProgressBar {
 public:
  explicit ProgressBar(const ingest::IngestProgress& p) : progress_(p) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~ProgressBar() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }

 private:
  void Loop() {
    auto start = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      uint64_t total = progress_.files_total.load(), done = progress_.files_done.load();
      double mb = static_cast<double>(progress_.bytes_read.load()) / 1e6;
      int width = 24;
      int filled = total == 0 ? 0 : static_cast<int>(static_cast<uint64_t>(width) * done / total);
      std::string bar(static_cast<size_t>(filled), '#');
      bar.append(static_cast<size_t>(width - filled), '.');
      std::fprintf(stderr, "\r\033[K[%s] files %llu/%llu  events %llu  %.1f MB/s", bar.c_str(),
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                   static_cast<unsigned long long>(progress_.records.load()),
                   secs > 0 ? mb / secs : 0.0);
      std::fflush(stderr);
    }
  }

  const ingest::IngestProgress& progress_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

void PrintJson(const ingest::IngestSummary& s, const std::string& store_dir) {
  json::JsonWriter w;
  w.BeginObject();
  w.Key("store"); w.String(store_dir);
  w.Key("files_seen"); w.UInt(s.files_seen);
  w.Key("files_read"); w.UInt(s.files_read);
  w.Key("files_unchanged"); w.UInt(s.files_unchanged);
  w.Key("files_same_content"); w.UInt(s.files_same_content);
  w.Key("files_skipped"); w.UInt(s.files_skipped);
  w.Key("files_rejected"); w.UInt(s.files_rejected);
  w.Key("records"); w.UInt(s.records);
  w.Key("events"); w.UInt(s.events_added);
  w.Key("duplicates"); w.UInt(s.duplicates);
  w.Key("records_rejected"); w.UInt(s.records_rejected);
  w.Key("bytes_read"); w.UInt(s.bytes_read);
  w.Key("json_bytes"); w.UInt(s.json_bytes);
  w.Key("segments_written"); w.UInt(s.segments_written);
  w.Key("segment_bytes"); w.UInt(s.segment_bytes);
  w.Key("seconds"); w.Double(s.seconds);
  w.Key("dedup_peak_keys"); w.UInt(s.dedup_peak_keys);
  w.Key("dedup_day_loads"); w.UInt(s.dedup_day_loads);
  w.Key("dedup_evictions"); w.UInt(s.dedup_evictions);
  w.Key("dedup_text_keys_dropped"); w.UInt(s.dedup_text_keys_dropped);
  w.Key("events_per_second");
  w.Double(s.seconds > 0 ? static_cast<double>(s.events_added) / s.seconds : 0);
  w.Key("rejected_files");
  w.BeginArray();
  for (const auto& f : s.rejected_files) {
    w.BeginObject();
    w.Key("path"); w.String(f.path);
    w.Key("reason"); w.String(f.reason);
    w.EndObject();
  }
  w.EndArray();
  w.Key("rejected_records");
  w.BeginArray();
  for (const auto& r : s.rejected_records) w.String(r);
  w.EndArray();
  w.EndObject();
  std::printf("%s\n", w.str().c_str());
}

void PrintHuman(const ingest::IngestSummary& s, const std::string& store_dir) {
  std::printf("ingested into %s in %.2f s\n", store_dir.c_str(), s.seconds);
  std::printf("  files:   %llu seen, %llu read, %llu unchanged, %llu same content, %llu skipped, "
              "%llu rejected\n",
              static_cast<unsigned long long>(s.files_seen),
              static_cast<unsigned long long>(s.files_read),
              static_cast<unsigned long long>(s.files_unchanged),
              static_cast<unsigned long long>(s.files_same_content),
              static_cast<unsigned long long>(s.files_skipped),
              static_cast<unsigned long long>(s.files_rejected));
  std::printf("  events:  %llu added, %llu duplicates skipped, %llu records rejected (of %llu read)\n",
              static_cast<unsigned long long>(s.events_added),
              static_cast<unsigned long long>(s.duplicates),
              static_cast<unsigned long long>(s.records_rejected),
              static_cast<unsigned long long>(s.records));
  double mb = static_cast<double>(s.bytes_read) / 1e6;
  std::printf("  data:    %.1f MB read (%.1f MB JSON, %.1f MB/s), %llu segments written (%.1f MB)\n",
              mb, static_cast<double>(s.json_bytes) / 1e6, s.seconds > 0 ? mb / s.seconds : 0.0,
              static_cast<unsigned long long>(s.segments_written),
              static_cast<double>(s.segment_bytes) / 1e6);
  if (!s.rejected_files.empty()) {
    std::printf("rejected files:\n");
    for (const auto& f : s.rejected_files) std::printf("  %s\n", f.reason.c_str());
  }
  if (!s.rejected_records.empty()) {
    std::printf("rejected records:\n");
    for (const auto& r : s.rejected_records) std::printf("  %s\n", r.c_str());
    if (s.records_rejected > s.rejected_records.size()) {
      std::printf("  ... and %llu more\n",
                  static_cast<unsigned long long>(s.records_rejected - s.rejected_records.size()));
    }
  }
}

int RunIngest(const IngestFlags& flags) {
  std::string dir = ResolveStoreDir(flags.store);
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadWrite);
  if (!store.ok()) {
    PrintError(store.status().message());
    return ToInt(ExitCodeFor(store.status()));
  }
  ingest::IngestOptions options;
  options.threads = flags.threads;
  options.batch_bytes = flags.batch_mb << 20;
  options.dedup_limits.max_resident_keys = flags.dedup_keys;
  ingest::IngestProgress progress;
  Result<ingest::IngestSummary> summary = [&] {
    std::unique_ptr<ProgressBar> bar;
    if (!flags.no_progress && ::isatty(STDERR_FILENO)) bar = std::make_unique<ProgressBar>(progress);
    return ingest::Ingest(**store, flags.paths, options, &progress);
  }();
  if (!summary.ok()) {
    PrintError(summary.status().message());
    return ToInt(ExitCodeFor(summary.status()));
  }
  if (flags.json) {
    PrintJson(*summary, dir);
  } else {
    PrintHuman(*summary, dir);
  }
  return ToInt(summary->anything_rejected() ? ExitCode::kInputRejected : ExitCode::kOk);
}

}  // namespace

void AddIngestCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<IngestFlags>();
  CLI::App* cmd = app.add_subcommand(
      "ingest", "Ingest CloudTrail logs (S3 layout, .json[.gz], NDJSON, LookupEvents, Lake exports; - for stdin)");
  AddStoreFlag(cmd, &flags->store);
  cmd->add_option("paths", flags->paths, "Files or directories to ingest, or - for stdin")
      ->required();
  cmd->add_flag("--json", flags->json, "Print the summary as one JSON object");
  cmd->add_flag("--no-progress", flags->no_progress, "Do not draw the progress bar");
  cmd->add_option("--threads", flags->threads, "Worker threads (default: all cores)");
  cmd->add_option("--batch-mb", flags->batch_mb,
                  "Memory for in-flight events across workers, in MiB (default 128)")
      ->check(CLI::Range(1, 65536));
  cmd->add_option("--dedup-keys", flags->dedup_keys,
                  "eventID keys the duplicate filter keeps in memory (16-32 bytes each; evicted "
                  "days are reloaded from the store; default 4194304)")
      ->check(CLI::Range(size_t{1}, size_t{1} << 32));
  cmd->callback([flags, &action] { action = [flags] { return RunIngest(*flags); }; });
}

}  // namespace trailbook::cli
