// Tests of QueryEngine behaviour that the .test files cannot see: the decoded text-block
// cache (same answers with any budget; repeated queries skip decoding) over a store built
// from the committed SQL fixture.
#include "sql/exec/query_engine.h"

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sql/exec/result_writer.h"
#include "sql/exec/testing/ingest_for_test.h"
#include "storage/store.h"

namespace trailbook::sql {
namespace {

namespace fs = std::filesystem;

class QueryEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() /
            ("tb_query_engine_test_" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    Status ingested = testing::IngestForTest(dir_, testing::kSqlFixtureEvents);
    ASSERT_TRUE(ingested.ok()) << ingested.ToString();
    auto store = storage::Store::Open(dir_, storage::Store::Mode::kReadOnly);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
  }

  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Runs `sql` and returns its rows as NDJSON plus the query's statistics.
  static std::string Run(const QueryEngine& engine, const std::string& sql,
                         QueryStats* stats = nullptr) {
    QueryOptions options;
    options.threads = 2;
    auto result = engine.Execute(sql, options);
    EXPECT_TRUE(result.ok()) << sql << ": " << result.status().message();
    if (!result.ok()) return "";
    QueryResult& r = **result;
    ResultWriter writer(ResultFormat::kNdjson, r.column_names(), r.column_types());
    std::string out;
    DataChunk chunk;
    while (true) {
      auto more = r.Next(&chunk);
      EXPECT_TRUE(more.ok()) << sql << ": " << more.status().message();
      if (!more.ok() || !*more) break;
      writer.Write(chunk, &out);
    }
    writer.Finish(&out);
    if (stats != nullptr) *stats = r.stats();
    return out;
  }

  std::string dir_;
  std::unique_ptr<storage::Store> store_;
};

// Queries that decode free-text and JSON columns, in scan filters, projections, UNNEST,
// joins and eventJson.
const std::vector<std::string>& TextQueries() {
  static const std::vector<std::string> queries = {
      "SELECT eventID, requestParameters, responseElements FROM events ORDER BY eventID",
      "SELECT eventID, userAgent FROM events WHERE userAgent LIKE '%aws-cli%' ORDER BY eventID",
      "SELECT eventID, json_extract_scalar(additionalEventData, '$.MFAUsed') FROM events "
      "WHERE eventName = 'ConsoleLogin' ORDER BY eventID",
      "SELECT eventID, eventJson FROM events ORDER BY eventID",
      "SELECT a.eventID, b.eventID FROM events a JOIN events b ON a.userAgent = b.userAgent "
      "AND a.eventID < b.eventID ORDER BY 1, 2",
      "SELECT eventID, r.arn FROM events CROSS JOIN UNNEST(resources) AS t(r) ORDER BY 1, 2",
  };
  return queries;
}

// The statement cache keeps only the parsed text: parameters are bound per execution, so
// one cached statement run with different values gives each value's own answer (the same
// as the literal query), and a text that does not parse fails every time.
TEST_F(QueryEngineTest, CachedStatementBindsEachExecutionsParameters) {
  QueryEngine engine(*store_);
  const std::string sql = "SELECT eventID FROM events WHERE eventName = :name ORDER BY eventID";
  auto run = [&](const std::string& name) {
    QueryOptions options;
    options.threads = 1;
    options.parameters["name"] = Value::Varchar(name);
    auto result = engine.Execute(sql, options);
    EXPECT_TRUE(result.ok()) << result.status().message();
    if (!result.ok()) return std::string();
    QueryResult& r = **result;
    ResultWriter writer(ResultFormat::kNdjson, r.column_names(), r.column_types());
    std::string out;
    DataChunk chunk;
    while (true) {
      auto more = r.Next(&chunk);
      EXPECT_TRUE(more.ok());
      if (!more.ok() || !*more) break;
      writer.Write(chunk, &out);
    }
    writer.Finish(&out);
    return out;
  };
  for (int round = 0; round < 2; ++round) {
    for (const std::string name : {"ConsoleLogin", "GetObject", "NoSuchEvent"}) {
      std::string literal = Run(engine, "SELECT eventID FROM events WHERE eventName = '" + name +
                                            "' ORDER BY eventID");
      EXPECT_EQ(run(name), literal) << name << " round " << round;
    }
  }
  EXPECT_NE(run("ConsoleLogin"), run("NoSuchEvent"));
  QueryOptions unbound;
  EXPECT_EQ(engine.Execute(sql, unbound).status().code(), StatusCode::kInvalidArgument)
      << "a cached statement still needs its parameters";
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(engine.Execute("SELEC eventID FROM events", {}).status().code(),
              StatusCode::kInvalidArgument);
  }
}

TEST_F(QueryEngineTest, TextBlockCacheGivesTheSameAnswersAtAnyBudget) {
  QueryEngine uncached(*store_, EngineOptions{.text_block_cache_bytes = 0});
  QueryEngine cached(*store_);
  QueryEngine tiny(*store_, EngineOptions{.text_block_cache_bytes = 4096});  // evicts constantly
  for (const std::string& sql : TextQueries()) {
    std::string expected = Run(uncached, sql);
    ASSERT_FALSE(expected.empty()) << sql;
    for (int round = 0; round < 3; ++round) {
      EXPECT_EQ(Run(cached, sql), expected) << "round " << round << ": " << sql;
      EXPECT_EQ(Run(tiny, sql), expected) << "round " << round << ": " << sql;
    }
  }
}

TEST_F(QueryEngineTest, RepeatedQueryDecodesCachedTextBlocksOnce) {
  const std::string sql = "SELECT requestParameters, userAgent FROM events ORDER BY eventID";
  QueryEngine cached(*store_);
  QueryStats first, second;
  std::string a = Run(cached, sql, &first);
  std::string b = Run(cached, sql, &second);
  EXPECT_EQ(a, b);
  EXPECT_GT(first.bytes_read, 0u);
  // Text blocks came from the cache (dictionary codes, if any, are still read).
  EXPECT_LT(second.bytes_read, first.bytes_read);

  QueryEngine uncached(*store_, EngineOptions{.text_block_cache_bytes = 0});
  QueryStats u1, u2;
  Run(uncached, sql, &u1);
  Run(uncached, sql, &u2);
  EXPECT_EQ(u1.bytes_read, first.bytes_read);
  EXPECT_EQ(u2.bytes_read, first.bytes_read);
}

TEST_F(QueryEngineTest, SelectiveTextFilterIsServedFromTheCacheOnRepeat) {
  // The text column is read only for the rows the dictionary predicate kept; the cache keeps
  // those rows, so the repeat decompresses nothing.
  const std::string sql =
      "SELECT eventID FROM events WHERE eventName = 'ConsoleLogin' "
      "AND element_at(additionalEventData, 'MFAUsed') IS NOT NULL ORDER BY eventID";
  QueryEngine cached(*store_);
  QueryStats first, second;
  std::string a = Run(cached, sql, &first);
  std::string b = Run(cached, sql, &second);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_GT(first.text_frames_read, 0u);
  EXPECT_EQ(second.text_frames_read, 0u);
  EXPECT_EQ(second.text_frames_cached, first.text_frames_read);
  QueryEngine uncached(*store_, EngineOptions{.text_block_cache_bytes = 0});
  EXPECT_EQ(Run(uncached, sql), a);
}

}  // namespace
}  // namespace trailbook::sql
