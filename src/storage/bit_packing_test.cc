#include "storage/bit_packing.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace trailbook::storage {
namespace {

TEST(BitPackingTest, RoundTripsEveryWidth) {
  std::mt19937_64 rng(7);
  for (uint32_t width : {0u, 1u, 2u, 3u, 7u, 8u, 13u, 31u, 32u, 33u, 47u, 56u, 64u}) {
    std::vector<uint64_t> values(1000);
    uint64_t mask = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    for (auto& v : values) v = rng() & mask;
    std::string buf;
    PackBits(values, width, &buf);
    EXPECT_EQ(buf.size(), PackedSize(values.size(), width)) << width;
    std::vector<uint64_t> out(values.size());
    UnpackBits(buf.data(), width, 0, values.size(), out.data());
    EXPECT_EQ(out, values) << width;
    for (size_t i = 0; i < values.size(); i += 97) {
      EXPECT_EQ(UnpackBit(buf.data(), width, i), values[i]) << width << " @" << i;
    }
    std::vector<uint64_t> mid(10);
    UnpackBits(buf.data(), width, 500, 10, mid.data());
    EXPECT_TRUE(std::equal(mid.begin(), mid.end(), values.begin() + 500)) << width;
  }
}

TEST(BitPackingTest, ThirtyTwoBitVariant) {
  std::vector<uint32_t> values = {0, 5, 3, 7, 1, 6};
  std::string buf;
  PackBits32(values, 3, &buf);
  std::vector<uint32_t> out(values.size());
  UnpackBits32(buf.data(), 3, 0, values.size(), out.data());
  EXPECT_EQ(out, values);
}

TEST(BitPackingTest, BitWidth) {
  EXPECT_EQ(BitWidth(0), 0u);
  EXPECT_EQ(BitWidth(1), 1u);
  EXPECT_EQ(BitWidth(255), 8u);
  EXPECT_EQ(BitWidth(256), 9u);
  EXPECT_EQ(BitWidth(~uint64_t{0}), 64u);
}

}  // namespace
}  // namespace trailbook::storage
