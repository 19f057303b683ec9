#include <gtest/gtest.h>

#include "base/timestamp.h"
#include "sql/functions/scalar_function_tester.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;

Value S(std::string s) { return Value::Varchar(std::move(s)); }
Value I(int64_t v) { return Value::Bigint(v); }
Value Ts(std::string_view text) { return Value::Timestamp(*ParseTimestamp(text)); }
Value Date(std::string_view text) { return Value::Date(DayOf(*ParseTimestamp(text))); }

// 2024-05-15 was a Wednesday.
const char* kWed = "2024-05-15T13:45:30.123456Z";

TEST(DatetimeFunctionsTest, Date) {
  EXPECT_EQ(Eval("date", {Ts(kWed)}), "2024-05-15");
  EXPECT_EQ(Eval("date", {S("2024-05-15")}), "2024-05-15");
  EXPECT_EQ(Eval("date", {S("15/05/2024")}), "error: Value cannot be cast to date: 15/05/2024");
  EXPECT_EQ(Eval("date", {Value::Null(T::Timestamp())}), "NULL");
}

TEST(DatetimeFunctionsTest, DateTrunc) {
  EXPECT_EQ(Eval("date_trunc", {S("second"), Ts(kWed)}), "2024-05-15 13:45:30.000");
  EXPECT_EQ(Eval("date_trunc", {S("minute"), Ts(kWed)}), "2024-05-15 13:45:00.000");
  EXPECT_EQ(Eval("date_trunc", {S("hour"), Ts(kWed)}), "2024-05-15 13:00:00.000");
  EXPECT_EQ(Eval("date_trunc", {S("day"), Ts(kWed)}), "2024-05-15 00:00:00.000");
  EXPECT_EQ(Eval("date_trunc", {S("week"), Ts(kWed)}), "2024-05-13 00:00:00.000");
  EXPECT_EQ(Eval("date_trunc", {S("month"), Ts(kWed)}), "2024-05-01 00:00:00.000");
  EXPECT_EQ(Eval("date_trunc", {S("quarter"), Ts(kWed)}), "2024-04-01 00:00:00.000");
  EXPECT_EQ(Eval("date_trunc", {S("YEAR"), Ts(kWed)}), "2024-01-01 00:00:00.000");
  EXPECT_EQ(Eval("date_trunc", {S("week"), Date("2024-05-19")}), "2024-05-13");
  EXPECT_EQ(Eval("date_trunc", {S("hour"), Date("2024-05-19")}),
            "error: 'hour' is not a valid DATE field");
  EXPECT_EQ(Eval("date_trunc", {S("fortnight"), Ts(kWed)}),
            "error: 'fortnight' is not a valid Timestamp field");
}

TEST(DatetimeFunctionsTest, DateAddAndDiff) {
  EXPECT_EQ(Eval("date_add", {S("day"), I(-1), Ts(kWed)}), "2024-05-14 13:45:30.123456");
  EXPECT_EQ(Eval("date_add", {S("month"), I(1), Ts("2024-01-31T00:00:00Z")}),
            "2024-02-29 00:00:00.000");
  EXPECT_EQ(Eval("date_add", {S("hour"), I(48), Ts("2024-01-31T00:00:00Z")}),
            "2024-02-02 00:00:00.000");
  EXPECT_EQ(Eval("date_add", {S("week"), I(1), Date("2024-01-31")}), "2024-02-07");
  EXPECT_EQ(Eval("date_add", {S("minute"), I(1), Date("2024-01-31")}),
            "error: 'minute' is not a valid DATE field");
  EXPECT_EQ(Eval("date_add", {S("day"), I(INT64_MAX), Ts(kWed)}), "error: timestamp out of range");
  EXPECT_EQ(Eval("date_diff", {S("day"), Ts("2024-01-01T00:00:00Z"), Ts(kWed)}), "135");
  EXPECT_EQ(Eval("date_diff", {S("hour"), Ts(kWed), Ts("2024-05-15T00:00:00Z")}), "-13");
  EXPECT_EQ(Eval("date_diff", {S("month"), Date("2024-01-31"), Date("2024-02-29")}), "1");
  EXPECT_EQ(Eval("date_diff", {S("year"), Date("2020-02-29"), Date("2024-02-28")}), "3");
  EXPECT_EQ(Eval("date_diff",
                 {S("millisecond"), Ts("2024-01-01T00:00:00Z"), Ts("2024-01-01T00:00:01.5Z")}),
            "1500");
}

TEST(DatetimeFunctionsTest, Iso8601) {
  EXPECT_EQ(Eval("from_iso8601_timestamp", {S("2020-09-14T00:44:23Z")}), "2020-09-14 00:44:23.000");
  EXPECT_EQ(Eval("from_iso8601_timestamp", {S("2020-09-14T02:44:23.5+02:00")}),
            "2020-09-14 00:44:23.500");
  EXPECT_EQ(Eval("from_iso8601_timestamp", {S("2020-09-14")}), "2020-09-14 00:00:00.000");
  EXPECT_EQ(Eval("from_iso8601_timestamp", {S("2020-09-14 00:44:23")}),
            "error: Invalid format: \"2020-09-14 00:44:23\"");
  EXPECT_EQ(Eval("from_iso8601_timestamp", {S("yesterday")}),
            "error: Invalid format: \"yesterday\"");
  EXPECT_EQ(Eval("from_iso8601_date", {S("2020-09-14")}), "2020-09-14");
  EXPECT_EQ(Eval("from_iso8601_date", {S("2020-09-14T00:00:00Z")}),
            "error: Invalid format: \"2020-09-14T00:00:00Z\"");
  EXPECT_EQ(Eval("to_iso8601", {Ts("2020-09-14T00:44:23Z")}), "2020-09-14T00:44:23.000Z");
  EXPECT_EQ(Eval("to_iso8601", {Ts(kWed)}), "2024-05-15T13:45:30.123456Z");
  EXPECT_EQ(Eval("to_iso8601", {Date("2020-09-14")}), "2020-09-14");
}

TEST(DatetimeFunctionsTest, NowIsTheQueryStart) {
  EvalOptions options;
  options.now_us = *ParseTimestamp("2026-01-02T03:04:05Z");
  EXPECT_EQ(Eval("now", {}, options), "2026-01-02 03:04:05.000");
  EXPECT_EQ(Eval("current_timestamp", {}, options), "2026-01-02 03:04:05.000");
  EXPECT_EQ(Eval("current_date", {}, options), "2026-01-02");
  EXPECT_EQ(Eval("localtimestamp", {}, options), "2026-01-02 03:04:05.000");
}

TEST(DatetimeFunctionsTest, Fields) {
  Value t = Ts(kWed);
  EXPECT_EQ(Eval("year", {t}), "2024");
  EXPECT_EQ(Eval("quarter", {t}), "2");
  EXPECT_EQ(Eval("month", {t}), "5");
  EXPECT_EQ(Eval("week", {t}), "20");
  EXPECT_EQ(Eval("day", {t}), "15");
  EXPECT_EQ(Eval("day_of_month", {t}), "15");
  EXPECT_EQ(Eval("day_of_week", {t}), "3");
  EXPECT_EQ(Eval("dow", {Ts("2024-05-19T00:00:00Z")}), "7");
  EXPECT_EQ(Eval("day_of_year", {t}), "136");
  EXPECT_EQ(Eval("doy", {Date("2024-12-31")}), "366");
  EXPECT_EQ(Eval("year_of_week", {Date("2021-01-03")}), "2020");
  EXPECT_EQ(Eval("yow", {Date("2021-01-04")}), "2021");
  EXPECT_EQ(Eval("week_of_year", {Date("2021-01-03")}), "53");
  EXPECT_EQ(Eval("hour", {t}), "13");
  EXPECT_EQ(Eval("minute", {t}), "45");
  EXPECT_EQ(Eval("second", {t}), "30");
  EXPECT_EQ(Eval("millisecond", {t}), "123");
  EXPECT_EQ(Eval("year", {Date("1969-12-31")}), "1969");
  EXPECT_EQ(Eval("hour", {Date("2024-01-01")}), "0");  // date coerces to timestamp.
  EXPECT_EQ(Eval("hour", {S("2024-01-01")}),
            "error: Unexpected parameters (varchar) for function hour. Expected: "
            "hour(timestamp(6))");
  EXPECT_EQ(Eval("last_day_of_month", {Ts("2024-02-10T00:00:00Z")}), "2024-02-29");
}

TEST(DatetimeFunctionsTest, DateFormat) {
  Value t = Ts(kWed);
  EXPECT_EQ(Eval("date_format", {t, S("%Y-%m-%d %H:%i:%s")}), "2024-05-15 13:45:30");
  EXPECT_EQ(Eval("date_format", {t, S("%a %b %e %l:%i %p")}), "Wed May 15 1:45 PM");
  EXPECT_EQ(Eval("date_format", {t, S("%W, %M %d, %y (%j) %f %T %r %v %c %k %h %%")}),
            "Wednesday, May 15, 24 (136) 123456 13:45:30 01:45:30 PM 20 5 13 01 %");
  EXPECT_EQ(Eval("date_format", {t, S("%D")}), "error: %D not supported in date format string");
  EXPECT_EQ(Eval("date_format", {t, S("%Q")}), "Q");
  EXPECT_EQ(Eval("date_format", {t, S("")}), "");
}

TEST(DatetimeFunctionsTest, DateParse) {
  EXPECT_EQ(Eval("date_parse", {S("2024/05/15 13:45:30"), S("%Y/%m/%d %H:%i:%s")}),
            "2024-05-15 13:45:30.000");
  EXPECT_EQ(Eval("date_parse", {S("15-May-2024 01:45 PM"), S("%d-%b-%Y %h:%i %p")}),
            "2024-05-15 13:45:00.000");
  EXPECT_EQ(Eval("date_parse", {S("2024-05-15 12:00:00.5"), S("%Y-%m-%d %T.%f")}),
            "2024-05-15 12:00:00.500");
  EXPECT_EQ(Eval("date_parse", {S("2024-02-30"), S("%Y-%m-%d")}),
            "error: Invalid format: '2024-02-30' (day out of range for month)");
  EXPECT_EQ(Eval("date_parse", {S("2024-05-15x"), S("%Y-%m-%d")}),
            "error: Invalid format: '2024-05-15x' (trailing text)");
  EXPECT_EQ(Eval("date_parse", {S("2024"), S("%U")}),
            "error: %U not supported in date parse string");
}

TEST(DatetimeFunctionsTest, FormatDatetime) {
  Value t = Ts(kWed);
  EXPECT_EQ(Eval("format_datetime", {t, S("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")}),
            "2024-05-15T13:45:30.123Z");
  EXPECT_EQ(Eval("format_datetime", {t, S("EEE, d MMM yy h:mm a ZZ")}),
            "Wed, 15 May 24 1:45 PM +00:00");
  EXPECT_EQ(Eval("format_datetime", {t, S("EEEE MMMM D '' z")}), "Wednesday May 136 ' UTC");
  EXPECT_EQ(Eval("format_datetime", {t, S("q")}), "error: Illegal pattern component: q");
  // Wide fields pad with zeros (a fuzzer found the fixed buffer this once overflowed).
  EXPECT_EQ(Eval("format_datetime", {t, S(std::string(40, 'h'))}), std::string(39, '0') + "1");
  Value year_minus_one = Value::Timestamp(DaysFromCivil(-1, 1, 1) * kMicrosPerDay);
  EXPECT_EQ(Eval("format_datetime", {year_minus_one, S("yyyyy")}), "-00001");
}

TEST(DatetimeFunctionsTest, UnixTime) {
  EXPECT_EQ(Eval("from_unixtime", {I(1600044263)}), "2020-09-14 00:44:23.000");
  EXPECT_EQ(Eval("from_unixtime", {Value::Double(1600044263.25)}), "2020-09-14 00:44:23.250");
  EXPECT_EQ(Eval("from_unixtime", {Value::Double(1e300)}), "error: timestamp out of range");
  EXPECT_EQ(Eval("to_unixtime", {Ts("2020-09-14T00:44:23.5Z")}), "1600044263.5");
}

TEST(DatetimeFunctionsTest, AtTimezoneUtcOnly) {
  EXPECT_EQ(Eval("at_timezone", {Ts(kWed), S("UTC")}), "2024-05-15 13:45:30.123456");
  EXPECT_EQ(Eval("at_timezone", {Ts(kWed), S("America/New_York")}),
            "error: Time zone 'America/New_York' is not supported: trailbook computes all times "
            "in UTC");
}

}  // namespace
}  // namespace trailbook::sql
