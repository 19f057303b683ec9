#include "storage/segment_compaction.h"

#include <algorithm>
#include <map>
#include <memory>
#include <numeric>
#include <vector>

#include "storage/audit_journal.h"
#include "storage/event_schema.h"
#include "storage/row_batch.h"
#include "storage/zstd_codec.h"

namespace trailbook::storage {
namespace {

bool IsSmall(const SegmentInfo& info, const SegmentCompactionOptions& options) {
  // Journal segments live in memory until a fold commits them; only committed ones merge.
  return (info.id & kJournalSegmentIdBit) == 0 && info.flags == options.flags &&
         info.bytes < options.small_segment_bytes &&
         !std::binary_search(options.keep.begin(), options.keep.end(), info.id);
}

}  // namespace

Status AppendSegmentRows(const SegmentReader& segment, RowBatch* batch) {
  std::span<const ColumnSpec> columns = EventSchema::Get().columns();
  std::vector<std::vector<int64_t>> times(columns.size());
  std::vector<std::vector<uint32_t>> codes(columns.size());
  std::vector<StringBlock> strings(columns.size());
  for (uint32_t b = 0; b < segment.num_blocks(); ++b) {
    const uint32_t rows = segment.block(b).row_count;
    for (size_t c = 0; c < columns.size(); ++c) {
      const int column = static_cast<int>(c);
      switch (BuilderKindFor(columns[c])) {
        case BuilderKind::kTimestamp:
          times[c].resize(rows);
          TB_RETURN_IF_ERROR(segment.ReadTimestamps(column, b, times[c].data()));
          break;
        case BuilderKind::kBool:
          codes[c].resize(rows);
          TB_RETURN_IF_ERROR(segment.ReadCodes(column, b, codes[c].data()));
          break;
        case BuilderKind::kInterned:
        case BuilderKind::kRaw:
          TB_RETURN_IF_ERROR(segment.ReadStrings(column, b, &strings[c]));
          if (strings[c].size() != rows) {
            return Corruption(segment.path() + ": column " + columns[c].name + " block " +
                              std::to_string(b) + " has the wrong row count");
          }
          break;
      }
    }
    for (uint32_t r = 0; r < rows; ++r) {
      for (size_t c = 0; c < columns.size(); ++c) {
        const int column = static_cast<int>(c);
        switch (BuilderKindFor(columns[c])) {
          case BuilderKind::kTimestamp:
            if (times[c][r] != kNullTimestamp) batch->SetTimestamp(column, times[c][r]);
            break;
          case BuilderKind::kBool:
            if (codes[c][r] > 2) {
              return Corruption(segment.path() + ": column " + columns[c].name +
                                " holds a bad boolean code");
            }
            if (codes[c][r] != 0) batch->SetBool(column, codes[c][r] == 2);
            break;
          case BuilderKind::kInterned:
          case BuilderKind::kRaw:
            if (!strings[c].is_null(r)) batch->SetString(column, strings[c].view(r));
            break;
        }
      }
      // The dedup key only steers ingest's duplicate check; segments do not store it.
      batch->EndRow(0);
    }
  }
  return Status::OK();
}

size_t CountSmallSegments(const StoreSnapshot& snapshot, const SegmentCompactionOptions& options) {
  std::map<int64_t, size_t> by_day;
  for (const SegmentInfo& info : snapshot.infos()) {
    if (IsSmall(info, options)) ++by_day[info.day];
  }
  size_t n = 0;
  for (const auto& [day, count] : by_day) n += count >= options.min_segments ? count : 0;
  return n;
}

Result<SegmentCompaction> CompactSegments(Store& store, const SegmentCompactionOptions& options) {
  if (!store.writable()) return Internal("segment compaction needs the store writer");
  if (options.min_segments < 2 || options.max_segment_rows == 0 ||
      options.small_segment_bytes == 0 ||
      !std::is_sorted(options.keep.begin(), options.keep.end())) {
    return InvalidArgument("segment compaction: min_segments must be >= 2, sizes > 0 and keep sorted");
  }
  std::shared_ptr<const StoreSnapshot> snapshot = store.CommittedSnapshot();
  // Small segments by day, in snapshot order (min_time, id).
  std::map<int64_t, std::vector<size_t>> by_day;
  for (size_t i = 0; i < snapshot->infos().size(); ++i) {
    if (IsSmall(snapshot->infos()[i], options)) by_day[snapshot->infos()[i].day].push_back(i);
  }
  SegmentCompaction done;
  Commit commit;
  ZstdCodec codec;
  SegmentWriteOptions write_options;
  for (const auto& [day, members] : by_day) {
    if (members.size() < options.min_segments) continue;
    // Cut the day's small segments into runs of at most max_segment_rows rows (a segment
    // larger than that alone stays as it is); each run of two or more becomes one segment.
    std::vector<std::vector<size_t>> runs(1);
    uint64_t run_rows = 0;
    for (size_t i : members) {
      uint64_t rows = snapshot->infos()[i].rows;
      if (!runs.back().empty() && run_rows + rows > options.max_segment_rows) {
        runs.emplace_back();
        run_rows = 0;
      }
      runs.back().push_back(i);
      run_rows += rows;
    }
    TB_ASSIGN_OR_RETURN(std::string dir, store.SegmentDirectory(day));
    for (const std::vector<size_t>& run : runs) {
      if (run.size() < 2) continue;
      RowBatch batch;
      for (size_t i : run) {
        Status s = AppendSegmentRows(*snapshot->segments()[i], &batch);
        if (!s.ok()) return s.WithContext("compacting segment " + std::to_string(snapshot->infos()[i].id));
      }
      std::vector<uint32_t> order(batch.row_count());
      std::iota(order.begin(), order.end(), 0u);
      std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        return batch.event_time(a) < batch.event_time(b);
      });
      TB_ASSIGN_OR_RETURN(SegmentInfo info, WriteSegment(dir, store.AllocateSegmentId(), day,
                                                         batch, order, write_options, codec));
      info.flags = options.flags;
      commit.added.push_back(info);
      for (size_t i : run) commit.removed.push_back(snapshot->infos()[i].id);
      done.segments_removed += run.size();
      done.segments_added += 1;
      done.rows += info.rows;
    }
  }
  if (commit.added.empty()) return done;
  TB_RETURN_IF_ERROR(store.Commit(std::move(commit)).WithContext("committing segment compaction"));
  return done;
}

}  // namespace trailbook::storage
