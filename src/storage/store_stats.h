// File: storage/store_stats.h
//
// StoreStats: what `trailbook stats` (and the HTTP API) report about a store: event count,
// time range, the accounts and regions present, segment count and bytes. Accounts and
// regions come from segment dictionaries, so no rows are scanned.
//
//   TB_ASSIGN_OR_RETURN(StoreStats stats, ComputeStoreStats(*store->Snapshot()));
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/store.h"

namespace trailbook::storage {

struct StoreStats {
  std::string eds_id;
  uint64_t events = 0;
  int64_t first_event_time = 0;  // microseconds; meaningful when events > 0
  int64_t last_event_time = 0;
  std::vector<std::string> accounts;  // recipientAccountId values, sorted
  std::vector<std::string> regions;   // awsRegion values, sorted
  uint64_t segments = 0;
  uint64_t bytes = 0;                 // segment bytes on disk
  uint64_t commits = 0;
};

// On-disk bytes of one column across all segments, split by what they hold.
struct ColumnBytes {
  std::string name;
  uint64_t data = 0;        // block chunks
  uint64_t dictionary = 0;  // segment dictionaries
  uint64_t index = 0;       // needle indexes (postings, row hash, older Bloom filters)
  uint64_t total() const { return data + dictionary + index; }
};

// Returns the per-column breakdown, largest first (for tuning and `stats --columns`).
std::vector<ColumnBytes> ComputeColumnBytes(const StoreSnapshot& snapshot);

Result<StoreStats> ComputeStoreStats(const StoreSnapshot& snapshot);

}  // namespace trailbook::storage
