// The shipped runbook library (runbooks/ at the repo root, the working directory of tests):
// the acceptance list of issue 5 is present with its parameters, every runbook has fixture
// tests, and all of them pass.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runbook/fixture_runner.h"
#include "runbook/runbook_loader.h"

namespace trailbook::runbook {
namespace {

struct Expected {
  const char* id;
  std::vector<std::string> params;  // declared, besides max_rows
};

TEST(ShippedRunbooksTest, AcceptanceListIsPresent) {
  Result<RunbookLibrary> lib = RunbookLibrary::LoadDirectory("runbooks");
  ASSERT_TRUE(lib.ok()) << lib.status().ToString();
  const std::vector<Expected> expected = {
      {"ir.principal-activity", {"principal_arn", "start", "end"}},
      {"ir.source-ip-activity", {"ip", "start", "end"}},
      {"ir.access-key-activity", {"access_key_id", "start", "end"}},
      {"ir.console-logins", {"start", "end"}},
      {"ir.access-denied-bursts", {"start", "end", "min_count"}},
      {"ir.control-plane-changes", {"start", "end"}},
      {"audit.who-ran-what", {"start", "end"}},
  };
  for (const Expected& e : expected) {
    const Runbook* rb = lib->Find(e.id);
    ASSERT_NE(rb, nullptr) << e.id;
    for (const std::string& name : e.params) {
      const ParamSpec* p = rb->FindParam(name);
      ASSERT_NE(p, nullptr) << e.id << " lacks " << name;
      if (name == "start") {
        EXPECT_EQ(p->default_value.value_or(""), "-24h") << e.id;
      } else if (name == "end") {
        EXPECT_EQ(p->default_value.value_or(""), "now") << e.id;
      }
    }
  }
}

TEST(ShippedRunbooksTest, EveryRunbookBindsAndPassesItsFixtureTests) {
  Result<RunbookLibrary> lib = RunbookLibrary::LoadDirectory("runbooks");
  ASSERT_TRUE(lib.ok()) << lib.status().ToString();
  ASSERT_GE(lib->runbooks().size(), 7u);
  for (const Runbook& rb : lib->runbooks()) {
    SCOPED_TRACE(rb.id);
    EXPECT_FALSE(rb.tests.empty()) << "no fixture tests";
    Status binds = CheckQueryBinds(rb);
    EXPECT_TRUE(binds.ok()) << binds.ToString();
    Result<std::vector<FixtureResult>> results = RunFixtureTests(rb);
    ASSERT_TRUE(results.ok()) << results.status().ToString();
    for (const FixtureResult& r : *results) {
      EXPECT_TRUE(r.passed) << rb.source_path << ":" << r.line << ": " << r.test_name << ": "
                            << r.message;
    }
  }
}

TEST(ShippedRunbooksTest, AFailingFixtureIsReported) {
  Result<Runbook> rb = ParseRunbookYaml(R"(id: ir.t
version: 1
title: t
query: SELECT eventName FROM events
tests:
  - name: wrong expectation
    events: [{eventTime: "2026-01-01T00:00:00Z", eventName: X, eventID: e1}]
    expect_rows: [[Y]]
  - name: wrong count
    events: [{eventTime: "2026-01-01T00:00:00Z", eventName: X, eventID: e1}]
    expect_count: 2
  - name: bad now
    now: tomorrow
    events: [{eventTime: "2026-01-01T00:00:00Z", eventName: X, eventID: e1}]
    expect_count: 1
)", "t.yaml");
  ASSERT_TRUE(rb.ok()) << rb.status().ToString();
  Result<std::vector<FixtureResult>> results = RunFixtureTests(*rb);
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 3u);
  EXPECT_FALSE((*results)[0].passed);
  EXPECT_THAT((*results)[0].message, ::testing::HasSubstr("row 1: expected [Y], got [X]"));
  EXPECT_FALSE((*results)[1].passed);
  EXPECT_THAT((*results)[1].message, ::testing::HasSubstr("expected 2 rows, got 1"));
  EXPECT_FALSE((*results)[2].passed);
  EXPECT_THAT((*results)[2].message, ::testing::HasSubstr("now: not a timestamp"));
}

TEST(ShippedRunbooksTest, CheckQueryBindsNamesTheFileLine) {
  Result<Runbook> rb = ParseRunbookYaml("id: ir.t\nversion: 1\ntitle: t\nquery: |\n  SELECT nosuchcolumn FROM events\n", "t.yaml");
  ASSERT_TRUE(rb.ok()) << rb.status().ToString();
  Status s = CheckQueryBinds(*rb);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), ::testing::StartsWith("t.yaml:5: query: "));
  EXPECT_THAT(s.message(), ::testing::HasSubstr("nosuchcolumn"));
}

}  // namespace
}  // namespace trailbook::runbook
