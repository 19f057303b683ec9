#include "monitor/alert_pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
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
class GeneratedSource : public QuerySource {
 public:
  explicit GeneratedSource(const Clock& clock) : clock_(clock) {}
  Result<std::vector<DetectionRow>> Run(const AlertRule&, std::string_view sql,
                                        const QueryParams& params) override {
    if (sql != "failed-logins") return InvalidArgument("unknown query");
    int64_t start = params[0].second.int_value, end = params[1].second.int_value;
    std::vector<DetectionRow> rows;
    for (int i = 0; i < 400; ++i) {
      int64_t t = kT0 + (i * 37 % 5400) * kSecond;
      int64_t arrives = t + (i * 13 % 7) * kMinute;
      if (arrives > clock_.NowMicros() || t < start || t > end) continue;
      DetectionRow row;
      row.Set("eventID", Cell::String("ev-" + std::to_string(i)));
      row.Set("eventTime", Cell::Timestamp(t));
      row.Set("sourceIPAddress", Cell::String("198.51.100." + std::to_string(i % 6)));
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  const Clock& clock_;
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
Status RunToCompletion(const std::string& dir, bool slow) {
  while (true) {
    TB_ASSIGN_OR_RETURN(MonitorState saved, LoadMonitorState(dir + "/state.json"));
    if (saved.runs >= kCycles && saved.outbox.empty()) return Status::OK();
    FakeClock clock(kT0 + static_cast<int64_t>(saved.runs) * kMinute);
    GeneratedSource source(clock);
    std::vector<std::unique_ptr<AlertSink>> sinks;
    TB_ASSIGN_OR_RETURN(std::unique_ptr<FileSink> file,
                        FileSink::Open("file", dir + "/alerts.ndjson"));
    sinks.push_back(std::move(file));
    PipelineOptions options;
    options.state_path = dir + "/state.json";
    options.candidates_path = dir + "/candidates.ndjson";
    options.default_sinks = {"file"};
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
  GeneratedSource source(clock);
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
TEST(AlertPipelineTest, KillAndRestartDeliversEachAlertExactlyOnce) {
  std::string reference = TempDir();
  ASSERT_TRUE(RunToCompletion(reference, false).ok());
  std::vector<std::string> expected = Lines(reference + "/alerts.ndjson");
  ASSERT_GE(expected.size(), 10u);
  std::set<std::string> unique(expected.begin(), expected.end());
  ASSERT_EQ(unique.size(), expected.size());

  std::string dir = TempDir();
  std::mt19937 rng(8);
  int kills = 0;
  bool done = false;
  for (int attempt = 0; attempt < 2000 && !done; ++attempt) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) _exit(RunToCompletion(dir, true).ok() ? 0 : 3);
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(
        500, 15000)(rng)));
    kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0);
      done = true;
    } else {
      ++kills;
    }
  }
  ASSERT_TRUE(done);
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

}  // namespace
}  // namespace trailbook::monitor
