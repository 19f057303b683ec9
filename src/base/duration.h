// File: base/duration.h
//
// Durations as tokens, runbooks and config files write them: "<n><unit>" with unit s, m, h
// or d ("90s", "15m", "24h", "7d"). One parser for every place that reads them, so a
// duration that a token accepts is read the same way by a runbook or the monitor.
//
//   TB_ASSIGN_OR_RETURN(int64_t us, ParseDuration("15m"));   // 900'000'000
//   FormatDuration(us);                                       // "15m"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace trailbook {

// The longest duration any parse accepts.
inline constexpr int64_t kMaxDurationMicros = 3650LL * 86'400 * 1'000'000;

enum class ZeroDuration {
  kReject,  // "0s" is an error (token lifetimes, windows).
  kAllow,   // "0s" means "none" (e.g. a monitor rule without suppression).
};

// Parses "<n><unit>": n is decimal digits without sign or leading zero ("0" itself only
// with ZeroDuration::kAllow), unit is s, m, h or d. Returns microseconds. kInvalidArgument,
// quoting (a prefix of) the text, for any other form and above 3650 days.
Result<int64_t> ParseDuration(std::string_view text, ZeroDuration zero = ZeroDuration::kReject);

// Formats microseconds as the largest exact unit ("7d", "90m", "45s"); a part below one
// second is dropped (every parsed duration is whole seconds).
std::string FormatDuration(int64_t micros);

}  // namespace trailbook
