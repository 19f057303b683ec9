#include "sql/parser/source_location.h"

#include <gtest/gtest.h>

#include <string>

namespace trailbook::sql {
namespace {

TEST(SourceLocationTest, LocationAtOffsetCountsLinesAndCodePoints) {
  std::string_view sql = "SELECT a\r\nFROM é\rWHERE x";
  SourceLocation l = LocationAtOffset(sql, 0);
  EXPECT_EQ(l.line, 1u);
  EXPECT_EQ(l.column, 1u);
  l = LocationAtOffset(sql, sql.find("FROM"));
  EXPECT_EQ(l.line, 2u);
  EXPECT_EQ(l.column, 1u);
  l = LocationAtOffset(sql, sql.find("WHERE"));
  EXPECT_EQ(l.line, 3u);
  EXPECT_EQ(l.column, 1u);
  l = LocationAtOffset(sql, sql.find("\r", 12));  // Just after the 2-byte é.
  EXPECT_EQ(l.line, 2u);
  EXPECT_EQ(l.column, 7u);
  l = LocationAtOffset(sql, sql.size() + 10);  // Clamped to the end.
  EXPECT_EQ(l.offset, sql.size());
  EXPECT_EQ(FormatLineColumn(l), "3:8");
  EXPECT_EQ(FormatLineColumn(SourceLocation{}), "?:?");
}

TEST(SourceLocationTest, FormatSourceMessageForTheBinder) {
  std::string_view sql = "SELECT evntName FROM events";
  SourceLocation at = LocationAtOffset(sql, 7);
  at.length = 8;
  EXPECT_EQ(
      FormatSourceMessage(sql, at, "unknown column 'evntName'", "; did you mean 'eventName'?"),
      "unknown column 'evntName' at 1:8; did you mean 'eventName'?\n"
      "  SELECT evntName FROM events\n"
      "         ^");
  Status s = SourceError(StatusCode::kInvalidArgument, sql, at, "unknown column 'evntName'", "");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "unknown column 'evntName' at 1:8\n"
            "  SELECT evntName FROM events\n"
            "         ^");
  // Without a location there is no position and no snippet.
  EXPECT_EQ(FormatSourceMessage(sql, SourceLocation{}, "query failed", ": out of memory"),
            "query failed: out of memory");
}

TEST(SourceLocationTest, SnippetOnLaterLineKeepsTabsAndCountsCodePoints) {
  std::string_view sql = "SELECT *\n\tFROM events\nWHERE 'é' = évt";
  SourceLocation at = LocationAtOffset(sql, sql.rfind("évt"));
  EXPECT_EQ(at.line, 3u);
  EXPECT_EQ(at.column, 13u);
  EXPECT_EQ(RenderSnippet(sql, at),
            "  WHERE 'é' = évt\n"
            "              ^");
  at = LocationAtOffset(sql, sql.find("events"));
  EXPECT_EQ(RenderSnippet(sql, at),
            "  \tFROM events\n"
            "  \t     ^");
  EXPECT_EQ(SyntaxError(sql, at, "boom").message(),
            "syntax error at 2:7: boom\n"
            "  \tFROM events\n"
            "  \t     ^");
}

TEST(SourceLocationTest, SnippetAtEndOfLineAndInput) {
  std::string_view sql = "SELECT a,\n";
  SourceLocation at = LocationAtOffset(sql, 9);  // Just after the comma.
  EXPECT_EQ(RenderSnippet(sql, at),
            "  SELECT a,\n"
            "           ^");
  EXPECT_EQ(RenderSnippet("", LocationAtOffset("", 0)), "  \n  ^");
  EXPECT_EQ(RenderSnippet(sql, SourceLocation{}), "");
}

TEST(SourceLocationTest, SnippetShowsControlCharactersAsSpacesAndBadBytesAsQuestionMarks) {
  std::string sql = std::string("a\x01 b \xFF c");
  SourceLocation at = LocationAtOffset(sql, sql.find('c'));
  EXPECT_EQ(RenderSnippet(sql, at),
            "  a  b ? c\n"
            "         ^");
}

TEST(SourceLocationTest, LongLinesAreCutToAWindowAroundTheCaret) {
  std::string sql = "SELECT " + std::string(300, 'x') + " + y + " + std::string(300, 'z');
  SourceLocation at = LocationAtOffset(sql, sql.find('y'));
  std::string snippet = RenderSnippet(sql, at);
  size_t newline = snippet.find('\n');
  ASSERT_NE(newline, std::string::npos);
  std::string text = snippet.substr(0, newline);
  std::string marker = snippet.substr(newline + 1);
  EXPECT_EQ(text.substr(0, 5), "  ...");
  EXPECT_EQ(text.substr(text.size() - 3), "...");
  EXPECT_LT(text.size(), 180u);
  // The caret still points at the 'y'.
  ASSERT_EQ(marker.back(), '^');
  EXPECT_EQ(text[marker.size() - 1], 'y');
}

}  // namespace
}  // namespace trailbook::sql
