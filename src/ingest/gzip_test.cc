#include "ingest/gzip.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "ingest/gzip_testing.h"

namespace trailbook::ingest {
namespace {

using ::testing::HasSubstr;

std::string Text(size_t n) {
  std::string s;
  for (size_t i = 0; s.size() < n; ++i) s += "{\"eventID\":\"" + std::to_string(i * 7919) + "\"}\n";
  s.resize(n);
  return s;
}

// Drains `stream` with reads of `step` bytes.
Result<std::string> Drain(ByteStream& stream, size_t step) {
  std::string out;
  std::string buf(step, '\0');
  for (;;) {
    TB_ASSIGN_OR_RETURN(size_t n, stream.Read(buf.data(), buf.size()));
    if (n == 0) return out;
    out.append(buf.data(), n);
  }
}

Result<std::string> Gunzip(std::string_view gz, GunzipLimits limits = {}, size_t step = 1000) {
  MemoryStream source(gz);
  GunzipStream stream(source, limits);
  return Drain(stream, step);
}

TEST(GzipTest, MagicAndSizeHint) {
  std::string gz = GzipForTesting(Text(12345));
  EXPECT_TRUE(HasGzipMagic(gz));
  EXPECT_FALSE(HasGzipMagic("{\"Records\""));
  EXPECT_FALSE(HasGzipMagic("\x1f"));
  EXPECT_EQ(GzipSizeHint(gz), 12345u);
  EXPECT_EQ(GzipSizeHint("short"), 0u);
}

TEST(GzipTest, WholeBufferRoundTrip) {
  GzipDecoder decoder;
  PaddedBuffer out;
  for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, size_t{300000}}) {
    std::string text = Text(n);
    ASSERT_TRUE(decoder.Decompress(GzipForTesting(text), 1 << 20, &out).ok());
    EXPECT_EQ(out.view(), text);
  }
}

TEST(GzipTest, MultiMemberAndZeroPadding) {
  std::string a = Text(5000);
  std::string b = Text(70000);
  std::string gz =
      GzipForTesting(a) + GzipForTesting(b) + GzipForTesting("") + std::string(9, '\0');
  GzipDecoder decoder;
  PaddedBuffer out;
  ASSERT_TRUE(decoder.Decompress(gz, 1 << 20, &out).ok());
  EXPECT_EQ(out.view(), a + b);
  Result<std::string> streamed = Gunzip(gz, {}, 333);
  ASSERT_TRUE(streamed.ok()) << streamed.status().ToString();
  EXPECT_EQ(*streamed, a + b);
}

TEST(GzipTest, OutputCap) {
  std::string gz = GzipForTesting(Text(100000));
  GzipDecoder decoder;
  PaddedBuffer out;
  Status s = decoder.Decompress(gz, 99999, &out);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(decoder.Decompress(gz, 100000, &out).ok());
  GunzipLimits limits;
  limits.max_output = 5000;
  Result<std::string> r = Gunzip(gz, limits);
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(r.status().message(), HasSubstr("more than the limit of 5000 bytes"));
}

TEST(GzipTest, RatioCapStopsBombs) {
  std::string gz = GzipForTesting(std::string(8 << 20, 'a'), 9);
  GunzipLimits limits;
  limits.max_ratio = 100;
  limits.ratio_floor = 1 << 20;
  Result<std::string> r = Gunzip(gz, limits, 1 << 16);
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(r.status().message(), HasSubstr("expands more than 100x"));
  limits.max_ratio = 10000;
  EXPECT_TRUE(Gunzip(gz, limits, 1 << 16).ok());
}

TEST(GzipTest, TruncatedDataIsReportedAsTruncated) {
  std::string gz = GzipForTesting(Text(50000));
  for (size_t cut : {size_t{2}, size_t{10}, gz.size() / 2, gz.size() - 1}) {
    std::string_view part(gz.data(), cut);
    GzipDecoder decoder;
    PaddedBuffer out;
    Status s = decoder.Decompress(part, 1 << 20, &out);
    // A damaged size trailer may look too large; the streaming decoder then has the last word.
    if (s.code() != StatusCode::kResourceExhausted) {
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << cut;
      EXPECT_THAT(s.message(), HasSubstr("truncated gzip data: the input ends inside member 1"));
    }
    Result<std::string> r = Gunzip(part);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("truncated gzip data")) << cut;
  }
}

TEST(GzipTest, CorruptDataIsReportedAsCorrupt) {
  std::string gz = GzipForTesting(Text(50000));
  std::string bad = gz;
  bad[3] = static_cast<char>(0xe0);  // Reserved header flag bits.
  GzipDecoder decoder;
  PaddedBuffer out;
  Status s = decoder.Decompress(bad, 1 << 20, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("corrupt gzip data in member 1 (at byte offset 0)"));
  // A bad second member is named as such.
  std::string two =
      GzipForTesting("first") + gz.substr(0, 12) + std::string(40, 'x') + gz.substr(52);
  s = decoder.Decompress(two, 1 << 20, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("member 2"));
}

TEST(GzipTest, TrailingGarbageIsRejected) {
  std::string gz = GzipForTesting("abc") + "\x1f";
  GzipDecoder decoder;
  PaddedBuffer out;
  EXPECT_EQ(decoder.Decompress(gz, 1 << 20, &out).code(), StatusCode::kInvalidArgument);
  gz = GzipForTesting("abc") + std::string(3, '\0') + "x";
  Status s = decoder.Decompress(gz, 1 << 20, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("unexpected data after gzip member 1"));
  Result<std::string> r = Gunzip(gz);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("unexpected data after gzip member 1"));
}

TEST(GzipTest, StreamReadsOneByteAtATime) {
  std::string text = Text(3000);
  Result<std::string> r = Gunzip(GzipForTesting(text) + GzipForTesting(text), {}, 1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, text + text);
}

}  // namespace
}  // namespace trailbook::ingest
