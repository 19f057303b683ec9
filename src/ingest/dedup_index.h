// File: ingest/dedup_index.h
//
// DedupIndex: the set of events already in the store or already accepted in this ingest,
// keyed by (UTC day, 64-bit hash of eventID). CloudTrail delivers some events more than
// once, always with the same eventID and eventTime, so duplicates meet in the same day.
// A day's keys are loaded from the store's segments the first time a batch touches that day,
// so appending new days costs nothing and memory grows with the days actually touched.
//
//   DedupIndex index(snapshot);
//   TB_ASSIGN_OR_RETURN(bool fresh, index.Insert(day, key));   // false: a duplicate
//
// Events without an eventID are keyed by a hash of their text; such keys are not
// recoverable from stored segments, so they are deduplicated within one ingest run only (the
// source-file ledger still prevents re-reading the same file).
//
// Thread safety: not thread-safe; the pipeline serializes access.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "storage/store.h"

namespace trailbook::ingest {

// An open-addressing set of 64-bit keys.
class KeySet {
 public:
  KeySet() : slots_(16, 0), mask_(15) {}
  // Returns true when `key` was not present.
  bool Insert(uint64_t key);
  bool Contains(uint64_t key) const;
  size_t size() const { return size_; }

 private:
  void Grow();
  std::vector<uint64_t> slots_;  // 0 = empty; key 0 is stored as a separate flag
  uint64_t mask_;
  size_t size_ = 0;
  bool has_zero_ = false;
};

class DedupIndex {
 public:
  // `snapshot` is the store state the ingest started from (its events count as present).
  explicit DedupIndex(std::shared_ptr<const storage::StoreSnapshot> snapshot)
      : snapshot_(std::move(snapshot)) {}

  // Adds (day, key); returns false when it was already present (a duplicate).
  // Errors: reading the day's stored segments failed (kCorruption, kIOError).
  Result<bool> Insert(int64_t day, uint64_t key);

  // Number of days whose stored keys were loaded (for tests and stats).
  size_t loaded_days() const { return days_.size(); }

  // Returns the dedup key of an eventID (the same function the normaliser uses).
  static uint64_t KeyOfEventId(std::string_view event_id);

 private:
  Result<KeySet*> Day(int64_t day);

  std::shared_ptr<const storage::StoreSnapshot> snapshot_;
  std::unordered_map<int64_t, std::unique_ptr<KeySet>> days_;
};

}  // namespace trailbook::ingest
