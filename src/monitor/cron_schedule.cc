#include "monitor/cron_schedule.h"

#include <charconv>
#include <string>
#include <vector>


namespace trailbook::monitor {
namespace {

constexpr int64_t kMinuteUs = 60'000'000;

Result<int> Number(std::string_view text, std::string_view field) {
  int n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return InvalidArgument("cron " + std::string(field) + ": bad number '" + std::string(text) +
                           "'");
  }
  return n;
}

// Sets the bits of `field_text` in [lo, hi] into `bits`; returns whether it was restricted.
template <size_t N>
Result<bool> ParseField(std::string_view field_text, std::string_view field, int lo, int hi,
                        std::bitset<N>* bits) {
  bool restricted = field_text != "*";
  size_t pos = 0;
  while (true) {
    size_t comma = field_text.find(',', pos);
    std::string_view item = field_text.substr(pos, comma == std::string_view::npos
                                                       ? std::string_view::npos
                                                       : comma - pos);
    int step = 1;
    size_t slash = item.find('/');
    if (slash != std::string_view::npos) {
      TB_ASSIGN_OR_RETURN(step, Number(item.substr(slash + 1), field));
      if (step <= 0) return InvalidArgument("cron " + std::string(field) + ": step must be > 0");
      item = item.substr(0, slash);
    }
    int from = lo, to = hi;
    if (item != "*") {
      size_t dash = item.find('-');
      TB_ASSIGN_OR_RETURN(from, Number(item.substr(0, dash), field));
      to = from;
      if (dash != std::string_view::npos) {
        TB_ASSIGN_OR_RETURN(to, Number(item.substr(dash + 1), field));
      } else if (slash != std::string_view::npos) {
        to = hi;
      }
    }
    if (from < lo || to > hi || from > to) {
      return InvalidArgument("cron " + std::string(field) + ": '" + std::string(field_text) +
                             "' is outside " + std::to_string(lo) + "-" + std::to_string(hi));
    }
    for (int v = from; v <= to; v += step) bits->set(static_cast<size_t>(v));
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return restricted;
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view spec) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos < spec.size()) {
    while (pos < spec.size() && spec[pos] == ' ') ++pos;
    size_t end = spec.find(' ', pos);
    if (end == std::string_view::npos) end = spec.size();
    if (end > pos) fields.push_back(spec.substr(pos, end - pos));
    pos = end;
  }
  if (fields.size() != 5) {
    return InvalidArgument("cron: want 5 fields (minute hour day month weekday), got '" +
                           std::string(spec) + "'");
  }
  CronSchedule s;
  TB_RETURN_IF_ERROR(ParseField(fields[0], "minute", 0, 59, &s.minutes_).status());
  TB_RETURN_IF_ERROR(ParseField(fields[1], "hour", 0, 23, &s.hours_).status());
  TB_ASSIGN_OR_RETURN(s.days_restricted_, ParseField(fields[2], "day", 1, 31, &s.days_));
  TB_RETURN_IF_ERROR(ParseField(fields[3], "month", 1, 12, &s.months_).status());
  std::bitset<8> weekdays;
  TB_ASSIGN_OR_RETURN(s.weekdays_restricted_, ParseField(fields[4], "weekday", 0, 7, &weekdays));
  for (size_t d = 0; d < 7; ++d) s.weekdays_[d] = weekdays[d];
  if (weekdays[7]) s.weekdays_[0] = true;
  return s;
}

int64_t CronSchedule::NextAfter(int64_t micros) const {
  int64_t minute = micros >= 0 ? micros / kMinuteUs + 1 : -((-micros) / kMinuteUs);
  const int64_t limit = minute + 5LL * 366 * 24 * 60;
  while (minute < limit) {
    int64_t day = minute >= 0 ? minute / 1440 : -((-minute + 1439) / 1440);
    int64_t minute_of_day = minute - day * 1440;
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t weekday = ((day % 7) + 11) % 7;  // 1970-01-01 was a Thursday (4)
    bool day_ok;
    bool dom = days_[static_cast<size_t>(d)], dow = weekdays_[static_cast<size_t>(weekday)];
    if (days_restricted_ && weekdays_restricted_) {
      day_ok = dom || dow;
    } else {
      day_ok = dom && dow;
    }
    if (!months_[static_cast<size_t>(m)] || !day_ok) {
      minute = (day + 1) * 1440;
      continue;
    }
    if (!hours_[static_cast<size_t>(minute_of_day / 60)]) {
      minute = day * 1440 + (minute_of_day / 60 + 1) * 60;
      continue;
    }
    if (minutes_[static_cast<size_t>(minute_of_day % 60)]) return minute * kMinuteUs;
    ++minute;
  }
  return -1;
}

}  // namespace trailbook::monitor
