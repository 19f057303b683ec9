#include "ingest/dedup_index.h"

#include <xxhash.h>

#include "storage/event_schema.h"

namespace trailbook::ingest {

bool KeySet::Insert(uint64_t key) {
  if (key == 0) {
    bool fresh = !has_zero_;
    has_zero_ = true;
    return fresh;
  }
  uint64_t pos = (key * 0x9E3779B97F4A7C15ULL) >> 20 & mask_;
  while (slots_[pos] != 0) {
    if (slots_[pos] == key) return false;
    pos = (pos + 1) & mask_;
  }
  slots_[pos] = key;
  if (++size_ * 2 > slots_.size()) Grow();
  return true;
}

bool KeySet::Contains(uint64_t key) const {
  if (key == 0) return has_zero_;
  uint64_t pos = (key * 0x9E3779B97F4A7C15ULL) >> 20 & mask_;
  while (slots_[pos] != 0) {
    if (slots_[pos] == key) return true;
    pos = (pos + 1) & mask_;
  }
  return false;
}

void KeySet::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.size() * 2, 0);
  mask_ = slots_.size() - 1;
  for (uint64_t key : old) {
    if (key == 0) continue;
    uint64_t pos = (key * 0x9E3779B97F4A7C15ULL) >> 20 & mask_;
    while (slots_[pos] != 0) pos = (pos + 1) & mask_;
    slots_[pos] = key;
  }
}

uint64_t DedupIndex::KeyOfEventId(std::string_view event_id) {
  return XXH3_64bits(event_id.data(), event_id.size());
}

Result<KeySet*> DedupIndex::Day(int64_t day) {
  auto it = days_.find(day);
  if (it != days_.end()) return it->second.get();
  auto set = std::make_unique<KeySet>();
  const int id_column = storage::EventSchema::Get().event_id_column();
  for (const auto& segment : snapshot_->segments()) {
    if (segment->footer().day != day) continue;
    for (uint32_t b = 0; b < segment->num_blocks(); ++b) {
      storage::StringBlock ids;
      TB_RETURN_IF_ERROR(segment->ReadStrings(id_column, b, &ids));
      for (size_t i = 0; i < ids.size(); ++i) {
        if (!ids.is_null(i)) set->Insert(KeyOfEventId(ids.view(i)));
      }
    }
  }
  KeySet* raw = set.get();
  days_.emplace(day, std::move(set));
  return raw;
}

Result<bool> DedupIndex::Insert(int64_t day, uint64_t key) {
  TB_ASSIGN_OR_RETURN(KeySet * set, Day(day));
  return set->Insert(key);
}

}  // namespace trailbook::ingest
