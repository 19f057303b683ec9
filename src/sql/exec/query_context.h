// File: sql/exec/query_context.h
//
// QueryContext: what every operator of one running query shares: the query text (for located
// errors), the start time (now()), the memory budget, cancellation and the deadline, and the
// statistics reported by EXPLAIN.
//
//   TB_RETURN_IF_ERROR(context.CheckInterrupt());          // once per batch
//   TrackedMemory mem(context.memory());
//   TB_RETURN_IF_ERROR(mem.Set(table.memory_bytes()));       // after growing a hash table
//
// Thread safety: all members are safe to use from the query's worker threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "base/status.h"

namespace trailbook::sql {

// Counts the bytes held by a query's materializing operators (hash tables, sorts, buffers)
// against a limit. Exceeding it is kResourceExhausted, never a crash.
class MemoryTracker {
 public:
  explicit MemoryTracker(size_t limit_bytes) : limit_(limit_bytes) {}
  MemoryTracker(const MemoryTracker&) = delete;
  MemoryTracker& operator=(const MemoryTracker&) = delete;

  // Adds `bytes`. Errors: kResourceExhausted "query exceeded its memory limit of N MiB" (the
  // bytes are then not added).
  Status Reserve(size_t bytes);
  void Release(size_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }
  size_t used() const { return used_.load(std::memory_order_relaxed); }
  size_t peak() const { return peak_.load(std::memory_order_relaxed); }
  size_t limit() const { return limit_; }

 private:
  const size_t limit_;
  std::atomic<size_t> used_{0};
  std::atomic<size_t> peak_{0};
};

// One operator's share of the tracker: Set() moves its reservation to a new total.
// Releases everything on destruction. Not thread-safe (one per operator instance).
class TrackedMemory {
 public:
  explicit TrackedMemory(MemoryTracker* tracker) : tracker_(tracker) {}
  ~TrackedMemory() {
    if (tracker_ != nullptr) tracker_->Release(bytes_);
  }
  TrackedMemory(const TrackedMemory&) = delete;
  TrackedMemory& operator=(const TrackedMemory&) = delete;

  // Errors: kResourceExhausted from the tracker.
  Status Set(size_t bytes);
  size_t bytes() const { return bytes_; }

 private:
  MemoryTracker* tracker_;
  size_t bytes_ = 0;
};

// Scan statistics, updated by the scan threads.
struct ScanCounters {
  std::atomic<uint64_t> segments_total{0};
  std::atomic<uint64_t> segments_pruned{0};
  std::atomic<uint64_t> segments_prepared{0};   // segments whose metadata a scan read
  std::atomic<uint64_t> blocks_total{0};
  std::atomic<uint64_t> blocks_read{0};
  std::atomic<uint64_t> rows_examined{0};
  std::atomic<uint64_t> rows_matched{0};
  std::atomic<uint64_t> bytes_read{0};
  std::atomic<uint64_t> text_frames_read{0};    // text frames decompressed
  std::atomic<uint64_t> text_frames_cached{0};  // text frames served by the TextBlockCache
};

class QueryContext {
 public:
  // `cancel` (nullable) must outlive the context; `timeout` of zero means none.
  QueryContext(std::string sql, int64_t now_us, size_t memory_limit_bytes,
               std::chrono::milliseconds timeout, const std::atomic<bool>* cancel,
               unsigned threads);

  const std::string& sql() const { return sql_; }
  int64_t now_us() const { return now_us_; }
  MemoryTracker* memory() { return &memory_; }
  const MemoryTracker& memory() const { return memory_; }
  unsigned threads() const { return threads_; }
  ScanCounters& scan_counters() { return counters_; }
  const ScanCounters& scan_counters() const { return counters_; }

  // Returns kCancelled when the caller cancelled or the deadline passed.
  Status CheckInterrupt() const;
  const std::atomic<bool>* cancel_flag() const { return cancel_; }

 private:
  std::string sql_;
  int64_t now_us_;
  MemoryTracker memory_;
  std::chrono::steady_clock::time_point deadline_;
  bool has_deadline_;
  std::chrono::milliseconds timeout_;
  const std::atomic<bool>* cancel_;
  unsigned threads_;
  ScanCounters counters_;
};

}  // namespace trailbook::sql
