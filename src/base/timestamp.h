// File: base/timestamp.h
//
// The time vocabulary shared by ingest, SQL, tokens and audit: instants are int64
// microseconds since the Unix epoch, UTC. Parsing accepts the forms found in CloudTrail
// and its copies; formatting produces ISO-8601 UTC.
//
//   std::optional<int64_t> us = ParseTimestamp("2020-09-14T00:44:23.000Z");
//   std::string s = FormatTimestamp(*us);  // "2020-09-14T00:44:23Z"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trailbook {

inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

// Returns days since 1970-01-01 for a proleptic Gregorian date (any year).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

// Breaks `days` since the epoch into year, month (1-12) and day (1-31).
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

// Parses an ISO-8601 / RFC 3339 instant:
//   YYYY-MM-DD                        (midnight UTC)
//   YYYY-MM-DD[T| ]HH:MM[:SS[.f{1,9}]][Z|z|+HH:MM|-HH:MM|+HHMM|+HH]
// A missing offset means UTC. Fractions beyond microseconds are truncated.
// Returns nullopt for anything else (including out-of-range fields such as month 13).
std::optional<int64_t> ParseTimestamp(std::string_view text);

// Formats `micros` as "YYYY-MM-DDTHH:MM:SSZ", adding ".ffffff" (trailing zeros trimmed to
// milliseconds or microseconds) only when the instant has a sub-second part.
std::string FormatTimestamp(int64_t micros);

// Formats `micros` with exactly `fraction_digits` (0, 3 or 6) fractional digits, separated
// by `separator` ('T' for ISO-8601, ' ' for SQL), with a trailing 'Z' when `zulu` is set.
std::string FormatTimestamp(int64_t micros, int fraction_digits, char separator, bool zulu);

// Returns true when FormatTimestamp(micros) == text, fast for the usual CloudTrail form.
// REQUIRES: ParseTimestamp(text) == micros.
bool IsCanonicalTimestampText(std::string_view text, int64_t micros);

// Returns the UTC day number (days since epoch) containing `micros`.
inline int64_t DayOf(int64_t micros) {
  int64_t d = micros / kMicrosPerDay;
  return (micros % kMicrosPerDay < 0) ? d - 1 : d;
}

}  // namespace trailbook
