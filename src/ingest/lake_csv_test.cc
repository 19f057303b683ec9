#include "ingest/lake_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trailbook::ingest {
namespace {

using ::testing::HasSubstr;

class Rows : public CsvRowHandler {
 public:
  Status OnRow(const CsvRow& row) override {
    std::vector<std::string> fields;
    for (std::string_view f : row.fields) fields.emplace_back(f);
    if (row.too_long) fields = {"<too long>"};
    rows.push_back(fields);
    lines.push_back(row.line);
    return Status::OK();
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<uint64_t> lines;
};

// Parses `text` fed in pieces of `step` bytes.
Status Parse(std::string_view text, size_t step, Rows* rows, uint64_t max_row = 1 << 20) {
  CsvParser parser(max_row);
  for (size_t i = 0; i < text.size(); i += step) {
    TB_RETURN_IF_ERROR(parser.Feed(text.substr(i, step), *rows));
  }
  return parser.Finish(*rows);
}

TEST(LakeCsvTest, Rfc4180) {
  std::string text =
      "a,b,c\r\n"
      "1,\"two, with comma\",\"say \"\"hi\"\"\"\r\n"
      "\"multi\nline\",,\"\"\n"
      "\n"
      "last,row,x";
  std::vector<std::vector<std::string>> want = {{"a", "b", "c"},
                                                {"1", "two, with comma", "say \"hi\""},
                                                {"multi\nline", "", ""},
                                                {"last", "row", "x"}};
  for (size_t step : {size_t{1}, size_t{2}, size_t{5}, text.size()}) {
    Rows rows;
    ASSERT_TRUE(Parse(text, step, &rows).ok()) << step;
    EXPECT_EQ(rows.rows, want) << step;
    EXPECT_EQ(rows.lines, (std::vector<uint64_t>{1, 2, 3, 6})) << step;
  }
}

TEST(LakeCsvTest, TrailingCommaMakesEmptyLastField) {
  Rows rows;
  ASSERT_TRUE(Parse("a,\n", 1, &rows).ok());
  EXPECT_EQ(rows.rows, (std::vector<std::vector<std::string>>{{"a", ""}}));
}

TEST(LakeCsvTest, BrokenQuotingNamesTheLine) {
  Rows rows;
  Status s = Parse("a\n\"x\"y\n", 3, &rows);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "line 2: broken CSV quoting: text after a closing quote (a quote inside a quoted "
            "field must be doubled)");
  s = Parse("a\nb\"c\n", 3, &rows);
  EXPECT_EQ(s.message(), "line 2: broken CSV quoting: a quote character inside an unquoted field");
  s = Parse("a\n\"open\n\n", 3, &rows);
  EXPECT_EQ(s.message(),
            "line 4: broken CSV quoting: the input ends inside a quoted field opened on line 2");
}

TEST(LakeCsvTest, RowOverTheLimitIsFlagged) {
  Rows rows;
  ASSERT_TRUE(Parse("a\n" + std::string(100, 'x') + "\nb\n", 7, &rows, 50).ok());
  EXPECT_EQ(rows.rows, (std::vector<std::vector<std::string>>{{"a"}, {"<too long>"}, {"b"}}));
}

TEST(LakeCsvTest, FindEventJsonColumn) {
  std::vector<std::string_view> header = {"eventTime", " EventJSON ", "x"};
  Result<size_t> column = FindEventJsonColumn(header);
  ASSERT_TRUE(column.ok());
  EXPECT_EQ(*column, 1u);
  std::vector<std::string_view> none = {"eventTime", "eventName"};
  Result<size_t> missing = FindEventJsonColumn(none);
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(), HasSubstr("(columns: eventTime, eventName)"));
  EXPECT_THAT(missing.status().message(), HasSubstr("SELECT eventJson"));
}

}  // namespace
}  // namespace trailbook::ingest
