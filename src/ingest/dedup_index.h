// File: ingest/dedup_index.h
//
// DedupIndex: the set of events already in the store or already accepted in this ingest,
// keyed by (time bucket, 64-bit hash of eventID), with memory bounded by a key budget rather
// than by the input. CloudTrail delivers some events more than once, always with the same
// eventID and eventTime, so duplicates meet in the same bucket. A bucket is a slice of
// eventTime DedupLimits::bucket_us wide (a UTC day by default; the monitor uses a minute,
// because everything it ingests falls in the current day and hour).
//
// A bucket's keys are loaded from the store's committed segments the first time a batch
// touches that bucket (the segments of its day whose block zone maps overlap it; their mapped
// pages are released afterwards, storage::SegmentReader::ReleasePages). When the
// resident keys exceed DedupLimits::max_resident_keys, the least recently used buckets are
// evicted; an evicted bucket is reloaded from the store when touched again, so no duplicate
// is missed. Keys accepted by Insert but whose rows are not yet committed are "pending":
// they exist nowhere else, so a bucket with pending keys is never evicted. The ingest calls
// Committed once the segments holding them are in the store.
//
//   DedupIndex index(store, DedupLimits{});
//   const int64_t bucket = index.BucketOf(event_time_us);
//   TB_ASSIGN_OR_RETURN(bool fresh, index.Insert(bucket, key, /*has_event_id=*/true));
//   ... write and commit the fresh rows' segments ...
//   index.Committed(bucket, fresh_count);
//
// Resident keys stay at most max_resident_keys, except that a bucket is never split (one
// bucket's keys are loaded whole) and that buckets with pending keys are kept: the bound is
// max(max_resident_keys, the largest bucket) plus the keys of uncommitted batches, which the
// ingest's batch budget and its commit queue bound. Each key costs 16 to 32 bytes (an
// open-addressing table at most half full). A budget smaller than the keys a workload touches within its
// late-arrival span stays a memory bound but costs CPU: evicted buckets are read again.
//
// Events without an eventID are keyed by a hash of their text. Such keys cannot be rebuilt
// from stored segments, so they live in separate per-bucket sets capped by
// DedupLimits::max_text_keys: within one ingest an id-less duplicate is rejected while its
// bucket's text set is resident (LRU over buckets); text sets evicted by the cap are dropped
// and counted in text_keys_dropped(). Across ingests id-less events are not deduplicated
// (the source-file ledger still prevents re-reading the same file).
//
// Invariants (checked by Verify()):
//   - resident_keys() is the sum of the sizes of the loaded buckets' key sets;
//   - every bucket with pending keys is loaded; the LRU lists hold each loaded bucket once;
//   - text_keys() is the sum of the sizes of the resident text sets.
//
// Thread safety: not thread-safe; the pipeline serializes access.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/timestamp.h"
#include "storage/store.h"

namespace trailbook::ingest {

// An open-addressing set of 64-bit keys.
class KeySet {
 public:
  KeySet() : slots_(16, 0), mask_(15) {}
  // Returns true when `key` was not present.
  bool Insert(uint64_t key);
  bool Contains(uint64_t key) const;
  size_t size() const { return size_ + (has_zero_ ? 1 : 0); }

 private:
  void Grow();
  std::vector<uint64_t> slots_;  // 0 = empty; key 0 is stored as a separate flag
  uint64_t mask_;
  size_t size_ = 0;
  bool has_zero_ = false;
};

struct DedupLimits {
  // eventID keys kept in memory (about 16-32 MB per million). 4M keys keep the index under
  // ~130 MB while covering weeks of a busy account's events without reloading.
  size_t max_resident_keys = size_t{4} << 20;
  // Keys of events without an eventID kept in memory.
  size_t max_text_keys = size_t{1} << 20;
  // Width of a bucket, the unit of loading and eviction. It must divide a day (a minute, an
  // hour, ...); any other value, or one not positive, means a day.
  int64_t bucket_us = kMicrosPerDay;
};

class DedupIndex {
 public:
  // Buckets are (re)loaded from store.Snapshot(). `store` must outlive the index.
  DedupIndex(const storage::Store& store, DedupLimits limits);

  // Returns the bucket of an eventTime (floor(event_time_us / bucket_us())).
  int64_t BucketOf(int64_t event_time_us) const;
  // The bucket width in use (see DedupLimits::bucket_us).
  int64_t bucket_us() const { return limits_.bucket_us; }

  // Adds (bucket, key); returns false when it was already present (a duplicate). A fresh key
  // of an event with an eventID is pending until Committed. Errors: reading the bucket's
  // stored segments failed (kCorruption, kIOError).
  Result<bool> Insert(int64_t bucket, uint64_t key, bool has_event_id);

  // Marks `count` fresh keys of `bucket` as committed: the segments holding their rows are in
  // the store (Store::Commit returned), so the bucket may be evicted and reloaded.
  // REQUIRES: `count` does not exceed the bucket's pending keys.
  void Committed(int64_t bucket, size_t count);

  // Returns the dedup key of an eventID (the same function the normaliser uses).
  static uint64_t KeyOfEventId(std::string_view event_id);

  size_t resident_keys() const { return resident_keys_; }
  // The most eventID keys held at once, counting a loaded bucket before the eviction it causes.
  size_t peak_resident_keys() const { return peak_resident_keys_; }
  size_t loaded_buckets() const { return buckets_.size(); }
  uint64_t bucket_loads() const { return bucket_loads_; }  // Includes reloads.
  uint64_t evictions() const { return evictions_; }
  size_t text_keys() const { return text_keys_; }
  uint64_t text_keys_dropped() const { return text_keys_dropped_; }

  // Returns kInternal naming the first broken invariant (tests).
  Status Verify() const;

  // Forgets every loaded bucket and text key (counters stay); buckets reload from the store.
  void Reset();
  // The store commit sequence the index last matched (set by the ingest that used it).
  std::optional<uint64_t> synced_sequence() const { return synced_sequence_; }
  void set_synced_sequence(uint64_t sequence) { synced_sequence_ = sequence; }

 private:
  struct Bucket {
    KeySet keys;
    size_t pending = 0;
    std::list<int64_t>::iterator lru;  // position in lru_
  };
  struct TextBucket {
    KeySet keys;
    std::list<int64_t>::iterator lru;  // position in text_lru_
  };

  Result<Bucket*> LoadBucket(int64_t bucket);
  Result<bool> InsertText(int64_t bucket, uint64_t key);
  // Evicts least recently used buckets without pending keys, other than `keep` (a bucket
  // just loaded, which its caller is about to use), while over the budget.
  void EvictOver(std::optional<int64_t> keep);

  const storage::Store& store_;
  DedupLimits limits_;
  std::unordered_map<int64_t, Bucket> buckets_;
  std::list<int64_t> lru_;  // most recently used first
  size_t resident_keys_ = 0;
  size_t peak_resident_keys_ = 0;
  uint64_t bucket_loads_ = 0;
  uint64_t evictions_ = 0;
  std::unordered_map<int64_t, TextBucket> text_buckets_;
  std::list<int64_t> text_lru_;  // most recently used first
  size_t text_keys_ = 0;
  uint64_t text_keys_dropped_ = 0;
  std::optional<uint64_t> synced_sequence_;
};

}  // namespace trailbook::ingest
