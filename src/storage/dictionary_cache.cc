#include "storage/dictionary_cache.h"

namespace trailbook::storage {

void SegmentDictionaryCache::Insert(uint64_t segment_id, int column,
                                    std::shared_ptr<const Dictionary> dictionary, size_t bytes) {
  const Key key(segment_id, column);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it != index_.end()) {
    bytes_ -= it->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.push_front(Entry{key, std::move(dictionary), bytes});
  index_.emplace(key, lru_.begin());
  bytes_ += bytes;
  EvictOver();
}

void SegmentDictionaryCache::Touch(uint64_t segment_id, int column) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(Key(segment_id, column));
  if (it != index_.end() && it->second != lru_.begin()) {
    lru_.splice(lru_.begin(), lru_, it->second);
  }
}

void SegmentDictionaryCache::EvictOver() {
  // The newest entry (front) stays even when it alone exceeds the budget: its reader is
  // about to use it.
  while (bytes_ > capacity_bytes_ && lru_.size() > 1) {
    Entry& victim = lru_.back();
    bytes_ -= victim.bytes;
    index_.erase(victim.key);
    lru_.pop_back();
    ++evictions_;
  }
}

void SegmentDictionaryCache::set_capacity_bytes(size_t capacity_bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  capacity_bytes_ = capacity_bytes;
  EvictOver();
}

size_t SegmentDictionaryCache::capacity_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return capacity_bytes_;
}

size_t SegmentDictionaryCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

size_t SegmentDictionaryCache::entries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lru_.size();
}

uint64_t SegmentDictionaryCache::evictions() const {
  std::lock_guard<std::mutex> lock(mu_);
  return evictions_;
}

}  // namespace trailbook::storage
