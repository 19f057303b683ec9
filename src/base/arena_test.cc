#include "base/arena.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace trailbook {
namespace {

TEST(ArenaTest, AllocationsAreAlignedAndDistinct) {
  Arena arena(128);
  char* a = arena.Allocate(10, 8);
  char* b = arena.Allocate(10, 8);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 8, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % 8, 0u);
  EXPECT_GE(b - a, 10);
}

TEST(ArenaTest, LargeAllocationGetsOwnBlock) {
  Arena arena(64);
  char* big = arena.Allocate(1000, 1);
  for (int i = 0; i < 1000; ++i) big[i] = 'x';
  EXPECT_GE(arena.bytes_reserved(), 1000u);
}

TEST(ArenaTest, CopyStringAndReset) {
  Arena arena(64);
  std::string src(100, 'q');
  std::string_view v = arena.CopyString(src);
  EXPECT_EQ(v, src);
  EXPECT_NE(v.data(), src.data());
  arena.Reset();
  std::string_view w = arena.CopyString("abc");
  EXPECT_EQ(w, "abc");
}

}  // namespace
}  // namespace trailbook
