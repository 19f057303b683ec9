#include "monitor/cron_schedule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/timestamp.h"

namespace trailbook::monitor {
namespace {

int64_t At(const char* text) { return ParseTimestamp(text).value(); }
std::string Next(const char* spec, const char* after) {
  Result<CronSchedule> cron = CronSchedule::Parse(spec);
  EXPECT_TRUE(cron.ok()) << cron.status().ToString();
  if (!cron.ok()) return "";
  int64_t next = cron->NextAfter(At(after));
  return next < 0 ? "never" : FormatTimestamp(next);
}

TEST(CronScheduleTest, FindsTheNextMatchingMinute) {
  EXPECT_EQ(Next("* * * * *", "2024-03-01T10:00:00Z"), "2024-03-01T10:01:00Z");
  EXPECT_EQ(Next("* * * * *", "2024-03-01T10:00:30Z"), "2024-03-01T10:01:00Z");
  EXPECT_EQ(Next("*/5 * * * *", "2024-03-01T10:03:00Z"), "2024-03-01T10:05:00Z");
  EXPECT_EQ(Next("0 2 * * *", "2024-03-01T10:03:00Z"), "2024-03-02T02:00:00Z");
  EXPECT_EQ(Next("30 9 * * 1-5", "2024-03-01T10:00:00Z"), "2024-03-04T09:30:00Z");  // Fri -> Mon
  EXPECT_EQ(Next("0 0 29 2 *", "2024-03-01T00:00:00Z"), "2028-02-29T00:00:00Z");
  EXPECT_EQ(Next("15,45 */6 * * *", "2024-03-01T06:20:00Z"), "2024-03-01T06:45:00Z");
  EXPECT_EQ(Next("0 0 * * 7", "2024-03-01T00:00:00Z"), "2024-03-03T00:00:00Z");  // Sunday
  // Both day fields restricted: either matches (the 13th, or any Friday).
  EXPECT_EQ(Next("0 0 13 * 5", "2024-03-01T12:00:00Z"), "2024-03-08T00:00:00Z");
  EXPECT_EQ(Next("0 0 31 2 *", "2024-03-01T00:00:00Z"), "never");
}

TEST(CronScheduleTest, RejectsBadSpecs) {
  for (const char* bad : {"", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *",
                          "* * * 13 *", "* * * * 8", "*/0 * * * *", "5-1 * * * *", "a * * * *",
                          "1,,2 * * * *", "-1 * * * *"}) {
    Result<CronSchedule> cron = CronSchedule::Parse(bad);
    ASSERT_FALSE(cron.ok()) << bad;
    EXPECT_EQ(cron.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(cron.status().message(), ::testing::HasSubstr("cron")) << bad;
  }
}

}  // namespace
}  // namespace trailbook::monitor
