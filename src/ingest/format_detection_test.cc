#include "ingest/format_detection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace trailbook::ingest {
namespace {

using ::testing::HasSubstr;

Layout Detect(std::string_view head, bool complete = true) {
  Result<Layout> r = DetectLayout(head, complete);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Layout::kCsv;
}

TEST(FormatDetectionTest, JsonDocuments) {
  EXPECT_EQ(Detect("{\"Records\":[]}"), Layout::kJsonDocument);
  EXPECT_EQ(Detect("{\"Records\":[]}\n"), Layout::kJsonDocument);
  EXPECT_EQ(Detect("{\"Records\":[]}\n\n  \n"), Layout::kJsonDocument);
  EXPECT_EQ(Detect("  [\n{\"a\":1}\n]"), Layout::kJsonDocument);
  EXPECT_EQ(Detect("{\n  \"Records\": [\n{\"a\":1}\n]}\n"), Layout::kJsonDocument);
  // Pretty-printed with one record per line must not pass for NDJSON.
  EXPECT_EQ(Detect("{\"Records\": [\n{\"a\":1}\n]}\n"), Layout::kJsonDocument);
  EXPECT_EQ(Detect("\xef\xbb\xbf{\"a\":1}"), Layout::kJsonDocument);
}

TEST(FormatDetectionTest, JsonLines) {
  EXPECT_EQ(Detect("{\"a\":1}\n{\"b\":2}\n"), Layout::kJsonLines);
  EXPECT_EQ(Detect("{\"a\":\"}{\"}\r\n{\"b\":2}"), Layout::kJsonLines);
  EXPECT_EQ(Detect("{\"a\":1}\n\n\n{\"b\":2}"), Layout::kJsonLines);
  // A broken first line followed by a complete one.
  EXPECT_EQ(Detect("{\"a\":\"cut\n{\"b\":2}\n"), Layout::kJsonLines);
}

TEST(FormatDetectionTest, Csv) {
  EXPECT_EQ(Detect("eventJson\n\"{}\"\n"), Layout::kCsv);
  EXPECT_EQ(Detect("\"eventTime\",\"eventJson\"\r\n"), Layout::kCsv);
  EXPECT_EQ(Detect("eventTime,eventName\n1,2\n"), Layout::kCsv);
}

TEST(FormatDetectionTest, Rejections) {
  struct Case {
    std::string input;
    std::string message;
  };
  const Case cases[] = {
      {"", "empty input (no bytes)"},
      {" \r\n\t", "input contains only whitespace (4 bytes)"},
      {std::string("PK\x03\x04", 4), "unrecognised format: a ZIP archive: extract it first"},
      {"\x1f\x8b\x08", "unrecognised format: gzip data inside gzip"},
      {"BZh91AY", "unrecognised format: bzip2 data"},
      {std::string("\x28\xb5\x2f\xfd", 4), "unrecognised format: zstd data"},
      {"hello world\n", "unrecognised format: expected CloudTrail JSON"},
      {"justoneword\n", "unrecognised format: expected CloudTrail JSON"},
      {"<?xml version=\"1.0\"?>", "starts with \"<?xml version=\\x221.0\\x22?>\""},
  };
  for (const Case& c : cases) {
    Result<Layout> r = DetectLayout(c.input, true);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.input;
    EXPECT_THAT(r.status().message(), HasSubstr(c.message));
  }
}

TEST(FormatDetectionTest, CompleteObjectCheck) {
  EXPECT_TRUE(LooksLikeCompleteObject("{}"));
  EXPECT_TRUE(LooksLikeCompleteObject(" {\"a\":[1,{\"b\":\"]}\\\"\"}]} \r"));
  EXPECT_FALSE(LooksLikeCompleteObject("{\"a\":1"));
  EXPECT_FALSE(LooksLikeCompleteObject("{}{}"));
  EXPECT_FALSE(LooksLikeCompleteObject("{\"a\":\"}"));
  EXPECT_FALSE(LooksLikeCompleteObject("[{}]"));
}

TEST(FormatDetectionTest, NamesAreStable) {
  EXPECT_EQ(ContainerFormatName(ContainerFormat::kRecords), "records");
  EXPECT_EQ(ContainerFormatName(ContainerFormat::kLakeCsv), "lake-csv");
  EXPECT_EQ(ContainerFormatName(ContainerFormat::kLookupEvents), "lookup-events");
}

}  // namespace
}  // namespace trailbook::ingest
