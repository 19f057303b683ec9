// trailbook monitor --config monitor.yaml [--once]
#include <CLI/CLI.hpp>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/store_flags.h"
#include "monitor/monitor_daemon.h"

namespace trailbook::cli {
namespace {

struct MonitorFlags {
  std::string config;
  bool once = false;
  bool quiet = false;
};

std::atomic<bool> g_stop{false};  // Set by SIGINT/SIGTERM; read by the monitor loop.

extern "C" void HandleStopSignal(int) { g_stop.store(true); }

Status WriteStdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    return IOError("writing alerts to stdout failed");
  }
  return Status::OK();
}

// `warned_budget`: whether the row budget warning was printed (once per process).
void PrintPass(const monitor::PassReport& pass, bool quiet, bool* warned_budget) {
  for (const Status& s : pass.cycle.rule_errors) PrintError(s.message());
  for (const Status& s : pass.cycle.delivery_errors) PrintError(s.message());
  if (pass.digest && !pass.digest->ok()) PrintError("audit digest: " + pass.digest->status().message());
  if (pass.ingest.anything_rejected()) {
    for (const auto& f : pass.ingest.rejected_files) PrintError(f.path + ": " + f.reason);
    for (const auto& r : pass.ingest.rejected_records) PrintError(r);
  }
  if (pass.cycle.keys_evicted > 0) {
    PrintError("detection state at max_keys_per_rule or max_counts_per_rule: forgot the " +
               std::to_string(pass.cycle.keys_evicted) + " coldest group keys (" +
               std::to_string(pass.cycle.rows_evicted) +
               " rows); their later candidates are judged without those rows");
  }
  if (pass.cycle.evidence_dropped > 0 && !*warned_budget) {
    *warned_budget = true;
    PrintError("detection state at max_rows_per_rule: kept " +
               std::to_string(pass.cycle.evidence_dropped) +
               " of the oldest rows as counts only (alerts stay exact but carry fewer evidence "
               "rows; the state file counts them as evidence_dropped per rule); this warning is "
               "printed once");
  }
  if (quiet) return;
  bool activity = pass.ingest.events_added > 0 || pass.cycle.alerts_new > 0 ||
                  pass.cycle.deliveries > 0 || pass.cycle.dead_letters > 0;
  if (!activity) return;
  std::fprintf(stderr,
               "trailbook monitor: ingested %llu events from %llu files; %zu candidates, %zu new "
               "alerts, %zu deliveries, %zu failed, %zu dead-lettered\n",
               static_cast<unsigned long long>(pass.ingest.events_added),
               static_cast<unsigned long long>(pass.ingest.files_read), pass.cycle.candidates,
               pass.cycle.alerts_new, pass.cycle.deliveries, pass.cycle.delivery_failures,
               pass.cycle.dead_letters);
}

int RunMonitor(const MonitorFlags& flags) {
  Result<monitor::MonitorConfig> config = monitor::LoadMonitorConfig(flags.config);
  if (!config.ok()) {
    PrintError(config.status().message());
    return ToInt(config.status().code() == StatusCode::kInvalidArgument ? ExitCode::kUsage
                                                                         : ExitCodeFor(config.status()));
  }
  Result<std::unique_ptr<monitor::Monitor>> m =
      monitor::Monitor::Open(*config, SystemClock(), WriteStdout);
  if (!m.ok()) {
    PrintError(m.status().message());
    return ToInt(ExitCodeFor(m.status()));
  }
  bool warned_budget = false;
  if (flags.once) {
    Result<monitor::PassReport> pass = (*m)->RunPass(/*force_detect=*/true);
    if (!pass.ok()) {
      PrintError(pass.status().message());
      return ToInt(ExitCodeFor(pass.status()));
    }
    PrintPass(*pass, flags.quiet, &warned_budget);
    if (Status closed = (*m)->Close(); !closed.ok()) {
      PrintError(closed.message());
      return ToInt(ExitCodeFor(closed));
    }
    if (!pass->cycle.rule_errors.empty()) return ToInt(ExitCodeFor(pass->cycle.rule_errors[0]));
    if (!pass->cycle.delivery_errors.empty()) return ToInt(ExitCode::kFailure);
    return ToInt(ExitCode::kOk);
  }
  struct sigaction sa = {};
  sa.sa_handler = HandleStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  if (!flags.quiet) {
    std::fprintf(stderr, "trailbook monitor: %zu detection runbooks; watching %zu paths\n",
                 (*m)->rule_count(), config->watch.size());
  }
  Status s = (*m)->Run(g_stop, [&](const monitor::PassReport& pass) {
    PrintPass(pass, flags.quiet, &warned_budget);
  });
  if (!s.ok()) {
    PrintError(s.message());
    return ToInt(ExitCodeFor(s));
  }
  return ToInt(ExitCode::kOk);
}

}  // namespace

void AddMonitorCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<MonitorFlags>();
  CLI::App* cmd = app.add_subcommand(
      "monitor", "Watch log directories, run detection runbooks, deliver confirmed alerts");
  cmd->add_option("--config", flags->config, "Monitor configuration (monitor.yaml)")->required();
  cmd->add_flag("--once", flags->once,
                "Ingest, detect and deliver once, then exit (for cron and CI)");
  cmd->add_flag("--quiet", flags->quiet, "Print only errors on stderr");
  cmd->callback([flags, &action] { action = [flags] { return RunMonitor(*flags); }; });
}

}  // namespace trailbook::cli
