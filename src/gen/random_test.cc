#include "gen/internal/random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

#include "gen/internal/identifiers.h"

namespace trailbook::gen::internal {
namespace {

// These values pin the generator's arithmetic: if they change, every data set changes.
TEST(RandomTest, GoldenValues) {
  Rng rng(1);
  EXPECT_EQ(rng.Next(), 0xb3f2af6d0fc710c5ULL);
  EXPECT_EQ(rng.Next(), 0x853b559647364ceaULL);
  EXPECT_EQ(DeriveSeed(1, 2, 3, 4), 0xdbe3472b62174c5fULL);  // values from a Python reference
  EXPECT_EQ(Mix64(0), 0xe220a8397b1dcdafULL);
}

TEST(RandomTest, SameSeedSameSequence) {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs |= x != c.Next();
  }
  EXPECT_TRUE(differs);
}

TEST(RandomTest, DeriveSeedSeparatesSalts) {
  std::set<uint64_t> seeds;
  for (uint64_t a = 0; a < 20; ++a) {
    for (uint64_t b = 0; b < 20; ++b) seeds.insert(DeriveSeed(7, a, b));
  }
  EXPECT_EQ(seeds.size(), 400u);
}

TEST(RandomTest, BelowStaysInRangeAndCoversIt) {
  Rng rng(5);
  std::vector<int> hits(7, 0);
  for (int i = 0; i < 70'000; ++i) {
    const uint64_t x = rng.Below(7);
    ASSERT_LT(x, 7u);
    ++hits[x];
  }
  for (int h : hits) EXPECT_NEAR(h, 10'000, 500);
  EXPECT_EQ(rng.Below(1), 0u);
}

TEST(RandomTest, BetweenIsInclusive) {
  Rng rng(9);
  bool lo = false, hi = false;
  for (int i = 0; i < 10'000; ++i) {
    const int64_t x = rng.Between(-3, 3);
    ASSERT_GE(x, -3);
    ASSERT_LE(x, 3);
    lo |= x == -3;
    hi |= x == 3;
  }
  EXPECT_TRUE(lo && hi);
}

TEST(RandomTest, UnitIsHalfOpen) {
  Rng rng(11);
  double sum = 0;
  for (int i = 0; i < 100'000; ++i) {
    const double u = rng.Unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 100'000, 0.5, 0.01);
}

TEST(RandomTest, WeightedTableNeverPicksZeroWeights) {
  const std::vector<double> weights = {0, 3, 0, 1, -2};
  WeightedTable table(weights);
  Rng rng(3);
  int three = 0;
  for (int i = 0; i < 40'000; ++i) {
    const size_t k = table.Sample(rng);
    ASSERT_TRUE(k == 1 || k == 3) << k;
    three += k == 3;
  }
  EXPECT_NEAR(three, 10'000, 600);
  EXPECT_TRUE(WeightedTable(std::vector<double>{0, 0}).empty());
}

TEST(RandomTest, ZipfWeightsDecreaseAndConcentrate) {
  for (double s : {0.5, 1.0, 1.5, 2.0}) {
    const std::vector<double> w = ZipfWeights(100, s, 1.0);
    ASSERT_EQ(w.size(), 100u);
    for (size_t i = 1; i < w.size(); ++i) EXPECT_LT(w[i], w[i - 1]);
  }
  ZipfTable table(1000, 1.0, 1.0);
  Rng rng(1);
  int top10 = 0;
  for (int i = 0; i < 10'000; ++i) top10 += table.Sample(rng) < 10;
  EXPECT_GT(top10, 2500);  // heavy head: the first 1% of ranks draw > 25% of samples
}

TEST(RandomTest, UuidIsVersion4) {
  Rng rng(2);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u;
    AppendUuid(rng, &u);
    ASSERT_EQ(u.size(), 36u);
    EXPECT_EQ(u[8], '-');
    EXPECT_EQ(u[14], '4');
    EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b') << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RandomTest, TimeFormats) {
  const int64_t t = 1'791'849'239'000'000;  // 2026-10-12T23:53:59Z
  std::string iso, java, compact, date;
  AppendIsoTime(t, &iso);
  AppendJavaTime(t, &java);
  AppendCompactTime(t, true, &compact);
  AppendDatePath(t, &date);
  EXPECT_EQ(iso, "2026-10-12T23:53:59Z");
  EXPECT_EQ(java, "Oct 12, 2026, 11:53:59 PM");
  EXPECT_EQ(compact, "20261012T235359Z");
  EXPECT_EQ(date, "2026/10/12");
  std::string noon;
  AppendJavaTime(t - 11 * 3600'000'000LL - 53 * 60'000'000LL - 59'000'000LL, &noon);
  EXPECT_EQ(noon, "Oct 12, 2026, 12:00:00 PM");
}

TEST(RandomTest, Ipv6ShortForm) {
  std::string a, b;
  AppendIpv6({0x2601, 0x1c0, 0, 0, 0, 0, 0xabc, 1}, &a);
  AppendIpv6({0x2a01, 0, 1, 2, 3, 4, 5, 6}, &b);
  EXPECT_EQ(a, "2601:1c0::abc:1");
  EXPECT_EQ(b, "2a01:0:1:2:3:4:5:6");
}

TEST(RandomTest, TenthsKeepTheFraction) {
  std::string s;
  AppendTenths(5000, &s);
  EXPECT_EQ(s, "500.0");
}

}  // namespace
}  // namespace trailbook::gen::internal
