#include "base/timestamp.h"

#include <cstdio>

namespace trailbook {

// Howard Hinnant's civil-date algorithms (public domain description, reimplemented).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = m > 2 ? m - 3 : m + 9;
  const unsigned doy = (153 * mp + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* year, unsigned* month, unsigned* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (*month <= 2 ? 1 : 0);
}

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int64_t* out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

unsigned DaysInMonth(int64_t y, int64_t m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2) {
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[m - 1];
}

}  // namespace

std::optional<int64_t> ParseTimestamp(std::string_view s) {
  int64_t year, month, day;
  if (!Digits(s, 0, 4, &year) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &month) ||
      s[7] != '-' || !Digits(s, 8, 2, &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  if (s.size() == 10) return days * kMicrosPerDay;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  int64_t hour, minute, second = 0, micros = 0;
  if (!Digits(s, 11, 2, &hour) || s.size() < 16 || s[13] != ':' || !Digits(s, 14, 2, &minute)) {
    return std::nullopt;
  }
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, &second)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      size_t start = pos;
      int64_t scale = 100000;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (pos - start < 6) micros += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start || pos - start > 9) return std::nullopt;
    }
  }
  // Leap seconds (":60") are not representable; reject rather than silently shift.
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  int64_t offset_minutes = 0;
  if (pos < s.size()) {
    char c = s[pos];
    if ((c == 'Z' || c == 'z') && pos + 1 == s.size()) {
      pos += 1;
    } else if (c == '+' || c == '-') {
      int64_t oh, om = 0;
      if (!Digits(s, pos + 1, 2, &oh)) return std::nullopt;
      size_t p = pos + 3;
      if (p < s.size() && s[p] == ':') ++p;
      if (p < s.size()) {
        if (!Digits(s, p, 2, &om)) return std::nullopt;
        p += 2;
      }
      if (p != s.size() || oh > 23 || om > 59) return std::nullopt;
      offset_minutes = (c == '+' ? 1 : -1) * (oh * 60 + om);
      pos = p;
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return secs * kMicrosPerSecond + micros;
}

namespace {

char* PutDigits(char* p, int64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return p + width;
}

}  // namespace

std::string FormatTimestamp(int64_t micros, int fraction_digits, char separator, bool zulu) {
  int64_t days = DayOf(micros);
  int64_t rem = micros - days * kMicrosPerDay;
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  int64_t secs = rem / kMicrosPerSecond;
  int64_t frac = rem % kMicrosPerSecond;
  char buf[40];
  char* p = buf;
  if (year < 0 || year > 9999) {
    // Outside the four-digit range (only reachable through arithmetic on extreme values).
    int n = std::snprintf(p, 24, "%+06lld", static_cast<long long>(year));
    p += n;
  } else {
    p = PutDigits(p, year, 4);
  }
  *p++ = '-';
  p = PutDigits(p, month, 2);
  *p++ = '-';
  p = PutDigits(p, day, 2);
  *p++ = separator;
  p = PutDigits(p, secs / 3600, 2);
  *p++ = ':';
  p = PutDigits(p, secs / 60 % 60, 2);
  *p++ = ':';
  p = PutDigits(p, secs % 60, 2);
  if (fraction_digits == 3) {
    *p++ = '.';
    p = PutDigits(p, frac / 1000, 3);
  } else if (fraction_digits == 6) {
    *p++ = '.';
    p = PutDigits(p, frac, 6);
  }
  if (zulu) *p++ = 'Z';
  return std::string(buf, static_cast<size_t>(p - buf));
}

bool IsCanonicalTimestampText(std::string_view text, int64_t micros) {
  // ParseTimestamp accepted `text`; the common CloudTrail form is canonical exactly when it
  // has 'T' and 'Z' (not 't'/'z' or an offset) and the instant has no fraction.
  if (text.size() == 20 && text[10] == 'T' && text[19] == 'Z' && text[13] == ':' &&
      micros % kMicrosPerSecond == 0) {
    return true;
  }
  return FormatTimestamp(micros) == text;
}

std::string FormatTimestamp(int64_t micros) {
  int64_t frac = micros - DayOf(micros) * kMicrosPerDay;
  frac %= kMicrosPerSecond;
  int digits = frac == 0 ? 0 : (frac % 1000 == 0 ? 3 : 6);
  return FormatTimestamp(micros, digits, 'T', true);
}

}  // namespace trailbook
