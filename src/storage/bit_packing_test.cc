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

TEST(BitPackingTest, ThirtyTwoBitRoundTripsEveryWidthAndCount) {
  // Counts around word boundaries: the packer stores whole 64-bit words and then the tail.
  std::mt19937 rng(11);
  for (uint32_t width = 1; width <= 32; ++width) {
    for (size_t count : {size_t{1}, size_t{2}, size_t{63}, size_t{64}, size_t{65}, size_t{2048}}) {
      std::vector<uint32_t> values(count);
      uint64_t mask = (uint64_t{1} << width) - 1;
      for (auto& v : values) v = static_cast<uint32_t>(rng() & mask);
      values[0] = static_cast<uint32_t>(mask);  // the widest value at the start
      std::string buf = "prefix";
      PackBits32(values, width, &buf);
      ASSERT_EQ(buf.size(), 6 + PackedSize(count, width)) << width << "/" << count;
      EXPECT_EQ(buf.substr(0, 6), "prefix");
      std::vector<uint32_t> out(count);
      UnpackBits32(buf.data() + 6, width, 0, count, out.data());
      EXPECT_EQ(out, values) << width << "/" << count;
      // Padding stays zero, so whole-word reads past the last value see no stray bits.
      EXPECT_EQ(buf.substr(buf.size() - kBitPackPadding), std::string(kBitPackPadding, '\0'))
          << width << "/" << count;
    }
  }
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
