#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "base/timestamp.h"
#include "io/file.h"
#include "storage/event_json.h"
#include "storage/event_schema.h"
#include "storage/row_batch.h"
#include "storage/segment_reader.h"
#include "storage/segment_writer.h"

namespace trailbook::storage {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/tb_segment_test_XXXXXX";
  return ::mkdtemp(tmpl);
}

std::string Uuid(int i) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-1111-4222-8333-%012x", i, i * 7);
  return buf;
}

// Builds `n` rows: every third row has no errorCode, eventIDs are UUIDs except row 5.
RowBatch MakeBatch(int n) {
  const EventSchema& s = EventSchema::Get();
  RowBatch b;
  for (int i = 0; i < n; ++i) {
    b.SetTimestamp(s.event_time_column(), int64_t{1'700'000'000} * kMicrosPerSecond +
                                              int64_t{i} * kMicrosPerSecond);
    b.SetString(s.ColumnByPath("eventName"), i % 2 ? "GetObject" : "ConsoleLogin");
    b.SetString(s.ColumnByPath("sourceIPAddress"), "10.0.0." + std::to_string(i % 7));
    if (i % 3 != 0) b.SetString(s.ColumnByPath("errorCode"), "AccessDenied");
    b.SetString(s.event_id_column(), i == 5 ? std::string("not-a-uuid") : Uuid(i));
    b.SetBool(s.ColumnByPath("readOnly"), i % 2 == 1);
    b.SetString(s.ColumnByPath("requestParameters"),
                "{\"bucketName\":\"b" + std::to_string(i) + "\",\"n\":" + std::to_string(i) + "}");
    std::string shape;
    shape.push_back(31);  // eventTime
    shape.push_back(33);  // eventName
    shape.push_back(35);  // sourceIPAddress
    if (i % 3 != 0) shape.push_back(37);  // errorCode
    shape.push_back(39);  // requestParameters
    shape.push_back(43);  // eventID
    shape.push_back(44);  // readOnly
    b.SetString(s.shape_column(), shape);
    b.EndRow(static_cast<uint64_t>(i));
  }
  return b;
}

TEST(SegmentTest, WriteReadRoundTrip) {
  const EventSchema& s = EventSchema::Get();
  RowBatch batch = MakeBatch(20000);
  std::vector<uint32_t> rows(batch.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  ZstdCodec codec;
  SegmentWriteOptions options;
  options.block_rows = 4096;
  options.frame_rows = 512;
  std::string dir = TempDir();
  auto info = WriteSegment(dir, 42, 19675, batch, rows, options, codec);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->rows, 20000u);
  auto seg = SegmentReader::Open(dir + "/" + SegmentFileName(42));
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  const SegmentReader& r = **seg;
  EXPECT_EQ(r.num_blocks(), 5u);
  EXPECT_EQ(r.footer().min_time, batch.event_time(0));
  EXPECT_EQ(r.footer().max_time, batch.event_time(19999));
  ASSERT_TRUE(r.VerifyAll().ok());
  EXPECT_EQ(r.encoding(s.event_id_column()), ColumnEncoding::kUuid);
  EXPECT_EQ(r.encoding(s.ColumnByPath("eventName")), ColumnEncoding::kDictionary);
  EXPECT_EQ(r.encoding(s.ColumnByPath("requestParameters")), ColumnEncoding::kPlain);
  EXPECT_EQ(r.encoding(s.ColumnByPath("userAgent")), ColumnEncoding::kAllNull);

  for (uint32_t b = 0; b < r.num_blocks(); ++b) {
    uint32_t n = r.block(b).row_count;
    std::vector<int64_t> ts(n);
    ASSERT_TRUE(r.ReadTimestamps(s.event_time_column(), b, ts.data()).ok());
    StringBlock ids, params, names, errors;
    ASSERT_TRUE(r.ReadStrings(s.event_id_column(), b, &ids).ok());
    ASSERT_TRUE(r.ReadStrings(s.ColumnByPath("requestParameters"), b, &params).ok());
    ASSERT_TRUE(r.ReadStrings(s.ColumnByPath("eventName"), b, &names).ok());
    ASSERT_TRUE(r.ReadStrings(s.ColumnByPath("errorCode"), b, &errors).ok());
    std::vector<uint32_t> bools(n);
    ASSERT_TRUE(r.ReadCodes(s.ColumnByPath("readOnly"), b, bools.data()).ok());
    for (uint32_t i = 0; i < n; ++i) {
      size_t row = r.block(b).row_start + i;
      ASSERT_EQ(ts[i], batch.event_time(row));
      ASSERT_EQ(ids.value(i), batch.string(s.event_id_column(), row));
      ASSERT_EQ(params.value(i), batch.string(s.ColumnByPath("requestParameters"), row));
      ASSERT_EQ(names.value(i), batch.string(s.ColumnByPath("eventName"), row));
      ASSERT_EQ(errors.value(i), batch.string(s.ColumnByPath("errorCode"), row));
      ASSERT_EQ(bools[i], batch.bool_code(s.ColumnByPath("readOnly"), row));
    }
  }
  // Random access agrees with block decoding.
  for (uint64_t row : {0ull, 5ull, 4095ull, 4096ull, 19999ull}) {
    auto v = r.StringAt(s.event_id_column(), row);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(*v, batch.string(s.event_id_column(), row)) << row;
    auto p = r.StringAt(s.ColumnByPath("requestParameters"), row);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(*p, batch.string(s.ColumnByPath("requestParameters"), row));
    EXPECT_EQ(*r.TimestampAt(s.event_time_column(), row), batch.event_time(row));
  }
}

TEST(SegmentTest, ReadStringFrameMatchesBlockDecoding) {
  const EventSchema& s = EventSchema::Get();
  RowBatch batch = MakeBatch(10000);
  std::vector<uint32_t> rows(batch.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  ZstdCodec codec;
  SegmentWriteOptions options;
  options.block_rows = 4096;
  options.frame_rows = 512;
  std::string dir = TempDir();
  ASSERT_TRUE(WriteSegment(dir, 43, 19675, batch, rows, options, codec).ok());
  auto seg = SegmentReader::Open(dir + "/" + SegmentFileName(43));
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  const SegmentReader& r = **seg;
  const int params = s.ColumnByPath("requestParameters");  // plain: frames of 512 rows
  const int ids = s.event_id_column();                     // UUID: one frame per block
  const int agent = s.ColumnByPath("userAgent");           // absent: all NULL
  for (uint32_t b = 0; b < r.num_blocks(); ++b) {
    const uint32_t n = r.block(b).row_count;  // 4096, 4096, 1808: the last frame is short
    auto frame_rows = r.StringFrameRows(params, b);
    ASSERT_TRUE(frame_rows.ok());
    EXPECT_EQ(*frame_rows, 512u);
    uint32_t frames = (n + *frame_rows - 1) / *frame_rows;
    for (uint32_t f = 0; f < frames; ++f) {
      StringBlock frame;
      uint64_t stored = 0;
      ASSERT_TRUE(r.ReadStringFrame(params, b, f, &frame, &stored).ok());
      EXPECT_GT(stored, 0u);
      ASSERT_EQ(frame.size(), std::min(*frame_rows, n - f * *frame_rows));
      for (uint32_t i = 0; i < frame.size(); ++i) {
        size_t row = r.block(b).row_start + f * *frame_rows + i;
        ASSERT_EQ(frame.value(i), batch.string(params, row)) << row;
      }
    }
    StringBlock past;
    EXPECT_EQ(r.ReadStringFrame(params, b, frames, &past).code(), StatusCode::kInvalidArgument);
    // Other encodings are one frame of the whole block.
    EXPECT_EQ(*r.StringFrameRows(ids, b), n);
    StringBlock id_frame;
    ASSERT_TRUE(r.ReadStringFrame(ids, b, 0, &id_frame).ok());
    ASSERT_EQ(id_frame.size(), n);
    EXPECT_EQ(id_frame.value(5 % n), batch.string(ids, r.block(b).row_start + 5 % n));
    EXPECT_EQ(r.ReadStringFrame(ids, b, 1, &id_frame).code(), StatusCode::kInvalidArgument);
    StringBlock agents;
    ASSERT_TRUE(r.ReadStringFrame(agent, b, 0, &agents).ok());
    ASSERT_EQ(agents.size(), n);
    EXPECT_TRUE(agents.is_null(0));
  }
}

TEST(SegmentTest, ReadCodesAtMatchesBlockDecoding) {
  const EventSchema& s = EventSchema::Get();
  const int name = s.ColumnByPath("eventName");         // alternating: packed codes
  const int region = s.ColumnByPath("awsRegion");       // runs of 300 rows: run-length codes
  const int account = s.ColumnByPath("recipientAccountId");  // one value: constant chunk
  const int read_only = s.ColumnByPath("readOnly");     // boolean codes
  const int user_agent = s.ColumnByPath("userAgent");   // absent: all NULL
  RowBatch batch;
  for (int i = 0; i < 10000; ++i) {
    batch.SetTimestamp(s.event_time_column(), int64_t{1'700'000'000} * kMicrosPerSecond + i);
    batch.SetString(name, i % 2 ? "GetObject" : "ConsoleLogin");
    batch.SetString(region, "region-" + std::to_string(i / 300));
    batch.SetString(account, "111122223333");
    batch.SetBool(read_only, i % 3 == 0);
    batch.SetString(s.shape_column(), std::string(1, 31));
    batch.EndRow(static_cast<uint64_t>(i));
  }
  std::vector<uint32_t> order(batch.row_count());
  std::iota(order.begin(), order.end(), 0u);
  ZstdCodec codec;
  SegmentWriteOptions options;
  options.block_rows = 4096;
  std::string dir = TempDir();
  ASSERT_TRUE(WriteSegment(dir, 7, 19675, batch, order, options, codec).ok());
  auto seg = SegmentReader::Open(dir + "/" + SegmentFileName(7));
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  const SegmentReader& r = **seg;
  for (uint32_t b = 0; b < r.num_blocks(); ++b) {
    uint32_t n = r.block(b).row_count;
    // Rows out of order and repeated, as a needle lookup or a join could ask for them.
    std::vector<uint32_t> rows;
    for (uint32_t i = 0; i < n; i += 37) rows.push_back(n - 1 - i);
    rows.push_back(0);
    rows.push_back(0);
    for (int col : {name, region, account, read_only, user_agent}) {
      std::vector<uint32_t> all(n), some(rows.size());
      ASSERT_TRUE(r.ReadCodes(col, b, all.data()).ok());
      ASSERT_TRUE(r.ReadCodesAt(col, b, rows.data(), rows.size(), some.data()).ok());
      for (size_t i = 0; i < rows.size(); ++i) {
        ASSERT_EQ(some[i], all[rows[i]])
            << "column " << col << " block " << b << " row " << rows[i];
        auto one = r.CodeAt(col, r.block(b).row_start + rows[i]);
        ASSERT_TRUE(one.ok());
        ASSERT_EQ(*one, some[i]);
      }
    }
    uint32_t outside = n;
    uint32_t code = 0;
    Status bad = r.ReadCodesAt(name, b, &outside, 1, &code);
    EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  }
}

TEST(SegmentTest, NeedleLookups) {
  const EventSchema& s = EventSchema::Get();
  RowBatch batch = MakeBatch(10000);
  std::vector<uint32_t> rows(batch.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  ZstdCodec codec;
  std::string dir = TempDir();
  ASSERT_TRUE(WriteSegment(dir, 1, 0, batch, rows, {}, codec).ok());
  auto seg = SegmentReader::Open(dir + "/" + SegmentFileName(1));
  ASSERT_TRUE(seg.ok());
  int ip = s.ColumnByPath("sourceIPAddress");
  EXPECT_TRUE((*seg)->HasNeedleIndex(ip));
  auto hits = (*seg)->LookupRows(ip, "10.0.0.3");
  ASSERT_TRUE(hits.ok());
  std::vector<uint32_t> expect;
  for (uint32_t i = 0; i < 10000; ++i) {
    if (i % 7 == 3) expect.push_back(i);
  }
  EXPECT_EQ(*hits, expect);
  EXPECT_TRUE((*seg)->LookupRows(ip, "192.0.2.1")->empty());
  auto id = (*seg)->LookupRows(s.event_id_column(), Uuid(7777));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, std::vector<uint32_t>{7777});
  EXPECT_EQ(*(*seg)->LookupRows(s.event_id_column(), "not-a-uuid"), std::vector<uint32_t>{5});
  EXPECT_TRUE((*seg)->LookupRows(s.event_id_column(), Uuid(123456))->empty());
}

std::string ToUpper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

TEST(SegmentTest, UuidNeedleKnowsWhichStoredKindsCanMatch) {
  UuidNeedle lower("0123abcd-0000-1111-2222-333344445555");
  EXPECT_TRUE(lower.matches_lower());
  EXPECT_FALSE(lower.matches_upper());
  UuidNeedle upper("0123ABCD-0000-1111-2222-333344445555");
  EXPECT_FALSE(upper.matches_lower());
  EXPECT_TRUE(upper.matches_upper());
  EXPECT_EQ(std::memcmp(lower.binary(), upper.binary(), 16), 0);
  UuidNeedle digits("01234567-0000-1111-2222-333344445555");
  EXPECT_TRUE(digits.matches_lower());
  EXPECT_TRUE(digits.matches_upper());
  for (const char* text : {"0123ABcd-0000-1111-2222-333344445555", "not-a-uuid", "",
                           "{0123abcd-0000-1111-2222-333344445555}",
                           "0123abcd000001111222233334444555566"}) {
    UuidNeedle n(text);
    EXPECT_FALSE(n.matches_lower()) << text;
    EXPECT_FALSE(n.matches_upper()) << text;
    EXPECT_EQ(n.text(), text);
  }
}

// The binary UUID needle scan must answer exactly what text equality over the decoded
// column answers: case differences, all-digit UUIDs, exceptions, duplicates and NULLs.
TEST(SegmentTest, UuidNeedleLookupEqualsTextEquality) {
  const EventSchema& s = EventSchema::Get();
  const int id_column = s.event_id_column();
  const int n = 3000;
  std::vector<std::optional<std::string>> ids;
  for (int i = 0; i < n; ++i) ids.push_back(Uuid(i));
  for (int i = 50; i < n; i += 50) ids[static_cast<size_t>(i)] = ToUpper(Uuid(i - 1));
  ids[7] = "000000Ab-1111-4222-8333-0000000004ad";  // Mixed case of Uuid(171): exception.
  ids[11] = "not-a-uuid";
  ids[13] = "12345678-1234-1234-1234-123456789012";  // No letters: stored as lowercase.
  ids[14] = ids[13];
  ids[20] = std::nullopt;
  ids[21] = Uuid(171);                                   // Duplicate, other block below.
  ids[2100] = Uuid(171);
  ids[2101] = ToUpper(Uuid(171));                        // Same bytes, uppercase kind.
  ids[2500] = "";
  RowBatch batch;
  for (int i = 0; i < n; ++i) {
    batch.SetTimestamp(s.event_time_column(), int64_t{1'700'000'000} * kMicrosPerSecond + i);
    batch.SetString(s.ColumnByPath("eventName"), "GetObject");
    if (ids[static_cast<size_t>(i)]) batch.SetString(id_column, *ids[static_cast<size_t>(i)]);
    batch.SetString(s.shape_column(), std::string{31, 33, 43});
    batch.EndRow(static_cast<uint64_t>(i));
  }
  std::vector<uint32_t> rows(batch.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  ZstdCodec codec;
  SegmentWriteOptions options;
  options.block_rows = 1024;
  std::string dir = TempDir();
  ASSERT_TRUE(WriteSegment(dir, 3, 0, batch, rows, options, codec).ok());
  auto seg = SegmentReader::Open(dir + "/" + SegmentFileName(3));
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  ASSERT_EQ((*seg)->encoding(id_column), ColumnEncoding::kUuid);
  std::vector<std::string> needles = {
      Uuid(171), ToUpper(Uuid(171)), "000000Ab-1111-4222-8333-0000000004ad",
      "000000aB-1111-4222-8333-0000000004AD", Uuid(49), ToUpper(Uuid(49)), Uuid(50),
      "not-a-uuid", "NOT-A-UUID", "12345678-1234-1234-1234-123456789012", "",
      "00000000-0000-0000-0000-000000000000", Uuid(999999), "000000ab-1111-4222-8333-0000000004a"};
  for (const std::string& needle : needles) {
    std::vector<uint32_t> expect;
    for (int i = 0; i < n; ++i) {
      if (ids[static_cast<size_t>(i)] && *ids[static_cast<size_t>(i)] == needle) {
        expect.push_back(static_cast<uint32_t>(i));
      }
    }
    auto got = (*seg)->LookupRows(id_column, needle);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, expect) << "needle '" << needle << "'";
  }
  // Spot-check that the cases above are not vacuous.
  EXPECT_EQ((*seg)->LookupRows(id_column, Uuid(171))->size(), 3u);
  EXPECT_EQ((*seg)->LookupRows(id_column, "000000Ab-1111-4222-8333-0000000004ad")->size(), 1u);
  EXPECT_EQ((*seg)->LookupRows(id_column, ToUpper(Uuid(171)))->size(), 1u);
  EXPECT_EQ((*seg)->LookupRows(id_column, "12345678-1234-1234-1234-123456789012")->size(), 2u);
}

TEST(SegmentTest, CorruptionIsDetected) {
  RowBatch batch = MakeBatch(100);
  std::vector<uint32_t> rows(batch.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  ZstdCodec codec;
  std::string dir = TempDir();
  ASSERT_TRUE(WriteSegment(dir, 9, 0, batch, rows, {}, codec).ok());
  std::string path = dir + "/" + SegmentFileName(9);
  std::string bytes = *io::ReadFile(path);
  // A flipped byte in the data region fails its chunk checksum.
  std::string flipped = bytes;
  flipped[100] ^= 1;
  ASSERT_TRUE(io::WriteFileAtomic(path, flipped).ok());
  auto seg = SegmentReader::Open(path);
  ASSERT_TRUE(seg.ok());
  EXPECT_EQ((*seg)->VerifyAll().code(), StatusCode::kCorruption);
  // Truncation breaks the trailer.
  ASSERT_TRUE(io::WriteFileAtomic(path, bytes.substr(0, bytes.size() - 5)).ok());
  auto t = SegmentReader::Open(path);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kCorruption);
  EXPECT_NE(t.status().message().find(path), std::string::npos);
  // Garbage is not a segment.
  ASSERT_TRUE(io::WriteFileAtomic(path, std::string(200, 'x')).ok());
  EXPECT_EQ(SegmentReader::Open(path).status().code(), StatusCode::kCorruption);
}

TEST(SegmentTest, UuidParsing) {
  uint8_t b[16];
  bool upper;
  EXPECT_TRUE(ParseUuid("0123abcd-0000-1111-2222-333344445555", b, &upper));
  EXPECT_FALSE(upper);
  char out[36];
  FormatUuid(b, false, out);
  EXPECT_EQ(std::string(out, 36), "0123abcd-0000-1111-2222-333344445555");
  EXPECT_TRUE(ParseUuid("0123ABCD-0000-1111-2222-333344445555", b, &upper));
  EXPECT_TRUE(upper);
  EXPECT_FALSE(ParseUuid("0123ABcd-0000-1111-2222-333344445555", b, &upper));
  EXPECT_FALSE(ParseUuid("0123abcd-0000-1111-2222-33334444555", b, &upper));
  EXPECT_FALSE(ParseUuid("0123abcd00000-1111-2222-333344445555", b, &upper));
  EXPECT_FALSE(ParseUuid("0123abcg-0000-1111-2222-333344445555", b, &upper));
  // Every non-hex byte is refused in every position, in the high and the low nibble.
  const std::string good = "0123abcd-0000-1111-2222-333344445555";
  for (int c = 0; c < 256; ++c) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    for (size_t pos : {size_t{0}, size_t{1}, size_t{9}, size_t{35}}) {
      std::string s = good;
      s[pos] = static_cast<char>(c);
      bool mixed = c >= 'A' && c <= 'F';  // the rest of `good` is lower case
      EXPECT_EQ(ParseUuid(s, b, &upper), hex && !mixed) << "byte " << c << " at " << pos;
    }
  }
  // Every byte in every digit position: hex digits decode to themselves (round trip), in
  // either case, and anything else is refused.
  const std::string zeros = "00000000-0000-0000-0000-000000000000";
  for (size_t pos = 0; pos < zeros.size(); ++pos) {
    if (zeros[pos] == '-') continue;
    for (int c = 0; c < 256; ++c) {
      std::string s = zeros;
      s[pos] = static_cast<char>(c);
      const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      ASSERT_EQ(ParseUuid(s, b, &upper), hex) << "byte " << c << " at " << pos;
      if (!hex) continue;
      EXPECT_EQ(upper, c >= 'A' && c <= 'F') << "byte " << c << " at " << pos;
      FormatUuid(b, upper, out);
      EXPECT_EQ(std::string(out, 36), s) << "byte " << c << " at " << pos;
    }
  }
  ASSERT_TRUE(ParseUuid("fFfFfFfF-0000-1111-2222-333344445555", b, &upper) == false);
  ASSERT_TRUE(ParseUuid("FEDCBA98-7654-3210-ABCD-EF0123456789", b, &upper));
  EXPECT_TRUE(upper);
  EXPECT_EQ(b[0], 0xfe);
  EXPECT_EQ(b[15], 0x89);
}

// Needle lookups on every value of `column` equal a scan of the column.
void ExpectLookupsMatchScan(const SegmentReader& seg, int column) {
  std::map<std::string, std::vector<uint32_t>> rows_of;
  for (uint32_t b = 0; b < seg.num_blocks(); ++b) {
    StringBlock block;
    ASSERT_TRUE(seg.ReadStrings(column, b, &block).ok());
    for (size_t i = 0; i < block.size(); ++i) {
      if (!block.is_null(i)) {
        rows_of[std::string(block.view(i))].push_back(seg.block(b).row_start + static_cast<uint32_t>(i));
      }
    }
  }
  ASSERT_FALSE(rows_of.empty());
  for (const auto& [value, rows] : rows_of) {
    auto got = seg.LookupRows(column, value);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, rows) << "value '" << value << "'";
  }
  EXPECT_TRUE(seg.LookupRows(column, "11111111-2222-4333-8444-555555555555")->empty());
  EXPECT_TRUE(seg.LookupRows(column, "absent")->empty());
}

TEST(SegmentTest, NeedleIndexOfOlderSegmentsStillAnswers) {
  // Written before the row hash index: eventID and requestID carry per-block Bloom filters.
  auto seg = SegmentReader::Open("tests/data/segments/bloom_index_v1.tbs");
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  const EventSchema& s = EventSchema::Get();
  ASSERT_TRUE((*seg)->VerifyAll().ok());
  for (const char* path : {"eventID", "requestID"}) {
    const int column = s.ColumnByPath(path);
    ASSERT_NE((*seg)->column(column), nullptr) << path;
    EXPECT_EQ((*seg)->column(column)->index, IndexKind::kBloom) << path;
    ExpectLookupsMatchScan(**seg, column);
  }
}

TEST(SegmentTest, HashIndexWithOtherFingerprintWidthsStillAnswers) {
  // Written when the row hash index used 16-bit fingerprints (now kHashIndexFingerprintBits):
  // each chunk records its widths, so lookups stay exact across writers.
  auto seg = SegmentReader::Open("tests/data/segments/hash_index_f16_v1.tbs");
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  auto file = io::ReadFile("tests/data/segments/hash_index_f16_v1.tbs");
  ASSERT_TRUE(file.ok());
  const EventSchema& s = EventSchema::Get();
  ASSERT_TRUE((*seg)->VerifyAll().ok());
  for (const char* path : {"eventID", "requestID"}) {
    const int column = s.ColumnByPath(path);
    ASSERT_NE((*seg)->column(column), nullptr) << path;
    ASSERT_EQ((*seg)->column(column)->index, IndexKind::kHash) << path;
    const ChunkRef& ref = (*seg)->column(column)->index_chunks.at(0);
    ASSERT_GE(ref.length, 2u);
    EXPECT_EQ(static_cast<uint8_t>((*file)[ref.offset + 1]), 16) << path;  // F
    ExpectLookupsMatchScan(**seg, column);
  }
}

TEST(SegmentTest, HashIndexOnPlainAndUuidColumns) {
  // eventID: plain text (not UUIDs), requestID: UUIDs with some NULLs and duplicates.
  const EventSchema& s = EventSchema::Get();
  const int request_id = s.ColumnByPath("requestID");
  RowBatch batch;
  const int n = 5000;
  for (int i = 0; i < n; ++i) {
    batch.SetTimestamp(s.event_time_column(), int64_t{1'700'000'000} * kMicrosPerSecond + i);
    batch.SetString(s.event_id_column(), "evt-" + std::to_string(i % 4000));
    if (i % 50 != 7) batch.SetString(request_id, Uuid(i % 3000));
    batch.SetString(s.shape_column(), std::string{31, 43});
    batch.EndRow(static_cast<uint64_t>(i));
  }
  std::vector<uint32_t> rows(batch.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  ZstdCodec codec;
  SegmentWriteOptions options;
  options.block_rows = 1024;
  options.frame_rows = 128;
  std::string dir = TempDir();
  ASSERT_TRUE(WriteSegment(dir, 4, 0, batch, rows, options, codec).ok());
  auto seg = SegmentReader::Open(dir + "/" + SegmentFileName(4));
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  ASSERT_EQ((*seg)->encoding(s.event_id_column()), ColumnEncoding::kPlain);
  ASSERT_EQ((*seg)->encoding(request_id), ColumnEncoding::kUuid);
  for (int column : {s.event_id_column(), request_id}) {
    ASSERT_EQ((*seg)->column(column)->index, IndexKind::kHash);
    ASSERT_EQ((*seg)->column(column)->index_chunks.size(), 1u);
    ExpectLookupsMatchScan(**seg, column);
  }
  EXPECT_EQ((*seg)->LookupRows(s.event_id_column(), "evt-7")->size(), 2u);
  EXPECT_EQ((*seg)->LookupRows(request_id, ToUpper(Uuid(7)))->size(), 0u);
  // IN lists: ascending, deduplicated.
  std::vector<std::string> in = {"evt-3999", "evt-1", "evt-1"};
  EXPECT_EQ(*(*seg)->LookupRowsAny(s.event_id_column(), in),
            (std::vector<uint32_t>{1, 3999, 4001}));
}

TEST(SegmentTest, CorruptHashIndexIsReported) {
  RowBatch batch = MakeBatch(3000);
  std::vector<uint32_t> rows(batch.row_count());
  std::iota(rows.begin(), rows.end(), 0u);
  ZstdCodec codec;
  std::string dir = TempDir();
  ASSERT_TRUE(WriteSegment(dir, 5, 0, batch, rows, {}, codec).ok());
  const std::string path = dir + "/" + SegmentFileName(5);
  auto bytes = io::ReadFile(path);
  ASSERT_TRUE(bytes.ok());
  auto seg = SegmentReader::OpenBytes(*bytes, "good");
  ASSERT_TRUE(seg.ok());
  const ColumnMeta* meta = (*seg)->column(EventSchema::Get().event_id_column());
  ASSERT_NE(meta, nullptr);
  ASSERT_EQ(meta->index, IndexKind::kHash);
  const ChunkRef ref = meta->index_chunks[0];
  std::string bad = *bytes;
  bad[ref.offset + ref.length / 2] ^= 0x40;
  auto damaged = SegmentReader::OpenBytes(bad, "damaged");
  ASSERT_TRUE(damaged.ok());  // chunks are checked when read
  auto got = (*damaged)->LookupRows(EventSchema::Get().event_id_column(), Uuid(12));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kCorruption);
  EXPECT_NE(got.status().message().find("damaged"), std::string::npos) << got.status().ToString();
}

TEST(SegmentTest, RebuildsEventJsonFromShape) {
  RowBatch batch = MakeBatch(4);
  std::vector<uint32_t> rows{0, 1, 2, 3};
  ZstdCodec codec;
  std::string dir = TempDir();
  ASSERT_TRUE(WriteSegment(dir, 3, 0, batch, rows, {}, codec).ok());
  auto seg = SegmentReader::Open(dir + "/" + SegmentFileName(3));
  ASSERT_TRUE(seg.ok());
  SegmentRowValues values(**seg, 1);
  std::string json;
  ASSERT_TRUE(RebuildEventJson(values, &json).ok());
  EXPECT_EQ(json,
            "{\"eventTime\":\"2023-11-14T22:13:21Z\",\"eventName\":\"GetObject\","
            "\"sourceIPAddress\":\"10.0.0.1\",\"errorCode\":\"AccessDenied\","
            "\"requestParameters\":{\"bucketName\":\"b1\",\"n\":1},\"eventID\":\"" +
                Uuid(1) + "\",\"readOnly\":true}");
}

}  // namespace
}  // namespace trailbook::storage
