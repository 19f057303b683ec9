// File: ingest/ingest_pipeline.h
//
// Ingest: reads CloudTrail inputs into a Store. Inputs are discovered (directories
// recursively), files the ledger says are unchanged are skipped without reading, and the
// rest are read, normalised and deduplicated by worker threads in parallel. Each worker
// fills its own RowBatch; when the batch reaches its memory budget, the worker partitions it
// by UTC day, sorts by eventTime, writes one segment per day and hands them to a committer
// thread, which syncs them and commits them together with the ledger entries of the files
// they hold while the worker reads on. Memory is therefore bounded by
// the batch budget, not by the input, and a crash at any point loses at most uncommitted
// batches, whose files are not in the ledger and are read again by the next ingest.
//
//   IngestOptions options;
//   IngestProgress progress;
//   TB_ASSIGN_OR_RETURN(IngestSummary summary, Ingest(*store, paths, options, &progress));
//
// Bad input never stops the ingest: a file that cannot be read as a whole is rejected with
// its reason (nothing from it is stored), a bad record is rejected with its file and index,
// and the summary lists both. Only store errors (I/O, corruption) fail the call.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "ingest/dedup_index.h"
#include "ingest/event_normalizer.h"
#include "ingest/reader_limits.h"
#include "storage/segment_writer.h"
#include "storage/store.h"

namespace trailbook::ingest {

struct IngestOptions {
  unsigned threads = 0;  // 0: one per hardware thread.
  // Row-batch memory across all workers. 128 MiB keeps peak RSS near 330 MB (256 MiB: 485 MB,
  // too close to the 500 MB target) at the same CPU time and store size; see
  // docs/ingest_performance.md.
  size_t batch_bytes = size_t{128} << 20;
  ReaderLimits reader_limits;
  NormalizerLimits normalizer_limits;
  storage::SegmentWriteOptions segment_options;
  // zstd level of the segment columns. Level 1 halves zstd's CPU against level 3 (~10% of
  // ingest CPU to ~5%) for a store 0.5% larger; docs/ingest_performance.md.
  int zstd_level = 1;
  DedupLimits dedup_limits;  // Memory of the duplicate filter (ingest/dedup_index.h).
  // A duplicate filter kept across ingests into the same store by a long-lived writer (the
  // monitor ingests every poll), so days it holds are not re-read from the store each time.
  // Built on the same store; one ingest at a time. It is reset when the store has commits it
  // did not see or when an ingest fails; its counters then accumulate. nullptr: a filter
  // for this ingest only.
  DedupIndex* dedup = nullptr;
  size_t max_reported_records = 1000;  // Rejected records listed in the summary (all counted).
};

// Live counters for a progress display; updated by the workers.
struct IngestProgress {
  std::atomic<uint64_t> files_total{0};
  std::atomic<uint64_t> files_done{0};
  std::atomic<uint64_t> records{0};
  std::atomic<uint64_t> events_added{0};
  std::atomic<uint64_t> bytes_read{0};
};

struct RejectedFile {
  std::string path;
  std::string reason;
};

struct IngestSummary {
  uint64_t files_seen = 0;        // Inputs found.
  uint64_t files_read = 0;        // Inputs read successfully (possibly with rejected records).
  uint64_t files_unchanged = 0;   // Skipped: the ledger has them with the same size and mtime.
  uint64_t files_same_content = 0;  // Skipped after reading: content already ingested.
  uint64_t files_skipped = 0;     // Digest files, sign files, non-log names.
  uint64_t files_rejected = 0;
  uint64_t records = 0;           // Records read from the inputs.
  uint64_t events_added = 0;
  uint64_t duplicates = 0;        // Records whose eventID was already stored or seen.
  uint64_t records_rejected = 0;
  uint64_t bytes_read = 0;        // Input bytes as stored (compressed).
  uint64_t json_bytes = 0;        // Decompressed bytes.
  uint64_t segments_written = 0;
  uint64_t segment_bytes = 0;
  uint64_t commits = 0;
  double seconds = 0;
  // Duplicate filter (ingest/dedup_index.h): the most eventID keys held at once, bucket loads
  // from the store (first loads and reloads after eviction; "day" because the default
  // bucket is a day), buckets evicted, and keys of
  // id-less events dropped by their cap (their later duplicates would not be recognised).
  uint64_t dedup_peak_keys = 0;
  uint64_t dedup_day_loads = 0;
  uint64_t dedup_evictions = 0;
  uint64_t dedup_text_keys_dropped = 0;
  std::vector<RejectedFile> rejected_files;
  std::vector<std::string> rejected_records;  // "file: record N (line L): reason", capped

  bool anything_rejected() const { return files_rejected > 0 || records_rejected > 0; }
};

// Ingests `paths` into `store` (opened read-write). Errors: only store failures and
// invalid arguments (no paths); bad input is reported in the summary.
Result<IngestSummary> Ingest(storage::Store& store, std::span<const std::string> paths,
                             const IngestOptions& options, IngestProgress* progress);

// Returns "YYYY/MM/DD" when `path` follows the S3 delivery layout
// (.../CloudTrail/<region>/YYYY/MM/DD/...), else "". Ingest reads inputs in this order.
std::string DeliveryDateOf(std::string_view path);

}  // namespace trailbook::ingest
