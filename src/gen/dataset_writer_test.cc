#include "gen/dataset_writer.h"

#include <gtest/gtest.h>
#include <libdeflate.h>
#include <re2/re2.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/timestamp.h"
#include "crypto/digest.h"
#include "io/file.h"

namespace trailbook::gen {
namespace {

namespace fs = std::filesystem;

// A fresh directory path under the test temp dir, removed on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& name) : path_(testing::TempDir() + "gen_" + name) {
    fs::remove_all(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string Gunzip(const std::string& bytes) {
  EXPECT_GE(bytes.size(), 18u);
  if (bytes.size() < 18) return "";
  const size_t size = static_cast<uint8_t>(bytes[bytes.size() - 4]) |
                      static_cast<size_t>(static_cast<uint8_t>(bytes[bytes.size() - 3])) << 8 |
                      static_cast<size_t>(static_cast<uint8_t>(bytes[bytes.size() - 2])) << 16 |
                      static_cast<size_t>(static_cast<uint8_t>(bytes[bytes.size() - 1])) << 24;
  std::string out(size, '\0');
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  size_t actual = 0;
  const auto result = libdeflate_gzip_decompress(d, bytes.data(), bytes.size(), out.data(),
                                                 out.size(), &actual);
  libdeflate_free_decompressor(d);
  EXPECT_EQ(result, LIBDEFLATE_SUCCESS);
  out.resize(actual);
  return out;
}

// Relative path -> file bytes, for every file under `root`.
std::map<std::string, std::string> ReadTree(const std::string& root) {
  std::map<std::string, std::string> files;
  auto list = io::ListFilesRecursive(root);
  EXPECT_TRUE(list.ok());
  for (const std::string& path : *list) {
    auto bytes = io::ReadFile(path);
    EXPECT_TRUE(bytes.ok());
    files[path.substr(root.size() + 1)] = std::move(*bytes);
  }
  return files;
}

GeneratorOptions Options(uint64_t events, uint64_t seed, uint32_t days) {
  GeneratorOptions o;
  o.events = events;
  o.seed = seed;
  o.days = days;
  return o;
}

struct LogRecord {
  std::string file;
  std::string event_id;
  std::string json;
  int64_t time_micros;
  size_t index;  // position in its file
};

TEST(DatasetWriterTest, WritesTheS3DeliveryLayout) {
  TempDir dir("s3_layout");
  GeneratorOptions o = Options(6000, 3, 3);
  auto summary = WriteDataset(o, dir.path());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const auto tree = ReadTree(dir.path());
  static const RE2 kLog(
      R"re(AWSLogs/(\d{12})/CloudTrail/([a-z]{2}-[a-z]+-\d)/(\d{4})/(\d{2})/(\d{2})/(\d{12})_CloudTrail_([a-z]{2}-[a-z]+-\d)_(\d{4})(\d{2})(\d{2})T(\d{4})Z_[A-Za-z0-9]{16}\.json\.gz)re");
  static const RE2 kDigest(
      R"re(AWSLogs/(\d{12})/CloudTrail-Digest/([a-z]{2}-[a-z]+-\d)/\d{4}/\d{2}/\d{2}/(\d{12})_CloudTrail-Digest_([a-z]{2}-[a-z]+-\d)_[a-z-]+_([a-z]{2}-[a-z]+-\d)_\d{8}T\d{6}Z\.json\.gz)re");
  uint64_t log_files = 0, digest_files = 0, records = 0, json_bytes = 0, disk_bytes = 0;
  std::set<std::string> event_ids;
  simdjson::dom::parser parser;
  for (const auto& [path, bytes] : tree) {
    std::string d_account, d_region, d_account2, d_region2, d_region3;
    if (RE2::FullMatch(path, kDigest, &d_account, &d_region, &d_account2, &d_region2, &d_region3)) {
      ++digest_files;
      EXPECT_EQ(d_account, d_account2);
      EXPECT_EQ(d_region, d_region2);
      EXPECT_EQ(d_region, d_region3);
      continue;
    }
    std::string account, region, year, month, day, name_account, name_region, name_year,
        name_month, name_day, name_time;
    ASSERT_TRUE(RE2::FullMatch(path, kLog, &account, &region, &year, &month, &day, &name_account,
                               &name_region, &name_year, &name_month, &name_day, &name_time))
        << path;
    ++log_files;
    disk_bytes += bytes.size();
    EXPECT_EQ(account, name_account) << path;              // account directory and file name
    EXPECT_EQ(region, name_region) << path;                // region directory and file name
    EXPECT_EQ(year + month + day, name_year + name_month + name_day) << path;  // date dirs
    EXPECT_EQ(std::stoi(name_time) % 5, 0) << path;        // delivered on 5-minute marks
    const std::string text = Gunzip(bytes);
    json_bytes += text.size();
    ASSERT_TRUE(text.starts_with("{\"Records\":[")) << path;
    ASSERT_TRUE(text.ends_with("]}\n")) << path;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(text).get(doc), simdjson::SUCCESS) << path;
    simdjson::dom::array array;
    ASSERT_EQ(doc["Records"].get(array), simdjson::SUCCESS);
    ASSERT_GT(array.size(), 0u) << "empty file " << path;
    for (simdjson::dom::element r : array) {
      ++records;
      std::string_view record_account, record_region, id;
      ASSERT_EQ(r["recipientAccountId"].get(record_account), simdjson::SUCCESS);
      ASSERT_EQ(r["awsRegion"].get(record_region), simdjson::SUCCESS);
      ASSERT_EQ(r["eventID"].get(id), simdjson::SUCCESS);
      EXPECT_EQ(record_account, account);
      EXPECT_EQ(record_region, region);
      event_ids.insert(std::string(id));
    }
  }
  EXPECT_EQ(log_files, summary->files);
  EXPECT_EQ(digest_files, summary->digest_files);
  EXPECT_GT(digest_files, 0u);
  EXPECT_EQ(records, summary->records);
  EXPECT_EQ(records, 6000u);
  EXPECT_EQ(event_ids.size(), 6000u);
  EXPECT_EQ(summary->distinct_events, 6000u);
  EXPECT_EQ(summary->duplicates, 0u);
  EXPECT_EQ(json_bytes, summary->json_bytes);
  EXPECT_EQ(disk_bytes, summary->gzip_bytes);
  EXPECT_GT(summary->error_events, 0u);
  EXPECT_GE(summary->first_event_micros, o.end_micros - 3 * kMicrosPerDay);
  EXPECT_LT(summary->last_event_micros, o.end_micros);
  for (const auto& [name, count] : summary->scenarios) {
    if (name == "deploy" || name == "console_session" || name == "batch_job" ||
        name == "scanner_sweep") {
      continue;
    }
    EXPECT_GE(count, 1u) << name;
  }
}

TEST(DatasetWriterTest, DigestsListTheLogFilesAndChain) {
  TempDir dir("digests");
  auto summary = WriteDataset(Options(3000, 5, 2), dir.path());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const auto tree = ReadTree(dir.path());
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> chains;  // stream -> (path, json)
  for (const auto& [path, bytes] : tree) {
    if (path.find("/CloudTrail-Digest/") == std::string::npos) continue;
    const std::string stream = path.substr(0, path.find("/20"));
    chains[stream].emplace_back(path, Gunzip(bytes));
  }
  ASSERT_FALSE(chains.empty());
  simdjson::dom::parser parser;
  size_t listed = 0;
  for (auto& [stream, digests] : chains) {
    std::sort(digests.begin(), digests.end());  // names end in the digest time
    EXPECT_EQ(digests.size(), 48u) << stream;  // one per hour
    for (size_t i = 0; i < digests.size(); ++i) {
      const auto& [path, json] = digests[i];
      simdjson::dom::element d;
      ASSERT_EQ(parser.parse(json).get(d), simdjson::SUCCESS) << path;
      std::string_view object, start, end, algorithm;
      ASSERT_EQ(d["digestS3Object"].get(object), simdjson::SUCCESS);
      EXPECT_EQ(object, path);
      ASSERT_EQ(d["digestStartTime"].get(start), simdjson::SUCCESS);
      ASSERT_EQ(d["digestEndTime"].get(end), simdjson::SUCCESS);
      EXPECT_EQ(*ParseTimestamp(end) - *ParseTimestamp(start), 3600 * kMicrosPerSecond);
      ASSERT_EQ(d["digestSignatureAlgorithm"].get(algorithm), simdjson::SUCCESS);
      EXPECT_EQ(algorithm, "SHA256withRSA");
      EXPECT_FALSE(d["Records"].error() == simdjson::SUCCESS);
      if (i == 0) {
        EXPECT_TRUE(d["previousDigestHashValue"].is_null());
      } else {
        std::string_view previous_hash, previous_object;
        ASSERT_EQ(d["previousDigestHashValue"].get(previous_hash), simdjson::SUCCESS);
        ASSERT_EQ(d["previousDigestS3Object"].get(previous_object), simdjson::SUCCESS);
        EXPECT_EQ(previous_object, digests[i - 1].first);
        EXPECT_EQ(previous_hash, crypto::ToHex(crypto::Sha256(digests[i - 1].second)));
      }
      simdjson::dom::array files;
      ASSERT_EQ(d["logFiles"].get(files), simdjson::SUCCESS);
      for (simdjson::dom::element f : files) {
        std::string_view log, hash;
        ASSERT_EQ(f["s3Object"].get(log), simdjson::SUCCESS);
        ASSERT_EQ(f["hashValue"].get(hash), simdjson::SUCCESS);
        auto it = tree.find(std::string(log));
        ASSERT_NE(it, tree.end()) << "digest lists a missing file " << log;
        EXPECT_EQ(hash, crypto::ToHex(crypto::Sha256(Gunzip(it->second))));
        ++listed;
      }
    }
  }
  EXPECT_GT(listed, 0u);
}

std::map<std::string, std::string> Written(const GeneratorOptions& o, const std::string& name) {
  TempDir dir(name);
  auto summary = WriteDataset(o, dir.path());
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  return ReadTree(dir.path());
}

TEST(DatasetWriterTest, OutputIsIdenticalForTheSameSeedWhateverTheThreads) {
  GeneratorOptions one = Options(5000, 21, 2);
  one.duplicate_rate = 0.05;
  GeneratorOptions three = one;
  three.threads = 3;
  const auto a = Written(one, "threads1");
  const auto b = Written(three, "threads3");
  const auto c = Written(one, "threads1_again");
  EXPECT_GT(a.size(), 100u);
  EXPECT_TRUE(a == b) << "thread count changed the output";
  EXPECT_TRUE(a == c);
  GeneratorOptions other = one;
  other.seed = 22;
  const auto d = Written(other, "seed22");
  EXPECT_FALSE(a == d);
}

TEST(DatasetWriterTest, DuplicatesAreIdenticalAndLaterInTheSameStream) {
  TempDir dir("duplicates");
  GeneratorOptions o = Options(8000, 4, 2);
  o.duplicate_rate = 0.1;
  auto summary = WriteDataset(o, dir.path());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->distinct_events, 8000u);
  EXPECT_EQ(summary->records, summary->distinct_events + summary->duplicates);
  EXPECT_GT(summary->duplicates, 600u);
  EXPECT_LE(summary->duplicates, 800u);
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> by_id;  // id -> (file, json)
  simdjson::dom::parser parser;
  for (const auto& [path, bytes] : ReadTree(dir.path())) {
    if (path.find("/CloudTrail/") == std::string::npos) continue;
    const std::string text = Gunzip(bytes);
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(text).get(doc), simdjson::SUCCESS);
    for (simdjson::dom::element r : doc["Records"].get_array()) {
      std::string_view id;
      ASSERT_EQ(r["eventID"].get(id), simdjson::SUCCESS);
      by_id[std::string(id)].emplace_back(path, simdjson::minify(r));
    }
  }
  EXPECT_EQ(by_id.size(), 8000u);
  size_t twice = 0;
  for (const auto& [id, copies] : by_id) {
    ASSERT_LE(copies.size(), 2u) << id;
    if (copies.size() < 2) continue;
    ++twice;
    EXPECT_EQ(copies[0].second, copies[1].second) << id;
    EXPECT_NE(copies[0].first, copies[1].first) << "re-delivered in the same file: " << id;
    // Same stream (account and region directories).
    const auto stream = [](const std::string& p) { return p.substr(0, p.find("/20")); };
    EXPECT_EQ(stream(copies[0].first), stream(copies[1].first));
  }
  EXPECT_EQ(twice, summary->duplicates);
}

TEST(DatasetWriterTest, FilesAreRoughlyOrderedAndOverlapSlightly) {
  TempDir dir("ordering");
  auto summary = WriteDataset(Options(20'000, 8, 1), dir.path());
  ASSERT_TRUE(summary.ok());
  simdjson::dom::parser parser;
  struct Span {
    int64_t first, last;
  };
  std::map<std::string, std::vector<Span>> streams;
  bool inversion = false;
  for (const auto& [path, bytes] : ReadTree(dir.path())) {
    if (path.find("/CloudTrail/") == std::string::npos) continue;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(Gunzip(bytes)).get(doc), simdjson::SUCCESS);
    int64_t previous = 0, first = INT64_MAX, last = 0;
    for (simdjson::dom::element r : doc["Records"].get_array()) {
      std::string_view time;
      ASSERT_EQ(r["eventTime"].get(time), simdjson::SUCCESS);
      const int64_t t = *ParseTimestamp(time);
      if (t < previous) {
        inversion = true;
        EXPECT_LE(previous - t, 30 * kMicrosPerSecond) << path;
      }
      previous = std::max(previous, t);
      first = std::min(first, t);
      last = std::max(last, t);
    }
    streams[path.substr(0, path.find("/20"))].push_back({first, last});
  }
  EXPECT_TRUE(inversion) << "records inside files are never out of order";
  bool overlap = false;
  for (auto& [stream, spans] : streams) {
    for (size_t i = 1; i < spans.size(); ++i) overlap |= spans[i].first < spans[i - 1].last;
  }
  EXPECT_TRUE(overlap) << "consecutive files of a stream never overlap in time";
}

TEST(DatasetWriterTest, WritesNdjson) {
  TempDir dir("ndjson");
  GeneratorOptions o = Options(4000, 6, 2);
  o.format = OutputFormat::kNdjson;
  o.duplicate_rate = 0.02;
  auto summary = WriteDataset(o, dir.path());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->digest_files, 0u);
  static const RE2 kName(R"(events-\d{5}\.ndjson)");
  uint64_t lines = 0;
  simdjson::dom::parser parser;
  std::set<std::string> ids;
  for (const auto& [path, text] : ReadTree(dir.path())) {
    EXPECT_TRUE(RE2::FullMatch(path, kName)) << path;
    ASSERT_TRUE(text.ends_with("\n"));
    size_t start = 0;
    while (start < text.size()) {
      const size_t end = text.find('\n', start);
      simdjson::dom::element r;
      ASSERT_EQ(parser.parse(text.substr(start, end - start)).get(r), simdjson::SUCCESS);
      std::string_view id;
      ASSERT_EQ(r["eventID"].get(id), simdjson::SUCCESS);
      ids.insert(std::string(id));
      ++lines;
      start = end + 1;
    }
  }
  EXPECT_EQ(lines, summary->records);
  EXPECT_EQ(ids.size(), 4000u);
  EXPECT_EQ(summary->files, ReadTree(dir.path()).size());
}

TEST(DatasetWriterTest, RejectsBadOptionsAndUnusableDirectories) {
  TempDir dir("errors");
  GeneratorOptions bad = Options(0, 1, 1);
  auto r = WriteDataset(bad, dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir.path())) << "bad options must not create the directory";

  ASSERT_TRUE(io::CreateDirectories(dir.path()).ok());
  ASSERT_TRUE(io::WriteFileAtomic(dir.path() + "/keep.txt", "x").ok());
  r = WriteDataset(Options(100, 1, 1), dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(r.status().message().find(dir.path()), std::string::npos);

  r = WriteDataset(Options(100, 1, 1), dir.path() + "/keep.txt/sub");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIOError);
  EXPECT_NE(r.status().message().find("keep.txt"), std::string::npos);

  r = WriteDataset(Options(100, 1, 1), dir.path() + "/keep.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find("keep.txt") != std::string::npos, true);

  r = WriteDataset(Options(100, 1, 1), "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST(DatasetWriterTest, AcceptsAnExistingEmptyDirectory) {
  TempDir dir("empty_ok");
  ASSERT_TRUE(io::CreateDirectories(dir.path()).ok());
  auto r = WriteDataset(Options(200, 1, 1), dir.path());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->records, 200u);
}

}  // namespace
}  // namespace trailbook::gen
