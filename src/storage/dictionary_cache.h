// File: storage/dictionary_cache.h
//
// SegmentDictionaryCache: the decoded dictionaries of one store's segments that stay
// resident, bounded by bytes, least recently used first out. A SegmentReader opened with a
// cache keeps only a weak reference to each dictionary it decodes and hands the strong one
// to the cache; a dictionary therefore lives while the cache or a reader of it (a query, a
// StringBlock) holds it, and a long-lived store whose segments keep arriving (the monitor)
// holds at most capacity_bytes() of them instead of every segment's.
//
//   auto cache = std::make_shared<SegmentDictionaryCache>(kDefaultSegmentDictionaryBytes);
//   TB_ASSIGN_OR_RETURN(auto seg, SegmentReader::Open(path, cache));
//
// Invariants: bytes() is the sum of the resident entries' sizes; every entry is in the LRU
// list once; after Insert returns, bytes() <= capacity_bytes() unless a single entry is
// larger than the capacity (the newest entry is always kept).
//
// Thread safety: thread-safe (one mutex; held for list splices only).
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "base/thread_annotations.h"

namespace trailbook::storage {

class Dictionary;

// Default byte budget of a store's resident segment dictionaries.
inline constexpr size_t kDefaultSegmentDictionaryBytes = size_t{64} << 20;

class SegmentDictionaryCache {
 public:
  explicit SegmentDictionaryCache(size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

  // Makes the dictionary of (segment_id, column) resident (replacing an older entry for the
  // same key) and evicts least recently used entries while over the budget.
  void Insert(uint64_t segment_id, int column, std::shared_ptr<const Dictionary> dictionary,
              size_t bytes);
  // Marks (segment_id, column) as recently used; no-op when it is not resident.
  void Touch(uint64_t segment_id, int column);

  // Changes the budget; evicts at once when it shrank.
  void set_capacity_bytes(size_t capacity_bytes);
  size_t capacity_bytes() const;
  size_t bytes() const;
  size_t entries() const;
  uint64_t evictions() const;

 private:
  using Key = std::pair<uint64_t, int>;
  struct Entry {
    Key key;
    std::shared_ptr<const Dictionary> dictionary;
    size_t bytes = 0;
  };
  void EvictOver() TB_REQUIRES(mu_);

  mutable std::mutex mu_;
  size_t capacity_bytes_ TB_GUARDED_BY(mu_);
  size_t bytes_ TB_GUARDED_BY(mu_) = 0;
  uint64_t evictions_ TB_GUARDED_BY(mu_) = 0;
  std::list<Entry> lru_ TB_GUARDED_BY(mu_);  // most recently used first
  std::map<Key, std::list<Entry>::iterator> index_ TB_GUARDED_BY(mu_);
};

}  // namespace trailbook::storage
