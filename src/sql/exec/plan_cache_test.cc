// Tests of QueryEngine's plan cache: a statement bound once with parameter and now() slots is
// re-executed with each execution's parameter values, constraints and clock, and gives the
// rows a fresh bind gives (checked against the same query with the values written as
// literals, which is a different text and so never shares the plan). Plans whose binding
// read a slot's value (LIMIT :n, a parameter coerced to a timestamp, NULL parameters) are
// bound afresh every time.
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/clock.h"
#include "base/timestamp.h"
#include "sql/exec/query_engine.h"
#include "sql/exec/result_writer.h"
#include "sql/exec/testing/ingest_for_test.h"
#include "storage/store.h"

namespace trailbook::sql {
namespace {

namespace fs = std::filesystem;

constexpr char kAccountA[] = "111111111111";
constexpr char kAccountB[] = "222222222222";

class PlanCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("tb_plan_cache_test_" + std::to_string(::getpid())))
               .string();
    fs::remove_all(dir_);
    Status ingested = testing::IngestForTest(dir_, testing::kSqlFixtureEvents);
    ASSERT_TRUE(ingested.ok()) << ingested.ToString();
    auto store = storage::Store::Open(dir_, storage::Store::Mode::kReadOnly);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    engine_ = std::make_unique<QueryEngine>(*store_);
  }

  void TearDown() override {
    engine_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  struct Outcome {
    std::string rows;  // NDJSON
    bool cached = false;
    std::string error;
  };

  Outcome Run(const std::string& sql, const QueryOptions& options) {
    Outcome out;
    auto result = engine_->Execute(sql, options);
    if (!result.ok()) {
      out.error = result.status().message();
      return out;
    }
    QueryResult& r = **result;
    ResultWriter writer(ResultFormat::kNdjson, r.column_names(), r.column_types());
    DataChunk chunk;
    while (true) {
      auto more = r.Next(&chunk);
      if (!more.ok()) {
        out.error = more.status().message();
        return out;
      }
      if (!*more) break;
      writer.Write(chunk, &out.rows);
    }
    writer.Finish(&out.rows);
    out.cached = r.stats().plan_cached;
    return out;
  }

  static QueryOptions With(std::map<std::string, Value> parameters, ScanConstraints c = {}) {
    QueryOptions o;
    o.threads = 1;
    o.explain = false;  // As the server runs; explained executions bypass the cache.
    o.parameters = std::move(parameters);
    o.constraints = std::move(c);
    return o;
  }

  static size_t Lines(const std::string& ndjson) {
    size_t n = 0;
    for (char ch : ndjson) n += ch == '\n';
    return n;
  }

  std::string dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<QueryEngine> engine_;
};

// EXPLAIN renders aggregate expressions from the bound plan itself: an explained execution
// binds afresh (never from the cache), so its plan shows its own parameter value.
TEST_F(PlanCacheTest, ExplainedExecutionsBindAfreshAndShowTheirOwnValues) {
  const std::string sql = "SELECT count_if(eventName = :name) AS n FROM events";
  ASSERT_EQ(Run(sql, With({{"name", Value::Varchar("FirstValueXyz")}})).error, "");
  Outcome warm = Run(sql, With({{"name", Value::Varchar("DescribeInstances")}}));
  ASSERT_EQ(warm.error, "");
  EXPECT_TRUE(warm.cached);
  EXPECT_EQ(warm.rows, "{\"n\":7}\n");
  QueryOptions explained = With({{"name", Value::Varchar("SecondValueXyz")}});
  explained.explain = true;
  auto result = engine_->Execute(sql, explained);
  ASSERT_TRUE(result.ok()) << result.status().message();
  DataChunk chunk;
  while (true) {
    auto more = (*result)->Next(&chunk);
    ASSERT_TRUE(more.ok()) << more.status().message();
    if (!*more) break;
  }
  EXPECT_FALSE((*result)->stats().plan_cached);
  std::string plan = (*result)->Explain();
  EXPECT_NE(plan.find("SecondValueXyz"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("FirstValueXyz"), std::string::npos) << plan;
}

TEST_F(PlanCacheTest, ReusedPlanTakesEachExecutionsParametersAndConstraints) {
  const std::string sql =
      "SELECT eventID, recipientAccountId, awsRegion FROM events WHERE eventName = :name "
      "ORDER BY eventID";
  auto literal = [&](const std::string& name, ScanConstraints c) {
    return Run("SELECT eventID, recipientAccountId, awsRegion FROM events WHERE eventName = '" +
                   name + "' ORDER BY eventID",
               With({}, std::move(c)));
  };

  Outcome first = Run(sql, With({{"name", Value::Varchar("DescribeInstances")}}));
  ASSERT_EQ(first.error, "");
  EXPECT_FALSE(first.cached);
  EXPECT_EQ(Lines(first.rows), 7u);
  EXPECT_EQ(first.rows, literal("DescribeInstances", {}).rows);

  // Another parameter value and a constraint: the plan is reused, both are applied.
  ScanConstraints only_b;
  only_b.accounts = std::vector<std::string>{kAccountB};
  Outcome second = Run(sql, With({{"name", Value::Varchar("ConsoleLogin")}}, only_b));
  ASSERT_EQ(second.error, "");
  EXPECT_TRUE(second.cached);
  EXPECT_EQ(second.rows, literal("ConsoleLogin", only_b).rows);
  EXPECT_NE(second.rows, first.rows);
  EXPECT_EQ(second.rows.find(kAccountA), std::string::npos) << second.rows;

  // The first execution's constraint-free plan does not leak into a denying one: an empty
  // account list admits nothing.
  ScanConstraints none;
  none.accounts = std::vector<std::string>{};
  Outcome denied = Run(sql, With({{"name", Value::Varchar("DescribeInstances")}}, none));
  ASSERT_EQ(denied.error, "");
  EXPECT_TRUE(denied.cached);
  EXPECT_EQ(Lines(denied.rows), 0u) << denied.rows;

  // Regions and a time window from the token.
  ScanConstraints window;
  window.regions = std::vector<std::string>{"us-east-1"};
  window.min_time = *ParseTimestamp("2024-03-01T00:00:00Z");
  Outcome narrowed = Run(sql, With({{"name", Value::Varchar("DescribeInstances")}}, window));
  ASSERT_EQ(narrowed.error, "");
  EXPECT_TRUE(narrowed.cached);
  EXPECT_EQ(narrowed.rows, literal("DescribeInstances", window).rows);
  EXPECT_LT(Lines(narrowed.rows), Lines(first.rows));

  // And without constraints again, the first answer.
  Outcome again = Run(sql, With({{"name", Value::Varchar("DescribeInstances")}}));
  EXPECT_TRUE(again.cached);
  EXPECT_EQ(again.rows, first.rows);
}

TEST_F(PlanCacheTest, NeedleLookupUsesEachExecutionsValue) {
  const std::string sql = "SELECT eventID, eventName FROM events WHERE eventID = :id";
  Outcome a = Run(sql, With({{"id", Value::Varchar("00000000-0000-4000-8000-000000000001")}}));
  Outcome b = Run(sql, With({{"id", Value::Varchar("00000000-0000-4000-8000-000000000003")}}));
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(b.error, "");
  EXPECT_TRUE(b.cached);
  EXPECT_NE(a.rows.find("000000000001"), std::string::npos) << a.rows;
  EXPECT_NE(b.rows.find("000000000003"), std::string::npos) << b.rows;
  EXPECT_EQ(Lines(a.rows), 1u);
  EXPECT_EQ(Lines(b.rows), 1u);
  // The event is in us-west-2: a token for us-east-1 only does not see it.
  ScanConstraints east;
  east.regions = std::vector<std::string>{"us-east-1"};
  Outcome hidden =
      Run(sql, With({{"id", Value::Varchar("00000000-0000-4000-8000-000000000003")}}, east));
  EXPECT_TRUE(hidden.cached);
  EXPECT_EQ(Lines(hidden.rows), 0u) << hidden.rows;
}

TEST_F(PlanCacheTest, NowIsTakenPerExecution) {
  const std::string sql = "SELECT count(*) AS n FROM events WHERE eventTime > now() - INTERVAL '1' DAY";
  FakeClock clock(*ParseTimestamp("2024-03-01T12:00:00Z"));
  QueryOptions o = With({});
  o.clock = &clock;
  Outcome early = Run(sql, o);
  clock.Set(*ParseTimestamp("2024-03-03T00:00:00Z"));
  Outcome late = Run(sql, o);
  ASSERT_EQ(early.error, "");
  ASSERT_EQ(late.error, "");
  EXPECT_TRUE(late.cached);
  EXPECT_NE(early.rows, late.rows);
  EXPECT_EQ(late.rows, Run("SELECT count(*) AS n FROM events WHERE eventTime > "
                           "TIMESTAMP '2024-03-02 00:00:00'",
                           With({}))
                           .rows);
}

TEST_F(PlanCacheTest, FunctionsAndSubqueriesSeeEachExecutionsValues) {
  const std::string sql =
      "SELECT eventID FROM events WHERE regexp_like(eventName, :pattern) AND "
      "lower(eventName) <> lower(:skip) ORDER BY eventID";
  auto literal = [&](const std::string& pattern, const std::string& skip) {
    return Run("SELECT eventID FROM events WHERE regexp_like(eventName, '" + pattern +
                   "') AND lower(eventName) <> lower('" + skip + "') ORDER BY eventID",
               With({}))
        .rows;
  };
  Outcome a = Run(sql, With({{"pattern", Value::Varchar("^Describe")},
                             {"skip", Value::Varchar("none")}}));
  Outcome b = Run(sql, With({{"pattern", Value::Varchar("Object$")},
                             {"skip", Value::Varchar("GETOBJECT")}}));
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(b.error, "");
  EXPECT_TRUE(b.cached);
  EXPECT_EQ(a.rows, literal("^Describe", "none"));
  EXPECT_EQ(b.rows, literal("Object$", "GETOBJECT"));
  EXPECT_EQ(Lines(b.rows), 2u);  // PutObject only

  const std::string sub =
      "SELECT count(*) AS n FROM events WHERE eventName IN "
      "(SELECT eventName FROM events WHERE eventID = :id)";
  Outcome s1 = Run(sub, With({{"id", Value::Varchar("00000000-0000-4000-8000-000000000001")}}));
  Outcome s2 = Run(sub, With({{"id", Value::Varchar("00000000-0000-4000-8000-000000000005")}}));
  ASSERT_EQ(s1.error, "");
  ASSERT_EQ(s2.error, "");
  EXPECT_TRUE(s2.cached);
  auto sub_literal = [&](const std::string& id) {
    return Run("SELECT count(*) AS n FROM events WHERE eventName IN "
               "(SELECT eventName FROM events WHERE eventID = '" + id + "')",
               With({}))
        .rows;
  };
  EXPECT_EQ(s1.rows, sub_literal("00000000-0000-4000-8000-000000000001"));
  EXPECT_EQ(s2.rows, sub_literal("00000000-0000-4000-8000-000000000005"));
}

TEST_F(PlanCacheTest, NegatedParameterIsNegatedPerExecution) {
  const std::string sql =
      "SELECT count(*) AS n FROM events WHERE eventTime > date_add('hour', -:hours, "
      "TIMESTAMP '2024-03-02 23:00:00')";
  Outcome one = Run(sql, With({{"hours", Value::Bigint(1)}}));
  Outcome day = Run(sql, With({{"hours", Value::Bigint(48)}}));
  ASSERT_EQ(one.error, "");
  ASSERT_EQ(day.error, "");
  EXPECT_TRUE(day.cached);
  EXPECT_NE(one.rows, day.rows);
  EXPECT_EQ(day.rows, Run("SELECT count(*) AS n FROM events WHERE eventTime > "
                          "TIMESTAMP '2024-02-29 23:00:00'",
                          With({}))
                          .rows);
}

// Plans whose binding read a parameter's value are never reused: each execution binds
// with its own value.
TEST_F(PlanCacheTest, ValueDependentPlansAreBoundPerExecution) {
  const std::string limit = "SELECT eventID FROM events ORDER BY eventID LIMIT :n";
  Outcome two = Run(limit, With({{"n", Value::Bigint(2)}}));
  Outcome five = Run(limit, With({{"n", Value::Bigint(5)}}));
  ASSERT_EQ(two.error, "");
  ASSERT_EQ(five.error, "");
  EXPECT_FALSE(five.cached);
  EXPECT_EQ(Lines(two.rows), 2u);
  EXPECT_EQ(Lines(five.rows), 5u);

  // A varchar parameter compared with eventTime is parsed into a timestamp when bound.
  const std::string since = "SELECT count(*) AS n FROM events WHERE eventTime >= :since";
  Outcome all = Run(since, With({{"since", Value::Varchar("2024-01-01")}}));
  Outcome some = Run(since, With({{"since", Value::Varchar("2024-03-02")}}));
  ASSERT_EQ(all.error, "");
  ASSERT_EQ(some.error, "");
  EXPECT_FALSE(some.cached);
  EXPECT_NE(all.rows, some.rows);
  EXPECT_EQ(all.rows, "{\"n\":45}\n");
  // A bad value is still reported with its position.
  Outcome bad = Run(since, With({{"since", Value::Varchar("yesterday")}}));
  EXPECT_NE(bad.error.find("invalid timestamp 'yesterday'"), std::string::npos) << bad.error;

  // NULL parameters bind afresh too.
  const std::string eq = "SELECT count(*) AS n FROM events WHERE eventName = :name";
  Outcome null1 = Run(eq, With({{"name", Value::Null(LogicalType::Varchar())}}));
  Outcome null2 = Run(eq, With({{"name", Value::Null(LogicalType::Varchar())}}));
  ASSERT_EQ(null2.error, "");
  EXPECT_FALSE(null2.cached);
  EXPECT_EQ(null2.rows, "{\"n\":0}\n");
}

// A different parameter type, or a missing parameter, never uses another signature's plan.
TEST_F(PlanCacheTest, SignatureSelectsThePlan) {
  const std::string sql = "SELECT count(*) AS n FROM events WHERE eventName = :name";
  Outcome text = Run(sql, With({{"name", Value::Varchar("GetObject")}}));
  ASSERT_EQ(text.error, "");
  EXPECT_EQ(text.rows, "{\"n\":5}\n");
  Outcome number = Run(sql, With({{"name", Value::Bigint(5)}}));
  EXPECT_FALSE(number.cached);
  EXPECT_NE(number.error, "");  // varchar = bigint does not bind
  Outcome missing = Run(sql, With({}));
  EXPECT_NE(missing.error.find("parameter ':name' is not bound"), std::string::npos)
      << missing.error;
  Outcome again = Run(sql, With({{"name", Value::Varchar("ConsoleLogin")}}));
  EXPECT_TRUE(again.cached);
  EXPECT_EQ(again.rows, "{\"n\":5}\n");
}

// IsKeyLookup tells a caller (the HTTP server's event loop) which queries cost about the same
// however large the store is: those whose every scan is narrowed by a needle on a key column.
TEST_F(PlanCacheTest, KeyLookupsAreRecognisedFromTheirExecutedPlans) {
  const std::string by_id = "SELECT eventID, eventName FROM events WHERE eventID = :id";
  const std::string by_request = "SELECT eventID FROM events WHERE requestID IN (:a, :b)";
  const std::string by_name = "SELECT eventID FROM events WHERE eventName = :name";
  const std::string by_ip = "SELECT eventID FROM events WHERE sourceIPAddress = :ip";
  const std::string join =
      "SELECT a.eventID FROM events a JOIN events b ON a.eventName = b.eventName "
      "WHERE a.eventID = :id";
  EXPECT_FALSE(engine_->IsKeyLookup(by_id));  // Not executed yet: unknown.
  ASSERT_EQ(Run(by_id, With({{"id", Value::Varchar("not-an-event")}})).error, "");
  EXPECT_TRUE(engine_->IsKeyLookup(by_id));
  ASSERT_EQ(Run(by_request, With({{"a", Value::Varchar("x")}, {"b", Value::Varchar("y")}})).error,
            "");
  EXPECT_TRUE(engine_->IsKeyLookup(by_request));
  ASSERT_EQ(Run(by_name, With({{"name", Value::Varchar("DescribeInstances")}})).error, "");
  EXPECT_FALSE(engine_->IsKeyLookup(by_name));  // A dictionary filter still reads every segment.
  ASSERT_EQ(Run(by_ip, With({{"ip", Value::Varchar("192.0.2.1")}})).error, "");
  EXPECT_FALSE(engine_->IsKeyLookup(by_ip));  // A needle, but one address may match most rows.
  ASSERT_EQ(Run(join, With({{"id", Value::Varchar("not-an-event")}})).error, "");
  EXPECT_FALSE(engine_->IsKeyLookup(join));  // The join's other side scans everything.
  // An explained execution bypasses the plan cache and tells nothing.
  const std::string explained_only = "SELECT eventName FROM events WHERE eventID = :id";
  QueryOptions explained = With({{"id", Value::Varchar("x")}});
  explained.explain = true;
  ASSERT_EQ(Run(explained_only, explained).error, "");
  EXPECT_FALSE(engine_->IsKeyLookup(explained_only));
}

}  // namespace
}  // namespace trailbook::sql
