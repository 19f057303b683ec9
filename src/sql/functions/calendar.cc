#include "sql/functions/calendar.h"

#include <cctype>
#include <string>

#include "base/timestamp.h"

namespace trailbook::sql {
namespace {

constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

int64_t FixedUnitMicros(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillisecond:
      return 1000;
    case TimeUnit::kSecond:
      return kMicrosPerSecond;
    case TimeUnit::kMinute:
      return kMicrosPerMinute;
    case TimeUnit::kHour:
      return kMicrosPerHour;
    case TimeUnit::kDay:
      return kMicrosPerDay;
    case TimeUnit::kWeek:
      return 7 * kMicrosPerDay;
    default:
      return 0;
  }
}

Status OutOfRange() { return InvalidArgument("timestamp out of range"); }

// Months from `from` to `to` as Joda's month field difference, for from <= to.
int64_t MonthsBetween(int64_t from, int64_t to) {
  CivilTime a = ToCivil(from);
  CivilTime b = ToCivil(to);
  int64_t diff =
      (b.year - a.year) * 12 + static_cast<int64_t>(b.month) - static_cast<int64_t>(a.month);
  // When `to` is on the last day of its month, a later day of month in `from` counts as that
  // last day (Jan 31 -> Feb 29 is one month).
  unsigned from_day = a.day;
  if (b.day == DaysInMonth(b.year, b.month) && a.day > b.day) from_day = b.day;
  auto rest = [](unsigned day, const CivilTime& t) {
    return static_cast<int64_t>(day - 1) * kMicrosPerDay + t.hour * kMicrosPerHour +
           t.minute * kMicrosPerMinute + t.second * kMicrosPerSecond + t.micros;
  };
  if (rest(b.day, b) < rest(from_day, a)) --diff;
  return diff;
}

}  // namespace

Result<TimeUnit> ParseTimeUnit(std::string_view name) {
  static constexpr struct {
    std::string_view name;
    TimeUnit unit;
  } kUnits[] = {
      {"millisecond", TimeUnit::kMillisecond},
      {"second", TimeUnit::kSecond},
      {"minute", TimeUnit::kMinute},
      {"hour", TimeUnit::kHour},
      {"day", TimeUnit::kDay},
      {"week", TimeUnit::kWeek},
      {"month", TimeUnit::kMonth},
      {"quarter", TimeUnit::kQuarter},
      {"year", TimeUnit::kYear},
  };
  for (const auto& u : kUnits) {
    if (EqualsIgnoreCase(u.name, name)) return u.unit;
  }
  return InvalidArgument("'" + std::string(name) + "' is not a valid Timestamp field");
}

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

CivilTime ToCivil(int64_t micros) {
  CivilTime t;
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t rem = micros - days * kMicrosPerDay;
  CivilFromDays(days, &t.year, &t.month, &t.day);
  t.hour = static_cast<unsigned>(rem / kMicrosPerHour);
  t.minute = static_cast<unsigned>(rem / kMicrosPerMinute % 60);
  t.second = static_cast<unsigned>(rem / kMicrosPerSecond % 60);
  t.micros = rem % kMicrosPerSecond;
  return t;
}

int64_t FromCivil(const CivilTime& t) {
  return DaysFromCivil(t.year, t.month, t.day) * kMicrosPerDay + t.hour * kMicrosPerHour +
         t.minute * kMicrosPerMinute + t.second * kMicrosPerSecond + t.micros;
}

int64_t IsoDayOfWeek(int64_t days) {
  // 1970-01-01 was a Thursday (4).
  return FloorMod(days + 3, 7) + 1;
}

int64_t DayOfYear(int64_t days) {
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  return days - DaysFromCivil(year, 1, 1) + 1;
}

int64_t IsoWeekOfYear(int64_t days, int64_t* week_year) {
  // The week belongs to the year of its Thursday.
  int64_t thursday = days - IsoDayOfWeek(days) + 4;
  int64_t year;
  unsigned month, day;
  CivilFromDays(thursday, &year, &month, &day);
  if (week_year != nullptr) *week_year = year;
  return (thursday - DaysFromCivil(year, 1, 1)) / 7 + 1;
}

int64_t TruncateDate(int64_t days, TimeUnit unit) {
  int64_t year;
  unsigned month, day;
  switch (unit) {
    case TimeUnit::kWeek:
      return days - (IsoDayOfWeek(days) - 1);
    case TimeUnit::kMonth:
      CivilFromDays(days, &year, &month, &day);
      return DaysFromCivil(year, month, 1);
    case TimeUnit::kQuarter:
      CivilFromDays(days, &year, &month, &day);
      return DaysFromCivil(year, (month - 1) / 3 * 3 + 1, 1);
    case TimeUnit::kYear:
      CivilFromDays(days, &year, &month, &day);
      return DaysFromCivil(year, 1, 1);
    default:
      return days;
  }
}

int64_t TruncateTimestamp(int64_t micros, TimeUnit unit) {
  if (IsDateUnit(unit)) {
    return TruncateDate(FloorDiv(micros, kMicrosPerDay), unit) * kMicrosPerDay;
  }
  int64_t step = FixedUnitMicros(unit);
  return FloorDiv(micros, step) * step;
}

Result<int64_t> AddMonths(int64_t micros, int64_t months) {
  // Keep the years representable: +-200,000 years is far beyond any timestamp in use.
  if (months > 2'400'000 || months < -2'400'000) return OutOfRange();
  CivilTime t = ToCivil(micros);
  int64_t total = t.year * 12 + static_cast<int64_t>(t.month) - 1 + months;
  t.year = FloorDiv(total, 12);
  t.month = static_cast<unsigned>(FloorMod(total, 12) + 1);
  unsigned last = DaysInMonth(t.year, t.month);
  if (t.day > last) t.day = last;
  int64_t days = DaysFromCivil(t.year, t.month, t.day);
  int64_t out;
  if (__builtin_mul_overflow(days, kMicrosPerDay, &out) ||
      __builtin_add_overflow(out, micros - FloorDiv(micros, kMicrosPerDay) * kMicrosPerDay, &out)) {
    return OutOfRange();
  }
  return out;
}

Result<int64_t> AddToTimestamp(int64_t micros, TimeUnit unit, int64_t amount) {
  int64_t months = 0;
  switch (unit) {
    case TimeUnit::kMonth:
      months = amount;
      break;
    case TimeUnit::kQuarter:
      if (__builtin_mul_overflow(amount, int64_t{3}, &months)) return OutOfRange();
      break;
    case TimeUnit::kYear:
      if (__builtin_mul_overflow(amount, int64_t{12}, &months)) return OutOfRange();
      break;
    default: {
      int64_t delta, out;
      if (__builtin_mul_overflow(amount, FixedUnitMicros(unit), &delta) ||
          __builtin_add_overflow(micros, delta, &out)) {
        return OutOfRange();
      }
      return out;
    }
  }
  return AddMonths(micros, months);
}

Result<int64_t> AddToDate(int64_t days, TimeUnit unit, int64_t amount) {
  if (days > INT64_MAX / kMicrosPerDay || days < INT64_MIN / kMicrosPerDay) return OutOfRange();
  TB_ASSIGN_OR_RETURN(int64_t micros, AddToTimestamp(days * kMicrosPerDay, unit, amount));
  return FloorDiv(micros, kMicrosPerDay);
}

int64_t TimestampDiff(TimeUnit unit, int64_t from, int64_t to) {
  if (to < from) return -TimestampDiff(unit, to, from);
  switch (unit) {
    case TimeUnit::kMonth:
      return MonthsBetween(from, to);
    case TimeUnit::kQuarter:
      return MonthsBetween(from, to) / 3;
    case TimeUnit::kYear:
      return MonthsBetween(from, to) / 12;
    default: {
      // to - from may overflow for extreme values; split it.
      int64_t step = FixedUnitMicros(unit);
      int64_t diff;
      if (!__builtin_sub_overflow(to, from, &diff)) return diff / step;
      return to / step - from / step;
    }
  }
}

}  // namespace trailbook::sql
