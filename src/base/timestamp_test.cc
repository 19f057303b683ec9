#include "base/timestamp.h"

#include <gtest/gtest.h>

namespace trailbook {
namespace {

constexpr int64_t kS = kMicrosPerSecond;

TEST(TimestampTest, ParsesCloudTrailForms) {
  EXPECT_EQ(ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseTimestamp("2020-09-14T00:44:23Z"), 1600044263 * kS);
  EXPECT_EQ(ParseTimestamp("2020-09-14T00:44:23.000Z"), 1600044263 * kS);
  EXPECT_EQ(ParseTimestamp("2020-09-14T00:44:23.5Z"), 1600044263 * kS + 500000);
  EXPECT_EQ(ParseTimestamp("2020-09-14 00:44:23"), 1600044263 * kS);
  EXPECT_EQ(ParseTimestamp("2020-09-14"), 1600041600 * kS);
}

TEST(TimestampTest, AppliesOffsets) {
  // LookupEvents writes local time with an offset: same instant as 22:23:37Z.
  EXPECT_EQ(ParseTimestamp("2022-02-08 09:23:37+11:00"), ParseTimestamp("2022-02-07T22:23:37Z"));
  EXPECT_EQ(ParseTimestamp("2022-02-07T20:23:37-0200"), ParseTimestamp("2022-02-07T22:23:37Z"));
}

TEST(TimestampTest, RejectsMalformed) {
  for (const char* bad : {"", "2020", "2020-13-01", "2020-02-30", "2021-02-29T00:00:00Z",
                          "2020-01-01T24:00:00Z", "2020-01-01T00:00:60Z", "2020-01-01X00:00",
                          "2020-01-01T00:00:00Q", "2020-01-01T00:00:00.Z", "20200101",
                          "2020-01-01T00:00:00+25:00", "2020-01-01T00:00:00Zjunk"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
  EXPECT_TRUE(ParseTimestamp("2020-02-29T00:00:00Z").has_value());
}

TEST(TimestampTest, FormatsRoundTrip) {
  EXPECT_EQ(FormatTimestamp(1600044263 * kS), "2020-09-14T00:44:23Z");
  EXPECT_EQ(FormatTimestamp(1600044263 * kS + 123000), "2020-09-14T00:44:23.123Z");
  EXPECT_EQ(FormatTimestamp(1600044263 * kS + 123456), "2020-09-14T00:44:23.123456Z");
  EXPECT_EQ(FormatTimestamp(-1 * kS), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatTimestamp(0, 3, ' ', false), "1970-01-01 00:00:00.000");
  for (int64_t t : {int64_t{0}, int64_t{951782400} * kS, int64_t{4102444799} * kS + 999999}) {
    EXPECT_EQ(ParseTimestamp(FormatTimestamp(t)), t);
  }
}

TEST(TimestampTest, CanonicalTextCheck) {
  for (const char* text : {"2020-09-14T00:44:23Z", "2020-09-14T00:44:23.000Z", "2020-09-14t00:44:23z",
                           "2020-09-14 00:44:23", "2020-09-14T00:44:23.123Z", "2020-09-14"}) {
    int64_t t = *ParseTimestamp(text);
    EXPECT_EQ(IsCanonicalTimestampText(text, t), FormatTimestamp(t) == text) << text;
  }
}

TEST(TimestampTest, DayOfHandlesNegative) {
  EXPECT_EQ(DayOf(0), 0);
  EXPECT_EQ(DayOf(-1), -1);
  EXPECT_EQ(DayOf(kMicrosPerDay), 1);
}

}  // namespace
}  // namespace trailbook
