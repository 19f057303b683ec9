#include "base/duration.h"

#include <charconv>

#include "base/timestamp.h"

namespace trailbook {
namespace {

// The text for an error message: at most 32 bytes, non-printable bytes as '?'.
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < 32; ++i) {
    char c = text[i];
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (text.size() > 32) out += "...";
  out += '"';
  return out;
}

}  // namespace

Result<int64_t> ParseDuration(std::string_view text, ZeroDuration zero) {
  auto bad = [&] {
    return InvalidArgument("duration " + Quoted(text) +
                           " must be <n>s, <n>m, <n>h or <n>d, e.g. \"15m\" or \"7d\"");
  };
  if (text.size() < 2) return bad();
  int64_t unit = 0;
  switch (text.back()) {
    case 's': unit = kMicrosPerSecond; break;
    case 'm': unit = 60 * kMicrosPerSecond; break;
    case 'h': unit = 3600 * kMicrosPerSecond; break;
    case 'd': unit = kMicrosPerDay; break;
    default: return bad();
  }
  std::string_view digits = text.substr(0, text.size() - 1);
  for (char c : digits) {
    if (c < '0' || c > '9') return bad();
  }
  if (digits[0] == '0' && (digits.size() > 1 || zero == ZeroDuration::kReject)) return bad();
  if (digits.size() > 12) {
    return InvalidArgument("duration " + Quoted(text) + " exceeds 3650d");
  }
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return bad();
  if (n > kMaxDurationMicros / unit) {
    return InvalidArgument("duration " + Quoted(text) + " exceeds 3650d");
  }
  return n * unit;
}

std::string FormatDuration(int64_t micros) {
  constexpr int64_t kHour = 3600 * kMicrosPerSecond;
  constexpr int64_t kMinute = 60 * kMicrosPerSecond;
  if (micros > 0 && micros % kMicrosPerDay == 0) return std::to_string(micros / kMicrosPerDay) + "d";
  if (micros > 0 && micros % kHour == 0) return std::to_string(micros / kHour) + "h";
  if (micros > 0 && micros % kMinute == 0) return std::to_string(micros / kMinute) + "m";
  return std::to_string(micros / kMicrosPerSecond) + "s";
}

}  // namespace trailbook
