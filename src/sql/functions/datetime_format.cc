#include "sql/functions/datetime_format.h"

#include <charconv>

#include "base/timestamp.h"
#include "sql/functions/calendar.h"

namespace trailbook::sql {
namespace {

constexpr const char* kMonthNames[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};
constexpr const char* kDayNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                     "Friday", "Saturday", "Sunday"};

// Appends `v` in decimal, zero-padded to `width` digits (Joda allows any width).
void AppendPadded(std::string* out, int64_t v, int width) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  std::string_view digits(buf, static_cast<size_t>(r.ptr - buf));
  if (v < 0) {
    out->push_back('-');
    digits.remove_prefix(1);
  }
  if (width > 0 && digits.size() < static_cast<size_t>(width)) {
    out->append(static_cast<size_t>(width) - digits.size(), '0');
  }
  out->append(digits);
}

int64_t Hour12(unsigned hour) { return hour % 12 == 0 ? 12 : hour % 12; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

}  // namespace

Status FormatMysql(int64_t micros, std::string_view format, std::string* out) {
  CivilTime t = ToCivil(micros);
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%' || i + 1 >= format.size()) {
      out->push_back(c);
      continue;
    }
    char spec = format[++i];
    switch (spec) {
      case 'a':
        out->append(kDayNames[IsoDayOfWeek(days) - 1], 3);
        break;
      case 'b':
        out->append(kMonthNames[t.month - 1], 3);
        break;
      case 'c':
        AppendPadded(out, t.month, 1);
        break;
      case 'd':
        AppendPadded(out, t.day, 2);
        break;
      case 'e':
        AppendPadded(out, t.day, 1);
        break;
      case 'f':
        AppendPadded(out, t.micros, 6);
        break;
      case 'H':
        AppendPadded(out, t.hour, 2);
        break;
      case 'h':
      case 'I':
        AppendPadded(out, Hour12(t.hour), 2);
        break;
      case 'i':
        AppendPadded(out, t.minute, 2);
        break;
      case 'j':
        AppendPadded(out, DayOfYear(days), 3);
        break;
      case 'k':
        AppendPadded(out, t.hour, 1);
        break;
      case 'l':
        AppendPadded(out, Hour12(t.hour), 1);
        break;
      case 'M':
        out->append(kMonthNames[t.month - 1]);
        break;
      case 'm':
        AppendPadded(out, t.month, 2);
        break;
      case 'p':
        out->append(t.hour < 12 ? "AM" : "PM");
        break;
      case 'r':
        AppendPadded(out, Hour12(t.hour), 2);
        out->push_back(':');
        AppendPadded(out, t.minute, 2);
        out->push_back(':');
        AppendPadded(out, t.second, 2);
        out->append(t.hour < 12 ? " AM" : " PM");
        break;
      case 'S':
      case 's':
        AppendPadded(out, t.second, 2);
        break;
      case 'T':
        AppendPadded(out, t.hour, 2);
        out->push_back(':');
        AppendPadded(out, t.minute, 2);
        out->push_back(':');
        AppendPadded(out, t.second, 2);
        break;
      case 'v':
        AppendPadded(out, IsoWeekOfYear(days), 2);
        break;
      case 'W':
        out->append(kDayNames[IsoDayOfWeek(days) - 1]);
        break;
      case 'Y':
        AppendPadded(out, t.year, 4);
        break;
      case 'y':
        AppendPadded(out, FloorMod(t.year, 100), 2);
        break;
      case '%':
        out->push_back('%');
        break;
      case 'D':
      case 'U':
      case 'u':
      case 'V':
      case 'w':
      case 'X':
      case 'x':
        return InvalidArgument(std::string("%") + spec + " not supported in date format string");
      default:
        out->push_back(spec);
    }
  }
  return Status::OK();
}

Result<int64_t> ParseMysql(std::string_view text, std::string_view format) {
  auto bad = [&](std::string_view why) {
    return InvalidArgument("Invalid format: '" + std::string(text) + "' (" + std::string(why) +
                           ")");
  };
  CivilTime t;
  int64_t day_of_year = -1;
  bool pm = false, twelve_hour = false;
  size_t pos = 0;
  // Reads 1..max digits.
  auto number = [&](size_t max, int64_t* v) {
    size_t start = pos;
    *v = 0;
    while (pos < text.size() && pos - start < max && text[pos] >= '0' && text[pos] <= '9') {
      *v = *v * 10 + (text[pos++] - '0');
    }
    return pos > start;
  };
  auto name = [&](const char* const* names, size_t count, bool abbreviated, unsigned* index) {
    for (size_t k = 0; k < count; ++k) {
      std::string_view full(names[k]);
      std::string_view n = abbreviated ? full.substr(0, 3) : full;
      if (EqualsIgnoreCase(text.substr(pos, n.size()), n)) {
        pos += n.size();
        *index = static_cast<unsigned>(k);
        return true;
      }
    }
    return false;
  };
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%' || i + 1 >= format.size()) {
      if (pos >= text.size() || text[pos] != c) return bad("literal mismatch");
      ++pos;
      continue;
    }
    char spec = format[++i];
    int64_t v = 0;
    switch (spec) {
      case 'Y':
        if (!number(4, &v)) return bad("year");
        t.year = v;
        break;
      case 'y':
        if (!number(2, &v)) return bad("year");
        t.year = v < 70 ? 2000 + v : 1900 + v;
        break;
      case 'm':
      case 'c':
        if (!number(2, &v) || v < 1 || v > 12) return bad("month");
        t.month = static_cast<unsigned>(v);
        break;
      case 'd':
      case 'e':
        if (!number(2, &v) || v < 1 || v > 31) return bad("day");
        t.day = static_cast<unsigned>(v);
        break;
      case 'H':
      case 'k':
        if (!number(2, &v) || v > 23) return bad("hour");
        t.hour = static_cast<unsigned>(v);
        break;
      case 'h':
      case 'I':
      case 'l':
        if (!number(2, &v) || v < 1 || v > 12) return bad("hour");
        t.hour = static_cast<unsigned>(v % 12);
        twelve_hour = true;
        break;
      case 'i':
        if (!number(2, &v) || v > 59) return bad("minute");
        t.minute = static_cast<unsigned>(v);
        break;
      case 'S':
      case 's':
        if (!number(2, &v) || v > 59) return bad("second");
        t.second = static_cast<unsigned>(v);
        break;
      case 'f': {
        size_t start = pos;
        if (!number(9, &v)) return bad("fraction");
        size_t digits = pos - start;
        for (; digits < 6; ++digits) v *= 10;
        for (; digits > 6; --digits) v /= 10;
        t.micros = v;
        break;
      }
      case 'p':
        if (EqualsIgnoreCase(text.substr(pos, 2), "PM")) {
          pm = true;
        } else if (!EqualsIgnoreCase(text.substr(pos, 2), "AM")) {
          return bad("AM/PM");
        }
        pos += 2;
        break;
      case 'T':
      case 'r': {
        int64_t h, m, s;
        if (!number(2, &h) || pos >= text.size() || text[pos++] != ':' || !number(2, &m) ||
            pos >= text.size() || text[pos++] != ':' || !number(2, &s) || m > 59 || s > 59) {
          return bad("time");
        }
        if (spec == 'r') {
          if (h < 1 || h > 12) return bad("hour");
          t.hour = static_cast<unsigned>(h % 12);
          twelve_hour = true;
          while (pos < text.size() && text[pos] == ' ') ++pos;
          if (EqualsIgnoreCase(text.substr(pos, 2), "PM")) {
            pm = true;
          } else if (!EqualsIgnoreCase(text.substr(pos, 2), "AM")) {
            return bad("AM/PM");
          }
          pos += 2;
        } else {
          if (h > 23) return bad("hour");
          t.hour = static_cast<unsigned>(h);
        }
        t.minute = static_cast<unsigned>(m);
        t.second = static_cast<unsigned>(s);
        break;
      }
      case 'b':
      case 'M': {
        unsigned index;
        if (!name(kMonthNames, 12, spec == 'b', &index)) return bad("month name");
        t.month = index + 1;
        break;
      }
      case 'a':
      case 'W': {
        unsigned index;
        if (!name(kDayNames, 7, spec == 'a', &index)) return bad("day name");
        break;  // The weekday does not determine the date; it is only checked for syntax.
      }
      case 'j':
        if (!number(3, &v) || v < 1 || v > 366) return bad("day of year");
        day_of_year = v;
        break;
      case '%':
        if (pos >= text.size() || text[pos] != '%') return bad("literal mismatch");
        ++pos;
        break;
      default:
        return InvalidArgument(std::string("%") + spec + " not supported in date parse string");
    }
  }
  if (pos != text.size()) return bad("trailing text");
  if (twelve_hour && pm) t.hour += 12;
  if (day_of_year > 0) {
    int64_t days = DaysFromCivil(t.year, 1, 1) + day_of_year - 1;
    return days * kMicrosPerDay + t.hour * 3'600'000'000LL + t.minute * 60'000'000LL +
           t.second * kMicrosPerSecond + t.micros;
  }
  if (t.day > DaysInMonth(t.year, t.month)) return bad("day out of range for month");
  return FromCivil(t);
}

Status FormatJoda(int64_t micros, std::string_view pattern, std::string* out) {
  CivilTime t = ToCivil(micros);
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    if (c == '\'') {
      // Quoted literal; '' is a quote.
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        out->push_back('\'');
        i += 2;
        continue;
      }
      ++i;
      while (i < pattern.size()) {
        if (pattern[i] == '\'') {
          if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
            out->push_back('\'');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        out->push_back(pattern[i++]);
      }
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      out->push_back(c);
      ++i;
      continue;
    }
    size_t n = 1;
    while (i + n < pattern.size() && pattern[i + n] == c) ++n;
    i += n;
    const int width = static_cast<int>(n);
    switch (c) {
      case 'G':
        out->append(t.year > 0 ? "AD" : "BC");
        break;
      case 'y':
      case 'Y':
        if (n == 2) {
          AppendPadded(out, FloorMod(t.year, 100), 2);
        } else {
          AppendPadded(out, t.year, width);
        }
        break;
      case 'x': {
        int64_t week_year;
        IsoWeekOfYear(days, &week_year);
        if (n == 2) {
          AppendPadded(out, FloorMod(week_year, 100), 2);
        } else {
          AppendPadded(out, week_year, width);
        }
        break;
      }
      case 'w':
        AppendPadded(out, IsoWeekOfYear(days), width);
        break;
      case 'M':
        if (n >= 4) {
          out->append(kMonthNames[t.month - 1]);
        } else if (n == 3) {
          out->append(kMonthNames[t.month - 1], 3);
        } else {
          AppendPadded(out, t.month, width);
        }
        break;
      case 'd':
        AppendPadded(out, t.day, width);
        break;
      case 'D':
        AppendPadded(out, DayOfYear(days), width);
        break;
      case 'E':
        if (n >= 4) {
          out->append(kDayNames[IsoDayOfWeek(days) - 1]);
        } else {
          out->append(kDayNames[IsoDayOfWeek(days) - 1], 3);
        }
        break;
      case 'e':
        AppendPadded(out, IsoDayOfWeek(days), width);
        break;
      case 'a':
        out->append(t.hour < 12 ? "AM" : "PM");
        break;
      case 'H':
        AppendPadded(out, t.hour, width);
        break;
      case 'k':
        AppendPadded(out, t.hour == 0 ? 24 : t.hour, width);
        break;
      case 'K':
        AppendPadded(out, t.hour % 12, width);
        break;
      case 'h':
        AppendPadded(out, Hour12(t.hour), width);
        break;
      case 'm':
        AppendPadded(out, t.minute, width);
        break;
      case 's':
        AppendPadded(out, t.second, width);
        break;
      case 'S': {
        // Fraction of a second, truncated to n digits (microsecond precision, then zeros).
        std::string digits;
        AppendPadded(&digits, t.micros, 6);
        if (n <= 6) {
          out->append(digits, 0, n);
        } else {
          out->append(digits);
          out->append(n - 6, '0');
        }
        break;
      }
      case 'Z':
        out->append(n == 1 ? "+0000" : (n == 2 ? "+00:00" : "UTC"));
        break;
      case 'z':
        out->append(n >= 4 ? "Coordinated Universal Time" : "UTC");
        break;
      default:
        return InvalidArgument(std::string("Illegal pattern component: ") + std::string(n, c));
    }
  }
  return Status::OK();
}

}  // namespace trailbook::sql
