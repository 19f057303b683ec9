#include "monitor/alert_pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <cstdlib>
#include <random>
#include <set>
#include <thread>

#include "io/file.h"

namespace trailbook::monitor {
namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kT0 = 1'700'000'000LL * kSecond;
constexpr uint64_t kCycles = 120;

// 400 generated failed logins from 6 IPs, delivered 0-6 minutes late and out of order.
// `incremental`: reads by ingestion position (an event's rank in arrival order), as the
// monitor's source does, so the row budget applies.
class GeneratedSource : public QuerySource {
 public:
  GeneratedSource(const Clock& clock, bool incremental)
      : clock_(clock), incremental_(incremental) {}
  Result<std::vector<DetectionRow>> Run(const AlertRule&, std::string_view sql,
                                        const QueryParams& params) override {
    if (sql != "failed-logins") return InvalidArgument("unknown query");
    const int64_t start = Param(params, "start"), end = Param(params, "end");
    std::vector<DetectionRow> rows;
    for (int i = 0; i < 400; ++i) {
      if (Arrives(i) > clock_.NowMicros() || Time(i) < start || Time(i) > end) continue;
      rows.push_back(Row(i));
    }
    return rows;
  }

  Result<std::optional<uint64_t>> IngestPosition() override {
    if (!incremental_) return std::optional<uint64_t>();
    return std::optional<uint64_t>(Arrived().size());
  }

  Result<std::vector<DetectionRow>> RunIngested(const AlertRule&, const QueryParams& params,
                                                uint64_t after, uint64_t through) override {
    const int64_t start = Param(params, "start"), end = Param(params, "end");
    std::vector<int> arrived = Arrived();
    if (through > arrived.size() || after > through) return Internal("bad positions");
    std::vector<DetectionRow> rows;
    for (uint64_t k = after; k < through; ++k) {
      const int i = arrived[k];
      if (Time(i) >= start && Time(i) <= end) rows.push_back(Row(i));
    }
    return rows;
  }

 private:
  // The timestamp parameter `name` (a confirm query also gets the candidate row's columns).
  static int64_t Param(const QueryParams& params, std::string_view name) {
    for (const auto& [key, cell] : params) {
      if (key == name) return cell.int_value;
    }
    return 0;
  }
  static int64_t Time(int i) { return kT0 + (i * 37 % 5400) * kSecond; }
  static int64_t Arrives(int i) { return Time(i) + (i * 13 % 7) * kMinute; }
  static DetectionRow Row(int i) {
    DetectionRow row;
    row.Set("eventID", Cell::String("ev-" + std::to_string(i)));
    row.Set("eventTime", Cell::Timestamp(Time(i)));
    row.Set("sourceIPAddress", Cell::String("198.51.100." + std::to_string(i % 6)));
    return row;
  }
  // The events arrived by now, in arrival order (ties: by index).
  std::vector<int> Arrived() const {
    std::vector<int> arrived;
    for (int i = 0; i < 400; ++i) {
      if (Arrives(i) <= clock_.NowMicros()) arrived.push_back(i);
    }
    std::stable_sort(arrived.begin(), arrived.end(),
                     [](int a, int b) { return Arrives(a) < Arrives(b); });
    return arrived;
  }

  const Clock& clock_;
  bool incremental_;
};

AlertRule Rule() {
  AlertRule rule;
  rule.runbook_id = "detect.burst";
  rule.runbook_version = "1";
  rule.query = "failed-logins";
  rule.threshold.min_rows = 4;
  rule.threshold.group_by = {"sourceIPAddress"};
  rule.threshold.window_us = 5 * kMinute;
  rule.suppress_for_us = 15 * kMinute;
  rule.resolve.quiet_for_us = 10 * kMinute;
  rule.confirm.kind = ConfirmKind::kStillTrue;
  rule.confirm.delay_us = 2 * kMinute;
  return rule;
}

// Runs cycles until kCycles are committed, resuming from the state in `dir`. Each cycle's
// time is derived from the committed cycle count, so a repeated cycle sees the same time.
// `budget` > 0: an incremental source and that row budget (EngineOptions).
Status RunToCompletion(const std::string& dir, bool slow, size_t budget = 0) {
  while (true) {
    TB_ASSIGN_OR_RETURN(MonitorState saved, LoadMonitorState(dir + "/state.json"));
    if (saved.runs >= kCycles && saved.outbox.empty()) return Status::OK();
    FakeClock clock(kT0 + static_cast<int64_t>(saved.runs) * kMinute);
    GeneratedSource source(clock, budget > 0);
    std::vector<std::unique_ptr<AlertSink>> sinks;
    TB_ASSIGN_OR_RETURN(std::unique_ptr<FileSink> file,
                        FileSink::Open("file", dir + "/alerts.ndjson"));
    sinks.push_back(std::move(file));
    PipelineOptions options;
    options.state_path = dir + "/state.json";
    options.candidates_path = dir + "/candidates.ndjson";
    options.default_sinks = {"file"};
    if (budget > 0) options.engine.max_cached_rows_per_rule = budget;
    TB_ASSIGN_OR_RETURN(std::unique_ptr<AlertPipeline> pipeline,
                        AlertPipeline::Open(options, {Rule()}, source, clock, std::move(sinks)));
    if (saved.runs >= kCycles) {
      TB_RETURN_IF_ERROR(pipeline->DeliverDue().status());
      continue;
    }
    TB_ASSIGN_OR_RETURN(CycleReport report, pipeline->RunCycle());
    if (!report.rule_errors.empty()) return report.rule_errors[0];
    if (slow) std::this_thread::sleep_for(std::chrono::microseconds(300));
  }
}

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines;
  std::string text = io::ReadFile(path).value();
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

// The decision an alert line records (id, status, key, times, count), without its evidence.
std::string Decision(const std::string& line) {
  std::string out;
  for (const char* key : {"\"alert_id\":", "\"status\":", "\"dedup_key\":", "\"window_start\":",
                          "\"window_end\":", "\"row_count\":", "\"created\":"}) {
    size_t at = line.find(key);
    if (at == std::string::npos) {  // A resolution has no row_count.
      out += "- ";
      continue;
    }
    at += std::strlen(key);
    out += line.substr(at, line.find_first_of(",}", at) - at) + " ";
  }
  return out;
}

std::string TempDir() {
  char tmpl[] = "/tmp/tb_monitor_kill_XXXXXX";
  return mkdtemp(tmpl) == nullptr ? "" : tmpl;
}

// A monitor that stops before its first cycle must, when it comes back, cover the time
// since it first started (not only `lookback` before its first cycle).
TEST(AlertPipelineTest, RulesCoverTheTimeSinceTheMonitorFirstStarted) {
  auto open = [](const std::string& dir, const Clock& clock, QuerySource& source) {
    std::vector<std::unique_ptr<AlertSink>> sinks;
    sinks.push_back(std::make_unique<StreamSink>("out", [](std::string_view) {
      return Status::OK();
    }));
    PipelineOptions options;
    options.state_path = dir + "/state.json";
    options.default_sinks = {"out"};
    return AlertPipeline::Open(options, {Rule()}, source, clock, std::move(sinks));
  };
  std::string restarted = TempDir();
  std::string fresh = TempDir();
  FakeClock clock(kT0);
  GeneratedSource source(clock, false);
  {
    auto first = open(restarted, clock, source);  // started, then died before any cycle
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ((*first)->engine().state().rules.at("detect.burst").watermark_us, kT0);
  }
  clock.Advance(60 * kMinute);
  auto again = open(restarted, clock, source);
  ASSERT_TRUE(again.ok());
  Result<CycleReport> covered = (*again)->RunCycle();
  ASSERT_TRUE(covered.ok());
  auto other = open(fresh, clock, source);  // a monitor that starts only now
  ASSERT_TRUE(other.ok());
  Result<CycleReport> recent = (*other)->RunCycle();
  ASSERT_TRUE(recent.ok());
  EXPECT_GT(covered->candidates, recent->candidates);
  EXPECT_GT(covered->rows_new, recent->rows_new);
  std::system(("rm -rf " + restarted + " " + fresh).c_str());
}

// Kills the monitor with SIGKILL at random points, over and over, and restarts it from its
// state file. The alerts delivered must be exactly those of an uninterrupted run, once each.
// Runs RunToCompletion(dir, budget) in child processes killed with SIGKILL at random points
// until one completes; returns the kills.
int KillUntilDone(const std::string& dir, size_t budget) {
  std::mt19937 rng(8);
  int kills = 0;
  for (int attempt = 0; attempt < 2000; ++attempt) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) _exit(RunToCompletion(dir, true, budget).ok() ? 0 : 3);
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(
        500, 15000)(rng)));
    kill(pid, SIGKILL);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status) == 0 ? kills : -1;
    ++kills;
  }
  return -1;
}

TEST(AlertPipelineTest, KillAndRestartDeliversEachAlertExactlyOnce) {
  std::string reference = TempDir();
  ASSERT_TRUE(RunToCompletion(reference, false).ok());
  std::vector<std::string> expected = Lines(reference + "/alerts.ndjson");
  ASSERT_GE(expected.size(), 10u);
  std::set<std::string> unique(expected.begin(), expected.end());
  ASSERT_EQ(unique.size(), expected.size());

  std::string dir = TempDir();
  const int kills = KillUntilDone(dir, 0);
  ASSERT_GE(kills, 0) << "no run completed";
  EXPECT_GE(kills, 10);
  RecordProperty("kills", kills);
  RecordProperty("alerts", static_cast<int>(expected.size()));
  std::vector<std::string> got = Lines(dir + "/alerts.ndjson");
  std::vector<std::string> sorted_expected = expected;
  std::sort(sorted_expected.begin(), sorted_expected.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, sorted_expected);
  std::system(("rm -rf " + reference + " " + dir).c_str());
}

// With a row budget of 3 rows (most rows kept as counts), killed at random points and
// restarted: each alert is delivered exactly once, with the same id, key, times and count as
// an unbudgeted, uninterrupted run of the same (incremental) source; the budgeted alerts say how many rows lost evidence.
TEST(AlertPipelineTest, KillAndRestartWithTheRowBudgetGivesTheSameAlerts) {
  std::string reference = TempDir();
  ASSERT_TRUE(RunToCompletion(reference, false, 1'000'000).ok());
  std::vector<std::string> expected;
  for (const std::string& line : Lines(reference + "/alerts.ndjson")) {
    EXPECT_EQ(line.find("rows_without_evidence"), std::string::npos);
    expected.push_back(Decision(line));
  }
  ASSERT_GE(expected.size(), 10u);

  std::string dir = TempDir();
  const int kills = KillUntilDone(dir, 3);
  ASSERT_GE(kills, 0) << "no run completed";
  EXPECT_GE(kills, 10);
  std::vector<std::string> got;
  size_t without_evidence = 0;
  for (const std::string& line : Lines(dir + "/alerts.ndjson")) {
    got.push_back(Decision(line));
    if (line.find("rows_without_evidence") != std::string::npos) ++without_evidence;
  }
  EXPECT_GT(without_evidence, 0u) << "the budget must bite";
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expected);
  Result<MonitorState> state = LoadMonitorState(dir + "/state.json");
  ASSERT_TRUE(state.ok());
  EXPECT_GT(state->engine.rules.at("detect.burst").evidence_dropped, 0u);
  std::system(("rm -rf " + reference + " " + dir).c_str());
}

}  // namespace
}  // namespace trailbook::monitor
