// File: storage/bytes_equal.h
//
// BytesEqual: equality of two equally long byte ranges, inlined for the short strings that
// dominate ingest (field names, regions, event names, ARNs): two overlapping word loads
// instead of a libc memcmp call, which perf showed at ~6% of ingest CPU; word compares up to
// 64 bytes, memcmp beyond.
//
//   if (a.size() == b.size() && BytesEqual(a.data(), b.data(), a.size())) ...
#pragma once

#include <cstdint>
#include <cstring>

namespace trailbook::storage {

// Returns whether the `n` bytes at `a` and `b` are equal. Reads only those bytes.
inline bool BytesEqual(const char* a, const char* b, size_t n) {
  auto load8 = [](const char* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
  };
  auto load4 = [](const char* p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
  };
  if (n >= 8) {
    if (n <= 16) return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
    // ARNs, user agents and principal ids are 17-64 bytes: compare them word by word with
    // overlapping head and tail words, branch-free per group of four words.
    auto diff4 = [&](size_t x, size_t y) {
      return (load8(a + x) ^ load8(b + x)) | (load8(a + x + 8) ^ load8(b + x + 8)) |
             (load8(a + y) ^ load8(b + y)) | (load8(a + y + 8) ^ load8(b + y + 8));
    };
    if (n <= 32) return diff4(0, n - 16) == 0;
    if (n <= 64) return (diff4(0, 16) | diff4(n - 32, n - 16)) == 0;
    return std::memcmp(a, b, n) == 0;
  }
  if (n >= 4) return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace trailbook::storage
