// File: monitor/cron_schedule.h
//
// CronSchedule: the five-field cron syntax (minute hour day-of-month month day-of-week, UTC)
// for detection schedules: numbers, '*', ranges 'a-b', steps '*/n' and 'a-b/n', and lists
// 'a,b'. Day-of-week 0 and 7 are Sunday. As in Vixie cron, when both day fields are
// restricted, a day matches if either does.
//
//   TB_ASSIGN_OR_RETURN(CronSchedule cron, CronSchedule::Parse("*/5 * * * *"));
//   int64_t next = cron.NextAfter(now_us);  // the next whole minute that matches
#pragma once

#include <bitset>
#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace trailbook::monitor {

class CronSchedule {
 public:
  // Errors: kInvalidArgument naming the field and the text.
  static Result<CronSchedule> Parse(std::string_view spec);

  // Returns the first matching minute strictly after `micros` (UTC), within 5 years, or -1.
  int64_t NextAfter(int64_t micros) const;

 private:
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;    // 1..31
  std::bitset<13> months_;  // 1..12
  std::bitset<7> weekdays_;  // 0 = Sunday
  bool days_restricted_ = false;
  bool weekdays_restricted_ = false;
};

}  // namespace trailbook::monitor
