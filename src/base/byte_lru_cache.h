// File: base/byte_lru_cache.h
//
// ByteLruCache: values kept resident within a byte budget, least recently used first out.
// Each entry is charged the bytes its inserter states; the newest entry always stays, even
// when it alone exceeds the budget (its inserter is about to use it). The store's decoded
// segment dictionaries and the SQL engine's dictionary vectors are both such caches, keyed
// by (segment id, column).
//
//   ByteLruCache<std::pair<uint64_t, int>, std::shared_ptr<const Dictionary>> cache(64 << 20);
//   if (auto hit = cache.Find({segment, column})) return *hit;
//   return cache.Insert({segment, column}, Decode(...), bytes, OnResident::kKeep);
//
// Invariants: bytes() is the sum of the resident entries' charges; every entry is in the
// LRU list once and in the index once; after Insert or set_capacity_bytes returns,
// bytes() <= capacity_bytes() or only one entry is resident.
//
// Thread safety: thread-safe (one mutex, held for lookups and list splices only; values are
// copied out, so Value should be cheap to copy, e.g. a shared_ptr).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "base/thread_annotations.h"

namespace trailbook {

// What Insert does when the key is already resident.
enum class OnResident {
  kReplace,  // the new value replaces the resident one (and its charge)
  kKeep,     // the resident value stays; Insert returns it (a racing inserter was first)
};

template <typename Key, typename Value>
class ByteLruCache {
 public:
  explicit ByteLruCache(size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}
  ByteLruCache(const ByteLruCache&) = delete;
  ByteLruCache& operator=(const ByteLruCache&) = delete;

  // Returns the resident value of `key` and marks it most recently used; nullopt when it is
  // not resident.
  std::optional<Value> Find(const Key& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    MoveToFront(it->second);
    return it->second->value;
  }

  // Marks `key` most recently used; returns false (and does nothing) when it is not
  // resident.
  bool Touch(const Key& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    MoveToFront(it->second);
    return true;
  }

  // Makes `value` resident under `key`, charged `bytes`, as the most recently used entry,
  // then evicts least recently used entries while over the budget. When `key` is resident
  // already, `on_resident` decides which value stays. Returns the value now resident.
  Value Insert(const Key& key, Value value, size_t bytes, OnResident on_resident) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      if (on_resident == OnResident::kKeep) {
        MoveToFront(it->second);
        return it->second->value;
      }
      bytes_ -= it->second->bytes;
      lru_.erase(it->second);
      index_.erase(it);
    }
    lru_.push_front(Entry{key, std::move(value), bytes});
    index_.emplace(key, lru_.begin());
    bytes_ += bytes;
    EvictOver();
    return lru_.front().value;
  }

  // Changes the budget; evicts at once when it shrank.
  void set_capacity_bytes(size_t capacity_bytes) {
    std::lock_guard<std::mutex> lock(mu_);
    capacity_bytes_ = capacity_bytes;
    EvictOver();
  }

  size_t capacity_bytes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return capacity_bytes_;
  }
  size_t bytes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return bytes_;
  }
  size_t entries() const {
    std::lock_guard<std::mutex> lock(mu_);
    return lru_.size();
  }
  // Returns how many entries the budget has evicted (replacements are not counted).
  uint64_t evictions() const {
    std::lock_guard<std::mutex> lock(mu_);
    return evictions_;
  }

 private:
  struct Entry {
    Key key;
    Value value;
    size_t bytes = 0;
  };
  using Iterator = typename std::list<Entry>::iterator;

  void MoveToFront(Iterator it) TB_REQUIRES(mu_) {
    if (it != lru_.begin()) lru_.splice(lru_.begin(), lru_, it);
  }

  void EvictOver() TB_REQUIRES(mu_) {
    while (bytes_ > capacity_bytes_ && lru_.size() > 1) {
      Entry& victim = lru_.back();
      bytes_ -= victim.bytes;
      index_.erase(victim.key);
      lru_.pop_back();
      ++evictions_;
    }
  }

  mutable std::mutex mu_;
  size_t capacity_bytes_ TB_GUARDED_BY(mu_);
  size_t bytes_ TB_GUARDED_BY(mu_) = 0;
  uint64_t evictions_ TB_GUARDED_BY(mu_) = 0;
  std::list<Entry> lru_ TB_GUARDED_BY(mu_);  // most recently used first
  std::map<Key, Iterator> index_ TB_GUARDED_BY(mu_);
};

}  // namespace trailbook
