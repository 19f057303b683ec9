#include "sql/functions/type_name.h"

#include <gtest/gtest.h>

namespace trailbook::sql {
namespace {

std::string Parse(std::string_view text) {
  Result<LogicalType> t = ParseTypeName(text);
  return t.ok() ? t->ToString() : "error: " + t.status().message();
}

TEST(TypeNameTest, Scalars) {
  EXPECT_EQ(Parse("varchar"), "varchar");
  EXPECT_EQ(Parse("VARCHAR(255)"), "varchar");
  EXPECT_EQ(Parse("char(3)"), "varchar");
  EXPECT_EQ(Parse("integer"), "bigint");
  EXPECT_EQ(Parse("TinyInt"), "bigint");
  EXPECT_EQ(Parse("double precision"), "double");
  EXPECT_EQ(Parse("decimal(10, 2)"), "double");
  EXPECT_EQ(Parse("real"), "double");
  EXPECT_EQ(Parse("timestamp(3)"), "timestamp(6)");
  EXPECT_EQ(Parse("timestamp(6) with time zone"), "timestamp(6)");
  EXPECT_EQ(Parse("timestamp without time zone"), "timestamp(6)");
  EXPECT_EQ(Parse("interval day to second"), "interval day to second");
  EXPECT_EQ(Parse("interval year to month"), "interval year to month");
  EXPECT_EQ(Parse("json"), "json");
  EXPECT_EQ(Parse(" date "), "date");
}

TEST(TypeNameTest, Nested) {
  EXPECT_EQ(Parse("array(varchar)"), "array(varchar)");
  EXPECT_EQ(Parse("array<bigint>"), "array(bigint)");
  EXPECT_EQ(Parse("map(varchar, varchar)"), "map(varchar, varchar)");
  EXPECT_EQ(Parse("map<varchar,array<json>>"), "map(varchar, array(json))");
  EXPECT_EQ(Parse("array(row(accountid varchar, type varchar, arn varchar))"),
            "array(row(accountid varchar, type varchar, arn varchar))");
  EXPECT_EQ(Parse("row(varchar, double precision)"), "row(field0 varchar, field1 double)");
  EXPECT_EQ(Parse("row(\"first name\" varchar, type bigint)"),
            "row(first name varchar, type bigint)");
  EXPECT_EQ(Parse("row(d interval day to second)"), "row(d interval day to second)");
  // Round trip of every ToString form.
  for (const char* t : {"boolean", "unknown", "array(map(varchar, row(a bigint)))"}) {
    EXPECT_EQ(Parse(Parse(t)), Parse(t));
  }
}

TEST(TypeNameTest, Errors) {
  EXPECT_EQ(Parse("strng"), "error: Unknown type: strng");
  EXPECT_EQ(Parse(""), "error: Unknown type: ");
  EXPECT_EQ(Parse("array(varchar"), "error: Unknown type: array(varchar");
  EXPECT_EQ(Parse("map(varchar)"), "error: Unknown type: map(varchar)");
  EXPECT_EQ(Parse("varchar(x)"), "error: Unknown type: varchar(x)");
  EXPECT_EQ(Parse("bigint bigint"), "error: Unknown type: bigint bigint");
  EXPECT_EQ(Parse("row(a bigint, A varchar)"),
            "error: Duplicate field a in type: row(a bigint, A varchar)");
  EXPECT_EQ(Parse("varbinary"), "error: type varbinary is not supported");
  EXPECT_EQ(Parse("time(3)"), "error: type time is not supported");
  EXPECT_EQ(Parse("varchar;"), "error: Unknown type: varchar;");
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "array(";
  deep += "bigint";
  for (int i = 0; i < 100; ++i) deep += ")";
  EXPECT_EQ(Parse(deep).substr(0, 20), "error: Unknown type:");
}

}  // namespace
}  // namespace trailbook::sql
