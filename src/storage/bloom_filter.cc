#include "storage/bloom_filter.h"

#include <cstring>

#include "storage/coding.h"

namespace trailbook::storage {
namespace {

constexpr uint32_t kSalt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                               0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};

inline uint64_t BlockIndex(uint64_t hash, uint64_t num_blocks) {
  return ((hash >> 32) * num_blocks) >> 32;
}

}  // namespace

BloomFilterBuilder::BloomFilterBuilder(size_t expected_keys) {
  num_blocks_ = (expected_keys * 10 + 255) / 256;
  if (num_blocks_ == 0) num_blocks_ = 1;
  words_.assign(num_blocks_ * 8, 0);
}

void BloomFilterBuilder::Add(uint64_t hash) {
  uint32_t* block = &words_[BlockIndex(hash, num_blocks_) * 8];
  uint32_t key = static_cast<uint32_t>(hash);
  for (int i = 0; i < 8; ++i) block[i] |= 1U << ((key * kSalt[i]) >> 27);
}

std::string BloomFilterBuilder::Finish() const {
  std::string out;
  PutVarint64(&out, num_blocks_);
  out.append(reinterpret_cast<const char*>(words_.data()), words_.size() * 4);
  return out;
}

bool BloomFilterMayContain(std::string_view filter, uint64_t hash) {
  ByteReader r(filter);
  uint64_t num_blocks = 0;
  if (!r.ReadVarint64(&num_blocks).ok() || num_blocks == 0 ||
      r.remaining() != num_blocks * 32) {
    return true;
  }
  const char* base = filter.data() + r.position() + BlockIndex(hash, num_blocks) * 32;
  uint32_t key = static_cast<uint32_t>(hash);
  for (int i = 0; i < 8; ++i) {
    uint32_t word = 0;
    std::memcpy(&word, base + i * 4, 4);
    if ((word & (1U << ((key * kSalt[i]) >> 27))) == 0) return false;
  }
  return true;
}

}  // namespace trailbook::storage
