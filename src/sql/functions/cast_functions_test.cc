#include "sql/functions/cast_functions.h"

#include <gtest/gtest.h>

#include <cmath>

#include "base/timestamp.h"
#include "sql/functions/json_text.h"
#include "sql/functions/scalar_function_tester.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;

std::string Cast(Value v, std::string_view type) {
  return Eval("$cast", {std::move(v), Value::Varchar(std::string(type))});
}
std::string TryCast(Value v, std::string_view type) {
  return Eval("$try_cast", {std::move(v), Value::Varchar(std::string(type))});
}
Value Json(std::string text) { return Value::FromText(T::Json(), std::move(text)); }

TEST(CastFunctionsTest, VarcharToNumbers) {
  EXPECT_EQ(Cast(Value::Varchar("42"), "bigint"), "42");
  EXPECT_EQ(Cast(Value::Varchar(" -42 "), "integer"), "-42");
  EXPECT_EQ(Cast(Value::Varchar("+7"), "bigint"), "7");
  EXPECT_EQ(Cast(Value::Varchar("-9223372036854775808"), "bigint"), "-9223372036854775808");
  EXPECT_EQ(Cast(Value::Varchar("9223372036854775808"), "bigint"),
            "error: Cannot cast '9223372036854775808' to BIGINT");
  EXPECT_EQ(Cast(Value::Varchar("1.5"), "bigint"), "error: Cannot cast '1.5' to BIGINT");
  EXPECT_EQ(Cast(Value::Varchar(""), "bigint"), "error: Cannot cast '' to BIGINT");
  EXPECT_EQ(Cast(Value::Varchar("-"), "bigint"), "error: Cannot cast '-' to BIGINT");
  EXPECT_EQ(Cast(Value::Varchar("1.5e3"), "double"), "1500");
  EXPECT_EQ(Cast(Value::Varchar(" .5"), "double"), "0.5");
  EXPECT_EQ(Cast(Value::Varchar("NaN"), "double"), "NaN");
  EXPECT_EQ(Cast(Value::Varchar("-Infinity"), "double"), "-Infinity");
  EXPECT_EQ(Cast(Value::Varchar("1e999"), "double"), "Infinity");
  EXPECT_EQ(Cast(Value::Varchar("inf"), "double"), "error: Cannot cast 'inf' to DOUBLE");
  EXPECT_EQ(Cast(Value::Varchar("0x10"), "double"), "error: Cannot cast '0x10' to DOUBLE");
  EXPECT_EQ(Cast(Value::Varchar("abc"), "decimal(10,2)"), "error: Cannot cast 'abc' to DOUBLE");
}

TEST(CastFunctionsTest, TryCastGivesNull) {
  EXPECT_EQ(TryCast(Value::Varchar("abc"), "bigint"), "NULL");
  EXPECT_EQ(TryCast(Value::Varchar("12"), "bigint"), "12");
  EXPECT_EQ(TryCast(Value::Varchar("2024-13-01"), "timestamp"), "NULL");
  EXPECT_EQ(TryCast(Value::Double(1e300), "bigint"), "NULL");
  EXPECT_EQ(TryCast(Json("[1,\"x\"]"), "array(bigint)"), "NULL");
}

TEST(CastFunctionsTest, Booleans) {
  EXPECT_EQ(Cast(Value::Varchar("TRUE"), "boolean"), "true");
  EXPECT_EQ(Cast(Value::Varchar("f"), "boolean"), "false");
  EXPECT_EQ(Cast(Value::Varchar("1"), "boolean"), "true");
  EXPECT_EQ(Cast(Value::Varchar("yes"), "boolean"), "error: Cannot cast 'yes' to BOOLEAN");
  EXPECT_EQ(Cast(Value::Bigint(0), "boolean"), "false");
  EXPECT_EQ(Cast(Value::Boolean(true), "bigint"), "1");
  EXPECT_EQ(Cast(Value::Boolean(false), "varchar"), "false");
}

TEST(CastFunctionsTest, DoubleConversions) {
  EXPECT_EQ(Cast(Value::Double(2.5), "bigint"), "3");
  EXPECT_EQ(Cast(Value::Double(-2.5), "bigint"), "-3");
  EXPECT_EQ(Cast(Value::Double(1e20), "bigint"), "error: Out of range for bigint: 1.0E20");
  EXPECT_EQ(Cast(Value::Double(std::nan("")), "bigint"), "error: Out of range for bigint: NaN");
  EXPECT_EQ(Cast(Value::Double(1.0), "varchar"), "1.0");
  EXPECT_EQ(Cast(Value::Double(0.001), "varchar"), "0.001");
  EXPECT_EQ(Cast(Value::Double(1e7), "varchar"), "1.0E7");
  EXPECT_EQ(Cast(Value::Double(1.5e-5), "varchar"), "1.5E-5");
  EXPECT_EQ(Cast(Value::Double(123456.789), "varchar"), "123456.789");
  EXPECT_EQ(Cast(Value::Bigint(12), "double"), "12");
  EXPECT_EQ(Cast(Value::Bigint(-12), "varchar"), "-12");
}

TEST(CastFunctionsTest, FormatDoubleJava) {
  EXPECT_EQ(FormatDoubleJava(0.0), "0.0");
  EXPECT_EQ(FormatDoubleJava(-0.0), "-0.0");
  EXPECT_EQ(FormatDoubleJava(100.0), "100.0");
  EXPECT_EQ(FormatDoubleJava(-1234567.0), "-1234567.0");
  EXPECT_EQ(FormatDoubleJava(12345678.0), "1.2345678E7");
  EXPECT_EQ(FormatDoubleJava(0.0001), "1.0E-4");
  EXPECT_EQ(FormatDoubleJava(HUGE_VAL), "Infinity");
}

TEST(CastFunctionsTest, Timestamps) {
  EXPECT_EQ(Cast(Value::Varchar("2026-01-01 00:00:00"), "timestamp"), "2026-01-01 00:00:00.000");
  EXPECT_EQ(Cast(Value::Varchar("2026-01-01 12:34:56.789"), "timestamp"),
            "2026-01-01 12:34:56.789");
  EXPECT_EQ(Cast(Value::Varchar("2026-01-01T12:34:56Z"), "timestamp(3)"),
            "2026-01-01 12:34:56.000");
  EXPECT_EQ(Cast(Value::Varchar("2026-01-01T12:34:56+02:00"), "timestamp"),
            "2026-01-01 10:34:56.000");
  EXPECT_EQ(Cast(Value::Varchar("2026-01-01"), "timestamp"), "2026-01-01 00:00:00.000");
  EXPECT_EQ(Cast(Value::Varchar("2026-01-01 00:00:00 UTC"), "timestamp with time zone"),
            "2026-01-01 00:00:00.000");
  EXPECT_EQ(Cast(Value::Varchar("yesterday"), "timestamp"),
            "error: Value cannot be cast to timestamp: yesterday");
  EXPECT_EQ(Cast(Value::Varchar("2026-02-30"), "date"),
            "error: Value cannot be cast to date: 2026-02-30");
  EXPECT_EQ(Cast(Value::Varchar("2026-02-28"), "date"), "2026-02-28");
  EXPECT_EQ(Cast(Value::Varchar("2026-02-28 10:00:00"), "date"),
            "error: Value cannot be cast to date: 2026-02-28 10:00:00");
  Value ts = Value::Timestamp(*ParseTimestamp("2026-03-04T05:06:07.5Z"));
  EXPECT_EQ(Cast(ts, "date"), "2026-03-04");
  EXPECT_EQ(Cast(ts, "varchar"), "2026-03-04 05:06:07.500");
  EXPECT_EQ(Cast(Value::Timestamp(*ParseTimestamp("1969-12-31T23:59:59.5Z")), "date"),
            "1969-12-31");
  EXPECT_EQ(Cast(Value::Date(0), "timestamp"), "1970-01-01 00:00:00.000");
  EXPECT_EQ(Cast(Value::IntervalDayTime(kMicrosPerDay + 1000), "varchar"), "1 00:00:00.001");
}

TEST(CastFunctionsTest, ToJson) {
  EXPECT_EQ(Cast(Value::Varchar("a\"b"), "json"), "\"a\\\"b\"");
  EXPECT_EQ(Cast(Value::Bigint(5), "json"), "5");
  EXPECT_EQ(Cast(Value::Double(1.5), "json"), "1.5");
  EXPECT_EQ(Cast(Value::Boolean(true), "json"), "true");
  EXPECT_EQ(Cast(Value::Date(0), "json"), "\"1970-01-01\"");
  EXPECT_EQ(Cast(Value::FromText(T::Map(T::Varchar(), T::Varchar()), R"({"a":"b"})"), "json"),
            R"({"a":"b"})");
  EXPECT_EQ(Cast(Value::Null(T::Varchar()), "json"), "NULL");
}

TEST(CastFunctionsTest, FromJson) {
  EXPECT_EQ(Cast(Json("\"abc\""), "varchar"), "abc");
  EXPECT_EQ(Cast(Json("12"), "varchar"), "12");
  EXPECT_EQ(Cast(Json("true"), "varchar"), "true");
  EXPECT_EQ(Cast(Json("null"), "varchar"), "NULL");
  EXPECT_EQ(Cast(Json("[1,2]"), "varchar"), "error: Cannot cast JSON '[1,2]' to varchar");
  EXPECT_EQ(Cast(Json("12"), "bigint"), "12");
  EXPECT_EQ(Cast(Json("\"12\""), "bigint"), "12");
  EXPECT_EQ(Cast(Json("1.5"), "bigint"), "2");
  EXPECT_EQ(Cast(Json("true"), "bigint"), "1");
  EXPECT_EQ(Cast(Json("\"x\""), "bigint"), "error: Cannot cast 'x' to BIGINT");
  EXPECT_EQ(Cast(Json("{}"), "bigint"), "error: Cannot cast JSON '{}' to bigint");
  EXPECT_EQ(Cast(Json("1e2"), "double"), "100");
  EXPECT_EQ(Cast(Json("0"), "boolean"), "false");
  EXPECT_EQ(Cast(Json("\"2026-01-01T00:00:00Z\""), "timestamp"), "2026-01-01 00:00:00.000");
  EXPECT_EQ(Cast(Json("[1, 2 , 3]"), "array(bigint)"), "[1,2,3]");
  EXPECT_EQ(Cast(Json("[1, \"a\", true, null]"), "array(varchar)"), R"(["1","a","true",null])");
  EXPECT_EQ(Cast(Json("[1, \"a\"]"), "array(bigint)"), "error: Cannot cast 'a' to BIGINT");
  EXPECT_EQ(Cast(Json("{\"a\": {\"b\": 1}}"), "map(varchar, json)"), R"({"a":{"b":1}})");
  EXPECT_EQ(Cast(Json("{\"a\": 1, \"b\": 2}"), "map(varchar, bigint)"), R"({"a":1,"b":2})");
  EXPECT_EQ(Cast(Json("{\"ARN\": \"x\", \"type\": \"t\"}"), "row(arn varchar, type varchar)"),
            R"({"arn":"x","type":"t"})");
  EXPECT_EQ(Cast(Json("[\"x\", 1]"), "row(a varchar, b bigint)"), R"({"a":"x","b":1})");
  EXPECT_EQ(Cast(Json("{\"a\": 1}"), "row(a bigint, b bigint)"), R"({"a":1,"b":null})");
  EXPECT_EQ(Cast(Json("[1]"), "map(varchar, bigint)"),
            "error: Cannot cast JSON '[1]' to map(varchar, bigint)");
  EXPECT_EQ(Cast(Json("{\"a\":[1,{\"b\":null}]}"), "json"), R"({"a":[1,{"b":null}]})");
  // Malformed JSON (found by the fuzzer: simdjson abandons the document after the error).
  EXPECT_EQ(Cast(Json("[{\"ARN\":\"a\"},nulpe"), "array(row(arn varchar))"),
            "error: Cannot cast malformed JSON to array(row(arn varchar))");
  EXPECT_EQ(TryCast(Json("[{\"ARN\":\"a\"},nulpe"), "array(row(arn varchar))"), "NULL");
  EXPECT_EQ(Cast(Json("[1, 2"), "array(bigint)"),
            "error: Cannot cast malformed JSON to array(bigint)");
}

TEST(CastFunctionsTest, NestedToNested) {
  T array_bigint = T::Array(T::Bigint());
  EXPECT_EQ(Cast(Value::FromText(array_bigint, "[1,2,null]"), "array(varchar)"),
            R"(["1","2",null])");
  EXPECT_EQ(Cast(Value::FromText(T::Array(T::Varchar()), R"(["1","x"])"), "array(bigint)"),
            "error: Cannot cast 'x' to BIGINT");
  EXPECT_EQ(TryCast(Value::FromText(T::Array(T::Varchar()), R"(["1","x"])"), "array(bigint)"),
            "NULL");
  T row = T::Row({{"a", std::make_shared<const T>(T::Bigint())},
                  {"b", std::make_shared<const T>(T::Varchar())}});
  // Rows cast by position.
  EXPECT_EQ(Cast(Value::FromText(row, R"({"a":1,"b":"x"})"), "row(x double, y varchar)"),
            R"({"x":1,"y":"x"})");
}

TEST(CastFunctionsTest, UnsupportedCastsFailAtBind) {
  EXPECT_EQ(Cast(Value::Bigint(1), "date"), "error: Cannot cast bigint to date");
  EXPECT_EQ(Cast(Value::Varchar("[1]"), "array(varchar)"),
            "error: Cannot cast varchar to array(varchar)");
  EXPECT_EQ(Cast(Value::Varchar("x"), "varbinary"), "error: type varbinary is not supported");
  EXPECT_EQ(Cast(Value::Varchar("x"), "strng"), "error: Unknown type: strng");
  EXPECT_EQ(Cast(Value(), "array(bigint)"), "NULL");
}

TEST(CastFunctionsTest, ScalarHelpers) {
  EXPECT_EQ(*CastVarcharToIntervalDayTime("1 02:03:04.005"),
            kMicrosPerDay + (2 * 3600 + 3 * 60 + 4) * kMicrosPerSecond + 5000);
  EXPECT_EQ(*CastVarcharToIntervalDayTime("-0 00:00:01.000"), -kMicrosPerSecond);
  EXPECT_FALSE(CastVarcharToIntervalDayTime("1 25:00:00").ok());
  EXPECT_EQ(*CastVarcharToIntervalYearMonth("1-2"), 14);
  EXPECT_FALSE(CastVarcharToIntervalYearMonth("1-12").ok());
  EXPECT_EQ(CastValue(Value::Varchar("5"), T::Bigint())->int_value(), 5);
  EXPECT_FALSE(CastValue(Value::Bigint(5), T::Date()).ok());
  EXPECT_TRUE(CanCast(T::Json(), T::Array(T::Map(T::Varchar(), T::Json()))));
  EXPECT_FALSE(CanCast(T::Array(T::Bigint()), T::Array(T::Date())));
}

}  // namespace
}  // namespace trailbook::sql
