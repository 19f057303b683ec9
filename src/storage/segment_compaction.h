// File: storage/segment_compaction.h
//
// Segment compaction: merges many small committed segments of one UTC day (and one kind:
// the same SegmentInfo::flags) into few large ones, in one manifest commit that adds the
// merged segments and removes their inputs. The audit fold writes one small audit-only
// segment per day on every fold; without compaction their number, and with it the
// MANIFEST, every Store::Snapshot() and every scan's setup, grows as long as the server
// runs.
//
//   SegmentCompactionOptions options;   // audit-only segments smaller than 16 MiB
//   TB_ASSIGN_OR_RETURN(SegmentCompaction done, CompactSegments(*store, options));
//
// Lossless: each row is copied column by column (every schema column, internal ones
// included), so every field, its NULLs and the rebuilt event JSON read back identically;
// rows keep their day and are sorted by eventTime as any segment's. Crash safety is the
// store's: the merged files are written and fsynced under new ids before the commit that
// names them, the inputs are unlinked only after it, and a writer removes any file no
// commit names when it opens the store, so a crash leaves the old segments or the new
// ones, never both and never neither.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/status.h"
#include "storage/row_batch.h"
#include "storage/segment_writer.h"
#include "storage/store.h"

namespace trailbook::storage {

struct SegmentCompactionOptions {
  // Only segments whose flags equal this are merged (kSegmentAuditOnly: the audit fold's).
  // Segments of different flags are never merged together.
  uint64_t flags = kSegmentAuditOnly;
  // Segments of at least this many file bytes are left as they are: a merged segment grows
  // until it passes this size and is then never rewritten again, so each row is rewritten
  // a bounded number of times.
  uint64_t small_segment_bytes = 16u << 20;
  // Rows per merged segment at most (a day with more small rows gets several).
  uint64_t max_segment_rows = 1u << 20;
  // A day is compacted only when it holds at least this many small segments (>= 2).
  size_t min_segments = 2;
  // Segment ids that must stay as they are (sorted ascending): those a snapshot pins, whose
  // re-run reads exactly the segments it names.
  std::vector<uint64_t> keep;
};

// What one compaction did.
struct SegmentCompaction {
  uint64_t segments_removed = 0;  // Input segments replaced.
  uint64_t segments_added = 0;    // Merged segments written.
  uint64_t rows = 0;              // Rows copied (equal in inputs and outputs).
};

// Appends every row of `segment` to `batch`, column by column, so each value (and each NULL)
// of every schema column is what the segment holds (the dedup key is not stored: 0).
// Errors: kCorruption (the segment does not decode).
Status AppendSegmentRows(const SegmentReader& segment, RowBatch* batch);

// Returns how many committed segments of `snapshot` CompactSegments would merge: those the
// options call small and do not keep, in UTC days holding at least options.min_segments
// of them (a day's lone merged segment does not count, so a long-running store does not
// look due for compaction forever). The journal tail's in-memory segments never count.
// Cheap: reads the infos only.
size_t CountSmallSegments(const StoreSnapshot& snapshot, const SegmentCompactionOptions& options);

// Merges the small segments of each UTC day that holds at least options.min_segments of
// them (those CountSmallSegments counts), all days in one commit; does nothing (and commits
// nothing) when no day qualifies. REQUIRES: `store` is writable. Errors: kInvalidArgument
// (options out of range), kCorruption (an input segment does not decode; nothing is
// committed), kIOError and the store's commit errors (the written files are orphans the
// next writer removes).
Result<SegmentCompaction> CompactSegments(Store& store, const SegmentCompactionOptions& options);

}  // namespace trailbook::storage
