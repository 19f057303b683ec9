#include "ingest/file_reader.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "crypto/digest.h"
#include "ingest/gzip_testing.h"
#include "io/file.h"

namespace trailbook::ingest {
namespace {

using ::testing::HasSubstr;

struct RecordError {
  uint64_t index;
  uint64_t line;
  std::string message;
};

// Collects what a reader delivers and checks the RecordRef contract on every record.
class CollectingSink : public RecordSink {
 public:
  Status OnRecord(const RecordRef& r) override {
    EXPECT_FALSE(r.json.empty());
    if (!r.json.empty()) {
      EXPECT_EQ(r.json.front(), '{') << r.json;
      EXPECT_EQ(r.json.back(), '}') << r.json;
    }
    // The padding must be readable (ASan checks this) and the text must parse in place.
    volatile char sink = 0;
    for (size_t i = 0; i < kPadding; ++i)
      sink = static_cast<char>(sink ^ r.json.data()[r.json.size() + i]);
    simdjson::ondemand::document doc;
    EXPECT_EQ(parser_
                  .iterate(simdjson::padded_string_view(r.json.data(), r.json.size(),
                                                        r.json.size() + kPadding))
                  .get(doc),
              simdjson::SUCCESS);
    if (!indices.empty()) {
      EXPECT_GT(r.index, last_index_);
    }
    last_index_ = r.index;
    records.emplace_back(r.json);
    indices.push_back(r.index);
    lines.push_back(r.line);
    if (stop_after_ != 0 && records.size() == stop_after_) return Cancelled("sink stops here");
    return Status::OK();
  }
  void OnRecordError(uint64_t index, uint64_t line, std::string_view message) override {
    errors.push_back({index, line, std::string(message)});
  }
  void StopAfter(size_t n) { stop_after_ = n; }

  std::vector<std::string> records;
  std::vector<uint64_t> indices;
  std::vector<uint64_t> lines;
  std::vector<RecordError> errors;

 private:
  simdjson::ondemand::parser parser_;
  uint64_t last_index_ = 0;
  size_t stop_after_ = 0;
};

std::string TempDir() {
  char tmpl[] = "/tmp/tb_ingest_test_XXXXXX";
  char* d = ::mkdtemp(tmpl);
  EXPECT_NE(d, nullptr);
  return d;
}

std::string Event(int i, std::string_view extra = "") {
  return "{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-01-01T00:00:0" + std::to_string(i % 10) +
         "Z\",\"eventName\":\"Get" + std::to_string(i) + "\",\"eventID\":\"id-" +
         std::to_string(i) + "\"" + std::string(extra) + "}";
}

std::string RecordsFile(int n) {
  std::string s = "{\"Records\":[";
  for (int i = 0; i < n; ++i) {
    if (i > 0) s += ",";
    s += Event(i);
  }
  return s + "]}";
}

// Escapes `s` as the contents of a JSON string.
std::string JsonEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Both reading paths: whole buffer, and streaming with tiny windows (every chunk boundary case).
enum class Mode { kWholeBuffer, kStreaming };

ReaderLimits LimitsFor(Mode mode) {
  ReaderLimits limits;
  if (mode == Mode::kStreaming) {
    limits.whole_buffer_bytes = 16;
    limits.chunk_bytes = 7;
  }
  return limits;
}

class FileReaderTest : public ::testing::TestWithParam<Mode> {
 protected:
  FileReaderTest() : reader_(LimitsFor(GetParam())) {}

  Status Read(std::string_view bytes, std::string_view name = "input.json") {
    sink_ = CollectingSink();
    return reader_.ReadBytes(name, bytes, sink_, &info_);
  }

  FileReader reader_;
  CollectingSink sink_;
  FileInfo info_;
};

INSTANTIATE_TEST_SUITE_P(Modes, FileReaderTest,
                         ::testing::Values(Mode::kWholeBuffer, Mode::kStreaming),
                         [](const auto& param_info) {
                           return param_info.param == Mode::kWholeBuffer ? "WholeBuffer"
                                                                         : "Streaming";
                         });

// --- Real datasets (tests/data/datasets/*/SOURCE.md states the counts) ---

struct DatasetTotals {
  uint64_t files = 0;
  uint64_t records = 0;
  uint64_t record_errors = 0;
  uint64_t skipped = 0;
  std::vector<FileInfo> infos;
};

DatasetTotals ReadAll(const std::string& path, const ReaderLimits& limits) {
  DatasetTotals t;
  Result<std::vector<InputFile>> inputs = DiscoverInputs(std::vector<std::string>{path});
  EXPECT_TRUE(inputs.ok()) << inputs.status().ToString();
  if (!inputs.ok()) return t;
  FileReader reader(limits);
  for (const InputFile& in : *inputs) {
    CollectingSink sink;
    FileInfo info;
    Status s = reader.Read(in, sink, &info);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!info.skip_reason.empty()) {
      ++t.skipped;
      continue;
    }
    ++t.files;
    t.records += info.records;
    t.record_errors += info.record_errors;
    EXPECT_EQ(sink.records.size(), info.records);
    t.infos.push_back(info);
  }
  return t;
}

TEST_P(FileReaderTest, Flaws2DatasetHas37RecordsIn8Files) {
  DatasetTotals t = ReadAll("tests/data/datasets/flaws2-defender", LimitsFor(GetParam()));
  EXPECT_EQ(t.files, 8u);
  EXPECT_EQ(t.records, 37u);
  EXPECT_EQ(t.record_errors, 0u);
  EXPECT_EQ(t.skipped, 1u);  // SOURCE.md.
  ASSERT_EQ(t.infos.size(), 8u);
  for (const FileInfo& info : t.infos) {
    EXPECT_EQ(info.format, ContainerFormat::kRecords);
    EXPECT_TRUE(info.gzip);
    EXPECT_GT(info.json_bytes, info.compressed_bytes);
  }
  // Sorted by path: the first is ..._20181128T2235Z_cR9ra7OH1rytWyXY.json.gz (SOURCE.md hash).
  EXPECT_EQ(t.infos[0].sha256_hex,
            "f6b9d63d4d6e27c9cd3755c3cb813ca7cb23ff329ebad143f2a796da513ffbce");
}

TEST_P(FileReaderTest, OtrfDatasetHas103NdjsonRecords) {
  DatasetTotals t = ReadAll("tests/data/datasets/otrf-ec2-proxy-s3-exfil", LimitsFor(GetParam()));
  EXPECT_EQ(t.files, 1u);
  EXPECT_EQ(t.records, 103u);
  EXPECT_EQ(t.record_errors, 0u);
  ASSERT_EQ(t.infos.size(), 1u);
  EXPECT_EQ(t.infos[0].format, ContainerFormat::kNdjson);
  EXPECT_EQ(t.infos[0].sha256_hex,
            "9cfc6675f59b666cee6e6f0bcb72b1034ea4bbcdaf19c0f02b3092317128289b");
}

TEST_P(FileReaderTest, PlasoDatasetHas6LookupEvents) {
  FileReader reader(LimitsFor(GetParam()));
  InputFile in;
  in.path = "tests/data/datasets/plaso-lookup-events/aws_cloudtrail.jsonl";
  CollectingSink sink;
  FileInfo info;
  ASSERT_TRUE(reader.Read(in, sink, &info).ok());
  EXPECT_EQ(info.format, ContainerFormat::kLookupEvents);
  ASSERT_EQ(sink.records.size(), 6u);
  EXPECT_EQ(info.record_errors, 0u);
  // The inner event, unescaped, is delivered.
  for (const std::string& r : sink.records) {
    EXPECT_TRUE(r.starts_with("{\"eventVersion\":\"1.08\"")) << r.substr(0, 80);
  }
  EXPECT_EQ(sink.lines, (std::vector<uint64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(info.sha256_hex, "3ff219b4c3ac819891506665de40373373c1edb41cf827c8e5409c22f805e217");
}

TEST_P(FileReaderTest, AllDatasetsTogether) {
  DatasetTotals t = ReadAll("tests/data/datasets", LimitsFor(GetParam()));
  EXPECT_EQ(t.files, 10u);
  EXPECT_EQ(t.records, 37u + 103u + 6u);
  EXPECT_EQ(t.record_errors, 0u);
  EXPECT_EQ(t.skipped, 3u);  // The three SOURCE.md files.
}

// --- Containers ---

TEST_P(FileReaderTest, RecordsFile) {
  ASSERT_TRUE(Read(RecordsFile(5)).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kRecords);
  ASSERT_EQ(sink_.records.size(), 5u);
  EXPECT_EQ(sink_.records[3], Event(3));
  EXPECT_EQ(sink_.indices, (std::vector<uint64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(info_.records, 5u);
  EXPECT_FALSE(info_.gzip);
  EXPECT_EQ(info_.sha256_hex, crypto::ToHex(crypto::Sha256(RecordsFile(5))));
}

TEST_P(FileReaderTest, EmptyRecordsArrayIsValid) {
  ASSERT_TRUE(Read("{\"Records\":[]}").ok());
  EXPECT_EQ(info_.format, ContainerFormat::kRecords);
  EXPECT_EQ(info_.records, 0u);
  EXPECT_TRUE(sink_.errors.empty());
}

TEST_P(FileReaderTest, PrettyPrintedRecordsFile) {
  std::string text = "{\n  \"Records\": [\n    " + Event(1) + ",\n    " + Event(2) + "\n  ]\n}\n";
  ASSERT_TRUE(Read(text).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kRecords);
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(1), Event(2)}));
}

TEST_P(FileReaderTest, GzippedRecordsFile) {
  std::string gz = GzipForTesting(RecordsFile(20));
  ASSERT_TRUE(Read(gz, "x.json.gz").ok());
  EXPECT_TRUE(info_.gzip);
  EXPECT_EQ(info_.compressed_bytes, gz.size());
  EXPECT_EQ(info_.json_bytes, RecordsFile(20).size());
  EXPECT_EQ(sink_.records.size(), 20u);
  EXPECT_EQ(info_.sha256_hex, crypto::ToHex(crypto::Sha256(gz)));
}

TEST_P(FileReaderTest, MultiMemberGzip) {
  std::string text = Event(1) + "\n" + Event(2) + "\n" + Event(3) + "\n";
  std::string gz = GzipForTesting(text.substr(0, 10)) + GzipForTesting(text.substr(10, 50)) +
                   GzipForTesting("") + GzipForTesting(text.substr(60));
  ASSERT_TRUE(Read(gz).ok());
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(1), Event(2), Event(3)}));
}

TEST_P(FileReaderTest, GzipWithTrailingZeroPadding) {
  std::string gz = GzipForTesting(RecordsFile(2)) + std::string(100, '\0');
  ASSERT_TRUE(Read(gz).ok());
  EXPECT_EQ(sink_.records.size(), 2u);
}

TEST_P(FileReaderTest, JsonArrayOfEvents) {
  std::string text = "[\n " + Event(1) + " ,\n" + Event(2) + "\n]";
  ASSERT_TRUE(Read(text).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kJsonArray);
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(1), Event(2)}));
  EXPECT_EQ(sink_.lines, (std::vector<uint64_t>{0, 0}));
}

TEST_P(FileReaderTest, EmptyJsonArray) {
  ASSERT_TRUE(Read("[ ]").ok());
  EXPECT_EQ(info_.format, ContainerFormat::kJsonArray);
  EXPECT_EQ(info_.records, 0u);
}

TEST_P(FileReaderTest, JsonArrayOfLookupEvents) {
  std::string text = "[{\"EventId\":\"a\",\"CloudTrailEvent\":\"" + JsonEscape(Event(1)) +
                     "\"},{\"EventId\":\"b\",\"CloudTrailEvent\":\"" + JsonEscape(Event(2)) +
                     "\"}]";
  ASSERT_TRUE(Read(text).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kLookupEvents);
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(1), Event(2)}));
}

TEST_P(FileReaderTest, SingleEventObject) {
  std::string text = "{\n  \"eventVersion\": \"1.08\",\n  \"eventName\": \"GetObject\"\n}\n";
  ASSERT_TRUE(Read(text).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kSingleEvent);
  ASSERT_EQ(sink_.records.size(), 1u);
  EXPECT_EQ(sink_.records[0], text.substr(0, text.size() - 1));
}

TEST_P(FileReaderTest, LookupEventsCliOutput) {
  // `aws cloudtrail lookup-events` output: pretty-printed, event as an escaped string.
  std::string text =
      "{\n    \"Events\": [\n        {\n            \"EventId\": \"1\",\n"
      "            \"ReadOnly\": \"true\",\n            \"CloudTrailEvent\": \"" +
      JsonEscape(Event(1)) +
      "\"\n        },\n        {\n            \"EventId\": "
      "\"2\",\n            \"CloudTrailEvent\": \"" +
      JsonEscape(Event(2)) + "\"\n        }\n    ],\n    \"NextToken\": \"abc\"\n}\n";
  ASSERT_TRUE(Read(text).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kLookupEvents);
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(1), Event(2)}));
}

TEST_P(FileReaderTest, LookupEventsWithDecodedObjectIsAccepted) {
  std::string text = "{\"EventId\":\"1\",\"CloudTrailEvent\":" + Event(1) + "}\n" +
                     "{\"EventId\":\"2\",\"CloudTrailEvent\":\"" + JsonEscape(Event(2)) + "\"}\n";
  ASSERT_TRUE(Read(text).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kLookupEvents);
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(1), Event(2)}));
}

TEST_P(FileReaderTest, LakeGetQueryResults) {
  std::string text =
      "{\"QueryStatus\":\"FINISHED\",\"QueryStatistics\":{\"ResultsCount\":2},"
      "\"QueryResultRows\":[[{\"eventJson\":\"" +
      JsonEscape(Event(1)) + "\"}],[{\"eventJson\":\"" + JsonEscape(Event(2)) +
      "\"},{\"eventTime\":\"x\"}]]}";
  ASSERT_TRUE(Read(text).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kLakeQueryResults);
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(1), Event(2)}));
}

TEST_P(FileReaderTest, LakeGetQueryResultsWithoutEventJsonIsRejected) {
  Status s =
      Read("{\"QueryResultRows\":[[{\"eventName\":\"x\"},{\"eventTime\":\"y\"}]]}", "results.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("results.json: "));
  EXPECT_THAT(s.message(),
              HasSubstr("without an eventJson column (columns: eventName, eventTime)"));
  EXPECT_THAT(s.message(), HasSubstr("SELECT eventJson"));
}

std::string CsvQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

TEST_P(FileReaderTest, LakeCsv) {
  std::string multiline = "{\n\"eventVersion\":\"1.09\",\n\"eventName\":\"Multi\"\n}";
  std::string text =
      "eventTime,eventJson,eventName\r\n"
      "2024-01-01," +
      CsvQuote(Event(1)) +
      ",Get1\r\n"
      "2024-01-02," +
      CsvQuote(multiline) +
      ",\"a,b\"\r\n"
      "\r\n"
      "2024-01-03," +
      CsvQuote(Event(3)) + ",Get3";
  ASSERT_TRUE(Read(text, "result_1.csv").ok());
  EXPECT_EQ(info_.format, ContainerFormat::kLakeCsv);
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(1), multiline, Event(3)}));
  EXPECT_EQ(sink_.lines, (std::vector<uint64_t>{2, 3, 8}));
  EXPECT_EQ(sink_.indices, (std::vector<uint64_t>{0, 1, 2}));
}

TEST_P(FileReaderTest, GzippedLakeCsvWithSingleColumn) {
  std::string text = "eventJson\n" + CsvQuote(Event(1)) + "\n" + CsvQuote(Event(2)) + "\n";
  ASSERT_TRUE(Read(GzipForTesting(text), "result_1.csv.gz").ok());
  EXPECT_EQ(info_.format, ContainerFormat::kLakeCsv);
  EXPECT_EQ(sink_.records.size(), 2u);
}

TEST_P(FileReaderTest, LakeCsvRowWithoutEventJsonIsARecordError) {
  std::string text = "eventName,eventJson\nGet1," + CsvQuote(Event(1)) + "\nGet2\nGet3,\n";
  ASSERT_TRUE(Read(text).ok());
  EXPECT_EQ(sink_.records.size(), 1u);
  ASSERT_EQ(sink_.errors.size(), 2u);
  EXPECT_EQ(sink_.errors[0].index, 1u);
  EXPECT_EQ(sink_.errors[0].line, 3u);
  EXPECT_THAT(sink_.errors[0].message, HasSubstr("CSV row has 1 fields but eventJson is column 2"));
  EXPECT_EQ(sink_.errors[1].index, 2u);
  EXPECT_THAT(sink_.errors[1].message, HasSubstr("eventJson is empty"));
}

TEST_P(FileReaderTest, ConcatenatedRecordsFilesOnePerLine) {
  // What `zcat */*.json.gz > all.json` makes.
  std::string text = RecordsFile(2) + "\n" + RecordsFile(3) + "\n";
  ASSERT_TRUE(Read(text).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kNdjson);
  EXPECT_EQ(sink_.records.size(), 5u);
  EXPECT_EQ(sink_.lines, (std::vector<uint64_t>{1, 1, 2, 2, 2}));
  EXPECT_EQ(sink_.indices, (std::vector<uint64_t>{0, 1, 2, 3, 4}));
}

TEST_P(FileReaderTest, NdjsonWithBlankLinesAndByteOrderMark) {
  std::string text = "\xef\xbb\xbf" + Event(1) + "\n\n   \n" + Event(2) + "\n";
  ASSERT_TRUE(Read(text).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kNdjson);
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(1), Event(2)}));
  EXPECT_EQ(sink_.lines, (std::vector<uint64_t>{1, 4}));
  EXPECT_EQ(sink_.indices, (std::vector<uint64_t>{0, 1}));
}

TEST_P(FileReaderTest, CrlfNdjson) {
  std::string text = Event(1) + "\r\n" + Event(2) + "\r\n" + Event(3);
  ASSERT_TRUE(Read(text).ok());
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(1), Event(2), Event(3)}));
  EXPECT_TRUE(sink_.errors.empty());
}

TEST_P(FileReaderTest, GzippedNdjson) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += Event(i) + "\n";
  ASSERT_TRUE(Read(GzipForTesting(text)).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kNdjson);
  EXPECT_EQ(sink_.records.size(), 50u);
  EXPECT_EQ(sink_.lines.back(), 50u);
}

TEST_P(FileReaderTest, DigestRecognisedByContentIsSkipped) {
  std::string digest =
      "{\"awsAccountId\":\"111122223333\",\"digestStartTime\":\"2015-08-17T14:01:31Z\","
      "\"digestEndTime\":\"2015-08-17T15:01:31Z\",\"logFiles\":[{\"s3Object\":\"x\","
      "\"hashValue\":\"ab\"}]}";
  ASSERT_TRUE(Read(GzipForTesting(digest), "renamed.json.gz").ok());
  EXPECT_EQ(info_.format, ContainerFormat::kDigest);
  EXPECT_THAT(info_.skip_reason, HasSubstr("digest"));
  EXPECT_EQ(info_.records, 0u);
  EXPECT_TRUE(sink_.errors.empty());
}

TEST_P(FileReaderTest, EventWithDigestLikeMemberIsAnEvent) {
  std::string event = Event(1, ",\"logFiles\":[]");
  ASSERT_TRUE(Read(event).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kSingleEvent);
  EXPECT_EQ(sink_.records, (std::vector<std::string>{event}));
  EXPECT_TRUE(info_.skip_reason.empty());
}

TEST_P(FileReaderTest, LakeSignFileRecognisedByContentIsSkipped) {
  std::string sign =
      "{\"version\":\"1.0\",\"region\":\"us-east-1\",\"files\":[{\"fileHashValue\":"
      "\"de85\",\"fileName\":\"result_1.csv.gz\"}],\"hashAlgorithm\":\"SHA-256\","
      "\"queryCompleteTime\":\"2022-05-10T22:06:30Z\",\"hashSignature\":\"7664\"}";
  ASSERT_TRUE(Read(sign).ok());
  EXPECT_EQ(info_.format, ContainerFormat::kLakeSignFile);
  EXPECT_FALSE(info_.skip_reason.empty());
  EXPECT_EQ(info_.records, 0u);
}

// --- Bad input: file-level errors ---

TEST_P(FileReaderTest, TruncatedGzipIsRejected) {
  std::string gz = GzipForTesting(RecordsFile(50));
  Status s = Read(std::string_view(gz).substr(0, gz.size() / 2), "cut.json.gz");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("cut.json.gz: truncated gzip data"));
  EXPECT_THAT(s.message(), HasSubstr("member 1"));
}

TEST_P(FileReaderTest, GzipHeaderOnlyIsTruncated) {
  Status s = Read(std::string_view("\x1f\x8b\x08\x00", 4), "tiny.gz");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("tiny.gz: truncated gzip data"));
}

TEST_P(FileReaderTest, CorruptGzipIsRejected) {
  std::string gz = GzipForTesting(RecordsFile(50));
  for (size_t i = 20; i < 40; ++i) gz[i] = static_cast<char>(gz[i] ^ 0x5a);
  Status s = Read(gz, "bad.json.gz");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("bad.json.gz: corrupt gzip data in member 1"));
}

TEST_P(FileReaderTest, CorruptGzipChecksumIsRejected) {
  std::string gz = GzipForTesting(RecordsFile(5));
  gz[gz.size() - 6] = static_cast<char>(gz[gz.size() - 6] ^ 1);  // CRC32 in the trailer.
  Status s = Read(gz, "crc.json.gz");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("crc.json.gz: corrupt gzip data"));
}

TEST_P(FileReaderTest, GarbageAfterGzipMemberIsRejected) {
  std::string gz = GzipForTesting(RecordsFile(2)) + "garbage";
  Status s = Read(gz, "tail.gz");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              HasSubstr("tail.gz: unexpected data after gzip member 1 at byte offset"));
}

TEST_P(FileReaderTest, GzipOfGarbageIsUnrecognised) {
  Status s = Read(GzipForTesting("this is not json at all\x01\x02"), "junk.gz");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("junk.gz: unrecognised format"));
  EXPECT_THAT(s.message(), HasSubstr("starts with \"this is not json at all\\x01\\x02\""));
}

TEST_P(FileReaderTest, EmptyInputIsRejected) {
  Status s = Read("", "empty.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "empty.json: empty file (0 bytes)");
}

TEST_P(FileReaderTest, EmptyGzipIsRejected) {
  Status s = Read(GzipForTesting(""), "empty.json.gz");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("empty.json.gz: empty"));
}

TEST_P(FileReaderTest, WhitespaceOnlyInputIsRejected) {
  Status s = Read("  \n\t\r\n  ", "blank.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "blank.json: input contains only whitespace (8 bytes)");
}

TEST_P(FileReaderTest, InvalidJsonContainerIsRejectedWithOffset) {
  std::string text = "{\"Records\":[" + Event(1) + ",\n" + Event(2) + " " + Event(3) + "]}";
  Status s = Read(text, "broken.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("broken.json: invalid JSON in Records[2]"));
  EXPECT_THAT(s.message(), HasSubstr("byte offset"));
  EXPECT_THAT(s.message(), HasSubstr("line 2"));
}

TEST_P(FileReaderTest, MismatchedBracketsAreInvalidJson) {
  // Found by the fuzzer: on-demand skipping let "{...{...}...]" through as a record.
  std::string text =
      "{\"Records\":[{\"eventName\":\"a\",\"userIdentity\":{\"type\":\"x\","
      "\"y\":{\"type\":\"z\"},\"n\":null}]}";
  Status s = Read(text, "mismatch.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("mismatch.json: invalid JSON: mismatched brackets"));
  EXPECT_THAT(s.message(), HasSubstr("at byte offset 12, line 1"));
  ASSERT_TRUE(Read(Event(1) + "\n{\"eventName\":{\"a\":1]\n").ok());
  EXPECT_EQ(sink_.records.size(), 1u);
  ASSERT_EQ(sink_.errors.size(), 1u);
  EXPECT_EQ(sink_.errors[0].line, 2u);
}

TEST_P(FileReaderTest, TruncatedJsonDocumentIsRejected) {
  std::string text = RecordsFile(3);
  Status s = Read(std::string_view(text).substr(0, text.size() - 10), "cut.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("cut.json: invalid JSON"));
}

TEST_P(FileReaderTest, TrailingContentAfterDocumentIsRejected) {
  Status s = Read(RecordsFile(1) + " x", "tail.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("tail.json: invalid JSON: the text does not end with the '}' "
                                     "that closes its first value"));
  EXPECT_THAT(s.message(),
              HasSubstr("it ends with \"0\\x22,\\x22eventID\\x22:\\x22id-0\\x22}]} x\""));
  s = Read("[" + Event(0) + "] [", "tail2.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              HasSubstr("tail2.json: invalid JSON: the text does not end with the ']'"));
}

TEST_P(FileReaderTest, RecordsNotAnArrayIsRejected) {
  Status s = Read("{\"Records\":{\"eventName\":\"x\"}}", "obj.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "obj.json: Records is not an array (found an object)");
}

TEST_P(FileReaderTest, UnknownJsonObjectIsRejected) {
  Status s = Read("{\"name\":\"x\",\"version\":2}", "config.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("config.json: unrecognised format: a JSON object without"));
  EXPECT_THAT(s.message(), HasSubstr("(its keys: \"name\", \"version\")"));
}

TEST_P(FileReaderTest, ScalarsAreNotContainers) {
  Status s = Read("[1]  ", "n.json");
  EXPECT_TRUE(s.ok());  // An array: its non-object element is a record error.
  ASSERT_EQ(sink_.errors.size(), 1u);
  s = Read("\"just a string\"", "s.json");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("s.json: unrecognised format"));
}

TEST_P(FileReaderTest, UnknownFormatIsRejected) {
  Status s = Read("hello world, this is text\n", "notes.txt");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("notes.txt: unrecognised format: expected CloudTrail JSON"));
}

TEST_P(FileReaderTest, ZipArchiveIsRejectedWithAdvice) {
  Status s = Read(std::string("PK\x03\x04\x14\x00\x00\x00", 8) + "rest", "logs.zip");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "logs.zip: unrecognised format: a ZIP archive: extract it first");
}

TEST_P(FileReaderTest, DocumentOverTheLimitIsRejected) {
  ReaderLimits limits = LimitsFor(GetParam());
  limits.max_document_bytes = 4096;
  limits.whole_buffer_bytes = std::min<uint64_t>(limits.whole_buffer_bytes, 4096);
  limits.max_line_bytes = 4096;
  limits.max_record_bytes = 1024;
  FileReader reader(limits);
  CollectingSink sink;
  FileInfo info;
  Status s = reader.ReadBytes("big.json", RecordsFile(100), sink, &info);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("big.json: JSON document"));
  EXPECT_THAT(s.message(), HasSubstr("larger than the limit of 4096 bytes"));
  // The same bytes as NDJSON stream through.
  std::string lines;
  for (int i = 0; i < 100; ++i) lines += Event(i) + "\n";
  EXPECT_TRUE(reader.ReadBytes("big.ndjson", lines, sink, &info).ok());
  EXPECT_EQ(info.records, 100u);
}

TEST_P(FileReaderTest, GzipBombIsRejected) {
  ReaderLimits limits = LimitsFor(GetParam());
  limits.gzip_ratio_floor_bytes = 1 << 20;
  FileReader reader(limits);
  // 64 MiB of spaces inside a JSON document compress ~1000x.
  std::string bomb = "{\"Records\":[" + std::string(64 << 20, ' ') + "]}";
  std::string gz = GzipForTesting(bomb, 9);
  ASSERT_LT(gz.size(), bomb.size() / 500);
  CollectingSink sink;
  FileInfo info;
  Status s = reader.ReadBytes("bomb.json.gz", gz, sink, &info);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("bomb.json.gz: gzip data"));
  EXPECT_THAT(s.message(), HasSubstr("gzip bomb"));
}

TEST_P(FileReaderTest, GzipOverTheDecompressedCapIsRejected) {
  ReaderLimits limits = LimitsFor(GetParam());
  limits.max_decompressed_bytes = 1000;
  FileReader reader(limits);
  CollectingSink sink;
  FileInfo info;
  Status s = reader.ReadBytes("big.gz", GzipForTesting(RecordsFile(100)), sink, &info);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("big.gz: gzip data"));
}

// --- Bad input: record-level errors ---

TEST_P(FileReaderTest, NonObjectRecordIsARecordError) {
  std::string text = "{\"Records\":[" + Event(0) + ",42,\"str\",null,[1]," + Event(5) + "]}";
  ASSERT_TRUE(Read(text, "mixed.json").ok());
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(0), Event(5)}));
  EXPECT_EQ(sink_.indices, (std::vector<uint64_t>{0, 5}));
  ASSERT_EQ(sink_.errors.size(), 4u);
  EXPECT_EQ(sink_.errors[0].index, 1u);
  EXPECT_EQ(sink_.errors[0].line, 1u);
  EXPECT_EQ(sink_.errors[0].message, "record is not a JSON object (found a number)");
  EXPECT_EQ(sink_.errors[1].message, "record is not a JSON object (found a string)");
  EXPECT_EQ(sink_.errors[2].message, "record is not a JSON object (found null)");
  EXPECT_EQ(sink_.errors[3].message, "record is not a JSON object (found an array)");
  EXPECT_EQ(info_.record_errors, 4u);
  EXPECT_EQ(info_.records, 2u);
  EXPECT_EQ(FormatRecordError("mixed.json", sink_.errors[0].index, sink_.errors[0].line,
                              sink_.errors[0].message),
            "mixed.json: record 1 (line 1): record is not a JSON object (found a number)");
}

TEST_P(FileReaderTest, BadNdjsonLinesAmongGoodOnes) {
  std::string text = Event(1) + "\n{\"eventName\": \"broken\"\n[1,2]\n" + Event(4) +
                     " trailing\n\"str\"\n{\"foo\":1}\n" + Event(7) + "\n";
  ASSERT_TRUE(Read(text, "app.log.json").ok());
  EXPECT_EQ(info_.format, ContainerFormat::kNdjson);
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(1), Event(7)}));
  EXPECT_EQ(sink_.lines, (std::vector<uint64_t>{1, 7}));
  ASSERT_EQ(sink_.errors.size(), 5u);
  EXPECT_EQ(sink_.errors[0].index, 1u);
  EXPECT_EQ(sink_.errors[0].line, 2u);
  EXPECT_THAT(sink_.errors[0].message, HasSubstr("invalid JSON"));
  EXPECT_EQ(sink_.errors[1].line, 3u);
  EXPECT_EQ(sink_.errors[1].message, "line is not a JSON object (found an array)");
  EXPECT_EQ(sink_.errors[2].line, 4u);
  EXPECT_THAT(sink_.errors[2].message, HasSubstr("does not end with the '}'"));
  EXPECT_EQ(sink_.errors[3].line, 5u);
  EXPECT_EQ(sink_.errors[4].line, 6u);
  EXPECT_THAT(sink_.errors[4].message, HasSubstr("without CloudTrail event members"));
  EXPECT_EQ(FormatRecordError("app.log.json", sink_.errors[0].index, sink_.errors[0].line, "x"),
            "app.log.json: record 1 (line 2): x");
}

TEST_P(FileReaderTest, BrokenFirstNdjsonLineIsARecordError) {
  std::string text = "{\"eventName\":\"cut\n" + Event(2) + "\n" + Event(3) + "\n";
  ASSERT_TRUE(Read(text).ok());
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(2), Event(3)}));
  ASSERT_EQ(sink_.errors.size(), 1u);
  EXPECT_EQ(sink_.errors[0].line, 1u);
}

TEST_P(FileReaderTest, RecordOverTheLimitIsARecordError) {
  ReaderLimits limits = LimitsFor(GetParam());
  limits.max_record_bytes = 200;
  FileReader reader(limits);
  std::string big = Event(1, ",\"pad\":\"" + std::string(300, 'x') + "\"");
  CollectingSink sink;
  FileInfo info;
  ASSERT_TRUE(
      reader.ReadBytes("r.json", "{\"Records\":[" + Event(0) + ",\n" + big + "]}", sink, &info)
          .ok());
  EXPECT_EQ(sink.records, (std::vector<std::string>{Event(0)}));
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_EQ(sink.errors[0].index, 1u);
  EXPECT_EQ(sink.errors[0].line, 2u);
  EXPECT_EQ(sink.errors[0].message, "record is " + std::to_string(big.size()) +
                                        " bytes, larger than the limit of 200 bytes");
  // The same in NDJSON.
  sink = CollectingSink();
  ASSERT_TRUE(
      reader.ReadBytes("r.ndjson", Event(0) + "\n" + big + "\n" + Event(2), sink, &info).ok());
  EXPECT_EQ(sink.records.size(), 2u);
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_EQ(sink.errors[0].line, 2u);
  EXPECT_THAT(sink.errors[0].message, HasSubstr("larger than the limit of 200 bytes"));
}

TEST_P(FileReaderTest, LineOverTheLineLimitIsSkipped) {
  ReaderLimits limits = LimitsFor(GetParam());
  limits.max_record_bytes = 100;
  limits.max_line_bytes = 100;
  FileReader reader(limits);
  std::string huge = Event(1, ",\"pad\":\"" + std::string(5000, 'x') + "\"");
  CollectingSink sink;
  FileInfo info;
  ASSERT_TRUE(
      reader.ReadBytes("l.ndjson", Event(0) + "\n" + huge + "\n" + Event(2) + "\n", sink, &info)
          .ok());
  EXPECT_EQ(sink.records, (std::vector<std::string>{Event(0), Event(2)}));
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_EQ(sink.errors[0].index, 1u);
  EXPECT_EQ(sink.errors[0].line, 2u);
  EXPECT_EQ(sink.errors[0].message, "line is " + std::to_string(huge.size()) +
                                        " bytes, longer than the limit of 100 bytes");
}

TEST_P(FileReaderTest, LookupEventsWithNonStringCloudTrailEvent) {
  std::string text =
      "{\"EventId\":\"1\",\"CloudTrailEvent\":42}\n"
      "{\"EventId\":\"2\",\"CloudTrailEvent\":null}\n"
      "{\"EventId\":\"3\",\"CloudTrailEvent\":\"" +
      JsonEscape(Event(3)) + "\"}\n";
  ASSERT_TRUE(Read(text, "lookup.jsonl").ok());
  EXPECT_EQ(info_.format, ContainerFormat::kLookupEvents);
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(3)}));
  ASSERT_EQ(sink_.errors.size(), 2u);
  EXPECT_EQ(sink_.errors[0].index, 0u);
  EXPECT_EQ(sink_.errors[0].line, 1u);
  EXPECT_EQ(sink_.errors[0].message, "CloudTrailEvent is not a string (found a number)");
  EXPECT_EQ(sink_.errors[1].message, "CloudTrailEvent is not a string (found null)");
}

TEST_P(FileReaderTest, LookupEventsWithInvalidInnerJson) {
  std::string text =
      "{\"Events\":[{\"CloudTrailEvent\":\"{\\\"eventName\\\": \"},"
      "{\"CloudTrailEvent\":\"[1,2]\"},{\"CloudTrailEvent\":\"  \"},"
      "{\"EventId\":\"no event\"},"
      "{\"CloudTrailEvent\":\"" +
      JsonEscape(Event(4)) + "\"}]}";
  ASSERT_TRUE(Read(text, "lookup.json").ok());
  EXPECT_EQ(sink_.records, (std::vector<std::string>{Event(4)}));
  EXPECT_EQ(sink_.indices, (std::vector<uint64_t>{4}));
  ASSERT_EQ(sink_.errors.size(), 4u);
  EXPECT_EQ(sink_.errors[0].index, 0u);
  EXPECT_THAT(sink_.errors[0].message, HasSubstr("CloudTrailEvent does not hold valid JSON"));
  EXPECT_EQ(sink_.errors[1].message,
            "CloudTrailEvent does not hold a JSON object (found an array)");
  EXPECT_EQ(sink_.errors[2].message, "CloudTrailEvent is empty");
  EXPECT_EQ(sink_.errors[3].message, "LookupEvents record without a CloudTrailEvent member");
}

TEST_P(FileReaderTest, LakeCsvWithoutEventJsonIsRejected) {
  Status s = Read("eventTime,eventName,awsRegion\n2024,Get,us-east-1\n", "result_1.csv");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "result_1.csv: CloudTrail Lake CSV without an eventJson column (columns: eventTime, "
            "eventName, awsRegion); trailbook needs whole events: save the query results with "
            "SELECT eventJson FROM <event data store> ...");
}

TEST_P(FileReaderTest, LakeCsvWithBrokenQuotingIsRejected) {
  std::string good = "eventJson\n" + CsvQuote(Event(1)) + "\n";
  Status s = Read(good + "\"{\"eventName\":\"x\"}\"\n", "result_2.csv");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("result_2.csv: line 3: broken CSV quoting: text after a "
                                     "closing quote"));
  s = Read(good + "ab\"c\n", "result_3.csv");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              HasSubstr("result_3.csv: line 3: broken CSV quoting: a quote character"));
  s = Read(good + "\"{never closed\n\n", "result_4.csv");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("result_4.csv: line 5: broken CSV quoting: the input ends "
                                     "inside a quoted field opened on line 3"));
}

// The part of a sink that takes records from the reader's parse which the test sinks share:
// a record taken (pending) is then committed, checked like OnRecord does, or abandoned.
class StagedSink : public RecordSink {
 public:
  Status OnRecord(const RecordRef& r) override { return plain.OnRecord(r); }
  void OnRecordError(uint64_t index, uint64_t line, std::string_view message) override {
    plain.OnRecordError(index, line, message);
  }
  bool AcceptsParsedRecords() const override { return true; }
  Status CommitParsedRecord(const RecordRef& r) override {
    EXPECT_TRUE(pending_);
    pending_ = false;
    ++committed;
    return plain.OnRecord(r);
  }
  void AbandonParsedRecord() override {
    EXPECT_TRUE(pending_);
    pending_ = false;
    ++abandoned;
  }

  CollectingSink plain;
  size_t committed = 0;
  size_t abandoned = 0;

 protected:
  bool pending_ = false;
};

// A sink that takes records from the reader's parse (RecordSink::TryParsedRecord): it reads
// the object to its end, declines one with a "decline" member, and checks every committed
// record like OnRecord does.
class ParsedSink final : public StagedSink {
 public:
  bool TryParsedRecord(simdjson::ondemand::object& object) override {
    EXPECT_FALSE(pending_);
    for (auto field : object) {
      simdjson::ondemand::raw_json_string key;
      if (field.key().get(key) != simdjson::SUCCESS) return false;
      if (key.unsafe_is_equal("decline")) return false;
    }
    pending_ = true;
    return true;
  }
};

// Every container offers its records to a sink that accepts parsed records, one simdjson pass
// per record; records the sink declines or that fail a check after the walk (content after
// an embedded event) come through OnRecord / OnRecordError exactly as on the two-pass path.
TEST_P(FileReaderTest, ParsedRecordsOnEveryPathMatchTheTwoPassRead) {
  struct Case {
    std::string name;
    std::string text;
  };
  auto cases = [&](std::string_view extra) {
    auto lookup_of = [](const std::string& inner) {
      return "{\"EventId\":\"x\",\"CloudTrailEvent\":\"" + JsonEscape(inner) + "\"}";
    };
    return std::vector<Case>{
        {"records.json", "{\"Records\":[" + Event(0) + "," + Event(1, extra) + "," + Event(2) +
                             "]}"},
        {"lines.jsonl", Event(0) + "\n" + Event(1, extra) + "\n{\"foo\":1}\n" + Event(2) + "\n" +
                            lookup_of(Event(3, extra)) + "\n"},
        {"array.json", "[" + Event(0) + "," + Event(1, extra) + ",7," + lookup_of(Event(2)) +
                           "," + Event(3) + "]"},
        {"single.json", Event(0, extra)},
        {"lookup.json", "{\"Events\":[" + lookup_of(Event(0)) + "," + lookup_of(Event(1, extra)) +
                            "," + lookup_of(Event(2) + " {}") + "," + lookup_of("[1]") + "," +
                            lookup_of(Event(3)) + "]}"},
        {"lake.json", "{\"QueryResultRows\":[[{\"eventJson\":\"" + JsonEscape(Event(0)) +
                          "\"}],[{\"eventJson\":\"" + JsonEscape(Event(1, extra)) + "\"}]]}"},
        {"result.csv", "eventJson\n" + CsvQuote(Event(0)) + "\n" + CsvQuote(Event(1, extra)) +
                           "\n"},
    };
  };
  for (std::string_view extra : {std::string_view(""), std::string_view(",\"decline\":1")}) {
    for (const Case& c : cases(extra)) {
      SCOPED_TRACE(c.name + std::string(extra));
      ASSERT_TRUE(Read(c.text, c.name).ok());
      ParsedSink parsed;
      FileInfo info;
      ASSERT_TRUE(reader_.ReadBytes(c.name, c.text, parsed, &info).ok());
      EXPECT_EQ(parsed.plain.records, sink_.records);
      EXPECT_EQ(parsed.plain.indices, sink_.indices);
      EXPECT_EQ(parsed.plain.lines, sink_.lines);
      ASSERT_EQ(parsed.plain.errors.size(), sink_.errors.size());
      for (size_t i = 0; i < sink_.errors.size(); ++i) {
        EXPECT_EQ(parsed.plain.errors[i].index, sink_.errors[i].index);
        EXPECT_EQ(parsed.plain.errors[i].line, sink_.errors[i].line);
        EXPECT_EQ(parsed.plain.errors[i].message, sink_.errors[i].message);
      }
      EXPECT_EQ(info.records, info_.records);
      EXPECT_EQ(info.record_errors, info_.record_errors);
      EXPECT_GT(sink_.records.size(), 0u);
      if (extra.empty()) {
        // Nothing declined: every record came from the reader's parse.
        EXPECT_EQ(parsed.committed, sink_.records.size());
      } else {
        EXPECT_LT(parsed.committed, sink_.records.size());
      }
      // Only the embedded event with content after it is walked and then abandoned.
      EXPECT_EQ(parsed.abandoned, c.name == "lookup.json" ? 1u : 0u);
    }
  }
}

// A sink that also takes Records elements as text (RecordSink::TryRecordText): it finds the
// object's end by counting brackets outside strings, declines one with a "decline" member or
// one that does not close before `end`, and counts what came which way.
class TextSink final : public StagedSink {
 public:
  bool TryParsedRecord(simdjson::ondemand::object& object) override {
    EXPECT_FALSE(pending_);
    std::string_view raw;
    if (object.raw_json().get(raw) != simdjson::SUCCESS) return false;
    if (raw.find("\"decline\"") != std::string_view::npos) return false;
    ++parsed_tries;
    pending_ = true;
    return true;
  }
  bool AcceptsRecordText() const override { return true; }
  bool TryRecordText(const char** p, const char* end) override {
    EXPECT_FALSE(pending_);
    EXPECT_EQ(**p, '{');
    ++text_tries;
    const char* q = *p;
    int depth = 0;
    bool in_string = false;
    for (; q < end; ++q) {
      if (in_string) {
        if (*q == '\\') {
          ++q;
        } else if (*q == '"') {
          in_string = false;
        }
      } else if (*q == '"') {
        in_string = true;
      } else if (*q == '{' || *q == '[') {
        ++depth;
      } else if ((*q == '}' || *q == ']') && --depth == 0) {
        ++q;
        break;
      }
    }
    if (depth != 0 || q > end) return false;
    std::string_view text(*p, static_cast<size_t>(q - *p));
    if (text.find("\"decline\"") != std::string_view::npos) return false;
    *p = q;
    pending_ = true;
    return true;
  }

  size_t text_tries = 0;
  size_t parsed_tries = 0;
};

// The elements of a {"Records":[...]} document go to a sink that takes record text without
// simdjson iterating them; a declined record and every shape the text walk does not expect
// (broken separators, non-object elements, other members, trailing content, a record over
// the limit) are read the two-pass way from that element on, with the same records, errors
// and outcome as a plain two-pass read.
TEST_P(FileReaderTest, RecordsTextWalkMatchesTheTwoPassRead) {
  ReaderLimits limits = LimitsFor(GetParam());
  limits.max_record_bytes = 400;
  FileReader reader(limits);
  const std::string big = Event(9, ",\"pad\":\"" + std::string(400, 'x') + "\"");
  const std::string e0 = Event(0), e1 = Event(1), e2 = Event(2);
  const std::string declined = Event(5, ",\"decline\":1");
  struct Case {
    std::string text;
    size_t text_tries;  // Records elements the text walk offers before any fallback.
  };
  const std::vector<Case> cases = {
      {"{\"Records\":[" + e0 + "," + e1 + "," + e2 + "]}", 3},
      {" \n{ \"Records\" :\n [\n  " + e0 + " ,\n  " + e1 + "\n ]\n}\n", 2},
      {"{\"Records\":[]}", 0},
      {"{\"Records\":[ ]} ", 0},
      {"{\"Records\":[" + e0 + "," + declined + "," + e2 + "]}", 2},
      {"{\"Records\":[" + e0 + ",\n" + big + "," + e2 + "]}", 2},
      {"{\"Records\":[" + e0 + ",7," + e2 + "]}", 1},
      {"{\"Records\":[" + e0 + "," + e1 + ",]}", 2},
      {"{\"Records\":[" + e0 + " " + e1 + "]}", 1},
      {"{\"Records\":[" + e0 + "," + e1 + "],\"x\":1}", 2},
      {"{\"Records\":[" + e0 + "," + e1 + "],\"Records\":[]}", 2},
      {"{\"Records\":[" + e0 + "," + e1 + "]} {}", 2},
      {"{\"Records\":[" + e0 + "," + e1 + "]}{\n", 0},
      {"{\"Records\":[" + e0 + "," + e1 + "]} 1", 0},
      {"{\"Records\":[" + e0 + "," + e1 + "]]}", 2},
      {"{\"x\":1,\"Records\":[" + e0 + "]}", 0},
      {"{\"Rec\\u006frds\":[" + e0 + "]}", 0},
      {"{\"Records\":{}}", 0},
      // Bytes simdjson's stage 1 rejects (a raw control byte in a string, invalid UTF-8): the
      // reader finds them before the walk, so stage 1 reports them and nothing is delivered;
      // valid UTF-8 beyond ASCII is walked.
      {"{\"Records\":[" + e0 + "," + Event(1, ",\"x\":\"a\x01z\"") + "," + e2 + "]}", 0},
      {"{\"Records\":[" + e0 + "," + Event(1, ",\"x\":\"a\nz\"") + "," + e2 + "]}", 0},
      {"{\"Records\":[" + e0 + "," + e1 + ",{\"a\":\"\x1f\"}]}", 0},
      {"{\"Records\":[{\"a\":\"\x01\"}]}", 0},
      {"{\"Records\":[" + e0 + "," + Event(1, ",\"x\":\"\xff\"") + "," + e2 + "]}", 0},
      {"{\"Records\":[{\"a\":\"\xc3\"}]}", 0},
      {"{\"Records\":[" + e0 + "," + Event(1, ",\"x\":\"caf\xc3\xa9\"") + "," + e2 + "]}", 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text.substr(0, 200));
    CollectingSink two_pass;
    FileInfo info2;
    Status s2 = reader.ReadBytes("r.json", c.text, two_pass, &info2);
    TextSink text;
    FileInfo info1;
    Status s1 = reader.ReadBytes("r.json", c.text, text, &info1);
    EXPECT_EQ(s1.ToString(), s2.ToString());
    EXPECT_EQ(text.plain.records, two_pass.records);
    EXPECT_EQ(text.plain.indices, two_pass.indices);
    ASSERT_EQ(text.plain.errors.size(), two_pass.errors.size());
    for (size_t i = 0; i < two_pass.errors.size(); ++i) {
      EXPECT_EQ(text.plain.errors[i].index, two_pass.errors[i].index);
      EXPECT_EQ(text.plain.errors[i].line, two_pass.errors[i].line);
      EXPECT_EQ(text.plain.errors[i].message, two_pass.errors[i].message);
    }
    EXPECT_EQ(info1.records, info2.records);
    EXPECT_EQ(info1.record_errors, info2.record_errors);
    EXPECT_EQ(text.text_tries, c.text_tries);
    EXPECT_EQ(text.abandoned, 0u);
  }
  // A clean file: every record came from the text walk, none from simdjson's iteration.
  TextSink clean;
  FileInfo info;
  ASSERT_TRUE(reader.ReadBytes("r.json", RecordsFile(4), clean, &info).ok());
  EXPECT_EQ(clean.text_tries, 4u);
  EXPECT_EQ(clean.committed, 4u);
  EXPECT_EQ(clean.parsed_tries, 0u);
  EXPECT_EQ(clean.plain.records.size(), 4u);
}

// A Records document with nothing stage 1 would reject but an unclosed string is walked
// without stage 1: the records before the unclosed string reach the sink, then the two-pass
// read reports the document's error exactly as a plain two-pass read does (the caller drops
// what the sink got from a failed input, FileReader::Read).
TEST_P(FileReaderTest, RecordsTextWalkRunsBeforeStage1) {
  FileReader reader(LimitsFor(GetParam()));
  const std::string text = "{\"Records\":[" + Event(0) + ",{\"eventName\":\"x}]}";
  CollectingSink two_pass;
  FileInfo info2;
  Status s2 = reader.ReadBytes("r.json", text, two_pass, &info2);
  ASSERT_FALSE(s2.ok());
  EXPECT_TRUE(two_pass.records.empty());
  TextSink walk;
  FileInfo info1;
  Status s1 = reader.ReadBytes("r.json", text, walk, &info1);
  EXPECT_EQ(s1.ToString(), s2.ToString());
  EXPECT_EQ(walk.text_tries, 2u);
  EXPECT_EQ(walk.committed, 1u);
  EXPECT_TRUE(walk.plain.errors.empty());
}

TEST_P(FileReaderTest, SinkErrorStopsTheReadUnchanged) {
  sink_ = CollectingSink();
  sink_.StopAfter(2);
  Status s = reader_.ReadBytes("stop.json", RecordsFile(5), sink_, &info_);
  EXPECT_EQ(s, Cancelled("sink stops here"));
  EXPECT_EQ(sink_.records.size(), 2u);
  // Also from a line and from a CSV row.
  std::string lines = Event(1) + "\n" + Event(2) + "\n" + Event(3) + "\n";
  CollectingSink sink2;
  sink2.StopAfter(1);
  EXPECT_EQ(reader_.ReadBytes("stop.ndjson", lines, sink2, &info_), Cancelled("sink stops here"));
  EXPECT_EQ(sink2.records.size(), 1u);
}

TEST_P(FileReaderTest, ResultsDoNotDependOnEarlierInputs) {
  // Found by the fuzzer: with stale bytes after a malformed CloudTrailEvent, simdjson reported
  // a different error than with zero padding.
  Result<std::string> input =
      io::ReadFile("fuzz/corpus/event_reader/regress_padding_dependent_error.jsonl");
  ASSERT_TRUE(input.ok());
  FileReader fresh(LimitsFor(GetParam()));
  CollectingSink expected;
  FileInfo info;
  ASSERT_TRUE(fresh.ReadBytes("x", *input, expected, &info).ok());
  ASSERT_EQ(expected.errors.size(), 1u);
  // Fill every buffer with '}' first.
  std::string braces = "{\"CloudTrailEvent\":\"{" + std::string(5000, '}') + "\"}";
  EXPECT_TRUE(Read(braces + "\n" + braces).ok());
  ASSERT_TRUE(Read(*input).ok());
  ASSERT_EQ(sink_.errors.size(), 1u);
  EXPECT_EQ(sink_.errors[0].message, expected.errors[0].message);
}

TEST_P(FileReaderTest, ReaderIsReusableAfterErrors) {
  EXPECT_FALSE(Read(GzipForTesting(RecordsFile(5)).substr(0, 30)).ok());
  EXPECT_FALSE(Read("{\"Records\":5}").ok());
  ASSERT_TRUE(Read(GzipForTesting(RecordsFile(7))).ok());
  EXPECT_EQ(sink_.records.size(), 7u);
}

// --- Files on disk ---

class FileReaderDiskTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = TempDir(); }
  std::string Write(const std::string& rel, std::string_view bytes) {
    std::string path = dir_ + "/" + rel;
    size_t slash = path.find_last_of('/');
    EXPECT_TRUE(io::CreateDirectories(path.substr(0, slash)).ok());
    EXPECT_TRUE(io::WriteFileAtomic(path, bytes).ok());
    return path;
  }
  std::string dir_;
};

TEST_F(FileReaderDiskTest, LargeFilesStreamFromDisk) {
  ReaderLimits limits;
  limits.whole_buffer_bytes = 1000;
  limits.chunk_bytes = 333;
  FileReader reader(limits);
  std::string lines;
  for (int i = 0; i < 200; ++i) lines += Event(i) + "\n";
  std::string gz = GzipForTesting(lines);
  for (const std::string& path : {Write("big.ndjson", lines), Write("big.ndjson.gz", gz)}) {
    InputFile in;
    in.path = path;
    CollectingSink sink;
    FileInfo info;
    ASSERT_TRUE(reader.Read(in, sink, &info).ok()) << path;
    EXPECT_EQ(info.records, 200u);
    EXPECT_EQ(info.json_bytes, lines.size());
    std::string raw = path.ends_with(".gz") ? gz : lines;
    EXPECT_EQ(info.compressed_bytes, raw.size());
    EXPECT_EQ(info.sha256_hex, crypto::ToHex(crypto::Sha256(raw)));
  }
}

TEST_F(FileReaderDiskTest, EmptyFileOnDisk) {
  InputFile in;
  in.path = Write("empty.json", "");
  FileReader reader(ReaderLimits{});
  CollectingSink sink;
  FileInfo info;
  Status s = reader.Read(in, sink, &info);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), in.path + ": empty file (0 bytes)");
}

TEST_F(FileReaderDiskTest, DirectoryWithUnreadableFiles) {
  Write("logs/a.json", RecordsFile(2));
  std::string gone = Write("logs/b.json", RecordsFile(2));
  std::string locked = Write("logs/c.json", RecordsFile(2));
  Write("logs/d.json.gz", GzipForTesting(RecordsFile(3)));
  ASSERT_EQ(::symlink((dir_ + "/nowhere.json").c_str(), (dir_ + "/logs/e.json").c_str()), 0);
  ASSERT_EQ(::chmod(locked.c_str(), 0), 0);
  Result<std::vector<InputFile>> inputs = DiscoverInputs(std::vector<std::string>{dir_ + "/logs"});
  ASSERT_TRUE(inputs.ok());
  ASSERT_EQ(inputs->size(), 5u);
  ASSERT_EQ(::unlink(gone.c_str()), 0);  // Disappears between discovery and reading.
  FileReader reader(ReaderLimits{});
  uint64_t records = 0;
  std::vector<Status> rejected;
  for (const InputFile& in : *inputs) {
    CollectingSink sink;
    FileInfo info;
    Status s = reader.Read(in, sink, &info);
    if (s.ok()) {
      records += info.records;
    } else {
      rejected.push_back(s);
      EXPECT_THAT(s.message(), HasSubstr(in.path));
    }
  }
  bool root = ::geteuid() == 0;  // Root reads a mode-000 file anyway.
  EXPECT_EQ(records, root ? 7u : 5u);
  ASSERT_EQ(rejected.size(), root ? 2u : 3u);
  EXPECT_EQ(rejected[0].code(), StatusCode::kNotFound);
  EXPECT_EQ(rejected[0].message(), gone + ": open: No such file or directory");
  if (!root) {
    EXPECT_EQ(rejected[1].code(), StatusCode::kIOError);
    EXPECT_EQ(rejected[1].message(), locked + ": open: Permission denied");
  }
  EXPECT_EQ(rejected.back().code(), StatusCode::kNotFound);
  EXPECT_THAT(rejected.back().message(),
              HasSubstr(dir_ + "/logs/e.json: stat (symbolic link target)"));
}

TEST_F(FileReaderDiskTest, SkippedKindsAreNotOpened) {
  FileReader reader(ReaderLimits{});
  InputFile in;
  in.path = dir_ + "/does-not-exist_CloudTrail-Digest_x.json.gz";
  in.kind = InputKind::kDigest;
  in.skip_reason = "digest";
  CollectingSink sink;
  FileInfo info;
  EXPECT_TRUE(reader.Read(in, sink, &info).ok());
  EXPECT_EQ(info.skip_reason, "digest");
}

TEST_F(FileReaderDiskTest, DirectoryPassedAsFileIsRejected) {
  FileReader reader(ReaderLimits{});
  InputFile in;
  in.path = dir_;
  CollectingSink sink;
  FileInfo info;
  Status s = reader.Read(in, sink, &info);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), dir_ + ": is a directory, not a file");
}

// Points stdin at `path` for the life of the object.
class StdinFrom {
 public:
  explicit StdinFrom(const std::string& path) : saved_(::dup(0)) {
    int fd = ::open(path.c_str(), O_RDONLY);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::dup2(fd, 0), 0);
    ::close(fd);
  }
  ~StdinFrom() {
    ::dup2(saved_, 0);
    ::close(saved_);
  }

 private:
  int saved_;
};

TEST_F(FileReaderDiskTest, StdinIsRead) {
  std::string gz = GzipForTesting(RecordsFile(4));
  StdinFrom stdin_from(Write("stdin.json.gz", gz));
  Result<std::vector<InputFile>> inputs = DiscoverInputs(std::vector<std::string>{"-"});
  ASSERT_TRUE(inputs.ok());
  ASSERT_EQ(inputs->size(), 1u);
  FileReader reader(ReaderLimits{});
  CollectingSink sink;
  FileInfo info;
  ASSERT_TRUE(reader.Read((*inputs)[0], sink, &info).ok());
  EXPECT_EQ(info.records, 4u);
  EXPECT_TRUE(info.gzip);
  EXPECT_EQ(info.sha256_hex, crypto::ToHex(crypto::Sha256(gz)));
}

TEST_F(FileReaderDiskTest, StdinOverTheLimitIsRejected) {
  StdinFrom stdin_from(Write("big.json", RecordsFile(100)));
  ReaderLimits limits;
  limits.max_stdin_bytes = 1000;
  FileReader reader(limits);
  InputFile in;
  in.path = "-";
  in.kind = InputKind::kStdin;
  CollectingSink sink;
  FileInfo info;
  Status s = reader.Read(in, sink, &info);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("-: "));
  EXPECT_THAT(s.message(), HasSubstr("limit of 1000 bytes"));
}

TEST_F(FileReaderDiskTest, PipeIsStreamed) {
  std::string fifo = dir_ + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string text;
  for (int i = 0; i < 300; ++i) text += Event(i) + "\n";
  std::thread writer([&] {
    int fd = ::open(fifo.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fd);
  });
  Result<std::vector<InputFile>> inputs = DiscoverInputs(std::vector<std::string>{fifo});
  ASSERT_TRUE(inputs.ok());
  ASSERT_EQ((*inputs)[0].kind, InputKind::kLog);  // Named explicitly, so read.
  FileReader reader(ReaderLimits{});
  CollectingSink sink;
  FileInfo info;
  Status s = reader.Read((*inputs)[0], sink, &info);
  writer.join();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(info.records, 300u);
  EXPECT_EQ(info.sha256_hex, crypto::ToHex(crypto::Sha256(text)));
}

TEST(FileReaderThreadsTest, OneReaderPerThread) {
  std::vector<uint64_t> totals(4, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < totals.size(); ++t) {
    threads.emplace_back(
        [&totals, t] { totals[t] = ReadAll("tests/data/datasets", ReaderLimits{}).records; });
  }
  for (std::thread& t : threads) t.join();
  for (uint64_t total : totals) EXPECT_EQ(total, 146u);
}

TEST(ReaderLimitsTest, ValidateNamesTheField) {
  ReaderLimits limits;
  EXPECT_TRUE(limits.Validate().ok());
  limits.chunk_bytes = 0;
  EXPECT_EQ(limits.Validate().message(), "reader limit must be positive: chunk_bytes");
  limits = ReaderLimits();
  limits.max_record_bytes = limits.max_line_bytes + 1;
  EXPECT_EQ(limits.Validate().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace trailbook::ingest
