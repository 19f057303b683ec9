// File: storage/journal_tail.h
//
// JournalTail: the audit journal's unfolded batches (docs/format/audit.md) as few in-memory
// segments, for Store::Snapshot(). Each batch record brings one small segment per UTC day;
// queries with audit:read would visit every one of them (about 10 us each), so the tail
// coalesces them per day: every kJournalTailFanout appended batches of a day are merged (rows
// re-encoded in eventTime order) into one run of level 1 and go no higher (the merge runs on
// a query, under the store's journal lock: journal_tail.cc), so a day of N appended batches
// holds about N / fanout runs; AddAll merges a long tail read at once in larger chunks, each
// row re-encoded about once. Runs stop growing at kJournalTailMaxMergeRows rows.
//
// The raw batch segments are kept too: a fold that commits part of a merged run (its
// batches up to the fold point) replaces that run by the raw segments of its remaining
// batches, so the tail shows every unfolded event exactly once.
//
//   JournalTail tail;
//   tail.Add(std::move(batch));                  // in journal order
//   tail.DropFolded(folded_sequence);            // after a fold commit
//   std::shared_ptr<const SegmentSet> view = tail.View();   // immutable, shared
//
// Merged segments get fresh ids (kJournalSegmentIdBit | kJournalMergedIdBit | n, n unique in
// the process): readers' caches key decoded data by segment id, so an id never names two
// different contents. Thread safety: none (Store holds it under its journal mutex); the
// views it returns are immutable and may be read by any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "base/status.h"
#include "storage/segment_reader.h"
#include "storage/segment_writer.h"
#include "storage/zstd_codec.h"

namespace trailbook::storage {

// Runs of one day merged at once (a day keeps fewer level-0 runs than this).
inline constexpr size_t kJournalTailFanout = 8;
// AddAll merges at most fanout^this new runs in one step.
inline constexpr int kJournalTailMaxBulkLevel = 4;
// A run with this many rows or more is not merged further.
inline constexpr uint64_t kJournalTailMaxMergeRows = uint64_t{1} << 16;
// Set (with kJournalSegmentIdBit) in the ids of merged journal segments; batch segments'
// ids are kJournalSegmentIdBit | sequence, far below it.
inline constexpr uint64_t kJournalMergedIdBit = uint64_t{1} << 61;

// An immutable list of segments ordered by (min_time, id) with their totals.
struct SegmentSet {
  std::vector<std::shared_ptr<const SegmentReader>> segments;
  std::vector<SegmentInfo> infos;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  int64_t min_time = 0;  // Over all segments (0 when empty).
  int64_t max_time = 0;
  uint64_t last_sequence = 0;  // Journal views: the last audit sequence shown (0: none).
  uint64_t batches = 0;        // Journal views: the batch records shown.
};

// Sorts `set` by (min_time, id) (stable) and fills its totals (not last_sequence).
void FinishSegmentSet(SegmentSet* set);

// The segments of one journal batch record (one per UTC day of its events).
struct JournalBatch {
  uint64_t first_sequence = 0;
  uint64_t last_sequence = 0;
  std::vector<SegmentInfo> infos;
  std::vector<std::shared_ptr<const SegmentReader>> readers;
};

class JournalTail {
 public:
  JournalTail() = default;
  JournalTail(const JournalTail&) = delete;
  JournalTail& operator=(const JournalTail&) = delete;

  // Appends a batch (sequences after every batch added so far) and coalesces its day runs.
  // A merge whose inputs do not decode (never for segments the audit log encoded) leaves
  // the runs unmerged.
  void Add(JournalBatch batch);
  // Adds batches in order as Add does, but merges a long run of them (a handle reading a
  // long tail at once) straight into high-level runs: each row re-encoded about once.
  void AddAll(std::vector<JournalBatch> batches);
  // Forgets the batches with last_sequence <= folded_sequence (now in committed segments).
  void DropFolded(uint64_t folded_sequence);
  // Forgets everything.
  void Clear();

  bool empty() const { return batches_.empty(); }
  size_t batch_count() const { return batches_.size(); }
  // The current runs as one immutable set (rebuilt only after a change).
  std::shared_ptr<const SegmentSet> View();

 private:
  struct Run {
    uint64_t first_sequence = 0;
    uint64_t last_sequence = 0;
    int level = 0;
    SegmentInfo info;
    std::shared_ptr<const SegmentReader> reader;
  };
  // Merges a day's newest kJournalTailFanout adjacent level-0 runs while there are any.
  void Coalesce(std::vector<Run>* runs, int64_t day);
  // Re-encodes `inputs` (one day, in sequence order) as one run of `level`; false when an
  // input does not decode.
  bool Merge(std::span<const Run> inputs, int64_t day, int level, Run* out);

  std::vector<JournalBatch> batches_;      // In sequence order.
  std::map<int64_t, std::vector<Run>> runs_;  // Per UTC day, oldest first.
  std::shared_ptr<const SegmentSet> view_;    // null: rebuild on View().
  ZstdCodec codec_;
};

}  // namespace trailbook::storage
