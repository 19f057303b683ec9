// File: storage/bloom_filter.h
//
// A split-block Bloom filter (256-bit blocks, 8 probe bits per key, as in Parquet) over
// 64-bit hashes. Used per segment block for needle lookups on unique ids (eventID,
// requestID): a lookup hashes the value once and skips every block whose filter says no.
//
//   BloomFilterBuilder b(expected_keys);  b.Add(hash);  std::string bytes = b.Finish();
//   bool maybe = BloomFilterMayContain(bytes, hash);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trailbook::storage {

class BloomFilterBuilder {
 public:
  // Sizes the filter for `expected_keys` at about 10 bits per key (~1% false positives).
  explicit BloomFilterBuilder(size_t expected_keys);
  void Add(uint64_t hash);
  // Returns the serialized filter: varint block count, then 32 bytes per block.
  std::string Finish() const;

 private:
  std::vector<uint32_t> words_;
  uint64_t num_blocks_;
};

// Returns false only when `hash` was certainly not added. Malformed input returns true
// (the caller then scans, which is always correct).
bool BloomFilterMayContain(std::string_view filter, uint64_t hash);

}  // namespace trailbook::storage
