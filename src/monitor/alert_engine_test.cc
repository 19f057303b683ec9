#include "monitor/alert_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <map>
#include <set>

#include "monitor/monitor_state.h"

namespace trailbook::monitor {
namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kT0 = 1'700'000'000LL * kSecond;  // 2023-11-14T22:13:20Z

// A generated CloudTrail-like event; `arrives_us` is when it becomes visible to queries
// (CloudTrail delivers minutes late and out of order).
struct Event {
  std::string id;
  int64_t time_us;
  int64_t arrives_us;
  std::string name;
  std::string ip;
  std::string user;
};

DetectionRow ToRow(const Event& e) {
  DetectionRow row;
  row.Set("eventID", Cell::String(e.id));
  row.Set("eventTime", Cell::Timestamp(e.time_us));
  row.Set("eventName", Cell::String(e.name));
  row.Set("sourceIPAddress", Cell::String(e.ip));
  row.Set("userName", Cell::String(e.user));
  return row;
}

int64_t ParamTime(const QueryParams& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v.int_value;
  }
  ADD_FAILURE() << "missing parameter " << name;
  return 0;
}

std::string ParamText(const QueryParams& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v.ToString();
  }
  ADD_FAILURE() << "missing parameter " << name;
  return "";
}

// Serves queries over the events that have arrived by the clock's time. Each SQL text is
// mapped to a function of (parameters, visible events).
class FakeSource : public QuerySource {
 public:
  using Handler = std::function<std::vector<DetectionRow>(const QueryParams&,
                                                          const std::vector<Event>&)>;
  explicit FakeSource(const Clock& clock) : clock_(clock) {}

  void Add(Event e) { events_.push_back(std::move(e)); }
  const std::vector<Event>& events() const { return events_; }
  void On(std::string sql, Handler h) { handlers_[std::move(sql)] = std::move(h); }
  void FailNext() { fail_next_ = true; }
  // Makes the next run of query `sql` fail.
  void FailNextOf(std::string sql) { fail_sql_ = std::move(sql); }
  int calls() const { return calls_; }

  Result<std::vector<DetectionRow>> Run(const AlertRule&, std::string_view sql,
                                        const QueryParams& params) override {
    ++calls_;
    if (fail_next_ || (!fail_sql_.empty() && sql == fail_sql_)) {
      fail_next_ = false;
      fail_sql_.clear();
      return IOError("store unavailable");
    }
    auto it = handlers_.find(std::string(sql));
    if (it == handlers_.end()) return InvalidArgument("unknown query " + std::string(sql));
    std::vector<Event> visible;
    for (const Event& e : events_) {
      if (e.arrives_us <= clock_.NowMicros()) visible.push_back(e);
    }
    return it->second(params, visible);
  }

  // Incremental mode: an event's ingestion position is its rank in arrival order (1-based),
  // as segment ids grow with each commit of the store.
  void set_incremental(bool on) { incremental_ = on; }
  // Makes IngestPosition() report `position` (a replaced store), whatever has arrived.
  void OverridePosition(uint64_t position) { position_override_ = position; }
  int ingested_reads() const { return ingested_reads_; }

  Result<std::optional<uint64_t>> IngestPosition() override {
    if (!incremental_) return std::optional<uint64_t>();
    if (position_override_ != 0) return std::optional<uint64_t>(position_override_);
    return std::optional<uint64_t>(ArrivalOrder().size());
  }

  Result<std::vector<DetectionRow>> RunIngested(const AlertRule& rule, const QueryParams& params,
                                                uint64_t after, uint64_t through) override {
    ++calls_;
    ++ingested_reads_;
    if (fail_next_) {
      fail_next_ = false;
      return IOError("store unavailable");
    }
    std::vector<Event> arrived = ArrivalOrder();
    EXPECT_LE(after, through);
    EXPECT_LE(through, arrived.size());
    std::vector<Event> slice(arrived.begin() + static_cast<std::ptrdiff_t>(after),
                             arrived.begin() + static_cast<std::ptrdiff_t>(through));
    return handlers_.at(rule.query)(params, slice);
  }

 private:
  // The events that have arrived by now, in arrival order (ties: insertion order).
  std::vector<Event> ArrivalOrder() const {
    std::vector<Event> arrived;
    for (const Event& e : events_) {
      if (e.arrives_us <= clock_.NowMicros()) arrived.push_back(e);
    }
    std::stable_sort(arrived.begin(), arrived.end(),
                     [](const Event& a, const Event& b) { return a.arrives_us < b.arrives_us; });
    return arrived;
  }

  const Clock& clock_;
  std::vector<Event> events_;
  std::map<std::string, Handler> handlers_;
  bool fail_next_ = false;
  std::string fail_sql_;
  int calls_ = 0;
  bool incremental_ = false;
  uint64_t position_override_ = 0;
  int ingested_reads_ = 0;
};

// The detection query "events named `name` in [:start, :end]".
FakeSource::Handler EventsNamed(std::string name) {
  return [name](const QueryParams& p, const std::vector<Event>& events) {
    std::vector<DetectionRow> rows;
    for (const Event& e : events) {
      if (e.name == name && e.time_us >= ParamTime(p, "start") && e.time_us <= ParamTime(p, "end")) {
        rows.push_back(ToRow(e));
      }
    }
    return rows;
  };
}

AlertRule FailedLoginRule() {
  AlertRule rule;
  rule.runbook_id = "detect.console-login-burst";
  rule.runbook_version = "3";
  rule.query = "failed-logins";
  rule.threshold.min_rows = 5;
  rule.threshold.group_by = {"sourceIPAddress"};
  rule.threshold.window_us = 10 * kMinute;
  rule.dedup_key = {"sourceIPAddress"};
  rule.link_template = "https://tb.example/alerts/{alert_id}?rb={runbook_id}";
  return rule;
}

std::vector<std::string> DedupKeys(const std::vector<Alert>& alerts, AlertStatus status) {
  std::vector<std::string> keys;
  for (const Alert& a : alerts) {
    if (a.status == status) keys.push_back(a.dedup_key);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

// 14 failed logins from keys A-D (arrival times differ from event times), for rules with
// min_rows 3 and the default 15-minute lookback: A's 3 events include one 8 minutes late
// (after a run already saw the others): one alert. B has exactly 2, each seen by many
// overlapping runs: never 3+. C has 6 in order: two candidates of 3 rows, each row consumed
// once. D's third arrives 40 minutes late, beyond the lookback: no alert.
void AddLateAndOutOfOrderLogins(FakeSource& source) {
  source.Add({"a1", kT0 + 1 * kMinute, kT0 + 2 * kMinute, "ConsoleLoginFailure", "A", "u"});
  source.Add({"a2", kT0 + 2 * kMinute, kT0 + 10 * kMinute, "ConsoleLoginFailure", "A", "u"});
  source.Add({"a3", kT0 + 3 * kMinute, kT0 + 4 * kMinute, "ConsoleLoginFailure", "A", "u"});
  // Key B: exactly 2 events, each seen by many overlapping runs: must never count as 3+.
  source.Add({"b1", kT0 + 1 * kMinute, kT0 + 1 * kMinute, "ConsoleLoginFailure", "B", "u"});
  source.Add({"b2", kT0 + 2 * kMinute, kT0 + 3 * kMinute, "ConsoleLoginFailure", "B", "u"});
  // Key C: 6 events in order -> two candidates (3 rows each, rows consumed once).
  for (int i = 0; i < 6; ++i) {
    source.Add({"c" + std::to_string(i), kT0 + i * kMinute, kT0 + i * kMinute + 30 * kSecond,
                "ConsoleLoginFailure", "C", "u"});
  }
  // Key D: the third event arrives 40 minutes late, beyond the 15 minute lookback.
  source.Add({"d1", kT0 + 1 * kMinute, kT0 + 1 * kMinute, "ConsoleLoginFailure", "D", "u"});
  source.Add({"d2", kT0 + 2 * kMinute, kT0 + 2 * kMinute, "ConsoleLoginFailure", "D", "u"});
  source.Add({"d3", kT0 + 3 * kMinute, kT0 + 43 * kMinute, "ConsoleLoginFailure", "D", "u"});
}

// A hot key (4 failures in the first minute, the 5th at minute 6) and a spray of
// `spray_keys` addresses with one failure each, `per_minute` of them per minute from minute
// 1 (`own_second`: each also at its own second, so each is a distinct (key, time) count).
void AddHotKeyAndSpray(FakeSource& source, int spray_keys, int per_minute, bool own_second) {
  for (int i = 0; i < 4; ++i) {
    source.Add({"hot" + std::to_string(i), kT0 + i * kSecond, kT0 + i * kSecond,
                "ConsoleLoginFailure", "203.0.113.1", "u"});
  }
  source.Add({"hot4", kT0 + 6 * kMinute, kT0 + 6 * kMinute, "ConsoleLoginFailure", "203.0.113.1",
              "u"});
  for (int i = 0; i < spray_keys; ++i) {
    const int64_t t = kT0 + (i / per_minute + 1) * kMinute + (own_second ? i * kSecond : 0);
    source.Add({"s" + std::to_string(i), t, t, "ConsoleLoginFailure",
                "198.51.100." + std::to_string(i), "u"});
  }
}

// Runs `rule` over `source` once a minute for ticks 0..`last_tick`, restarting the engine
// from its saved and reloaded state (EncodeMonitorState/DecodeMonitorState) before every
// run, and returns the alerts as JSON in order. Fails the test on a decode or rule error.
std::vector<std::string> RunWithRestarts(const AlertRule& rule, FakeSource& source,
                                         FakeClock& clock, int last_tick) {
  std::vector<std::string> alerts;
  std::string saved = EncodeMonitorState(MonitorState{});
  for (int tick = 0; tick <= last_tick; ++tick) {
    clock.Set(kT0 + tick * kMinute);
    Result<MonitorState> state = DecodeMonitorState(saved);
    EXPECT_TRUE(state.ok()) << state.status().ToString();
    if (!state.ok()) return alerts;
    AlertEngine fresh({rule}, source, clock, EngineOptions{});
    fresh.set_state(std::move(state->engine));
    TickOutput out = fresh.RunOnce();
    EXPECT_TRUE(out.rule_errors.empty()) << out.rule_errors[0].ToString();
    for (const Alert& a : out.alerts) alerts.push_back(AlertToJson(a));
    saved = EncodeMonitorState({fresh.state(), {}, {}, 0});
  }
  return alerts;
}

TEST(AlertEngineTest, ThresholdPerGroupWithinWindowIgnoresNoise) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
  int n = 0;
  auto add = [&](std::string ip, int64_t offset, std::string name = "ConsoleLoginFailure") {
    source.Add({"e" + std::to_string(n++), kT0 + offset, kT0 + offset, std::move(name),
                std::move(ip), "alice"});
  };
  for (int i = 0; i < 5; ++i) add("198.51.100.1", i * kMinute);       // burst: alerts
  for (int i = 0; i < 4; ++i) add("198.51.100.2", i * kMinute);       // 4 < 5: noise
  for (int i = 0; i < 6; ++i) add("198.51.100.3", i * 3 * kMinute);   // too spread out
  for (int i = 0; i < 9; ++i) add("198.51.100.4", i * kMinute, "ConsoleLogin");  // successes

  AlertEngine engine({FailedLoginRule()}, source, clock, EngineOptions{});
  std::vector<Alert> alerts;
  for (int tick = 0; tick <= 20; ++tick) {
    clock.Set(kT0 + tick * kMinute);
    TickOutput out = engine.RunOnce();
    ASSERT_TRUE(out.rule_errors.empty()) << out.rule_errors[0].ToString();
    for (Alert& a : out.alerts) alerts.push_back(std::move(a));
  }
  ASSERT_EQ(alerts.size(), 1u);
  const Alert& a = alerts[0];
  EXPECT_EQ(a.dedup_key, "198.51.100.1");
  EXPECT_EQ(a.runbook_id, "detect.console-login-burst");
  EXPECT_EQ(a.runbook_version, "3");
  EXPECT_EQ(a.row_count, 5u);
  EXPECT_EQ(a.rows.size(), 5u);
  EXPECT_EQ(a.window_start_us, kT0);
  EXPECT_EQ(a.window_end_us, kT0 + 4 * kMinute);
  EXPECT_EQ(a.link, "https://tb.example/alerts/" + a.id + "?rb=detect.console-login-burst");
  EXPECT_EQ(a.id.size(), 32u);
}

// Events arrive late and out of order; each run overlaps the previous one by the lookback.
// The expected alerts are known exactly: no row is counted twice, no late row is lost.
TEST(AlertEngineTest, LateAndOutOfOrderEventsAreNeitherMissedNorDoubleCounted) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
  AlertRule rule = FailedLoginRule();
  rule.threshold.min_rows = 3;
  AddLateAndOutOfOrderLogins(source);

  AlertEngine engine({rule}, source, clock, EngineOptions{});
  std::vector<Alert> alerts;
  std::vector<CandidateRecord> candidates;
  for (int tick = 0; tick <= 60; ++tick) {
    clock.Set(kT0 + tick * kMinute);
    TickOutput out = engine.RunOnce();
    ASSERT_TRUE(out.rule_errors.empty());
    for (Alert& a : out.alerts) alerts.push_back(std::move(a));
  }
  EXPECT_THAT(DedupKeys(alerts, AlertStatus::kFiring),
              ::testing::ElementsAre("A", "C", "C"));
  std::set<std::string> ids;
  for (const Alert& a : alerts) ids.insert(a.id);
  EXPECT_EQ(ids.size(), alerts.size());
  // The engine forgets rows beyond the horizon: memory stays bounded.
  EXPECT_TRUE(engine.state().rules.at(rule.runbook_id).groups.empty());
}

// The same stream, read incrementally: each run reads only what arrived since the previous
// run, so every event is read exactly once (the one more than `lookback` late excepted, which
// the query's :start drops), and the alerts are exactly those of the full re-reads.
TEST(AlertEngineTest, IncrementalReadsSeeEachEventOnceAndGiveTheExactAlerts) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.set_incremental(true);
  source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
  AlertRule rule = FailedLoginRule();
  rule.threshold.min_rows = 3;
  AddLateAndOutOfOrderLogins(source);
  // Noise of another name: read (it was ingested) but never counted.
  source.Add({"n1", kT0 + 2 * kMinute, kT0 + 5 * kMinute, "ConsoleLogin", "A", "u"});

  AlertEngine engine({rule}, source, clock, EngineOptions{});
  std::vector<Alert> alerts;
  uint64_t rows_seen = 0;
  for (int tick = 0; tick <= 60; ++tick) {
    clock.Set(kT0 + tick * kMinute);
    TickOutput out = engine.RunOnce();
    ASSERT_TRUE(out.rule_errors.empty()) << out.rule_errors[0].ToString();
    EXPECT_EQ(out.rows_new, out.rows_seen) << "tick " << tick << " re-read a row";
    rows_seen += out.rows_seen;
    for (Alert& a : out.alerts) alerts.push_back(std::move(a));
  }
  EXPECT_THAT(DedupKeys(alerts, AlertStatus::kFiring), ::testing::ElementsAre("A", "C", "C"));
  EXPECT_EQ(rows_seen, 13u);  // 14 failures, d3 (40 minutes late) dropped by :start
  EXPECT_EQ(engine.state().rules.at(rule.runbook_id).ingest_position, 15u);
  // Runs with nothing new read nothing: the 15 events arrive within 8 of the 61 runs
  // (those at minutes 1-6, 10 and 43).
  EXPECT_EQ(source.ingested_reads(), 8);
  EXPECT_TRUE(engine.state().rules.at(rule.runbook_id).groups.empty());
}

// A generated stream with late, out-of-order delivery, noise and a restart (state saved and
// reloaded) before every run: incremental reads give exactly the alerts of full re-reads,
// each once.
TEST(AlertEngineTest, IncrementalAndFullReadsGiveTheSameAlertsAcrossRestarts) {
  auto build = [](FakeSource& source) {
    source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
    uint64_t x = 12345;
    auto next = [&x](uint64_t n) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      return (x >> 33) % n;
    };
    for (int i = 0; i < 400; ++i) {
      const int64_t t = kT0 + static_cast<int64_t>(next(7200)) * kSecond;
      const int64_t delay = static_cast<int64_t>(next(14 * 60)) * kSecond;  // within lookback
      const char* name = next(4) == 0 ? "ConsoleLogin" : "ConsoleLoginFailure";
      source.Add({"r" + std::to_string(i), t, t + delay, name, "ip" + std::to_string(next(6)),
                  "u"});
    }
  };
  AlertRule rule = FailedLoginRule();
  rule.suppress_for_us = 15 * kMinute;
  rule.resolve.quiet_for_us = 10 * kMinute;

  std::vector<std::string> expected;
  {
    FakeClock clock(kT0);
    FakeSource source(clock);
    build(source);
    AlertEngine full({rule}, source, clock, EngineOptions{});
    for (int tick = 0; tick <= 180; ++tick) {
      clock.Set(kT0 + tick * kMinute);
      for (const Alert& a : full.RunOnce().alerts) expected.push_back(AlertToJson(a));
    }
  }
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.set_incremental(true);
  build(source);
  std::vector<std::string> restarted = RunWithRestarts(rule, source, clock, /*last_tick=*/180);
  EXPECT_GE(expected.size(), 6u);
  EXPECT_EQ(restarted, expected);
  std::set<std::string> unique(restarted.begin(), restarted.end());
  EXPECT_EQ(unique.size(), restarted.size());
}

TEST(AlertEngineTest, FailedIncrementalReadIsRepeatedFromTheSamePosition) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.set_incremental(true);
  source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
  for (int i = 0; i < 5; ++i) {
    source.Add({"f" + std::to_string(i), kT0 + i * kSecond, kT0 + 30 * kSecond,
                "ConsoleLoginFailure", "A", "u"});
  }
  AlertEngine engine({FailedLoginRule()}, source, clock, EngineOptions{});
  clock.Set(kT0 + 10 * kSecond);
  ASSERT_TRUE(engine.RunOnce().rule_errors.empty());
  clock.Set(kT0 + kMinute);
  source.FailNext();
  TickOutput failed = engine.RunOnce();
  ASSERT_EQ(failed.rule_errors.size(), 1u);
  EXPECT_EQ(failed.rule_errors[0].code(), StatusCode::kIOError);
  EXPECT_EQ(engine.state().rules.at("detect.console-login-burst").ingest_position, 0u);
  clock.Set(kT0 + 2 * kMinute);
  TickOutput next = engine.RunOnce();
  ASSERT_TRUE(next.rule_errors.empty());
  EXPECT_EQ(next.rows_new, 5u);
  EXPECT_EQ(next.alerts.size(), 1u);
  EXPECT_EQ(engine.state().rules.at("detect.console-login-burst").ingest_position, 5u);
}

// The confirm query fails after the run added and consumed rows: the rule's state is
// exactly as before the run, and the next run reads the same rows again and alerts once.
TEST(AlertEngineTest, FailureAfterRowsWereConsumedRestoresTheState) {
  for (bool incremental : {false, true}) {
    SCOPED_TRACE(incremental ? "incremental" : "full");
    FakeClock clock(kT0);
    FakeSource source(clock);
    source.set_incremental(incremental);
    source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
    source.On("confirm", [](const QueryParams&, const std::vector<Event>&) {
      return std::vector<DetectionRow>{DetectionRow{}};
    });
    for (int i = 0; i < 3; ++i) {
      source.Add({"old" + std::to_string(i), kT0 + i * kSecond, kT0 + 5 * kSecond,
                  "ConsoleLoginFailure", "A", "u"});
    }
    for (int i = 0; i < 5; ++i) {
      source.Add({"f" + std::to_string(i), kT0 + (10 + i) * kSecond, kT0 + 30 * kSecond,
                  "ConsoleLoginFailure", "B", "u"});
    }
    AlertRule rule = FailedLoginRule();
    rule.confirm.kind = ConfirmKind::kQuery;
    rule.confirm.query = "confirm";
    rule.confirm.expect_rows = true;
    AlertEngine engine({rule}, source, clock, EngineOptions{});
    clock.Set(kT0 + 10 * kSecond);
    ASSERT_TRUE(engine.RunOnce().rule_errors.empty());
    const std::string before = EncodeMonitorState({engine.state(), {}, {}, 0});
    clock.Set(kT0 + kMinute);
    source.FailNextOf("confirm");
    TickOutput failed = engine.RunOnce();
    ASSERT_EQ(failed.rule_errors.size(), 1u);
    EXPECT_TRUE(failed.alerts.empty());
    EXPECT_EQ(EncodeMonitorState({engine.state(), {}, {}, 0}), before);
    clock.Set(kT0 + 2 * kMinute);
    TickOutput next = engine.RunOnce();
    ASSERT_TRUE(next.rule_errors.empty()) << next.rule_errors[0].ToString();
    EXPECT_EQ(next.rows_new, 5u);
    ASSERT_EQ(next.alerts.size(), 1u);
    EXPECT_EQ(next.alerts[0].dedup_key, "B");
    EXPECT_EQ(next.alerts[0].row_count, 5u);
  }
}

TEST(AlertEngineTest, StorePositionBehindTheStateIsAnError) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.set_incremental(true);
  source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
  for (int i = 0; i < 3; ++i) {
    source.Add({"f" + std::to_string(i), kT0, kT0, "ConsoleLoginFailure", "A", "u"});
  }
  AlertEngine engine({FailedLoginRule()}, source, clock, EngineOptions{});
  ASSERT_TRUE(engine.RunOnce().rule_errors.empty());
  source.OverridePosition(2);  // e.g. a new, smaller store behind an old state directory
  clock.Set(kT0 + kMinute);
  TickOutput out = engine.RunOnce();
  ASSERT_EQ(out.rule_errors.size(), 1u);
  EXPECT_EQ(out.rule_errors[0].code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(out.rule_errors[0].message(), ::testing::HasSubstr("position 2 is behind"));
  EXPECT_EQ(engine.state().rules.at("detect.console-login-burst").ingest_position, 3u);
}

TEST(AlertEngineTest, SuppressionFoldsRepeatsIntoOneAlertUntilItExpires) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
  AlertRule rule = FailedLoginRule();
  rule.suppress_for_us = 1 * kHour;
  // A steady attack: one failure every 20 s for 100 minutes (300 events, 60 candidates).
  for (int i = 0; i < 300; ++i) {
    int64_t t = kT0 + i * 20 * kSecond;
    source.Add({"x" + std::to_string(i), t, t, "ConsoleLoginFailure", "203.0.113.9", "root"});
  }
  AlertEngine engine({rule}, source, clock, EngineOptions{});
  std::vector<Alert> alerts;
  size_t suppressed = 0;
  for (int tick = 0; tick <= 120; ++tick) {
    clock.Set(kT0 + tick * kMinute);
    TickOutput out = engine.RunOnce();
    ASSERT_TRUE(out.rule_errors.empty());
    for (Alert& a : out.alerts) alerts.push_back(std::move(a));
    for (const CandidateRecord& c : out.candidates) {
      if (c.outcome == CandidateOutcome::kSuppressed) ++suppressed;
    }
  }
  // One alert at the first burst, a second once the hour of suppression has passed.
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].created_us, kT0 + 2 * kMinute);  // 5th event at +80 s, seen at +2 min
  EXPECT_GE(alerts[1].created_us, alerts[0].created_us + 1 * kHour);
  EXPECT_EQ(suppressed, 58u);
}

TEST(AlertEngineTest, ConfirmQueryStopLoggingNotFollowedByStartLogging) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  AlertRule rule;
  rule.runbook_id = "detect.cloudtrail-stopped";
  rule.runbook_version = "1";
  rule.query = "stop-logging";
  rule.threshold.group_by = {"userName"};
  rule.confirm.kind = ConfirmKind::kQuery;
  rule.confirm.query = "start-logging-after";
  rule.confirm.delay_us = 10 * kMinute;
  rule.confirm.expect_rows = false;  // confirmed when no StartLogging followed
  source.On("stop-logging", EventsNamed("StopLogging"));
  source.On("start-logging-after", [](const QueryParams& p, const std::vector<Event>& events) {
    std::vector<DetectionRow> rows;
    int64_t stopped = ParamTime(p, "eventTime");
    for (const Event& e : events) {
      if (e.name == "StartLogging" && e.user == ParamText(p, "userName") && e.time_us > stopped &&
          e.time_us <= stopped + 10 * kMinute) {
        rows.push_back(ToRow(e));
      }
    }
    return rows;
  });
  // mallory stops logging and never restarts: alert. bob restarts after 4 minutes: no alert.
  source.Add({"s1", kT0 + 1 * kMinute, kT0 + 2 * kMinute, "StopLogging", "192.0.2.1", "mallory"});
  source.Add({"s2", kT0 + 1 * kMinute, kT0 + 2 * kMinute, "StopLogging", "192.0.2.2", "bob"});
  source.Add({"s3", kT0 + 5 * kMinute, kT0 + 9 * kMinute, "StartLogging", "192.0.2.2", "bob"});
  AlertEngine engine({rule}, source, clock, EngineOptions{});
  std::vector<Alert> alerts;
  std::vector<CandidateRecord> records;
  for (int tick = 0; tick <= 30; ++tick) {
    clock.Set(kT0 + tick * kMinute);
    TickOutput out = engine.RunOnce();
    ASSERT_TRUE(out.rule_errors.empty());
    for (Alert& a : out.alerts) alerts.push_back(std::move(a));
    for (CandidateRecord& c : out.candidates) records.push_back(std::move(c));
  }
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].dedup_key, "mallory");
  EXPECT_EQ(alerts[0].created_us, kT0 + 12 * kMinute);  // seen at +2, confirmed 10 min later
  std::vector<std::string> unconfirmed;
  for (const CandidateRecord& c : records) {
    if (c.outcome == CandidateOutcome::kUnconfirmed) unconfirmed.push_back(c.dedup_key);
  }
  EXPECT_THAT(unconfirmed, ::testing::ElementsAre("bob"));
}

TEST(AlertEngineTest, StillTrueAfterDelayRechecksTheDetection) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  AlertRule rule;
  rule.runbook_id = "detect.sg-open-to-world";
  rule.runbook_version = "2";
  rule.query = "open-sg";
  rule.threshold.group_by = {"userName"};
  rule.confirm.kind = ConfirmKind::kStillTrue;
  rule.confirm.delay_us = 15 * kMinute;
  // An opening counts only while no revoke by the same user has arrived (a stateful query).
  source.On("open-sg", [](const QueryParams& p, const std::vector<Event>& events) {
    std::vector<DetectionRow> rows;
    for (const Event& e : events) {
      if (e.name != "AuthorizeSecurityGroupIngress") continue;
      if (e.time_us < ParamTime(p, "start") || e.time_us > ParamTime(p, "end")) continue;
      bool revoked = std::any_of(events.begin(), events.end(), [&](const Event& r) {
        return r.name == "RevokeSecurityGroupIngress" && r.user == e.user && r.time_us > e.time_us;
      });
      if (!revoked) rows.push_back(ToRow(e));
    }
    return rows;
  });
  source.Add({"o1", kT0, kT0, "AuthorizeSecurityGroupIngress", "10.0.0.1", "dev"});
  source.Add({"r1", kT0 + 5 * kMinute, kT0 + 6 * kMinute, "RevokeSecurityGroupIngress", "10.0.0.1",
              "dev"});
  source.Add({"o2", kT0, kT0, "AuthorizeSecurityGroupIngress", "10.0.0.2", "ops"});
  AlertEngine engine({rule}, source, clock, EngineOptions{});
  std::vector<Alert> alerts;
  size_t unconfirmed = 0;
  for (int tick = 0; tick <= 30; ++tick) {
    clock.Set(kT0 + tick * kMinute);
    TickOutput out = engine.RunOnce();
    ASSERT_TRUE(out.rule_errors.empty());
    for (Alert& a : out.alerts) alerts.push_back(std::move(a));
    for (const CandidateRecord& c : out.candidates) {
      unconfirmed += c.outcome == CandidateOutcome::kUnconfirmed ? 1 : 0;
    }
  }
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].dedup_key, "ops");
  EXPECT_EQ(alerts[0].created_us, kT0 + 15 * kMinute);
  EXPECT_EQ(alerts[0].confirm_rows.size(), 1u);
  EXPECT_EQ(unconfirmed, 1u);  // dev revoked it in time
}

TEST(AlertEngineTest, NotInBaselineAlertsOnlyFirstSeenValues) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  AlertRule rule;
  rule.runbook_id = "detect.new-source-ip-for-root";
  rule.runbook_version = "1";
  rule.query = "root-logins";
  rule.threshold.group_by = {"sourceIPAddress"};
  rule.confirm.kind = ConfirmKind::kNotInBaseline;
  rule.confirm.query = "ip-seen-before";
  rule.confirm.baseline_us = 30 * 24 * kHour;
  source.On("root-logins", EventsNamed("ConsoleLogin"));
  source.On("ip-seen-before", [](const QueryParams& p, const std::vector<Event>& events) {
    std::vector<DetectionRow> rows;
    for (const Event& e : events) {
      if (e.ip == ParamText(p, "sourceIPAddress") && e.time_us >= ParamTime(p, "baseline_start") &&
          e.time_us < ParamTime(p, "baseline_end")) {
        rows.push_back(ToRow(e));
      }
    }
    return rows;
  });
  // 198.51.100.7 was seen 10 days ago; 203.0.113.66 only 40 days ago (outside the baseline);
  // 192.0.2.99 never.
  source.Add({"h1", kT0 - 10 * 24 * kHour, 0, "ListBuckets", "198.51.100.7", "root"});
  source.Add({"h2", kT0 - 40 * 24 * kHour, 0, "ListBuckets", "203.0.113.66", "root"});
  source.Add({"l1", kT0 + kMinute, kT0 + kMinute, "ConsoleLogin", "198.51.100.7", "root"});
  source.Add({"l2", kT0 + kMinute, kT0 + kMinute, "ConsoleLogin", "203.0.113.66", "root"});
  source.Add({"l3", kT0 + kMinute, kT0 + kMinute, "ConsoleLogin", "192.0.2.99", "root"});
  AlertEngine engine({rule}, source, clock, EngineOptions{});
  std::vector<Alert> alerts;
  for (int tick = 0; tick <= 5; ++tick) {
    clock.Set(kT0 + tick * kMinute);
    TickOutput out = engine.RunOnce();
    ASSERT_TRUE(out.rule_errors.empty());
    for (Alert& a : out.alerts) alerts.push_back(std::move(a));
  }
  EXPECT_THAT(DedupKeys(alerts, AlertStatus::kFiring),
              ::testing::ElementsAre("192.0.2.99", "203.0.113.66"));
}

TEST(AlertEngineTest, ResolveAfterQuietPeriodEmitsOneResolution) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
  AlertRule rule = FailedLoginRule();
  rule.resolve.quiet_for_us = 30 * kMinute;
  for (int i = 0; i < 20; ++i) {
    int64_t t = kT0 + i * 30 * kSecond;
    source.Add({"q" + std::to_string(i), t, t, "ConsoleLoginFailure", "A", "u"});
  }
  AlertEngine engine({rule}, source, clock, EngineOptions{});
  std::vector<Alert> alerts;
  for (int tick = 0; tick <= 90; ++tick) {
    clock.Set(kT0 + tick * kMinute);
    TickOutput out = engine.RunOnce();
    ASSERT_TRUE(out.rule_errors.empty());
    for (Alert& a : out.alerts) alerts.push_back(std::move(a));
  }
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].status, AlertStatus::kFiring);
  EXPECT_EQ(alerts[1].status, AlertStatus::kResolved);
  EXPECT_EQ(alerts[1].id, alerts[0].id);
  EXPECT_EQ(alerts[1].suppressed, 3u);  // the other three 5-row candidates of the burst
  // Last candidate at +10 min (the 20th event at +9.5 min), quiet for 30 min.
  EXPECT_EQ(alerts[1].created_us, kT0 + 40 * kMinute);
  EXPECT_TRUE(engine.state().rules.at(rule.runbook_id).open.empty());
}

TEST(AlertEngineTest, ResolveQueryClosesTheAlert) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  AlertRule rule;
  rule.runbook_id = "detect.cloudtrail-stopped";
  rule.runbook_version = "1";
  rule.query = "stop-logging";
  rule.threshold.group_by = {"userName"};
  rule.resolve.query = "started-again";
  source.On("stop-logging", EventsNamed("StopLogging"));
  source.On("started-again", [](const QueryParams& p, const std::vector<Event>& events) {
    std::vector<DetectionRow> rows;
    for (const Event& e : events) {
      if (e.name == "StartLogging" && e.time_us > ParamTime(p, "eventTime")) rows.push_back(ToRow(e));
    }
    return rows;
  });
  source.Add({"s1", kT0, kT0, "StopLogging", "192.0.2.1", "mallory"});
  source.Add({"s2", kT0 + 20 * kMinute, kT0 + 21 * kMinute, "StartLogging", "192.0.2.1", "ops"});
  AlertEngine engine({rule}, source, clock, EngineOptions{});
  std::vector<Alert> alerts;
  for (int tick = 0; tick <= 30; ++tick) {
    clock.Set(kT0 + tick * kMinute);
    TickOutput out = engine.RunOnce();
    ASSERT_TRUE(out.rule_errors.empty());
    for (Alert& a : out.alerts) alerts.push_back(std::move(a));
  }
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[1].status, AlertStatus::kResolved);
  EXPECT_EQ(alerts[1].created_us, kT0 + 21 * kMinute);
}

TEST(AlertEngineTest, FailedQueryLeavesTheRuleUnchangedAndTheNextRunCatchesUp) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
  for (int i = 0; i < 5; ++i) {
    source.Add({"f" + std::to_string(i), kT0 + i * kSecond, kT0 + i * kSecond,
                "ConsoleLoginFailure", "A", "u"});
  }
  AlertEngine engine({FailedLoginRule()}, source, clock, EngineOptions{});
  clock.Set(kT0 + kMinute);
  TickOutput first = engine.RunOnce();
  ASSERT_EQ(first.alerts.size(), 1u);
  EngineState before = engine.state();
  source.Add({"g0", kT0 + 70 * kSecond, kT0 + 70 * kSecond, "ConsoleLoginFailure", "B", "u"});
  clock.Set(kT0 + 2 * kMinute);
  source.FailNext();
  TickOutput failed = engine.RunOnce();
  ASSERT_EQ(failed.rule_errors.size(), 1u);
  EXPECT_EQ(failed.rule_errors[0].code(), StatusCode::kIOError);
  EXPECT_THAT(failed.rule_errors[0].message(), ::testing::HasSubstr("detect.console-login-burst"));
  EXPECT_EQ(EncodeMonitorState({before, {}, {}, 0}),
            EncodeMonitorState({engine.state(), {}, {}, 0}));
  TickOutput next = engine.RunOnce();
  EXPECT_TRUE(next.rule_errors.empty());
  EXPECT_EQ(next.rows_new, 1u);
}

TEST(AlertEngineTest, MissingOrBadTimeColumnIsAnError) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.On("no-time", [](const QueryParams&, const std::vector<Event>&) {
    DetectionRow row;
    row.Set("eventName", Cell::String("X"));
    return std::vector<DetectionRow>{row};
  });
  source.On("text-time", [](const QueryParams&, const std::vector<Event>&) {
    DetectionRow row;
    row.Set("eventTime", Cell::String("yesterday"));
    return std::vector<DetectionRow>{row};
  });
  AlertRule a = FailedLoginRule();
  a.runbook_id = "a";
  a.query = "no-time";
  AlertRule b = FailedLoginRule();
  b.runbook_id = "b";
  b.query = "text-time";
  AlertEngine engine({a, b}, source, clock, EngineOptions{});
  TickOutput out = engine.RunOnce();
  ASSERT_EQ(out.rule_errors.size(), 2u);
  EXPECT_THAT(out.rule_errors[0].message(), ::testing::HasSubstr("no time column 'eventTime'"));
  EXPECT_THAT(out.rule_errors[1].message(), ::testing::HasSubstr("not a timestamp: 'yesterday'"));
  TickOutput none;
  EXPECT_EQ(engine.RunRule("missing", &none).code(), StatusCode::kNotFound);
}

// The key bound: above max_keys_per_rule the coldest keys (fewest unconsumed rows, then least
// recently seen) are forgotten and counted; a key close to its threshold is kept and alerts.
TEST(AlertEngineTest, KeyBoundForgetsTheColdestKeysAndCountsThem) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.set_incremental(true);
  source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
  AddHotKeyAndSpray(source, /*spray_keys=*/30, /*per_minute=*/6, /*own_second=*/false);
  EngineOptions options;
  options.max_keys_per_rule = 3;
  AlertEngine engine({FailedLoginRule()}, source, clock, options);
  std::vector<Alert> alerts;
  uint64_t keys_evicted = 0, rows_evicted = 0;
  for (int tick = 0; tick <= 8; ++tick) {
    clock.Set(kT0 + tick * kMinute);
    TickOutput out = engine.RunOnce();
    ASSERT_TRUE(out.rule_errors.empty()) << out.rule_errors[0].ToString();
    keys_evicted += out.keys_evicted;
    rows_evicted += out.rows_evicted;
    const RuleState& rs = engine.state().rules.at("detect.console-login-burst");
    EXPECT_LE(rs.groups.size(), 3u) << "tick " << tick;
    if (tick >= 1 && tick <= 5) {
      EXPECT_TRUE(rs.groups.count("203.0.113.1") > 0) << "tick " << tick;
    }
    for (const auto& [key, group] : rs.groups) {
      for (const RememberedRow& row : group.rows) {
        if (row.consumed) {  // Kept as time and id only.
          EXPECT_EQ(row.schema, kNoEvidence);
          EXPECT_TRUE(row.cells.empty());
          continue;
        }
        // eventID, eventTime and sourceIPAddress are derived; eventName and userName kept.
        EXPECT_EQ(row.cells.size(), 2u);
        EXPECT_EQ(row.derived, 0b01011u);
      }
    }
    for (Alert& a : out.alerts) alerts.push_back(std::move(a));
  }
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].dedup_key, "203.0.113.1");
  EXPECT_EQ(alerts[0].row_count, 5u);
  // 31 keys were seen; at most 3 are kept at the end of each run. Every key but the hot one
  // holds one row, so the evicted rows equal the evicted keys.
  const RuleState& rs = engine.state().rules.at("detect.console-login-burst");
  EXPECT_EQ(keys_evicted, rs.keys_evicted);
  EXPECT_EQ(rows_evicted, rs.rows_evicted);
  EXPECT_EQ(keys_evicted, 31u - rs.groups.size());
  EXPECT_EQ(rows_evicted, keys_evicted);
}

// Remembered rows are kept compactly (the id, time and group_by cells are derived, not
// stored), and a candidate's rows come back exactly as the query returned them, whatever
// the cell types (a numeric group value and an id that is not a string are stored).
TEST(AlertEngineTest, CompactRowsComeBackExactly) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.On("mixed", [](const QueryParams&, const std::vector<Event>& events) {
    std::vector<DetectionRow> rows;
    for (const Event& e : events) {
      DetectionRow row = ToRow(e);
      if (e.user == "numeric") {
        row.Set("eventID", Cell::Int(std::stoll(e.id)));
        row.Set("sourceIPAddress", Cell::Int(7));
      }
      row.Set("extra", Cell::Double(1.5));
      rows.push_back(std::move(row));
    }
    return rows;
  });
  AlertRule rule = FailedLoginRule();
  rule.query = "mixed";
  rule.threshold.min_rows = 3;
  for (int i = 0; i < 3; ++i) {
    source.Add({"a" + std::to_string(i), kT0 + i * kSecond, kT0 + i * kSecond, "X", "ip\x1fodd",
                "plain"});
    source.Add({std::to_string(100 + i), kT0 + i * kSecond, kT0 + i * kSecond, "X", "7",
                "numeric"});
  }
  AlertEngine engine({rule}, source, clock, EngineOptions{});
  clock.Set(kT0 + kMinute);
  TickOutput out = engine.RunOnce();
  ASSERT_TRUE(out.rule_errors.empty()) << out.rule_errors[0].ToString();
  ASSERT_EQ(out.alerts.size(), 2u);
  for (const Alert& a : out.alerts) {
    ASSERT_EQ(a.rows.size(), 3u);
    for (const DetectionRow& row : a.rows) {
      const Cell* id = row.Find("eventID");
      ASSERT_NE(id, nullptr);
      Event e{id->ToString(), row.Find("eventTime")->int_value, 0, "X",
              a.dedup_key == "7" ? "7" : "ip\x1fodd", a.dedup_key == "7" ? "numeric" : "plain"};
      DetectionRow expected = ToRow(e);
      if (e.user == "numeric") {
        expected.Set("eventID", Cell::Int(std::stoll(e.id)));
        expected.Set("sourceIPAddress", Cell::Int(7));
      }
      expected.Set("extra", Cell::Double(1.5));
      EXPECT_EQ(row, expected);
    }
  }
}

// Saving and reloading the state between every run (a restart each minute) produces exactly
// the alerts of an uninterrupted engine.
// Consumed rows kept as time and id only, and forgotten one window earlier, change no alert:
// hot keys (most rows consumed), events up to 14 minutes late and out of order, with both
// kinds of source, the compact engine restarted from its saved state before every run.
TEST(AlertEngineTest, CompactConsumedRowsGiveTheSameAlertsAndKeepFewerRows) {
  auto build = [](FakeSource& source) {
    source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
    uint64_t x = 987654321;
    auto next = [&x](uint64_t n) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      return (x >> 33) % n;
    };
    for (int i = 0; i < 1500; ++i) {
      const int64_t t = kT0 + static_cast<int64_t>(next(3 * 3600)) * kSecond;
      const int64_t delay = static_cast<int64_t>(next(14 * 60)) * kSecond;
      const char* name = next(5) == 0 ? "ConsoleLogin" : "ConsoleLoginFailure";
      // Three hot addresses per half hour and a tail of cold ones.
      const uint64_t epoch = static_cast<uint64_t>((t - kT0) / (30 * kMinute));
      const uint64_t ip = next(4) == 0 ? 100 + next(40) : 3 * epoch + next(3);
      source.Add({"r" + std::to_string(i), t, t + delay, name, "ip" + std::to_string(ip),
                  "u" + std::to_string(next(3))});
    }
  };
  AlertRule rule = FailedLoginRule();
  rule.suppress_for_us = 15 * kMinute;
  rule.resolve.quiet_for_us = 10 * kMinute;
  for (bool incremental : {false, true}) {
    SCOPED_TRACE(incremental ? "incremental" : "full re-read");
    std::vector<std::string> expected;
    size_t whole_rows = 0;  // Rows remembered, summed over the runs.
    {
      FakeClock clock(kT0);
      FakeSource source(clock);
      source.set_incremental(incremental);
      build(source);
      EngineOptions options;
      options.compact_consumed_rows = false;
      AlertEngine whole({rule}, source, clock, options);
      for (int tick = 0; tick <= 200; ++tick) {
        clock.Set(kT0 + tick * kMinute);
        TickOutput out = whole.RunOnce();
        ASSERT_TRUE(out.rule_errors.empty()) << out.rule_errors[0].ToString();
        for (const Alert& a : out.alerts) expected.push_back(AlertToJson(a));
        whole_rows += whole.state().rules.at(rule.runbook_id).row_count();
      }
    }
    FakeClock clock(kT0);
    FakeSource source(clock);
    source.set_incremental(incremental);
    build(source);
    std::vector<std::string> compact;
    size_t compact_rows = 0, without_evidence = 0;
    std::string saved = EncodeMonitorState(MonitorState{});
    for (int tick = 0; tick <= 200; ++tick) {
      clock.Set(kT0 + tick * kMinute);
      Result<MonitorState> state = DecodeMonitorState(saved);
      ASSERT_TRUE(state.ok()) << state.status().ToString();
      AlertEngine fresh({rule}, source, clock, EngineOptions{});
      fresh.set_state(std::move(state->engine));
      TickOutput out = fresh.RunOnce();
      ASSERT_TRUE(out.rule_errors.empty()) << out.rule_errors[0].ToString();
      for (const Alert& a : out.alerts) compact.push_back(AlertToJson(a));
      const RuleState& rs = fresh.state().rules.at(rule.runbook_id);
      compact_rows += rs.row_count();
      for (const auto& [key, group] : rs.groups) {
        for (const RememberedRow& r : group.rows) {
          if (r.consumed) {
            EXPECT_EQ(r.schema, kNoEvidence);
            ++without_evidence;
          }
        }
      }
      saved = EncodeMonitorState({fresh.state(), {}, {}, 0});
    }
    RecordProperty(incremental ? "incremental_rows" : "full_rows",
                   std::to_string(compact_rows) + " of " + std::to_string(whole_rows) + ", " +
                       std::to_string(expected.size()) + " alerts");
    EXPECT_GE(expected.size(), 10u);
    EXPECT_EQ(compact, expected);
    EXPECT_GT(without_evidence, compact_rows / 3) << "the stream must consume most rows";
    EXPECT_LT(compact_rows * 10, whole_rows * 9) << compact_rows << " vs " << whole_rows;
  }
}

// What an alert decides, without its evidence: id, status, key, times and counts.
std::string Decision(const Alert& a) {
  return a.id + (a.status == AlertStatus::kFiring ? " firing " : " resolved ") + a.dedup_key +
         " " + std::to_string(a.created_us) + " " + std::to_string(a.window_start_us) + ".." +
         std::to_string(a.window_end_us) + " rows " + std::to_string(a.row_count) + " folded " +
         std::to_string(a.suppressed);
}

// The row budget: above max_cached_rows_per_rule the oldest rows keep only their counts per
// time, and no alert changes (ids, keys, times, counts), on a stream of same-second bursts
// delivered up to 14 minutes late and out of order, the budgeted engine restarted from its
// saved state before every run (a kill between runs). Evidence is capped and its loss is
// recorded in the alert ("N of M evidence rows"); confirm queries still get the group's values.
TEST(AlertEngineTest, RowBudgetKeepsEveryAlertExactAndCapsTheEvidence) {
  auto build = [](FakeSource& source) {
    source.set_incremental(true);
    source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
    source.On("confirm", [](const QueryParams& p, const std::vector<Event>&) {
      std::vector<DetectionRow> rows;
      // Confirms every key but ip3: depends only on the group's value.
      if (ParamText(p, "sourceIPAddress") != "ip3") rows.push_back(DetectionRow());
      return rows;
    });
    uint64_t x = 4242;
    auto next = [&x](uint64_t n) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      return (x >> 33) % n;
    };
    int id = 0;
    for (int burst = 0; burst < 700; ++burst) {
      // 1-4 events of one key in the same second: runs of equal time that candidates split.
      const int64_t t = kT0 + static_cast<int64_t>(next(3 * 3600)) * kSecond;
      const std::string ip = "ip" + std::to_string(next(8));
      const uint64_t n = 1 + next(4);
      for (uint64_t k = 0; k < n; ++k) {
        const int64_t delay = static_cast<int64_t>(next(14 * 60)) * kSecond;
        const char* name = next(6) == 0 ? "ConsoleLogin" : "ConsoleLoginFailure";
        source.Add({"r" + std::to_string(id++), t, t + delay, name, ip, "u"});
      }
    }
  };
  AlertRule rule = FailedLoginRule();
  rule.threshold.min_rows = 6;
  rule.suppress_for_us = 15 * kMinute;
  rule.resolve.quiet_for_us = 10 * kMinute;
  rule.confirm.kind = ConfirmKind::kQuery;
  rule.confirm.query = "confirm";

  std::vector<std::string> expected;
  {
    FakeClock clock(kT0);
    FakeSource source(clock);
    build(source);
    EngineOptions options;
    options.max_cached_rows_per_rule = 1'000'000;
    AlertEngine whole({rule}, source, clock, options);
    for (int tick = 0; tick <= 200; ++tick) {
      clock.Set(kT0 + tick * kMinute);
      TickOutput out = whole.RunOnce();
      ASSERT_TRUE(out.rule_errors.empty()) << out.rule_errors[0].ToString();
      EXPECT_EQ(out.evidence_dropped, 0u);
      for (const Alert& a : out.alerts) {
        expected.push_back(Decision(a));
        if (a.status == AlertStatus::kFiring) {
          EXPECT_EQ(a.rows_without_evidence, 0u);
        }
      }
    }
  }
  for (size_t budget : {size_t{0}, size_t{3}, size_t{40}}) {
    SCOPED_TRACE("budget " + std::to_string(budget));
    FakeClock clock(kT0);
    FakeSource source(clock);
    build(source);
    EngineOptions options;
    options.max_cached_rows_per_rule = budget;
    std::vector<std::string> budgeted;
    uint64_t dropped = 0, without_evidence = 0, evidence = 0;
    std::string saved = EncodeMonitorState(MonitorState{});
    for (int tick = 0; tick <= 200; ++tick) {
      clock.Set(kT0 + tick * kMinute);
      Result<MonitorState> state = DecodeMonitorState(saved);
      ASSERT_TRUE(state.ok()) << state.status().ToString();
      AlertEngine fresh({rule}, source, clock, options);
      fresh.set_state(std::move(state->engine));
      TickOutput out = fresh.RunOnce();
      ASSERT_TRUE(out.rule_errors.empty()) << out.rule_errors[0].ToString();
      dropped += out.evidence_dropped;
      for (const Alert& a : out.alerts) {
        budgeted.push_back(Decision(a));
        if (a.status != AlertStatus::kFiring) continue;
        EXPECT_EQ(a.rows.size() + a.rows_without_evidence, a.row_count) << Decision(a);
        without_evidence += a.rows_without_evidence;
        evidence += a.rows.size();
        EXPECT_THAT(AlertToJson(a),
                    ::testing::HasSubstr(a.rows_without_evidence > 0
                                             ? "\"rows_without_evidence\":" +
                                                   std::to_string(a.rows_without_evidence)
                                             : "\"rows\":"));
      }
      const RuleState& rs = fresh.state().rules.at(rule.runbook_id);
      EXPECT_LE(rs.row_count(), budget) << "tick " << tick;
      EXPECT_EQ(rs.evidence_dropped, dropped);
      saved = EncodeMonitorState({fresh.state(), {}, {}, 0});
    }
    EXPECT_GE(expected.size(), 10u);
    EXPECT_EQ(budgeted, expected);
    EXPECT_GT(dropped, 100u) << "the budget must bite";
    EXPECT_GT(without_evidence, 0u);
    if (budget == 0) {  // Only the rows read by the alert's own run have evidence.
      EXPECT_LT(evidence, without_evidence);
    } else if (budget == 40) {
      EXPECT_GT(evidence, 0u);
    }
  }
}

// A source that re-reads its reach needs every row id (to recognise rows read again), so
// there the bound still fails the run rather than dropping evidence.
TEST(AlertEngineTest, RowBudgetFailsTheRunOfASourceThatReReads) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
  for (int i = 0; i < 20; ++i) {
    source.Add({"m" + std::to_string(i), kT0, kT0, "ConsoleLoginFailure", std::to_string(i), "u"});
  }
  EngineOptions options;
  options.max_cached_rows_per_rule = 10;
  {
    AlertEngine engine({FailedLoginRule()}, source, clock, options);
    TickOutput out = engine.RunOnce();
    ASSERT_EQ(out.rule_errors.size(), 1u);
    EXPECT_EQ(out.rule_errors[0].code(), StatusCode::kResourceExhausted);
  }
  source.set_incremental(true);
  AlertEngine engine({FailedLoginRule()}, source, clock, options);
  TickOutput out = engine.RunOnce();
  ASSERT_TRUE(out.rule_errors.empty()) << out.rule_errors[0].ToString();
  EXPECT_EQ(out.evidence_dropped, 10u);
  const RuleState& rs = engine.state().rules.at("detect.console-login-burst");
  EXPECT_EQ(rs.row_count(), 10u);
  EXPECT_EQ(rs.tallied_row_count(), 10u);
}

// The count bound: rows kept as counts per (key, time) cannot grow with the horizon; above
// max_time_counts_per_rule the coldest keys go (counted as at the key bound), and a key close
// to its threshold is kept and alerts.
TEST(AlertEngineTest, CountBoundForgetsTheColdestKeysAndCountsThem) {
  FakeClock clock(kT0);
  FakeSource source(clock);
  source.set_incremental(true);
  source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
  AddHotKeyAndSpray(source, /*spray_keys=*/40, /*per_minute=*/8, /*own_second=*/true);
  EngineOptions options;
  options.max_cached_rows_per_rule = 0;  // every row kept as a count
  options.max_time_counts_per_rule = 12;
  AlertEngine engine({FailedLoginRule()}, source, clock, options);
  std::vector<Alert> alerts;
  uint64_t keys_evicted = 0;
  for (int tick = 0; tick <= 8; ++tick) {
    clock.Set(kT0 + tick * kMinute);
    TickOutput out = engine.RunOnce();
    ASSERT_TRUE(out.rule_errors.empty()) << out.rule_errors[0].ToString();
    keys_evicted += out.keys_evicted;
    const RuleState& rs = engine.state().rules.at("detect.console-login-burst");
    size_t counts = 0;
    for (const auto& [key, group] : rs.groups) counts += group.tallies.size();
    EXPECT_LE(counts, 12u) << "tick " << tick;
    if (tick >= 1 && tick <= 5) {
      EXPECT_TRUE(rs.groups.count("203.0.113.1") > 0) << "tick " << tick;
    }
    for (Alert& a : out.alerts) alerts.push_back(std::move(a));
  }
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].dedup_key, "203.0.113.1");
  EXPECT_EQ(alerts[0].row_count, 5u);
  const RuleState& rs = engine.state().rules.at("detect.console-login-burst");
  EXPECT_EQ(keys_evicted, rs.keys_evicted);
  EXPECT_GT(keys_evicted, 0u);
  // Without the bound the same stream holds more counts than that, and nothing is forgotten.
  FakeClock clock2(kT0);
  FakeSource source2(clock2);
  source2.set_incremental(true);
  source2.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
  for (const Event& e : source.events()) source2.Add(e);
  options.max_time_counts_per_rule = 1'000'000;
  AlertEngine unbounded({FailedLoginRule()}, source2, clock2, options);
  size_t max_counts = 0;
  for (int tick = 0; tick <= 8; ++tick) {
    clock2.Set(kT0 + tick * kMinute);
    TickOutput out = unbounded.RunOnce();
    ASSERT_TRUE(out.rule_errors.empty());
    EXPECT_EQ(out.keys_evicted, 0u);
    size_t counts = 0;
    for (const auto& [key, group] : unbounded.state().rules.at("detect.console-login-burst").groups) {
      counts += group.tallies.size();
    }
    max_counts = std::max(max_counts, counts);
  }
  EXPECT_GT(max_counts, 12u);
}

TEST(AlertEngineTest, RestartFromSavedStateReproducesTheSameAlerts) {
  auto build = [](FakeSource& source) {
    source.On("failed-logins", EventsNamed("ConsoleLoginFailure"));
    for (int i = 0; i < 200; ++i) {
      int64_t t = kT0 + (i * 37 % 3600) * kSecond;
      int64_t delay = (i * 13 % 7) * kMinute;
      source.Add({"r" + std::to_string(i), t, t + delay, "ConsoleLoginFailure",
                  "ip" + std::to_string(i % 4), "u"});
    }
  };
  AlertRule rule = FailedLoginRule();
  rule.suppress_for_us = 20 * kMinute;
  rule.resolve.quiet_for_us = 10 * kMinute;
  rule.confirm.kind = ConfirmKind::kStillTrue;
  rule.confirm.delay_us = 2 * kMinute;

  FakeClock clock_a(kT0);
  FakeSource source_a(clock_a);
  build(source_a);
  AlertEngine continuous({rule}, source_a, clock_a, EngineOptions{});
  std::vector<std::string> expected;
  for (int tick = 0; tick <= 90; ++tick) {
    clock_a.Set(kT0 + tick * kMinute);
    for (const Alert& a : continuous.RunOnce().alerts) expected.push_back(AlertToJson(a));
  }
  FakeClock clock_b(kT0);
  FakeSource source_b(clock_b);
  build(source_b);
  std::vector<std::string> restarted = RunWithRestarts(rule, source_b, clock_b, /*last_tick=*/90);
  EXPECT_GE(expected.size(), 4u);
  EXPECT_EQ(restarted, expected);
}

}  // namespace
}  // namespace trailbook::monitor
