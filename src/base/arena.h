// File: base/arena.h
//
// Arena: a bump allocator for per-batch and per-query memory. Allocations are freed all
// at once by Reset() or destruction; per-row code allocates from an Arena, never from new.
//
//   Arena arena;
//   char* buf = arena.Allocate(n);
//   std::string_view s = arena.CopyString(value);
//
// Thread safety: not thread-safe; one Arena per thread or batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace trailbook {

class Arena {
 public:
  explicit Arena(size_t block_size = 64 * 1024) : block_size_(block_size) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) = default;
  Arena& operator=(Arena&&) = default;

  // Returns `bytes` bytes aligned to `align` (a power of two), valid until Reset().
  char* Allocate(size_t bytes, size_t align = alignof(std::max_align_t)) {
    size_t pad = (align - (reinterpret_cast<uintptr_t>(ptr_) & (align - 1))) & (align - 1);
    if (ptr_ != nullptr && pad + bytes <= remaining_) {
      char* out = ptr_ + pad;
      ptr_ += pad + bytes;
      remaining_ -= pad + bytes;
      return out;
    }
    return AllocateSlow(bytes, align);
  }

  // Copies `s` into the arena and returns a view of the copy.
  std::string_view CopyString(std::string_view s) {
    if (s.empty()) return {};
    char* p = Allocate(s.size(), 1);
    __builtin_memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  // Frees every allocation but keeps the first block for reuse.
  void Reset();

  // Returns the bytes reserved from the system, for memory accounting.
  size_t bytes_reserved() const { return bytes_reserved_; }

 private:
  char* AllocateSlow(size_t bytes, size_t align);

  size_t block_size_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<size_t> block_sizes_;
  char* ptr_ = nullptr;
  size_t remaining_ = 0;
  size_t bytes_reserved_ = 0;
};

}  // namespace trailbook
