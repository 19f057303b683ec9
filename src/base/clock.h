// File: base/clock.h
//
// Clock: the source of "now" for everything that checks time (token expiry, relative
// runbook parameters, audit timestamps). Tests inject a FakeClock instead of sleeping.
//
//   const Clock& clock = SystemClock();
//   int64_t now_us = clock.NowMicros();
#pragma once

#include <atomic>
#include <cstdint>

namespace trailbook {

// Thread safety: implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  // Returns microseconds since the Unix epoch (UTC).
  virtual int64_t NowMicros() const = 0;
  // Returns a monotonic microsecond counter for measuring durations.
  virtual int64_t MonotonicMicros() const = 0;
};

// Returns the process-wide real clock (stateless, so sharing it is safe).
const Clock& SystemClock();

// FakeClock returns a time set by the test.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t now_us) : now_us_(now_us) {}
  int64_t NowMicros() const override { return now_us_.load(); }
  int64_t MonotonicMicros() const override { return now_us_.load(); }
  void Set(int64_t now_us) { now_us_.store(now_us); }
  void Advance(int64_t delta_us) { now_us_.fetch_add(delta_us); }

 private:
  std::atomic<int64_t> now_us_;
};

}  // namespace trailbook
