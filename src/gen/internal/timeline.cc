#include "gen/internal/timeline.h"

#include "base/check.h"
#include "base/timestamp.h"

namespace trailbook::gen::internal {
namespace {

constexpr uint64_t kSaltJitter = 0x6a6974;
constexpr uint64_t kSaltBurst = 0x62727374;
// People (and the machines of non-production accounts) work in bursts: a 10-minute block
// is active with probability min(1, activity * kBurstiness) and carries 1/that of the
// rate when it is, so the expected rate is unchanged but quiet blocks are truly empty.
constexpr size_t kBurstMinutes = 10;
constexpr double kBurstiness = 0.4;
// Accounts whose machines idle at night below this floor are treated as bursty.
constexpr double kSteadyMachineFloor = 0.1;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;

// Office-hours shape by local hour (peak 1.0).
constexpr double kHumanByHour[24] = {0.02, 0.01, 0.01, 0.01, 0.01, 0.03, 0.08, 0.25,
                                     0.70, 1.00, 1.00, 0.95, 0.80, 0.95, 1.00, 0.95,
                                     0.80, 0.55, 0.30, 0.18, 0.12, 0.08, 0.05, 0.03};

struct LocalTime {
  int hour;
  bool weekend;
};

LocalTime Local(const Account& account, int64_t micros) {
  const int64_t local = micros + account.tz_offset_hours * 3600 * kMicrosPerSecond;
  const int64_t day = DayOf(local);
  const int64_t hour = (local - day * kMicrosPerDay) / (3600 * kMicrosPerSecond);
  // 1970-01-01 was a Thursday; weekday 0 = Monday.
  const int64_t weekday = ((day % 7) + 7 + 3) % 7;
  return {static_cast<int>(hour), weekday >= 5};
}

}  // namespace

double HumanActivity(const Account& account, int64_t micros) {
  const LocalTime t = Local(account, micros);
  return kHumanByHour[t.hour] * (t.weekend ? 0.06 : 1.0);
}

double MachineActivity(const Account& account, int64_t micros) {
  const LocalTime t = Local(account, micros);
  const double swell = kHumanByHour[t.hour] * (t.weekend ? 0.4 : 1.0);
  return account.machine_floor + (1 - account.machine_floor) * swell;
}

Timeline::Timeline(const Population& pop, TimeSpan span, uint64_t background_events,
                   uint64_t seed)
    : pop_(pop), start_(span.start_micros), seed_(seed) {
  TB_CHECK(!pop.accounts.empty());
  const auto minutes = static_cast<size_t>((span.end_micros - span.start_micros) / kMicrosPerMinute);
  // Normalise each component by its mean over the span so an account's share is its share
  // of events whatever the span's weekday mix.
  for (const Account& acct : pop.accounts) {
    double human_sum = 0, machine_sum = 0;
    for (size_t m = 0; m < minutes; m += 15) {
      const int64_t t = start_ + static_cast<int64_t>(m) * kMicrosPerMinute;
      human_sum += HumanActivity(acct, t);
      machine_sum += MachineActivity(acct, t);
    }
    const double samples = static_cast<double>((minutes + 14) / 15);
    human_norm_.push_back(acct.share * acct.human_fraction / (human_sum / samples));
    machine_norm_.push_back(acct.share * (1 - acct.human_fraction) / (machine_sum / samples));
  }
  std::vector<double> totals(minutes);
  double grand = 0;
  for (size_t m = 0; m < minutes; ++m) {
    double total = 0;
    for (uint32_t a = 0; a < pop.accounts.size(); ++a) {
      double h, w;
      Weights(a, m, &h, &w);
      total += h + w;
    }
    totals[m] = total;
    grand += total;
  }
  counts_.resize(minutes);
  const auto n = static_cast<double>(background_events);
  double cumulative = 0;
  uint64_t emitted = 0;
  for (size_t m = 0; m < minutes; ++m) {
    cumulative += totals[m];
    uint64_t upto = m + 1 == minutes ? background_events
                                     : static_cast<uint64_t>(n * (cumulative / grand));
    if (upto > background_events) upto = background_events;
    if (upto < emitted) upto = emitted;
    counts_[m] = static_cast<uint32_t>(upto - emitted);
    emitted = upto;
  }
}

double Timeline::Burst(uint32_t a, size_t m, double activity, uint64_t lane) const {
  const double q = activity * kBurstiness >= 1 ? 1.0 : activity * kBurstiness;
  if (q <= 0) return 0;
  const uint64_t h = DeriveSeed(seed_, kSaltBurst + lane, a, m / kBurstMinutes);
  const double u = static_cast<double>(h >> 11) * 0x1.0p-53;
  return u < q ? 1.0 / q : 0.0;
}

double Timeline::Jitter(uint32_t a, size_t m) const {
  const uint64_t h = DeriveSeed(seed_, kSaltJitter, a, m);
  const double u = static_cast<double>(h >> 11) * 0x1.0p-53;
  // Mostly 0.6..1.4, with an occasional short spike (a deploy, a retry storm).
  return (h & 0xff) == 0 ? 3.0 + 4.0 * u : 0.6 + 0.8 * u;
}

void Timeline::Weights(uint32_t a, size_t m, double* human, double* machine) const {
  const Account& acct = pop_.accounts[a];
  const int64_t t = start_ + static_cast<int64_t>(m) * kMicrosPerMinute;
  const double j = Jitter(a, m);
  const double people = HumanActivity(acct, t);
  const double machines = MachineActivity(acct, t);
  *human = human_norm_[a] * people * Burst(a, m, people, 0) * j;
  *machine = machine_norm_[a] * machines * j;
  if (acct.machine_floor < kSteadyMachineFloor) *machine *= Burst(a, m, machines, 1);
}

}  // namespace trailbook::gen::internal
