// Tests of segment pinning (ScanConstraints::segment_ids): a pinned query reads exactly the
// pinned segments, whatever was ingested since, and an empty pin reads nothing.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sql/exec/query_engine.h"
#include "sql/exec/testing/ingest_for_test.h"
#include "storage/store.h"

namespace trailbook::sql {
namespace {

namespace fs = std::filesystem;

class SegmentPinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("tb_segment_pin_test_" + std::to_string(::getpid())))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Ingest(testing::kSqlFixtureEvents);
  }

  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void Ingest(const std::string& path) {
    Status ingested = testing::IngestForTest(dir_ + "/store", path);
    ASSERT_TRUE(ingested.ok()) << ingested.ToString();
  }

  // The ids and row counts of the store's committed segments.
  std::vector<storage::SegmentInfo> Segments() {
    auto store = storage::Store::Open(dir_ + "/store", storage::Store::Mode::kReadOnly);
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return {};
    std::vector<storage::SegmentInfo> infos = (*store)->Snapshot()->infos();
    std::sort(infos.begin(), infos.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return infos;
  }

  // count(*) under `constraints`; the plan goes to `explain` when given.
  int64_t Count(const ScanConstraints& constraints, std::string* explain = nullptr) {
    auto store = storage::Store::Open(dir_ + "/store", storage::Store::Mode::kReadOnly);
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return -1;
    QueryEngine engine(**store);
    QueryOptions options;
    options.threads = 2;
    options.constraints = constraints;
    auto result = engine.Execute("SELECT count(*) FROM events", options);
    EXPECT_TRUE(result.ok()) << result.status().message();
    if (!result.ok()) return -1;
    DataChunk chunk;
    auto more = (*result)->Next(&chunk);
    EXPECT_TRUE(more.ok() && *more);
    if (!more.ok() || !*more) return -1;
    int64_t n = chunk.columns[0].GetValue(0).int_value();
    while (true) {
      auto next = (*result)->Next(&chunk);
      if (!next.ok() || !*next) break;
    }
    if (explain != nullptr) *explain = (*result)->Explain();
    return n;
  }

  std::string dir_;
};

TEST_F(SegmentPinTest, PinnedScanReadsExactlyThePinnedSegments) {
  std::vector<storage::SegmentInfo> before = Segments();
  ASSERT_EQ(before.size(), 3u);  // The fixture spans three UTC days.
  uint64_t total = 0;
  for (const auto& s : before) total += s.rows;
  ASSERT_EQ(total, 45u);

  EXPECT_EQ(Count({}), 45);
  ScanConstraints all;
  all.segment_ids = std::vector<uint64_t>{};
  for (const auto& s : before) all.segment_ids->push_back(s.id);
  EXPECT_EQ(Count(all), 45);

  ScanConstraints one;
  one.segment_ids = std::vector<uint64_t>{before[1].id};
  std::string explain;
  EXPECT_EQ(Count(one, &explain), static_cast<int64_t>(before[1].rows));
  EXPECT_NE(explain.find("segment IN (1 id: " + std::to_string(before[1].id) + ")"),
            std::string::npos)
      << explain;

  ScanConstraints none;
  none.segment_ids = std::vector<uint64_t>{};
  EXPECT_EQ(Count(none), 0);

  ScanConstraints unknown;
  unknown.segment_ids = std::vector<uint64_t>{before.back().id + 1000};
  EXPECT_EQ(Count(unknown), 0);
}

TEST_F(SegmentPinTest, EventsIngestedLaterDoNotChangeAPinnedAnswer) {
  std::vector<storage::SegmentInfo> before = Segments();
  ScanConstraints pin;
  pin.segment_ids = std::vector<uint64_t>{};
  for (const auto& s : before) pin.segment_ids->push_back(s.id);

  // Two new events on a day the pinned segments already cover, and one on a new day.
  std::string more = dir_ + "/more.json";
  {
    std::ofstream out(more);
    out << R"({"Records":[)"
        << R"({"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","eventID":"pin-0001","recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/pin"}},)"
        << R"({"eventVersion":"1.08","eventTime":"2024-03-01T12:00:01Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","eventID":"pin-0002","recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/pin"}},)"
        << R"({"eventVersion":"1.08","eventTime":"2024-03-05T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","eventID":"pin-0003","recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/pin"}})"
        << "]}";
  }
  Ingest(more);
  ASSERT_GT(Segments().size(), before.size());

  EXPECT_EQ(Count({}), 48);
  EXPECT_EQ(Count(pin), 45);
}

}  // namespace
}  // namespace trailbook::sql
