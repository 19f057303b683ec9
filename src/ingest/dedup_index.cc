#include "ingest/dedup_index.h"

// Inlined XXH3 (as in storage/string_interner.cc): built for this target (AVX2) instead of
// the shared library's generic code, and without a call per short value.
#define XXH_INLINE_ALL
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
    : store_(store), limits_(limits) {
  if (limits_.bucket_us <= 0 || kMicrosPerDay % limits_.bucket_us != 0) {
    limits_.bucket_us = kMicrosPerDay;
  }
}

int64_t DedupIndex::BucketOf(int64_t event_time_us) const {
  const int64_t q = event_time_us / limits_.bucket_us;
  return event_time_us % limits_.bucket_us < 0 ? q - 1 : q;
}

uint64_t DedupIndex::KeyOfEventId(std::string_view event_id) {
  return XXH3_64bits(event_id.data(), event_id.size());
}

Result<DedupIndex::Bucket*> DedupIndex::LoadBucket(int64_t bucket) {
  auto it = buckets_.find(bucket);
  if (it != buckets_.end()) {
    if (it->second.lru != lru_.begin()) lru_.splice(lru_.begin(), lru_, it->second.lru);
    return &it->second;
  }
  // The current snapshot holds every key of this ingest that left the set: a bucket is only
  // evicted without pending keys, i.e. after the segments of its keys were committed.
  KeySet keys;
  const storage::EventSchema& schema = storage::EventSchema::Get();
  const int id_column = schema.event_id_column();
  const int time_column = schema.event_time_column();
  const int64_t first = bucket * limits_.bucket_us;
  const int64_t last = first + (limits_.bucket_us - 1);
  const int64_t day = DayOf(first);  // buckets divide days: the whole bucket is in it
  std::vector<int64_t> times;
  std::shared_ptr<const storage::StoreSnapshot> snapshot = store_.Snapshot();
  for (const auto& segment : snapshot->segments()) {
    const storage::SegmentFooter& footer = segment->footer();
    if (footer.day != day || footer.max_time < first || footer.min_time > last) continue;
    for (uint32_t b = 0; b < segment->num_blocks(); ++b) {
      const storage::BlockMeta& block = segment->block(b);
      if (block.max_time < first || block.min_time > last) continue;
      // A block wholly inside the bucket needs no times.
      const bool whole = block.min_time >= first && block.max_time <= last;
      if (!whole) {
        times.resize(block.row_count);
        TB_RETURN_IF_ERROR(segment->ReadTimestamps(time_column, b, times.data()));
      }
      storage::StringBlock ids;
      TB_RETURN_IF_ERROR(segment->ReadStrings(id_column, b, &ids));
      for (size_t i = 0; i < ids.size(); ++i) {
        if (ids.is_null(i)) continue;
        if (!whole && (times[i] < first || times[i] > last)) continue;
        keys.Insert(KeyOfEventId(ids.view(i)));
      }
    }
    // Done with this (older) segment: its pages need not stay in this process's RSS.
    segment->ReleasePages();
  }
  ++bucket_loads_;
  resident_keys_ += keys.size();
  peak_resident_keys_ = std::max(peak_resident_keys_, resident_keys_);
  lru_.push_front(bucket);
  Bucket& entry = buckets_[bucket];
  entry.keys = std::move(keys);
  entry.lru = lru_.begin();
  EvictOver(bucket);
  return &entry;
}

void DedupIndex::EvictOver(std::optional<int64_t> keep) {
  // Walk from the least recently used end; buckets with pending keys stay.
  auto it = lru_.end();
  while (resident_keys_ > limits_.max_resident_keys && it != lru_.begin()) {
    --it;
    if (*it == keep) continue;
    auto victim = buckets_.find(*it);
    if (victim->second.pending != 0) continue;
    resident_keys_ -= victim->second.keys.size();
    ++evictions_;
    buckets_.erase(victim);
    it = lru_.erase(it);
  }
}

Result<bool> DedupIndex::InsertText(int64_t bucket, uint64_t key) {
  auto it = text_buckets_.find(bucket);
  if (it == text_buckets_.end()) {
    text_lru_.push_front(bucket);
    it = text_buckets_.emplace(bucket, TextBucket{}).first;
    it->second.lru = text_lru_.begin();
  } else if (it->second.lru != text_lru_.begin()) {
    text_lru_.splice(text_lru_.begin(), text_lru_, it->second.lru);
  }
  if (!it->second.keys.Insert(key)) return false;
  ++text_keys_;
  while (text_keys_ > limits_.max_text_keys && text_lru_.back() != bucket) {
    auto victim = text_buckets_.find(text_lru_.back());
    text_keys_ -= victim->second.keys.size();
    text_keys_dropped_ += victim->second.keys.size();
    text_buckets_.erase(victim);
    text_lru_.pop_back();
  }
  return true;
}

Result<bool> DedupIndex::Insert(int64_t bucket, uint64_t key, bool has_event_id) {
  if (!has_event_id) return InsertText(bucket, key);
  TB_ASSIGN_OR_RETURN(Bucket * entry, LoadBucket(bucket));
  if (!entry->keys.Insert(key)) return false;
  ++entry->pending;
  ++resident_keys_;
  peak_resident_keys_ = std::max(peak_resident_keys_, resident_keys_);
  return true;
}

void DedupIndex::Committed(int64_t bucket, size_t count) {
  if (count == 0) return;
  auto it = buckets_.find(bucket);
  TB_CHECK(it != buckets_.end() && it->second.pending >= count)
      << "committing more dedup keys than are pending for bucket " << bucket;
  it->second.pending -= count;
  EvictOver(std::nullopt);
}

void DedupIndex::Reset() {
  buckets_.clear();
  lru_.clear();
  resident_keys_ = 0;
  text_buckets_.clear();
  text_lru_.clear();
  text_keys_ = 0;
  synced_sequence_.reset();
}

Status DedupIndex::Verify() const {
  size_t keys = 0;
  for (const auto& [bucket, entry] : buckets_) {
    keys += entry.keys.size();
    if (*entry.lru != bucket) return Internal("dedup LRU entry does not name its bucket");
    if (entry.pending > entry.keys.size()) return Internal("more pending keys than keys");
  }
  if (keys != resident_keys_) return Internal("resident key count is off");
  if (lru_.size() != buckets_.size()) return Internal("dedup LRU list and bucket map differ");
  size_t text = 0;
  for (const auto& [bucket, entry] : text_buckets_) {
    text += entry.keys.size();
    if (*entry.lru != bucket) return Internal("text LRU entry does not name its bucket");
  }
  if (text != text_keys_) return Internal("text key count is off");
  if (text_lru_.size() != text_buckets_.size()) return Internal("text LRU list and map differ");
  return Status::OK();
}

}  // namespace trailbook::ingest
