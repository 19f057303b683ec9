#include "ingest/dedup_index.h"

#include <xxhash.h>

#include <algorithm>

#include "base/check.h"
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

DedupIndex::DedupIndex(const storage::Store& store, DedupLimits limits)
    : store_(store), limits_(limits) {}

uint64_t DedupIndex::KeyOfEventId(std::string_view event_id) {
  return XXH3_64bits(event_id.data(), event_id.size());
}

Result<DedupIndex::Day*> DedupIndex::LoadDay(int64_t day) {
  auto it = days_.find(day);
  if (it != days_.end()) {
    if (it->second.lru != lru_.begin()) lru_.splice(lru_.begin(), lru_, it->second.lru);
    return &it->second;
  }
  // The current snapshot holds every key of this ingest that left the set: a day is only
  // evicted without pending keys, i.e. after the segments of its keys were committed.
  KeySet keys;
  const int id_column = storage::EventSchema::Get().event_id_column();
  std::shared_ptr<const storage::StoreSnapshot> snapshot = store_.Snapshot();
  for (const auto& segment : snapshot->segments()) {
    if (segment->footer().day != day) continue;
    for (uint32_t b = 0; b < segment->num_blocks(); ++b) {
      storage::StringBlock ids;
      TB_RETURN_IF_ERROR(segment->ReadStrings(id_column, b, &ids));
      for (size_t i = 0; i < ids.size(); ++i) {
        if (!ids.is_null(i)) keys.Insert(KeyOfEventId(ids.view(i)));
      }
    }
  }
  ++day_loads_;
  resident_keys_ += keys.size();
  peak_resident_keys_ = std::max(peak_resident_keys_, resident_keys_);
  lru_.push_front(day);
  Day& entry = days_[day];
  entry.keys = std::move(keys);
  entry.lru = lru_.begin();
  EvictOver(day);
  return &entry;
}

void DedupIndex::EvictOver(std::optional<int64_t> keep) {
  // Walk from the least recently used end; days with pending keys stay.
  auto it = lru_.end();
  while (resident_keys_ > limits_.max_resident_keys && it != lru_.begin()) {
    --it;
    if (*it == keep) continue;
    auto day = days_.find(*it);
    if (day->second.pending != 0) continue;
    resident_keys_ -= day->second.keys.size();
    ++evictions_;
    days_.erase(day);
    it = lru_.erase(it);
  }
}

Result<bool> DedupIndex::InsertText(int64_t day, uint64_t key) {
  auto it = text_days_.find(day);
  if (it == text_days_.end()) {
    text_lru_.push_front(day);
    it = text_days_.emplace(day, TextDay{}).first;
    it->second.lru = text_lru_.begin();
  } else if (it->second.lru != text_lru_.begin()) {
    text_lru_.splice(text_lru_.begin(), text_lru_, it->second.lru);
  }
  if (!it->second.keys.Insert(key)) return false;
  ++text_keys_;
  while (text_keys_ > limits_.max_text_keys && text_lru_.back() != day) {
    auto victim = text_days_.find(text_lru_.back());
    text_keys_ -= victim->second.keys.size();
    text_keys_dropped_ += victim->second.keys.size();
    text_days_.erase(victim);
    text_lru_.pop_back();
  }
  return true;
}

Result<bool> DedupIndex::Insert(int64_t day, uint64_t key, bool has_event_id) {
  if (!has_event_id) return InsertText(day, key);
  TB_ASSIGN_OR_RETURN(Day * entry, LoadDay(day));
  if (!entry->keys.Insert(key)) return false;
  ++entry->pending;
  ++resident_keys_;
  peak_resident_keys_ = std::max(peak_resident_keys_, resident_keys_);
  return true;
}

void DedupIndex::Committed(int64_t day, size_t count) {
  if (count == 0) return;
  auto it = days_.find(day);
  TB_CHECK(it != days_.end() && it->second.pending >= count)
      << "committing more dedup keys than are pending for day " << day;
  it->second.pending -= count;
  EvictOver(std::nullopt);
}

void DedupIndex::Reset() {
  days_.clear();
  lru_.clear();
  resident_keys_ = 0;
  text_days_.clear();
  text_lru_.clear();
  text_keys_ = 0;
  synced_sequence_.reset();
}

Status DedupIndex::Verify() const {
  size_t keys = 0;
  for (const auto& [day, entry] : days_) {
    keys += entry.keys.size();
    if (*entry.lru != day) return Internal("dedup LRU entry does not name its day");
    if (entry.pending > entry.keys.size()) return Internal("more pending keys than keys");
  }
  if (keys != resident_keys_) return Internal("resident key count is off");
  if (lru_.size() != days_.size()) return Internal("dedup LRU list and day map differ");
  size_t text = 0;
  for (const auto& [day, entry] : text_days_) {
    text += entry.keys.size();
    if (*entry.lru != day) return Internal("text LRU entry does not name its day");
  }
  if (text != text_keys_) return Internal("text key count is off");
  if (text_lru_.size() != text_days_.size()) return Internal("text LRU list and map differ");
  return Status::OK();
}

}  // namespace trailbook::ingest
