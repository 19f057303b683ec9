#include "storage/string_interner.h"

#include <xxhash.h>

#include <cstring>

#include "storage/bytes_equal.h"

namespace trailbook::storage {

StringInterner::StringInterner() { Clear(); }

void StringInterner::Clear() {
  bytes_.clear();
  entries_.clear();
  table_.assign(64, 0);
  mask_ = 63;
}

uint32_t StringInterner::Find(std::string_view s) const {
  uint64_t h = XXH3_64bits(s.data(), s.size());
  for (uint64_t pos = h & mask_;; pos = (pos + 1) & mask_) {
    uint32_t slot = table_[pos];
    if (slot == 0) return 0;
    const Entry& e = entries_[slot - 1];
    if (e.hash == h && e.length == s.size() &&
        BytesEqual(bytes_.data() + e.offset, s.data(), s.size())) {
      return slot;
    }
  }
}

uint32_t StringInterner::Intern(std::string_view s) {
  uint64_t h = XXH3_64bits(s.data(), s.size());
  uint64_t pos = h & mask_;
  for (;; pos = (pos + 1) & mask_) {
    uint32_t slot = table_[pos];
    if (slot == 0) break;
    const Entry& e = entries_[slot - 1];
    if (e.hash == h && e.length == s.size() &&
        BytesEqual(bytes_.data() + e.offset, s.data(), s.size())) {
      return slot;
    }
  }
  entries_.push_back(Entry{h, bytes_.size(), static_cast<uint32_t>(s.size())});
  bytes_.append(s);
  uint32_t id = static_cast<uint32_t>(entries_.size());
  table_[pos] = id;
  if (entries_.size() * 2 > table_.size()) Grow();
  return id;
}

void StringInterner::Grow() {
  table_.assign(table_.size() * 2, 0);
  mask_ = table_.size() - 1;
  for (size_t i = 0; i < entries_.size(); ++i) {
    uint64_t pos = entries_[i].hash & mask_;
    while (table_[pos] != 0) pos = (pos + 1) & mask_;
    table_[pos] = static_cast<uint32_t>(i + 1);
  }
}

}  // namespace trailbook::storage
