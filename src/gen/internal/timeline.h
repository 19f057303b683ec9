// File: gen/internal/timeline.h
//
// Timeline: when background events happen. Each account's event rate per minute is its
// share of the data set times a human component (office hours in the account's time zone,
// quiet weekends, in bursts) and a machine component (around the clock with a daily swell
// in production, office-hour bursts elsewhere), times a per-minute jitter. The background event count is spread over the minutes of the span in
// proportion to these rates by cumulative rounding, so the total is exact.
//
//   Timeline t(pop, span, background_events, seed);
//   uint32_t n = t.count(minute);
#pragma once

#include <cstdint>
#include <vector>

#include "gen/internal/plan.h"
#include "gen/internal/population.h"

namespace trailbook::gen::internal {

// Relative activity of the account's people at `micros` (0 at night, ~1 at the weekday peak).
double HumanActivity(const Account& account, int64_t micros);

// Relative activity of the account's machines at `micros` (its machine_floor at night).
double MachineActivity(const Account& account, int64_t micros);

class Timeline {
 public:
  // REQUIRES: span covers a whole number of minutes and pop has at least one account.
  Timeline(const Population& pop, TimeSpan span, uint64_t background_events, uint64_t seed);

  size_t minutes() const { return counts_.size(); }
  int64_t start_micros() const { return start_; }
  // Background events in minute `m` of the span.
  uint32_t count(size_t m) const { return counts_[m]; }
  // Weights of account `a`'s people and machines in minute `m` (same scale for all).
  void Weights(uint32_t a, size_t m, double* human, double* machine) const;

 private:
  double Jitter(uint32_t a, size_t m) const;
  // 1/q in an active 10-minute block, 0 in a quiet one (see kBurstiness).
  double Burst(uint32_t a, size_t m, double activity, uint64_t lane) const;

  const Population& pop_;
  int64_t start_;
  uint64_t seed_;
  std::vector<double> human_norm_;    // per account: share * human_fraction / mean activity
  std::vector<double> machine_norm_;  // per account: share * (1 - human_fraction) / mean
  std::vector<uint32_t> counts_;
};

}  // namespace trailbook::gen::internal
