// Fuzzes the row hash index chunk parser (storage/hash_index.h): the first 8 bytes choose the
// segment row count and a lookup hash, the rest is the chunk. Any chunk must parse or fail
// with kCorruption, and lookups on a parsed one must stay in bounds and return rows below
// the row count.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "storage/hash_index.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 8) return 0;
  uint32_t rows = 0, salt = 0;
  std::memcpy(&rows, data, 4);
  std::memcpy(&salt, data + 4, 4);
  rows &= 0xFFFFF;  // up to ~1M rows
  std::string_view chunk(reinterpret_cast<const char*>(data + 8), size - 8);
  auto view = trailbook::storage::HashIndexView::Parse(chunk, rows);
  if (!view.ok()) {
    if (view.status().code() != trailbook::StatusCode::kCorruption) __builtin_trap();
    return 0;
  }
  std::vector<uint32_t> found;
  for (uint64_t k = 0; k < 16; ++k) {
    uint64_t hash = (uint64_t{salt} << 32 | salt) * (k * 0x9e3779b97f4a7c15ULL + 1);
    found.clear();
    if (!view->Candidates(hash, &found).ok()) continue;
    for (uint32_t r : found) {
      if (r >= rows) __builtin_trap();
    }
  }
  return 0;
}
