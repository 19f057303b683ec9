// trailbook stats [--store DIR] [--json]
#include <CLI/CLI.hpp>

#include <cstdio>

#include "base/timestamp.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/store_flags.h"
#include "json/json_writer.h"
#include "storage/store.h"
#include "storage/store_stats.h"

namespace trailbook::cli {
namespace {

struct StatsFlags {
  std::string store;
  bool json = false;
  bool columns = false;
};

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out.empty() ? "-" : out;
}

int RunStats(const StatsFlags& flags) {
  std::string dir = ResolveStoreDir(flags.store);
  auto store = storage::Store::Open(dir, storage::Store::Mode::kReadOnly);
  if (!store.ok()) {
    PrintError(store.status().message());
    return ToInt(ExitCodeFor(store.status()));
  }
  auto stats = storage::ComputeStoreStats(*(*store)->Snapshot());
  if (!stats.ok()) {
    PrintError(stats.status().message());
    return ToInt(ExitCodeFor(stats.status()));
  }
  const storage::StoreStats& s = *stats;
  if (flags.json) {
    json::JsonWriter w;
    w.BeginObject();
    w.Key("store"); w.String(dir);
    w.Key("eds_id"); w.String(s.eds_id);
    w.Key("events"); w.UInt(s.events);
    w.Key("first_event_time");
    if (s.events > 0) w.String(FormatTimestamp(s.first_event_time)); else w.Null();
    w.Key("last_event_time");
    if (s.events > 0) w.String(FormatTimestamp(s.last_event_time)); else w.Null();
    w.Key("accounts");
    w.BeginArray();
    for (const auto& a : s.accounts) w.String(a);
    w.EndArray();
    w.Key("regions");
    w.BeginArray();
    for (const auto& r : s.regions) w.String(r);
    w.EndArray();
    w.Key("segments"); w.UInt(s.segments);
    w.Key("bytes"); w.UInt(s.bytes);
    w.Key("commits"); w.UInt(s.commits);
    w.EndObject();
    std::printf("%s\n", w.str().c_str());
    return 0;
  }
  std::printf("store        %s\n", dir.c_str());
  std::printf("eds id       %s\n", s.eds_id.c_str());
  std::printf("events       %llu\n", static_cast<unsigned long long>(s.events));
  if (s.events > 0) {
    std::printf("time range   %s .. %s\n", FormatTimestamp(s.first_event_time).c_str(),
                FormatTimestamp(s.last_event_time).c_str());
  }
  std::printf("accounts     %s\n", Join(s.accounts).c_str());
  std::printf("regions      %s\n", Join(s.regions).c_str());
  std::printf("segments     %llu (%.1f MB on disk)\n", static_cast<unsigned long long>(s.segments),
              static_cast<double>(s.bytes) / 1e6);
  if (flags.columns) {
    std::printf("\n%-48s %12s %12s %12s %8s\n", "column", "data", "dictionary", "index", "share");
    for (const auto& c : storage::ComputeColumnBytes(*(*store)->Snapshot())) {
      if (c.total() == 0) continue;
      std::printf("%-48s %12llu %12llu %12llu %7.1f%%\n", c.name.c_str(),
                  static_cast<unsigned long long>(c.data),
                  static_cast<unsigned long long>(c.dictionary),
                  static_cast<unsigned long long>(c.index),
                  100.0 * static_cast<double>(c.total()) / static_cast<double>(s.bytes));
    }
  }
  return 0;
}

}  // namespace

void AddStatsCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<StatsFlags>();
  CLI::App* cmd = app.add_subcommand("stats", "Show what a store holds");
  AddStoreFlag(cmd, &flags->store);
  cmd->add_flag("--json", flags->json, "Print one JSON object");
  cmd->add_flag("--columns", flags->columns, "Also show on-disk bytes per column");
  cmd->callback([flags, &action] { action = [flags] { return RunStats(*flags); }; });
}

}  // namespace trailbook::cli
