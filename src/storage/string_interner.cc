#include "storage/string_interner.h"

// Inlined XXH3: interned values are short, and the call through the shared library showed
// in profiles.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "storage/bytes_equal.h"

namespace trailbook::storage {

namespace {
constexpr size_t kInitialSlots = 64;
}  // namespace

StringInterner::StringInterner() {
  table_.assign(kInitialSlots, Slot{});
  mask_ = kInitialSlots - 1;
}

void StringInterner::Clear() {
  bytes_.clear();
  entries_.clear();
  std::fill(table_.begin(), table_.end(), Slot{});
  last_id_ = 0;
}

inline const StringInterner::Slot& StringInterner::Probe(std::string_view s, uint64_t h) const {
  for (uint64_t pos = h & mask_;; pos = (pos + 1) & mask_) {
    const Slot& slot = table_[pos];
    if (slot.id == 0) return slot;
    if (slot.hash == h && slot.length == s.size() &&
        BytesEqual(bytes_.data() + slot.offset, s.data(), s.size())) {
      return slot;
    }
  }
}

uint32_t StringInterner::Find(std::string_view s) const {
  return Probe(s, XXH3_64bits(s.data(), s.size())).id;
}

uint64_t StringInterner::HashAndPrefetch(std::string_view s) const {
  const uint64_t h = XXH3_64bits(s.data(), s.size());
  __builtin_prefetch(&table_[h & mask_]);
  return h;
}

uint32_t StringInterner::InternNew(std::string_view s) {
  return InternHashed(s, XXH3_64bits(s.data(), s.size()));
}

uint32_t StringInterner::InternHashed(std::string_view s, uint64_t h) {
  const Slot& found = Probe(s, h);
  if (found.id != 0) {
    last_offset_ = found.offset;
    last_length_ = found.length;  // slot lengths are 32-bit
    last_id_ = found.id;
    return found.id;
  }
  Slot& slot = table_[static_cast<size_t>(&found - table_.data())];
  entries_.push_back(Entry{bytes_.size(), s.size()});
  slot = Slot{h, bytes_.size(), static_cast<uint32_t>(s.size()),
              static_cast<uint32_t>(entries_.size())};
  bytes_.append(s);
  const uint32_t id = slot.id;
  last_offset_ = slot.offset;
  last_length_ = slot.length;
  last_id_ = id;
  if (entries_.size() * 2 > table_.size()) Grow();
  return id;
}

void StringInterner::Grow() {
  std::vector<Slot> old(table_.size() * 2, Slot{});
  old.swap(table_);
  mask_ = table_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id == 0) continue;
    uint64_t pos = slot.hash & mask_;
    while (table_[pos].id != 0) pos = (pos + 1) & mask_;
    table_[pos] = slot;
  }
}

}  // namespace trailbook::storage
