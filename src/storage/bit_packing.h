// File: storage/bit_packing.h
//
// Fixed-width bit packing of unsigned integers, the core of dictionary codes, booleans and
// frame-of-reference timestamps. Values are packed LSB-first into little-endian bytes; any
// value can be read in O(1) without unpacking the rest (random access for needle lookups).
//
//   std::string buf;  PackBits(values, width, &buf);
//   uint64_t v = UnpackBit(buf.data(), width, i);
//
// Packed buffers carry kBitPackPadding zero bytes at the end so single-value reads may load
// a whole 64-bit word without bounds checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

namespace trailbook::storage {

// Extra zero bytes appended to every packed buffer.
inline constexpr size_t kBitPackPadding = 8;

// The widest width the word-load fast path supports; wider values are stored as raw u64.
inline constexpr uint32_t kMaxPackedWidth = 56;

// Returns the bits needed to represent `max_value` (0 for 0).
inline uint32_t BitWidth(uint64_t max_value) {
  return max_value == 0 ? 0 : static_cast<uint32_t>(64 - __builtin_clzll(max_value));
}

// Returns the packed size in bytes of `count` values of `width` bits, padding included.
inline size_t PackedSize(size_t count, uint32_t width) {
  if (width > kMaxPackedWidth) return count * 8 + kBitPackPadding;
  return (count * width + 7) / 8 + kBitPackPadding;
}

// Appends `values` packed at `width` bits (REQUIRES: every value < 2^width, or width == 64).
void PackBits(std::span<const uint64_t> values, uint32_t width, std::string* out);
void PackBits32(std::span<const uint32_t> values, uint32_t width, std::string* out);

// Returns value `i` of a buffer packed at `width`. REQUIRES: the buffer came from PackBits.
inline uint64_t UnpackBit(const char* data, uint32_t width, size_t i) {
  if (width == 0) return 0;
  if (width > kMaxPackedWidth) {
    uint64_t v;
    std::memcpy(&v, data + i * 8, 8);
    return v;
  }
  size_t bit = i * width;
  uint64_t word;
  std::memcpy(&word, data + bit / 8, 8);
  return (word >> (bit % 8)) & ((uint64_t{1} << width) - 1);
}

// Unpacks values [begin, begin + count) into `out`.
void UnpackBits(const char* data, uint32_t width, size_t begin, size_t count, uint64_t* out);
void UnpackBits32(const char* data, uint32_t width, size_t begin, size_t count, uint32_t* out);

}  // namespace trailbook::storage
