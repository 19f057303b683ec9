#include "sql/functions/calendar.h"

#include <gtest/gtest.h>

#include "base/timestamp.h"

namespace trailbook::sql {
namespace {

int64_t Ts(std::string_view s) { return *ParseTimestamp(s); }
std::string Show(int64_t us) { return FormatTimestamp(us); }

TEST(CalendarTest, ParseTimeUnit) {
  EXPECT_EQ(*ParseTimeUnit("WEEK"), TimeUnit::kWeek);
  EXPECT_EQ(*ParseTimeUnit("millisecond"), TimeUnit::kMillisecond);
  EXPECT_EQ(ParseTimeUnit("days").status().message(), "'days' is not a valid Timestamp field");
}

TEST(CalendarTest, Truncate) {
  int64_t t = Ts("2024-05-15T13:45:30.123456Z");  // A Wednesday.
  EXPECT_EQ(Show(TruncateTimestamp(t, TimeUnit::kMillisecond)), "2024-05-15T13:45:30.123Z");
  EXPECT_EQ(Show(TruncateTimestamp(t, TimeUnit::kSecond)), "2024-05-15T13:45:30Z");
  EXPECT_EQ(Show(TruncateTimestamp(t, TimeUnit::kMinute)), "2024-05-15T13:45:00Z");
  EXPECT_EQ(Show(TruncateTimestamp(t, TimeUnit::kHour)), "2024-05-15T13:00:00Z");
  EXPECT_EQ(Show(TruncateTimestamp(t, TimeUnit::kDay)), "2024-05-15T00:00:00Z");
  EXPECT_EQ(Show(TruncateTimestamp(t, TimeUnit::kWeek)), "2024-05-13T00:00:00Z");
  EXPECT_EQ(Show(TruncateTimestamp(t, TimeUnit::kMonth)), "2024-05-01T00:00:00Z");
  EXPECT_EQ(Show(TruncateTimestamp(t, TimeUnit::kQuarter)), "2024-04-01T00:00:00Z");
  EXPECT_EQ(Show(TruncateTimestamp(t, TimeUnit::kYear)), "2024-01-01T00:00:00Z");
  // Before the epoch, truncation still goes down.
  EXPECT_EQ(Show(TruncateTimestamp(Ts("1969-12-31T23:59:59.5Z"), TimeUnit::kSecond)),
            "1969-12-31T23:59:59Z");
  // A Sunday truncates to the Monday before it.
  EXPECT_EQ(Show(TruncateTimestamp(Ts("2024-05-19T10:00:00Z"), TimeUnit::kWeek)),
            "2024-05-13T00:00:00Z");
}

TEST(CalendarTest, Fields) {
  int64_t d = DayOf(Ts("2024-05-19T00:00:00Z"));
  EXPECT_EQ(IsoDayOfWeek(d), 7);
  EXPECT_EQ(IsoDayOfWeek(0), 4);  // 1970-01-01 was a Thursday.
  EXPECT_EQ(DayOfYear(DayOf(Ts("2024-12-31T00:00:00Z"))), 366);
  int64_t wy;
  EXPECT_EQ(IsoWeekOfYear(DayOf(Ts("2021-01-03T00:00:00Z")), &wy), 53);
  EXPECT_EQ(wy, 2020);
  EXPECT_EQ(IsoWeekOfYear(DayOf(Ts("2024-12-30T00:00:00Z")), &wy), 1);
  EXPECT_EQ(wy, 2025);
  CivilTime c = ToCivil(Ts("1900-02-28T23:59:58.000001Z"));
  EXPECT_EQ(c.year, 1900);
  EXPECT_EQ(c.micros, 1);
  EXPECT_EQ(FromCivil(c), Ts("1900-02-28T23:59:58.000001Z"));
}

TEST(CalendarTest, AddUnits) {
  int64_t t = Ts("2024-01-31T10:00:00Z");
  EXPECT_EQ(Show(*AddToTimestamp(t, TimeUnit::kMonth, 1)), "2024-02-29T10:00:00Z");
  EXPECT_EQ(Show(*AddToTimestamp(t, TimeUnit::kMonth, 13)), "2025-02-28T10:00:00Z");
  EXPECT_EQ(Show(*AddToTimestamp(t, TimeUnit::kQuarter, -1)), "2023-10-31T10:00:00Z");
  EXPECT_EQ(Show(*AddToTimestamp(t, TimeUnit::kYear, 1)), "2025-01-31T10:00:00Z");
  EXPECT_EQ(Show(*AddToTimestamp(t, TimeUnit::kWeek, 1)), "2024-02-07T10:00:00Z");
  EXPECT_EQ(Show(*AddToTimestamp(t, TimeUnit::kMillisecond, 1)), "2024-01-31T10:00:00.001Z");
  EXPECT_EQ(AddToTimestamp(t, TimeUnit::kDay, INT64_MAX).status().message(),
            "timestamp out of range");
  EXPECT_EQ(AddToTimestamp(t, TimeUnit::kYear, INT64_MAX / 2).status().message(),
            "timestamp out of range");
  EXPECT_EQ(*AddToDate(0, TimeUnit::kDay, 1), 1);
}

TEST(CalendarTest, Diff) {
  EXPECT_EQ(TimestampDiff(TimeUnit::kDay, Ts("2024-01-01"), Ts("2024-01-03T12:00:00Z")), 2);
  EXPECT_EQ(TimestampDiff(TimeUnit::kDay, Ts("2024-01-03T12:00:00Z"), Ts("2024-01-01")), -2);
  EXPECT_EQ(TimestampDiff(TimeUnit::kHour, Ts("2024-01-01"), Ts("2024-01-01T05:59:59Z")), 5);
  EXPECT_EQ(TimestampDiff(TimeUnit::kMonth, Ts("2024-01-31"), Ts("2024-02-29")), 1);
  EXPECT_EQ(TimestampDiff(TimeUnit::kMonth, Ts("2024-01-31"), Ts("2024-02-28")), 0);
  EXPECT_EQ(TimestampDiff(TimeUnit::kMonth, Ts("2024-01-15"), Ts("2024-03-14")), 1);
  EXPECT_EQ(TimestampDiff(TimeUnit::kMonth, Ts("2024-03-14"), Ts("2024-01-15")), -1);
  EXPECT_EQ(TimestampDiff(TimeUnit::kYear, Ts("2020-02-29"), Ts("2021-02-28")), 1);
  EXPECT_EQ(TimestampDiff(TimeUnit::kYear, Ts("2020-06-01"), Ts("2021-05-31")), 0);
  EXPECT_EQ(TimestampDiff(TimeUnit::kQuarter, Ts("2020-01-01"), Ts("2020-12-31")), 3);
  EXPECT_EQ(TimestampDiff(TimeUnit::kWeek, Ts("2024-01-01"), Ts("2024-01-15")), 2);
  EXPECT_EQ(TimestampDiff(TimeUnit::kSecond, INT64_MIN / 2, INT64_MAX / 2),
            (INT64_MAX / 2) / kMicrosPerSecond - (INT64_MIN / 2) / kMicrosPerSecond);
}

}  // namespace
}  // namespace trailbook::sql
