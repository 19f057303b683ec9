#include "storage/bloom_filter.h"

#include <gtest/gtest.h>

#include <random>

namespace trailbook::storage {
namespace {

TEST(BloomFilterTest, NoFalseNegativesAndFewFalsePositives) {
  std::mt19937_64 rng(11);
  std::vector<uint64_t> keys(8192);
  BloomFilterBuilder b(keys.size());
  for (auto& k : keys) {
    k = rng();
    b.Add(k);
  }
  std::string f = b.Finish();
  for (uint64_t k : keys) EXPECT_TRUE(BloomFilterMayContain(f, k));
  int fp = 0;
  for (int i = 0; i < 100000; ++i) fp += BloomFilterMayContain(f, rng()) ? 1 : 0;
  EXPECT_LT(fp, 2500);  // ~1% expected; 2.5% is a generous bound
}

TEST(BloomFilterTest, MalformedFilterSaysMaybe) {
  EXPECT_TRUE(BloomFilterMayContain("", 42));
  EXPECT_TRUE(BloomFilterMayContain("\x05short", 42));
}

}  // namespace
}  // namespace trailbook::storage
