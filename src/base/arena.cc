#include "base/arena.h"

#include <algorithm>

namespace trailbook {

char* Arena::AllocateSlow(size_t bytes, size_t align) {
  size_t size = std::max(block_size_, bytes + align);
  // Not zeroed: Allocate hands out uninitialised bytes (its callers write them first), and
  // a query fills a fresh 64 KiB block per string vector.
  blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
  block_sizes_.push_back(size);
  bytes_reserved_ += size;
  ptr_ = blocks_.back().get();
  remaining_ = size;
  size_t pad = (align - (reinterpret_cast<uintptr_t>(ptr_) & (align - 1))) & (align - 1);
  char* out = ptr_ + pad;
  ptr_ += pad + bytes;
  remaining_ -= pad + bytes;
  return out;
}

void Arena::Reset() {
  if (blocks_.empty()) return;
  blocks_.resize(1);
  block_sizes_.resize(1);
  bytes_reserved_ = block_sizes_[0];
  ptr_ = blocks_[0].get();
  remaining_ = block_sizes_[0];
}

}  // namespace trailbook
