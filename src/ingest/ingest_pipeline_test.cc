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

// Records elements are normalised from the reader's own parse (one simdjson pass); a record
// that fails there makes the reader read the document again the two-pass way from that
// record on. Each bad record must be reported with its index and the same message as the
// two-pass path gives, its neighbours before and after it kept, and nothing stored twice.
TEST(IngestPipelineTest, BadRecordsBetweenGoodOnesInRecordsFiles) {
  std::string dir = TempDir();
  ASSERT_TRUE(io::CreateDirectories(dir + "/in").ok());
  auto event = [](int i, std::string_view extra) {
    return R"({"eventTime":"2021-01-01T00:00:)" + std::string(i < 10 ? "0" : "") +
           std::to_string(i) + R"(Z","eventID":"e)" + std::to_string(i) + "\"" +
           std::string(extra) + "}";
  };
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"(,"requestParameters":{"a":[1,2,]})", "invalid JSON in 'requestParameters'"},
      {R"(,"readOnly":tru)", "invalid JSON in 'readOnly'"},
      {R"(,"errorCode":1)", "field 'errorCode': expected string, got number"},
      {R"(,"eventTime":"2021-01-01T00:00:00Z")", "duplicate member 'eventTime'"},
      {R"(,"requestParameters":{"k":"\u12"})", "invalid JSON in 'requestParameters'"},
      {R"(,"userIdentity":{"type":"Root","arn":[]})", "field 'userIdentity.arn': expected string"},
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    int n = static_cast<int>(i) * 3;
    std::string text = "{\"Records\":[\n" + event(n, "") + ",\n" + event(n + 1, bad[i].first) +
                       ",\n" + event(n + 2, "") + "]}";
    ASSERT_TRUE(io::WriteFileAtomic(dir + "/in/f" + std::to_string(i) + ".json", text).ok());
  }
  // Records without eventTime go through the single pass and fail only at its end.
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/in/g.json",
                                  "{\"Records\":[" + event(40, "") + R"(,{"eventID":"t"},)" +
                                      event(41, "") + "]}")
                  .ok());
  auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  IngestOptions options;
  options.threads = 1;  // rejected records in input order
  auto s = RunIngest(**store, {dir + "/in"}, options);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->files_rejected, 0u) << (s->rejected_files.empty() ? "" : s->rejected_files[0].reason);
  EXPECT_EQ(s->records, 3 * bad.size() + 3);
  EXPECT_EQ(s->events_added, 2 * bad.size() + 2);
  ASSERT_EQ(s->rejected_records.size(), bad.size() + 1);
  for (size_t i = 0; i < bad.size(); ++i) {
    const std::string& r = s->rejected_records[i];
    EXPECT_NE(r.find("f" + std::to_string(i) + ".json: record 1: " + bad[i].second),
              std::string::npos)
        << r;
  }
  EXPECT_NE(s->rejected_records.back().find(
                "g.json: record 1: record has no eventTime (and no Logstash @timestamp)"),
            std::string::npos)
      << s->rejected_records.back();
  EXPECT_EQ((*store)->Snapshot()->row_count(), 2 * bad.size() + 2);
}

// NDJSON lines, root JSON-array elements and the events inside LookupEvents records are
// also normalised from a parse the reader already made (one simdjson pass per record; for
// LookupEvents one pass over the unescaped CloudTrailEvent). A bad record there must read
// exactly as on the two-pass path, name its record (and line), and keep its neighbours.
TEST(IngestPipelineTest, BadRecordsBetweenGoodOnesInLinesArraysAndLookupEvents) {
  std::string dir = TempDir();
  ASSERT_TRUE(io::CreateDirectories(dir + "/in").ok());
  auto event = [](int i, std::string_view extra) {
    std::string second = std::to_string(i % 60);
    return R"({"eventTime":"2021-01-01T00:0)" + std::to_string(i / 60) + ":" +
           (second.size() < 2 ? "0" : "") + second + R"(Z","eventID":"e)" + std::to_string(i) +
           "\"" + std::string(extra) + "}";
  };
  auto quoted = [](std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  };
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"(,"requestParameters":{"a":[1,2,]})", "invalid JSON in 'requestParameters'"},
      {R"(,"readOnly":tru)", "invalid JSON in 'readOnly'"},
      {R"(,"errorCode":1)", "field 'errorCode': expected string, got number"},
      {R"(,"eventTime":"2021-01-01T00:00:00Z")", "duplicate member 'eventTime'"},
      {R"(,"requestParameters":{"k":"\u12"})", "invalid JSON in 'requestParameters'"},
      {R"(,"userIdentity":{"type":"Root","arn":[]})", "field 'userIdentity.arn': expected string"},
      {R"(,"sourceIPAddress":{"a":1})", "field 'sourceIPAddress': expected string"},
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    int n = static_cast<int>(i) * 9;
    std::string suffix = std::to_string(i);
    std::string lines =
        event(n, "") + "\n" + event(n + 1, bad[i].first) + "\n" + event(n + 2, "") + "\n";
    ASSERT_TRUE(io::WriteFileAtomic(dir + "/in/l" + suffix + ".jsonl", lines).ok());
    std::string array = "[\n" + event(n + 3, "") + ",\n" + event(n + 4, bad[i].first) + ",\n" +
                        event(n + 5, "") + "]";
    ASSERT_TRUE(io::WriteFileAtomic(dir + "/in/a" + suffix + ".json", array).ok());
    std::string lookup = "{\"Events\":[";
    for (int k = 6; k < 9; ++k) {
      if (k > 6) lookup += ",\n";
      lookup += R"({"EventId":"x","CloudTrailEvent":)" +
                quoted(event(n + k, k == 7 ? bad[i].first : "")) + "}";
    }
    lookup += "]}";
    ASSERT_TRUE(io::WriteFileAtomic(dir + "/in/k" + suffix + ".json", lookup).ok());
  }
  auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  IngestOptions options;
  options.threads = 1;
  auto s = RunIngest(**store, {dir + "/in"}, options);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->files_rejected, 0u) << (s->rejected_files.empty() ? "" : s->rejected_files[0].reason);
  EXPECT_EQ(s->records, 9 * bad.size());
  EXPECT_EQ(s->events_added, 6 * bad.size());
  ASSERT_EQ(s->rejected_records.size(), 3 * bad.size());
  auto has = [&](const std::string& needle) {
    for (const std::string& r : s->rejected_records) {
      if (r.find(needle) != std::string::npos) return true;
    }
    return false;
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    std::string suffix = std::to_string(i);
    EXPECT_TRUE(has("l" + suffix + ".jsonl: record 1 (line 2): " + bad[i].second)) << i;
    EXPECT_TRUE(has("a" + suffix + ".json: record 1: " + bad[i].second)) << i;
    EXPECT_TRUE(has("k" + suffix + ".json: record 1: " + bad[i].second)) << i;
  }
  EXPECT_EQ((*store)->Snapshot()->row_count(), 6 * bad.size());
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
  // Every file was flushed on its own (the committer may commit several flushes together).
  EXPECT_GE(s->segments_written, 10u);
  EXPECT_GE(s->commits, 1u);
  auto snap = (*store)->Snapshot();
  EXPECT_EQ(snap->row_count(), 146u);
  // Segments hold one UTC day each and are sorted by time.
  for (const auto& seg : snap->segments()) {
    EXPECT_EQ(DayOf(seg->footer().min_time), seg->footer().day);
    EXPECT_EQ(DayOf(seg->footer().max_time), seg->footer().day);
  }
}

// One NDJSON event per line: day `day` of January 2021, eventID `id` (none when empty).
std::string Event(int day, const std::string& id, int second = 0) {
  std::string e = R"({"eventVersion":"1.08","eventTime":"2021-01-)";
  e += (day < 10 ? "0" : "") + std::to_string(day) + "T10:00:";
  e += (second < 10 ? "0" : "") + std::to_string(second) + "Z\"";
  if (!id.empty()) e += ",\"eventID\":\"" + id + "\"";
  return e + "}\n";
}

TEST(IngestPipelineTest, DedupEvictionAndReloadStillRejectEveryDuplicate) {
  std::string dir = TempDir();
  ASSERT_TRUE(io::CreateDirectories(dir + "/in").ok());
  std::vector<std::string> paths;
  auto write = [&](const std::string& name, const std::string& text) {
    ASSERT_TRUE(io::WriteFileAtomic(dir + "/in/" + name, text).ok());
    paths.push_back(dir + "/in/" + name);
  };
  // Days 1..6, five events each (ids d<day>-<i>), one file per day.
  uint64_t unique = 0;
  for (int day = 1; day <= 6; ++day) {
    std::string text;
    for (int i = 0; i < 5; ++i) text += Event(day, "d" + std::to_string(day) + "-" + std::to_string(i), i);
    write("f" + std::to_string(day) + ".json", text);
    unique += 5;
  }
  // Re-deliveries of days evicted by now, a duplicate inside this file, one new event, and
  // an id-less event twice.
  write("g1.json", Event(1, "d1-0") + Event(2, "d2-4", 4) + Event(3, "new-3", 9) +
                       Event(3, "new-3", 9) + Event(4, "", 30) + Event(4, "", 30));
  unique += 2;
  // The same eventIDs again across two days, in a file read last.
  write("g2.json", Event(5, "d5-1", 1) + Event(6, "d6-2", 2) + Event(3, "new-3", 9));

  auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  IngestOptions tiny;
  tiny.threads = 1;
  tiny.batch_bytes = 1;  // flush (and commit) after every file
  tiny.dedup_limits.max_resident_keys = 6;  // about one day
  auto s = RunIngest(**store, paths, tiny);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->events_added, unique);
  EXPECT_EQ(s->duplicates, 7u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), unique);
  EXPECT_GT(s->dedup_evictions, 0u);
  EXPECT_GT(s->dedup_day_loads, 6u);  // evicted days were loaded again
  // Never more than the budget plus one loaded day (5 keys) plus the keys of one file.
  EXPECT_LE(s->dedup_peak_keys, 6u + 5u + 5u);

  // The same files in one uncommitted batch (touched, so they are read again) with the tiny
  // budget: every day is pending during the flush, then everything is a duplicate of the store.
  for (const std::string& p : paths) {
    std::string text = *io::ReadFile(p);
    ASSERT_TRUE(io::WriteFileAtomic(p, text + Event(7, "late-" + p.substr(p.size() - 7, 2))).ok());
  }
  IngestOptions one_batch = tiny;
  one_batch.batch_bytes = size_t{64} << 20;
  auto again = RunIngest(**store, paths, one_batch);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  // Only the new day-7 events, plus g1's id-less event: id-less events are deduplicated
  // within one ingest only (ingest/dedup_index.h).
  EXPECT_EQ(again->events_added, paths.size() + 1);
  EXPECT_EQ(again->duplicates, unique + 7u - 1u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), unique + paths.size() + 1);
}

TEST(IngestPipelineTest, AKeptDedupIndexServesLaterIngestsUntilSomeoneElseCommits) {
  std::string dir = TempDir();
  ASSERT_TRUE(io::CreateDirectories(dir + "/in").ok());
  auto file = [&](const std::string& name, const std::string& text) {
    EXPECT_TRUE(io::WriteFileAtomic(dir + "/in/" + name, text).ok());
    return std::vector<std::string>{dir + "/in/" + name};
  };
  auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  DedupIndex kept(**store, DedupLimits{});
  IngestOptions options;
  options.threads = 1;
  options.dedup = &kept;

  auto first = RunIngest(**store, file("a.json", Event(1, "a1") + Event(1, "a2", 1)), options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->events_added, 2u);
  uint64_t loads = kept.bucket_loads();
  EXPECT_EQ(loads, 1u);

  // The next poll: a re-delivery and a new event on the same day; the day is not re-read.
  auto second = RunIngest(**store, file("b.json", Event(1, "a2", 1) + Event(1, "b1", 2)), options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->events_added, 1u);
  EXPECT_EQ(second->duplicates, 1u);
  EXPECT_EQ(kept.bucket_loads(), loads);

  // Another ingest commits without the kept index: the next one starts over from the store
  // (one more day load) and still sees what that ingest stored.
  IngestOptions plain;
  plain.threads = 1;
  auto other = RunIngest(**store, file("c.json", Event(1, "c1", 3)), plain);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  auto third = RunIngest(**store, file("d.json", Event(1, "c1", 3) + Event(1, "b1", 2)), options);
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->events_added, 0u);
  EXPECT_EQ(third->duplicates, 2u);
  EXPECT_EQ(kept.bucket_loads(), loads + 1);
  EXPECT_EQ((*store)->Snapshot()->row_count(), 4u);
  EXPECT_TRUE(kept.Verify().ok());
}

TEST(IngestPipelineTest, DedupIndexStaysWithinBudgetOnManyDays) {
  std::string dir = TempDir();
  ASSERT_TRUE(io::CreateDirectories(dir + "/in").ok());
  std::vector<std::string> paths;
  for (int day = 1; day <= 28; ++day) {
    std::string text;
    for (int i = 0; i < 20; ++i) text += Event(day, "m" + std::to_string(day * 100 + i), i);
    ASSERT_TRUE(io::WriteFileAtomic(dir + "/in/m" + std::to_string(day) + ".json", text).ok());
    paths.push_back(dir + "/in/m" + std::to_string(day) + ".json");
  }
  auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  IngestOptions options;
  options.threads = 2;
  options.batch_bytes = 1;
  options.dedup_limits.max_resident_keys = 50;
  auto s = RunIngest(**store, paths, options);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->events_added, 28u * 20u);
  // 560 keys went through an index that never held more than the budget plus the pending
  // keys of the uncommitted batches (two per worker: the one it flushes and one in the
  // committer, one day of 20 keys each) and one just-loaded day.
  EXPECT_LE(s->dedup_peak_keys, 50u + 2u * 2u * 20u + 20u);
  EXPECT_GE(s->dedup_evictions, 20u);
}

// One NDJSON event at 2021-01-01T10:MM:SS.
std::string EventAtMinute(int minute, const std::string& id, int second = 0) {
  char time[32];
  std::snprintf(time, sizeof(time), "2021-01-01T10:%02d:%02dZ", minute, second);
  return std::string(R"({"eventVersion":"1.08","eventTime":")") + time + "\",\"eventID\":\"" + id +
         "\"}\n";
}

TEST(IngestPipelineTest, MinuteBucketsEvictWithinOneBusyDay) {
  // Everything on one day and in one hour (the monitor's case): with day buckets nothing
  // could be evicted; with minute buckets the index stays near its budget, and minutes it
  // evicted are reloaded from the store, so every re-delivery is still rejected.
  std::string dir = TempDir();
  ASSERT_TRUE(io::CreateDirectories(dir + "/in").ok());
  std::vector<std::string> paths;
  auto write = [&](const std::string& name, const std::string& text) {
    ASSERT_TRUE(io::WriteFileAtomic(dir + "/in/" + name, text).ok());
    paths.push_back(dir + "/in/" + name);
  };
  uint64_t unique = 0;
  for (int minute = 0; minute < 8; ++minute) {
    std::string text;
    for (int i = 0; i < 5; ++i) {
      text += EventAtMinute(minute, "m" + std::to_string(minute) + "-" + std::to_string(i), i);
    }
    write("f" + std::to_string(minute) + ".json", text);
    unique += 5;
  }
  // Re-deliveries of minutes 0 and 3 (evicted by now), and one new event in minute 1.
  write("g.json", EventAtMinute(0, "m0-2", 2) + EventAtMinute(3, "m3-4", 4) +
                      EventAtMinute(1, "new", 30));
  unique += 1;
  auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  IngestOptions options;
  options.threads = 1;
  options.batch_bytes = 1;  // commit after every file
  options.dedup_limits.max_resident_keys = 10;
  options.dedup_limits.bucket_us = 60 * kMicrosPerSecond;
  auto s = RunIngest(**store, paths, options);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->events_added, unique);
  EXPECT_EQ(s->duplicates, 2u);
  EXPECT_EQ((*store)->Snapshot()->row_count(), unique);
  EXPECT_GE(s->dedup_evictions, 5u);
  EXPECT_GE(s->dedup_day_loads, 8u + 3u);  // 8 minutes, then 0, 3 and 1 again
  // Budget, two uncommitted batches of 5 keys (flushing and in the committer), one loaded
  // minute.
  EXPECT_LE(s->dedup_peak_keys, 10u + 2u * 5u + 5u);

  // A minute is reloaded alone from a segment holding many: only its keys come back.
  DedupIndex index(**store, DedupLimits{.max_resident_keys = 100, .max_text_keys = 10,
                                        .bucket_us = 60 * kMicrosPerSecond});
  const int64_t minute3 = index.BucketOf(*ParseTimestamp("2021-01-01T10:03:04Z"));
  Result<bool> fresh = index.Insert(minute3, DedupIndex::KeyOfEventId("m3-4"), true);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_FALSE(*fresh);
  EXPECT_EQ(index.resident_keys(), 5u);
  EXPECT_EQ(index.loaded_buckets(), 1u);
  // The same id in another minute is another event (duplicates share their eventTime).
  const int64_t minute4 = index.BucketOf(*ParseTimestamp("2021-01-01T10:04:04Z"));
  fresh = index.Insert(minute4, DedupIndex::KeyOfEventId("m3-4"), true);
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(*fresh);
  EXPECT_TRUE(index.Verify().ok()) << index.Verify().ToString();
}

TEST(IngestPipelineTest, ABucketWidthThatDoesNotDivideADayMeansADay) {
  std::string dir = TempDir();
  auto store = storage::Store::Open(dir + "/store", storage::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  for (int64_t width : {int64_t{0}, int64_t{-5}, 7 * kMicrosPerSecond, 2 * kMicrosPerDay}) {
    DedupIndex index(**store, DedupLimits{.bucket_us = width});
    EXPECT_EQ(index.bucket_us(), kMicrosPerDay) << width;
    EXPECT_EQ(index.BucketOf(-1), -1);
    EXPECT_EQ(index.BucketOf(kMicrosPerDay), 1);
  }
  DedupIndex hours(**store, DedupLimits{.bucket_us = 3600 * kMicrosPerSecond});
  EXPECT_EQ(hours.bucket_us(), 3600 * kMicrosPerSecond);
  EXPECT_EQ(hours.BucketOf(kMicrosPerDay + 1), 24);
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
