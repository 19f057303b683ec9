#include "ingest/event_normalizer.h"

#include <gtest/gtest.h>
#include <libdeflate.h>
#include <unistd.h>

#include <numeric>
#include <string>
#include <vector>

#include "io/file.h"
#include "storage/event_json.h"
#include "storage/event_schema.h"
#include "storage/segment_reader.h"
#include "storage/segment_writer.h"

namespace trailbook::ingest {
namespace {

using storage::EventSchema;
using storage::RowBatch;

std::string Gunzip(const std::string& gz) {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::string out(gz.size() * 30 + 1024, '\0');
  size_t n = 0;
  auto r = libdeflate_gzip_decompress(d, gz.data(), gz.size(), out.data(), out.size(), &n);
  libdeflate_free_decompressor(d);
  EXPECT_EQ(r, LIBDEFLATE_SUCCESS);
  out.resize(n);
  return out;
}

// Returns every record of the three shared datasets as exact text.
std::vector<std::string> DatasetRecords() {
  std::vector<std::string> records;
  simdjson::ondemand::parser parser;
  auto files = io::ListFilesRecursive("tests/data/datasets/flaws2-defender/AWSLogs");
  EXPECT_TRUE(files.ok());
  for (const std::string& f : *files) {
    simdjson::padded_string json(Gunzip(*io::ReadFile(f)));
    auto doc = parser.iterate(json);
    for (auto rec : doc["Records"].get_array()) {
      records.emplace_back(std::string_view(rec.get_object().value().raw_json().value()));
    }
  }
  for (const char* f : {"tests/data/datasets/otrf-ec2-proxy-s3-exfil/"
                        "ec2_proxy_s3_exfiltration_2020-09-14011940.json",
                        "tests/data/datasets/plaso-lookup-events/aws_cloudtrail.jsonl"}) {
    std::string text = *io::ReadFile(f);
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      std::string line = text.substr(pos, nl - pos);
      pos = nl + 1;
      if (line.empty()) continue;
      if (std::string_view(f).ends_with(".jsonl")) {
        simdjson::padded_string p(line);
        auto d = parser.iterate(p);
        records.emplace_back(std::string_view(d["CloudTrailEvent"].get_string().value()));
      } else {
        records.push_back(line);
      }
    }
  }
  return records;
}

// Compares two JSON texts as values, including object key order.
bool SameJson(simdjson::dom::element a, simdjson::dom::element b, std::string* why) {
  using T = simdjson::dom::element_type;
  if (a.type() != b.type()) {
    bool num_a = a.type() == T::INT64 || a.type() == T::UINT64 || a.type() == T::DOUBLE;
    bool num_b = b.type() == T::INT64 || b.type() == T::UINT64 || b.type() == T::DOUBLE;
    if (!(num_a && num_b)) {
      *why = "type differs";
      return false;
    }
  }
  switch (a.type()) {
    case T::OBJECT: {
      auto oa = a.get_object().value();
      auto ob = b.get_object().value();
      auto ia = oa.begin(), ib = ob.begin();
      for (; ia != oa.end() && ib != ob.end(); ++ia, ++ib) {
        if ((*ia).key != (*ib).key) {
          *why = "key " + std::string((*ia).key) + " vs " + std::string((*ib).key);
          return false;
        }
        if (!SameJson((*ia).value, (*ib).value, why)) {
          *why = std::string((*ia).key) + "." + *why;
          return false;
        }
      }
      if (ia != oa.end() || ib != ob.end()) {
        *why = "member count differs";
        return false;
      }
      return true;
    }
    case T::ARRAY: {
      auto aa = a.get_array().value();
      auto ab = b.get_array().value();
      if (aa.size() != ab.size()) {
        *why = "array size differs";
        return false;
      }
      for (size_t i = 0; i < aa.size(); ++i) {
        if (!SameJson(aa.at(i).value(), ab.at(i).value(), why)) return false;
      }
      return true;
    }
    case T::STRING: return a.get_string().value() == b.get_string().value() || (*why = "string", false);
    case T::BOOL: return a.get_bool().value() == b.get_bool().value() || (*why = "bool", false);
    case T::NULL_VALUE: return true;
    default: return double(a) == double(b) || (*why = "number", false);
  }
}

bool SameJsonText(const std::string& x, const std::string& y, std::string* why) {
  simdjson::dom::parser pa, pb;
  simdjson::dom::element a, b;
  if (pa.parse(x).get(a) || pb.parse(y).get(b)) {
    *why = "unparseable";
    return false;
  }
  return SameJson(a, b, why);
}

Status NormalizeText(EventNormalizer& n, const std::string& text, RowBatch* batch) {
  simdjson::padded_string padded(text);
  return n.Normalize(std::string_view(padded.data(), padded.size()), batch);
}

TEST(EventNormalizerTest, DatasetsRoundTripLosslessly) {
  std::vector<std::string> records = DatasetRecords();
  ASSERT_EQ(records.size(), 37u + 103u + 6u);
  EventNormalizer norm;
  RowBatch batch;
  for (size_t i = 0; i < records.size(); ++i) {
    Status s = NormalizeText(norm, records[i], &batch);
    ASSERT_TRUE(s.ok()) << i << ": " << s.ToString();
  }
  // Store everything (in input order, as one segment) and rebuild each event.
  std::vector<uint32_t> rows(batch.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  storage::ZstdCodec codec;
  char tmpl[] = "/tmp/tb_norm_test_XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  storage::SegmentWriteOptions opts;
  opts.block_rows = 64;
  opts.frame_rows = 16;
  ASSERT_TRUE(storage::WriteSegment(dir, 1, 0, batch, rows, opts, codec).ok());
  auto seg = storage::SegmentReader::Open(dir + "/" + storage::SegmentFileName(1));
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  for (size_t i = 0; i < records.size(); ++i) {
    storage::SegmentRowValues values(**seg, i);
    std::string rebuilt;
    Status s = storage::RebuildEventJson(values, &rebuilt);
    ASSERT_TRUE(s.ok()) << i << ": " << s.ToString();
    std::string why;
    EXPECT_TRUE(SameJsonText(records[i], rebuilt, &why)) << i << ": " << why << "\n"
                                                         << records[i] << "\n" << rebuilt;
  }
}

TEST(EventNormalizerTest, LogstashTimestampIsUsedAndKept) {
  EventNormalizer norm;
  RowBatch batch;
  std::string rec =
      R"({"@version":"1","eventID":"a","eventName":"X","@timestamp":"2020-09-14T00:44:23.000Z"})";
  ASSERT_TRUE(NormalizeText(norm, rec, &batch).ok());
  EXPECT_EQ(batch.event_time(0), int64_t{1600044263} * 1000000);
}

TEST(EventNormalizerTest, NonCanonicalEventTimeTextIsKept) {
  EventNormalizer norm;
  RowBatch batch;
  ASSERT_TRUE(NormalizeText(norm, R"({"eventTime":"2020-09-14T00:44:23.000Z"})", &batch).ok());
  EXPECT_EQ(batch.string(EventSchema::Get().event_time_text_column(), 0),
            std::optional<std::string_view>("2020-09-14T00:44:23.000Z"));
  ASSERT_TRUE(NormalizeText(norm, R"({"eventTime":"2020-09-14T00:44:23Z"})", &batch).ok());
  EXPECT_EQ(batch.string(EventSchema::Get().event_time_text_column(), 1), std::nullopt);
}

TEST(EventNormalizerTest, RejectsBadRecordsWithClearMessages) {
  struct Case {
    const char* json;
    const char* message;
  } cases[] = {
      {R"([1,2])", "record is a JSON array, not an object"},
      {R"("str")", "record is a JSON string, not an object"},
      {R"({"eventName":"x"})", "record has no eventTime (and no Logstash @timestamp)"},
      {R"({"eventTime":"yesterday"})", "field 'eventTime': 'yesterday' is not an ISO-8601"},
      {R"({"eventTime":1600044263})", "field 'eventTime': expected string, got number"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","readOnly":"true"})",
       "field 'readOnly': expected boolean, got string"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","recipientAccountId":123456789012})",
       "field 'recipientAccountId': expected string, got number"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","eventName":{"a":1}})",
       "field 'eventName': expected string, got object"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","userIdentity":"root"})",
       "field 'userIdentity': expected object, got string"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","userIdentity":{"arn":5}})",
       "field 'userIdentity.arn': expected string, got number"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","requestParameters":[1]})",
       "field 'requestParameters': expected object, got array"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","eventName":"a","eventName":"b"})",
       "duplicate member 'eventName'"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","requestParameters":{"a":tru}})",
       "invalid JSON in 'requestParameters'"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","extra":{"a":01}})", "invalid JSON in 'extra'"},
      {R"({"eventTime":"2020-01-01T00:00:00Z",)", "invalid JSON"},
      // Values kept as text are validated while they are minified, at any depth.
      {R"({"eventTime":"2020-01-01T00:00:00Z","requestParameters":{"a":[1,{"b":nul}]}})",
       "invalid JSON in 'requestParameters': not true, false or null: 'nul'"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","responseElements":{"a":{"b":"x\q"}}})",
       "invalid JSON in 'responseElements'"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","userIdentity":{"extra":[1,-]}})",
       "invalid JSON in 'userIdentity.extra'"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","additionalEventData":{"\x":1}})",
       "invalid JSON in 'additionalEventData'"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","extra":[1,2,]})", "invalid JSON in 'extra'"},
  };
  EventNormalizer norm;
  RowBatch batch;
  for (const Case& c : cases) {
    Status s = NormalizeText(norm, c.json, &batch);
    ASSERT_FALSE(s.ok()) << c.json;
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.json;
    EXPECT_NE(s.message().find(c.message), std::string::npos) << c.json << " -> " << s.message();
    EXPECT_EQ(batch.row_count(), 0u) << c.json;
  }
}

TEST(EventNormalizerTest, RejectsNestingDeeperThanTheLimit) {
  auto record = [](int depth) {
    return R"({"eventTime":"2020-01-01T00:00:00Z","requestParameters":{"a":)" +
           std::string(static_cast<size_t>(depth), '[') + std::string(static_cast<size_t>(depth), ']') +
           "}}";
  };
  EventNormalizer norm;
  RowBatch batch;
  Status deep = NormalizeText(norm, record(kMaxJsonDepth + 5), &batch);
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.message().find("'requestParameters': nested deeper than " +
                                std::to_string(kMaxJsonDepth) + " levels"),
            std::string::npos)
      << deep.message();
  EXPECT_EQ(batch.row_count(), 0u);
  Status ok = NormalizeText(norm, record(kMaxJsonDepth - 5), &batch);
  EXPECT_TRUE(ok.ok()) << ok.message();
  EXPECT_EQ(batch.row_count(), 1u);
}

TEST(EventNormalizerTest, EnforcesSizeLimits) {
  NormalizerLimits limits;
  limits.max_record_bytes = 200;
  limits.max_field_bytes = 50;
  EventNormalizer norm(limits);
  RowBatch batch;
  std::string big_field =
      R"({"eventTime":"2020-01-01T00:00:00Z","errorMessage":")" + std::string(60, 'x') + "\"}";
  Status s = NormalizeText(norm, big_field, &batch);
  EXPECT_NE(s.message().find("field 'errorMessage' is 60 bytes, over the limit of 50"),
            std::string::npos)
      << s.message();
  std::string big_record = R"({"eventTime":"2020-01-01T00:00:00Z","x":")" +
                           std::string(300, 'y') + "\"}";
  s = NormalizeText(norm, big_record, &batch);
  EXPECT_NE(s.message().find("over the limit of 200"), std::string::npos) << s.message();
  EXPECT_EQ(batch.row_count(), 0u);
}

TEST(EventNormalizerTest, UnknownAndEscapedKeysGoToResidualVerbatim) {
  EventNormalizer norm;
  RowBatch batch;
  std::string rec =
      R"({"eventTime":"2020-01-01T00:00:00Z","new\"Field":[1, 2.50, {"k" : null}],)"
      R"("userIdentity":{"type":"X","inScopeOf":{"a":"b"}},"z":-0.0})";
  ASSERT_TRUE(NormalizeText(norm, rec, &batch).ok());
  storage::ZstdCodec codec;
  std::vector<uint32_t> rows{0};
  std::string encoded = storage::EncodeSegment(1, 0, batch, rows, {}, codec);
  char tmpl[] = "/tmp/tb_norm_test_XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  ASSERT_TRUE(io::WriteFileAtomic(dir + "/s.tbs", encoded).ok());
  auto seg = storage::SegmentReader::Open(dir + "/s.tbs");
  ASSERT_TRUE(seg.ok());
  storage::SegmentRowValues values(**seg, 0);
  std::string rebuilt;
  ASSERT_TRUE(storage::RebuildEventJson(values, &rebuilt).ok());
  EXPECT_EQ(rebuilt,
            R"({"eventTime":"2020-01-01T00:00:00Z","new\"Field":[1,2.50,{"k":null}],)"
            R"("userIdentity":{"type":"X","inScopeOf":{"a":"b"}},"z":-0.0})");
}

// The normaliser takes keys and escape-free strings straight from the record text when the
// JSON is compact and falls back to simdjson's unescaping otherwise; both must store the same.
TEST(EventNormalizerTest, KeysAndStringsReadTheSameCompactSpacedAndEscaped) {
  const EventSchema& schema = EventSchema::Get();
  const int name_col = schema.ColumnByPath("eventName");
  const int agent_col = schema.ColumnByPath("userAgent");
  const int arn_col = schema.ColumnByPath("userIdentity.arn");
  // userAgent values (JSON text, then expected value): long enough for the 32-byte scan, with
  // a backslash escape at the start, in the last 32-byte window, past it, or none.
  const std::vector<std::pair<std::string, std::string>> agents = {
      {"aws-cli/2.13.0 Python/3.11.4 Linux/5.10 exe/x86_64", "aws-cli/2.13.0 Python/3.11.4 Linux/5.10 exe/x86_64"},
      {R"(\\aws-cli/2.13.0 Python/3.11.4 Linux/5.10 exe)", R"(\aws-cli/2.13.0 Python/3.11.4 Linux/5.10 exe)"},
      {R"(aws-cli/2.13.0 Python/3.11.4 Linux/5.10 exe/x86_64 \"q\")", R"(aws-cli/2.13.0 Python/3.11.4 Linux/5.10 exe/x86_64 "q")"},
      {R"(0123456789012345678901234567890123456789012345678901234567890123\n4)", "0123456789012345678901234567890123456789012345678901234567890123\n4"},
      {R"(a\tb)", "a\tb"},
      {"", ""},
      {"01234567890123456789012345678901", "01234567890123456789012345678901"},
      {R"(0123456789012345678901234567890\/)", "0123456789012345678901234567890/"},
  };
  for (const auto& [agent_json, agent] : agents) {
    const std::string compact = R"({"eventTime":"2020-01-01T00:00:00Z","eventName":"GetObject",)"
                                R"("userIdentity":{"arn":"arn:aws:iam::1:user/a"},"userAgent":")" +
                                agent_json + R"("})";
    const std::string spaced = "{ \"eventTime\" : \"2020-01-01T00:00:00Z\" ,\n\"eventName\"\t:\"GetObject\", " +
                               std::string(R"("userIdentity": { "arn" :"arn:aws:iam::1:user/a" } ,)") +
                               " \"userAgent\" :\"" + agent_json + "\" }";
    const std::string escaped_keys = R"({"eventTime":"2020-01-01T00:00:00Z","event\u004eame":"GetObject",)"
                                     R"("user\u0049dentity":{"\u0061rn":"arn:aws:iam::1:user/a"},"userAgent":")" +
                                     agent_json + R"("})";
    for (const std::string& text : {compact, spaced, escaped_keys}) {
      EventNormalizer norm;
      RowBatch batch;
      Status s = NormalizeText(norm, text, &batch);
      ASSERT_TRUE(s.ok()) << s.message() << " in " << text;
      ASSERT_EQ(batch.row_count(), 1u);
      EXPECT_EQ(batch.string(name_col, 0).value_or("<null>"), "GetObject") << text;
      EXPECT_EQ(batch.string(arn_col, 0).value_or("<null>"), "arn:aws:iam::1:user/a") << text;
      EXPECT_EQ(batch.string(agent_col, 0).value_or("<null>"), agent) << text;
    }
  }
  // A bad escape is still rejected, wherever it sits.
  for (const std::string bad : {R"(\x)", R"(0123456789012345678901234567890123456789\q)"}) {
    EventNormalizer norm;
    RowBatch batch;
    const std::string text =
        R"({"eventTime":"2020-01-01T00:00:00Z","userAgent":")" + bad + R"("})";
    Status s = NormalizeText(norm, text, &batch);
    EXPECT_FALSE(s.ok()) << text;
    EXPECT_NE(s.message().find("userAgent"), std::string::npos) << s.message();
    EXPECT_EQ(batch.row_count(), 0u);
  }
}

// Values kept as JSON text are checked the way simdjson checks them (the walk settles plain
// numbers itself and hands the rest to simdjson's number parser and unescaper).
TEST(EventNormalizerTest, FreeFormScalarsAreCheckedAsSimdjsonDoes) {
  struct Case {
    const char* value;
    bool ok;
  } cases[] = {
      {"0", true}, {"-0", true}, {"1.5", true}, {"123456789012345678", true},
      {"1234567890123456789", true}, {"1e5", true}, {"1E+5", true}, {"1e-400", true},
      {"0.1e-999", true}, {"1.7976931348623157e308", true}, {R"("\ud83d\ude00")", true},
      {R"("\u00e9")", true}, {R"("\/")", true}, {R"("a\u0000b")", true},
      {"12345678901234567890123", false}, {"1e400", false}, {"-1e400", false},
      {"1.7976931348623159e308", false}, {"01", false}, {"1.", false}, {"-", false},
      {".5", false}, {"+1", false}, {"1e", false}, {"1e+", false}, {"-a", false},
      {R"("\ud83d")", false}, {R"("\udc00")", false}, {R"("\u12")", false},
      {R"("\uZZZZ")", false}, {R"("\ud83d\u0041")", false}, {"tru", false}, {"nulll", false},
      {"truex", false}, {"[1,]", false}, {"[1 2]", false}, {"{\"a\" 1}", false},
      {"{\"a\":1,}", false}, {"{1:2}", false}, {"[1}", false}, {"{\"a\":1]", false},
  };
  for (const Case& c : cases) {
    EventNormalizer norm;
    RowBatch batch;
    const std::string rec = std::string(R"({"eventTime":"2020-01-01T00:00:00Z","requestParameters":{"v":)") +
                            c.value + "}}";
    Status s = NormalizeText(norm, rec, &batch);
    EXPECT_EQ(s.ok(), c.ok) << c.value << " -> " << s.ToString();
    if (!c.ok) {
      EXPECT_NE(s.message().find("invalid JSON in 'requestParameters'"), std::string::npos)
          << c.value << " -> " << s.message();
      EXPECT_EQ(batch.row_count(), 0u);
    }
  }
}

TEST(EventNormalizerTest, FreeFormValuesAreMinifiedAndKeptOtherwiseVerbatim) {
  const int params = EventSchema::Get().ColumnByPath("requestParameters");
  const int resources = EventSchema::Get().ColumnByPath("resources");
  EventNormalizer norm;
  RowBatch batch;
  // Compact values are copied as they stand; spaced ones lose the space between tokens only.
  ASSERT_TRUE(NormalizeText(norm,
                            R"({"eventTime":"2020-01-01T00:00:00Z","requestParameters":{"a b":" x ",)"
                            R"("n":[1,2.50,-0.0,1E5],"e":"q\"\\"},"resources":[]})",
                            &batch)
                  .ok());
  ASSERT_TRUE(NormalizeText(norm,
                            "{\"eventTime\":\"2020-01-01T00:00:00Z\",\"requestParameters\" : {\n"
                            "  \"a b\" : \" x \" ,\t\"n\" : [ 1 , 2.50 ,-0.0,\r\n1E5 ] , \"e\":\"q\\\"\\\\\" } ,"
                            "\"resources\" : [ ] }",
                            &batch)
                  .ok());
  const std::string expected = R"({"a b":" x ","n":[1,2.50,-0.0,1E5],"e":"q\"\\"})";
  for (size_t row = 0; row < 2; ++row) {
    EXPECT_EQ(batch.string(params, row).value_or("<null>"), expected) << row;
    EXPECT_EQ(batch.string(resources, row).value_or("<null>"), "[]") << row;
  }
}

// The walk tries the member that followed the previous one in the last record first; members
// in another order, unknown members between them, and names that share that member's length
// and first and last eight bytes must still land in the right place.
TEST(EventNormalizerTest, MembersAreMatchedInAnyOrder) {
  const EventSchema& schema = EventSchema::Get();
  const int name_col = schema.ColumnByPath("eventName");
  const int source_col = schema.ColumnByPath("eventSource");
  const int extra_col = schema.ColumnByPath("additionalEventData");
  const int arn_col = schema.ColumnByPath("userIdentity.arn");
  const int type_col = schema.ColumnByPath("userIdentity.type");
  const int residual_col = schema.residual_column();
  EventNormalizer norm;
  RowBatch batch;
  const std::vector<std::string> records = {
      R"({"eventTime":"2020-01-01T00:00:00Z","eventSource":"s3","eventName":"A","additionalEventData":{"x":1},"userIdentity":{"type":"T","arn":"r"}})",
      R"({"eventTime":"2020-01-01T00:00:00Z","eventSource":"s3","eventName":"A","additionalEventData":{"x":1},"userIdentity":{"type":"T","arn":"r"}})",
      // Reordered, with unknown members in between.
      R"({"userIdentity":{"arn":"r2","zz":1,"type":"T2"},"eventName":"B","new":true,"eventSource":"ec2","eventTime":"2020-01-01T00:00:00Z"})",
      // Same length, head and tail as additionalEventData, other middle bytes: unknown.
      R"({"eventTime":"2020-01-01T00:00:00Z","eventSource":"s3","eventName":"C","additionQQQventData":{"x":2}})",
      // A child name of another struct at the top level: unknown there.
      R"({"eventTime":"2020-01-01T00:00:00Z","eventSource":"s3","eventName":"D","arn":"top"})",
      R"({"eventTime":"2020-01-01T00:00:00Z","eventSource":"s3","eventName":"E","additionalEventData":{"x":3}})",
  };
  for (const std::string& r : records) ASSERT_TRUE(NormalizeText(norm, r, &batch).ok()) << r;
  ASSERT_EQ(batch.row_count(), records.size());
  EXPECT_EQ(batch.string(name_col, 2).value_or("<null>"), "B");
  EXPECT_EQ(batch.string(source_col, 2).value_or("<null>"), "ec2");
  EXPECT_EQ(batch.string(arn_col, 2).value_or("<null>"), "r2");
  EXPECT_EQ(batch.string(type_col, 2).value_or("<null>"), "T2");
  EXPECT_EQ(batch.string(extra_col, 3), std::nullopt);
  EXPECT_NE(batch.string(residual_col, 3).value_or("").find("additionQQQventData"),
            std::string_view::npos);
  EXPECT_EQ(batch.string(arn_col, 4), std::nullopt);
  EXPECT_NE(batch.string(residual_col, 4).value_or("").find("\"arn\":\"top\""),
            std::string_view::npos);
  EXPECT_EQ(batch.string(extra_col, 5).value_or("<null>"), R"({"x":3})");
  // A repeated member is a duplicate whether or not it was the predicted one.
  for (const char* dup :
       {R"({"eventTime":"2020-01-01T00:00:00Z","eventSource":"s3","eventSource":"s3"})",
        R"({"eventTime":"2020-01-01T00:00:00Z","eventSource":"s3","eventName":"A","eventSource":"s3"})",
        R"({"eventTime":"2020-01-01T00:00:00Z","userIdentity":{"type":"T","arn":"r","type":"U"}})"}) {
    Status s = NormalizeText(norm, dup, &batch);
    EXPECT_FALSE(s.ok()) << dup;
    EXPECT_NE(s.message().find("duplicate member"), std::string::npos) << s.message();
  }
  EXPECT_EQ(batch.row_count(), records.size());
}

// A member name read against the predicted one (PredictedMember) is matched only when the
// whole `"name":` is that member's and lies inside the record; near misses and names cut by
// the record's bound go through the general path and read as they would without a prediction.
TEST(EventNormalizerTest, PredictedMemberNamesMatchOnlyExactlyAndInsideTheRecord) {
  const EventSchema& schema = EventSchema::Get();
  const int name_col = schema.ColumnByPath("eventName");
  const int residual_col = schema.residual_column();
  const std::string prime =
      R"({"eventTime":"2020-01-01T00:00:00Z","eventName":"A","userIdentity":{"type":"T"}})";
  // Each follows the primed order, so "eventName" is predicted after "eventTime".
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"eventTime":"2020-01-01T00:00:00Z","eventNameX":"B"})", "residual"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","eventNam":"B"})", "residual"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","eventName" :"B"})", "B"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","event\u004eame":"B"})", "B"},
      {R"({"eventTime":"2020-01-01T00:00:00Z","eventName": "B"})", "B"},
  };
  for (const auto& [text, want] : cases) {
    EventNormalizer norm;
    RowBatch batch;
    ASSERT_TRUE(NormalizeText(norm, prime, &batch).ok());
    ASSERT_TRUE(NormalizeText(norm, text, &batch).ok()) << text;
    ASSERT_EQ(batch.row_count(), 2u);
    if (want == "residual") {
      EXPECT_EQ(batch.string(name_col, 1), std::nullopt) << text;
      EXPECT_TRUE(batch.string(residual_col, 1).has_value()) << text;
    } else {
      EXPECT_EQ(batch.string(name_col, 1).value_or("<null>"), want) << text;
    }
  }
  // A record whose bound falls anywhere inside a predicted name, its colon or its value is
  // rejected, although the bytes after the bound continue the name (as in a Records array).
  const std::string record = R"({"eventTime":"2020-01-01T00:00:00Z","eventName":"B"})";
  simdjson::padded_string padded(record + "," + record);
  const size_t name_at = record.find("\"eventName\"");
  for (size_t cut = name_at; cut < record.size(); ++cut) {
    EventNormalizer norm;
    RowBatch batch;
    ASSERT_TRUE(NormalizeText(norm, prime, &batch).ok());
    const char* p = padded.data();
    Status s = norm.NormalizeInText(&p, padded.data() + cut, &batch);
    EXPECT_FALSE(s.ok()) << "cut at " << cut;
    EXPECT_EQ(batch.row_count(), 1u) << "cut at " << cut;
  }
}

// Structural errors anywhere in the record are rejected with the record left out, also on the
// single-pass path where the caller's parse found the object's extent.
TEST(EventNormalizerTest, BrokenStructureIsRejectedOnBothPaths) {
  const std::vector<std::string> bad = {
      R"({"eventTime":"2020-01-01T00:00:00Z" "eventName":"x"})",
      R"({"eventTime":"2020-01-01T00:00:00Z","eventName" "x"})",
      R"({"eventTime":"2020-01-01T00:00:00Z","eventName":})",
      R"({"eventTime":"2020-01-01T00:00:00Z","userIdentity":{"type":"x",}})",
      R"({"eventTime":"2020-01-01T00:00:00Z","userIdentity":{"type":"x"]})",
      R"({"eventTime":"2020-01-01T00:00:00Z","readOnly":tru})",
      R"({"eventTime":"2020-01-01T00:00:00Z","readOnly":null5})",
      R"({"eventTime":"2020-01-01T00:00:00Z",1:2})",
      R"({"eventTime":"2020-01-01T00:00:00Z","x":[1,{"a":}]})",
  };
  for (const std::string& text : bad) {
    EventNormalizer norm;
    RowBatch batch;
    Status s = NormalizeText(norm, text, &batch);
    EXPECT_FALSE(s.ok()) << text;
    EXPECT_EQ(batch.row_count(), 0u) << text;
    simdjson::padded_string padded(text);
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    simdjson::ondemand::object object;
    if (parser.iterate(padded).get(doc) == simdjson::SUCCESS &&
        doc.get_object().get(object) == simdjson::SUCCESS) {
      Status parsed = norm.NormalizeParsed(object, &batch);
      EXPECT_FALSE(parsed.ok()) << text;
      EXPECT_EQ(batch.row_count(), 0u) << text;
    }
  }
}

// Every value of every row, for comparing two batches.
std::string RowsText(const RowBatch& batch) {
  const auto& schema = EventSchema::Get();
  std::string text;
  for (size_t row = 0; row < batch.row_count(); ++row) {
    text.append(std::to_string(batch.dedup_key(row))).append("|");
    for (size_t c = 0; c < schema.columns().size(); ++c) {
      const int col = static_cast<int>(c);
      switch (storage::BuilderKindFor(schema.columns()[c])) {
        case storage::BuilderKind::kTimestamp:
          text.append(std::to_string(batch.timestamp(col, row)));
          break;
        case storage::BuilderKind::kBool:
          text.append(std::to_string(batch.bool_code(col, row)));
          break;
        default: {
          auto v = batch.string(col, row);
          text.append(v ? "S" + std::string(*v) : "N");
        }
      }
      text.append("|");
    }
    text.append("\n");
  }
  return text;
}

// NormalizeInText reads one record out of a larger text (a Records array the container
// walks) and stores exactly the row Normalize stores; a bad record, or one that does not end
// before the bound, is rejected with the batch unchanged.
TEST(EventNormalizerTest, NormalizeInTextReadsOneRecordOfALargerText) {
  const std::vector<std::string> records = DatasetRecords();
  ASSERT_GT(records.size(), 100u);
  std::string joined = "[";
  std::vector<size_t> starts;
  for (const std::string& r : records) {
    if (starts.size() > 0) joined += " ,\n";
    starts.push_back(joined.size());
    joined += r;
  }
  joined += "]";
  simdjson::padded_string padded(joined);
  const char* const base = padded.data();
  const char* const end = base + padded.size();

  EventNormalizer by_text, in_text;
  RowBatch expected, actual;
  for (size_t i = 0; i < records.size(); ++i) {
    ASSERT_TRUE(NormalizeText(by_text, records[i], &expected).ok()) << i;
    const char* p = base + starts[i];
    ASSERT_TRUE(in_text.NormalizeInText(&p, end, &actual).ok()) << i;
    EXPECT_EQ(p, base + starts[i] + records[i].size()) << i;
    ASSERT_TRUE(in_text.FinishParsed(std::string_view(base + starts[i], records[i].size()),
                                     &actual)
                    .ok());
  }
  EXPECT_EQ(RowsText(actual), RowsText(expected));

  // The object must end before `end`: one byte short of its closing brace is an error.
  const std::string& first = records[0];
  const char* p = base + starts[0];
  Status cut = in_text.NormalizeInText(&p, base + starts[0] + first.size() - 1, &actual);
  EXPECT_FALSE(cut.ok());
  EXPECT_EQ(actual.row_count(), records.size());

  const std::vector<std::string> bad = {
      R"({"eventTime":"2020-01-01T00:00:00Z" "eventName":"x"},)",
      R"({"eventTime":"2020-01-01T00:00:00Z","userIdentity":{"type":"x"]},)",
      R"({"eventTime":"2020-01-01T00:00:00Z","x":[1,{"a":}]}])",
      R"({"eventName":"no time"},)",
  };
  for (const std::string& text : bad) {
    simdjson::padded_string b(text);
    const char* q = b.data();
    Status s = in_text.NormalizeInText(&q, b.data() + b.size(), &actual);
    EXPECT_FALSE(s.ok()) << text;
    EXPECT_EQ(actual.row_count(), records.size()) << text;
  }
}

}  // namespace
}  // namespace trailbook::ingest
