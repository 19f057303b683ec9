// File: sql/functions/calendar.h
//
// Calendar arithmetic on trailbook's time values (timestamps: int64 microseconds since the
// epoch, UTC; dates: int64 days since the epoch), as Trino does it in UTC with the proleptic
// Gregorian calendar: field extraction, truncation, adding units (months clamp to the last day
// of the month: Jan 31 + 1 month = Feb 29 in a leap year) and Joda-style differences in whole
// units. Used by the time functions and by the timestamp/interval operators.
//
//   TB_ASSIGN_OR_RETURN(TimeUnit unit, ParseTimeUnit("week", "date_trunc"));
//   int64_t monday = TruncateTimestamp(ts, unit);
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace trailbook::sql {

// A timestamp broken into UTC fields.
struct CivilTime {
  int64_t year = 1970;
  unsigned month = 1;   // 1-12
  unsigned day = 1;     // 1-31
  unsigned hour = 0;    // 0-23
  unsigned minute = 0;  // 0-59
  unsigned second = 0;  // 0-59
  int64_t micros = 0;   // 0-999999
};

// Units of date_trunc, date_add and date_diff.
enum class TimeUnit : uint8_t {
  kMillisecond,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear,
};

// Parses a unit name (case-insensitive, singular as Trino: "second", "week", ...).
// Errors: kInvalidArgument "'<unit>' is not a valid Timestamp field" (Trino's message).
Result<TimeUnit> ParseTimeUnit(std::string_view name);

// Returns true for units a DATE can be truncated to or shifted by (day and longer).
inline bool IsDateUnit(TimeUnit unit) { return unit >= TimeUnit::kDay; }

// Floor division and modulo (the remainder has the sign of the divisor).
inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
inline int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

CivilTime ToCivil(int64_t micros);
// REQUIRES: fields in range.
int64_t FromCivil(const CivilTime& t);

// Returns the number of days in `month` (1-12) of `year`.
unsigned DaysInMonth(int64_t year, unsigned month);
// ISO day of the week of a day number: 1 = Monday ... 7 = Sunday.
int64_t IsoDayOfWeek(int64_t days);
// Day of the year, 1-366.
int64_t DayOfYear(int64_t days);
// ISO-8601 week of the year (1-53) and the week-based year it belongs to.
int64_t IsoWeekOfYear(int64_t days, int64_t* week_year = nullptr);

// Returns `micros` truncated to the start of its `unit` (weeks start on Monday).
int64_t TruncateTimestamp(int64_t micros, TimeUnit unit);
// Returns `days` truncated to the start of its `unit`. REQUIRES: IsDateUnit(unit).
int64_t TruncateDate(int64_t days, TimeUnit unit);

// Returns micros + amount units. Errors: kInvalidArgument "timestamp out of range" on overflow.
Result<int64_t> AddToTimestamp(int64_t micros, TimeUnit unit, int64_t amount);
// Returns days + amount units. REQUIRES: IsDateUnit(unit). Errors as AddToTimestamp.
Result<int64_t> AddToDate(int64_t days, TimeUnit unit, int64_t amount);
// Returns `micros` shifted by `months` calendar months, clamping the day of the month.
Result<int64_t> AddMonths(int64_t micros, int64_t months);

// Returns the number of whole `unit`s from `from` to `to` (negative when to < from), as
// Trino's date_diff (Joda's field differences: a month counts when the day and time of month
// are reached, with month ends aligned).
int64_t TimestampDiff(TimeUnit unit, int64_t from, int64_t to);

}  // namespace trailbook::sql
