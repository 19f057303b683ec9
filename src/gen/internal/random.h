// File: gen/internal/random.h
//
// The generator's only source of randomness: a seeded xoshiro256** generator, a
// SplitMix64-based hash for deriving independent sub-seeds, and samplers (uniform,
// weighted, Zipf) written with integer and IEEE basic arithmetic only, so the same seed
// gives the same bytes on every platform and standard library. No std::random_device, no
// std::*_distribution (their output differs between standard libraries), no libm.
//
//   Rng rng(DeriveSeed(options.seed, kSaltTimeline, chunk));
//   uint64_t i = rng.Below(10);
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/check.h"

namespace trailbook::gen::internal {

// Returns the SplitMix64 finaliser of `x`: a bijective 64-bit mix.
constexpr uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Derives a sub-seed from a seed and up to three salts. Distinct salt tuples give
// statistically independent streams; used so that each chunk, scenario and session has its
// own generator and the output does not depend on evaluation order or thread count.
constexpr uint64_t DeriveSeed(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
  return Mix64(Mix64(Mix64(seed ^ 0x5851f42d4c957f2dULL) ^ a) + Mix64(b ^ 0x2545f4914f6cdd1dULL) +
               Mix64(c + 0x632be59bd9b4e019ULL));
}

// Rng: xoshiro256** (Blackman and Vigna), seeded through SplitMix64.
//
// Thread safety: not thread-safe; each thread or chunk owns its own Rng.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t s = seed;  // SplitMix64 stream starting at `seed`, as the xoshiro authors advise
    for (uint64_t& word : state_) {
      word = Mix64(s);
      s += 0x9e3779b97f4a7c15ULL;
    }
  }

  // Returns the next 64 random bits.
  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Returns a uniform integer in [0, n) without modulo bias (Lemire's method).
  // REQUIRES: n > 0.
  uint64_t Below(uint64_t n) {
    TB_DCHECK(n > 0);
    unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
    auto low = static_cast<uint64_t>(m);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(Next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  // Returns a uniform size_t in [0, n). REQUIRES: n > 0.
  size_t Index(size_t n) { return static_cast<size_t>(Below(n)); }

  // Returns a uniform integer in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  // Returns a uniform double in [0, 1) with 53 random bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Returns true with probability `p` (p <= 0 never, p >= 1 always).
  bool Chance(double p) { return Unit() < p; }

  // Returns a uniformly chosen element. REQUIRES: !items.empty().
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Index(items.size())];
  }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Index(N)];
  }

 private:
  static constexpr uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

// WeightedTable: samples an index with probability proportional to its weight, by binary
// search over cumulative sums. Weights are summed in index order, so the table (and every
// sample) is identical on every IEEE-754 platform.
//
// Invariants: cumulative_ is non-decreasing; total() == cumulative_.back() > 0 unless empty.
class WeightedTable {
 public:
  WeightedTable() = default;
  explicit WeightedTable(std::span<const double> weights) { Assign(weights); }

  void Assign(std::span<const double> weights) {
    cumulative_.clear();
    cumulative_.reserve(weights.size());
    double sum = 0;
    for (double w : weights) {
      sum += w > 0 ? w : 0;
      cumulative_.push_back(sum);
    }
  }

  bool empty() const { return cumulative_.empty() || cumulative_.back() <= 0; }
  size_t size() const { return cumulative_.size(); }
  double total() const { return cumulative_.empty() ? 0 : cumulative_.back(); }

  // Returns an index in [0, size()). REQUIRES: !empty().
  size_t Sample(Rng& rng) const {
    const double x = rng.Unit() * cumulative_.back();
    auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    if (it == cumulative_.end()) --it;
    return static_cast<size_t>(it - cumulative_.begin());
  }

 private:
  std::vector<double> cumulative_;
};

// Returns Zipf–Mandelbrot weights 1 / (k + q)^s for ranks k = 1..n. `s` must be one of 0.5,
// 1, 1.5 or 2 (computed with sqrt and multiplication only, which IEEE-754 rounds exactly).
// Larger s concentrates mass on the first ranks; larger q flattens the head.
std::vector<double> ZipfWeights(size_t n, double s, double q);

// ZipfTable: a WeightedTable over ZipfWeights(n, s, q).
class ZipfTable {
 public:
  ZipfTable() = default;
  ZipfTable(size_t n, double s, double q) : table_(ZipfWeights(n, s, q)) {}
  size_t Sample(Rng& rng) const { return table_.Sample(rng); }
  size_t size() const { return table_.size(); }
  bool empty() const { return table_.empty(); }

 private:
  WeightedTable table_;
};

}  // namespace trailbook::gen::internal
