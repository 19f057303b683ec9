#include "storage/coding.h"

// Inlined XXH3 (as in storage/string_interner.cc): built for this target (AVX2) instead of
// the shared library's generic code, and without a call per short value.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace trailbook::storage {

uint64_t Checksum(std::string_view data) { return XXH3_64bits(data.data(), data.size()); }

}  // namespace trailbook::storage
