#include "storage/coding.h"

#include <xxhash.h>

namespace trailbook::storage {

uint64_t Checksum(std::string_view data) { return XXH3_64bits(data.data(), data.size()); }

}  // namespace trailbook::storage
