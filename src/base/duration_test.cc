#include "base/duration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/timestamp.h"

namespace trailbook {
namespace {

using ::testing::HasSubstr;

TEST(DurationTest, ParsesEachUnit) {
  EXPECT_EQ(*ParseDuration("90s"), 90 * kMicrosPerSecond);
  EXPECT_EQ(*ParseDuration("15m"), 15 * 60 * kMicrosPerSecond);
  EXPECT_EQ(*ParseDuration("1h"), 3600 * kMicrosPerSecond);
  EXPECT_EQ(*ParseDuration("7d"), 7 * kMicrosPerDay);
  EXPECT_EQ(*ParseDuration("3650d"), kMaxDurationMicros);
}

TEST(DurationTest, ZeroOnlyWhenAllowed) {
  EXPECT_FALSE(ParseDuration("0s").ok());
  EXPECT_EQ(*ParseDuration("0s", ZeroDuration::kAllow), 0);
  EXPECT_EQ(*ParseDuration("0d", ZeroDuration::kAllow), 0);
  EXPECT_FALSE(ParseDuration("00s", ZeroDuration::kAllow).ok());
  EXPECT_FALSE(ParseDuration("05m", ZeroDuration::kAllow).ok());
}

TEST(DurationTest, RejectsOtherFormsQuotingTheText) {
  for (const char* bad : {"", "7", "d", "07d", "-1d", "+1d", "1.5h", "1w", "1h30m", " 1d",
                          "1d ", "1D", "١d"}) {
    Result<int64_t> r = ParseDuration(bad, ZeroDuration::kAllow);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(r.status().message(), HasSubstr("must be <n>s")) << bad;
  }
}

TEST(DurationTest, RejectsAboveTenYearsWithoutOverflow) {
  for (const char* big : {"3651d", "87601h", "315360001s", "99999999999s",
                          "9223372036854775807d", "99999999999999999999999s"}) {
    Result<int64_t> r = ParseDuration(big);
    ASSERT_FALSE(r.ok()) << big;
    EXPECT_THAT(r.status().message(), HasSubstr("exceeds 3650d")) << big;
  }
}

TEST(DurationTest, ErrorQuotesAtMost32PrintableBytes) {
  std::string text = std::string(40, 'x') + "\n";
  Result<int64_t> r = ParseDuration(text);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("\"" + std::string(32, 'x') + "...\""));
  EXPECT_THAT(ParseDuration("1\x01s").status().message(), HasSubstr("\"1?s\""));
}

TEST(DurationTest, FormatsTheLargestExactUnitAndRoundTrips) {
  EXPECT_EQ(FormatDuration(7 * kMicrosPerDay), "7d");
  EXPECT_EQ(FormatDuration(90 * 60 * kMicrosPerSecond), "90m");
  EXPECT_EQ(FormatDuration(2 * 3600 * kMicrosPerSecond), "2h");
  EXPECT_EQ(FormatDuration(45 * kMicrosPerSecond), "45s");
  EXPECT_EQ(FormatDuration(0), "0s");
  for (const char* text : {"1s", "59s", "61m", "25h", "3650d"}) {
    EXPECT_EQ(FormatDuration(*ParseDuration(text)), text);
  }
}

}  // namespace
}  // namespace trailbook
