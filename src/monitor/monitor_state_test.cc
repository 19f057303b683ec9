#include "monitor/monitor_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "io/file.h"

namespace trailbook::monitor {
namespace {

MonitorState SampleState() {
  MonitorState state;
  state.runs = 7;
  RuleState& rs = state.engine.rules["detect.x"];
  rs.watermark_us = 1'700'000'000'000'000;
  DetectionRow row;
  row.Set("eventID", Cell::String("e1 \"quoted\" \n"));
  row.Set("eventTime", Cell::Timestamp(1'700'000'000'000'001));
  row.Set("n", Cell::Int(-3));
  row.Set("d", Cell::Double(2.5));
  row.Set("b", Cell::Bool(true));
  row.Set("z", Cell::Null());
  rs.rows["e1"] = CachedRow{1'700'000'000'000'001, "g\x1fh", true, row};
  rs.pending.push_back(PendingCandidate{"cid", "k", "g", 1, 2, 3, 4, 5, {row}});
  rs.open["k2"] = OpenAlert{"aid", 10, 11, 12, 13, row};
  rs.suppress_until["k3"] = 99;
  state.outbox.push_back(OutboxEntry{"aid", "{\"alert_id\":\"aid\"}", {"stdout", "hook"}, 2, 77});
  state.delivered = {"old1", "old2"};
  return state;
}

TEST(MonitorStateTest, RoundTripsEveryField) {
  MonitorState state = SampleState();
  std::string text = EncodeMonitorState(state);
  Result<MonitorState> back = DecodeMonitorState(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(EncodeMonitorState(*back), text);
  const RuleState& rs = back->engine.rules.at("detect.x");
  EXPECT_EQ(rs.rows.at("e1").row, state.engine.rules.at("detect.x").rows.at("e1").row);
  EXPECT_EQ(back->outbox[0].pending_sinks, (std::vector<std::string>{"stdout", "hook"}));
}

TEST(MonitorStateTest, RejectsCorruptState) {
  const char* bad[] = {
      "",
      "not json",
      "[]",
      R"({"version":2,"runs":0,"rules":{},"outbox":[],"delivered":[]})",
      R"({"version":1,"runs":0,"rules":{},"outbox":[]})",
      R"({"version":1,"runs":0,"rules":{"r":{"watermark":"x"}},"outbox":[],"delivered":[]})",
      R"({"version":1,"runs":0,"rules":{"r":{"watermark":1,"rows":[{"id":"a","time":1,"group":"","consumed":false,"row":[["c",[9,1]]]}],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":1,"runs":0,"rules":{},"outbox":[{"id":"a"}],"delivered":[]})",
  };
  for (const char* text : bad) {
    Result<MonitorState> r = DecodeMonitorState(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << text;
  }
}

TEST(MonitorStateTest, SavesAtomicallyWithOwnerOnlyPermissions) {
  char tmpl[] = "/tmp/tb_monitor_state_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/state.json";
  Result<MonitorState> empty = LoadMonitorState(path);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->engine.rules.empty());
  ASSERT_TRUE(SaveMonitorState(path, SampleState()).ok());
  EXPECT_EQ(io::FileMode(path).value(), 0600u);
  Result<MonitorState> loaded = LoadMonitorState(path);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->runs, 7u);
  ASSERT_TRUE(io::WriteFileAtomic(path, "{\"version\":1}").ok());
  Result<MonitorState> corrupt = LoadMonitorState(path);
  EXPECT_EQ(corrupt.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(corrupt.status().message(), ::testing::HasSubstr(path));
  std::system(("rm -rf " + std::string(tmpl)).c_str());
}

TEST(MonitorStateTest, AlertJsonCarriesTheRunbookRowsAndLink) {
  Alert alert;
  alert.id = "abc";
  alert.runbook_id = "detect.x";
  alert.runbook_version = "2";
  alert.severity = "high";
  alert.dedup_key = "1.2.3.4";
  alert.row_count = 1;
  DetectionRow row;
  row.Set("eventTime", Cell::Timestamp(0));
  row.Set("n", Cell::Int(5));
  alert.rows = {row};
  alert.link = "https://x/abc";
  std::string json = AlertToJson(alert);
  EXPECT_THAT(json, ::testing::HasSubstr(R"("runbook":{"id":"detect.x","version":"2"})"));
  EXPECT_THAT(json, ::testing::HasSubstr(R"("rows":[{"eventTime":"1970-01-01T00:00:00Z","n":5}])"));
  EXPECT_THAT(json, ::testing::HasSubstr(R"("snapshot_id":null)"));
  EXPECT_THAT(json, ::testing::HasSubstr(R"("status":"firing")"));
}

}  // namespace
}  // namespace trailbook::monitor
