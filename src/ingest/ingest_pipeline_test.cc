#include "ingest/ingest_pipeline.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "base/timestamp.h"
#include "io/file.h"
#include "storage/event_schema.h"

namespace trailbook::ingest {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/tb_ingest_test_XXXXXX";
  return ::mkdtemp(tmpl);
}

const std::vector<std::string> kDatasets = {"tests/data/datasets"};

Result<IngestSummary> RunIngest(storage::Store& store, const std::vector<std::string>& paths,
                                IngestOptions options = {}) {
  IngestProgress progress;
  return Ingest(store, paths, options, &progress);
}

TEST(IngestPipelineTest, IngestsEveryDatasetEventOnce) {
  std::string dir = TempDir();
  auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto s = RunIngest(**store, kDatasets);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->events_added, 37u + 103u + 6u);
  EXPECT_EQ(s->records, 146u);
  EXPECT_EQ(s->files_read, 10u);
  EXPECT_EQ(s->files_rejected, 0u) << (s->rejected_files.empty() ? "" : s->rejected_files[0].reason);
  EXPECT_EQ(s->records_rejected, 0u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), 146u);
  // Re-ingest: every file is unchanged in the ledger; nothing is read or added.
  auto again = RunIngest(**store, kDatasets);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->files_unchanged, 10u);
  EXPECT_EQ(again->events_added, 0u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), 146u);
}

TEST(IngestPipelineTest, CopiesAndDuplicatesAreNotStoredTwice) {
  std::string dir = TempDir();
  std::string otrf = "tests/data/datasets/otrf-ec2-proxy-s3-exfil/"
                     "ec2_proxy_s3_exfiltration_2020-09-14011940.json";
  std::string text = *io::ReadFile(otrf);
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/a.json", text).ok());
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/copy.json", text).ok());
  // A file that repeats 10 events of the first (as CloudTrail's duplicate deliveries do)
  // plus one new event.
  std::string partial;
  size_t pos = 0;
  for (int i = 0; i < 10; ++i) {
    size_t nl = text.find('\n', pos);
    partial += text.substr(pos, nl - pos + 1);
    pos = nl + 1;
  }
  partial += R"({"eventVersion":"1.08","eventTime":"2020-09-14T00:50:00Z","eventID":"new-1"})" "\n";
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/partial.json", partial).ok());
  auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  IngestOptions one_thread;
  one_thread.threads = 1;
  auto s = RunIngest(**store, {dir + "/a.json", dir + "/copy.json", dir + "/partial.json"}, one_thread);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->events_added, 104u);
  EXPECT_EQ(s->files_same_content, 1u);
  EXPECT_EQ(s->duplicates, 10u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), 104u);
  // Touching a file (new mtime) makes it be read again, but its events are duplicates.
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/partial.json", partial).ok());
  auto again = RunIngest(**store, {dir + "/partial.json"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->events_added, 0u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), 104u);
}

TEST(IngestPipelineTest, BadInputsAreRejectedAndTheRestGoesOn) {
  std::string dir = TempDir();
  std::string good = R"({"Records":[{"eventTime":"2021-01-01T00:00:00Z","eventID":"g1"},)"
                     R"({"eventTime":"2021-01-01T00:00:01Z","eventID":"g2"},)"
                     R"(42,)"
                     R"({"eventTime":"2021-01-01T00:00:02Z","eventID":"g3","readOnly":"yes"}]})";
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/in/good.json", good).ok() ||
              (io::CreateDirectories(dir + "/in").ok() &&
               io::WriteFileAtomic(dir + "/in/good.json", good).ok()));
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/in/empty.json", "").ok());
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/in/broken.json", R"({"Records":[{"eventTime":)").ok());
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/in/trunc.json.gz", std::string("\x1f\x8b\x08\x00", 4)).ok());
  auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto s = RunIngest(**store, {dir + "/in", dir + "/missing-path"});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->events_added, 2u);
  EXPECT_EQ(s->records_rejected, 2u);
  EXPECT_EQ(s->files_rejected, 4u);
  EXPECT_TRUE(s->anything_rejected());
  std::string all;
  for (const auto& f : s->rejected_files) all += f.path + " => " + f.reason + "\n";
  for (const char* name : {"empty.json", "broken.json", "trunc.json.gz", "missing-path"}) {
    EXPECT_NE(all.find(name), std::string::npos) << name << "\n" << all;
  }
  ASSERT_EQ(s->rejected_records.size(), 2u);
  EXPECT_NE(s->rejected_records[0].find("good.json: record 2"), std::string::npos)
      << s->rejected_records[0];
  EXPECT_NE(s->rejected_records[1].find("good.json: record 3"), std::string::npos);
  EXPECT_NE(s->rejected_records[1].find("field 'readOnly': expected boolean, got string"),
            std::string::npos)
      << s->rejected_records[1];
  EXPECT_EQ((*store)->Snapshot()->row_count(), 2u);
}

TEST(IngestPipelineTest, SmallBatchesGiveTheSameResult) {
  std::string dir = TempDir();
  auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  IngestOptions tiny;
  tiny.batch_bytes = 1;  // flush after every file
  tiny.threads = 2;
  auto s = RunIngest(**store, kDatasets, tiny);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->events_added, 146u);
  EXPECT_GE(s->commits, 10u);
  auto snap = (*store)->Snapshot();
  EXPECT_EQ(snap->row_count(), 146u);
  // Segments hold one UTC day each and are sorted by time.
  for (const auto& seg : snap->segments()) {
    EXPECT_EQ(DayOf(seg->footer().min_time), seg->footer().day);
    EXPECT_EQ(DayOf(seg->footer().max_time), seg->footer().day);
  }
}

TEST(IngestPipelineTest, DeliveryDateFromS3Layout) {
  EXPECT_EQ(DeliveryDateOf("x/AWSLogs/1/CloudTrail/us-east-1/2018/11/28/f.json.gz"),
            "2018/11/28");
  EXPECT_EQ(DeliveryDateOf("AWSLogs/1/CloudTrail-Insight/eu-west-1/2020/01/02/f.json.gz"),
            "2020/01/02");
  EXPECT_EQ(DeliveryDateOf("/tmp/events.json"), "");
  EXPECT_EQ(DeliveryDateOf("AWSLogs/1/CloudTrail/us-east-1/20/f.json"), "");
}

}  // namespace
}  // namespace trailbook::ingest
