#include "storage/bit_packing.h"

namespace trailbook::storage {
namespace {

template <typename T>
void PackImpl(std::span<const T> values, uint32_t width, std::string* out) {
  size_t start = out->size();
  out->resize(start + PackedSize(values.size(), width), '\0');
  char* dst = out->data() + start;
  if (width == 0) return;
  if (width > kMaxPackedWidth) {
    for (size_t i = 0; i < values.size(); ++i) {
      uint64_t v = values[i];
      std::memcpy(dst + i * 8, &v, 8);
    }
    return;
  }
  // Values are gathered in a register and stored a whole word at a time: writing each value
  // with a read-modify-write of the word at its bit offset made every store wait on the
  // previous one (a store-forwarding stall per value).
  uint64_t acc = 0;
  uint32_t filled = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const uint64_t v = values[i];
    acc |= v << filled;
    filled += width;
    if (filled >= 64) {
      std::memcpy(dst, &acc, 8);
      dst += 8;
      filled -= 64;
      // width <= kMaxPackedWidth < 64, so the shift is defined; it is v >> width = 0 when
      // the word ended exactly at this value.
      acc = v >> (width - filled);
    }
  }
  // The buffer's padding holds the whole last word: dst + 8 <= end of the packed region.
  if (filled > 0) std::memcpy(dst, &acc, 8);
}

template <typename T>
void UnpackImpl(const char* data, uint32_t width, size_t begin, size_t count, T* out) {
  if (width == 0) {
    std::memset(out, 0, count * sizeof(T));
    return;
  }
  if (width > kMaxPackedWidth) {
    for (size_t i = 0; i < count; ++i) {
      uint64_t v = 0;
      std::memcpy(&v, data + (begin + i) * 8, 8);
      out[i] = static_cast<T>(v);
    }
    return;
  }
  const uint64_t mask = (uint64_t{1} << width) - 1;
  size_t bit = begin * width;
  for (size_t i = 0; i < count; ++i, bit += width) {
    uint64_t word = 0;
    std::memcpy(&word, data + bit / 8, 8);
    out[i] = static_cast<T>((word >> (bit % 8)) & mask);
  }
}

}  // namespace

void PackBits(std::span<const uint64_t> values, uint32_t width, std::string* out) {
  PackImpl(values, width, out);
}
void PackBits32(std::span<const uint32_t> values, uint32_t width, std::string* out) {
  PackImpl(values, width, out);
}
void UnpackBits(const char* data, uint32_t width, size_t begin, size_t count, uint64_t* out) {
  UnpackImpl(data, width, begin, count, out);
}
void UnpackBits32(const char* data, uint32_t width, size_t begin, size_t count, uint32_t* out) {
  UnpackImpl(data, width, begin, count, out);
}

}  // namespace trailbook::storage
