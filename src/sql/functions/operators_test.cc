#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/timestamp.h"
#include "sql/functions/scalar_function_tester.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;

Value Ts(std::string_view text) { return Value::Timestamp(*ParseTimestamp(text)); }
Value Date(std::string_view text) { return Value::Date(DayOf(*ParseTimestamp(text))); }

TEST(OperatorsTest, BigintArithmetic) {
  EXPECT_EQ(Eval("$add", {Value::Bigint(2), Value::Bigint(3)}), "5");
  EXPECT_EQ(Eval("$subtract", {Value::Bigint(2), Value::Bigint(3)}), "-1");
  EXPECT_EQ(Eval("$multiply", {Value::Bigint(-4), Value::Bigint(3)}), "-12");
  EXPECT_EQ(Eval("$divide", {Value::Bigint(7), Value::Bigint(2)}), "3");
  EXPECT_EQ(Eval("$divide", {Value::Bigint(-7), Value::Bigint(2)}), "-3");
  EXPECT_EQ(Eval("$modulo", {Value::Bigint(-7), Value::Bigint(3)}), "-1");
  EXPECT_EQ(Eval("$modulo", {Value::Bigint(INT64_MIN), Value::Bigint(-1)}), "0");
  EXPECT_EQ(Eval("$negate", {Value::Bigint(5)}), "-5");
}

TEST(OperatorsTest, BigintOverflowIsAnError) {
  EXPECT_EQ(Eval("$add", {Value::Bigint(INT64_MAX), Value::Bigint(1)}),
            "error: bigint addition overflow: 9223372036854775807 + 1");
  EXPECT_EQ(Eval("$subtract", {Value::Bigint(INT64_MIN), Value::Bigint(1)}),
            "error: bigint subtraction overflow: -9223372036854775808 - 1");
  EXPECT_EQ(Eval("$multiply", {Value::Bigint(INT64_MAX), Value::Bigint(2)}),
            "error: bigint multiplication overflow: 9223372036854775807 * 2");
  EXPECT_EQ(Eval("$divide", {Value::Bigint(INT64_MIN), Value::Bigint(-1)}),
            "error: bigint division overflow: -9223372036854775808 / -1");
  EXPECT_EQ(Eval("$negate", {Value::Bigint(INT64_MIN)}),
            "error: bigint negation overflow: -9223372036854775808");
}

TEST(OperatorsTest, DivisionByZero) {
  EXPECT_EQ(Eval("$divide", {Value::Bigint(1), Value::Bigint(0)}), "error: Division by zero");
  EXPECT_EQ(Eval("$modulo", {Value::Bigint(1), Value::Bigint(0)}), "error: Division by zero");
  // Doubles follow IEEE 754, as in Trino.
  EXPECT_EQ(Eval("$divide", {Value::Double(1), Value::Double(0)}), "Infinity");
  EXPECT_EQ(Eval("$divide", {Value::Double(0), Value::Double(0)}), "NaN");
}

TEST(OperatorsTest, NullPropagates) {
  EXPECT_EQ(Eval("$add", {Value::Null(T::Bigint()), Value::Bigint(1)}), "NULL");
  EXPECT_EQ(Eval("$add", {Value(), Value()}), "NULL");
  EXPECT_EQ(Eval("$eq", {Value::Varchar("a"), Value()}), "NULL");
  // A NULL divisor gives NULL, not a division-by-zero error.
  EXPECT_EQ(Eval("$divide", {Value::Bigint(1), Value::Null(T::Bigint())}), "NULL");
}

TEST(OperatorsTest, MixedNumericCoercesToDouble) {
  EXPECT_EQ(Eval("$add", {Value::Bigint(1), Value::Double(0.5)}), "1.5");
  EXPECT_EQ(BindResultType("$add", {T::Bigint(), T::Double()})->ToString(), "double");
  EXPECT_EQ(Eval("$lt", {Value::Bigint(1), Value::Double(1.5)}), "true");
}

TEST(OperatorsTest, TypeErrorsUseTrinoMessages) {
  EXPECT_EQ(Eval("$add", {Value::Varchar("a"), Value::Bigint(1)}),
            "error: Cannot apply operator: varchar + bigint");
  EXPECT_EQ(Eval("$negate", {Value::Varchar("a")}), "error: Cannot apply operator: -varchar");
  EXPECT_EQ(Eval("$lt", {Value::Varchar("a"), Value::Bigint(1)}),
            "error: Cannot apply operator: varchar < bigint");
}

TEST(OperatorsTest, TimestampArithmetic) {
  Value ts = Ts("2024-01-31T10:00:00Z");
  EXPECT_EQ(Eval("$add", {ts, Value::IntervalDayTime(3600 * kMicrosPerSecond)}),
            "2024-01-31 11:00:00.000");
  EXPECT_EQ(Eval("$add", {Value::IntervalDayTime(kMicrosPerDay), ts}), "2024-02-01 10:00:00.000");
  // Month arithmetic clamps to the end of the month (leap year).
  EXPECT_EQ(Eval("$add", {ts, Value::IntervalYearMonth(1)}), "2024-02-29 10:00:00.000");
  EXPECT_EQ(Eval("$subtract", {ts, Value::IntervalYearMonth(12)}), "2023-01-31 10:00:00.000");
  EXPECT_EQ(Eval("$subtract", {ts, Value::IntervalDayTime(kMicrosPerDay)}),
            "2024-01-30 10:00:00.000");
  Result<Value> diff =
      EvalScalar("$subtract", {Ts("2024-01-02T01:02:03.5Z"), Ts("2024-01-01T00:00:00Z")});
  ASSERT_TRUE(diff.ok());
  EXPECT_EQ(diff->type(), T::IntervalDayTime());
  EXPECT_EQ(diff->ToString(), "1 01:02:03.500");
  EXPECT_EQ(Eval("$add", {Value::Timestamp(INT64_MAX), Value::IntervalDayTime(1)}),
            "error: timestamp out of range");
}

TEST(OperatorsTest, DateArithmetic) {
  EXPECT_EQ(Eval("$add", {Date("2024-02-28"), Value::IntervalDayTime(kMicrosPerDay)}),
            "2024-02-29");
  EXPECT_EQ(Eval("$add", {Date("2024-01-31"), Value::IntervalYearMonth(1)}), "2024-02-29");
  EXPECT_EQ(Eval("$subtract", {Date("2024-03-01"), Value::IntervalDayTime(kMicrosPerDay)}),
            "2024-02-29");
  EXPECT_EQ(Eval("$add", {Date("2024-03-01"), Value::IntervalDayTime(3600 * kMicrosPerSecond)}),
            "error: Cannot add hour, minute or second to a date");
}

TEST(OperatorsTest, IntervalArithmetic) {
  Value day = Value::IntervalDayTime(kMicrosPerDay);
  EXPECT_EQ(Eval("$multiply", {day, Value::Bigint(3)}), "3 00:00:00.000");
  EXPECT_EQ(Eval("$multiply", {Value::Bigint(2), day}), "2 00:00:00.000");
  EXPECT_EQ(Eval("$multiply", {day, Value::Double(0.5)}), "0 12:00:00.000");
  EXPECT_EQ(Eval("$divide", {day, Value::Double(4)}), "0 06:00:00.000");
  EXPECT_EQ(Eval("$add", {day, day}), "2 00:00:00.000");
  EXPECT_EQ(Eval("$negate", {day}), "-1 00:00:00.000");
  EXPECT_EQ(Eval("$add", {Value::IntervalYearMonth(11), Value::IntervalYearMonth(2)}), "1-1");
  EXPECT_EQ(Eval("$divide", {day, Value::Double(0)}), "error: Division by zero");
}

TEST(OperatorsTest, Comparisons) {
  EXPECT_EQ(Eval("$eq", {Value::Bigint(1), Value::Bigint(1)}), "true");
  EXPECT_EQ(Eval("$ne", {Value::Bigint(1), Value::Bigint(1)}), "false");
  EXPECT_EQ(Eval("$lt", {Value::Varchar("B"), Value::Varchar("a")}), "true");  // By bytes.
  EXPECT_EQ(Eval("$lt", {Value::Varchar("a"), Value::Varchar("ab")}), "true");
  EXPECT_EQ(Eval("$lt", {Value::Varchar("z"), Value::Varchar("é")}), "true");  // UTF-8 order.
  EXPECT_EQ(Eval("$ge", {Value::Boolean(true), Value::Boolean(false)}), "true");
  EXPECT_EQ(Eval("$gt", {Ts("2024-01-02T00:00:00Z"), Ts("2024-01-01T00:00:00Z")}), "true");
  EXPECT_EQ(Eval("$le", {Date("2024-01-01"), Ts("2024-01-01T00:00:00Z")}), "true");
  EXPECT_EQ(Eval("$eq", {Value::Double(std::nan("")), Value::Double(std::nan(""))}), "false");
  EXPECT_EQ(Eval("$eq", {Value::Varchar(""), Value::Varchar("")}), "true");
}

TEST(OperatorsTest, NestedValuesCompareByTextForEqualityOnly) {
  T array = T::Array(T::Varchar());
  Value a = Value::FromText(array, R"(["a","b"])");
  Value b = Value::FromText(array, R"(["a","c"])");
  EXPECT_EQ(Eval("$eq", {a, a}), "true");
  EXPECT_EQ(Eval("$ne", {a, b}), "true");
  EXPECT_EQ(Eval("$lt", {a, b}), "error: Cannot apply operator: array(varchar) < array(varchar)");
  EXPECT_EQ(Eval("$eq", {a, Value::Varchar("x")}),
            "error: Cannot apply operator: array(varchar) = varchar");
  Value json = Value::FromText(T::Json(), R"({"a":1})");
  EXPECT_EQ(Eval("$eq", {json, json}), "true");
}

TEST(OperatorsTest, Like) {
  auto like = [](std::string s, std::string p) {
    return Eval("$like", {Value::Varchar(std::move(s)), Value::Varchar(std::move(p))});
  };
  EXPECT_EQ(like("ConsoleLogin", "Console%"), "true");
  EXPECT_EQ(like("ConsoleLogin", "%Login"), "true");
  EXPECT_EQ(like("ConsoleLogin", "%sole%"), "true");
  EXPECT_EQ(like("ConsoleLogin", "console%"), "false");  // Case-sensitive.
  EXPECT_EQ(like("abc", "a_c"), "true");
  EXPECT_EQ(like("aéc", "a_c"), "true");  // '_' is one code point.
  EXPECT_EQ(like("abc", "a_"), "false");
  EXPECT_EQ(like("", "%"), "true");
  EXPECT_EQ(like("", "_"), "false");
  EXPECT_EQ(like("abc", "abc"), "true");
  EXPECT_EQ(like("abcabd", "%ab_"), "true");
  EXPECT_EQ(like("Describe*", "Describe*"), "true");
  EXPECT_EQ(Eval("$like", {Value::Null(T::Varchar()), Value::Varchar("%")}), "NULL");
  EXPECT_EQ(Eval("$like", {Value::Varchar("a"), Value::Null(T::Varchar())}), "NULL");
}

TEST(OperatorsTest, LikeEscape) {
  auto like = [](std::string s, std::string p, std::string e) {
    return Eval("$like", {Value::Varchar(std::move(s)), Value::Varchar(std::move(p)),
                          Value::Varchar(std::move(e))});
  };
  EXPECT_EQ(like("100%", "100\\%", "\\"), "true");
  EXPECT_EQ(like("1000", "100\\%", "\\"), "false");
  EXPECT_EQ(like("a_b", "a#_b", "#"), "true");
  EXPECT_EQ(like("axb", "a#_b", "#"), "false");
  EXPECT_EQ(like("a#b", "a##b", "#"), "true");
  EXPECT_EQ(like("a", "a", "ab"), "error: Escape string must be a single character");
  EXPECT_EQ(like("a", "a", ""), "error: Escape string must be a single character");
  EXPECT_EQ(like("ab", "a#b", "#"),
            "error: Escape character must be followed by '%', '_' or the escape character");
  EXPECT_EQ(like("a", "a#", "#"),
            "error: Escape character must be followed by '%', '_' or the escape character");
}

TEST(OperatorsTest, LikeOverColumnsWithDifferentPatterns) {
  Result<std::vector<Value>> r = EvalColumns(
      "$like",
      {{Value::Varchar("abc"), Value::Varchar("abc"), Value::Varchar("xyz"),
        Value::Null(T::Varchar())},
       {Value::Varchar("a%"), Value::Varchar("b%"), Value::Varchar("%z"), Value::Varchar("%")}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].ToString(), "true");
  EXPECT_EQ((*r)[1].ToString(), "false");
  EXPECT_EQ((*r)[2].ToString(), "true");
  EXPECT_EQ((*r)[3].ToString(), "NULL");
}

}  // namespace
}  // namespace trailbook::sql
