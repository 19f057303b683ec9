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
  rs.schemas.push_back(RowSchema{{{"eventID", 1}, {"eventTime", 2}, {"n", 0}, {"d", 0},
                                  {"b", 0}, {"z", 4}}});
  RememberedRow remembered;
  remembered.time_us = 1'700'000'000'000'001;
  remembered.id = "e1 \"quoted\" \n";
  remembered.consumed = true;
  remembered.derived = 0b000011;  // eventID and eventTime; z (role: group part 1) is stored
  remembered.cells = {Cell::Int(-3), Cell::Double(2.5), Cell::Bool(true), Cell::Null()};
  rs.groups["g\x1fh"].rows.push_back(remembered);
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
  const RuleState& original = state.engine.rules.at("detect.x");
  EXPECT_EQ(rs.Expand("g\x1fh", rs.groups.at("g\x1fh").rows.at(0)),
            original.Expand("g\x1fh", original.groups.at("g\x1fh").rows.at(0)));
  EXPECT_EQ(rs.Expand("g\x1fh", rs.groups.at("g\x1fh").rows.at(0)), original.pending[0].rows[0]);
  EXPECT_EQ(back->outbox[0].pending_sinks, (std::vector<std::string>{"stdout", "hook"}));
}

TEST(MonitorStateTest, RejectsCorruptState) {
  const char* bad[] = {
      "",
      "not json",
      "[]",
      R"({"version":4,"runs":0,"rules":{},"outbox":[],"delivered":[]})",
      R"({"version":1,"runs":0,"rules":{},"outbox":[]})",
      R"({"version":1,"runs":0,"rules":{"r":{"watermark":"x"}},"outbox":[],"delivered":[]})",
      R"({"version":1,"runs":0,"rules":{"r":{"watermark":1,"rows":[{"id":"a","time":1,"group":"","consumed":false,"row":[["c",[9,1]]]}],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":1,"runs":0,"rules":{},"outbox":[{"id":"a"}],"delivered":[]})",
      // Version 2 rows: schema out of range, a stored column marked derived, too few cells,
      // a group part the key does not have, a group without rows.
      R"({"version":2,"runs":0,"rules":{"r":{"watermark":1,"schemas":[[["id",1]]],"groups":[["k",[[1,"a",false,5,0]]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":2,"runs":0,"rules":{"r":{"watermark":1,"schemas":[[["c",0]]],"groups":[["k",[[1,"a",false,0,1]]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":2,"runs":0,"rules":{"r":{"watermark":1,"schemas":[[["c",0]]],"groups":[["k",[[1,"a",false,0,0]]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":2,"runs":0,"rules":{"r":{"watermark":1,"schemas":[[["g",5]]],"groups":[["k",[[1,"a",false,0,1]]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":2,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      // A row without evidence (schema 65535) that is unconsumed, has cells or derives one.
      R"({"version":2,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[[1,"a",false,65535,0]]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":2,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[[1,"a",true,65535,0,[4,"x"]]]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":2,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[[1,"a",true,65535,1]]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      // Tallies (version 3): in a version 2 file, empty, not triples, times not ascending,
      // negative or empty counts, a count above 32 bits, a time that overflows.
      R"({"version":2,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[],[5,1,0]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":3,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[],[]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":3,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[],[5,1]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":3,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[],[5,1,0,0,1,0]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":3,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[],[5,-1,2]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":3,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[],[5,0,0]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":3,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[],[5,4294967296,0]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":3,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[],[9223372036854775807,1,0,1,1,0]]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      R"({"version":3,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[["k",[],"x"]],"pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
      // A pending candidate without rows that does not say its rows were kept as counts.
      R"({"version":3,"runs":0,"rules":{"r":{"watermark":1,"schemas":[],"groups":[],"pending":[{"id":"c","dedup":"k","group":"k","created":1,"due":2,"window_start":1,"window_end":1,"row_count":5,"rows":[]}],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})",
  };
  for (const char* text : bad) {
    Result<MonitorState> r = DecodeMonitorState(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << text;
  }
}

// A consumed row kept without its evidence (time and id only) round-trips as such.
TEST(MonitorStateTest, RoundTripsConsumedRowsWithoutEvidence) {
  MonitorState state;
  RuleState& rs = state.engine.rules["detect.x"];
  rs.watermark_us = 7;
  RememberedRow row;
  row.time_us = 5;
  row.id = "e1";
  row.consumed = true;
  row.schema = kNoEvidence;
  rs.groups["10.0.0.1"].rows.push_back(row);
  std::string text = EncodeMonitorState(state);
  Result<MonitorState> back = DecodeMonitorState(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(EncodeMonitorState(*back), text);
  const RememberedRow& loaded = back->engine.rules.at("detect.x").groups.at("10.0.0.1").rows.at(0);
  EXPECT_EQ(loaded.schema, kNoEvidence);
  EXPECT_EQ(loaded.id, "e1");
  EXPECT_EQ(loaded.time_us, 5);
  EXPECT_TRUE(loaded.consumed);
  EXPECT_TRUE(loaded.cells.empty());
}

// Rows kept as counts (TimeTally) round-trip, and so does a pending candidate whose rows
// were all kept as counts.
TEST(MonitorStateTest, RoundTripsTalliesAndCandidatesWithoutEvidence) {
  MonitorState state;
  RuleState& rs = state.engine.rules["detect.x"];
  rs.watermark_us = 7;
  rs.evidence_dropped = 12;
  RowGroup& group = rs.groups["10.0.0.1"];
  group.tallies = {{1'700'000'000'000'000, 3, 0}, {1'700'000'001'000'000, 0, 4},
                   {1'700'000'005'000'000, 1, 1}};
  rs.groups["10.0.0.2"].tallies = {{-5, 1, 0}};
  PendingCandidate c;
  c.id = "c1";
  c.dedup_value = c.group_key = "10.0.0.1";
  c.created_us = 9;
  c.due_us = 10;
  c.window_start_us = c.window_end_us = 1'700'000'000'000'000;
  c.row_count = 3;
  c.rows_without_evidence = 3;
  rs.pending.push_back(c);
  std::string text = EncodeMonitorState(state);
  Result<MonitorState> back = DecodeMonitorState(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << text;
  EXPECT_EQ(EncodeMonitorState(*back), text);
  const RuleState& loaded = back->engine.rules.at("detect.x");
  EXPECT_EQ(loaded.groups.at("10.0.0.1").tallies, group.tallies);
  EXPECT_EQ(loaded.groups.at("10.0.0.2").tallies, rs.groups["10.0.0.2"].tallies);
  EXPECT_EQ(loaded.tallied_row_count(), 10u);
  EXPECT_EQ(loaded.row_count(), 0u);
  EXPECT_EQ(loaded.evidence_dropped, 12u);
  ASSERT_EQ(loaded.pending.size(), 1u);
  EXPECT_TRUE(loaded.pending[0].rows.empty());
  EXPECT_EQ(loaded.pending[0].rows_without_evidence, 3u);
}

// A version 1 file (rows kept whole) still loads: its rows keep every cell.
TEST(MonitorStateTest, ReadsVersionOneRows) {
  Result<MonitorState> state = DecodeMonitorState(
      R"({"version":1,"runs":3,"rules":{"r":{"watermark":1,"rows":[{"id":"a","time":5,)"
      R"("group":"10.0.0.1","consumed":false,"row":[["eventID",[4,"a"]],["eventTime",[5,5]]]}],)"
      R"("pending":[],"open":[],"suppress_until":{}}},"outbox":[],"delivered":[]})");
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  const RuleState& rs = state->engine.rules.at("r");
  ASSERT_EQ(rs.row_count(), 1u);
  const RememberedRow& row = rs.groups.at("10.0.0.1").rows.at(0);
  EXPECT_EQ(row.id, "a");
  EXPECT_EQ(row.time_us, 5);
  DetectionRow expected;
  expected.Set("eventID", Cell::String("a"));
  expected.Set("eventTime", Cell::Timestamp(5));
  EXPECT_EQ(rs.Expand("10.0.0.1", row), expected);
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
